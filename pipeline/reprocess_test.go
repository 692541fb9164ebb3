package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// TestReprocess rebuilds the latest version of a real publication from
// its archived raw bytes: a new version whose reason says so, read from
// the store and not the publisher, with the entities the same tool made
// the first time; versions.json tells the two apart.
func TestReprocess(t *testing.T) {
	st := newStore(t)
	c := newClock()
	src := source(t, "us_ofac_cons")
	reprocess := func() pipeline.Result {
		t.Helper()
		// A fetcher that fails: reprocessing must not fetch.
		cfg := config(st, fetch.NewDir(filepath.Join(t.TempDir(), "absent"), fetch.DefaultMaxBytes, t.TempDir()), c)
		return pipeline.RunWith(context.Background(), cfg, src, pipeline.RunOptions{Reprocess: true})
	}
	if res := reprocess(); res.Outcome != pipeline.Failed || !strings.Contains(res.Err.Error(), "nothing to reprocess") {
		t.Fatalf("reprocess before any version: %s %v", res.Outcome, res.Err)
	}
	first := runFrom(t, st, c, "us_ofac_cons", filepath.Join(testdata, "us_ofac_cons/2018-04-06"))
	if first.Outcome != pipeline.Published {
		t.Fatalf("first run: %s %v", first.Outcome, first.Err)
	}
	res := reprocess()
	if res.Outcome != pipeline.Published || res.PreviousVersion != first.Version {
		t.Fatalf("reprocess: %s %v after %s", res.Outcome, res.Err, res.PreviousVersion)
	}
	m := manifest(t, st, "us_ofac_cons", res.Version)
	m0 := manifest(t, st, "us_ofac_cons", first.Version)
	if m.Reason != pipeline.ReasonReprocess || m.ReprocessedFrom == nil || *m.ReprocessedFrom != first.Version || m0.Reason != pipeline.ReasonPublication {
		t.Fatalf("reasons: %q from %v after %q", m.Reason, m.ReprocessedFrom, m0.Reason)
	}
	if m.Format != m0.Format || len(m.Files) != len(m0.Files) {
		t.Fatalf("reprocessed %s %d files, the version %s %d", m.Format, len(m.Files), m0.Format, len(m0.Files))
	}
	for i, f := range m.Files {
		if f.SHA256 != m0.Files[i].SHA256 || !strings.HasPrefix(f.URL, "store:") {
			t.Errorf("file %s: %s from %s, archived %s", f.Name, f.SHA256, f.URL, m0.Files[i].SHA256)
		}
	}
	// The same tool reads the same bytes the same way.
	if m.Delta != (pipeline.DeltaCounts{}) || m.EntityCount != m0.EntityCount {
		t.Fatalf("reprocess by the same tool changed %+v (%d entities, were %d)", m.Delta, m.EntityCount, m0.EntityCount)
	}
	a, b := entityLines(t, st, "us_ofac_cons", first.Version), entityLines(t, st, "us_ofac_cons", res.Version)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("entity line %d differs:\n%s\n%s", i, a[i], b[i])
		}
	}
	report, err := os.ReadFile(filepath.Join(st.Location(), filepath.FromSlash(layout.Object("us_ofac_cons", res.Version, layout.ReportMDName))))
	if err != nil || !strings.Contains(strings.ToLower(string(report)), "reprocess") {
		t.Errorf("report.md of the reprocessed version does not say so (%v):\n%.600s", err, report)
	}
	vs := versionsOf(t, st, "us_ofac_cons")
	if len(vs) != 2 || vs[0].Reason != pipeline.ReasonReprocess || vs[1].Reason != pipeline.ReasonPublication {
		t.Errorf("versions.json: %+v", vs)
	}
}

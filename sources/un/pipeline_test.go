package un_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

const testdata = "../../testdata/un_sc"

func newStore(t testing.TB) *local.Store {
	t.Helper()
	st, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// run runs un_sc once from the testdata folder of date, at now.
func run(t testing.TB, st sink.Store, date string, now time.Time) pipeline.Result {
	t.Helper()
	return runDir(t, st, filepath.Join(testdata, date), now)
}

// runDir runs un_sc once from dir, at now.
func runDir(t testing.TB, st sink.Store, dir string, now time.Time) pipeline.Result {
	t.Helper()
	cfg := pipeline.Config{
		Store:       st,
		Fetcher:     fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()),
		ToolVersion: "test",
		TempDir:     t.TempDir(),
		Now:         func() time.Time { return now },
		Logger:      slog.New(slog.DiscardHandler),
	}
	return pipeline.Run(context.Background(), cfg, un.New(un.Config{}))
}

func readJSON(t *testing.T, st sink.Store, key string, v any) {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := json.NewDecoder(rc).Decode(v); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
}

// deltaOps reads a version's delta.jsonl.gz.
func deltaOps(t *testing.T, st sink.Store, version string) []diff.Op {
	t.Helper()
	rc, _, err := st.Get(context.Background(), layout.Object(un.Name, version, layout.DeltaName))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	var ops []diff.Op
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var op diff.Op
		if err := json.Unmarshal(sc.Bytes(), &op); err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ops
}

// readGz returns the decompressed bytes of a .gz file.
func readGz(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var dataIDElem = regexp.MustCompile(`<DATAID>\s*([^<\s]+)\s*</DATAID>`)

// publicationIDs returns the entity ids a publication must give, from the
// DATAID elements found by a byte scan of the file.
func publicationIDs(t *testing.T, date string) map[string]bool {
	t.Helper()
	data := readGz(t, filepath.Join(testdata, date, un.FileName+".gz"))
	ids := map[string]bool{}
	for _, m := range dataIDElem.FindAllSubmatch(data, -1) {
		ids[un.Name+"-"+string(m[1])] = true
	}
	return ids
}

// minus returns the sorted members of a that are not in b.
func minus(a, b map[string]bool) []string {
	var out []string
	for id := range a {
		if !b[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// TestReplay2018June runs the 2018-06-07 and 2018-06-21 publications
// through the real pipeline: the second version's delta adds and removes
// exactly the records whose DATAIDs appear and disappear between the two
// files.
func TestReplay2018June(t *testing.T) {
	st := newStore(t)
	t0 := time.Date(2018, 6, 8, 0, 0, 0, 0, time.UTC)
	r1 := run(t, st, "2018-06-07", t0)
	if r1.Err != nil || r1.Outcome != pipeline.Published {
		t.Fatalf("first run: %s %v", r1.Outcome, r1.Err)
	}
	r2 := run(t, st, "2018-06-21", t0.Add(14*24*time.Hour))
	if r2.Err != nil || r2.Outcome != pipeline.Published {
		t.Fatalf("second run: %s %v", r2.Outcome, r2.Err)
	}
	old, cur := publicationIDs(t, "2018-06-07"), publicationIDs(t, "2018-06-21")
	wantAdded, wantRemoved := minus(cur, old), minus(old, cur)
	if len(wantAdded) == 0 {
		t.Fatal("the two publications have the same records: nothing to check")
	}

	var m pipeline.Manifest
	readJSON(t, st, layout.Object(un.Name, r2.Version, layout.ManifestName), &m)
	if m.PreviousVersion == nil || *m.PreviousVersion != r1.Version {
		t.Fatalf("previous_version %v, want %s", m.PreviousVersion, r1.Version)
	}
	if m.PublicationDate == nil || *m.PublicationDate != "2018-06-21" {
		t.Errorf("publication_date %v, want 2018-06-21", m.PublicationDate)
	}
	if m.EntityCount != len(cur) || m.CountsByType["person"]+m.CountsByType["organization"] != len(cur) {
		t.Errorf("entity_count %d, by type %v; want %d", m.EntityCount, m.CountsByType, len(cur))
	}
	if m.Delta.Added != len(wantAdded) || m.Delta.Removed != len(wantRemoved) {
		t.Errorf("manifest delta %+v, want %d added, %d removed", m.Delta, len(wantAdded), len(wantRemoved))
	}
	var added, removed []string
	changed := 0
	for _, op := range deltaOps(t, st, r2.Version) {
		switch op.Op {
		case diff.OpAdd:
			added = append(added, op.ID)
		case diff.OpRemove:
			removed = append(removed, op.ID)
		case diff.OpChange:
			changed++
		}
	}
	if !slices.Equal(added, wantAdded) {
		t.Errorf("delta adds %v, want %v", added, wantAdded)
	}
	if !slices.Equal(removed, wantRemoved) {
		t.Errorf("delta removes %v, want %v", removed, wantRemoved)
	}
	if changed != m.Delta.Changed {
		t.Errorf("delta file has %d changes, manifest says %d", changed, m.Delta.Changed)
	}
	t.Logf("2018-06-07 -> 2018-06-21: added %v, removed %v, %d changed", added, removed, changed)
}

// BenchmarkRunUN is a full run of un_sc on the 2026-02-27 publication
// (decompressed once, as --from reads a plain file) into a fresh local
// store per iteration: fetch from the folder, parse, normalize, diff,
// write every output.
func BenchmarkRunUN(b *testing.B) {
	dir := b.TempDir()
	data := readGz(b, filepath.Join(testdata, "2026-02-27", un.FileName+".gz"))
	if err := os.WriteFile(filepath.Join(dir, un.FileName), data, 0o644); err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		b.StopTimer()
		st := newStore(b)
		b.StartTimer()
		res := runDir(b, st, dir, now)
		if res.Err != nil || res.Entities != 1003 {
			b.Fatalf("%s %d %v", res.Outcome, res.Entities, res.Err)
		}
	}
}

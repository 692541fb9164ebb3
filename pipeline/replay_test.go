package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/ftm"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// TestReplayOFACCaptures builds a store from the real SDN.CSV captures of
// 2024-03-11 to 2024-05-04 (the last one the empty file the archiver
// received, which the guards refuse), then replays its history into a
// second store: every version comes back under its own id, with
// byte-identical entity lines, and the same tool changes nothing.
func TestReplayOFACCaptures(t *testing.T) {
	dir := filepath.Join(testdata, "us_ofac_sdn", "history")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_sdn.csv.gz") {
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	if len(files) != 24 {
		t.Fatalf("%d captures, want 24", len(files))
	}
	a := newStore(t)
	c := newClock()
	published, refused := 0, 0
	for _, f := range files {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "SDN.CSV.gz"), readFile(t, filepath.Join(dir, f)), 0o644); err != nil {
			t.Fatal(err)
		}
		switch res := runFrom(t, a, c, "us_ofac_sdn", d); res.Outcome {
		case pipeline.Published:
			published++
		case pipeline.Failed:
			refused++
		}
	}
	if published != 23 || refused != 1 {
		t.Fatalf("store A: %d published, %d refused; want 23 and the empty capture refused", published, refused)
	}

	b := newStore(t)
	var steps []pipeline.ReplayStep
	err = pipeline.Replay(context.Background(), config(b, nil, c), a, source(t, "us_ofac_sdn"), func(s pipeline.ReplayStep) error {
		steps = append(steps, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	va, vb := versionsOf(t, a, "us_ofac_sdn"), versionsOf(t, b, "us_ofac_sdn")
	if len(steps) != 23 || len(vb) != len(va) {
		t.Fatalf("%d steps, %d versions replayed of %d", len(steps), len(vb), len(va))
	}
	for i, s := range steps {
		if s.Result.Outcome != pipeline.Published || s.Against.Added+s.Against.Removed+s.Against.Changed != 0 {
			t.Fatalf("step %d (%s): %s %v, against the original %+v", i, s.Version, s.Result.Outcome, s.Result.Err, s.Against)
		}
		if va[len(va)-1-i].Version != s.Version || vb[len(vb)-1-i].Version != s.Version {
			t.Fatalf("step %d is %s, the histories list %s and %s", i, s.Version, va[len(va)-1-i].Version, vb[len(vb)-1-i].Version)
		}
		la, lb := entityLines(t, a, "us_ofac_sdn", s.Version), entityLines(t, b, "us_ofac_sdn", s.Version)
		if len(la) != len(lb) {
			t.Fatalf("%s: %d lines replayed of %d", s.Version, len(lb), len(la))
		}
		for j := range la {
			if la[j] != lb[j] {
				t.Fatalf("%s line %d differs:\n%s\n%s", s.Version, j, la[j], lb[j])
			}
		}
		ma, mb := manifest(t, a, "us_ofac_sdn", s.Version), manifest(t, b, "us_ofac_sdn", s.Version)
		if ma.Delta != mb.Delta || ma.Reason != mb.Reason || (ma.PreviousVersion == nil) != (mb.PreviousVersion == nil) {
			t.Fatalf("%s: manifest delta %+v reason %q, the original %+v %q", s.Version, mb.Delta, mb.Reason, ma.Delta, ma.Reason)
		}
		for _, name := range []string{layout.FtMName, layout.FtMDeltaName} {
			key := layout.Object("us_ofac_sdn", s.Version, name)
			if !bytes.Equal(readObject(t, a, key), readObject(t, b, key)) {
				t.Fatalf("%s: the replayed %s differs from the original", s.Version, name)
			}
		}
	}
	// Every capture's FtM export validates, and each delta turns the
	// export before it into its own.
	ss, err := ftm.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := checkFtMHistory(t, ss, a, "us_ofac_sdn"); n != 23 {
		t.Errorf("%d versions checked", n)
	}
}

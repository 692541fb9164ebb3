package pipeline_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/ftm"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// checkReplay replays the history of store a (the 23 versions
// TestOFACHistoryReplay built from the real SDN.CSV captures of 2024-03-11
// to 2024-05-04) into a second store: every version comes back under its
// own id, with byte-identical entity lines and FtM exports, and the same
// tool changes nothing. Then every capture's FtM export validates, and
// each FtM delta turns the export before it into its own. It shares the
// history's store so that the 24 captures are run once, not twice.
func checkReplay(t *testing.T, a sink.Store, c *clock, published int) {
	t.Helper()
	b := newStore(t)
	var steps []pipeline.ReplayStep
	err := pipeline.Replay(context.Background(), config(b, nil, c), a, source(t, "us_ofac_sdn"), func(s pipeline.ReplayStep) error {
		steps = append(steps, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	va, vb := versionsOf(t, a, "us_ofac_sdn"), versionsOf(t, b, "us_ofac_sdn")
	if len(steps) != published || len(vb) != len(va) {
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
	if n := checkFtMHistory(t, ss, a, "us_ofac_sdn"); n != published {
		t.Errorf("%d versions checked", n)
	}
}

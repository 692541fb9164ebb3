package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// How the entities are sorted does not show in what is published: two
// real SDN captures (a first version, then a delta of the next day) give
// byte-identical outputs whether the entities fit the sort buffer, spill
// a few runs (the default buffer), or spill about a thousand (merged 64
// at a time).
func TestSortBufferDoesNotChangeOutputs(t *testing.T) {
	captures := []string{"2024-03-11T1843Z_sdn.csv.gz", "2024-03-12T1843Z_sdn.csv.gz"}
	dirs := make([]string, len(captures))
	for i, c := range captures {
		dirs[i] = t.TempDir()
		gunzipTo(t, filepath.Join(testdata, "us_ofac_sdn", "history", c), filepath.Join(dirs[i], "SDN.CSV"))
	}
	publish := func(budget int) (outputs []string, runs []int) {
		st := newStore(t)
		c := newClock()
		for _, dir := range dirs {
			cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), c)
			cfg.SortBuffer = budget
			cfg.TempDir = t.TempDir()
			res := pipeline.Run(context.Background(), cfg, source(t, "us_ofac_sdn"))
			if res.Outcome != pipeline.Published {
				t.Fatalf("budget %d: %s %v", budget, res.Outcome, res.Err)
			}
			runs = append(runs, res.SortRuns)
			for _, o := range manifest(t, st, "us_ofac_sdn", res.Version).Outputs {
				outputs = append(outputs, fmt.Sprintf("%s %s %s", res.Version, o.Name, o.SHA256))
			}
			if left, _ := os.ReadDir(cfg.TempDir); len(left) > 0 {
				t.Fatalf("budget %d: left in the temp dir: %v", budget, left)
			}
		}
		return outputs, runs
	}
	want, runs := publish(64 << 20)
	if runs[0] != 0 || runs[1] != 0 {
		t.Fatalf("a 64 MiB buffer spilled %v runs; the test wants one in-memory case", runs)
	}
	for _, budget := range []int{0, 16 << 10} {
		got, runs := publish(budget)
		if runs[0] < 2 || runs[1] < 2 {
			t.Fatalf("budget %d spilled %v runs; want several", budget, runs)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("budget %d (%v runs): outputs\n%v\nwant\n%v", budget, runs, got, want)
		}
	}
}

// A run waits for a parse slot after its download and holds it to the end
// of its publication; a check that finds the publication unchanged needs
// none, and a run cancelled while it waits says so.
func TestParseSlots(t *testing.T) {
	dir := filepath.Join(testdata, "un_sc", "2026-02-27")
	st := newStore(t)
	slots := make(chan struct{}, 1)
	cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), newClock())
	cfg.ParseSlots = slots

	slots <- struct{}{} // another run is parsing
	done := make(chan pipeline.Result)
	go func() { done <- pipeline.Run(context.Background(), cfg, source(t, "un_sc")) }()
	select {
	case res := <-done:
		t.Fatalf("ran with every slot taken: %s %v", res.Outcome, res.Err)
	case <-time.After(300 * time.Millisecond):
	}
	<-slots // the other run is done
	if res := <-done; res.Outcome != pipeline.Published || len(slots) != 0 {
		t.Fatalf("%s %v, %d slots still taken", res.Outcome, res.Err, len(slots))
	}

	slots <- struct{}{}
	if res := pipeline.Run(context.Background(), cfg, source(t, "un_sc")); res.Outcome != pipeline.Unchanged {
		t.Fatalf("unchanged check with every slot taken: %s %v", res.Outcome, res.Err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	other := config(newStore(t), fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), newClock())
	other.ParseSlots = slots
	if res := pipeline.Run(ctx, other, source(t, "un_sc")); res.Outcome != pipeline.Failed || !strings.Contains(fmt.Sprint(res.Err), "waiting for a parse slot") {
		t.Fatalf("cancelled while waiting: %s %v", res.Outcome, res.Err)
	}
}

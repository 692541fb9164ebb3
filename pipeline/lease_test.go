package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/lease"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// A run that finds the source's lease held by someone else does nothing:
// no fetch, no state, no version. Once released, the next run publishes
// and leaves the lease released under its own name.
func TestRunRespectsTheLease(t *testing.T) {
	st := newStore(t)
	c := newClock()
	dir := testdata + "/un_sc/2018-06-07"
	cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), c)
	cfg.LeaseTTL, cfg.Holder = time.Minute, "cronjob-pod/1"
	ctx := context.Background()

	other, err := lease.Acquire(ctx, st, lease.Options{Source: "un_sc", Holder: "scheduler/7", RunID: "r-other", TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	res := pipeline.Run(ctx, cfg, source(t, "un_sc"))
	if res.Outcome != pipeline.Skipped || !errors.Is(res.Err, lease.ErrHeld) || !strings.Contains(res.Err.Error(), "scheduler/7") {
		t.Fatalf("run under another's lease: %s, %v; want skipped naming the holder", res.Outcome, res.Err)
	}
	for _, key := range []string{layout.State("un_sc"), layout.Latest("un_sc")} {
		if _, err := st.Stat(ctx, key); !st.IsNotExist(err) {
			t.Errorf("%s written by a skipped run (err %v)", key, err)
		}
	}
	if err := other.Release(ctx); err != nil {
		t.Fatal(err)
	}
	res = pipeline.Run(ctx, cfg, source(t, "un_sc"))
	if res.Outcome != pipeline.Published {
		t.Fatalf("run after release: %s %v", res.Outcome, res.Err)
	}
	var rec lease.Record
	if !readJSONFile(t, st, layout.Lease("un_sc"), &rec) || rec.Holder != "cronjob-pod/1" || rec.RunID != res.RunID || rec.ReleasedAt.IsZero() {
		t.Fatalf("lease after the run: %+v; want released by cronjob-pod/1, run %s", rec, res.RunID)
	}

	// Two runs for one due time: the second is skipped as done.
	due := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	first := pipeline.RunWith(ctx, cfg, source(t, "un_sc"), pipeline.RunOptions{Due: due})
	second := pipeline.RunWith(ctx, cfg, source(t, "un_sc"), pipeline.RunOptions{Due: due})
	if first.Outcome != pipeline.Unchanged || second.Outcome != pipeline.Skipped || !errors.Is(second.Err, lease.ErrDone) {
		t.Fatalf("two runs for one due time: %s, then %s (%v); want unchanged, then skipped as done", first.Outcome, second.Outcome, second.Err)
	}
}

package pipeline

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/combine"
)

// combinedSortBuffer is the combined run's Config.SortBuffer when none is
// set: a quarter of extsort's default.
const combinedSortBuffer = 1 << 20

// RunCombined brings the combined dataset up to date with the latest
// version of every source named (the registry's), after the sources'
// runs: a new combined version when any source's latest moved since the
// last one, "unchanged" otherwise (the versions it was built from are
// its raw input, so the check reads no entity). ok is false when no
// source has published yet: there is nothing to combine, and nothing is
// written.
func RunCombined(ctx context.Context, cfg Config, names []string) (res Result, ok bool) {
	has, err := combine.HasInputs(ctx, cfg.Store, names)
	if err != nil {
		return Result{Source: combine.Name, Outcome: Failed, Err: fmt.Errorf("%s: %w", combine.Name, err)}, true
	}
	if !has {
		return Result{}, false
	}
	if cfg.SortBuffer == 0 {
		// The combined build holds its own sorts beside the pipeline's:
		// a smaller buffer keeps its peak under a source run's, whose
		// publication it follows in the same process.
		cfg.SortBuffer = combinedSortBuffer
	}
	src := combine.New(combine.Config{Store: cfg.Store, Sources: names, TempDir: cfg.TempDir})
	return Run(ctx, cfg, src), true
}

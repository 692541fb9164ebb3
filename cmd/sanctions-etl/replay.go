package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

type replayFlags struct {
	historyFlags
	from    string
	sources []string
}

func newReplayCmd() *cobra.Command {
	var f replayFlags
	cmd := &cobra.Command{
		Use:   "replay --store A --out B",
		Short: "Rebuild the history of store A into store B from A's archived raw bytes",
		Long: `replay rebuilds, for each source, every version of store A into store B, oldest
first, from the raw files each version archived, under the same version id,
through the same flow and guards as a run. For each version it prints what the
rebuild changed against the original version: with the tool that built A,
nothing; with another, what the tool change does to history. B must not hold
versions of the source that sort after A's first. --store takes a local
directory (the --s3-* flags apply to --out).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReplay(cmd.Context(), cmd.OutOrStdout(), f)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.from, "store", "", "the store whose history is replayed (required)")
	fs.StringArrayVar(&f.sources, "source", nil, "source to replay (repeatable; default: every source A holds)")
	f.historyFlags.register(fs)
	return cmd
}

func runReplay(ctx context.Context, w io.Writer, f replayFlags) error {
	if f.from == "" {
		return errors.New("--store: the store to replay is required")
	}
	if f.from == f.out {
		return fmt.Errorf("--store and --out are both %s: replay into another store", f.out)
	}
	srcs, err := all.Select(all.Registry(all.Config{}), f.sources)
	if err != nil {
		return err
	}
	// The source store takes the retry policy; the --s3-* flags are --out's.
	from, err := storeFlags{out: f.from, retryInitial: f.retryInitial, retryMaxElapsed: f.retryMaxElapsed}.open(ctx)
	if err != nil {
		return fmt.Errorf("--store: %w", err)
	}
	cfg, tmp, err := f.historyFlags.open(ctx)
	if err != nil {
		return err
	}
	defer tmp.Remove()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tVERSION\tOUTCOME\tENTITIES\tAGAINST ORIGINAL")
	failed := false
	for _, src := range srcs {
		err := pipeline.Replay(ctx, cfg, from, src, func(s pipeline.ReplayStep) error {
			against := "-"
			if s.Result.Outcome == pipeline.Published {
				c := s.Against
				against = fmt.Sprintf("+%d -%d ~%d", c.Added, c.Removed, c.Changed)
				if c.Added+c.Removed+c.Changed == 0 {
					against = "identical"
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", src.Info().Name, s.Version, s.Result.Outcome, s.Result.Entities, against)
			if s.Result.Err != nil {
				failed = true
				fmt.Fprintf(tw, "\t%v\n", s.Result.Err)
			}
			return nil
		})
		if err != nil {
			tw.Flush()
			return err
		}
	}
	tw.Flush()
	// B's combined dataset follows its replayed sources, as after a run.
	var names []string
	for _, src := range all.Registry(all.Config{}) {
		names = append(names, src.Info().Name)
	}
	if res, ok := pipeline.RunCombined(ctx, cfg, names); ok {
		printSummary(w, []pipeline.Result{res})
		failed = failed || res.Outcome == pipeline.Failed
	}
	if failed {
		return errFailed
	}
	return nil
}

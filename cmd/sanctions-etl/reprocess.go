package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

type reprocessFlags struct {
	historyFlags
	sources []string
	force   bool
}

func newReprocessCmd() *cobra.Command {
	var f reprocessFlags
	cmd := &cobra.Command{
		Use:   "reprocess",
		Short: "Rebuild each source's latest version with this tool, from the raw bytes it archived",
		Long: `reprocess publishes, for each source, a new version built by the running tool
from the raw files archived in the source's latest version: nothing is fetched.
Its manifest says "reason": "reprocess" and "reprocessed_from", its report says
that its changes are the tool's, not the publisher's, and versions.json carries
the reason, so that a consumer can tell the two apart. The guards apply as to
any run (--force overrides the drop guard). A source that never published is
skipped. The combined dataset follows.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReprocess(cmd.Context(), cmd.OutOrStdout(), f)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVar(&f.sources, "source", nil, "source to reprocess (repeatable; default: every source that has published)")
	fs.BoolVar(&f.force, "force", false, "publish even when the drop guard refuses")
	f.historyFlags.register(fs)
	return cmd
}

func runReprocess(ctx context.Context, w io.Writer, f reprocessFlags) error {
	registry := all.Registry(all.Config{})
	srcs, err := all.Select(registry, f.sources)
	if err != nil {
		return err
	}
	cfg, tmp, err := f.historyFlags.open(ctx)
	if err != nil {
		return err
	}
	defer tmp.Remove()
	cfg.Force = f.force
	st := cfg.Store
	var results []pipeline.Result
	var ran []sources.Source
	for _, src := range srcs {
		stored, err := pipeline.ReadStored(ctx, st, src.Info().Name)
		if err != nil {
			return err
		}
		if stored.Latest.Version == "" {
			if len(f.sources) > 0 {
				fmt.Fprintf(w, "%s: never published: nothing to reprocess\n", src.Info().Name)
			}
			continue
		}
		results = append(results, pipeline.RunWith(ctx, cfg, src, pipeline.RunOptions{Reprocess: true}))
		ran = append(ran, src)
	}
	return finishRun(ctx, w, cfg, registry, results, ran)
}

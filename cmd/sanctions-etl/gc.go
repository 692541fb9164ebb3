package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

type gcFlags struct {
	storeFlags
	sources []string
	grace   time.Duration
	dryRun  bool
}

func newGCCmd() *cobra.Command {
	var f gcFlags
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Remove orphaned version folders that failed runs left behind",
		Long: `gc removes the version folders of each source that no pointer names (neither
latest.json nor versions.json) and whose run started longer ago than --grace:
what crashed or failed runs, and interrupted retention, leave behind. Published
versions are never touched. It prints what it removed (with --dry-run, what it
would remove). Without --dry-run it also removes what killed processes left
outside any version: a local store's temp files, and their temp folders in
$TMPDIR.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runGC(cmd.Context(), cmd.OutOrStdout(), f)
		},
	}
	fs := cmd.Flags()
	fs.StringArrayVar(&f.sources, "source", nil, "source to collect (repeatable; default: every source)")
	fs.DurationVar(&f.grace, "grace", pipeline.DefaultGCGrace, "only folders whose run started longer ago than this go (a run still writing is younger)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "list what would be removed; remove nothing")
	f.storeFlags.register(fs)
	return cmd
}

func runGC(ctx context.Context, w io.Writer, f gcFlags) error {
	if f.grace < pipeline.MinGCGrace {
		return fmt.Errorf("--grace %v: want at least %v, longer than a run may take to write its version folder", f.grace, pipeline.MinGCGrace)
	}
	srcs, err := all.Select(all.Registry(all.Config{}), f.sources)
	if err != nil {
		return err
	}
	names := make([]string, len(srcs))
	for i, s := range srcs {
		names[i] = s.Info().Name
	}
	st, err := f.storeFlags.open(ctx)
	if err != nil {
		return err
	}
	if !f.dryRun {
		sweepScratch(os.TempDir())
	}
	found, err := pipeline.GC(ctx, pipeline.GCConfig{Store: st, Sources: names, Grace: f.grace, DryRun: f.dryRun})
	verb := "removed"
	if f.dryRun {
		verb = "would remove"
	}
	if len(found) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SOURCE\tVERSION\tSTARTED\tOBJECTS\tBYTES")
		objects := 0
		for _, o := range found {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\n", o.Source, o.Version, o.Started.Format(time.RFC3339), o.Objects, o.Bytes)
			objects += o.Objects
		}
		tw.Flush()
		fmt.Fprintf(w, "%s %d orphaned version folders (%d objects) from %s\n", verb, len(found), objects, st.Location())
	} else if err == nil {
		fmt.Fprintf(w, "no orphaned version folders older than %v in %s\n", f.grace, st.Location())
	}
	if err == nil && !f.dryRun {
		// pipeline.GC swept each source's folder; index.json is no
		// source's.
		err = sweepStore(ctx, w, st, []string{layout.Index()})
	}
	return err
}

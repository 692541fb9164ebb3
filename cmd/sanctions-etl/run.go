package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// runFlags are the flags of `run` (and, in part, `demo`).
type runFlags struct {
	storeFlags
	sources   []string
	from      string
	force     bool
	maxBytes  int64
	userAgent string
	timeout   time.Duration
	attempts  int
	tempDir   string
	maxDrop   float64
	uploads   int
	keepVers  int
	keepDays  int
	euToken   string
}

func (f *runFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringArrayVar(&f.sources, "source", nil, "source to run (repeatable; default: every source). See `sanctions-etl sources`")
	fs.StringVar(&f.from, "from", "", "read the publication files from this folder instead of the network (official file names, case-insensitive; NAME.gz also accepted)")
	fs.BoolVar(&f.force, "force", false, "publish even when the entity count falls by more than the allowed share (overrides that guard only)")
	fs.Int64Var(&f.maxBytes, "max-bytes", fetch.DefaultMaxBytes, "size cap per fetched file, in bytes; a larger file fails the source")
	fs.StringVar(&f.userAgent, "user-agent", fetch.DefaultUserAgent, "User-Agent sent to publishers (OFAC refuses short ones)")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Minute, "time limit for one HTTP attempt, body included")
	fs.IntVar(&f.attempts, "attempts", 5, "HTTP attempts per file on timeouts, 429 and 5xx answers")
	fs.StringVar(&f.tempDir, "temp-dir", "", "folder for intermediate files (default: the system temp folder)")
	fs.Float64Var(&f.maxDrop, "max-drop", pipeline.DefaultMaxDropShare, "largest share of entities a run may lose against the previous version (0..1)")
	fs.IntVar(&f.uploads, "upload-concurrency", pipeline.DefaultUploadConcurrency, "objects of a version uploaded at once")
	fs.IntVar(&f.keepVers, "keep-versions", 0, "after publishing, remove versions beyond the N newest (0: keep every version, an audit trail); never latest or newer")
	fs.IntVar(&f.keepDays, "keep-days", 0, "after publishing, remove versions older than N days (0: keep every version); with --keep-versions a version goes only when both allow it")
	fs.StringVar(&f.euToken, "eu-token", os.Getenv("SANCTIONS_ETL_EU_TOKEN"), "public token of the EU Financial Sanctions Files (default $SANCTIONS_ETL_EU_TOKEN); redacted from every URL recorded")
	f.storeFlags.register(fs)
}

// registry is the sources configuration the flags give.
func (f runFlags) registry() all.Config { return all.Config{EUToken: f.euToken} }

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Fetch, normalize, diff and publish the selected sources once",
		Long: `run makes one pass over the selected sources: fetch (or read --from), parse,
normalize, guard, diff against the latest version and publish a new version when
the publication changed. It prints one summary line per source and exits 1 when
any source failed; the other sources still publish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSources(cmd.Context(), cmd.OutOrStdout(), f, f.registry())
		},
	}
	f.register(cmd)
	return cmd
}

func (f runFlags) fetcher() (fetch.Fetcher, error) {
	if f.from != "" {
		return fetch.NewDir(f.from, f.maxBytes, f.tempDir), nil
	}
	if len(f.userAgent) < 40 {
		return nil, fmt.Errorf("--user-agent %q: OFAC's firewall refuses short User-Agents; give 40 characters or more", f.userAgent)
	}
	h := fetch.NewHTTP(fetch.HTTPConfig{
		Client:    &http.Client{Timeout: f.timeout},
		UserAgent: f.userAgent,
		MaxBytes:  f.maxBytes,
		TempDir:   f.tempDir,
		Redact:    eu.RedactURL,
	})
	p := fetch.DefaultRetryPolicy()
	p.MaxAttempts = f.attempts
	return fetch.WithRetry(h, p), nil
}

func (f runFlags) pipelineConfig(ctx context.Context) (pipeline.Config, error) {
	if f.maxDrop < 0 || f.maxDrop > 1 {
		return pipeline.Config{}, fmt.Errorf("--max-drop %v: want a share between 0 and 1", f.maxDrop)
	}
	if f.maxBytes <= 0 {
		return pipeline.Config{}, fmt.Errorf("--max-bytes %d: want a positive size", f.maxBytes)
	}
	if f.uploads < 1 {
		return pipeline.Config{}, fmt.Errorf("--upload-concurrency %d: want 1 or more", f.uploads)
	}
	if f.keepVers < 0 || f.keepDays < 0 {
		return pipeline.Config{}, fmt.Errorf("--keep-versions %d, --keep-days %d: want 0 (keep everything) or more", f.keepVers, f.keepDays)
	}
	fe, err := f.fetcher()
	if err != nil {
		return pipeline.Config{}, err
	}
	// The store last: for S3 it makes the first request.
	st, err := f.storeFlags.open(ctx)
	if err != nil {
		return pipeline.Config{}, err
	}
	return pipeline.Config{
		Store:        st,
		Fetcher:      fe,
		Force:        f.force,
		MaxDropShare: f.maxDrop,
		ToolVersion:  version,
		TempDir:      f.tempDir,
		Logger:       slog.Default(),

		UploadConcurrency: f.uploads,
		KeepVersions:      f.keepVers,
		KeepDays:          f.keepDays,
	}, nil
}

func runSources(ctx context.Context, w io.Writer, f runFlags, acfg all.Config) error {
	srcs, err := all.Select(all.Registry(acfg), f.sources)
	if err != nil {
		return err
	}
	cfg, err := f.pipelineConfig(ctx)
	if err != nil {
		return err
	}
	results, err := pipeline.RunAll(ctx, cfg, srcs)
	printSummary(w, results)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Outcome == pipeline.Failed {
			return errFailed
		}
	}
	return nil
}

func printSummary(w io.Writer, results []pipeline.Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tOUTCOME\tVERSION\tENTITIES\tDELTA\tISSUES\tTIME")
	for _, r := range results {
		v := r.Version
		if v == "" {
			v = "-"
		}
		delta := "-"
		switch {
		case r.Outcome == pipeline.Published && r.PreviousVersion == "":
			delta = "first version"
		case r.Outcome == pipeline.Published:
			delta = fmt.Sprintf("+%d -%d ~%d", r.Delta.Added, r.Delta.Removed, r.Delta.Changed)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%.2fs\n", r.Source, r.Outcome, v, r.Entities, delta, r.Issues, r.Duration.Seconds())
	}
	tw.Flush()
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintln(w, r.Err) // errors start with the source name
		}
		for _, v := range r.Orphans {
			fmt.Fprintf(w, "%s: orphaned version folder %s from a failed run: no pointer names it (`sanctions-etl gc` removes it)\n", r.Source, v)
		}
		if len(r.Pruned) > 0 {
			fmt.Fprintf(w, "%s: retention removed %d versions: %v\n", r.Source, len(r.Pruned), r.Pruned)
		}
	}
}

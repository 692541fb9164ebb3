package main

import (
	"context"
	"fmt"
	"github.com/sanctions-etl/sanctions-etl/combine"
	"io"
	"log/slog"
	"os"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/internal/progress"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/schedules/notify"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// runFlags are the flags of `run` (and, in part, `demo`).
type runFlags struct {
	storeFlags
	// set says where each value came from (flag, environment or config
	// file); filled before the command runs.
	set       *settings
	config    string
	leaseTTL  time.Duration
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
	// webhookURL is a secret: never print it.
	webhookURL string
	reportURL  string
	// progress is run's --progress (auto, always or never); schedule has
	// none, its stderr is a service's log.
	progress string
	// Per-source settings; read through set (settings.loadSourceFlags).
	sourceFroms, sourceURLs []string
}

func (f *runFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.config, "config", "", "YAML config file (see configs/example.yaml; default $SANCTIONS_ETL_CONFIG); every key is also a flag and a SANCTIONS_ETL_* environment variable, which win over the file")
	fs.DurationVar(&f.leaseTTL, "lease-ttl", defaultLeaseTTL, "each run holds its source's lease object in the store, renewed every third of this, so that schedulers and CronJobs never run one source at once; a crashed holder's lease is taken over once it expires (0: no lease)")
	fs.StringArrayVar(&f.sources, "source", nil, "source to run (repeatable; default: every source). See `sanctions-etl sources`")
	fs.StringVar(&f.from, "from", "", "read the publication files from this folder instead of the network (official file names, case-insensitive; NAME.gz also accepted)")
	fs.BoolVar(&f.force, "force", false, "publish even when the entity count falls by more than the allowed share (overrides that guard only)")
	fs.Int64Var(&f.maxBytes, "max-bytes", fetch.DefaultMaxBytes, "size cap per fetched file, in bytes; a larger file fails the source")
	fs.StringVar(&f.userAgent, "user-agent", fetch.DefaultUserAgent, "User-Agent sent to publishers (OFAC refuses short ones)")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Minute, "time limit for one HTTP attempt, body included")
	fs.IntVar(&f.attempts, "attempts", 5, "HTTP attempts per file on timeouts, 429 and 5xx answers")
	fs.StringVar(&f.tempDir, "temp-dir", "", "folder under which each process keeps its intermediate files, in a locked sanctions-etl-scratch-* folder of its own that later runs remove if the process was killed (default: the system temp folder)")
	fs.Float64Var(&f.maxDrop, "max-drop", pipeline.DefaultMaxDropShare, "largest share of entities a run may lose against the previous version (0..1)")
	fs.IntVar(&f.uploads, "upload-concurrency", pipeline.DefaultUploadConcurrency, "objects of a version uploaded at once")
	fs.IntVar(&f.keepVers, "keep-versions", 0, "after publishing, remove versions beyond the N newest (0: keep every version, an audit trail); never latest or newer")
	fs.IntVar(&f.keepDays, "keep-days", 0, "after publishing, remove versions older than N days (0: keep every version); with --keep-versions a version goes only when both allow it")
	fs.StringVar(&f.euToken, "eu-token", "", "public token of the EU Financial Sanctions Files (usually from $SANCTIONS_ETL_EU_TOKEN); redacted from every URL recorded")
	fs.StringArrayVar(&f.sourceFroms, "source-from", nil, "read one source's files from a folder, SOURCE=DIR (repeatable)")
	fs.StringArrayVar(&f.sourceURLs, "source-url", nil, "fetch one of a source's files from a mirror, SOURCE=FILE=URL (repeatable)")
	fs.StringVar(&f.webhookURL, "webhook-url", "", "Slack-compatible webhook told of every run that published a change or failed (usually from $SANCTIONS_ETL_WEBHOOK_URL: it is a secret)")
	fs.StringVar(&f.reportURL, "report-url", "", "base URL where the store's objects can be read: links to report.html in webhook messages, and the URLs in catalog.json and each source's ftm_deltas.json, which yente follows (default: file:// URLs into a local --out; an S3 store needs it for yente)")
	f.storeFlags.register(fs)
}

// webhook checks --webhook-url and --report-url; nil when no webhook is
// configured.
func (f runFlags) webhook() (*notify.Webhook, error) {
	if err := checkReportURL(f.set.key("report-url"), f.reportURL); err != nil {
		return nil, err
	}
	if f.webhookURL == "" {
		return nil, nil
	}
	hook, err := notify.New(f.webhookURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.set.key("webhook-url"), err)
	}
	return hook, nil
}

// defaultLeaseTTL outlives a slow fetch's renewals comfortably and lets a
// crashed holder's source run again within one OFAC interval.
const defaultLeaseTTL = 5 * time.Minute

// registry is the sources configuration the flags give.
func (f runFlags) registry() all.Config {
	cfg := all.Config{EUToken: f.euToken, TempDir: f.tempDir}
	if f.set != nil {
		for name, ss := range f.set.sources {
			if len(ss.URLs) > 0 {
				if cfg.URLs == nil {
					cfg.URLs = map[string]map[string]string{}
				}
				cfg.URLs[name] = ss.URLs
			}
		}
	}
	return cfg
}

func newRunCmd(set *settings) *cobra.Command {
	f := runFlags{set: set}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Fetch, normalize, diff and publish the selected sources once",
		Long: `run makes one pass over the selected sources: fetch (or read --from), parse,
normalize, guard, diff against the latest version and publish a new version when
the publication changed. It prints one summary line per source and exits 1 when
any source failed; the other sources still publish.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			prog, err := f.progressReporter(cmd)
			if err != nil {
				return err
			}
			return runSources(cmd.Context(), cmd.OutOrStdout(), f, prog)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.progress, "progress", "auto", "progress lines on stderr during long work (bytes fetched, records parsed, objects published): auto (when stderr is a terminal and --log-format is not json), always or never")
	return cmd
}

// progressReporter is the reporter --progress asks for; nil prints nothing.
func (f runFlags) progressReporter(cmd *cobra.Command) (*progress.Reporter, error) {
	logFormat := ""
	if lf := cmd.Flag("log-format"); lf != nil {
		logFormat = lf.Value.String()
	}
	on, err := progressOn(f.progress, isTerminal(cmd.ErrOrStderr()), logFormat)
	if err != nil {
		return nil, fmt.Errorf("%s %w", f.set.key("progress"), err)
	}
	return progress.New(cmd.ErrOrStderr(), on, progress.Config{}), nil
}

// progressOn decides --progress. auto prints only on a terminal, and not
// when JSON logs were asked for: whoever forces JSON reads stderr with a
// program, which lines of text would break. Off a terminal (CI, cron, a
// pipe, a test) nothing extra is printed.
func progressOn(mode string, terminal bool, logFormat string) (bool, error) {
	switch mode {
	case "auto":
		return terminal && !strings.EqualFold(logFormat, "json"), nil
	case "always":
		return true, nil
	case "never":
		return false, nil
	}
	return false, fmt.Errorf("%q: want auto, always or never", mode)
}

func (f runFlags) fetcher() (fetch.Fetcher, error) {
	if f.from != "" {
		return fetch.NewDir(f.from, f.maxBytes, f.tempDir), nil
	}
	if err := fetch.CheckUserAgent(f.userAgent); err != nil {
		return nil, fmt.Errorf("%s: %w", f.set.key("user-agent"), err)
	}
	if f.timeout <= 0 {
		return nil, fmt.Errorf("%s %v: want a positive duration", f.set.key("timeout"), f.timeout)
	}
	if f.attempts < 1 {
		return nil, fmt.Errorf("%s %d: want 1 or more", f.set.key("attempts"), f.attempts)
	}
	// Timeout, not a Client of our own: the default client also bounds
	// connecting and the wait for response headers.
	h := fetch.NewHTTP(fetch.HTTPConfig{
		Timeout:   f.timeout,
		UserAgent: f.userAgent,
		MaxBytes:  f.maxBytes,
		TempDir:   f.tempDir,
		Redact:    eu.RedactURL,
	})
	// Retries and download progress are logged through the run's logger,
	// which the pipeline puts in the context (fetch.WithLogger).
	p := fetch.DefaultRetryPolicy()
	p.MaxAttempts = f.attempts
	return fetch.WithRetry(h, p), nil
}

func (f runFlags) pipelineConfig(ctx context.Context) (pipeline.Config, error) {
	k := f.set.key
	if f.maxDrop < 0 || f.maxDrop > 1 {
		return pipeline.Config{}, fmt.Errorf("%s %v: want a share between 0 and 1", k("max-drop"), f.maxDrop)
	}
	if f.maxBytes <= 0 {
		return pipeline.Config{}, fmt.Errorf("%s %d: want a positive size", k("max-bytes"), f.maxBytes)
	}
	if f.uploads < 1 {
		return pipeline.Config{}, fmt.Errorf("%s %d: want 1 or more", k("upload-concurrency"), f.uploads)
	}
	if f.keepVers < 0 {
		return pipeline.Config{}, fmt.Errorf("%s %d: want 0 (keep everything) or more", k("keep-versions"), f.keepVers)
	}
	if f.keepDays < 0 {
		return pipeline.Config{}, fmt.Errorf("%s %d: want 0 (keep everything) or more", k("keep-days"), f.keepDays)
	}
	if f.leaseTTL != 0 && f.leaseTTL < 3*time.Second {
		return pipeline.Config{}, fmt.Errorf("%s %v: want 0 (no lease) or at least 3s (it is renewed every third)", k("lease-ttl"), f.leaseTTL)
	}
	if f.from != "" {
		if err := isDir(f.from); err != nil {
			return pipeline.Config{}, fmt.Errorf("%s: %w", k("from"), err)
		}
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
		PublicURL:    f.reportURL,

		UploadConcurrency: f.uploads,
		KeepVersions:      f.keepVers,
		KeepDays:          f.keepDays,
		LeaseTTL:          f.leaseTTL,
		Holder:            holder(),
		Fault:             killAt(os.Getenv(killAtEnv)),
	}, nil
}

// killAtEnv names a publication step (pipeline.Fault*) at which the
// process kills itself with SIGKILL: the crash tests' deterministic kill
// points. Never set in production.
const killAtEnv = "SANCTIONS_ETL_TEST_KILL_AT"

func killAt(point string) func(string) {
	if point == "" {
		return nil
	}
	return func(p string) {
		if p == point {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way; do not take another step
		}
	}
}

// holder names this process in lease objects.
func holder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}

func isDir(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", p)
	}
	return nil
}

// plannedSource is a source with the pipeline configuration it runs with
// (its own fetcher when the config file gives it a from folder).
type plannedSource struct {
	src sources.Source
	cfg pipeline.Config
}

// plan selects the sources (--source, else the config file's sources
// block, else all) and gives each its configuration.
func (f runFlags) plan(ctx context.Context) ([]plannedSource, pipeline.Config, error) {
	names := f.sources
	if len(names) == 0 && f.set != nil {
		names = f.set.listed
	}
	srcs, err := all.Select(all.Registry(f.registry()), names)
	if err != nil {
		return nil, pipeline.Config{}, err
	}
	var froms map[string]*sourceSetting
	if f.set != nil {
		froms = f.set.sources
	}
	for _, ss := range froms {
		if ss.From != "" {
			if err := isDir(ss.From); err != nil {
				return nil, pipeline.Config{}, fmt.Errorf("%s: %w", ss.fromKey, err)
			}
		}
	}
	base, err := f.pipelineConfig(ctx)
	if err != nil {
		return nil, pipeline.Config{}, err
	}
	plan := make([]plannedSource, 0, len(srcs))
	for _, src := range srcs {
		cfg := base
		if ss := froms[src.Info().Name]; ss != nil && ss.From != "" {
			cfg.Fetcher = fetch.NewDir(ss.From, f.maxBytes, f.tempDir)
		}
		plan = append(plan, plannedSource{src: src, cfg: cfg})
	}
	return plan, base, nil
}

func runSources(ctx context.Context, w io.Writer, f runFlags, prog *progress.Reporter) error {
	hook, err := f.webhook()
	if err != nil {
		return err
	}
	tmp, err := openScratch(f.tempDir)
	if err != nil {
		return fmt.Errorf("%s: %w", f.set.key("temp-dir"), err)
	}
	defer tmp.Remove()
	f.tempDir = tmp.Path()
	plan, base, err := f.plan(ctx)
	if err != nil {
		return err
	}
	results := make([]pipeline.Result, 0, len(plan))
	srcs := make([]sources.Source, 0, len(plan))
	for _, p := range plan {
		p.cfg.Progress = prog
		res := pipeline.Run(ctx, p.cfg, p.src)
		results = append(results, res)
		srcs = append(srcs, p.src)
		if e := notify.FromResult(res, f.reportURL); hook != nil && e.Worth() {
			if err := hook.Send(ctx, e); err != nil {
				slog.Error("notify", "source", res.Source, "run_id", res.RunID, "err", err)
			}
		}
	}
	base.Progress = prog
	return finishRun(ctx, w, base, all.Registry(f.registry()), results, srcs)
}

// finishRun ends a run, reprocess or demo step: the combined dataset
// follows every source's latest version (the sources not selected count
// with their latest too), index.json is refreshed, the summary printed;
// errFailed when any source failed.
func finishRun(ctx context.Context, w io.Writer, cfg pipeline.Config, registry []sources.Source, results []pipeline.Result, ran []sources.Source) error {
	var names []string
	for _, src := range registry {
		names = append(names, src.Info().Name)
	}
	if res, ok := pipeline.RunCombined(ctx, cfg, names); ok {
		results = append(results, res)
		ran = append(ran, combine.New(combine.Config{Store: cfg.Store, Sources: names}))
	}
	err := pipeline.UpdateIndex(ctx, cfg, ran)
	printSummary(w, results)
	if err != nil {
		// The sources' outcomes above stand; only the catalog is stale.
		return fmt.Errorf("index.json not refreshed (each source's outcome above stands): %w", err)
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
			fmt.Fprintln(w, r.Err) // errors start with the source name; a skip says who held the lease
		}
		for _, v := range r.Orphans {
			fmt.Fprintf(w, "%s: orphaned version folder %s from a failed run: no pointer names it (`sanctions-etl gc` removes it)\n", r.Source, v)
		}
		for _, warning := range r.Warnings {
			fmt.Fprintln(w, "warning:", warning)
		}
		if len(r.Pruned) > 0 {
			fmt.Fprintf(w, "%s: retention removed %d versions: %v\n", r.Source, len(r.Pruned), r.Pruned)
		}
	}
}

// Package pipeline runs sources through the flow of DESIGN.md: fetch,
// parse, normalize, guard, diff, publish, move latest.
package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/internal/progress"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/lease"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// Outcome is how a run of one source ended.
type Outcome string

// Outcomes.
const (
	Published Outcome = "published"
	Unchanged Outcome = "unchanged"
	Failed    Outcome = "failed"
	// Skipped: another run held the source's lease, or already ran the
	// due check; this run did nothing and wrote nothing.
	Skipped Outcome = "skipped"
)

// DefaultMaxDropShare is the share of entities a run may lose against the
// previous version before it is refused.
const DefaultMaxDropShare = 0.10

// Config is everything a run needs; cmd/sanctions-etl builds it.
type Config struct {
	Store   sink.Store
	Fetcher fetch.Fetcher
	// Force publishes even when the drop guard would refuse the run.
	Force bool
	// MaxDropShare overrides DefaultMaxDropShare for sources that do not
	// declare their own; 0 keeps the default.
	MaxDropShare float64
	ToolVersion  string
	TempDir      string           // for intermediate files; "" = os.TempDir()
	Now          func() time.Time // nil = time.Now
	Logger       *slog.Logger     // nil = slog.Default()
	ReportRows   int              // entities of each kind report.md lists (report.html lists all); 0 = diff's default
	// UploadConcurrency bounds the objects of a version written at once;
	// 0 = DefaultUploadConcurrency.
	UploadConcurrency int
	// ParseSlots, when set, is shared by the runs of one process: a run
	// holds one of its slots (a send) from the start of its parse to the
	// end of its publication, the part whose memory counts; downloads and
	// unchanged checks take none. Nil: no bound.
	ParseSlots chan struct{}
	// SortBuffer is the bytes of encoded entities a run holds before it
	// spills a sorted run to TempDir (0 = extsort.DefaultBudget): with the
	// stages' fixed buffers it bounds a run's memory, whatever the
	// publication's size.
	SortBuffer int
	// PublicURL is the base URL under which consumers read the store's
	// keys, for catalog.json and the FtM delta indexes (yente follows
	// them); "" is a file:// URL of a local store's folder, and the
	// store's location otherwise.
	PublicURL string
	// KeepVersions and KeepDays bound the versions a source keeps, applied
	// after each publication (see Prune); 0 keeps everything, the default:
	// the versions are an audit trail.
	KeepVersions int
	KeepDays     int
	// LeaseTTL > 0 makes every run hold the source's lease object
	// (layout.Lease) for its whole length, renewed every LeaseTTL/3, so
	// that two schedulers, or a scheduler and a CronJob, never run one
	// source at once. 0 runs without a lease (the compare-and-swap on
	// latest.json still refuses a second publication).
	LeaseTTL time.Duration
	// Holder names this process in lease objects, e.g. "host/pid".
	Holder string
	// Progress, when set, gets progress lines of the run's long work (bytes
	// fetched, records parsed, objects published); nil prints none.
	Progress *progress.Reporter
	// Fault, when set, is called at each named point of a publication
	// (the Fault* constants), so that tests can kill the process at an
	// exact step. Production leaves it nil.
	Fault func(point string)
}

// Points of a publication passed to Config.Fault, in the order they happen.
const (
	FaultClaimed         = "claimed"   // the version folder's first object is written
	FaultUploaded        = "uploaded-" // followed by how many more objects are written (1, 2, ...)
	FaultManifestWritten = "manifest"  // every object and the manifest are written; latest.json not moved
	FaultLatestMoved     = "latest"    // latest.json names the new version; versions.json not updated
	FaultVersionsWritten = "versions"  // versions.json lists it; state.json not written
	FaultStateWritten    = "state"     // state.json written; the lease not released
)

// RunOptions are the per-run settings a scheduler passes.
type RunOptions struct {
	// RunID names the run in logs, state.json and the lease; "" = a new one.
	RunID string
	// Due is the scheduled time the run is for. With a lease, a second run
	// for the same Due (another scheduler's tick) is skipped.
	Due time.Time
	// Reprocess rebuilds the source's latest version from the raw bytes
	// it archived, with the running tool, as a new version whose reason is
	// ReasonReprocess (sanctions-etl reprocess). Nothing is fetched, and
	// the same bytes are no reason to stop: the tool may read them
	// differently now.
	Reprocess bool
	// Replay republishes a version of another store (sanctions-etl
	// replay): the input is that version's raw files, the new version gets
	// its id, reason and reprocessed_from, and the same-bytes check does
	// not apply. The id must sort after this store's latest.
	Replay *Replayed
}

// Replayed is the version of another store a run replays.
type Replayed struct {
	Store    sink.Store
	Manifest Manifest
}

// DefaultUploadConcurrency is how many objects of a version are written at
// once when Config.UploadConcurrency is 0.
const DefaultUploadConcurrency = 4

func (c *Config) uploadConcurrency() int {
	if c.UploadConcurrency > 0 {
		return c.UploadConcurrency
	}
	return DefaultUploadConcurrency
}

func (c *Config) retention() Retention {
	return Retention{KeepVersions: c.KeepVersions, KeepDays: c.KeepDays}
}

// check validates the configuration; fetching is true when the run
// fetches (every source but an Assembler).
func (c *Config) check(fetching bool) error {
	if c.Store == nil {
		return errors.New("pipeline: no store configured")
	}
	if fetching && c.Fetcher == nil {
		return errors.New("pipeline: no fetcher configured")
	}
	if c.MaxDropShare < 0 || c.MaxDropShare > 1 {
		return fmt.Errorf("pipeline: max drop share %v not in [0,1]", c.MaxDropShare)
	}
	if c.UploadConcurrency < 0 {
		return fmt.Errorf("pipeline: upload concurrency %d: want 0 (the default) or more", c.UploadConcurrency)
	}
	if c.KeepVersions < 0 || c.KeepDays < 0 {
		return fmt.Errorf("pipeline: keep %d versions, %d days: want 0 (keep everything) or more", c.KeepVersions, c.KeepDays)
	}
	if c.LeaseTTL < 0 {
		return fmt.Errorf("pipeline: lease TTL %v: want 0 (no lease) or more", c.LeaseTTL)
	}
	return nil
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

func (c *Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// Result is the outcome of one source's run.
type Result struct {
	Source          string
	RunID           string
	Outcome         Outcome
	Version         string // the new version, or the latest one when unchanged or failed
	PreviousVersion string
	Entities        int
	Delta           diff.Counts
	Issues          int
	Duration        time.Duration
	// FetchBytes and Fetch are the bytes acquired and the time it took
	// (zero when the run stopped before fetching).
	FetchBytes int64
	Fetch      time.Duration
	// Upload is the time spent writing the version folder and moving the
	// pointers (zero unless published).
	Upload time.Duration
	// Parse is the time from the first byte parsed to the last entity
	// sorted; Compare the time of the comparison with the previous
	// version that writes the new snapshot and the delta.
	Parse, Compare time.Duration
	// Export is the time of the FtM export (entities.ftm.json and its
	// delta).
	Export time.Duration
	// SortRuns is the sorted runs the publication's entities spilled to
	// TempDir (0: they fit Config.SortBuffer).
	SortRuns int
	// Orphans are version folders of the source that no pointer names,
	// found at the start of the run: left by failed (or running) runs.
	Orphans []string
	// Pruned are the versions the retention policy removed after this
	// run published.
	Pruned []string
	// Warnings are problems that did not change the outcome: a published
	// version whose versions.json update, state.json or lease release
	// failed (the next run or the lease's expiry makes up for it).
	Warnings []string
	Err      error
}

// RunAll runs every source in order, isolating failures, then refreshes
// index.json. One source failing never keeps another from publishing.
func RunAll(ctx context.Context, cfg Config, srcs []sources.Source) ([]Result, error) {
	if err := cfg.check(true); err != nil {
		return nil, err
	}
	results := make([]Result, 0, len(srcs))
	for _, src := range srcs {
		results = append(results, Run(ctx, cfg, src))
	}
	if err := UpdateIndex(ctx, cfg, srcs); err != nil {
		return results, err
	}
	return results, nil
}

// Run runs one source through the whole flow. It never panics: a panic in
// a parser becomes a failed result.
func Run(ctx context.Context, cfg Config, src sources.Source) Result {
	return RunWith(ctx, cfg, src, RunOptions{})
}

// RunWith is Run with a scheduler's run id and due time.
func RunWith(ctx context.Context, cfg Config, src sources.Source, opts RunOptions) (res Result) {
	info := src.Info()
	res = Result{Source: info.Name, RunID: opts.RunID}
	if res.RunID == "" {
		res.RunID = NewRunID()
	}
	start := time.Now()
	log := cfg.logger().With("source", info.Name, "run_id", res.RunID)
	defer func() {
		if p := recover(); p != nil {
			res.Outcome, res.Err = Failed, fmt.Errorf("%s: internal error: %v", info.Name, p)
			log.Error("panic", "panic", p, "stack", string(debug.Stack()))
		}
		res.Duration = time.Since(start)
	}()
	_, assembled := src.(sources.Assembler)
	if err := cfg.check(!assembled && !opts.Reprocess && opts.Replay == nil); err != nil {
		res.Outcome, res.Err = Failed, err
		return res
	}
	if cfg.LeaseTTL > 0 {
		l, err := lease.Acquire(ctx, cfg.Store, lease.Options{
			Source: info.Name, Holder: cfg.Holder, RunID: res.RunID, Due: opts.Due,
			TTL: cfg.LeaseTTL, Logger: log, // wall-clock time: other processes read its expiry
		})
		var held *lease.HeldError
		switch {
		case errors.As(err, &held):
			res.Outcome, res.Err = Skipped, fmt.Errorf("%s: %w", info.Name, err)
			log.Info("skipped", "reason", err.Error())
			return res
		case err != nil:
			res.Outcome, res.Err = Failed, fmt.Errorf("%s: %w", info.Name, err)
			log.Error("run failed", "err", err)
			return res
		}
		var release func(context.Context) error
		ctx, release = l.Hold(ctx)
		defer func() {
			// Released after state.json is written, so that a run that
			// follows sees this run's state.
			if err := release(context.WithoutCancel(ctx)); err != nil {
				// What the run did stands; the lease expires after its TTL.
				log.Warn("release lease", "err", err)
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s: lease not released (it expires after %v): %v", info.Name, cfg.LeaseTTL, err))
			}
		}()
	}
	r := &run{cfg: &cfg, src: src, info: info, log: log, res: &res, started: cfg.now(), reprocess: opts.Reprocess, replay: opts.Replay}
	err := r.do(ctx)
	if err != nil {
		if cause := context.Cause(ctx); errors.Is(cause, lease.ErrLost) {
			err = fmt.Errorf("%w (%w)", err, cause)
		}
		res.Outcome, res.Err = Failed, err
		log.Error("run failed", "err", err)
	}
	if serr := r.writeState(ctx, err); serr != nil {
		switch {
		case res.Err != nil:
			log.Error("write state", "err", serr)
		case res.Outcome == Published:
			// latest.json moved: the publication stands, and says so.
			r.warn("state.json not written: %v", serr)
		default:
			log.Error("write state", "err", serr)
			res.Outcome, res.Err = Failed, fmt.Errorf("%s: write state.json: %w", info.Name, serr)
		}
	} else {
		r.fault(FaultStateWritten)
	}
	return res
}

// fault calls the test hook at a named point.
func (r *run) fault(point string) {
	if r.cfg.Fault != nil {
		r.cfg.Fault(point)
	}
}

// warn records a problem that leaves the outcome as it is.
func (r *run) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.log.Warn(msg)
	r.res.Warnings = append(r.res.Warnings, r.info.Name+": "+msg)
}

// NewRunID returns a fresh random run id.
func NewRunID() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

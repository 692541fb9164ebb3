// Package schedules runs sources on cron specs (robfig/cron/v3) in a
// long-running process: one job per source, overlapping ticks skipped, a
// lease per source in the store so that several schedulers (or a scheduler
// and a CronJob) never run one source at once, graceful shutdown, and the
// health, status and metrics endpoints.
package schedules

import (
	"context"
	"errors"
	"fmt"
	"github.com/sanctions-etl/sanctions-etl/combine"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/schedules/notify"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// DefaultStaleAfter is how many intervals without a successful check make
// a source stale.
const DefaultStaleAfter = 3

// DefaultShutdownTimeout is how long a stopping scheduler waits for
// running jobs before cancelling them.
const DefaultShutdownTimeout = 2 * time.Minute

// Job is one source on its schedule.
type Job struct {
	Source sources.Source
	Spec   string // cron spec, see ParseSpec; "" = the source's default
	// Pipeline runs the source; its Store is where status is read from.
	Pipeline pipeline.Config
}

// Config is a scheduler's whole setup; cmd/sanctions-etl builds it.
type Config struct {
	Jobs []Job
	// Listen is the address of the HTTP endpoints; "" serves none.
	Listen string
	// RunOnStart runs every source once when the scheduler starts.
	RunOnStart bool
	// MaxConcurrentRuns bounds the runs that parse and publish at once
	// (0 = DefaultMaxConcurrentRuns); the others wait for a slot after
	// their download (pipeline.Config.ParseSlots), so a hung publisher
	// holds none. A run's memory is bounded by its design, not by the
	// list, so this bounds the process's: the pod's memory limit is set
	// from it (docs/operations.md).
	MaxConcurrentRuns int
	// ShutdownTimeout bounds the wait for running jobs once Run's context
	// is done; 0 = DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// StaleAfter intervals without a successful check make a source stale;
	// 0 = DefaultStaleAfter.
	StaleAfter int
	// Webhook, when set, hears of every run that published a change or
	// failed. ReportURL is the base URL under which the store's keys are
	// readable, for links to report.html; "" sends no link.
	Webhook   *notify.Webhook
	ReportURL string
	Logger    *slog.Logger
	Version   string
}

// DefaultMaxConcurrentRuns is two runs parsing at once: each run already
// uses every core (parse, encode and compress stages), so more would only
// add their memory.
const DefaultMaxConcurrentRuns = 2

// Scheduler runs the jobs. Create it with New, start it with Run.
type Scheduler struct {
	cfg     Config
	slots   chan struct{} // one per run allowed to parse at once
	log     *slog.Logger
	jobs    []*job
	metrics *metrics
	started time.Time

	// runCtx is the context runs get; it outlives Run's context by the
	// shutdown timeout so that a run can finish its publication.
	runCtx    context.Context
	cancelRun context.CancelCauseFunc

	mu   sync.Mutex
	addr net.Addr
	up   chan struct{} // closed once the listener is bound and cron started

	// combining is set while a combined build runs; combineAgain asks it
	// for one more round (a source published during the build).
	combineMu    sync.Mutex
	combining    bool
	combineAgain bool
	combineWG    sync.WaitGroup // builds going; a stop waits for them like for runs
}

// job is one source's schedule and what the scheduler knows of it.
type job struct {
	name     string
	spec     string
	schedule cron.Schedule
	src      sources.Source
	cfg      pipeline.Config
	// wrapped is the job as cron runs it: Recover and SkipIfStillRunning
	// around runJob; the run on start goes through it too.
	wrapped cron.Job

	mu     sync.Mutex
	status SourceStatus
}

// recentRuns is how many of its runs per source /status lists.
const recentRuns = 50

// ErrShutdown is the cause given to runs still going when the shutdown
// timeout ends.
var ErrShutdown = errors.New("scheduler stopped: shutdown timeout reached")

// New checks the configuration: an unknown or bad spec is an error naming
// the source.
func New(cfg Config) (*Scheduler, error) {
	if len(cfg.Jobs) == 0 {
		return nil, errors.New("schedule: no sources to schedule")
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.ShutdownTimeout < 0 {
		return nil, fmt.Errorf("schedule: shutdown timeout %v: want a positive duration", cfg.ShutdownTimeout)
	}
	if cfg.StaleAfter == 0 {
		cfg.StaleAfter = DefaultStaleAfter
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	slots := cfg.MaxConcurrentRuns
	if slots <= 0 {
		slots = DefaultMaxConcurrentRuns
	}
	s := &Scheduler{cfg: cfg, log: cfg.Logger, up: make(chan struct{}), slots: make(chan struct{}, slots)}
	seen := map[string]bool{}
	for _, j := range cfg.Jobs {
		info := j.Source.Info()
		if seen[info.Name] {
			return nil, fmt.Errorf("schedule: source %s listed twice", info.Name)
		}
		seen[info.Name] = true
		spec := j.Spec
		if spec == "" {
			spec = info.Schedule
		}
		sched, err := ParseSpec(spec)
		if err != nil {
			return nil, fmt.Errorf("schedule: source %s: %w", info.Name, err)
		}
		if j.Pipeline.Store == nil {
			return nil, fmt.Errorf("schedule: source %s: no store", info.Name)
		}
		if j.Pipeline.ParseSlots == nil {
			j.Pipeline.ParseSlots = s.slots
		}
		s.jobs = append(s.jobs, &job{
			name: info.Name, spec: spec, schedule: sched, src: j.Source, cfg: j.Pipeline,
			status: SourceStatus{Source: info.Name, Schedule: spec, Runs: map[pipeline.Outcome]int{}},
		})
	}
	s.metrics = newMetrics(s)
	return s, nil
}

// Planned is one source's parsed schedule.
type Planned struct {
	Source   string
	Spec     string
	Schedule cron.Schedule
}

// Plan lists the sources and their schedules, in configuration order.
func (s *Scheduler) Plan() []Planned {
	out := make([]Planned, 0, len(s.jobs))
	for _, j := range s.jobs {
		out = append(out, Planned{Source: j.name, Spec: j.spec, Schedule: j.schedule})
	}
	return out
}

// Addr is the bound address of the HTTP endpoints, once Run has started
// them (nil before, or without Listen).
func (s *Scheduler) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Started is closed once Run has bound its listener and started cron.
func (s *Scheduler) Started() <-chan struct{} { return s.up }

// Run starts the endpoints and the cron loop and blocks until ctx is done;
// then it stops starting runs, waits up to the shutdown timeout for those
// running, cancels any still going, and returns nil after a clean stop. It
// is called once per Scheduler.
// A run cancelled mid-publication leaves latest.json where it was: the
// pointer moves last, by compare-and-swap.
func (s *Scheduler) Run(ctx context.Context) error {
	s.started = time.Now().UTC()
	s.runCtx, s.cancelRun = context.WithCancelCause(context.WithoutCancel(ctx))
	defer s.cancelRun(nil)

	var srv *http.Server
	var serveErr chan error
	if s.cfg.Listen != "" {
		ln, err := net.Listen("tcp", s.cfg.Listen)
		if err != nil {
			return fmt.Errorf("schedule: listen %s: %w", s.cfg.Listen, err)
		}
		s.mu.Lock()
		s.addr = ln.Addr()
		s.mu.Unlock()
		srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
		serveErr = make(chan error, 1)
		go func() { serveErr <- srv.Serve(ln) }()
		s.log.Info("serving health, status and metrics", "addr", ln.Addr().String())
	}

	for _, j := range s.jobs {
		s.refresh(s.runCtx, j)
	}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cronLogger{log: s.log}))
	for _, j := range s.jobs {
		jl := cronLogger{log: s.log.With("source", j.name), onSkip: func() { s.skipped(j) }}
		j.wrapped = cron.NewChain(cron.Recover(jl), cron.SkipIfStillRunning(jl)).Then(cron.FuncJob(func() { s.runJob(j) }))
		c.Schedule(j.schedule, j.wrapped)
		s.log.Info("scheduled", "source", j.name, "spec", j.spec, "next", j.schedule.Next(time.Now()).UTC().Format(time.RFC3339))
	}
	c.Start()
	var onStart sync.WaitGroup
	if s.cfg.RunOnStart {
		for _, j := range s.jobs {
			onStart.Go(j.wrapped.Run)
		}
	}
	close(s.up)

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		// Without its endpoints nobody can see the scheduler: stop, and
		// say so in the exit status.
		runErr = fmt.Errorf("schedule: health endpoint stopped: %w", err)
		s.log.Error("health endpoint stopped", "err", err)
	}
	s.log.Info("stopping: no new runs; waiting for running ones", "timeout", s.cfg.ShutdownTimeout)
	stopped := c.Stop() // done once running cron jobs have returned
	waitAll := make(chan struct{})
	go func() {
		<-stopped.Done()
		onStart.Wait()
		s.combineWG.Wait()
		close(waitAll)
	}()
	select {
	case <-waitAll:
	case <-time.After(s.cfg.ShutdownTimeout):
		s.log.Warn("shutdown timeout reached: cancelling running jobs; their versions stay unpublished")
		s.cancelRun(ErrShutdown)
		<-waitAll
	}
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			s.log.Warn("health endpoint shutdown", "err", err)
		}
	}
	s.log.Info("stopped")
	return runErr
}

// runJob runs one source once, from a tick or on start (which no tick
// explains, so its due time is zero unless it came right at one).
func (s *Scheduler) runJob(j *job) {
	start := time.Now()
	due := DueAt(j.schedule, start)
	runID := pipeline.NewRunID()
	j.mu.Lock()
	j.status.Running = true
	j.status.RunID = runID
	j.mu.Unlock()
	s.metrics.running.WithLabelValues(j.name).Set(1)

	res := pipeline.RunWith(s.runCtx, j.cfg, j.src, pipeline.RunOptions{RunID: runID, Due: due})
	// index.json carries each source's last check too, not only its
	// latest version: refresh it after every check this process made.
	if res.Outcome != pipeline.Skipped {
		if err := pipeline.UpdateIndex(context.WithoutCancel(s.runCtx), j.cfg, []sources.Source{j.src}); err != nil {
			s.log.Error("update index.json", "source", j.name, "run_id", runID, "err", err)
		}
	}
	s.metrics.observe(res)
	s.metrics.running.WithLabelValues(j.name).Set(0)
	j.mu.Lock()
	j.status.Running = false
	j.status.Runs[res.Outcome]++
	j.status.LastRun = &RunSummary{
		RunID: res.RunID, Outcome: res.Outcome, StartedAt: start.UTC(), Seconds: res.Duration.Seconds(),
		Version: res.Version, Entities: res.Entities, Added: res.Delta.Added, Removed: res.Delta.Removed,
		Changed: res.Delta.Changed, Issues: res.Issues,
	}
	if !due.IsZero() {
		d := due
		j.status.LastRun.Due = &d
	}
	if res.Err != nil {
		j.status.LastRun.Error = res.Err.Error()
	}
	j.status.RecentRuns = append(j.status.RecentRuns, *j.status.LastRun)
	if n := len(j.status.RecentRuns); n > recentRuns {
		j.status.RecentRuns = slices.Delete(j.status.RecentRuns, 0, n-recentRuns)
	}
	j.mu.Unlock()
	s.refresh(context.WithoutCancel(s.runCtx), j)
	s.notify(j, res)
	if res.Outcome == pipeline.Published {
		// In a goroutine of its own: the combined build reads every
		// source, and the source's next ticks must not wait for it.
		s.combineWG.Go(func() { s.combine(j.cfg) })
	}
	s.log.Info("run done", "source", j.name, "run_id", res.RunID, "outcome", res.Outcome, "version", res.Version,
		"entities", res.Entities, "added", res.Delta.Added, "removed", res.Delta.Removed, "changed", res.Delta.Changed,
		"seconds", res.Duration.Seconds())
}

// combine brings the combined dataset up to date after a source
// published. Builds never overlap: a publication during a build makes the
// build run once more when it ends, so that no version is left out.
func (s *Scheduler) combine(cfg pipeline.Config) {
	s.combineMu.Lock()
	if s.combining {
		s.combineAgain = true
		s.combineMu.Unlock()
		return
	}
	s.combining = true
	for {
		s.combineAgain = false
		s.combineMu.Unlock()
		names := make([]string, 0, len(s.jobs))
		for _, j := range s.jobs {
			names = append(names, j.name)
		}
		res, ok := pipeline.RunCombined(s.runCtx, cfg, names)
		if ok {
			if res.Outcome != pipeline.Skipped {
				src := combine.New(combine.Config{Store: cfg.Store, Sources: names})
				if err := pipeline.UpdateIndex(context.WithoutCancel(s.runCtx), cfg, []sources.Source{src}); err != nil {
					s.log.Error("update index.json", "source", combine.Name, "err", err)
				}
			}
			s.metrics.observe(res)
			s.log.Info("combined dataset", "outcome", res.Outcome, "version", res.Version, "entities", res.Entities,
				"added", res.Delta.Added, "removed", res.Delta.Removed, "changed", res.Delta.Changed, "err", res.Err)
		}
		s.combineMu.Lock()
		if !s.combineAgain {
			break
		}
	}
	s.combining = false
	s.combineMu.Unlock()
}

// skipped counts a tick that came while the source's previous run was
// still going (cron's SkipIfStillRunning dropped it).
func (s *Scheduler) skipped(j *job) {
	s.metrics.skippedTicks.WithLabelValues(j.name).Inc()
	j.mu.Lock()
	j.status.SkippedTicks++
	j.mu.Unlock()
}

// refresh reads the source's state and latest version from the store:
// another scheduler or a CronJob may have run it.
func (s *Scheduler) refresh(ctx context.Context, j *job) {
	stored, err := pipeline.ReadStored(ctx, j.cfg.Store, j.name)
	j.mu.Lock()
	defer j.mu.Unlock()
	if err != nil {
		j.status.StoreError = err.Error()
		s.log.Warn("read source status from the store", "source", j.name, "err", err)
		return
	}
	j.status.StoreError = ""
	st := stored.State
	j.status.LastCheck = parseTime(st.CheckedAt)
	j.status.LastSuccess = parseTime(st.LastSuccessAt)
	j.status.Outcome = st.Outcome
	j.status.Error = st.Error
	j.status.LatestVersion = stored.Latest.Version
	if stored.Latest.Version != "" {
		j.status.Entities = stored.Manifest.EntityCount
	}
	if j.status.LastSuccess != nil {
		s.metrics.lastSuccess.WithLabelValues(j.name).Set(float64(j.status.LastSuccess.Unix()))
	}
	if j.status.LastCheck != nil {
		s.metrics.lastCheck.WithLabelValues(j.name).Set(float64(j.status.LastCheck.Unix()))
	}
	if stored.Latest.Version != "" {
		s.metrics.entities.WithLabelValues(j.name).Set(float64(stored.Manifest.EntityCount))
	}
}

func (s *Scheduler) notify(j *job, res pipeline.Result) {
	if s.cfg.Webhook == nil {
		return
	}
	e := notify.FromResult(res, s.cfg.ReportURL)
	if !e.Worth() {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.runCtx), time.Minute)
	defer cancel()
	if err := s.cfg.Webhook.Send(ctx, e); err != nil {
		s.metrics.notifyFailures.Inc()
		s.log.Error("notify", "source", j.name, "run_id", res.RunID, "err", err)
	}
}

func parseTime(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil
	}
	return &t
}

// cronLogger carries robfig/cron's log lines into slog. Its chatter
// (wake, run, schedule) goes to debug; a skipped tick is counted.
type cronLogger struct {
	log    *slog.Logger
	onSkip func()
}

func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		if l.onSkip != nil {
			l.onSkip()
		}
		l.log.Info("tick skipped: the previous run of this source is still going")
		return
	}
	l.log.Debug("cron "+msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron "+msg, append(kv, "err", err)...)
}

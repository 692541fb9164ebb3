package main

import (
	"fmt"
	"io"
	"net"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/schedules"
)

// scheduleFlags are run's flags plus the scheduler's own.
type scheduleFlags struct {
	runFlags
	listen          string
	runOnStart      bool
	shutdownTimeout time.Duration
	staleAfter      int
	check           bool
	schedules       []string
}

func newScheduleCmd(set *settings) *cobra.Command {
	f := scheduleFlags{runFlags: runFlags{set: set}}
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Run the sources on their cron schedules until stopped, serving health, status and metrics",
		Long: `schedule is the long-running scheduler: each source runs on its cron spec (UTC;
defaults follow each publisher's cadence, see ` + "`sanctions-etl sources`" + `), a tick that comes
while the source's previous run is still going is skipped, and a lease object per
source in the store keeps other schedulers and CronJobs sharing the store from
running it at the same time. SIGTERM or SIGINT stops new runs and lets running
ones finish within --shutdown-timeout; the exit status is then 0.

HTTP on --listen: /healthz, /readyz (503 while a source is stale: no successful
check for --stale-after of its intervals), /status (JSON) and /metrics (Prometheus).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := f
			if !f.check {
				tmp, err := openScratch(f.tempDir)
				if err != nil {
					return fmt.Errorf("%s: %w", f.set.key("temp-dir"), err)
				}
				defer tmp.Remove()
				f.tempDir = tmp.Path()
			}
			sched, err := f.scheduler(cmd)
			if err != nil {
				return err
			}
			if f.check {
				printSchedule(cmd.OutOrStdout(), sched)
				return nil
			}
			return sched.Run(cmd.Context())
		},
	}
	f.runFlags.register(cmd)
	fs := cmd.Flags()
	fs.StringVar(&f.listen, "listen", "127.0.0.1:9090", `address for /healthz, /readyz, /status and /metrics (":9090" for every interface; "" for none)`)
	fs.BoolVar(&f.runOnStart, "run-on-start", false, "run every source once at start, then on schedule")
	fs.DurationVar(&f.shutdownTimeout, "shutdown-timeout", schedules.DefaultShutdownTimeout, "on SIGTERM/SIGINT, how long running sources may take to finish before they are cancelled (nothing half-published either way)")
	fs.IntVar(&f.staleAfter, "stale-after", schedules.DefaultStaleAfter, "intervals without a successful check after which a source is stale")
	fs.StringArrayVar(&f.schedules, "schedule", nil, `a source's cron spec, SOURCE=SPEC (repeatable), e.g. "un_sc=0 */4 * * *" or "gb_fcdo=@every 2h"`)
	fs.BoolVar(&f.check, "check", false, "check the configuration, print each source's schedule and next runs, and exit")
	return cmd
}

func (f scheduleFlags) scheduler(cmd *cobra.Command) (*schedules.Scheduler, error) {
	k := f.set.key
	if f.listen != "" {
		if _, _, err := net.SplitHostPort(f.listen); err != nil {
			return nil, fmt.Errorf("%s %q: %w", k("listen"), f.listen, err)
		}
	}
	if f.shutdownTimeout <= 0 {
		return nil, fmt.Errorf("%s %v: want a positive duration", k("shutdown-timeout"), f.shutdownTimeout)
	}
	if f.staleAfter < 1 {
		return nil, fmt.Errorf("%s %d: want 1 or more", k("stale-after"), f.staleAfter)
	}
	if f.leaseTTL == 0 {
		return nil, fmt.Errorf("%s 0: the scheduler needs leases (it may share the store with others)", k("lease-ttl"))
	}
	hook, err := f.webhook()
	if err != nil {
		return nil, err
	}
	// Check every spec before anything touches the network or the store.
	for _, ss := range f.set.sources {
		if ss.Schedule == "" {
			continue
		}
		if _, err := schedules.ParseSpec(ss.Schedule); err != nil {
			return nil, fmt.Errorf("%s: %w", ss.scheduleKey, err)
		}
	}
	plan, _, err := f.plan(cmd.Context())
	if err != nil {
		return nil, err
	}
	cfg := schedules.Config{
		Listen: f.listen, RunOnStart: f.runOnStart, ShutdownTimeout: f.shutdownTimeout,
		StaleAfter: f.staleAfter, Webhook: hook, ReportURL: f.reportURL,
		Version: version,
	}
	for _, p := range plan {
		// A source that cannot be fetched would fail every tick and turn
		// stale: refuse it now (eu_fsf without its token).
		if info := p.src.Info(); !p.cfg.Fetcher.Local() && len(info.Formats) > 0 {
			for _, file := range info.Formats[0].Files {
				if file.URL == "" {
					return nil, fmt.Errorf("%s: no URL for %s: give its token (eu_token, $SANCTIONS_ETL_EU_TOKEN or --eu-token), a from folder (sources.%s.from) or mirror URLs (sources.%s.urls), or leave %s out of the sources block",
						info.Name, file.Name, info.Name, info.Name, info.Name)
				}
			}
		}
		j := schedules.Job{Source: p.src, Pipeline: p.cfg}
		if ss := f.set.sources[p.src.Info().Name]; ss != nil {
			j.Spec = ss.Schedule
		}
		cfg.Jobs = append(cfg.Jobs, j)
	}
	return schedules.New(cfg)
}

// printSchedule prints each source's spec and its next three runs.
func printSchedule(w io.Writer, s *schedules.Scheduler) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSCHEDULE\tNEXT RUNS (UTC)")
	now := time.Now()
	for _, j := range s.Plan() {
		var next []string
		t := now
		for range 3 {
			t = j.Schedule.Next(t)
			next = append(next, t.UTC().Format("2006-01-02 15:04:05"))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", j.Source, j.Spec, strings.Join(next, ", "))
	}
	tw.Flush()
}

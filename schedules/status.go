package schedules

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
)

// SourceStatus is one source in /status. The check and version fields come
// from the store's state.json and latest.json, so every scheduler sharing
// a store reports the same; Running, Runs, SkippedTicks and LastRun are
// this process's own.
type SourceStatus struct {
	Source          string     `json:"source"`
	Schedule        string     `json:"schedule"`
	IntervalSeconds float64    `json:"interval_seconds"`
	NextRun         *time.Time `json:"next_run,omitempty"`
	Running         bool       `json:"running"`
	RunID           string     `json:"run_id,omitempty"` // of the running or last run here

	LastCheck     *time.Time       `json:"last_check"`
	LastSuccess   *time.Time       `json:"last_success"`
	Outcome       pipeline.Outcome `json:"outcome,omitempty"` // of the last check, by anyone
	Error         string           `json:"error,omitempty"`   // of the last check, when it failed
	LatestVersion string           `json:"latest_version,omitempty"`
	Entities      int              `json:"entities"`

	// Stale: no successful check for StaleAfterSeconds (its intervals
	// times the configured count); StalenessSeconds is the time since the
	// last success (or since this scheduler started, for a source that
	// never succeeded).
	Stale             bool    `json:"stale"`
	StalenessSeconds  float64 `json:"staleness_seconds"`
	StaleAfterSeconds float64 `json:"stale_after_seconds"`

	Runs         map[pipeline.Outcome]int `json:"runs"`
	SkippedTicks int                      `json:"skipped_ticks"`
	LastRun      *RunSummary              `json:"last_run,omitempty"`
	RecentRuns   []RunSummary             `json:"recent_runs,omitempty"` // this process's, oldest first
	StoreError   string                   `json:"store_error,omitempty"`
}

// RunSummary is this process's last run of a source.
type RunSummary struct {
	RunID     string           `json:"run_id"`
	Due       *time.Time       `json:"due,omitempty"`
	Outcome   pipeline.Outcome `json:"outcome"`
	StartedAt time.Time        `json:"started_at"`
	Seconds   float64          `json:"seconds"`
	Version   string           `json:"version,omitempty"`
	Entities  int              `json:"entities"`
	Added     int              `json:"added"`
	Removed   int              `json:"removed"`
	Changed   int              `json:"changed"`
	Issues    int              `json:"issues"`
	Error     string           `json:"error,omitempty"`
}

// Status is the /status document.
type Status struct {
	Version   string         `json:"version"`
	StartedAt time.Time      `json:"started_at"`
	Ready     bool           `json:"ready"`
	Sources   []SourceStatus `json:"sources"`
}

// Status reports every source as of now.
func (s *Scheduler) Status() Status {
	now := time.Now().UTC()
	out := Status{Version: s.cfg.Version, StartedAt: s.started, Ready: true}
	for _, j := range s.jobs {
		st := s.sourceStatus(j, now)
		if st.Stale {
			out.Ready = false
		}
		out.Sources = append(out.Sources, st)
	}
	return out
}

func (s *Scheduler) sourceStatus(j *job, now time.Time) SourceStatus {
	j.mu.Lock()
	st := j.status
	st.Runs = make(map[pipeline.Outcome]int, len(j.status.Runs))
	for k, v := range j.status.Runs {
		st.Runs[k] = v
	}
	st.RecentRuns = slices.Clone(j.status.RecentRuns)
	j.mu.Unlock()
	interval := Interval(j.schedule, now)
	next := j.schedule.Next(now)
	st.IntervalSeconds = interval.Seconds()
	st.NextRun = &next
	since := s.started
	if st.LastSuccess != nil {
		since = *st.LastSuccess
	}
	staleAfter := time.Duration(s.cfg.StaleAfter) * interval
	st.StalenessSeconds = now.Sub(since).Seconds()
	st.StaleAfterSeconds = staleAfter.Seconds()
	st.Stale = now.Sub(since) > staleAfter
	return st
}

// stale reports whether the source named is stale now (for the metric).
func (s *Scheduler) stale(j *job) bool {
	return s.sourceStatus(j, time.Now().UTC()).Stale
}

// Handler serves /healthz, /readyz, /status and /metrics.
func (s *Scheduler) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		var stale []string
		for _, st := range s.Status().Sources {
			if st.Stale {
				stale = append(stale, fmt.Sprintf("%s (no successful check for %s)", st.Source, time.Duration(st.StalenessSeconds*float64(time.Second)).Round(time.Second)))
			}
		}
		if len(stale) > 0 {
			http.Error(w, "stale: "+strings.Join(stale, ", "), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(s.Status())
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{Registry: s.metrics.reg}))
	return mux
}

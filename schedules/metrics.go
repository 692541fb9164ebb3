package schedules

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
)

// metrics are the scheduler's Prometheus series, on a registry of its own
// (no global state: two schedulers in one test process stay apart).
type metrics struct {
	reg *prometheus.Registry

	runs           *prometheus.CounterVec
	runSeconds     *prometheus.HistogramVec
	skippedTicks   *prometheus.CounterVec
	running        *prometheus.GaugeVec
	lastSuccess    *prometheus.GaugeVec
	lastCheck      *prometheus.GaugeVec
	entities       *prometheus.GaugeVec
	issues         *prometheus.GaugeVec
	delta          *prometheus.CounterVec
	fetchBytes     *prometheus.CounterVec
	fetchSeconds   *prometheus.HistogramVec
	publishSeconds *prometheus.HistogramVec
	notifyFailures prometheus.Counter
}

// Buckets from 50 ms (an unchanged check) to 20 min (a slow publisher).
var secondsBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200}

func newMetrics(s *Scheduler) *metrics {
	const ns = "sanctions_etl"
	src := []string{"source"}
	m := &metrics{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "runs_total",
			Help: "Runs by source and outcome (published, unchanged, failed, skipped: another holder had the lease or ran the due tick)."}, []string{"source", "outcome"}),
		runSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "run_duration_seconds",
			Help: "Wall time of a whole run.", Buckets: secondsBuckets}, src),
		skippedTicks: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "skipped_ticks_total",
			Help: "Ticks dropped because the source's previous run was still going."}, src),
		running: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "running",
			Help: "1 while this process runs the source."}, src),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "last_success_timestamp_seconds",
			Help: "Unix time of the last successful check (published or unchanged), by any process sharing the store."}, src),
		lastCheck: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "last_check_timestamp_seconds",
			Help: "Unix time of the last check, whatever its outcome, by any process sharing the store."}, src),
		entities: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "entities",
			Help: "Entities in the source's latest version."}, src),
		issues: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Name: "issues",
			Help: "Issues (skipped rows, unparsed fields, ...) reported by the last parse."}, src),
		delta: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "delta_entities_total",
			Help: "Entities added, removed or changed by published versions."}, []string{"source", "op"}),
		fetchBytes: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "fetch_bytes_total",
			Help: "Bytes of publication files fetched (0 for a 304 Not Modified)."}, src),
		fetchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "fetch_duration_seconds",
			Help: "Time to fetch a source's file set, retries included.", Buckets: secondsBuckets}, src),
		publishSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "publish_duration_seconds",
			Help: "Time to write a new version and move its pointers.", Buckets: secondsBuckets}, src),
		notifyFailures: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "notify_failures_total",
			Help: "Webhook messages that could not be delivered."}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "build_info",
		Help: "Always 1; the version label is the tool's.", ConstLabels: prometheus.Labels{"version": s.cfg.Version}})
	build.Set(1)
	m.reg.MustRegister(m.runs, m.runSeconds, m.skippedTicks, m.running, m.lastSuccess, m.lastCheck, m.entities,
		m.issues, m.delta, m.fetchBytes, m.fetchSeconds, m.publishSeconds, m.notifyFailures, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, j := range s.jobs {
		// Every series of a source exists from the start, so that a
		// source that never ran shows as zeros, not as missing.
		for _, o := range []pipeline.Outcome{pipeline.Published, pipeline.Unchanged, pipeline.Failed, pipeline.Skipped} {
			m.runs.WithLabelValues(j.name, string(o))
		}
		for _, op := range []string{"added", "removed", "changed"} {
			m.delta.WithLabelValues(j.name, op)
		}
		m.skippedTicks.WithLabelValues(j.name)
		m.running.WithLabelValues(j.name)
		m.fetchBytes.WithLabelValues(j.name)
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "source_stale",
			Help:        "1 when the source had no successful check for its stale-after count of intervals (it fails /readyz).",
			ConstLabels: prometheus.Labels{"source": j.name}}, func() float64 {
			if s.stale(j) {
				return 1
			}
			return 0
		}))
	}
	return m
}

// observe records one run's result.
func (m *metrics) observe(res pipeline.Result) {
	n := res.Source
	m.runs.WithLabelValues(n, string(res.Outcome)).Inc()
	if res.Outcome == pipeline.Skipped {
		return
	}
	m.runSeconds.WithLabelValues(n).Observe(res.Duration.Seconds())
	if res.Fetch > 0 {
		m.fetchSeconds.WithLabelValues(n).Observe(res.Fetch.Seconds())
		m.fetchBytes.WithLabelValues(n).Add(float64(res.FetchBytes))
	}
	if res.Outcome == pipeline.Published {
		m.publishSeconds.WithLabelValues(n).Observe(res.Upload.Seconds())
		m.delta.WithLabelValues(n, "added").Add(float64(res.Delta.Added))
		m.delta.WithLabelValues(n, "removed").Add(float64(res.Delta.Removed))
		m.delta.WithLabelValues(n, "changed").Add(float64(res.Delta.Changed))
		m.issues.WithLabelValues(n).Set(float64(res.Issues))
	}
}

package schedules_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/schedules"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// The scheduler on a one-second spec against real UN publications served
// over HTTP: versions appear as the publication changes, a tick that
// comes during a long run is skipped, /status and /metrics say so, and a
// stop (SIGTERM in main) during a run lets that run finish its version and
// starts no other.
func TestSchedulerOnRealPublications(t *testing.T) {
	st, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pub := newPublisher(t)
	pub.set(unPath, realFile(t, "un_sc/2018-06-07/consolidated.xml.gz"))
	hook, messages := webhook(t)
	s := start(t, schedules.Config{
		Jobs:            []schedules.Job{job(t, st, pub, unSource(pub), "* * * * * *", "test-a")},
		ShutdownTimeout: 20 * time.Second,
		Version:         "test",
		Webhook:         hook,
		ReportURL:       "https://lists.example.org/sanctions",
	})

	// A first version, then a second when the publication changes.
	waitFor(t, 10*time.Second, "a first version", func() bool { return s.status(t)["un_sc"].LatestVersion != "" })
	v1 := s.status(t)["un_sc"].LatestVersion
	checkConsistent(t, st, "un_sc")
	pub.set(unPath, realFile(t, "un_sc/2018-06-21/consolidated.xml.gz"))
	waitFor(t, 10*time.Second, "a second version", func() bool { return s.status(t)["un_sc"].LatestVersion != v1 })
	m := checkConsistent(t, st, "un_sc")
	if m.PreviousVersion == nil || *m.PreviousVersion != v1 || m.Delta.Added != 2 || m.Delta.Removed != 0 {
		t.Fatalf("second version: previous %v, delta %+v; want %s and exactly the 2 entries the UN added on 2018-06-21", m.PreviousVersion, m.Delta, v1)
	}
	v2 := m.Version
	// One message per version, none for unchanged checks.
	waitFor(t, 5*time.Second, "two webhook messages", func() bool { return len(messages()) >= 2 })
	msgs := messages()
	if len(msgs) != 2 || !strings.Contains(msgs[0], "first version") ||
		!strings.Contains(msgs[1], "+2 added, -0 removed, ~0 changed") ||
		!strings.Contains(msgs[1], "https://lists.example.org/sanctions/un_sc/"+v2+"/report.html") {
		t.Errorf("webhook messages: %q", msgs)
	}

	// Checks in between answer 304 and publish nothing.
	waitFor(t, 10*time.Second, "an unchanged check", func() bool { return s.status(t)["un_sc"].Runs[pipeline.Unchanged] > 0 })

	if got := s.metric(t, seriesName("sanctions_etl_source_stale", "un_sc")); got != 0 {
		t.Errorf("stale = %v while checks succeed every second", got)
	}

	// A run that takes longer than the interval: ticks are skipped.
	release := pub.holdRequests(unPath)
	defer release()
	waitFor(t, 10*time.Second, "a run held in its fetch", func() bool { return pub.holding(unPath) == 1 && s.status(t)["un_sc"].Running })
	before := s.status(t)["un_sc"].SkippedTicks
	waitFor(t, 10*time.Second, "two skipped ticks", func() bool { return s.status(t)["un_sc"].SkippedTicks >= before+2 })
	if got := s.metric(t, seriesName("sanctions_etl_skipped_ticks_total", "un_sc")); got < float64(before+2) {
		t.Errorf("/metrics skipped ticks %v, /status %d", got, before+2)
	}
	if got := s.metric(t, seriesName("sanctions_etl_running", "un_sc")); got != 1 {
		t.Errorf("/metrics running = %v during a run", got)
	}
	for series, want := range map[string]float64{
		seriesName("sanctions_etl_runs_total", "un_sc", "outcome", "published"): 2,
		seriesName("sanctions_etl_runs_total", "un_sc", "outcome", "failed"):    0,
		seriesName("sanctions_etl_entities", "un_sc"):                           float64(m.EntityCount),
		// A first version's delta is empty (DESIGN.md); the second added 2.
		seriesName("sanctions_etl_delta_entities_total", "un_sc", "op", "added"): 2,
		seriesName("sanctions_etl_publish_duration_seconds_count", "un_sc"):      2,
	} {
		if got := s.metric(t, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if got := s.metric(t, seriesName("sanctions_etl_fetch_bytes_total", "un_sc")); got < 2*7e5 {
		t.Errorf("fetch bytes %v: two real UN files are about 1.6 MB", got)
	}
	if got := s.metric(t, seriesName("sanctions_etl_last_success_timestamp_seconds", "un_sc")); time.Since(time.Unix(int64(got), 0)) > time.Minute {
		t.Errorf("last success timestamp %v is not recent", got)
	}

	// Stop during the held run, with a new publication waiting: the run
	// finishes and publishes it, Run returns nil, and no run starts after.
	pub.set(unPath, realFile(t, "un_sc/2018-08-24/consolidated.xml.gz"))
	reqsAtStop, _ := pub.stats(unPath)
	go func() {
		time.Sleep(700 * time.Millisecond)
		release()
	}()
	took, err := s.stop(t, 15*time.Second)
	if err != nil {
		t.Fatalf("Run after stop: %v", err)
	}
	if took < 500*time.Millisecond {
		t.Errorf("Run returned %v after the stop, before the running job ended", took)
	}
	m3 := checkConsistent(t, st, "un_sc")
	if m3.Version == v2 || *m3.PreviousVersion != v2 {
		t.Fatalf("the run going at the stop did not publish: latest %s (previous %v), want a version after %s", m3.Version, m3.PreviousVersion, v2)
	}
	// index.json lists the source and the combined dataset built after
	// each of its publications.
	var idx pipeline.Index
	entries := map[string]pipeline.IndexEntry{}
	if readJSON(t, st, layout.Index(), &idx) {
		for _, e := range idx.Sources {
			entries[e.Source] = e
		}
	}
	if un := entries["un_sc"]; len(entries) != 2 || un.LatestVersion != m3.Version || un.LastCheckedAt == "" || entries["combined"].EntityCount != m3.EntityCount {
		t.Errorf("index.json: %+v; want un_sc at %s with its last check, and the combined dataset of its %d entities", idx, m3.Version, m3.EntityCount)
	}
	time.Sleep(1500 * time.Millisecond)
	if reqs, maxIn := pub.stats(unPath); reqs != reqsAtStop || maxIn != 1 {
		t.Errorf("after the stop: %d requests (at the stop %d); at most %d at once (want 1)", reqs, reqsAtStop, maxIn)
	}
}

// A stop whose running job outlives the shutdown timeout cancels it: the
// run fails, latest stays the previous version, intact.
func TestShutdownTimeoutCancelsTheRunAndKeepsLatest(t *testing.T) {
	st, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pub := newPublisher(t)
	pub.set(unPath, realFile(t, "un_sc/2018-06-07/consolidated.xml.gz"))
	s := start(t, schedules.Config{
		Jobs:            []schedules.Job{job(t, st, pub, unSource(pub), "* * * * * *", "test-a")},
		ShutdownTimeout: 500 * time.Millisecond,
	})
	waitFor(t, 10*time.Second, "a first version", func() bool { return s.status(t)["un_sc"].LatestVersion != "" })
	v1 := checkConsistent(t, st, "un_sc").Version
	pub.set(unPath, realFile(t, "un_sc/2018-06-21/consolidated.xml.gz"))
	release := pub.holdRequests(unPath)
	defer release()
	waitFor(t, 10*time.Second, "a run held in its fetch", func() bool { return pub.holding(unPath) == 1 && s.status(t)["un_sc"].Running })
	took, err := s.stop(t, 10*time.Second)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if took < 500*time.Millisecond || took > 10*time.Second {
		t.Errorf("Run returned %v after the stop; want the 500ms timeout plus the cancelled run's wind-down", took)
	}
	if got := checkConsistent(t, st, "un_sc").Version; got != v1 {
		t.Fatalf("latest moved to %s, want %s", got, v1)
	}
	var state pipeline.State
	readJSON(t, st, layout.State("un_sc"), &state)
	if state.Outcome != pipeline.Failed || state.LatestVersion != v1 {
		t.Fatalf("state.json: %+v; want the cancelled run recorded as failed, latest %s", state, v1)
	}
}

// A publisher that stops answering: its source keeps its last version and
// turns stale in /status, /readyz and /metrics, while the other source
// keeps running on time.
func TestDownPublisherGoesStaleWithoutDelayingOthers(t *testing.T) {
	st, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pub := newPublisher(t)
	pub.set(unPath, realFile(t, "un_sc/2018-06-07/consolidated.xml.gz"))
	pub.set(consPath, realFile(t, "us_ofac_cons/2020-03-17/consolidated.xml.gz"))
	consJob := job(t, st, pub, consSource(pub), "* * * * * *", "test-a")
	// A hung publisher costs each attempt this client timeout.
	consJob.Pipeline.Fetcher = fetch.NewHTTP(fetch.HTTPConfig{Timeout: 3 * time.Second, TempDir: t.TempDir()})
	s := start(t, schedules.Config{
		Jobs: []schedules.Job{job(t, st, pub, unSource(pub), "* * * * * *", "test-a"), consJob},
	})
	waitFor(t, 15*time.Second, "first versions", func() bool {
		ss := s.status(t)
		return ss["un_sc"].LatestVersion != "" && ss["us_ofac_cons"].LatestVersion != ""
	})
	consV := checkConsistent(t, st, "us_ofac_cons").Version
	if code, body := s.get(t, "/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz %d %s with both sources fresh", code, body)
	}

	// OFAC hangs: each attempt waits for the 3s client timeout.
	pub.setDown(consPath, -1)
	downAt := time.Now()
	unBefore := s.status(t)["un_sc"].LastCheck
	waitFor(t, 15*time.Second, "us_ofac_cons to turn stale", func() bool { return s.status(t)["us_ofac_cons"].Stale })
	ss := s.status(t)
	cons, unst := ss["us_ofac_cons"], ss["un_sc"]
	if cons.LatestVersion != consV || cons.StalenessSeconds < 3 {
		t.Errorf("us_ofac_cons: %+v; want latest %s kept and over 3 intervals without success", cons, consV)
	}
	if unst.Stale || unst.LastCheck == nil || !unst.LastCheck.After(*unBefore) {
		t.Errorf("un_sc: %+v; want fresh, checked after the outage began", unst)
	}
	// un_sc kept its one-second ticks through the outage: a gap as long
	// as the 3s client timeout would mean it waited for us_ofac_cons.
	var unDuring []time.Time
	for _, r := range unst.RecentRuns {
		if r.StartedAt.After(downAt) {
			unDuring = append(unDuring, r.StartedAt)
		}
	}
	if outage := time.Since(downAt); len(unDuring) < int(outage.Seconds()/2) {
		t.Errorf("un_sc ran %d times in %v of outage on a 1s spec", len(unDuring), outage.Round(time.Millisecond))
	}
	for i := 1; i < len(unDuring); i++ {
		if gap := unDuring[i].Sub(unDuring[i-1]); gap > 2500*time.Millisecond {
			t.Errorf("un_sc waited %v between runs during the outage", gap.Round(time.Millisecond))
		}
	}
	code, body := s.get(t, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(string(body), "us_ofac_cons") || strings.Contains(string(body), "un_sc") {
		t.Errorf("/readyz %d %q; want 503 naming us_ofac_cons only", code, body)
	}
	if got := s.metric(t, seriesName("sanctions_etl_source_stale", "us_ofac_cons")); got != 1 {
		t.Errorf("stale metric %v", got)
	}
	if got := s.metric(t, seriesName("sanctions_etl_source_stale", "un_sc")); got != 0 {
		t.Errorf("un_sc stale metric %v", got)
	}
	if got := checkConsistent(t, st, "us_ofac_cons").Version; got != consV {
		t.Errorf("us_ofac_cons latest moved to %s during the outage", got)
	}

	// The publisher answers again: the source recovers.
	pub.setDown(consPath, 0)
	waitFor(t, 15*time.Second, "us_ofac_cons to recover", func() bool { return !s.status(t)["us_ofac_cons"].Stale })
	if code, body := s.get(t, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz %d %s after recovery", code, body)
	}
	if c := s.status(t)["us_ofac_cons"]; c.Runs[pipeline.Failed] == 0 || !slices.ContainsFunc(c.RecentRuns, func(r schedules.RunSummary) bool {
		return r.Outcome == pipeline.Failed && strings.Contains(r.Error, "CONSOLIDATED.XML")
	}) {
		t.Errorf("no failed run naming the file in /status: %+v", c)
	}
}

// A scheduler that cannot serve its endpoints does not start: nobody
// could see it.
func TestListenFailureStopsTheStart(t *testing.T) {
	st, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pub := newPublisher(t)
	first := start(t, schedules.Config{Jobs: []schedules.Job{job(t, st, pub, unSource(pub), "@hourly", "a")}})
	s, err := schedules.New(schedules.Config{Listen: first.Addr().String(), Logger: testLogger(t),
		Jobs: []schedules.Job{job(t, st, pub, unSource(pub), "@hourly", "b")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(t.Context()); err == nil || !strings.Contains(err.Error(), first.Addr().String()) {
		t.Fatalf("Run on a taken address: %v", err)
	}
	if reqs, _ := pub.stats(unPath); reqs != 0 {
		t.Errorf("%d requests from a scheduler that did not start", reqs)
	}
}

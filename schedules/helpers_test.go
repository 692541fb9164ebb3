package schedules_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/schedules"
	"github.com/sanctions-etl/sanctions-etl/schedules/notify"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// Paths the publisher serves the real publications under.
const (
	unPath   = "/un/consolidated.xml"
	consPath = "/ofac/CONSOLIDATED.XML"
)

// realFile reads a gzipped real publication from testdata.
func realFile(t testing.TB, rel string) []byte {
	t.Helper()
	return sourcetest.Gunzip(t, filepath.Join("..", "testdata", rel))
}

// publisher is a local HTTP server standing in for the publishers: it
// serves real files with ETags (so conditional GETs answer 304), and can
// hold requests, hang, or answer 503 on demand. It records how many
// requests for each path were in flight at once.
type publisher struct {
	*httptest.Server

	mu       sync.Mutex
	files    map[string][]byte
	hold     map[string]chan struct{} // requests wait until it is closed
	down     map[string]int           // answer this status (0: serve)
	inflight map[string]int
	held     map[string]int // requests waiting on hold now
	maxIn    map[string]int
	requests map[string]int
}

func newPublisher(t testing.TB) *publisher {
	p := &publisher{
		files: map[string][]byte{}, hold: map[string]chan struct{}{}, down: map[string]int{},
		inflight: map[string]int{}, held: map[string]int{}, maxIn: map[string]int{}, requests: map[string]int{},
	}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() {
		p.mu.Lock()
		for k, ch := range p.hold {
			close(ch)
			delete(p.hold, k)
		}
		p.mu.Unlock()
		p.Close()
	})
	return p
}

func (p *publisher) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	name := r.URL.Path
	p.requests[name]++
	p.inflight[name]++
	p.maxIn[name] = max(p.maxIn[name], p.inflight[name])
	hold := p.hold[name]
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		p.inflight[name]--
		p.mu.Unlock()
	}()
	if hold != nil {
		p.mu.Lock()
		p.held[name]++
		p.mu.Unlock()
		select {
		case <-hold:
		case <-r.Context().Done():
		}
		p.mu.Lock()
		p.held[name]--
		p.mu.Unlock()
		if r.Context().Err() != nil {
			return
		}
	}
	p.mu.Lock()
	body, ok := p.files[name]
	status := p.down[name]
	p.mu.Unlock()
	switch {
	case status == -1: // hang until the client gives up
		<-r.Context().Done()
		return
	case status != 0:
		http.Error(w, "Service Unavailable", status)
		return
	case !ok:
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(body)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	w.Header().Set("Content-Type", "application/xml")
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(body))
}

func (p *publisher) set(name string, body []byte) {
	p.mu.Lock()
	p.files[name] = body
	p.mu.Unlock()
}

func (p *publisher) setDown(name string, status int) {
	p.mu.Lock()
	p.down[name] = status
	p.mu.Unlock()
}

// holdRequests makes requests for name wait; the returned func lets them go.
func (p *publisher) holdRequests(name string) (release func()) {
	ch := make(chan struct{})
	p.mu.Lock()
	p.hold[name] = ch
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			delete(p.hold, name)
			p.mu.Unlock()
			close(ch)
		})
	}
}

// holding reports how many requests for name wait on a hold now.
func (p *publisher) holding(name string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held[name]
}

func (p *publisher) stats(name string) (requests, maxInflight int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests[name], p.maxIn[name]
}

// job builds the scheduler job of one source fetching from the publisher;
// an HTTP attempt may take 30s (held requests must outlive the holds).
func job(t testing.TB, st sink.Store, pub *publisher, src sources.Source, spec, holder string) schedules.Job {
	return schedules.Job{
		Source: src,
		Spec:   spec,
		Pipeline: pipeline.Config{
			Store:    st,
			Fetcher:  fetch.NewHTTP(fetch.HTTPConfig{Timeout: 30 * time.Second, TempDir: t.TempDir()}),
			TempDir:  t.TempDir(),
			LeaseTTL: 5 * time.Second,
			Holder:   holder,
			Logger:   testLogger(t),
		},
	}
}

func unSource(pub *publisher) sources.Source {
	return un.New(un.Config{URL: pub.URL + unPath})
}

func consSource(pub *publisher) sources.Source {
	// The legacy XML: the tests replay several of its real dates.
	return ofac.NewConsolidated(ofac.Config{Formats: []string{"xml"}, URLs: map[string]string{"CONSOLIDATED.XML": pub.URL + consPath}})
}

// webhook is a Slack-compatible endpoint recording the texts it gets.
func webhook(t testing.TB) (*notify.Webhook, func() []string) {
	var mu sync.Mutex
	var texts []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct{ Text string }
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Errorf("webhook body: %v", err)
		}
		mu.Lock()
		texts = append(texts, m.Text)
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	hook, err := notify.New(srv.URL+"/hooks/secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	return hook, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(texts)
	}
}

// testLogger logs to the test's output when -v is given.
func testLogger(t testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// running is a scheduler started in the background.
type running struct {
	*schedules.Scheduler
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, cfg schedules.Config) *running {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	s, err := schedules.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Scheduler: s, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	select {
	case <-s.Started():
	case err := <-r.done:
		t.Fatalf("scheduler stopped at start: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(30 * time.Second):
			t.Error("scheduler did not stop within 30s")
		}
	})
	return r
}

// stop cancels the scheduler's context, as SIGTERM does in main, and
// returns Run's error and how long it took.
func (r *running) stop(t *testing.T, within time.Duration) (time.Duration, error) {
	t.Helper()
	begin := time.Now()
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return time.Since(begin), err
	case <-time.After(within):
		t.Fatalf("Run did not return within %v of the stop", within)
		return 0, nil
	}
}

func (r *running) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get("http://" + r.Addr().String() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// status reads /status over HTTP.
func (r *running) status(t *testing.T) map[string]schedules.SourceStatus {
	t.Helper()
	code, b := r.get(t, "/status")
	if code != http.StatusOK {
		t.Fatalf("/status: %d %s", code, b)
	}
	var st schedules.Status
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("/status: %v\n%s", err, b)
	}
	out := map[string]schedules.SourceStatus{}
	for _, s := range st.Sources {
		out[s.Source] = s
	}
	return out
}

// metric reads one series' value from /metrics; -1 when absent.
func (r *running) metric(t *testing.T, series string) float64 {
	t.Helper()
	code, b := r.get(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindSubmatch(b)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitFor polls cond every 50ms until it holds or the time is up.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readJSON reads a JSON object from the store.
func readJSON(t testing.TB, st sink.Store, key string, v any) bool {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key)
	if st.IsNotExist(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := json.NewDecoder(rc).Decode(v); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return true
}

// checkConsistent checks what a reader following latest.json sees: the
// manifest exists, every output it lists has its recorded digest, and
// versions.json starts with latest. It returns latest's manifest.
func checkConsistent(t *testing.T, st sink.Store, source string) pipeline.Manifest {
	t.Helper()
	var latest pipeline.Latest
	if !readJSON(t, st, layout.Latest(source), &latest) {
		t.Fatalf("%s: no latest.json", source)
	}
	var m pipeline.Manifest
	if !readJSON(t, st, path.Join(source, latest.Manifest), &m) {
		t.Fatalf("%s: latest names %s, which is missing", source, latest.Manifest)
	}
	if m.Version != latest.Version {
		t.Fatalf("%s: latest %s, manifest %s", source, latest.Version, m.Version)
	}
	for _, o := range m.Outputs {
		rc, _, err := st.Get(context.Background(), path.Join(source, latest.Version, o.Name))
		if err != nil {
			t.Fatalf("%s: output %s of latest: %v", source, o.Name, err)
		}
		h := sha256.New()
		n, err := io.Copy(h, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != o.SHA256 || n != o.Bytes {
			t.Fatalf("%s: output %s: sha256 %s (%d bytes), manifest says %s (%d)", source, o.Name, got, n, o.SHA256, o.Bytes)
		}
	}
	var versions []pipeline.VersionEntry
	if !readJSON(t, st, layout.Versions(source), &versions) || len(versions) == 0 || versions[0].Version != latest.Version {
		t.Fatalf("%s: versions.json does not start with latest %s: %+v", source, latest.Version, versions)
	}
	return m
}

func seriesName(name, source string, labels ...string) string {
	s := name + "{"
	for i := 0; i+1 < len(labels); i += 2 {
		s += fmt.Sprintf("%s=%q,", labels[i], labels[i+1])
	}
	return s + fmt.Sprintf("source=%q}", source)
}

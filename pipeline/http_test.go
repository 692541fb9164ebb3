package pipeline_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// publisher serves real publication bytes on 127.0.0.1 like the official
// server: ETag and Last-Modified, conditional GET, and scripted failures.
type publisher struct {
	mu       sync.Mutex
	files    map[string][]byte
	modified time.Time
	fail     []int // statuses to answer before serving, consumed in order
	requests []string
}

func (p *publisher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.requests = append(p.requests, r.Method+" "+r.URL.Path+" "+r.Header.Get("If-None-Match"))
	var status int
	if len(p.fail) > 0 {
		status, p.fail = p.fail[0], p.fail[1:]
	}
	data, ok := p.files[strings.TrimPrefix(r.URL.Path, "/")]
	p.mu.Unlock()
	if fetch.CheckUserAgent(r.UserAgent()) != nil { // as OFAC's firewall
		http.Error(w, "user agent refused", http.StatusForbidden)
		return
	}
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", `"`+sha(data)+`"`)
	http.ServeContent(w, r, r.URL.Path, p.modified, bytes.NewReader(data))
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func serve(t *testing.T, p *publisher) (sources.Source, fetch.Fetcher) {
	t.Helper()
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	src, err := all.Select(all.Registry(all.Config{URLs: map[string]map[string]string{
		"us_ofac_cons": {"CONS_ADVANCED.XML": srv.URL + "/CONS_ADVANCED.XML"},
	}}), []string{"us_ofac_cons"})
	if err != nil {
		t.Fatal(err)
	}
	f := fetch.WithRetry(fetch.NewHTTP(fetch.HTTPConfig{TempDir: t.TempDir()}),
		fetch.RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: 5 * time.Millisecond, MaxElapsed: 5 * time.Second})
	return src[0], f
}

func TestHTTPConditionalRetryAndRefusal(t *testing.T) {
	// Over the network only the preferred format is fetched: the advanced
	// XML.
	xml := readGz(t, filepath.Join(testdata, "us_ofac_cons", "2020-03-17", "cons_advanced.xml.gz"))
	p := &publisher{files: map[string][]byte{"CONS_ADVANCED.XML": xml}, modified: time.Date(2020, 3, 17, 12, 0, 0, 0, time.UTC)}
	src, f := serve(t, p)
	st := newStore(t)
	c := newClock()
	cfg := config(st, f, c)

	// 503 then 200: retried, published.
	p.fail = []int{http.StatusServiceUnavailable}
	first := pipeline.Run(context.Background(), cfg, src)
	if first.Err != nil || first.Outcome != pipeline.Published || first.Entities != 375 {
		t.Fatalf("first run: %s %d %v", first.Outcome, first.Entities, first.Err)
	}
	if n := len(p.requests); n != 2 {
		t.Fatalf("%d requests, want 2 (503, then 200): %v", n, p.requests)
	}
	m := manifest(t, st, "us_ofac_cons", first.Version)
	if m.Files[0].SHA256 != sha(xml) || m.Files[0].Bytes != int64(len(xml)) || !strings.HasPrefix(m.Files[0].URL, "http://127.0.0.1") {
		t.Fatalf("file record %+v", m.Files[0])
	}

	// Same publication: the conditional GET answers 304, nothing published.
	second := pipeline.Run(context.Background(), cfg, src)
	if second.Err != nil || second.Outcome != pipeline.Unchanged || second.Version != first.Version {
		t.Fatalf("second run: %s %s %v", second.Outcome, second.Version, second.Err)
	}
	if second.Entities != first.Entities || first.Entities == 0 {
		t.Fatalf("unchanged run reports %d entities, the version it kept has %d", second.Entities, first.Entities)
	}
	if last := p.requests[len(p.requests)-1]; !strings.Contains(last, `"`) {
		t.Fatalf("second request was not conditional: %q", last)
	}
	if vs := versionsOf(t, st, "us_ofac_cons"); len(vs) != 1 {
		t.Fatalf("%d versions", len(vs))
	}

	// 403: reported with its status, not retried, latest stays.
	p.fail = []int{http.StatusForbidden}
	before := len(p.requests)
	third := pipeline.Run(context.Background(), cfg, src)
	if third.Outcome != pipeline.Failed || !strings.Contains(third.Err.Error(), "403") {
		t.Fatalf("403 run: %s %v", third.Outcome, third.Err)
	}
	if n := len(p.requests) - before; n != 1 {
		t.Fatalf("403 was tried %d times", n)
	}
	if v := latestVersion(t, st, "us_ofac_cons"); v != first.Version {
		t.Fatalf("latest moved to %s", v)
	}
}

// The EU token travels in the URL's query: it never reaches the manifest.
func TestTokenRedactedFromManifest(t *testing.T) {
	const token = "dG9rZW4tc2VjcmV0LWZvci10ZXN0"
	xml, err := os.ReadFile(filepath.Join(testdata, "eu_fsf", "excerpt-2026-08-05", "xmlFullSanctionsList_1_1.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != token {
			http.Error(w, "bad token", http.StatusForbidden)
			return
		}
		w.Write(xml)
	}))
	defer srv.Close()
	srcs, err := all.Select(all.Registry(all.Config{EUToken: token, URLs: map[string]map[string]string{
		"eu_fsf": {"xmlFullSanctionsList_1_1.xml": srv.URL + "/files/xmlFullSanctionsList_1_1/content?token=" + token},
	}}), []string{"eu_fsf"})
	if err != nil {
		t.Fatal(err)
	}
	st := newStore(t)
	f := fetch.NewHTTP(fetch.HTTPConfig{TempDir: t.TempDir(), Redact: eu.RedactURL})
	res := pipeline.Run(context.Background(), config(st, f, newClock()), srcs[0])
	if res.Err != nil || res.Entities != 4 {
		t.Fatalf("%s %d %v", res.Outcome, res.Entities, res.Err)
	}
	var found bool
	st.List(context.Background(), "", func(i sink.Info) error {
		rc, _, err := st.Get(context.Background(), i.Key)
		if err != nil {
			return err
		}
		defer rc.Close()
		b, _ := io.ReadAll(rc)
		if strings.Contains(string(b), token) {
			t.Errorf("%s holds the token", i.Key)
		}
		found = found || strings.Contains(string(b), "token=REDACTED")
		return nil
	})
	if !found {
		t.Error("no object records the redacted URL")
	}
}

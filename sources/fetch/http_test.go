package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var modTime = time.Date(2021, 7, 7, 14, 3, 0, 0, time.UTC)

// serveContent serves data with http.ServeContent, which answers
// conditional requests (If-None-Match with etag, If-Modified-Since with
// modTime) and sets Content-Length.
func serveContent(data []byte, etag string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "", modTime, bytes.NewReader(data))
	}
}

// serveChunked serves data without Content-Length.
func serveChunked(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for chunk := range slices(data, 4096) {
			w.Write(chunk)
			w.(http.Flusher).Flush()
		}
	}
}

// serveGzipped serves gz, a gzip file, as Content-Encoding: gzip, which the
// client decompresses transparently.
func serveGzipped(gz []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip only", http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(gz)))
		w.Write(gz)
	}
}

func slices(b []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			k := min(n, len(b))
			if !yield(b[:k]) {
				return
			}
			b = b[k:]
		}
	}
}

// server starts h on 127.0.0.1 and counts the requests it gets.
func server(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// sequence answers the i-th request with statuses[i] (the last one
// repeats); 200 serves data.
func sequence(data []byte, retryAfter string, statuses ...int) http.HandlerFunc {
	var i atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		code := statuses[min(int(i.Add(1))-1, len(statuses)-1)]
		if code == http.StatusOK {
			serveContent(data, "")(w, r)
			return
		}
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, "BODY-MUST-NOT-LEAK", code)
	}
}

func newHTTP(t *testing.T, cfg HTTPConfig) (*HTTP, string) {
	t.Helper()
	if cfg.TempDir == "" {
		cfg.TempDir = t.TempDir()
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return NewHTTP(cfg), cfg.TempDir
}

func TestHTTPFetch(t *testing.T) {
	xml := readFile(t, sdnXML)
	csv := gunzipFile(t, sdnCSVGz)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []byte
		etag    string
		lastMod string
	}{
		{"xml with validators", serveContent(xml, `"sdn-xml-1"`), xml, `"sdn-xml-1"`, modTime.Format(http.TimeFormat)},
		{"csv 2 MB", serveContent(csv, ""), csv, "", modTime.Format(http.TimeFormat)},
		{"chunked without Content-Length", serveChunked(csv), csv, "", ""},
		{"Content-Encoding gzip decompressed", serveGzipped(readFile(t, sdnCSVGz)), csv, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t, tt.handler)
			h, tmp := newHTTP(t, HTTPConfig{})
			f, err := h.Fetch(t.Context(), Spec{Name: "SDN.CSV", URL: srv.URL + "/sdn.csv"}, Validators{})
			if err != nil {
				t.Fatal(err)
			}
			checkFile(t, f, tt.want)
			if f.Status != http.StatusOK || f.Name != "SDN.CSV" || f.URL != srv.URL+"/sdn.csv" || !f.Temp() {
				t.Errorf("File = %+v", f)
			}
			if want := (Validators{ETag: tt.etag, LastModified: tt.lastMod}); f.Validators != want {
				t.Errorf("Validators = %+v, want %+v", f.Validators, want)
			}
			if got := entries(t, tmp); len(got) != 1 {
				t.Errorf("temp dir holds %v, want the one file", got)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			checkEmpty(t, tmp)
		})
	}
}

func TestHTTPUserAgent(t *testing.T) {
	tests := []struct {
		name, configured, want string
	}{
		{"default", "", DefaultUserAgent},
		{"configured", "Mozilla/5.0 (compatible; bank-screening/2; ops@example.org)", "Mozilla/5.0 (compatible; bank-screening/2; ops@example.org)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ua atomic.Value
			xml := readFile(t, sdnXML)
			srv, _ := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ua.Store(r.UserAgent())
				serveContent(xml, "")(w, r)
			}))
			h, _ := newHTTP(t, HTTPConfig{UserAgent: tt.configured})
			f, err := h.Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL}, Validators{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, _ := ua.Load().(string)
			if got != tt.want {
				t.Errorf("User-Agent = %q, want %q", got, tt.want)
			}
			if err := CheckUserAgent(got); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestHTTPConditional(t *testing.T) {
	xml := readFile(t, sdnXML)
	tests := []struct {
		name       string
		serverETag string
		sendETag   bool
		sendLM     bool
		wantHeader string // request header the second fetch must carry
	}{
		{"ETag", `"v1"`, true, false, "If-None-Match"},
		{"Last-Modified", "", false, true, "If-Modified-Since"},
		{"both", `"v1"`, true, true, "If-None-Match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var last http.Header
			srv, n := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				last = r.Header.Clone()
				mu.Unlock()
				serveContent(xml, tt.serverETag)(w, r)
			}))
			h, tmp := newHTTP(t, HTTPConfig{})
			spec := Spec{Name: "SDN.XML", URL: srv.URL + "/sdn.xml"}
			first, err := h.Fetch(t.Context(), spec, Validators{})
			if err != nil {
				t.Fatal(err)
			}
			checkFile(t, first, xml)
			first.Close()

			var prev Validators
			if tt.sendETag {
				prev.ETag = first.Validators.ETag
			}
			if tt.sendLM {
				prev.LastModified = first.Validators.LastModified
			}
			if prev.IsZero() {
				t.Fatalf("first fetch gave no validators: %+v", first.Validators)
			}
			second, err := h.Fetch(t.Context(), spec, prev)
			if err != nil {
				t.Fatal(err)
			}
			if !second.NotModified || second.Status != http.StatusNotModified || second.Path != "" || second.Temp() {
				t.Errorf("second fetch = %+v, want NotModified without a file", second)
			}
			if second.Validators != prev {
				t.Errorf("Validators = %+v, want %+v kept", second.Validators, prev)
			}
			mu.Lock()
			if last.Get(tt.wantHeader) == "" {
				t.Errorf("second request lacks %s: %v", tt.wantHeader, last)
			}
			mu.Unlock()
			if err := second.Close(); err != nil {
				t.Fatal(err)
			}
			if n.Load() != 2 {
				t.Errorf("%d requests, want 2", n.Load())
			}
			checkEmpty(t, tmp)
		})
	}
}

func TestHTTPStatus(t *testing.T) {
	xml := readFile(t, sdnXML)
	tests := []struct {
		name         string
		statuses     []int
		wantStatus   int // 0: success
		wantNotFound bool
		wantAttempts int32
	}{
		{"503 then 200", []int{503, 200}, 0, false, 2},
		{"500, 502 then 200", []int{500, 502, 200}, 0, false, 3},
		{"429 then 200", []int{429, 200}, 0, false, 2},
		{"500 every time", []int{500}, 500, false, int32(tight.MaxAttempts)},
		{"403 not retried", []int{403, 200}, 403, false, 1},
		{"401 not retried", []int{401, 200}, 401, false, 1},
		{"404 is ErrNotFound", []int{404, 200}, 404, true, 1},
		{"410 is ErrNotFound", []int{410, 200}, 410, true, 1},
		{"503 then 404", []int{503, 404}, 404, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, sequence(xml, "", tt.statuses...))
			h, tmp := newHTTP(t, HTTPConfig{})
			f, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL + "/sdn.xml"}, Validators{})
			if got := n.Load(); got != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", got, tt.wantAttempts)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatal(err)
				}
				checkFile(t, f, xml)
				f.Close()
				checkEmpty(t, tmp)
				return
			}
			if f != nil {
				t.Errorf("File %+v returned with an error", f)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Status != tt.wantStatus {
				t.Fatalf("err = %v, want a *StatusError %d", err, tt.wantStatus)
			}
			if !strings.Contains(err.Error(), strconv.Itoa(tt.wantStatus)) || !strings.Contains(err.Error(), "SDN.XML") {
				t.Errorf("error %q should name the status and the file", err)
			}
			if strings.Contains(err.Error(), "BODY-MUST-NOT-LEAK") {
				t.Errorf("error %q quotes the body", err)
			}
			if errors.Is(err, ErrNotFound) != tt.wantNotFound {
				t.Errorf("errors.Is(ErrNotFound) = %v, want %v", !tt.wantNotFound, tt.wantNotFound)
			}
			checkEmpty(t, tmp)
		})
	}
}

func TestHTTPRetryAfter(t *testing.T) {
	xml := readFile(t, sdnXML)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		max        time.Duration
		wantWait   time.Duration // 0: the policy's own backoff, at most max
	}{
		{"429 capped at Max", 429, "1", 50 * time.Millisecond, 50 * time.Millisecond},
		{"503 capped at Max", 503, "120", 50 * time.Millisecond, 50 * time.Millisecond},
		{"429 honoured", 429, "1", 2 * time.Second, time.Second},
		{"unparsable ignored", 429, "soon", 50 * time.Millisecond, 0},
		{"past date ignored", 503, "Wed, 21 Oct 2015 07:28:00 GMT", 50 * time.Millisecond, 0},
		{"500 ignores Retry-After", 500, "1", 50 * time.Millisecond, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, sequence(xml, tt.retryAfter, tt.status, 200))
			h, _ := newHTTP(t, HTTPConfig{})
			p := tight
			p.Max = tt.max
			r := WithRetry(h, p).(*retrying)
			var waits []time.Duration
			r.notify = func(_ error, d time.Duration) { waits = append(waits, d) }
			f, err := r.Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL}, Validators{})
			if err != nil {
				t.Fatal(err)
			}
			checkFile(t, f, xml)
			f.Close()
			if n.Load() != 2 || len(waits) != 1 {
				t.Fatalf("%d attempts and waits %v, want 2 attempts and 1 wait", n.Load(), waits)
			}
			switch {
			case tt.wantWait > 0 && waits[0] != tt.wantWait:
				t.Errorf("waited %v, want %v", waits[0], tt.wantWait)
			case tt.wantWait == 0 && waits[0] > tt.max:
				t.Errorf("waited %v, over Max %v", waits[0], tt.max)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 5, 16, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"1", time.Second},
		{" 30 ", 30 * time.Second},
		{"9999999999", 24 * time.Hour},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"Friday, 16-May-25 12:02:00 GMT", 2 * time.Minute}, // RFC 850
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestHTTPTooLarge(t *testing.T) {
	xml := readFile(t, sdnXML)
	csv := gunzipFile(t, sdnCSVGz)
	gz := readFile(t, sdnCSVGz)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		max     int64
		wantErr bool
		wantMsg string
	}{
		{"Content-Length over cap", serveContent(xml, ""), 1000, true, "Content-Length 1584"},
		{"no Content-Length, over cap", serveChunked(xml), 1000, true, ""},
		{"gzip encoded, decompressed over cap", serveGzipped(gz), int64(len(gz)) + 1, true, ""},
		{"Content-Length exactly the cap", serveContent(xml, ""), int64(len(xml)), false, ""},
		{"no Content-Length, exactly the cap", serveChunked(csv), int64(len(csv)), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, tt.handler)
			h, tmp := newHTTP(t, HTTPConfig{MaxBytes: tt.max})
			f, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL}, Validators{})
			if !tt.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				if f.Bytes != tt.max {
					t.Errorf("Bytes = %d, want %d", f.Bytes, tt.max)
				}
				f.Close()
				checkEmpty(t, tmp)
				return
			}
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "SDN.XML") || !strings.Contains(msg, strconv.FormatInt(tt.max, 10)) || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("error %q should name the file and the cap, and say %q", msg, tt.wantMsg)
			}
			if n.Load() != 1 {
				t.Errorf("%d attempts, want 1", n.Load())
			}
			checkEmpty(t, tmp)
		})
	}
}

// cutShort declares the full Content-Length but sends only half the body.
func cutShort(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:len(data)/2])
	}
}

// hangUp writes half a chunked body, then drops the connection.
func hangUp(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		half := data[:len(data)/2]
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n", len(half))
		buf.Write(half)
		buf.WriteString("\r\n")
		buf.Flush()
	}
}

func TestHTTPCutShort(t *testing.T) {
	csv := gunzipFile(t, sdnCSVGz)
	for _, cut := range []struct {
		name    string
		handler func([]byte) http.HandlerFunc
	}{
		{"Content-Length mismatch", cutShort},
		{"connection dropped", hangUp},
	} {
		tests := []struct {
			name         string
			recover      bool // the second attempt gets the whole file
			wantAttempts int32
		}{
			{"then whole", true, 2},
			{"every time", false, int32(tight.MaxAttempts)},
		}
		for _, tt := range tests {
			t.Run(cut.name+"/"+tt.name, func(t *testing.T) {
				var i atomic.Int32
				srv, n := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if tt.recover && i.Add(1) > 1 {
						serveContent(csv, "")(w, r)
						return
					}
					cut.handler(csv)(w, r)
				}))
				h, tmp := newHTTP(t, HTTPConfig{})
				f, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.CSV", URL: srv.URL}, Validators{})
				if got := n.Load(); got != tt.wantAttempts {
					t.Errorf("%d attempts, want %d", got, tt.wantAttempts)
				}
				if tt.recover {
					if err != nil {
						t.Fatal(err)
					}
					checkFile(t, f, csv)
					if got := entries(t, tmp); len(got) != 1 {
						t.Errorf("temp dir holds %v, want only the good file", got)
					}
					f.Close()
					checkEmpty(t, tmp)
					return
				}
				if err == nil {
					t.Fatalf("a cut body gave a %d-byte file, want an error", f.Bytes)
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("err = %v, want io.ErrUnexpectedEOF", err)
				}
				checkEmpty(t, tmp)
			})
		}
	}
}

func TestHTTPContextCancelled(t *testing.T) {
	csv := gunzipFile(t, sdnCSVGz)

	t.Run("mid-body", func(t *testing.T) {
		started := make(chan struct{})
		srv, n := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(csv)))
			w.WriteHeader(http.StatusOK)
			w.Write(csv[:len(csv)/2])
			w.(http.Flusher).Flush()
			close(started)
			<-r.Context().Done()
		}))
		h, tmp := newHTTP(t, HTTPConfig{})
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			<-started
			cancel()
		}()
		_, err := WithRetry(h, tight).Fetch(ctx, Spec{Name: "SDN.CSV", URL: srv.URL}, Validators{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n.Load() != 1 {
			t.Errorf("%d attempts, want 1", n.Load())
		}
		checkEmpty(t, tmp)
	})

	t.Run("before the request", func(t *testing.T) {
		srv, n := server(t, serveContent(csv, ""))
		h, tmp := newHTTP(t, HTTPConfig{})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := WithRetry(h, tight).Fetch(ctx, Spec{Name: "SDN.CSV", URL: srv.URL}, Validators{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n.Load() != 0 {
			t.Errorf("%d requests reached the server, want 0", n.Load())
		}
		checkEmpty(t, tmp)
	})

	t.Run("while waiting to retry", func(t *testing.T) {
		srv, n := server(t, sequence(csv, "", 503))
		h, tmp := newHTTP(t, HTTPConfig{})
		ctx, cancel := context.WithCancel(t.Context())
		// A wait of an hour that only cancellation can end.
		r := WithRetry(h, RetryPolicy{MaxAttempts: 5, Initial: time.Hour, Max: time.Hour, MaxElapsed: 10 * time.Hour}).(*retrying)
		r.notify = func(error, time.Duration) { cancel() }
		_, err := r.Fetch(ctx, Spec{Name: "SDN.CSV", URL: srv.URL}, Validators{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n.Load() != 1 {
			t.Errorf("%d attempts, want 1", n.Load())
		}
		checkEmpty(t, tmp)
	})
}

func TestHTTPTimeout(t *testing.T) {
	xml := readFile(t, sdnXML)
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"awaiting headers", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{"reading the body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(xml)))
			w.Write(xml[:100])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, tt.handler)
			h, tmp := newHTTP(t, HTTPConfig{Timeout: 20 * time.Millisecond})
			_, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL}, Validators{})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want a timeout", err)
			}
			if got := n.Load(); got != int32(tight.MaxAttempts) {
				t.Errorf("%d attempts, want %d", got, tight.MaxAttempts)
			}
			checkEmpty(t, tmp)
		})
	}
}

func TestHTTPConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	h, tmp := newHTTP(t, HTTPConfig{})
	r := WithRetry(h, tight).(*retrying)
	retries := 0
	r.notify = func(error, time.Duration) { retries++ }
	_, err := r.Fetch(t.Context(), Spec{Name: "SDN.XML", URL: url}, Validators{})
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err = %v, want ECONNREFUSED", err)
	}
	if retries != tight.MaxAttempts-1 {
		t.Errorf("%d retries, want %d", retries, tight.MaxAttempts-1)
	}
	checkEmpty(t, tmp)
}

func TestHTTPRedact(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	redact := func(u string) string { return strings.ReplaceAll(u, secret, "REDACTED") }
	xml := readFile(t, sdnXML)
	srv, _ := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != secret {
			http.Error(w, "no token", http.StatusForbidden)
			return
		}
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		serveContent(xml, "")(w, r)
	}))
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	tests := []struct {
		name    string
		url     string
		wantErr bool
	}{
		{"File.URL", srv.URL + "/sdn.xml?token=" + secret, false},
		{"status error", srv.URL + "/missing?token=" + secret, true},
		{"transport error", closed.URL + "/sdn.xml?token=" + secret, true},
		{"password in user info", strings.Replace(closed.URL, "http://", "http://user:"+secret+"@", 1) + "/sdn.xml", true},
		{"bad URL", "http://127.0.0.1:99999/sdn.xml?token=" + secret, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newHTTP(t, HTTPConfig{Redact: redact})
			f, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.XML", URL: tt.url}, Validators{})
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if strings.Contains(f.URL, secret) || !strings.Contains(f.URL, "REDACTED") {
				t.Errorf("File.URL = %q", f.URL)
			}
		})
	}
}

// A 304 is "not modified" only as the answer to a conditional request. To an
// unconditional GET it is a broken mirror or proxy: an error, never
// NotModified, and not retried (it would answer the same).
func TestHTTPNotModifiedUnasked(t *testing.T) {
	tests := []struct {
		name    string
		prev    Validators
		wantErr bool
	}{
		{"unconditional", Validators{}, true},
		{"If-None-Match", Validators{ETag: `"v1"`}, false},
		{"If-Modified-Since", Validators{LastModified: modTime.Format(http.TimeFormat)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Answers 304 to everything, like a mirror that lost its files
			// behind a caching proxy.
			srv, n := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `"v1"`)
				w.WriteHeader(http.StatusNotModified)
			}))
			h, tmp := newHTTP(t, HTTPConfig{})
			f, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL + "/sdn.xml"}, tt.prev)
			if n.Load() != 1 {
				t.Errorf("%d requests, want 1", n.Load())
			}
			checkEmpty(t, tmp)
			if !tt.wantErr {
				if err != nil || !f.NotModified {
					t.Fatalf("conditional request: %+v, %v; want NotModified", f, err)
				}
				return
			}
			if f != nil {
				t.Errorf("File %+v returned with an error", f)
			}
			var se *StatusError
			if !errors.Is(err, ErrUnconditionalNotModified) || !errors.As(err, &se) || se.Status != http.StatusNotModified {
				t.Fatalf("err = %v, want a *StatusError 304 matching ErrUnconditionalNotModified", err)
			}
			if !strings.Contains(err.Error(), "SDN.XML") || !strings.Contains(err.Error(), "not conditional") {
				t.Errorf("error %q should name the file and say the request was not conditional", err)
			}
		})
	}
}

// A server that accepts the request and never answers fails each attempt
// after the response-header timeout, not after the attempt's whole Timeout,
// and the attempt is retried.
func TestHTTPHeaderTimeout(t *testing.T) {
	srv, n := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // no headers, ever
	}))
	const timeout = time.Minute
	h, tmp := newHTTP(t, HTTPConfig{Timeout: timeout, HeaderTimeout: 200 * time.Millisecond})
	if got := h.HeaderTimeout(); got != 200*time.Millisecond {
		t.Errorf("HeaderTimeout() = %v, want 200ms", got)
	}
	start := time.Now()
	_, err := WithRetry(h, tight).Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL}, Validators{})
	elapsed := time.Since(start)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() || !strings.Contains(err.Error(), "timeout awaiting response headers") || strings.Contains(err.Error(), "Client.Timeout") {
		t.Fatalf("err = %v, want the transport's response-header timeout", err)
	}
	if got := n.Load(); got != int32(tight.MaxAttempts) {
		t.Errorf("%d attempts, want %d: a header timeout is retried", got, tight.MaxAttempts)
	}
	// All attempts together, well within one attempt's Timeout.
	if elapsed >= timeout/2 {
		t.Errorf("%d attempts took %v; each should end after the 200ms header timeout, not the %v Timeout", n.Load(), elapsed, timeout)
	}
	checkEmpty(t, tmp)

	// The default client has the default header timeout; a caller's own
	// client keeps its transport's (none for http.DefaultTransport).
	if got := NewHTTP(HTTPConfig{Timeout: timeout}).HeaderTimeout(); got != DefaultHeaderTimeout {
		t.Errorf("default client: HeaderTimeout() = %v, want %v", got, DefaultHeaderTimeout)
	}
	if got := NewHTTP(HTTPConfig{Client: &http.Client{Timeout: timeout}}).HeaderTimeout(); got != 0 {
		t.Errorf("custom client: HeaderTimeout() = %v, want 0", got)
	}
}

// serveSlowly serves data in ten pieces, pause apart; with Content-Length
// unless chunked.
func serveSlowly(data []byte, pause time.Duration, chunked bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !chunked {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		}
		w.WriteHeader(http.StatusOK)
		for piece := range slices(data, len(data)/10+1) {
			w.Write(piece)
			w.(http.Flusher).Flush()
			select {
			case <-time.After(pause):
			case <-r.Context().Done():
				return
			}
		}
	}
}

// A download that takes several progress intervals logs its progress at
// info, with the bytes so far and the total when the server declared it;
// nothing once the fetch has returned, nothing for a quick one.
func TestHTTPProgress(t *testing.T) {
	csv := gunzipFile(t, sdnCSVGz)
	const every = 40 * time.Millisecond
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		interval time.Duration
		wantLogs bool
		total    int64 // -1: no total logged
	}{
		{"Content-Length", serveSlowly(csv, 30*time.Millisecond, false), every, true, int64(len(csv))},
		{"chunked", serveSlowly(csv, 30*time.Millisecond, true), every, true, -1},
		{"quick download", serveContent(csv, ""), 0, false, 0},
		{"progress off", serveSlowly(csv, 30*time.Millisecond, false), -1, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t, tt.handler)
			var logs logCapture
			h, _ := newHTTP(t, HTTPConfig{Logger: logs.logger(), ProgressInterval: tt.interval})
			f, err := h.Fetch(t.Context(), Spec{Name: "SDN.CSV", URL: srv.URL + "/sdn.csv"}, Validators{})
			if err != nil {
				t.Fatal(err)
			}
			checkFile(t, f, csv)
			f.Close()
			lines := logs.lines(t)
			if !tt.wantLogs {
				if len(lines) != 0 {
					t.Fatalf("logged %v, want nothing", lines)
				}
				return
			}
			if len(lines) == 0 {
				t.Fatal("a download of ten pieces 30ms apart logged no progress every 40ms")
			}
			var last float64
			for i, l := range lines {
				if l["level"] != "INFO" || l["msg"] != "download in progress" || l["file"] != "SDN.CSV" || l["url"] != srv.URL+"/sdn.csv" {
					t.Errorf("line %d: %v", i, l)
				}
				n, _ := l["bytes"].(float64)
				if n < last || n > float64(len(csv)) {
					t.Errorf("line %d: bytes %v after %v, of %d", i, l["bytes"], last, len(csv))
				}
				last = n
				if _, ok := l["elapsed"].(float64); !ok {
					t.Errorf("line %d: no elapsed: %v", i, l)
				}
				total, ok := l["total"]
				switch {
				case tt.total < 0 && ok:
					t.Errorf("line %d: total %v for a chunked body", i, total)
				case tt.total >= 0 && total != float64(tt.total):
					t.Errorf("line %d: total %v, want %d", i, total, tt.total)
				}
			}
			// The watch stopped with the fetch.
			time.Sleep(3 * every)
			if got := len(logs.lines(t)); got != len(lines) {
				t.Errorf("%d lines after the fetch returned, had %d", got, len(lines))
			}
		})
	}
}

// What OFAC's firewall refuses (403 since 2026-07) is refused before any
// request.
func TestCheckUserAgent(t *testing.T) {
	for _, tt := range []struct {
		ua string
		ok bool
	}{
		{DefaultUserAgent, true},
		{"Mozilla/5.0 (compatible; screening/1; +https://example.org)", true},
		{"Mozilla/5.0 (short)", false},                                          // under 40 characters
		{"curl/8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0 OpenSSL/3.0", false},   // long, not Mozilla
		{"Mozilla/ (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0", false}, // no version
		{"mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126", false},
		{"", false},
	} {
		if err := CheckUserAgent(tt.ua); (err == nil) != tt.ok {
			t.Errorf("CheckUserAgent(%q) = %v, want ok=%v", tt.ua, err, tt.ok)
		}
	}
}

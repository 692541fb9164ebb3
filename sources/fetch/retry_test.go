package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRetryable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("fetch SDN.XML from https://x: %w", err) }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"429", wrap(&StatusError{Status: 429}), true},
		{"500", wrap(&StatusError{Status: 500}), true},
		{"503", wrap(&StatusError{Status: 503}), true},
		{"400", wrap(&StatusError{Status: 400}), false},
		{"403", wrap(&StatusError{Status: 403}), false},
		{"404", wrap(&StatusError{Status: 404}), false},
		{"ErrNotFound", wrap(ErrNotFound), false},
		{"ErrTooLarge", wrap(tooLarge(10)), false},
		{"cancelled", wrap(context.Canceled), false},
		{"body cut", wrap(fmt.Errorf("read after 10 bytes: %w", io.ErrUnexpectedEOF)), true},
		{"connection reset", wrap(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), true},
		{"connection refused", wrap(&net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), true},
		{"per-attempt timeout", wrap(timeoutErr{}), true},
		{"DNS timeout", wrap(&net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}), true},
		{"DNS no such host", wrap(&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}), false},
		{"disk full", wrap(syscall.ENOSPC), false},
		{"unknown", wrap(errors.New("gzip: invalid header")), false},
	}
	for _, tt := range tests {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("%s: retryable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// fake fails with err on every call, returning file alongside.
type fake struct {
	local bool
	err   error
	file  func() *File
	calls int
}

func (f *fake) Local() bool { return f.local }

func (f *fake) Fetch(context.Context, Spec, Validators) (*File, error) {
	f.calls++
	var file *File
	if f.file != nil {
		file = f.file()
	}
	return file, f.err
}

func TestWithRetry(t *testing.T) {
	tmp := t.TempDir()
	leaky := func() *File {
		p := filepath.Join(tmp, fmt.Sprintf("part-%d", time.Now().UnixNano()))
		writeFile(t, p, []byte("partial"))
		return &File{Name: "SDN.XML", Path: p, temp: true}
	}
	tests := []struct {
		name      string
		inner     *fake
		wantCalls int
	}{
		{"local passes through, never retried", &fake{local: true, err: io.ErrUnexpectedEOF}, 1},
		{"remote retryable", &fake{err: io.ErrUnexpectedEOF}, tight.MaxAttempts},
		{"remote unrecognised", &fake{err: errors.New("boom")}, 1},
		{"file returned with an error is removed", &fake{err: io.ErrUnexpectedEOF, file: leaky}, tight.MaxAttempts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := WithRetry(tt.inner, tight)
			if r.Local() != tt.inner.local {
				t.Errorf("Local() = %v, want %v", r.Local(), tt.inner.local)
			}
			_, err := r.Fetch(t.Context(), Spec{Name: "SDN.XML"}, Validators{})
			if !errors.Is(err, tt.inner.err) {
				t.Errorf("err = %v, want %v", err, tt.inner.err)
			}
			if tt.inner.calls != tt.wantCalls {
				t.Errorf("%d calls, want %d", tt.inner.calls, tt.wantCalls)
			}
			checkEmpty(t, tmp)
		})
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	d := DefaultRetryPolicy()
	if d.MaxAttempts < 2 || d.Initial <= 0 || d.Max < d.Initial || d.MaxElapsed < d.Max {
		t.Fatalf("DefaultRetryPolicy() = %+v", d)
	}
	if got := (RetryPolicy{}).withDefaults(); got != d {
		t.Errorf("zero policy = %+v, want %+v", got, d)
	}
	got := RetryPolicy{MaxAttempts: 1, Initial: time.Second, Max: time.Millisecond}.withDefaults()
	if got.MaxAttempts != 1 || got.Max != time.Second || got.MaxElapsed != d.MaxElapsed {
		t.Errorf("withDefaults = %+v", got)
	}
}

// Every retry is logged at info with the file, the redacted URL, the attempt
// that failed, the wait and the reason; a fetch that needs no retry, or
// fails for good, logs nothing here.
func TestRetryLogged(t *testing.T) {
	const secret = "s3cr3t-t0ken"
	redact := func(u string) string { return strings.ReplaceAll(u, secret, "REDACTED") }
	xml := readFile(t, sdnXML)
	tests := []struct {
		name        string
		statuses    []int
		wantReasons []string // one per retry, in order
	}{
		{"503, 500 then 200", []int{503, 500, 200}, []string{"HTTP 503", "HTTP 500"}},
		{"500 every time", []int{500}, []string{"HTTP 500", "HTTP 500"}},
		{"200 at once", []int{200}, nil},
		{"404 not retried", []int{404}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := server(t, sequence(xml, "", tt.statuses...))
			h, _ := newHTTP(t, HTTPConfig{Redact: redact})
			var logs logCapture
			p := tight
			p.Logger = logs.logger()
			r := WithRetry(h, p).(*retrying)
			var waits []time.Duration
			r.notify = func(_ error, d time.Duration) { waits = append(waits, d) }
			f, _ := r.Fetch(t.Context(), Spec{Name: "SDN.XML", URL: srv.URL + "/sdn.xml?token=" + secret}, Validators{})
			f.Close()
			lines := logs.lines(t)
			if len(lines) != len(tt.wantReasons) {
				t.Fatalf("%d lines, want %d: %v", len(lines), len(tt.wantReasons), lines)
			}
			for i, l := range lines {
				if l["level"] != "INFO" || l["msg"] != "fetch failed, retrying" || l["file"] != "SDN.XML" {
					t.Errorf("line %d: %v", i, l)
				}
				if l["url"] != srv.URL+"/sdn.xml?token=REDACTED" {
					t.Errorf("line %d: url %v, want it redacted", i, l["url"])
				}
				if l["attempt"] != float64(i+1) || l["max_attempts"] != float64(tight.MaxAttempts) {
					t.Errorf("line %d: attempt %v of %v, want %d of %d", i, l["attempt"], l["max_attempts"], i+1, tight.MaxAttempts)
				}
				// slog's JSON handler writes durations in nanoseconds.
				if w, ok := l["wait"].(float64); !ok || time.Duration(w) != waits[i] || w <= 0 {
					t.Errorf("line %d: wait %v, want %v", i, l["wait"], waits[i])
				}
				reason, _ := l["reason"].(string)
				if !strings.Contains(reason, tt.wantReasons[i]) || strings.Contains(reason, secret) {
					t.Errorf("line %d: reason %q, want it to say %s, redacted", i, reason, tt.wantReasons[i])
				}
			}
		})
	}
}

// A run's logger in the context (WithLogger) wins over the policy's, so
// that retry lines carry the run's source and run id.
func TestRetryLogsThroughTheRunsLogger(t *testing.T) {
	srv, _ := server(t, sequence(readFile(t, sdnXML), "", 503, 200))
	h, _ := newHTTP(t, HTTPConfig{})
	var policyLogs, runLogs logCapture
	p := tight
	p.Logger = policyLogs.logger()
	ctx := WithLogger(t.Context(), runLogs.logger().With("source", "us_ofac_sdn", "run_id", "r1"))
	f, err := WithRetry(h, p).Fetch(ctx, Spec{Name: "SDN.XML", URL: srv.URL + "/sdn.xml"}, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if lines := policyLogs.lines(t); len(lines) != 0 {
		t.Errorf("the policy's logger got %v", lines)
	}
	lines := runLogs.lines(t)
	if len(lines) != 1 || lines[0]["source"] != "us_ofac_sdn" || lines[0]["run_id"] != "r1" || lines[0]["msg"] != "fetch failed, retrying" {
		t.Fatalf("run logger lines %v, want one retry with source and run id", lines)
	}
}

// A fetcher that does not redact URLs itself has the user info and query
// left out of the logged URL.
func TestRedactedURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://user:pw@example.org/a/SDN.XML?token=x", "https://example.org/a/SDN.XML"},
		{"https://example.org/SDN.XML", "https://example.org/SDN.XML"},
		{"http://[::1", "(unparsable URL)"},
	}
	for _, tt := range tests {
		if got := redactedURL(&fake{}, tt.in); got != tt.want {
			t.Errorf("redactedURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	h := NewHTTP(HTTPConfig{Redact: func(u string) string { return strings.ReplaceAll(u, "token=x", "token=REDACTED") }})
	if got := redactedURL(h, "https://example.org/?token=x"); got != "https://example.org/?token=REDACTED" {
		t.Errorf("through HTTP.RedactURL: %q", got)
	}
}

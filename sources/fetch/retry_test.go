package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
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

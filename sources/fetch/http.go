package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sanctions-etl/sanctions-etl/internal/progress"
)

// DefaultUserAgent is browser-like on purpose: OFAC's WAF answers 403 to
// short User-Agents (see CheckUserAgent).
const DefaultUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 sanctions-etl/1"

// minUserAgent is the shortest User-Agent OFAC's firewall lets through.
const minUserAgent = 40

// CheckUserAgent reports why OFAC's firewall would refuse ua: since
// 2026-07 it answers 403 unless the User-Agent starts with "Mozilla/" and
// a version ("Mozilla/5.0") and is at least 40 characters long.
func CheckUserAgent(ua string) error {
	rest, ok := strings.CutPrefix(ua, "Mozilla/")
	if !ok || rest == "" || rest[0] < '0' || rest[0] > '9' {
		return fmt.Errorf("User-Agent %q does not start with \"Mozilla/\" and a version; OFAC's firewall refuses it", ua)
	}
	if len(ua) < minUserAgent {
		return fmt.Errorf("User-Agent %q is %d characters; OFAC's firewall refuses fewer than %d", ua, len(ua), minUserAgent)
	}
	return nil
}

// DefaultTimeout bounds one attempt (connect, headers and body) when
// HTTPConfig.Client is nil and HTTPConfig.Timeout is 0.
const DefaultTimeout = 10 * time.Minute

// DefaultHeaderTimeout bounds the wait for response headers when
// HTTPConfig.Client is nil and HTTPConfig.HeaderTimeout is 0: a server that
// accepts the connection and then says nothing fails the attempt after this,
// not after the whole Timeout.
const DefaultHeaderTimeout = 60 * time.Second

// HTTPConfig configures NewHTTP. The zero value is usable.
type HTTPConfig struct {
	// Client sends the requests; its own timeouts apply. nil (what callers
	// should want): a client that connects within 30s, waits HeaderTimeout
	// for response headers and Timeout for the whole attempt, and follows
	// the proxy settings of the environment.
	Client *http.Client
	// Timeout bounds one attempt of the default client; 0 means
	// DefaultTimeout. Ignored when Client is set.
	Timeout time.Duration
	// HeaderTimeout bounds the wait for response headers of the default
	// client; 0 means DefaultHeaderTimeout. Ignored when Client is set.
	HeaderTimeout time.Duration

	UserAgent string // "" means DefaultUserAgent
	MaxBytes  int64  // size cap per file; 0 means DefaultMaxBytes
	TempDir   string // where bodies are written; "" means os.TempDir()
	// Redact, when set, hides secrets (tokens) in URLs kept in File.URL and
	// in errors. Passwords in a URL's user info are always hidden.
	Redact func(url string) string
	// Logger gets, at info, a line every ProgressInterval while a body is
	// still downloading; nil means slog.Default().
	Logger *slog.Logger
	// ProgressInterval: 0 means DefaultProgressInterval, negative never.
	ProgressInterval time.Duration
}

// DefaultProgressInterval spaces the progress lines of a long download:
// most files take less, so they log none.
const DefaultProgressInterval = 10 * time.Second

// HTTP fetches files with GET, conditionally when validators are given. It
// never retries; wrap it with WithRetry.
type HTTP struct {
	client    *http.Client
	userAgent string
	maxBytes  int64
	tempDir   string
	redact    func(string) string
	logger    *slog.Logger // nil: slog.Default() when logging
	progress  time.Duration
}

var _ Fetcher = (*HTTP)(nil)

// NewHTTP returns an HTTP fetcher for cfg.
func NewHTTP(cfg HTTPConfig) *HTTP {
	h := &HTTP{
		client:    cfg.Client,
		userAgent: cfg.UserAgent,
		maxBytes:  cfg.MaxBytes,
		tempDir:   cfg.TempDir,
		redact:    cfg.Redact,
		logger:    cfg.Logger,
		progress:  cfg.ProgressInterval,
	}
	if h.progress == 0 {
		h.progress = DefaultProgressInterval
	}
	if h.client == nil {
		h.client = defaultClient(cfg.Timeout, cfg.HeaderTimeout)
	}
	if h.userAgent == "" {
		h.userAgent = DefaultUserAgent
	}
	if h.maxBytes <= 0 {
		h.maxBytes = DefaultMaxBytes
	}
	return h
}

func defaultClient(timeout, header time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if header <= 0 {
		header = DefaultHeaderTimeout
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 30 * time.Second
	t.ResponseHeaderTimeout = header
	return &http.Client{Transport: t, Timeout: timeout}
}

// HeaderTimeout is how long an attempt waits for response headers: 0 when
// the configured Client's transport sets no such limit (then only the
// client's Timeout, if any, ends the wait).
func (h *HTTP) HeaderTimeout() time.Duration {
	t := h.client.Transport
	if t == nil {
		t = http.DefaultTransport
	}
	if ht, ok := t.(*http.Transport); ok {
		return ht.ResponseHeaderTimeout
	}
	return 0
}

// Local reports false: files come from the network.
func (h *HTTP) Local() bool { return false }

// Fetch gets spec.URL. A 200 streams the body into a temporary file (see
// File.Close) while hashing it; a 304 to a conditional request gives a File
// with NotModified set and no Path; any other status is a *StatusError (404
// and 410 match ErrNotFound). A body over the size cap fails with
// ErrTooLarge, a body that ends early fails; neither leaves a file behind.
func (h *HTTP) Fetch(ctx context.Context, spec Spec, prev Validators) (*File, error) {
	shown := h.RedactURL(spec.URL)
	file, err := h.fetch(ctx, spec, prev, shown)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return nil, fmt.Errorf("fetch %s from %s: %w", spec.Name, shown, err)
	}
	return file, nil
}

func (h *HTTP) fetch(ctx context.Context, spec Spec, prev Validators, shown string) (*File, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, spec.URL, nil)
	if err != nil {
		return nil, h.scrub(err)
	}
	// Accept-Encoding is left to net/http, which asks for gzip and
	// decompresses transparently: the hash is of the file's own bytes.
	req.Header.Set("User-Agent", h.userAgent)
	req.Header.Set("Accept", "*/*")
	if prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return nil, h.scrub(err)
	}
	defer resp.Body.Close()
	got := Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}

	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		if !conditional(resp.Request) {
			// Not retried: a proxy that serves a stale 304 serves it again.
			io.CopyN(io.Discard, resp.Body, 4<<10)
			return nil, &StatusError{URL: shown, Status: resp.StatusCode, Text: statusText(resp)}
		}
		return &File{
			Name:        spec.Name,
			URL:         shown,
			Validators:  merge(prev, got),
			NotModified: true,
			Status:      resp.StatusCode,
		}, nil
	default:
		// A little of the body is read so the connection can be reused;
		// none of it goes into the error.
		io.CopyN(io.Discard, resp.Body, 4<<10)
		se := &StatusError{URL: shown, Status: resp.StatusCode, Text: statusText(resp)}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, se
	}

	if resp.ContentLength > h.maxBytes {
		return nil, fmt.Errorf("Content-Length %d: %w", resp.ContentLength, tooLarge(h.maxBytes))
	}
	var body io.Reader = resp.Body
	if h.progress > 0 {
		w := watchProgress(ctx, LoggerFrom(ctx, h.logger), h.progress, spec.Name, shown, resp.ContentLength)
		defer w.stop()
		body = w.counting(resp.Body)
	}
	bar := progress.FromContext(ctx).Bytes("fetch "+spec.Name, resp.ContentLength)
	path, sum, n, err := writeTemp(ctx, h.tempDir, spec.Name, bar.Reader(body), h.maxBytes)
	if err != nil {
		return nil, h.scrub(err)
	}
	bar.Done()
	return &File{
		Name:       spec.Name,
		URL:        shown,
		Path:       path,
		SHA256:     sum,
		Bytes:      n,
		Validators: got,
		Status:     resp.StatusCode,
		temp:       true,
	}, nil
}

// RedactURL applies the configured Redact, then hides a password in the
// user info: the form of a URL that errors, File.URL and logs show.
func (h *HTTP) RedactURL(raw string) string {
	if h.redact != nil {
		raw = h.redact(raw)
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			return u.Redacted()
		}
	}
	return raw
}

// scrub redacts the URL that net/http puts into its errors (the request's,
// or a redirect's).
func (h *HTTP) scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = h.RedactURL(ue.URL)
	}
	return err
}

// loggerKey carries a run's logger in a fetch's context.
type loggerKey struct{}

// WithLogger makes fetches under ctx log through log (a run's logger, whose
// lines carry its source and run id) instead of the fetcher's own.
func WithLogger(ctx context.Context, log *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, log)
}

// LoggerFrom returns the logger WithLogger put in ctx, else fallback, else
// slog.Default().
func LoggerFrom(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if log, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok && log != nil {
		return log
	}
	if fallback != nil {
		return fallback
	}
	return slog.Default()
}

// progressWatch logs a download's progress at an interval, from its own
// goroutine so that a stalled body shows as lines whose bytes stop growing.
type progressWatch struct {
	n    atomic.Int64
	done chan struct{}
	wg   sync.WaitGroup
}

// watchProgress starts logging; total is the Content-Length, -1 when
// unknown (chunked, or gzip that net/http decompresses).
func watchProgress(ctx context.Context, log *slog.Logger, every time.Duration, name, url string, total int64) *progressWatch {
	w := &progressWatch{done: make(chan struct{})}
	start := time.Now()
	w.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				attrs := []slog.Attr{
					slog.String("file", name),
					slog.String("url", url),
					slog.Int64("bytes", w.n.Load()),
					slog.Duration("elapsed", time.Since(start).Round(time.Millisecond)),
				}
				if total >= 0 {
					attrs = append(attrs, slog.Int64("total", total))
				}
				log.LogAttrs(ctx, slog.LevelInfo, "download in progress", attrs...)
			}
		}
	})
	return w
}

// counting returns r counting into w.
func (w *progressWatch) counting(r io.Reader) io.Reader { return countingReader{r, &w.n} }

// stop ends the logging; no line is written after it returns.
func (w *progressWatch) stop() {
	close(w.done)
	w.wg.Wait()
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// conditional reports whether req carried a validator, so that a 304 means
// "unchanged". resp.Request is the last request of a redirect chain, whose
// headers net/http copied from the first.
func conditional(req *http.Request) bool {
	return req != nil && (req.Header.Get("If-None-Match") != "" || req.Header.Get("If-Modified-Since") != "")
}

// merge keeps prev's validators where the 304 did not repeat them.
func merge(prev, got Validators) Validators {
	if got.ETag == "" {
		got.ETag = prev.ETag
	}
	if got.LastModified == "" {
		got.LastModified = prev.LastModified
	}
	return got
}

// statusText is the reason phrase of the status line, or the standard one.
func statusText(resp *http.Response) string {
	text := strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	if text == "" {
		text = http.StatusText(resp.StatusCode)
	}
	if len(text) > 80 {
		text = text[:80] + "..."
	}
	return text
}

// parseRetryAfter reads a Retry-After value, delay-seconds or an HTTP-date,
// as a delay from now. Anything unparsable, negative or past gives 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

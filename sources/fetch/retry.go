package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// RetryPolicy bounds the retries of WithRetry. A zero field takes its value
// from DefaultRetryPolicy; MaxAttempts 1 means no retry.
type RetryPolicy struct {
	MaxAttempts int           // attempts in all, the first included
	Initial     time.Duration // first wait, before jitter
	Max         time.Duration // longest wait, also the cap on a server's Retry-After
	MaxElapsed  time.Duration // give up once the next wait would end later than this after the start
	// Logger gets each retry at info (file, redacted URL, attempt, wait,
	// reason); nil means slog.Default().
	Logger *slog.Logger
}

// DefaultRetryPolicy is meant for publishers' web servers: a few attempts
// over a few minutes.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 5,
		Initial:     2 * time.Second,
		Max:         time.Minute,
		MaxElapsed:  5 * time.Minute,
	}
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.Initial <= 0 {
		p.Initial = d.Initial
	}
	if p.Max <= 0 {
		p.Max = d.Max
	}
	if p.Max < p.Initial {
		p.Max = p.Initial
	}
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = d.MaxElapsed
	}
	return p
}

// retrying is the Fetcher of WithRetry.
type retrying struct {
	Fetcher
	policy RetryPolicy
	// notify, when set, sees every failed attempt that will be retried and
	// the wait before the next one, after it is logged (tests).
	notify func(err error, wait time.Duration)
}

// WithRetry wraps f so that failures that may pass are tried again, with
// exponential backoff and jitter under policy p.
//
// Retried: timeouts, connection errors (refused, reset, cut short: a body
// that ends early), 429 and 5xx. On 429 and 503 the server's Retry-After is
// honoured, capped at p.Max. Never retried: other 4xx, ErrNotFound,
// ErrTooLarge, anything unrecognised; a cancelled ctx returns at once.
// Failed attempts leave no temporary files (fetchers clean up after
// themselves, and a File returned alongside an error is closed).
//
// Each retry is logged at info on p.Logger, so that a slow source's log
// says why. A local fetcher (f.Local()) is not retried: a file on disk does
// not heal.
func WithRetry(f Fetcher, p RetryPolicy) Fetcher {
	return &retrying{Fetcher: f, policy: p.withDefaults()}
}

// Unwrap returns the wrapped fetcher.
func (r *retrying) Unwrap() Fetcher { return r.Fetcher }

func (r *retrying) Fetch(ctx context.Context, spec Spec, prev Validators) (*File, error) {
	if r.Fetcher.Local() {
		return r.Fetcher.Fetch(ctx, spec, prev)
	}
	b := &hintedBackOff{
		exp: &backoff.ExponentialBackOff{
			InitialInterval:     r.policy.Initial,
			RandomizationFactor: backoff.DefaultRandomizationFactor,
			Multiplier:          backoff.DefaultMultiplier,
			MaxInterval:         r.policy.Max,
		},
		max: r.policy.Max,
	}
	attempts := 0
	op := func() (*File, error) {
		attempts++
		file, err := r.Fetcher.Fetch(ctx, spec, prev)
		if err == nil {
			return file, nil
		}
		file.Close() // a misbehaving fetcher's file; no-op on nil
		if ctx.Err() != nil || !retryable(err) {
			return nil, backoff.Permanent(err)
		}
		var se *StatusError
		if errors.As(err, &se) {
			b.hint = se.RetryAfter
		}
		return nil, err
	}
	opts := []backoff.RetryOption{
		backoff.WithBackOff(b),
		backoff.WithMaxTries(uint(r.policy.MaxAttempts)),
		backoff.WithMaxElapsedTime(r.policy.MaxElapsed),
	}
	log := LoggerFrom(ctx, r.policy.Logger)
	shown := redactedURL(r.Fetcher, spec.URL)
	notify := func(err error, wait time.Duration) {
		log.LogAttrs(ctx, slog.LevelInfo, "fetch failed, retrying",
			slog.String("file", spec.Name),
			slog.String("url", shown),
			slog.Int("attempt", attempts),
			slog.Int("max_attempts", r.policy.MaxAttempts),
			slog.Duration("wait", wait),
			slog.String("reason", err.Error()))
		if r.notify != nil {
			r.notify(err, wait)
		}
	}
	opts = append(opts, backoff.WithNotify(notify))
	file, err := backoff.Retry(ctx, op, opts...)
	switch {
	case err == nil:
		return file, nil
	case ctx.Err() != nil && err == context.Cause(ctx):
		// Cancelled while waiting to retry: backoff returns the bare cause.
		return nil, fmt.Errorf("fetch %s: cancelled after %d attempts: %w", spec.Name, attempts, err)
	case attempts > 1:
		return nil, fmt.Errorf("%w (gave up after %d attempts)", err, attempts)
	}
	return nil, err
}

// redactedURL is raw as f shows it (HTTP.RedactURL); for a fetcher that does
// not say, raw without its user info and query, where secrets live.
func redactedURL(f Fetcher, raw string) string {
	if r, ok := f.(interface{ RedactURL(string) string }); ok {
		return r.RedactURL(raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.ForceQuery = nil, "", false
	return u.String()
}

// retryable reports whether another attempt may succeed.
func retryable(err error) bool {
	var se *StatusError
	switch {
	case errors.As(err, &se):
		return se.Temporary()
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrTooLarge), errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, syscall.ETIMEDOUT):
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true // per-attempt timeouts; the caller's ctx was checked first
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTimeout || dns.IsTemporary
	}
	var op *net.OpError
	return errors.As(err, &op)
}

// hintedBackOff is exponential backoff with jitter that also honours a
// server's Retry-After: the next wait is at least the hint, capped at max.
type hintedBackOff struct {
	exp  *backoff.ExponentialBackOff
	max  time.Duration
	hint time.Duration // set by the failed attempt, used once
}

func (b *hintedBackOff) NextBackOff() time.Duration {
	d := min(b.exp.NextBackOff(), b.max) // jitter may overshoot MaxInterval
	if b.hint > 0 {
		d = max(d, min(b.hint, b.max))
		b.hint = 0
	}
	return d
}

func (b *hintedBackOff) Reset() {
	b.exp.Reset()
	b.hint = 0
}

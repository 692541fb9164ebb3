package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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
	// the wait before the next one (tests, logging).
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
// A local fetcher (f.Local()) is not retried: a file on disk does not heal.
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
	if r.notify != nil {
		opts = append(opts, backoff.WithNotify(r.notify))
	}
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

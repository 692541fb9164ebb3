// Package retry wraps a sink.Store so that failures that may pass (server
// errors, throttling, cut connections) are tried again with exponential
// backoff and jitter. Stores never retry themselves; cmd/sanctions-etl
// composes this wrapper once (STYLE.md 3).
//
// It returns at once on a cancelled context and on the inner store's
// permanent errors (IsPermanent). Put rewinds the body before every attempt.
//
// A conditional write whose answer was lost (the connection broke after the
// server applied it) fails its retry with a refused precondition although
// the object is the caller's. When an earlier attempt ended that way, Put
// reads the object back and, when it holds exactly the caller's bytes,
// reports success with its ETag instead of ErrPrecondition.
package retry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/sanctions-etl/sanctions-etl/sink"
)

// Policy bounds the retries. A zero duration takes its value from
// DefaultPolicy. Waits grow 1.5 times per attempt from Initial up to Max,
// each varied by up to half either way.
type Policy struct {
	// MaxAttempts caps the attempts in all, the first included: 1 means
	// no retry, 0 no cap (MaxElapsed alone ends the retries).
	MaxAttempts int
	Initial     time.Duration // first wait, before jitter
	Max         time.Duration // longest wait
	// MaxElapsed: no retry starts whose wait would end later than this
	// after the first attempt started.
	MaxElapsed time.Duration
	// OnRetry, when set, sees every failed attempt that will be retried
	// and the wait before the next one (logging, tests).
	OnRetry func(op, key string, err error, wait time.Duration)
}

// DefaultPolicy suits an object store: quick retries at first, then one
// every 10 s or so, for 2 minutes in all (about 20 attempts when each
// fails at once), which rides out a server restart or a short outage. It
// caps no count: 5 attempts would end within 2-3 s, whatever MaxElapsed
// says.
func DefaultPolicy() Policy {
	return Policy{Initial: 250 * time.Millisecond, Max: 10 * time.Second, MaxElapsed: 2 * time.Minute}
}

func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	p.MaxAttempts = max(p.MaxAttempts, 0)
	if p.Initial <= 0 {
		p.Initial = d.Initial
	}
	if p.Max <= 0 {
		p.Max = d.Max
	}
	p.Max = max(p.Max, p.Initial)
	if p.MaxElapsed <= 0 {
		p.MaxElapsed = d.MaxElapsed
	}
	return p
}

var _ sink.Store = (*Store)(nil)

// Store is the retrying sink.Store of New.
type Store struct {
	sink.Store
	policy Policy
}

// New wraps st.
func New(st sink.Store, p Policy) *Store { return &Store{Store: st, policy: p.withDefaults()} }

func retry[T any](ctx context.Context, s *Store, op, key string, fn func() (T, error)) (T, error) {
	attempts, start := 0, time.Now()
	wrapped := func() (T, error) {
		attempts++
		v, err := fn()
		if err == nil {
			return v, nil
		}
		var stop *stopError
		if ctx.Err() != nil || errors.As(err, &stop) || s.Store.IsPermanent(err) {
			return v, backoff.Permanent(err)
		}
		return v, err
	}
	opts := []backoff.RetryOption{
		backoff.WithBackOff(&backoff.ExponentialBackOff{
			InitialInterval:     s.policy.Initial,
			RandomizationFactor: backoff.DefaultRandomizationFactor,
			Multiplier:          backoff.DefaultMultiplier,
			MaxInterval:         s.policy.Max,
		}),
		backoff.WithMaxTries(uint(s.policy.MaxAttempts)),
		backoff.WithMaxElapsedTime(s.policy.MaxElapsed),
	}
	if s.policy.OnRetry != nil {
		opts = append(opts, backoff.WithNotify(func(err error, d time.Duration) { s.policy.OnRetry(op, key, err, d) }))
	}
	v, err := backoff.Retry(ctx, wrapped, opts...)
	var stop *stopError
	if errors.As(err, &stop) {
		return v, stop.err
	}
	if err != nil && attempts > 1 && ctx.Err() == nil {
		err = fmt.Errorf("%w (gave up after %d attempts in %v)", err, attempts, time.Since(start).Round(time.Millisecond))
	}
	return v, err
}

// stopError carries an error of the caller's callback through the retry
// loop untouched.
type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }

// Put implements sink.Store.
func (s *Store) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	uncertain := false // an earlier attempt may have been applied
	return retry(ctx, s, "put", key, func() (string, error) {
		if _, err := body.Seek(0, io.SeekStart); err != nil {
			return "", &stopError{fmt.Errorf("put %s: rewind body: %w", key, err)}
		}
		etag, err := s.Store.Put(ctx, key, body, opts)
		if err == nil {
			return etag, nil
		}
		if uncertain && !opts.Overwrite && errors.Is(err, sink.ErrPrecondition) {
			if etag, ok := s.holds(ctx, key, body, opts.SHA256); ok {
				return etag, nil
			}
		}
		uncertain = true
		return "", err
	})
}

// holds reports whether key holds exactly body's bytes, and its ETag.
func (s *Store) holds(ctx context.Context, key string, body io.ReadSeeker, sum string) (string, bool) {
	if sum == "" {
		if _, err := body.Seek(0, io.SeekStart); err != nil {
			return "", false
		}
		h := sha256.New()
		if _, err := io.Copy(h, body); err != nil {
			return "", false
		}
		sum = hex.EncodeToString(h.Sum(nil))
	}
	rc, info, err := s.Store.Get(ctx, key)
	if err != nil {
		return "", false
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", false
	}
	return info.ETag, strings.EqualFold(hex.EncodeToString(h.Sum(nil)), sum)
}

// Get implements sink.Store. Only opening is retried; a read that fails
// midway returns its error.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, sink.Info, error) {
	type got struct {
		rc   io.ReadCloser
		info sink.Info
	}
	g, err := retry(ctx, s, "get", key, func() (got, error) {
		rc, info, err := s.Store.Get(ctx, key)
		return got{rc, info}, err
	})
	return g.rc, g.info, err
}

// Stat implements sink.Store.
func (s *Store) Stat(ctx context.Context, key string) (sink.Info, error) {
	return retry(ctx, s, "stat", key, func() (sink.Info, error) { return s.Store.Stat(ctx, key) })
}

// List implements sink.Store. A retried listing skips the keys already
// given to fn, so fn still sees every key once, in order.
func (s *Store) List(ctx context.Context, prefix string, fn func(sink.Info) error) error {
	last, started := "", false
	_, err := retry(ctx, s, "list", prefix, func() (struct{}, error) {
		return struct{}{}, s.Store.List(ctx, prefix, func(i sink.Info) error {
			if started && i.Key <= last {
				return nil
			}
			if err := fn(i); err != nil {
				return &stopError{err}
			}
			last, started = i.Key, true
			return nil
		})
	})
	return err
}

// Delete implements sink.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	_, err := retry(ctx, s, "delete", key, func() (struct{}, error) { return struct{}{}, s.Store.Delete(ctx, key) })
	return err
}

// Unwrap returns the wrapped store.
func (s *Store) Unwrap() sink.Store { return s.Store }

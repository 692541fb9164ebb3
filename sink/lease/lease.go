// Package lease keeps one lock object per source in a sink.Store (the key
// layout.Lease), so that two schedulers, or a scheduler and a Kubernetes
// CronJob, never run one source at the same time, and a scheduled (due)
// run happens once even when two schedulers tick at the same instant.
//
// The object is a JSON Record that only ever moves by compare-and-swap:
// Acquire creates it with a create-only Put, and every later write (renew,
// release, takeover) is a Put with IfMatch on the ETag last read, so of two
// racing writers exactly one wins. A lease lives TTL past its last renewal.
// A holder that dies leaves its lease to expire; the next Acquire then
// takes it over and logs a warning. Release marks the record released
// rather than deleting it: the released record still tells a later Acquire
// which due run already happened (ErrDone), and a delete cannot be made
// conditional, so it could remove a lease another holder took meanwhile.
//
// Expiry compares clocks across holders (one writes ExpiresAt, another
// reads it), so the clocks of all holders must agree to well within TTL.
// A lease is not a fence: a holder paused for longer than TTL (a stopped
// VM, a long GC pause) can wake up believing it still holds the lease while
// another run has taken it over. Hold cancels its context as soon as
// renewal notices, but a write already under way may still land; the
// pipeline's own compare-and-swap on latest.json remains the final guard.
package lease

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// Record is the JSON stored at the lease key.
type Record struct {
	Source     string    `json:"source"`
	Holder     string    `json:"holder"` // who holds or last held it, e.g. "hostname/pid"
	RunID      string    `json:"run_id"`
	Due        time.Time `json:"due,omitzero"` // the scheduled time the run is for; zero for an unscheduled run
	AcquiredAt time.Time `json:"acquired_at"`
	RenewedAt  time.Time `json:"renewed_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	ReleasedAt time.Time `json:"released_at,omitzero"` // set when the holder released it normally
}

// live reports whether the record still excludes other holders at now.
func (r Record) live(now time.Time) bool {
	return r.ReleasedAt.IsZero() && now.Before(r.ExpiresAt)
}

// sameHolding reports whether r and o record the same acquisition. Only
// the holder that acquired a lease writes records naming it, so this tells
// our own record apart from a takeover without trusting ETags.
func (r Record) sameHolding(o Record) bool {
	return r.Source == o.Source && r.Holder == o.Holder && r.RunID == o.RunID && r.AcquiredAt.Equal(o.AcquiredAt)
}

// check refuses records that parse but are no lease of source: taking a
// stray "{}" for an expired lease would hide the damage.
func (r Record) check(source string) error {
	switch {
	case r.Source != source:
		return fmt.Errorf("record is for source %q", r.Source)
	case r.Holder == "":
		return errors.New("record names no holder")
	case r.AcquiredAt.IsZero() || r.ExpiresAt.IsZero():
		return errors.New("record has no acquired_at or expires_at")
	}
	return nil
}

var (
	// ErrHeld reports that another holder has a live (unexpired,
	// unreleased) lease.
	ErrHeld = errors.New("lease held by another run")
	// ErrDone reports that a lease, live or released, exists for the same
	// or a later Due.
	ErrDone = errors.New("the due run already happened")
	// ErrLost reports that our lease was taken over, or could not be
	// renewed before it expired.
	ErrLost = errors.New("lease lost")
)

// HeldError carries the record that refused an Acquire; errors.Is finds
// its Reason, ErrHeld or ErrDone.
type HeldError struct {
	Record Record // zero when the object is damaged
	Reason error  // ErrHeld or ErrDone
}

func (e *HeldError) Error() string {
	r := e.Record
	if r.Holder == "" {
		return e.Reason.Error()
	}
	s := fmt.Sprintf("%v: holder %s, run %s", e.Reason, r.Holder, r.RunID)
	if !r.Due.IsZero() {
		s += ", due " + r.Due.Format(time.RFC3339)
	}
	if r.ReleasedAt.IsZero() {
		s += ", expires " + r.ExpiresAt.Format(time.RFC3339Nano)
	} else {
		s += ", released " + r.ReleasedAt.Format(time.RFC3339Nano)
	}
	return s
}

func (e *HeldError) Unwrap() error { return e.Reason }

// Options describes one acquisition.
type Options struct {
	Source string
	Holder string // names this process, e.g. "hostname/pid"
	RunID  string
	Due    time.Time        // zero: no once-per-due check
	TTL    time.Duration    // > 0; how long the lease lives without renewal
	Now    func() time.Time // nil = time.Now
	Logger *slog.Logger     // nil = slog.Default(); warns on takeover of a stale lease
}

// acquireTries bounds Acquire's read-decide-write loop. Every lost race
// means another holder wrote, and the next read then almost always finds a
// live lease, so a few tries are plenty.
const acquireTries = 5

// readLimit bounds what is read of the object: a record is a few hundred
// bytes, and a huge object is damaged anyway.
const readLimit = 64 << 10

// Lease is one held lease. Its methods are safe for concurrent use.
type Lease struct {
	st     sink.Store
	source string
	key    string
	ttl    time.Duration
	now    func() time.Time
	log    *slog.Logger

	mu       sync.Mutex // held across writes, so Renew and Release never race
	rec      Record
	etag     string
	lost     error // set once a write found the lease taken over
	released bool
}

// Acquire takes the lease of opts.Source, or fails with a *HeldError
// (ErrHeld or ErrDone) when another run holds it or already ran opts.Due.
// Any other error is the store's.
func Acquire(ctx context.Context, st sink.Store, opts Options) (*Lease, error) {
	switch {
	case opts.Source == "":
		return nil, errors.New("lease: no source")
	case opts.Holder == "":
		return nil, errors.New("lease: no holder")
	case opts.TTL <= 0:
		return nil, fmt.Errorf("lease: TTL %v: want > 0", opts.TTL)
	}
	l := &Lease{st: st, source: opts.Source, key: layout.Lease(opts.Source), ttl: opts.TTL, now: opts.Now, log: opts.Logger}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.Default()
	}
	var last Record
	var tried *Record // what our last refused write carried
	for range acquireTries {
		cur, found, err := l.read(ctx)
		if err != nil {
			return nil, err
		}
		if found && cur.damaged == nil && tried != nil && cur.rec.sameHolding(*tried) {
			// Our write landed but its answer was lost, and a retry (the
			// store's retry wrapper) was refused by our own record.
			l.rec, l.etag = cur.rec, cur.info.ETag
			return l, nil
		}
		now := l.now().UTC()
		put := sink.PutOptions{ContentType: "application/json"} // create-only
		var stale []any                                         // set when a takeover deserves a warning
		switch {
		case !found:
		case cur.damaged != nil:
			// The store's clock wrote ModTime: a damaged object counts as
			// expired TTL after it was written, like a lease never renewed.
			if now.Before(cur.info.ModTime.Add(l.ttl)) {
				return nil, fmt.Errorf("lease %s: damaged object written at %s, not yet expired: %v: %w",
					l.key, cur.info.ModTime.UTC().Format(time.RFC3339), cur.damaged, &HeldError{Reason: ErrHeld})
			}
			put.IfMatch = cur.info.ETag
			stale = []any{"damaged", cur.damaged.Error(), "written_at", cur.info.ModTime.UTC()}
		default:
			rec := cur.rec
			last = rec
			live := rec.live(now)
			// An expired, unreleased lease for the same Due means its
			// holder died mid-run: that run did not happen, so it is not
			// ErrDone and is taken over below.
			if !opts.Due.IsZero() && !rec.Due.IsZero() && !rec.Due.Before(opts.Due) && (live || !rec.ReleasedAt.IsZero()) {
				return nil, fmt.Errorf("lease %s: %w", l.key, &HeldError{Record: rec, Reason: ErrDone})
			}
			if live {
				return nil, fmt.Errorf("lease %s: %w", l.key, &HeldError{Record: rec, Reason: ErrHeld})
			}
			put.IfMatch = cur.info.ETag
			if rec.ReleasedAt.IsZero() {
				stale = []any{"holder", rec.Holder, "run_id", rec.RunID, "expired_at", rec.ExpiresAt}
			}
		}
		rec := Record{
			Source: opts.Source, Holder: opts.Holder, RunID: opts.RunID, Due: opts.Due.UTC(),
			AcquiredAt: now, RenewedAt: now, ExpiresAt: now.Add(l.ttl),
		}
		etag, err := l.put(ctx, rec, put)
		if errors.Is(err, sink.ErrPrecondition) {
			tried = &rec
			continue // another holder wrote between our read and write: decide again
		}
		if err != nil {
			return nil, fmt.Errorf("lease %s: acquire: %w", l.key, err)
		}
		if stale != nil {
			l.log.Warn("lease: took over a stale lease", append([]any{"key", l.key}, stale...)...)
		}
		l.rec, l.etag = rec, etag
		return l, nil
	}
	return nil, fmt.Errorf("lease %s: still contended after %d tries: %w", l.key, acquireTries, &HeldError{Record: last, Reason: ErrHeld})
}

// Holding returns the record of source's lease when a run holds it at now
// (not released, not expired), so that maintenance such as gc can keep off
// a source being published. A damaged object counts as held until TTL after
// it was written, as Acquire treats it; held is false when no lease exists.
func Holding(ctx context.Context, st sink.Store, source string, ttl time.Duration, now time.Time) (rec Record, held bool, err error) {
	l := &Lease{st: st, source: source, key: layout.Lease(source)}
	cur, found, err := l.read(ctx)
	if err != nil || !found {
		return Record{}, false, err
	}
	if cur.damaged != nil {
		return Record{Source: source, Holder: "unknown (damaged lease object)"}, now.Before(cur.info.ModTime.Add(ttl)), nil
	}
	return cur.rec, cur.rec.live(now), nil
}

// current is the object at the lease key.
type current struct {
	rec     Record
	info    sink.Info
	damaged error // non-nil: the object is not a lease record of this source
}

// read returns the object at the key; found is false when there is none.
func (l *Lease) read(ctx context.Context) (cur current, found bool, err error) {
	rc, info, err := l.st.Get(ctx, l.key)
	if l.st.IsNotExist(err) {
		return current{}, false, nil
	}
	if err != nil {
		return current{}, false, fmt.Errorf("lease %s: read: %w", l.key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, readLimit+1))
	if err != nil {
		return current{}, false, fmt.Errorf("lease %s: read: %w", l.key, err)
	}
	cur.info = info
	switch {
	case len(data) > readLimit:
		cur.damaged = fmt.Errorf("object larger than %d bytes", readLimit)
	default:
		if err := json.Unmarshal(data, &cur.rec); err != nil {
			cur.damaged = err
		} else {
			cur.damaged = cur.rec.check(l.source)
		}
	}
	return cur, true, nil
}

func (l *Lease) put(ctx context.Context, rec Record, opts sink.PutOptions) (string, error) {
	data, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	return l.st.Put(ctx, l.key, bytes.NewReader(data), opts)
}

// Record returns the lease's record as last written.
func (l *Lease) Record() Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rec
}

// Renew extends the lease to now+TTL. It fails with ErrLost when another
// holder has taken the lease over.
func (l *Lease) Renew(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return l.lost
	}
	if l.released {
		return fmt.Errorf("lease %s: renew: already released", l.key)
	}
	rec := l.rec
	now := l.now().UTC()
	rec.RenewedAt, rec.ExpiresAt = now, now.Add(l.ttl)
	return l.write(ctx, "renew", rec, false)
}

// Release marks the lease released, so that the next Acquire takes it at
// once, and records that the due run happened. It fails with ErrLost when
// another holder has taken the lease over; a second Release does nothing.
func (l *Lease) Release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost != nil {
		return l.lost
	}
	if l.released {
		return nil
	}
	rec := l.rec
	rec.ReleasedAt = l.now().UTC()
	if err := l.write(ctx, "release", rec, true); err != nil {
		return err
	}
	l.released = true
	return nil
}

// write replaces our record with rec by compare-and-swap; l.mu is held.
// releasing says rec is a release.
func (l *Lease) write(ctx context.Context, op string, rec Record, releasing bool) error {
	for range 2 {
		etag, err := l.put(ctx, rec, sink.PutOptions{ContentType: "application/json", IfMatch: l.etag})
		if err == nil {
			l.rec, l.etag = rec, etag
			return nil
		}
		if !errors.Is(err, sink.ErrPrecondition) {
			return fmt.Errorf("lease %s: %s: %w", l.key, op, err)
		}
		// The ETag moved. An earlier write of ours that failed after the
		// store applied it (a lost answer, a cancelled context) moves it
		// too, so look before declaring the lease lost.
		cur, found, rerr := l.read(ctx)
		switch {
		case rerr != nil:
			return fmt.Errorf("lease %s: %s: %w (and reading it back: %w)", l.key, op, err, rerr)
		case !found:
			l.lost = fmt.Errorf("lease %s: %s: object deleted: %w", l.key, op, ErrLost)
		case cur.damaged != nil:
			l.lost = fmt.Errorf("lease %s: %s: object replaced by a damaged one (%v): %w", l.key, op, cur.damaged, ErrLost)
		case !cur.rec.sameHolding(l.rec):
			l.lost = fmt.Errorf("lease %s: %s: taken over by holder %s, run %s: %w", l.key, op, cur.rec.Holder, cur.rec.RunID, ErrLost)
		case !cur.rec.ReleasedAt.IsZero():
			// Only we write our holding, so this is an earlier Release
			// of ours whose answer was lost.
			if releasing {
				l.rec, l.etag = cur.rec, cur.info.ETag
				return nil
			}
			// Renewing it would revive a lease the caller gave up.
			l.lost = fmt.Errorf("lease %s: %s: found released: %w", l.key, op, ErrLost)
		default:
			l.rec, l.etag = cur.rec, cur.info.ETag // still ours: try again on the current ETag
			continue
		}
		return l.lost
	}
	return fmt.Errorf("lease %s: %s: ETag keeps moving: %w", l.key, op, ErrLost)
}

// Hold renews the lease in the background every TTL/3 until stop is
// called. The returned context is derived from ctx and is cancelled, with
// a cause wrapping ErrLost, when renewal finds the lease taken over or
// keeps failing until the lease has expired. stop stops renewing, waits
// for a renewal under way, then releases the lease and returns Release's
// error; it may be called more than once. Call Hold once per Lease.
func (l *Lease) Hold(ctx context.Context) (context.Context, func(ctx context.Context) error) {
	hctx, cancel := context.WithCancelCause(ctx)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		if err := l.keep(hctx, quit); err != nil {
			cancel(err)
		}
	}()
	var once sync.Once
	var err error
	stop := func(sctx context.Context) error {
		once.Do(func() {
			close(quit)
			<-done
			err = l.Release(sctx)
			cancel(nil)
		})
		return err
	}
	return hctx, stop
}

// keep renews until quit is closed or ctx is done, and returns an error
// wrapping ErrLost once the lease is lost.
func (l *Lease) keep(ctx context.Context, quit <-chan struct{}) error {
	every := max(l.ttl/3, time.Millisecond)
	// After a failure, try again sooner: the lease must not expire while
	// the store is briefly unavailable.
	again := max(l.ttl/10, time.Millisecond)
	t := time.NewTimer(every)
	defer t.Stop()
	var lastErr error
	for {
		select {
		case <-quit:
			return nil
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		expires := l.Record().ExpiresAt
		left := expires.Sub(l.now())
		if left <= 0 {
			return fmt.Errorf("lease %s: expired at %s before it could be renewed (last error: %v): %w",
				l.key, expires.Format(time.RFC3339Nano), lastErr, ErrLost)
		}
		// A renewal that outlasts the lease is pointless, and a hung one
		// must not keep the lease looking alive.
		actx, acancel := context.WithTimeout(ctx, left)
		err := l.Renew(actx)
		acancel()
		switch {
		case err == nil:
			lastErr = nil
			t.Reset(every)
		case errors.Is(err, ErrLost):
			return err
		case ctx.Err() != nil:
			return nil
		default:
			lastErr = err
			l.log.Warn("lease: renew failed, retrying", "key", l.key, "expires_at", expires, "err", err)
			t.Reset(again)
		}
	}
}

package lease_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/lease"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sink/mem"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
)

// open returns two stores over the same objects: the same instance twice
// for mem, two separate instances elsewhere, so that contention goes
// through each store's own compare-and-swap and not a shared mutex.
type open func(t *testing.T) (a, b sink.Store)

func TestMem(t *testing.T) {
	suite(t, func(*testing.T) (sink.Store, sink.Store) { s := mem.New(); return s, s })
}

func TestLocal(t *testing.T) {
	suite(t, func(t *testing.T) (sink.Store, sink.Store) {
		dir := t.TempDir()
		a, err := local.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		b, err := local.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	})
}

func TestS3(t *testing.T) {
	srv := s3test.Start(t)
	suite(t, func(t *testing.T) (sink.Store, sink.Store) {
		bucket := srv.NewBucket(t)
		return srv.NewStore(t, bucket, "prefix", nil), srv.NewStore(t, bucket, "prefix", nil)
	})
}

func suite(t *testing.T, open open) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b sink.Store)
	}{
		{"AcquireRenewRelease", testAcquireRenewRelease},
		{"WhileLive", testWhileLive},
		{"AfterRelease", testAfterRelease},
		{"ExpiredTakeover", testExpiredTakeover},
		{"Damaged", testDamaged},
		{"HoldKeepsAlive", testHoldKeepsAlive},
		{"HoldTakenOver", testHoldTakenOver},
		{"HoldStoreDown", testHoldStoreDown},
		{"Contention", testContention},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b := open(t)
			tc.fn(t, a, b)
		})
	}
}

// clock is an injected Now that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logs collects what a logger wrote; Hold logs from its own goroutine.
type logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogger() (*slog.Logger, *logs) {
	l := &logs{}
	return slog.New(slog.NewTextHandler(l, nil)), l
}

// Dues a few hours apart, on the hour, as a schedule gives them.
var (
	due0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	due1 = due0.Add(time.Hour)
	due2 = due0.Add(2 * time.Hour)
)

func stored(t *testing.T, st sink.Store, source string) (lease.Record, string) {
	t.Helper()
	rc, _, err := st.Get(context.Background(), layout.Lease(source))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	var r lease.Record
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("stored lease %q: %v", data, err)
	}
	return r, string(data)
}

func mustAcquire(t *testing.T, st sink.Store, opts lease.Options) *lease.Lease {
	t.Helper()
	l, err := lease.Acquire(context.Background(), st, opts)
	if err != nil {
		t.Fatalf("acquire as %s: %v", opts.Holder, err)
	}
	return l
}

// wantHeld checks that err is a *HeldError for reason naming holder.
func wantHeld(t *testing.T, err error, reason error, holder string) {
	t.Helper()
	var he *lease.HeldError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v, want a *HeldError", err)
	}
	if he.Reason != reason || !errors.Is(err, reason) {
		t.Fatalf("err = %v, want reason %v", err, reason)
	}
	if other := map[error]error{lease.ErrHeld: lease.ErrDone, lease.ErrDone: lease.ErrHeld}[reason]; errors.Is(err, other) {
		t.Fatalf("err = %v matches %v too", err, other)
	}
	if he.Record.Holder != holder || !strings.Contains(err.Error(), "holder "+holder) {
		t.Fatalf("err = %v (record holder %q), want holder %q named", err, he.Record.Holder, holder)
	}
	if !strings.Contains(err.Error(), "lease.json") {
		t.Fatalf("err = %v does not name the key", err)
	}
}

func testAcquireRenewRelease(t *testing.T, a, b sink.Store) {
	ctx := context.Background()
	clk := newClock()
	const ttl = time.Minute
	l := mustAcquire(t, a, lease.Options{Source: "src", Holder: "h1", RunID: "r1", Due: due1.In(time.FixedZone("CET", 3600)), TTL: ttl, Now: clk.Now})
	now := clk.Now()
	want := lease.Record{Source: "src", Holder: "h1", RunID: "r1", Due: due1, AcquiredAt: now, RenewedAt: now, ExpiresAt: now.Add(ttl)}
	if got := l.Record(); got != want {
		t.Fatalf("Record() = %+v, want %+v", got, want)
	}
	got, raw := stored(t, b, "src")
	if got != want {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	if strings.Contains(raw, "released_at") || !strings.Contains(raw, `"due":"`+due1.Format(time.RFC3339)+`"`) {
		t.Fatalf("stored JSON %s: want due in UTC and no released_at", raw)
	}

	clk.Add(20 * time.Second)
	if err := l.Renew(ctx); err != nil {
		t.Fatal(err)
	}
	want.RenewedAt, want.ExpiresAt = clk.Now(), clk.Now().Add(ttl)
	if got, _ := stored(t, b, "src"); got != want || l.Record() != want {
		t.Fatalf("after Renew: stored %+v, Record() %+v, want %+v", got, l.Record(), want)
	}

	clk.Add(time.Second)
	if err := l.Release(ctx); err != nil {
		t.Fatal(err)
	}
	want.ReleasedAt = clk.Now()
	if got, _ := stored(t, b, "src"); got != want || l.Record() != want {
		t.Fatalf("after Release: stored %+v, Record() %+v, want %+v", got, l.Record(), want)
	}
	if err := l.Release(ctx); err != nil {
		t.Fatalf("second Release: %v", err)
	}
	if err := l.Renew(ctx); err == nil {
		t.Fatal("Renew after Release succeeded")
	}
	if got, _ := stored(t, b, "src"); got != want {
		t.Fatalf("Renew after Release changed the record: %+v", got)
	}

	// An unscheduled run writes no due.
	mustAcquire(t, a, lease.Options{Source: "cli", Holder: "h1", TTL: ttl, Now: clk.Now})
	if got, raw := stored(t, b, "cli"); !got.Due.IsZero() || strings.Contains(raw, "due") {
		t.Fatalf("stored %s: want no due", raw)
	}
}

func testWhileLive(t *testing.T, a, b sink.Store) {
	tests := []struct {
		first, second time.Time
		want          error
	}{
		{time.Time{}, time.Time{}, lease.ErrHeld},
		{time.Time{}, due1, lease.ErrHeld},
		{due1, time.Time{}, lease.ErrHeld},
		{due1, due2, lease.ErrHeld}, // the next due waits for the current run
		{due1, due1, lease.ErrDone},
		{due2, due1, lease.ErrDone},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			clk := newClock()
			src := fmt.Sprintf("src%d", i)
			first := mustAcquire(t, a, lease.Options{Source: src, Holder: "first", RunID: "r1", Due: tc.first, TTL: time.Minute, Now: clk.Now})
			clk.Add(30 * time.Second)
			_, err := lease.Acquire(context.Background(), b, lease.Options{Source: src, Holder: "second", RunID: "r2", Due: tc.second, TTL: time.Minute, Now: clk.Now})
			wantHeld(t, err, tc.want, "first")
			if got, _ := stored(t, a, src); got != first.Record() {
				t.Fatalf("refused Acquire changed the record: %+v", got)
			}
		})
	}
}

func testAfterRelease(t *testing.T, a, b sink.Store) {
	tests := []struct {
		first, second time.Time
		later         time.Duration // between the release and the second Acquire
		want          error         // nil: the second Acquire succeeds
	}{
		{due1, due2, 0, nil},
		{due1, time.Time{}, 0, nil},
		{time.Time{}, due1, 0, nil},
		{time.Time{}, time.Time{}, 0, nil},
		{due1, due1, 0, lease.ErrDone},
		{due1, due0, 0, lease.ErrDone},
		{due1, due1, time.Hour, lease.ErrDone}, // a released lease stays done past its expiry
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			ctx := context.Background()
			clk := newClock()
			log, logs := newLogger()
			src := fmt.Sprintf("src%d", i)
			first := mustAcquire(t, a, lease.Options{Source: src, Holder: "first", RunID: "r1", Due: tc.first, TTL: time.Minute, Now: clk.Now})
			clk.Add(10 * time.Second)
			if err := first.Release(ctx); err != nil {
				t.Fatal(err)
			}
			clk.Add(tc.later)
			second, err := lease.Acquire(ctx, b, lease.Options{Source: src, Holder: "second", RunID: "r2", Due: tc.second, TTL: time.Minute, Now: clk.Now, Logger: log})
			if tc.want != nil {
				wantHeld(t, err, tc.want, "first")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := stored(t, a, src)
			if got != second.Record() || got.Holder != "second" || !got.Due.Equal(tc.second) || !got.ReleasedAt.IsZero() {
				t.Fatalf("stored %+v, want the second's live record %+v", got, second.Record())
			}
			if s := logs.String(); s != "" {
				t.Fatalf("taking a released lease logged %q", s)
			}
		})
	}
}

func testExpiredTakeover(t *testing.T, a, b sink.Store) {
	const ttl = time.Minute
	for i, due := range []time.Time{due1, due2, due0, {}} {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			ctx := context.Background()
			clk := newClock()
			log, logs := newLogger()
			src := fmt.Sprintf("src%d", i)
			old := mustAcquire(t, a, lease.Options{Source: src, Holder: "old", RunID: "r-old", Due: due1, TTL: ttl, Now: clk.Now})
			opts := lease.Options{Source: src, Holder: "new", RunID: "r-new", Due: due, TTL: ttl, Now: clk.Now, Logger: log}

			clk.Add(ttl - time.Nanosecond) // still live
			_, err := lease.Acquire(ctx, b, opts)
			if !due.IsZero() && !due1.Before(due) { // the live lease is for this due or a later one
				wantHeld(t, err, lease.ErrDone, "old")
			} else {
				wantHeld(t, err, lease.ErrHeld, "old")
			}

			clk.Add(time.Nanosecond) // expired: the holder died without releasing
			l := mustAcquire(t, b, opts)
			s := logs.String()
			for _, w := range []string{"level=WARN", "stale lease", "holder=old", "run_id=r-old", "expired_at=" + old.Record().ExpiresAt.Format("2006-01-02T15:04:05")} {
				if !strings.Contains(s, w) {
					t.Fatalf("log %q lacks %q", s, w)
				}
			}

			if err := old.Renew(ctx); !errors.Is(err, lease.ErrLost) || !strings.Contains(err.Error(), "new") {
				t.Fatalf("old Renew: %v, want ErrLost naming the new holder", err)
			}
			if err := old.Release(ctx); !errors.Is(err, lease.ErrLost) {
				t.Fatalf("old Release: %v, want ErrLost", err)
			}
			if got, _ := stored(t, a, src); got != l.Record() || !got.ReleasedAt.IsZero() {
				t.Fatalf("stored %+v, want the new holder's live record %+v", got, l.Record())
			}
			clk.Add(time.Second)
			if err := l.Renew(ctx); err != nil {
				t.Fatalf("new holder's Renew: %v", err)
			}
			if err := l.Release(ctx); err != nil {
				t.Fatalf("new holder's Release: %v", err)
			}
		})
	}
}

func testDamaged(t *testing.T, a, b sink.Store) {
	const ttl = time.Minute
	now := time.Now().UTC()
	foreign, _ := json.Marshal(lease.Record{Source: "other", Holder: "x", AcquiredAt: now, RenewedAt: now, ExpiresAt: now.Add(ttl)})
	tests := []struct{ name, body string }{
		{"garbage", "not json{"},
		{"empty", ""},
		{"empty object", "{}"},
		{"other source", string(foreign)},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			src := fmt.Sprintf("src%d", i)
			if _, err := a.Put(ctx, layout.Lease(src), strings.NewReader(tc.body), sink.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			log, logs := newLogger()
			clk := newClock() // the store's ModTime is real time
			opts := lease.Options{Source: src, Holder: "new", RunID: "r", Due: due1, TTL: ttl, Now: clk.Now, Logger: log}

			_, err := lease.Acquire(ctx, b, opts)
			var he *lease.HeldError
			if !errors.As(err, &he) || !errors.Is(err, lease.ErrHeld) || !strings.Contains(err.Error(), "damaged") {
				t.Fatalf("fresh damaged object: %v, want ErrHeld saying damaged", err)
			}

			clk.Add(ttl + 2*time.Second) // S3 ModTime has whole seconds
			l := mustAcquire(t, b, opts)
			if s := logs.String(); !strings.Contains(s, "level=WARN") || !strings.Contains(s, "damaged=") {
				t.Fatalf("takeover of a damaged object logged %q", s)
			}
			if got, _ := stored(t, a, src); got != l.Record() {
				t.Fatalf("stored %+v, want %+v", got, l.Record())
			}

			// A holder whose record is replaced by a damaged one has lost it.
			if _, err := a.Put(ctx, layout.Lease(src), strings.NewReader(tc.body+" "), sink.PutOptions{Overwrite: true}); err != nil {
				t.Fatal(err)
			}
			if err := l.Renew(ctx); !errors.Is(err, lease.ErrLost) {
				t.Fatalf("Renew over a damaged object: %v, want ErrLost", err)
			}
		})
	}
}

const holdTTL = 300 * time.Millisecond

func testHoldKeepsAlive(t *testing.T, a, b sink.Store) {
	ctx := context.Background()
	l := mustAcquire(t, a, lease.Options{Source: "src", Holder: "holder", RunID: "r1", TTL: holdTTL})
	start := l.Record().AcquiredAt
	hctx, stop := l.Hold(ctx)
	for time.Since(start) < time.Second {
		time.Sleep(100 * time.Millisecond)
		_, err := lease.Acquire(ctx, b, lease.Options{Source: "src", Holder: "other", RunID: "r2", TTL: holdTTL})
		wantHeld(t, err, lease.ErrHeld, "holder")
	}
	if err := hctx.Err(); err != nil {
		t.Fatalf("held context ended: %v (%v)", err, context.Cause(hctx))
	}
	if rec := l.Record(); !rec.ExpiresAt.After(start.Add(time.Second)) {
		t.Fatalf("after 1s held: %+v, want renewed past %v", rec, start.Add(time.Second))
	}
	if err := stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := stop(ctx); err != nil {
		t.Fatalf("second stop: %v", err)
	}
	if cause := context.Cause(hctx); !errors.Is(cause, context.Canceled) || errors.Is(cause, lease.ErrLost) {
		t.Fatalf("after stop the held context's cause is %v, want context.Canceled", cause)
	}
	if got, _ := stored(t, b, "src"); got.ReleasedAt.IsZero() || got != l.Record() {
		t.Fatalf("after stop: stored %+v, want released %+v", got, l.Record())
	}
	mustAcquire(t, b, lease.Options{Source: "src", Holder: "other", RunID: "r2", TTL: holdTTL})
}

func testHoldTakenOver(t *testing.T, a, b sink.Store) {
	ctx := context.Background()
	l := mustAcquire(t, a, lease.Options{Source: "src", Holder: "holder", RunID: "r1", TTL: holdTTL})
	hctx, stop := l.Hold(ctx)
	time.Sleep(holdTTL / 2)
	now := time.Now().UTC()
	intruder := lease.Record{Source: "src", Holder: "intruder", RunID: "r2", AcquiredAt: now, RenewedAt: now, ExpiresAt: now.Add(time.Hour)}
	data, _ := json.Marshal(intruder)
	if _, err := b.Put(ctx, layout.Lease("src"), bytes.NewReader(data), sink.PutOptions{Overwrite: true}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hctx.Done():
	case <-time.After(5 * holdTTL):
		t.Fatal("held context not cancelled after the takeover")
	}
	if cause := context.Cause(hctx); !errors.Is(cause, lease.ErrLost) || !strings.Contains(cause.Error(), "intruder") {
		t.Fatalf("cause = %v, want ErrLost naming the intruder", cause)
	}
	if err := stop(ctx); !errors.Is(err, lease.ErrLost) {
		t.Fatalf("stop: %v, want ErrLost", err)
	}
	if got, _ := stored(t, b, "src"); got != intruder {
		t.Fatalf("stored %+v, want the intruder's record untouched", got)
	}
}

// flaky fails every call while down, as a store that cannot be reached.
type flaky struct {
	sink.Store
	down atomic.Bool
}

var errDown = errors.New("store unreachable")

func (f *flaky) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	if f.down.Load() {
		return "", errDown
	}
	return f.Store.Put(ctx, key, body, opts)
}

func (f *flaky) Get(ctx context.Context, key string) (io.ReadCloser, sink.Info, error) {
	if f.down.Load() {
		return nil, sink.Info{}, errDown
	}
	return f.Store.Get(ctx, key)
}

func testHoldStoreDown(t *testing.T, a, b sink.Store) {
	ctx := context.Background()
	log, logs := newLogger()
	st := &flaky{Store: a}
	l := mustAcquire(t, st, lease.Options{Source: "src", Holder: "holder", RunID: "r1", TTL: holdTTL, Logger: log})
	hctx, stop := l.Hold(ctx)
	time.Sleep(holdTTL / 2)
	st.down.Store(true)
	select {
	case <-hctx.Done():
	case <-time.After(5 * holdTTL):
		t.Fatal("held context not cancelled although renewal kept failing")
	}
	if exp := l.Record().ExpiresAt; time.Now().Before(exp) {
		t.Fatalf("held context cancelled at %v, before the lease expired at %v", time.Now(), exp)
	}
	cause := context.Cause(hctx)
	if !errors.Is(cause, lease.ErrLost) || !strings.Contains(cause.Error(), errDown.Error()) {
		t.Fatalf("cause = %v, want ErrLost with the last renewal error", cause)
	}
	if n := strings.Count(logs.String(), "renew failed"); n < 2 {
		t.Fatalf("%d renewal failures logged, want retries before giving up:\n%s", n, logs.String())
	}
	// Nobody took the lease meanwhile, so releasing it still works.
	st.down.Store(false)
	if err := stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if got, _ := stored(t, b, "src"); got.ReleasedAt.IsZero() || got.Holder != "holder" {
		t.Fatalf("stored %+v, want the holder's released record", got)
	}
}

func testContention(t *testing.T, a, b sink.Store) {
	const (
		rounds  = 20
		runners = 8
	)
	ctx := context.Background()
	for round := range rounds {
		due := due0.Add(time.Duration(round) * time.Hour)
		start := make(chan struct{})
		leases := make([]*lease.Lease, runners)
		errs := make([]error, runners)
		var wg sync.WaitGroup
		for i := range runners {
			st := a
			if i%2 == 1 {
				st = b
			}
			wg.Go(func() {
				<-start
				leases[i], errs[i] = lease.Acquire(ctx, st, lease.Options{
					Source: "src", Holder: fmt.Sprintf("g%d", i), RunID: fmt.Sprintf("r%d-%d", round, i), Due: due, TTL: time.Minute,
				})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("round %d: g%d and g%d both acquired", round, winner, i)
				}
				winner = i
				continue
			}
			var he *lease.HeldError
			if !errors.As(err, &he) || !(errors.Is(err, lease.ErrDone) || errors.Is(err, lease.ErrHeld)) {
				t.Fatalf("round %d: g%d: %v, want ErrHeld or ErrDone", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: nobody acquired: %v", round, errs)
		}
		got, _ := stored(t, a, "src")
		if got.Holder != fmt.Sprintf("g%d", winner) || !got.Due.Equal(due) {
			t.Fatalf("round %d: stored %+v, want g%d's lease for %v", round, got, winner, due)
		}
		if err := leases[winner].Release(ctx); err != nil {
			t.Fatalf("round %d: release: %v", round, err)
		}
	}
}

func TestOptions(t *testing.T) {
	st := mem.New()
	tests := []struct {
		name string
		opts lease.Options
	}{
		{"no source", lease.Options{Holder: "h", TTL: time.Minute}},
		{"no holder", lease.Options{Source: "src", TTL: time.Minute}},
		{"no TTL", lease.Options{Source: "src", Holder: "h"}},
		{"negative TTL", lease.Options{Source: "src", Holder: "h", TTL: -time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := lease.Acquire(context.Background(), st, tc.opts); err == nil {
				t.Fatal("Acquire accepted the options")
			}
		})
	}
	if _, err := st.Stat(context.Background(), layout.Lease("src")); !st.IsNotExist(err) {
		t.Fatalf("refused options wrote a lease: %v", err)
	}
}

// TestStoreError checks that a store failure is neither taken for a held
// lease nor hidden.
func TestStoreError(t *testing.T) {
	st := &flaky{Store: mem.New()}
	st.down.Store(true)
	_, err := lease.Acquire(context.Background(), st, lease.Options{Source: "src", Holder: "h", TTL: time.Minute})
	var he *lease.HeldError
	if !errors.Is(err, errDown) || errors.As(err, &he) || !strings.Contains(err.Error(), layout.Lease("src")) {
		t.Fatalf("err = %v, want the store's error naming the key", err)
	}
}

// lostAnswer applies the first create of the lease but reports it refused,
// as the store's retry wrapper does when a write landed, its answer was
// lost, and the retry met the object the write had created.
type lostAnswer struct {
	sink.Store
	once sync.Once
}

func (s *lostAnswer) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	etag, err := s.Store.Put(ctx, key, body, opts)
	lost := false
	s.once.Do(func() { lost = err == nil })
	if lost {
		return "", fmt.Errorf("retried put: %w", sink.ErrPrecondition)
	}
	return etag, err
}

// TestAcquireAfterALostAnswer: the create landed, so the lease is ours;
// taking our own record for another holder's would skip the run and block
// the source for a whole TTL.
func TestAcquireAfterALostAnswer(t *testing.T) {
	st := &lostAnswer{Store: mem.New()}
	ctx := context.Background()
	l, err := lease.Acquire(ctx, st, lease.Options{Source: "src", Holder: "h", RunID: "r1", TTL: time.Minute})
	if err != nil {
		t.Fatalf("acquire after a lost answer: %v", err)
	}
	if err := l.Renew(ctx); err != nil {
		t.Fatalf("renew: %v", err)
	}
	if err := l.Release(ctx); err != nil {
		t.Fatalf("release: %v", err)
	}
	if _, err := lease.Acquire(ctx, st, lease.Options{Source: "src", Holder: "other", RunID: "r2", TTL: time.Minute}); err != nil {
		t.Fatalf("the released lease is not free: %v", err)
	}
}

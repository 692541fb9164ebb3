package retry_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/mem"
	"github.com/sanctions-etl/sanctions-etl/sink/retry"
	sinks3 "github.com/sanctions-etl/sanctions-etl/sink/s3"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
	"github.com/sanctions-etl/sanctions-etl/sink/storetest"
)

var errFlaky = errors.New("connection reset (injected)")

// flaky fails the next calls of an operation with a transient error; with
// apply set, a failing Put is applied first (the answer is lost).
type flaky struct {
	sink.Store
	mu       sync.Mutex
	failPuts int
	apply    bool
	listCut  int // a listing fails after this many keys, once
	calls    map[string]int
}

func (f *flaky) count(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
}

func (f *flaky) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	f.count("put")
	f.mu.Lock()
	fail := f.failPuts > 0
	if fail {
		f.failPuts--
	}
	f.mu.Unlock()
	if fail {
		if f.apply {
			if _, err := f.Store.Put(ctx, key, body, opts); err != nil {
				return "", err
			}
		} else {
			io.ReadAll(body) // a partial send leaves the body anywhere
		}
		return "", errFlaky
	}
	return f.Store.Put(ctx, key, body, opts)
}

func (f *flaky) List(ctx context.Context, prefix string, fn func(sink.Info) error) error {
	f.count("list")
	n := 0
	return f.Store.List(ctx, prefix, func(i sink.Info) error {
		f.mu.Lock()
		cut := f.listCut > 0 && n == f.listCut
		if cut {
			f.listCut = 0
		}
		f.mu.Unlock()
		if cut {
			return errFlaky
		}
		n++
		return fn(i)
	})
}

func fast() retry.Policy {
	return retry.Policy{MaxAttempts: 4, Initial: time.Millisecond, Max: 5 * time.Millisecond}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) sink.Store { return retry.New(mem.New(), fast()) })
}

func TestTransientPutIsRetriedWithTheWholeBody(t *testing.T) {
	f := &flaky{Store: mem.New(), failPuts: 2}
	var waits []time.Duration
	p := fast()
	p.OnRetry = func(op, key string, err error, wait time.Duration) { waits = append(waits, wait) }
	st := retry.New(f, p)
	if _, err := st.Put(context.Background(), "a/x", strings.NewReader("whole body"), sink.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	rc, _, err := st.Get(context.Background(), "a/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	if string(b) != "whole body" || f.calls["put"] != 3 || len(waits) != 2 {
		t.Fatalf("body %q after %d puts, %d retries notified", b, f.calls["put"], len(waits))
	}
}

func TestGivesUp(t *testing.T) {
	f := &flaky{Store: mem.New(), failPuts: 100}
	_, err := retry.New(f, fast()).Put(context.Background(), "a/x", strings.NewReader("x"), sink.PutOptions{})
	if !errors.Is(err, errFlaky) || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Fatalf("err = %v", err)
	}
}

func TestPermanentIsNotRetried(t *testing.T) {
	f := &flaky{Store: mem.New()}
	st := retry.New(f, fast())
	st.Put(context.Background(), "a/x", strings.NewReader("x"), sink.PutOptions{})
	_, err := st.Put(context.Background(), "a/x", strings.NewReader("y"), sink.PutOptions{})
	if !errors.Is(err, sink.ErrPrecondition) || f.calls["put"] != 2 {
		t.Fatalf("err = %v after %d puts", err, f.calls["put"])
	}
	if _, _, err := st.Get(context.Background(), "a/missing"); !st.IsNotExist(err) {
		t.Fatalf("Get missing: %v", err)
	}
}

func TestCancelledStopsAtOnce(t *testing.T) {
	f := &flaky{Store: mem.New(), failPuts: 100}
	p := fast()
	p.Initial, p.Max, p.MaxElapsed = time.Hour, time.Hour, 2*time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := retry.New(f, p).Put(ctx, "a/x", strings.NewReader("x"), sink.PutOptions{})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
}

// A create or compare-and-swap whose answer was lost is applied: its
// retry is refused, and the wrapper finds the object holds the caller's
// bytes, so it reports success.
func TestLostAnswerOfConditionalWrite(t *testing.T) {
	ctx := context.Background()
	f := &flaky{Store: mem.New(), failPuts: 1, apply: true}
	st := retry.New(f, fast())
	etag, err := st.Put(ctx, "src/v1/manifest.json", strings.NewReader("ours"), sink.PutOptions{})
	if err != nil || etag == "" {
		t.Fatalf("create with a lost answer: %q %v", etag, err)
	}
	f.failPuts = 1
	etag2, err := st.Put(ctx, "src/v1/manifest.json", strings.NewReader("moved"), sink.PutOptions{IfMatch: etag})
	if err != nil || etag2 == etag {
		t.Fatalf("compare-and-swap with a lost answer: %q %v", etag2, err)
	}
	if info, _ := st.Stat(ctx, "src/v1/manifest.json"); info.ETag != etag2 {
		t.Fatalf("etag %q, Put said %q", info.ETag, etag2)
	}
	// Another writer's bytes stay a refusal.
	f.failPuts = 1
	f.apply = false
	other := &flaky{Store: f.Store}
	other.Put(ctx, "src/v2/manifest.json", strings.NewReader("theirs"), sink.PutOptions{})
	if _, err := st.Put(ctx, "src/v2/manifest.json", strings.NewReader("ours"), sink.PutOptions{}); !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("create over another writer's object: %v", err)
	}
}

func TestListResumesWithoutRepeats(t *testing.T) {
	m := mem.New()
	for i := range 10 {
		m.Put(context.Background(), fmt.Sprintf("s/%02d", i), strings.NewReader("x"), sink.PutOptions{})
	}
	f := &flaky{Store: m, listCut: 4}
	var got []string
	err := retry.New(f, fast()).List(context.Background(), "s/", func(i sink.Info) error { got = append(got, i.Key); return nil })
	if err != nil || len(got) != 10 || f.calls["list"] != 2 {
		t.Fatalf("keys %v, err %v, %d listings", got, err, f.calls["list"])
	}
	stop := errors.New("stop")
	f.calls = nil
	err = retry.New(f, fast()).List(context.Background(), "s/", func(sink.Info) error { return stop })
	if err != stop || f.calls["list"] != 1 {
		t.Fatalf("fn's error: %v after %d listings", err, f.calls["list"])
	}
}

// The same over a real S3 server: the proxy forwards the write and then
// hangs up, for a create and for a compare-and-swap.
func TestLostAnswerOnS3(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	proxy := s3test.NewProxy(t, srv.Endpoint)
	s3st := srv.NewStore(t, bucket, "p", func(c *sinks3.Config) { c.Endpoint = proxy.URL })
	st := retry.New(s3st, fast())
	ctx := context.Background()
	proxy.FailNext(1, s3test.DropAnswer)
	etag, err := st.Put(ctx, "src/latest.json", strings.NewReader(`{"version":"1"}`), sink.PutOptions{})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	proxy.FailNext(1, s3test.DropAnswer)
	etag2, err := st.Put(ctx, "src/latest.json", strings.NewReader(`{"version":"2"}`), sink.PutOptions{IfMatch: etag})
	if err != nil || etag2 == etag {
		t.Fatalf("compare-and-swap: %q %v", etag2, err)
	}
	faults := 0
	for _, r := range proxy.Requests() {
		if r.Fault == s3test.DropAnswer {
			faults++
		}
	}
	if faults != 2 {
		t.Fatalf("%d answers dropped, want 2", faults)
	}
	// A refused create after a dropped answer of a different body fails.
	proxy.FailNext(1, s3test.Drop)
	if _, err := st.Put(ctx, "src/latest.json", strings.NewReader(`{"version":"3"}`), sink.PutOptions{}); !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("create over an existing object: %v", err)
	}
}

// outage fails every call with a transient error until a moment passes.
type outage struct {
	sink.Store
	until time.Time
	calls int
}

func (o *outage) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	o.calls++
	if time.Now().Before(o.until) {
		return "", errFlaky
	}
	return o.Store.Put(ctx, key, body, opts)
}

// The elapsed bound governs, not a count of attempts: an outage longer
// than a few attempts' waits but shorter than MaxElapsed is ridden out.
func TestStoreOutageWithinMaxElapsed(t *testing.T) {
	const outageFor = 1500 * time.Millisecond
	short := func(p retry.Policy) retry.Policy {
		p.Initial, p.MaxElapsed = 50*time.Millisecond, 5*time.Second
		return p
	}
	for _, tc := range []struct {
		name    string
		policy  retry.Policy
		wantErr bool
	}{
		{"default policy", short(retry.DefaultPolicy()), false},
		{"zero policy", retry.Policy{Initial: 50 * time.Millisecond, MaxElapsed: 5 * time.Second}, false},
		// The old default counted 5 attempts: over within a second here,
		// 2-3 s with its 250 ms first wait, long before its 2 minutes.
		{"5 attempts", short(retry.Policy{MaxAttempts: 5, Max: 10 * time.Second}), true},
		{"outage past MaxElapsed", retry.Policy{Initial: 50 * time.Millisecond, MaxElapsed: time.Second}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := &outage{Store: mem.New(), until: time.Now().Add(outageFor)}
			start := time.Now()
			_, err := retry.New(o, tc.policy).Put(context.Background(), "src/state.json", strings.NewReader("{}"), sink.PutOptions{Overwrite: true})
			took := time.Since(start)
			if tc.wantErr {
				if !errors.Is(err, errFlaky) || !strings.Contains(err.Error(), "gave up after") || took >= outageFor {
					t.Fatalf("err %v after %v and %d attempts, want a give-up within the outage", err, took, o.calls)
				}
				return
			}
			if err != nil || took < outageFor || took > outageFor+2*time.Second {
				t.Fatalf("err %v after %v and %d attempts, want success just after the %v outage", err, took, o.calls, outageFor)
			}
		})
	}
}

func TestStoreDefaultPolicyRetriesForTwoMinutes(t *testing.T) {
	if p := retry.DefaultPolicy(); p.MaxAttempts != 0 || p.MaxElapsed != 2*time.Minute || p.Initial != 250*time.Millisecond || p.Max != 10*time.Second {
		t.Fatalf("DefaultPolicy() = %+v; docs/s3.md promises no attempt cap, 2 min, 250 ms rising to 10 s", p)
	}
}

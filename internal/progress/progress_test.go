package progress

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTest(every time.Duration) (*Reporter, *bytes.Buffer, *fakeClock) {
	var buf bytes.Buffer
	c := &fakeClock{t: time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)}
	return New(&buf, true, Config{Every: every, Now: c.now}), &buf, c
}

func lines(buf *bytes.Buffer) []string {
	s := strings.TrimSuffix(buf.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// step is one thing a stage is told: the clock moves by wait, then add is
// counted (done: the stage finishes instead).
type step struct {
	wait time.Duration
	add  int64
	done bool
}

func TestStageRateAndFormat(t *testing.T) {
	const sec = time.Second
	tests := []struct {
		name  string
		start func(*Reporter) *Stage
		every time.Duration // 0: DefaultEvery
		steps []step
		want  []string
	}{
		{
			name:  "short work prints only its done line",
			start: func(r *Reporter) *Stage { return r.With("us_ofac_sdn").Count("parse", "records", -1) },
			steps: []step{{wait: 300 * time.Millisecond, add: 64}, {wait: 300 * time.Millisecond, add: 64}, {done: true}},
			want:  []string{"us_ofac_sdn: parse 128 records done"},
		},
		{
			name:  "at most one line a second, the first after a second",
			start: func(r *Reporter) *Stage { return r.With("us_ofac_sdn").Count("parse", "records", -1) },
			steps: []step{
				{wait: 999 * time.Millisecond, add: 10_000},
				{wait: time.Millisecond, add: 2_345}, // 1s after the start
				{wait: 500 * time.Millisecond, add: 1},
				{wait: 499 * time.Millisecond, add: 1},
				{wait: time.Millisecond, add: 1}, // 1s after the last line
				{wait: 5 * sec, add: 1_000_000},
				{done: true},
			},
			want: []string{
				"us_ofac_sdn: parse 12,345 records",
				"us_ofac_sdn: parse 12,348 records",
				"us_ofac_sdn: parse 1,012,348 records",
				"us_ofac_sdn: parse 1,012,348 records done",
			},
		},
		{
			name:  "bytes of a known total",
			start: func(r *Reporter) *Stage { return r.With("us_ofac_sdn").Bytes("fetch SDN_ADVANCED.XML", 118_000_000) },
			steps: []step{{wait: sec, add: 42_100_000}, {wait: sec, add: 75_900_000}, {done: true}},
			want: []string{
				"us_ofac_sdn: fetch SDN_ADVANCED.XML 42.1 MB of 118.0 MB",
				"us_ofac_sdn: fetch SDN_ADVANCED.XML 118.0 MB of 118.0 MB",
				"us_ofac_sdn: fetch SDN_ADVANCED.XML 118.0 MB done",
			},
		},
		{
			name:  "bytes of an unknown total (chunked or gzip)",
			start: func(r *Reporter) *Stage { return r.Bytes("fetch consolidated.xml", -1) },
			steps: []step{{wait: sec, add: 999}, {wait: sec, add: 1}, {wait: sec, add: 998_950}, {wait: sec, add: 999_000_000}, {done: true}},
			want: []string{
				"fetch consolidated.xml 999 B",
				"fetch consolidated.xml 1.0 kB",
				"fetch consolidated.xml 1.0 MB", // 999,950 bytes: not "1000.0 kB"
				"fetch consolidated.xml 1.0 GB",
				"fetch consolidated.xml 1.0 GB done",
			},
		},
		{
			name:  "objects of a total",
			start: func(r *Reporter) *Stage { return r.With("un_sc").Count("publish", "objects", 9) },
			steps: []step{{wait: 2 * sec, add: 7}, {add: 2}, {done: true}},
			want:  []string{"un_sc: publish 7 of 9 objects", "un_sc: publish 9 objects done"},
		},
		{
			name:  "a done line short of its total keeps it",
			start: func(r *Reporter) *Stage { return r.Count("publish", "objects", 9) },
			steps: []step{{add: 3}, {done: true}},
			want:  []string{"publish 3 of 9 objects done"},
		},
		{
			name:  "nothing after done",
			start: func(r *Reporter) *Stage { return r.Count("parse", "records", -1) },
			steps: []step{{add: 1}, {done: true}, {wait: 5 * sec, add: 1}, {done: true}},
			want:  []string{"parse 1 record done"},
		},
		{
			name:  "every N seconds as configured",
			every: 10 * sec,
			start: func(r *Reporter) *Stage { return r.Count("parse", "records", -1) },
			steps: []step{{wait: 9 * sec, add: 1}, {wait: sec, add: 1}, {wait: 5 * sec, add: 1}},
			want:  []string{"parse 2 records"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, buf, clock := newTest(tt.every)
			s := tt.start(r)
			for _, st := range tt.steps {
				clock.advance(st.wait)
				if st.done {
					s.Done()
				} else {
					s.Add(st.add)
				}
			}
			if got := lines(buf); !slices.Equal(got, tt.want) {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDisabledPrintsNothing(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, false, Config{})
	if r != nil {
		t.Fatalf("New(w, false) = %v, want nil", r)
	}
	if New(nil, true, Config{}) != nil {
		t.Fatal("New(nil, true): want nil")
	}
	s := r.With("un_sc").Bytes("fetch consolidated.xml", 10)
	if s != nil {
		t.Fatalf("disabled reporter's stage = %v, want nil", s)
	}
	src := strings.NewReader("abc")
	if got := s.Reader(src); got != io.Reader(src) {
		t.Errorf("disabled stage's Reader wraps its reader: %T", got)
	}
	s.Add(3)
	s.Done()
	r.Count("parse", "records", -1).Done()
	ctx := NewContext(context.Background(), r)
	if ctx != context.Background() {
		t.Error("NewContext with a nil Reporter made a new context")
	}
	if FromContext(ctx) != nil {
		t.Error("FromContext of a context without a Reporter is not nil")
	}
	if buf.Len() != 0 {
		t.Errorf("disabled reporter wrote %q", buf.String())
	}
}

func TestReaderCounts(t *testing.T) {
	r, buf, clock := newTest(0)
	data := strings.Repeat("x", 2_500_000)
	s := FromContext(NewContext(context.Background(), r.With("un_sc"))).Bytes("fetch consolidated.xml", int64(len(data)))
	// Each read moves the clock a second: every read prints a line.
	rd := s.Reader(&tickingReader{r: strings.NewReader(data), clock: clock})
	p := make([]byte, 1_000_000)
	var read int
	for {
		n, err := rd.Read(p)
		read += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if read != len(data) {
		t.Fatalf("read %d bytes of %d", read, len(data))
	}
	s.Done()
	want := []string{
		"un_sc: fetch consolidated.xml 1.0 MB of 2.5 MB",
		"un_sc: fetch consolidated.xml 2.0 MB of 2.5 MB",
		"un_sc: fetch consolidated.xml 2.5 MB of 2.5 MB",
		"un_sc: fetch consolidated.xml 2.5 MB done",
	}
	if got := lines(buf); !slices.Equal(got, want) {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// tickingReader moves the clock a second before each read.
type tickingReader struct {
	r     io.Reader
	clock *fakeClock
}

func (t *tickingReader) Read(p []byte) (int, error) {
	t.clock.advance(time.Second)
	return t.r.Read(p)
}

// Uploads run in parallel: the lines stay whole and in order of their
// counts, and the done line has the total.
func TestStageConcurrent(t *testing.T) {
	r, buf, clock := newTest(time.Nanosecond)
	s := r.With("us_ofac_sdn").Count("publish", "objects", 400)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				clock.advance(time.Millisecond)
				s.Add(1)
			}
		})
	}
	wg.Wait()
	s.Done()
	got := lines(buf)
	if got[len(got)-1] != "us_ofac_sdn: publish 400 objects done" {
		t.Fatalf("last line %q", got[len(got)-1])
	}
	prev := 0
	for _, l := range got[:len(got)-1] {
		var n int
		if _, err := fmt.Sscanf(l, "us_ofac_sdn: publish %d of 400 objects", &n); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if n <= prev {
			t.Fatalf("line %q after count %d", l, prev)
		}
		prev = n
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 123456: "123,456", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

// BenchmarkStageAdd is the cost of a hook per call: a nil check when
// disabled, a lock and a clock reading when enabled.
func BenchmarkStageAdd(b *testing.B) {
	for _, enabled := range []bool{false, true} {
		b.Run(fmt.Sprintf("enabled=%v", enabled), func(b *testing.B) {
			s := New(io.Discard, enabled, Config{Every: time.Hour}).Count("parse", "records", -1)
			for b.Loop() {
				s.Add(64)
			}
		})
	}
}

package schedules

import (
	"testing"
	"time"
)

func TestParseSpec(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 17, 30, 0, time.UTC)
	tests := []struct {
		spec     string
		next     time.Time
		interval time.Duration
	}{
		{"0 */2 * * *", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), 2 * time.Hour},
		{"0 */4 * * *", time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), 4 * time.Hour},
		{"@hourly", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), time.Hour},
		// @every is aligned to the epoch, not to the scheduler's start.
		{"@every 2h", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), 2 * time.Hour},
		{"@every 15m", time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC), 15 * time.Minute},
		{"*/5 * * * * *", time.Date(2026, 11, 26, 9, 17, 35, 0, time.UTC), 5 * time.Second},
	}
	for _, tt := range tests {
		s, err := ParseSpec(tt.spec)
		if err != nil {
			t.Errorf("%q: %v", tt.spec, err)
			continue
		}
		if got := s.Next(at); !got.Equal(tt.next) {
			t.Errorf("%q: next after %v = %v, want %v", tt.spec, at, got, tt.next)
		}
		if got := Interval(s, at); got != tt.interval {
			t.Errorf("%q: interval %v, want %v", tt.spec, got, tt.interval)
		}
	}
	for _, bad := range []string{"", "every 2h", "@every 500ms", "@every 1.5s", "@every -1h", "61 * * * *", "* * *", "@fortnightly"} {
		if _, err := ParseSpec(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDueAt(t *testing.T) {
	s, err := ParseSpec("0 */2 * * *")
	if err != nil {
		t.Fatal(err)
	}
	tick := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		started time.Time
		want    time.Time
	}{
		{tick, tick},                             // on time
		{tick.Add(40 * time.Millisecond), tick},  // the timer's usual delay
		{tick.Add(59 * time.Second), tick},       // a loaded machine
		{tick.Add(5 * time.Minute), time.Time{}}, // no tick explains it (a run on start)
		{tick.Add(-time.Second), time.Time{}},    // before the tick
	}
	for _, tt := range tests {
		if got := DueAt(s, tt.started); !got.Equal(tt.want) {
			t.Errorf("DueAt(%v) = %v, want %v", tt.started, got, tt.want)
		}
	}
	fast, _ := ParseSpec("@every 2s")
	if got := DueAt(fast, tick.Add(900*time.Millisecond)); !got.Equal(tick) {
		t.Errorf("@every 2s at +0.9s: %v, want %v", got, tick)
	}
}

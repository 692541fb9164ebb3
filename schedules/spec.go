package schedules

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// parser reads standard five-field specs, an optional leading seconds
// field (six fields, for tests and fast checks) and the descriptors
// (@hourly, @daily, ...).
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSpec parses a source's cron spec; times are UTC.
//
// "@every D" differs from robfig/cron's: its ticks are aligned to multiples
// of D since the Unix epoch (UTC), not counted from the scheduler's start.
// Two schedulers sharing a store then agree on which tick is due, and the
// lease lets only one of them run it.
func ParseSpec(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	if rest, ok := strings.CutPrefix(spec, "@every "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(rest))
		if err != nil {
			return nil, fmt.Errorf("%q: %w", spec, err)
		}
		if d < time.Second || d%time.Second != 0 {
			return nil, fmt.Errorf("%q: want a whole number of seconds, at least 1s", spec)
		}
		return every(d), nil
	}
	s, err := parser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", spec, err)
	}
	return s, nil
}

// every ticks at the multiples of its duration since the Unix epoch.
type every time.Duration

func (e every) Next(t time.Time) time.Time {
	d := time.Duration(e)
	return time.Unix(0, 0).UTC().Add(t.UTC().Sub(time.Unix(0, 0)).Truncate(d) + d)
}

// Interval is the time between the next two ticks after t.
func Interval(s cron.Schedule, t time.Time) time.Duration {
	n := s.Next(t)
	return s.Next(n).Sub(n)
}

// DueAt returns the tick a job started at t serves: the latest tick at or
// before t, provided it is recent (cron starts a job at its tick, give or
// take the timer's delay). It returns the zero time for a start that no
// tick explains, such as the run on start.
func DueAt(s cron.Schedule, t time.Time) time.Time {
	slack := min(Interval(s, t)/2, time.Minute)
	due := s.Next(t.Add(-slack))
	if due.After(t) {
		return time.Time{}
	}
	return due
}

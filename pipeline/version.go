package pipeline

import (
	"fmt"
	"time"
)

const versionLayout = "20060102T150405Z"

// nextVersion returns the version id for a run at now: the UTC time, or,
// when that does not sort after latest (same second, clock skew), latest's
// time with a three-digit suffix, so versions always sort as strings.
func nextVersion(now time.Time, latest string) string {
	v := now.UTC().Format(versionLayout)
	if latest == "" || v > latest {
		return v
	}
	base, n := latest, 0
	if len(latest) > len(versionLayout) {
		base = latest[:len(versionLayout)]
		fmt.Sscanf(latest[len(versionLayout):], "-%03d", &n)
	}
	return fmt.Sprintf("%s-%03d", base, n+1)
}

// versionTime parses a version id ("20060102T150405Z", optionally with a
// "-NNN" tie suffix) into the time of its run; ok is false for any other
// name.
func versionTime(v string) (t time.Time, ok bool) {
	if len(v) < len(versionLayout) {
		return time.Time{}, false
	}
	t, err := time.Parse(versionLayout, v[:len(versionLayout)])
	if err != nil {
		return time.Time{}, false
	}
	suffix := v[len(versionLayout):]
	if suffix != "" {
		if len(suffix) < 2 || suffix[0] != '-' {
			return time.Time{}, false
		}
		for _, c := range suffix[1:] {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
		}
	}
	return t, true
}

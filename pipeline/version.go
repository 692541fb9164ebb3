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

package pipeline

import (
	"fmt"
	"testing"
	"time"
)

func TestRetentionExpired(t *testing.T) {
	// Newest first, as versions.json lists them; one a day, and one newer
	// than latest (a run that crashed between versions.json and latest.json).
	versions := []VersionEntry{
		{Version: "20260110T000000Z"}, // newer than latest
		{Version: "20260109T000000Z"}, // latest
		{Version: "20260108T000000Z"},
		{Version: "20260107T000000Z-001"},
		{Version: "20260107T000000Z"},
		{Version: "20260105T000000Z"},
		{Version: "not-a-version"},
	}
	latest := "20260109T000000Z"
	now := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		keep Retention
		drop string
	}{
		{Retention{}, "[]"},
		{Retention{KeepVersions: 1}, "[20260108T000000Z 20260107T000000Z-001 20260107T000000Z 20260105T000000Z]"},
		{Retention{KeepVersions: 3}, "[20260107T000000Z-001 20260107T000000Z 20260105T000000Z]"},
		{Retention{KeepVersions: 100}, "[]"},
		{Retention{KeepDays: 3}, "[20260107T000000Z-001 20260107T000000Z 20260105T000000Z]"},
		{Retention{KeepDays: 1}, "[20260108T000000Z 20260107T000000Z-001 20260107T000000Z 20260105T000000Z]"},
		// Both: a version goes only when both let it go.
		{Retention{KeepVersions: 5, KeepDays: 1}, "[20260105T000000Z]"},
		{Retention{KeepVersions: 1, KeepDays: 4}, "[20260105T000000Z]"},
	}
	for _, tc := range tests {
		drop, keep := tc.keep.expired(versions, latest, now)
		var got []string
		for _, e := range drop {
			got = append(got, e.Version)
		}
		if fmt.Sprint(got) != tc.drop && !(tc.drop == "[]" && got == nil) {
			t.Errorf("%+v: drop %v, want %s", tc.keep, got, tc.drop)
		}
		if len(drop)+len(keep) != len(versions) || keep[0].Version != versions[0].Version || keep[1].Version != latest {
			t.Errorf("%+v: keep %v", tc.keep, keep)
		}
	}
	if drop, _ := (Retention{KeepVersions: 1}).expired(versions, "", now); drop != nil {
		t.Errorf("no latest: drop %v", drop)
	}
}

func TestVersionTime(t *testing.T) {
	for v, ok := range map[string]bool{
		"20261126T063105Z": true, "20261126T063105Z-001": true, "20261126T063105Z-12": true,
		"20261126T063105": false, "20261126T063105Z-": false, "20261126T063105Zx": false, "notes": false, "20261126T063105Z-0a1": false,
	} {
		if _, got := versionTime(v); got != ok {
			t.Errorf("versionTime(%q) ok = %v", v, got)
		}
	}
}

package pipeline

import (
	"testing"
	"time"
)

func TestNextVersion(t *testing.T) {
	at := time.Date(2026, 11, 26, 6, 31, 5, 0, time.UTC)
	tests := []struct {
		latest, want string
	}{
		{"", "20261126T063105Z"},
		{"20261126T063104Z", "20261126T063105Z"},
		{"20261126T063105Z", "20261126T063105Z-001"},
		{"20261126T063105Z-001", "20261126T063105Z-002"},
		{"20261126T063105Z-009", "20261126T063105Z-010"},
		{"20261127T000000Z", "20261127T000000Z-001"}, // clock behind latest
	}
	for _, tc := range tests {
		got := nextVersion(at, tc.latest)
		if got != tc.want {
			t.Errorf("nextVersion(%q) = %q, want %q", tc.latest, got, tc.want)
		}
		if got <= tc.latest {
			t.Errorf("nextVersion(%q) = %q does not sort after it", tc.latest, got)
		}
	}
}

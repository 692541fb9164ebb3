package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// replay rebuilds a store's history into another, version by version,
// and says what the rebuild changed against each original: with the same
// tool, nothing.
func TestReplayCommand(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, date := range []string{"2018-06-07", "2018-06-21"} {
		if got, err := executeEnv(t, nil, "run", "--source", "un_sc", "--from", "../../testdata/un_sc/"+date, "--out", a); err != nil {
			t.Fatalf("run %s: %v\n%s", date, err, got)
		}
	}
	got, err := executeEnv(t, nil, "replay", "--store", a, "--out", b)
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, got)
	}
	rows := regexp.MustCompile(`(?m)^un_sc +(\S+) +published +\d+ +identical$`).FindAllStringSubmatch(got, -1)
	if len(rows) != 2 || !strings.Contains(got, "combined") {
		t.Fatalf("replay printed:\n%s", got)
	}
	if _, err := executeEnv(t, nil, "replay", "--store", a, "--out", filepath.Clean(a)); err == nil {
		t.Error("replay into its own store was accepted")
	}
	// A second replay into B: its versions are already there.
	if got, err := executeEnv(t, nil, "replay", "--store", a, "--out", b); err == nil || !strings.Contains(got, "sorts after it") {
		t.Errorf("a replay into a store that holds the versions: %v\n%s", err, got)
	}
}

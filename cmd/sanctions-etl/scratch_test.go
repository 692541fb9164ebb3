package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/scratch"
)

// deadScratch makes a scratch folder no process holds, as a killed run
// leaves it, with n bytes in it.
func deadScratch(t *testing.T, parent string, n int) string {
	t.Helper()
	p := filepath.Join(parent, scratch.Prefix+"killed")
	if err := os.MkdirAll(filepath.Join(p, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "sub", "entities-1.jsonl.gz"), make([]byte, n), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func entryNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// run sweeps the temp folders of killed runs at start, leaves a live
// process's, and removes its own at exit: --temp-dir holds nothing else.
func TestRunSweepsScratchAtStartAndLeavesNone(t *testing.T) {
	tmp := t.TempDir()
	dead := deadScratch(t, tmp, 4096)
	live, err := scratch.New(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	got, err := execute(t, "--log-level", "info", "--log-format", "text", "run", "--temp-dir", tmp, "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", t.TempDir())
	if err != nil || !strings.Contains(got, "us_ofac_cons  published") {
		t.Fatalf("run: %v\n%s", err, got)
	}
	if !strings.Contains(got, "removed the temp folders of killed runs") || !strings.Contains(got, "count=1 bytes=4096") {
		t.Errorf("the sweep is not logged with its count and bytes:\n%s", got)
	}
	if names := entryNames(t, tmp); !slices.Equal(names, []string{filepath.Base(live.Path())}) {
		t.Fatalf("--temp-dir holds %v after the run, want only the live process's %s (%s swept)", names, filepath.Base(live.Path()), filepath.Base(dead))
	}
	if _, err := execute(t, "run", "--temp-dir", filepath.Join(tmp, "missing"), "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", t.TempDir()); err == nil || !strings.Contains(err.Error(), "--temp-dir") {
		t.Fatalf("a missing --temp-dir: %v", err)
	}
}

// gc removes what killed processes left outside any version: a local
// store's temp files in a folder no object names any more, and the temp
// folders in $TMPDIR; with --dry-run, nothing.
func TestGCSweepsKilledWrites(t *testing.T) {
	out := t.TempDir()
	if got, err := execute(t, "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out); err != nil {
		t.Fatalf("run: %v\n%s", err, got)
	}
	// A folder holding only the temp file of a Put that was killed (its
	// lock went with its process): List shows nothing of it.
	killedDir := filepath.Join(out, "us_ofac_cons", "20200101T000000Z", "raw")
	if err := os.MkdirAll(killedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(killedDir, ".CONSOLIDATED.XML.tmp-123"), []byte("<partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	// And one of index.json, which is no source's.
	if err := os.WriteFile(filepath.Join(out, ".index.json.tmp-456"), []byte(`{"sour`), 0o600); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dead := deadScratch(t, tmp, 10)

	got, err := execute(t, "gc", "--out", out, "--dry-run")
	if err != nil || strings.Contains(got, "temp files") {
		t.Fatalf("gc --dry-run: %v\n%s", err, got)
	}
	if _, err := os.Stat(dead); err != nil {
		t.Fatalf("gc --dry-run swept $TMPDIR: %v", err)
	}
	got, err = execute(t, "gc", "--out", out)
	if err != nil || !strings.Contains(got, "removed 1 temp files of killed writes (6 bytes)") {
		t.Fatalf("gc: %v\n%s", err, got)
	}
	if left := residue(t, out, false); len(left) > 0 {
		t.Fatalf("after gc the store holds %v", left)
	}
	if _, err := os.Stat(filepath.Join(out, "us_ofac_cons", "20200101T000000Z")); !os.IsNotExist(err) {
		t.Fatalf("the killed write's folder is still there: %v", err)
	}
	if names := entryNames(t, tmp); len(names) != 0 {
		t.Fatalf("$TMPDIR holds %v after gc", names)
	}
}

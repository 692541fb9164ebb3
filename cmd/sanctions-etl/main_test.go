package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// execute runs the command line as main would and returns its output.
func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return executeWith(t, os.LookupEnv, args...)
}

func executeWith(t *testing.T, lookupEnv func(string) (string, bool), args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmdEnv(lookupEnv)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{"--log-level", "error"}, args...))
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestRunFromSummaryAndExitStatus(t *testing.T) {
	out := t.TempDir()
	got, err := execute(t, "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, got)
	}
	if !strings.Contains(got, "us_ofac_cons  published") || !strings.Contains(got, "639") {
		t.Fatalf("summary:\n%s", got)
	}
	// Same files again: unchanged, exit 0.
	got, err = execute(t, "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out)
	if err != nil || !strings.Contains(got, "unchanged") {
		t.Fatalf("rerun: %v\n%s", err, got)
	}
	// A folder without the source's files: that source fails, exit 1.
	got, err = execute(t, "run", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out)
	if !errors.Is(err, errFailed) {
		t.Fatalf("run with a failing source: err %v\n%s", err, got)
	}
	if !strings.Contains(got, "us_ofac_sdn   failed") || !strings.Contains(got, "us_ofac_sdn: ") {
		t.Fatalf("the failure is not in the summary:\n%s", got)
	}
}

func TestBadFlagsAreRejected(t *testing.T) {
	tests := [][]string{
		{"run", "--source", "nope", "--from", "."},
		{"run", "--max-drop", "2", "--from", "."},
		{"run", "--user-agent", "curl/8", "--out", "x"},
		{"run", "--out", "s3://", "--from", "."},
		{"run", "--out", "s3://ab/prefix", "--from", "."},
		{"run", "--out", "s3://bucket/prefix", "--s3-sse", "DES", "--s3-region", "us-east-1", "--from", "."},
		{"run", "--out", "x", "--s3-path-style", "--from", "."},
		{"run", "--upload-concurrency", "0", "--from", "."},
		{"run", "--keep-days", "-1", "--from", "."},
		{"gc", "--out", "x", "--grace", "0"},
		{"gc", "--out", "x", "--grace", "500ms"}, // shorter than pipeline.MinGCGrace
		{"gc", "--out", "x", "--source", "nope"},
		{"run", "--log-level", "loud", "--from", "."},
		{"diff", "only-one"},
	}
	for _, args := range tests {
		if out, err := execute(t, args...); err == nil || errors.Is(err, errFailed) {
			t.Errorf("%v: err %v, want a usage error\n%s", args, err, out)
		}
	}
}

func TestDemoThenDiff(t *testing.T) {
	out := t.TempDir()
	got, err := execute(t, "demo", "--out", out)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, got)
	}
	for _, src := range []string{"us_ofac_sdn", "us_ofac_cons"} {
		versions, _ := filepath.Glob(filepath.Join(out, src, "2*"))
		if len(versions) != 2 {
			t.Fatalf("%s: %d versions, want 2", src, len(versions))
		}
		md, err := execute(t, "diff", versions[0], versions[1])
		if err != nil {
			t.Fatal(err)
		}
		// The report of the second version says the same counts.
		published, err := os.ReadFile(filepath.Join(versions[1], "report.md"))
		if err != nil {
			t.Fatal(err)
		}
		if summary(md) == "" || summary(md) != summary(string(published)) {
			t.Fatalf("%s: diff summary %q, published %q", src, summary(md), summary(string(published)))
		}
	}
	if _, err := os.Stat(filepath.Join(out, "index.json")); err != nil {
		t.Fatal(err)
	}
	// The demo covers every source of the registry.
	for _, s := range all.Registry(all.Config{}) {
		name := s.Info().Name
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(layout.Latest(name)))); err != nil {
			t.Errorf("demo published no version of %s: %v", name, err)
		}
	}
}

// summary returns the counts row of a report's summary table.
func summary(md string) string {
	_, after, _ := strings.Cut(md, "|---:|---:|---:|---:|---:|\n")
	row, _, _ := strings.Cut(after, "\n")
	return row
}

// The malformed set as it is is a re-saved copy (no 0x1A end marks) and
// refused; given the marks, validate lists its broken rows.
func TestValidateListsProblems(t *testing.T) {
	dir := "../../testdata/malformed/us_ofac_sdn/"
	files := []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"}
	var asIs, terminated []string
	tmp := t.TempDir()
	for _, f := range files {
		asIs = append(asIs, dir+f+".gz")
		data := append(sourcetest.Gunzip(t, dir+f+".gz"), 0x1a)
		if err := os.WriteFile(filepath.Join(tmp, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
		terminated = append(terminated, filepath.Join(tmp, f))
	}
	got, err := execute(t, append([]string{"validate", "--source", "us_ofac_sdn"}, asIs...)...)
	if err == nil || !strings.Contains(err.Error()+got, "re-saved copy") {
		t.Fatalf("validate of the set as it is: %v\n%s", err, got)
	}
	got, err = execute(t, append([]string{"validate", "--source", "us_ofac_sdn"}, terminated...)...)
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, got)
	}
	if !strings.Contains(got, "SDN.CSV") || !strings.Contains(got, "line ") || !strings.Contains(got, "entities: ") {
		t.Fatalf("validate output:\n%s", got)
	}
}

func TestSourcesLists(t *testing.T) {
	got, err := execute(t, "sources")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"us_ofac_sdn", "us_ofac_cons", "SDN.XML", "CONS_PRIM.CSV", "https://"} {
		if !strings.Contains(got, want) {
			t.Errorf("sources output lacks %q", want)
		}
	}
}

// Every source runs from a folder of its real publication.
func TestRunFromEverySource(t *testing.T) {
	dirs := map[string]string{
		"us_ofac_sdn":  "../../testdata/us_ofac_sdn/2021-07-07",
		"us_ofac_cons": "../../testdata/us_ofac_cons/2018-04-06",
		"un_sc":        "../../testdata/un_sc/2026-02-27",
		"eu_fsf":       "../../testdata/eu_fsf/excerpt-2026-08-05",
		"gb_fcdo":      "../../testdata/gb_fcdo/excerpt-2026-08-14",
	}
	out := t.TempDir()
	for src, dir := range dirs {
		got, err := execute(t, "run", "--source", src, "--from", dir, "--out", out)
		if err != nil || !strings.Contains(got, src) || !strings.Contains(got, "published") {
			t.Errorf("%s: %v\n%s", src, err, got)
		}
	}
}

// Without a token the EU source fails over the network before any
// request, saying what is missing; the others are not held up.
func TestEUWithoutTokenFailsClearly(t *testing.T) {
	t.Setenv("SANCTIONS_ETL_EU_TOKEN", "")
	got, err := execute(t, "run", "--source", "eu_fsf", "--out", t.TempDir())
	if !errors.Is(err, errFailed) || !strings.Contains(got, "no URL configured") {
		t.Fatalf("err %v\n%s", err, got)
	}
}

// A publication whose index.json refresh fails: the summary says the
// source published, and the error says that only the catalog is stale.
func TestIndexFailureSaysWhatHappened(t *testing.T) {
	out := t.TempDir()
	// A folder where index.json goes: every write of it fails.
	if err := os.Mkdir(filepath.Join(out, "index.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := execute(t, "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out)
	if err == nil || errors.Is(err, errFailed) {
		t.Fatalf("run: err %v, want the index error\n%s", err, got)
	}
	if !strings.Contains(got, "us_ofac_cons  published") || !strings.Contains(err.Error(), "index.json not refreshed (each source's outcome above stands)") {
		t.Fatalf("err %v\n%s", err, got)
	}
	if _, statErr := os.Stat(filepath.Join(out, "us_ofac_cons", "latest.json")); statErr != nil {
		t.Fatal(statErr)
	}
}

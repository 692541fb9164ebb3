package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The figures and ratios of a real `go test -bench 'Floor|WholeRun'` run
// (commit 0fb2c74, before the streaming rewrite): 100 MB run 6.568 s,
// xmlquery floor 4.026 s, xmltoken floor 3.160 s, peak RSS 436.6 MiB at
// 100 MB and 127.8 MiB at 25 MB.
func TestReport(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"testdata/bench-compare-0fb2c74.txt"}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"un/100MB       run     1  6.568 s  15.5  436.6 MiB         1.63x         2.08x",
		"un/100MB  xmlquery     1  4.026 s  25.3   13.9 MiB",
		"ofac/2021-07-07       run     1  0.247 s  14.2   74.1 MiB             -             -",
		"peak RSS of a run, 100MB / 25MB: 3.42x",
		"un/100MB run / xmlquery floor        1.63x (at most 1.20x)  MISSED",
		"un/2026-02-27 run                    0.18 s (at most 0.10 s)  MISSED",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no line with %q in\n%s", want, got)
		}
	}
	// Inputs by size, then the real files.
	order := []string{"un/25MB ", "un/50MB ", "un/100MB ", "un/2026-02-27 ", "ofac/2021-07-07 "}
	last := -1
	for _, in := range order {
		i := strings.Index(got, in)
		if i < last {
			t.Errorf("%q before the input listed before it", in)
		}
		last = i
	}
}

// Medians over the -count rounds; the other benchmarks and a file
// without these are refused.
func TestMedianAndRefusals(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}

	other := filepath.Join(t.TempDir(), "other.txt")
	if err := os.WriteFile(other, []byte("BenchmarkParseUN-2 \t 10\t 56917093 ns/op\t  35.68 MB/s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run([]string{other}, &out); err == nil || !strings.Contains(err.Error(), "no BenchmarkWholeRun") {
		t.Errorf("a file without these benchmarks: %v", err)
	}
	if err := run([]string{filepath.Join(t.TempDir(), "missing.txt")}, &out); err == nil {
		t.Error("a missing file was read")
	}
}

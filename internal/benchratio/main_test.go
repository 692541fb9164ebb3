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

// The floors on OFAC advanced inputs (Floor/KIND/ofac_advanced/SIZE,
// three parts) pair with the runs on the same input: a real
// `go test -bench 'Floor/.*/ofac_advanced|WholeRun/ofac_advanced' -count 5`
// (commit ccd69eb), the 100 MB run 3.042 s beside the xmlquery floor's
// 4.359 s and the xmltoken floor's 2.130 s.
func TestReportOFACAdvanced(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"testdata/bench-compare-ofac-advanced.txt"}, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"ofac_advanced/10MB       run     5  0.597 s  18.6  56.7 MiB         1.16x         2.45x",
		"ofac_advanced/100MB       run     5  3.042 s  33.2  59.3 MiB         0.70x         1.43x",
		"ofac_advanced/100MB  xmlquery     5  4.359 s  23.2  20.2 MiB",
		"ofac_advanced/100MB  xmltoken     5  2.130 s  47.4  12.1 MiB",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no line with %q in\n%s", want, got)
		}
	}
	if table, _, _ := strings.Cut(got, "\npeak RSS"); strings.Contains(table, " un/") {
		t.Errorf("an OFAC floor was read as a UN input:\n%s", got)
	}
	if i, j := strings.Index(got, "ofac_advanced/10MB "), strings.Index(got, "ofac_advanced/100MB "); i < 0 || j < i {
		t.Errorf("10MB not listed before 100MB:\n%s", got)
	}
}

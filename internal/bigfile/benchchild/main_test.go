package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "benchchild")
	sourcetest.GoBuild(t, bin, ".")
	return bin
}

const mib = 1 << 20

// A child measured through benchchild reports its own peak RSS, not its
// parent's: this test process grows past 64 MiB first, which a direct
// wait4 figure would include.
func TestMeasureIsTheChildsOwn(t *testing.T) {
	bin := build(t)
	pub := filepath.Join(t.TempDir(), "consolidated.xml")
	if err := os.WriteFile(pub, sourcetest.Gunzip(t, "../../../testdata/un_sc/2026-02-27/consolidated.xml.gz"), 0o644); err != nil {
		t.Fatal(err)
	}

	ballast := make([]byte, 64*mib)
	for i := range ballast {
		ballast[i] = 1
	}
	var self syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err != nil {
		t.Fatal(err)
	}
	if self.Maxrss < 64*mib/1024 {
		t.Fatalf("the test process peaked at %d KiB; the check needs 64 MiB", self.Maxrss)
	}

	direct := exec.Command(bin, "xmltoken", pub)
	if err := direct.Run(); err != nil {
		t.Fatal(err)
	}
	t.Logf("test process %d KiB; the same child started directly: %d KiB", self.Maxrss, direct.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)

	for _, tc := range []struct {
		name   string
		args   []string
		exit   int
		stdout string
		maxMiB int64
	}{
		{"floor", []string{"xmltoken", pub}, 0, "records 1003\n", 32},
		{"failing child", []string{"xmlquery", pub + ".missing"}, 2, "", 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "report.json")
			cmd := exec.Command(bin, append([]string{"measure", report, bin}, tc.args...)...)
			var stdout strings.Builder
			cmd.Stdout = &stdout
			if err := cmd.Run(); err != nil {
				t.Fatalf("measure: %v", err)
			}
			raw, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			var r Report
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", tc.name, raw)
			if r.ExitCode != tc.exit || stdout.String() != tc.stdout {
				t.Errorf("exit %d, stdout %q; want %d, %q", r.ExitCode, stdout.String(), tc.exit, tc.stdout)
			}
			if r.MaxRSSKiB <= 0 || r.MaxRSSKiB > tc.maxMiB*1024 {
				t.Errorf("child peak %d KiB, want (0, %d MiB]: the parent's memory counted", r.MaxRSSKiB, tc.maxMiB)
			}
			if r.WallNS <= 0 {
				t.Errorf("wall %d ns", r.WallNS)
			}
		})
	}
	runtime.KeepAlive(ballast)
}

// Modes and arguments it does not know are refused, exit status 2.
func TestUsage(t *testing.T) {
	bin := build(t)
	for _, args := range [][]string{nil, {"measure"}, {"measure", "r.json"}, {"nope", "x"}} {
		err := exec.Command(bin, args...).Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("%q: %v, want exit status 2", args, err)
		}
	}
}

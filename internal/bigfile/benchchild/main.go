// Command benchchild runs what the whole-run benchmarks and memory tests
// measure, in a process small enough not to distort the measure.
//
// A child's peak RSS from wait4 (ProcessState.SysUsage's Maxrss) is not
// the child's alone on Linux: exec records the peak of the memory the
// child had before it (the parent's, shared by Go's vfork-style start) as
// a floor of the child's figure. A test binary started a run after it
// built a 100 MB input, or while -race doubles its memory, and the run's
// figure was the test binary's. Started from this command (a few MiB),
// the child's figure is the child's own.
//
//	benchchild measure REPORT CMD [ARG...]
//		runs CMD with this environment, stdin, stdout and stderr, waits,
//		and writes {"exit_code", "maxrss_kib", "wall_ns"} as JSON to REPORT
//		(exit status 0 whenever REPORT was written)
//	benchchild xmltoken FILE   the encoding/xml Token floor on FILE
//	benchchild xmlquery FILE   the xmlquery stream floor on FILE
//
// The floors print "records N" so that a caller can tell they read it all.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
)

// Report is what measure writes.
type Report struct {
	ExitCode  int   `json:"exit_code"`
	MaxRSSKiB int64 `json:"maxrss_kib"`
	WallNS    int64 `json:"wall_ns"`
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchchild:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return errors.New("usage: benchchild measure REPORT CMD [ARG...] | xmltoken FILE | xmlquery FILE")
	}
	switch args[0] {
	case "measure":
		if len(args) < 3 {
			return errors.New("measure: want REPORT CMD [ARG...]")
		}
		return measure(args[1], args[2], args[3:])
	case "xmltoken", "xmlquery":
		f, err := os.Open(args[1])
		if err != nil {
			return err
		}
		defer f.Close()
		var n int
		if args[0] == "xmltoken" {
			n, err = bigfile.TokenFloor(f)
		} else {
			n, _, err = bigfile.XMLQueryFloor(f)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", args[1], err)
		}
		fmt.Printf("records %d\n", n)
		return nil
	}
	return fmt.Errorf("unknown mode %q", args[0])
}

func measure(report, name string, args []string) error {
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The child does not outlive this process (nor, through the caller's
	// same setting, the test that started it).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return fmt.Errorf("measure: %w", err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return errors.New("measure: no rusage on this system")
	}
	out, err := json.Marshal(Report{ExitCode: cmd.ProcessState.ExitCode(), MaxRSSKiB: ru.Maxrss, WallNS: wall.Nanoseconds()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(report, out, 0o644); err != nil {
		return fmt.Errorf("measure: %w", err)
	}
	return nil
}

package scratch

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestHelperProcess is not a test: run as `TEST -test.run=^TestHelperProcess$
// -- scratch PARENT` it makes its scratch folder in PARENT, writes a file
// there, prints the folder's path and waits to be killed.
func TestHelperProcess(t *testing.T) {
	args := flag.Args()
	if len(args) != 2 || args[0] != "scratch" {
		return
	}
	d, err := New(args[1])
	if err == nil {
		err = os.WriteFile(filepath.Join(d.Path(), "SDN.CSV-123"), make([]byte, 1000), 0o600)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println(d.Path())
	time.Sleep(time.Hour)
	os.Exit(3)
}

// startOwner starts a process that owns a scratch folder in parent and
// returns it and the folder.
func startOwner(t *testing.T, parent string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "--", "scratch", parent)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("the helper printed no folder: %v", err)
	}
	return cmd, strings.TrimSpace(line)
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// A process killed with SIGKILL leaves its folder; the next sweep removes
// it, and not the folder of a live process (this one's or another's), nor
// anything that is not a scratch folder.
func TestSweepRemovesOnlyTheFoldersOfDeadProcesses(t *testing.T) {
	parent := t.TempDir()
	killed, killedDir := startOwner(t, parent)
	_, liveDir := startOwner(t, parent)
	own, err := New(parent)
	if err != nil {
		t.Fatal(err)
	}
	// What is not a scratch folder stays, lock or none: an older release's
	// demo folder, a file with the prefix, someone else's folder.
	others := []string{"sanctions-etl-demo-123", "other-tool-1"}
	for _, name := range others {
		if err := os.Mkdir(filepath.Join(parent, name), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(parent, Prefix+"file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}

	swept, err := Sweep(parent)
	if err != nil || len(swept.Folders) != 0 {
		t.Fatalf("sweep with every owner alive: %+v, %v", swept, err)
	}
	if err := killed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	if !exists(killedDir) {
		t.Fatal("the killed process's folder went with it; the test shows nothing")
	}

	swept, err = Sweep(parent)
	if err != nil || !slices.Equal(swept.Folders, []string{killedDir}) || swept.Bytes != 1000 {
		t.Fatalf("sweep after the kill: %+v, %v; want %s and its 1000 bytes", swept, err, killedDir)
	}
	for _, p := range []string{liveDir, own.Path(), filepath.Join(parent, Prefix+"file"), filepath.Join(parent, others[0]), filepath.Join(parent, others[1])} {
		if !exists(p) {
			t.Errorf("sweep removed %s", p)
		}
	}
	if exists(killedDir) {
		t.Errorf("%s is still there", killedDir)
	}
	if err := own.Remove(); err != nil || exists(own.Path()) {
		t.Fatalf("Remove: %v", err)
	}
}

// Sweeps beside processes making their folders never take a live one,
// even in the instant between a folder's making and its lock.
func TestSweepBesideNew(t *testing.T) {
	parent := t.TempDir()
	done := make(chan struct{})
	var sweeps sync.WaitGroup
	sweeps.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, err := Sweep(parent); err != nil {
				t.Error(err)
				return
			}
		}
	})
	var makers sync.WaitGroup
	for range 4 {
		makers.Go(func() {
			for range 50 {
				d, err := New(parent)
				if err != nil {
					t.Error(err)
					return
				}
				// Two sweeps' time: a folder taken would be gone by now.
				if err := os.WriteFile(filepath.Join(d.Path(), "x"), []byte("x"), 0o600); err != nil {
					t.Error(err)
				}
				time.Sleep(time.Millisecond)
				if _, err := os.Stat(filepath.Join(d.Path(), "x")); err != nil {
					t.Errorf("a live folder was swept: %v", err)
				}
				if err := d.Remove(); err != nil {
					t.Error(err)
				}
			}
		})
	}
	makers.Wait()
	close(done)
	sweeps.Wait()
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Fatalf("left: %v", entries)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// streamTemp is this test process's folder for what the stream tests and
// benchmarks share (binaries, inputs of up to 100 MB, run folders): built
// once per process, since a benchmark's parent function runs again every
// -count round. TestMain removes it.
var streamTemp string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sanctions-etl-stream-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	streamTemp = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// streamShared holds what the stream tests build once.
var streamShared struct {
	sync.Mutex
	tools     *streamBins
	inputs    *bigfile.Dir
	ofacDir   string
	ofacBytes int64
}

// streamBins are the binaries a measured run needs.
type streamBins struct {
	etl   string // this command
	child string // internal/bigfile/benchchild
}

// streamTools builds the command and benchchild once per process (as
// buildBinary does, into streamTemp instead of one test's folder).
func streamTools(tb testing.TB) *streamBins {
	tb.Helper()
	streamShared.Lock()
	defer streamShared.Unlock()
	if streamShared.tools == nil {
		dir := filepath.Join(streamTemp, "bin")
		bins := &streamBins{etl: filepath.Join(dir, "sanctions-etl"), child: filepath.Join(dir, "benchchild")}
		for bin, pkg := range map[string]string{bins.etl: ".", bins.child: "../../internal/bigfile/benchchild"} {
			sourcetest.GoBuild(tb, bin, pkg)
		}
		streamShared.tools = bins
	}
	return streamShared.tools
}

// bigUN is the UN list of at least size bytes built from the real
// 2026-02-27 records (size 0: that publication itself).
func bigUN(tb testing.TB, size int64) bigfile.Made {
	tb.Helper()
	m, err := streamInputs(tb).UN(size)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// bigUNNextDay is the publication of the day after bigUN's of size.
func bigUNNextDay(tb testing.TB, size int64) bigfile.Made {
	tb.Helper()
	m, err := streamInputs(tb).UNNextDay(size)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func streamInputs(tb testing.TB) *bigfile.Dir {
	tb.Helper()
	streamShared.Lock()
	defer streamShared.Unlock()
	if streamShared.inputs == nil {
		dir := filepath.Join(streamTemp, "inputs")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		streamShared.inputs = bigfile.NewDir(dir, sourcetest.Gunzip(tb, "../../testdata/un_sc/2026-02-27/consolidated.xml.gz"))
	}
	return streamShared.inputs
}

// ofacEntities is what the 2021-07-07 SDN CSV set publishes.
const ofacEntities = 8976

// ofacSet is a --from folder with the real 2021-07-07 OFAC SDN CSV set,
// gunzipped, and the set's size.
func ofacSet(tb testing.TB) (string, int64) {
	tb.Helper()
	streamShared.Lock()
	defer streamShared.Unlock()
	if streamShared.ofacDir == "" {
		dir := filepath.Join(streamTemp, "us_ofac_sdn-2021-07-07")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		var size int64
		for _, name := range []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"} {
			data := sourcetest.Gunzip(tb, filepath.Join("../../testdata/us_ofac_sdn/2021-07-07", name+".gz"))
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				tb.Fatal(err)
			}
			size += int64(len(data))
		}
		streamShared.ofacDir, streamShared.ofacBytes = dir, size
	}
	return streamShared.ofacDir, streamShared.ofacBytes
}

// streamWorkDir is a fresh folder for one run's store and scratch.
func streamWorkDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.MkdirTemp(streamTemp, "run-")
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// measured is one measured child process.
type measured struct {
	wall    time.Duration
	peakKiB int64 // peak RSS
	stdout  []byte
}

var reports atomic.Int64

// measure runs name with args under benchchild measure, in an
// environment of PATH alone (no SANCTIONS_ETL_*, GOGC or GOMEMLIMIT of
// the caller's), and fails unless it exits 0.
func (b *streamBins) measure(name string, args ...string) (measured, error) {
	report := filepath.Join(streamTemp, fmt.Sprintf("report-%d.json", reports.Add(1)))
	defer os.Remove(report)
	cmd := exec.Command(b.child, append([]string{"measure", report, name}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return measured{}, fmt.Errorf("benchchild measure %s: %w\n%s", filepath.Base(name), err, stderr.Bytes())
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		return measured{}, fmt.Errorf("benchchild report: %w", err)
	}
	var r struct {
		ExitCode  int   `json:"exit_code"`
		MaxRSSKiB int64 `json:"maxrss_kib"`
		WallNS    int64 `json:"wall_ns"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return measured{}, fmt.Errorf("benchchild report %s: %w", raw, err)
	}
	if r.ExitCode != 0 {
		return measured{}, fmt.Errorf("%s %v: exit status %d\n%s%s", filepath.Base(name), args, r.ExitCode, stdout.Bytes(), stderr.Bytes())
	}
	return measured{wall: time.Duration(r.WallNS), peakKiB: r.MaxRSSKiB, stdout: stdout.Bytes()}, nil
}

// run is one `run` of source from the folder from into work/out.
func (b *streamBins) run(source, from, work string) (measured, error) {
	scratch := filepath.Join(work, "tmp")
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return measured{}, err
	}
	return b.measure(b.etl, "run", "--source", source, "--from", from, "--out", filepath.Join(work, "out"),
		"--lease-ttl", "0", "--temp-dir", scratch, "--log-format", "json")
}

// runManifest is what the stream tests read of the latest manifest.
type runManifest struct {
	Version         string   `json:"version"`
	PreviousVersion *string  `json:"previous_version"`
	EntityCount     int      `json:"entity_count"`
	Delta           runDelta `json:"delta"`
}

type runDelta struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
}

// readRunManifest reads the manifest latest.json names in work/out.
func readRunManifest(work, source string) (runManifest, error) {
	dir := filepath.Join(work, "out", source)
	var latest struct{ Manifest string }
	var m runManifest
	if err := readJSON(filepath.Join(dir, "latest.json"), &latest); err != nil {
		return m, err
	}
	err := readJSON(filepath.Join(dir, latest.Manifest), &m)
	return m, err
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

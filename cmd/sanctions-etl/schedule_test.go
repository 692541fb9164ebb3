package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/schedules"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// buildBinary builds the command once per test run, as `make build` does.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sanctions-etl")
	sourcetest.GoBuild(t, bin, ".")
	return bin
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// The real binary, the real signal: SIGTERM while a run is fetching stops
// new runs, lets that run publish, and exits 0; every log line of a run
// names its source and run id.
func TestScheduleBinarySIGTERMDuringARun(t *testing.T) {
	bin := buildBinary(t)
	first := sourcetest.Gunzip(t, "../../testdata/un_sc/2018-06-07/consolidated.xml.gz")
	second := sourcetest.Gunzip(t, "../../testdata/un_sc/2018-06-21/consolidated.xml.gz")
	var serving atomic.Pointer[[]byte]
	serving.Store(&first)
	hold := make(chan struct{})
	var holding atomic.Bool
	var requests, held atomic.Int32
	pub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if holding.Load() {
			held.Add(1)
			select {
			case <-hold:
			case <-r.Context().Done():
				return
			}
		}
		body := *serving.Load()
		http.ServeContent(w, r, "consolidated.xml", time.Time{}, bytes.NewReader(body))
	}))
	defer pub.Close()

	out := t.TempDir()
	listen := freePort(t)
	cfg := writeConfig(t, fmt.Sprintf(`out: %s
listen: %s
run_on_start: true
shutdown_timeout: 30s
lease_ttl: 10s
log_format: json
temp_dir: %s
sources:
  un_sc:
    schedule: "*/2 * * * * *"
    urls: {consolidated.xml: %s/consolidated.xml}
`, out, listen, t.TempDir(), pub.URL))
	cmd := exec.Command(bin, "schedule", "--config", cfg)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	}()

	status := func() schedules.SourceStatus {
		resp, err := http.Get("http://" + listen + "/status")
		if err != nil {
			return schedules.SourceStatus{}
		}
		defer resp.Body.Close()
		var st schedules.Status
		json.NewDecoder(resp.Body).Decode(&st)
		if len(st.Sources) != 1 {
			return schedules.SourceStatus{}
		}
		return st.Sources[0]
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("waited 20s for %s", what)
			}
		}
	}
	waitFor("the first version", func() bool { return status().LatestVersion != "" })
	v1 := status().LatestVersion

	// The next run blocks in its fetch of a new publication; SIGTERM then.
	serving.Store(&second)
	holding.Store(true)
	waitFor("a run held in its fetch", func() bool { return held.Load() == 1 && status().Running })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond) // a tick passes: no new run may start
	select {
	case err := <-exited:
		t.Fatalf("exited (%v) before the running run ended", err)
	default:
	}
	reqs := requests.Load()
	close(hold)
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; want status 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20s after the held run was released")
	}
	if got := requests.Load(); got != reqs {
		t.Errorf("%d requests after SIGTERM, want none but the held one", got-reqs)
	}

	var latest struct{ Version, Manifest string }
	readFileJSON(t, filepath.Join(out, "un_sc", "latest.json"), &latest)
	var m struct {
		Version         string
		PreviousVersion *string `json:"previous_version"`
		Delta           struct{ Added int }
	}
	readFileJSON(t, filepath.Join(out, "un_sc", latest.Manifest), &m)
	if latest.Version == v1 || m.Version != latest.Version || m.PreviousVersion == nil || *m.PreviousVersion != v1 || m.Delta.Added != 2 {
		t.Fatalf("after SIGTERM: latest %+v, manifest %+v; want the held run's version after %s, 2 added", latest, m, v1)
	}

	// Logs: JSON lines; a run's lines carry its source and run id.
	runLines := 0
	sc := bufio.NewScanner(bytes.NewReader(logs.Bytes()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line not JSON: %q", sc.Text())
		}
		if _, ok := line["run_id"]; ok {
			runLines++
			// The combined dataset, built after each publication, is a run
			// of its own.
			if line["source"] != "un_sc" && line["source"] != "combined" {
				t.Errorf("run log line without its source: %q", sc.Text())
			}
		}
		if msg, _ := line["msg"].(string); msg == "published" || msg == "run done" || msg == "not modified since last check" {
			if _, ok := line["run_id"]; !ok {
				t.Errorf("run log line without a run id: %q", sc.Text())
			}
		}
	}
	if runLines < 4 {
		t.Errorf("%d log lines carry a run id", runLines)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no stop line in the logs")
	}
}

func readFileJSON(t *testing.T, p string, v any) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
}

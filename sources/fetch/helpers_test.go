package fetch

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Real publications from the project's testdata.
const (
	sdnXML   = "../../testdata/us_ofac_sdn/excerpt-2020-10-29/sdn.xml"
	sdnCSV   = "../../testdata/us_ofac_sdn/excerpt-2025-05-16/sdn.csv"
	sdnCSVGz = "../../testdata/us_ofac_sdn/2021-07-07/sdn.csv.gz"
)

// tight retries fast enough that no test sleeps noticeably, and logs
// nowhere.
var tight = RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: 10 * time.Millisecond, MaxElapsed: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzipFile(t *testing.T, path string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(readFile(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// checkFile asserts that f holds exactly want.
func checkFile(t *testing.T, f *File, want []byte) {
	t.Helper()
	if f.NotModified {
		t.Fatal("NotModified set")
	}
	if f.Bytes != int64(len(want)) {
		t.Errorf("Bytes = %d, want %d", f.Bytes, len(want))
	}
	if f.SHA256 != sum(want) {
		t.Errorf("SHA256 = %s, want %s", f.SHA256, sum(want))
	}
	got, err := os.ReadFile(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Path holds %d bytes that differ from the %d expected", len(got), len(want))
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func checkEmpty(t *testing.T, dir string) {
	t.Helper()
	if names := entries(t, dir); len(names) > 0 {
		t.Errorf("%s not empty: %v", dir, names)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// logCapture collects a logger's JSON lines.
type logCapture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *logCapture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.Write(p)
}

func (c *logCapture) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(c, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// lines decodes what was logged so far, one map per line.
func (c *logCapture) lines(t *testing.T) []map[string]any {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(c.buf.Bytes()))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

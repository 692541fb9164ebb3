package fetch

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Real publications from the project's testdata.
const (
	sdnXML   = "../../testdata/us_ofac_sdn/excerpt-2020-10-29/sdn.xml"
	sdnCSV   = "../../testdata/us_ofac_sdn/excerpt-2025-05-16/sdn.csv"
	sdnCSVGz = "../../testdata/us_ofac_sdn/2021-07-07/sdn.csv.gz"
)

// tight retries fast enough that no test sleeps noticeably.
var tight = RetryPolicy{MaxAttempts: 3, Initial: time.Millisecond, Max: 10 * time.Millisecond, MaxElapsed: 5 * time.Second}

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

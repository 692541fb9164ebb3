package pipeline_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

const testdata = "../testdata"

func source(t testing.TB, name string) sources.Source {
	t.Helper()
	srcs, err := all.Select(all.Registry(all.Config{}), []string{name})
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

func newStore(t testing.TB) *local.Store {
	t.Helper()
	st, err := local.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// clock gives each run a later second, as real runs have: every reading
// is a minute (or step) later than the one before. Safe for concurrent use.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.step == 0 {
		c.t = c.t.Add(time.Minute)
	} else {
		c.t = c.t.Add(c.step)
	}
	return c.t
}

func newClock() *clock { return clockFrom(time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)) }

func clockFrom(t time.Time) *clock { return &clock{t: t} }

func config(st sink.Store, f fetch.Fetcher, c *clock) pipeline.Config {
	cfg := pipeline.Config{Store: st, Fetcher: f, ToolVersion: "test", TempDir: os.TempDir(), Logger: slog.New(slog.DiscardHandler)}
	if c != nil {
		cfg.Now = c.now
	}
	return cfg
}

// runFrom runs one source from a folder.
func runFrom(t testing.TB, st sink.Store, c *clock, name, dir string) pipeline.Result {
	t.Helper()
	return pipeline.Run(context.Background(), config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), c), source(t, name))
}

func readJSONFile(t testing.TB, st sink.Store, key string, v any) bool {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key)
	if st.IsNotExist(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := json.NewDecoder(rc).Decode(v); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return true
}

func latestVersion(t testing.TB, st sink.Store, src string) string {
	t.Helper()
	var l pipeline.Latest
	if !readJSONFile(t, st, layout.Latest(src), &l) {
		return ""
	}
	return l.Version
}

func manifest(t *testing.T, st sink.Store, src, version string) pipeline.Manifest {
	t.Helper()
	var m pipeline.Manifest
	if !readJSONFile(t, st, layout.Object(src, version, layout.ManifestName), &m) {
		t.Fatalf("%s %s: no manifest", src, version)
	}
	return m
}

// entityLines returns the lines of a version's entities file.
func entityLines(t *testing.T, st sink.Store, src, version string) []string {
	t.Helper()
	return gzLines(t, st, layout.Object(src, version, layout.EntitiesName))
}

func gzLines(t testing.TB, st sink.Store, key string) []string {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	var lines []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// withoutHistory decodes a line and clears the fields that come from the
// store's history, for comparing runs into different stores.
func withoutHistory(t *testing.T, line string) string {
	t.Helper()
	var e entity.Entity
	if err := json.Unmarshal([]byte(line), &e); err != nil {
		t.Fatal(err)
	}
	e.FirstSeen, e.LastChanged = "", ""
	b, err := e.MarshalCanonical()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func versionsOf(t *testing.T, st sink.Store, src string) []pipeline.VersionEntry {
	t.Helper()
	var vs []pipeline.VersionEntry
	readJSONFile(t, st, layout.Versions(src), &vs)
	return vs
}

// gunzipTo writes the decompressed bytes of a testdata .gz file to dst.
func gunzipTo(t testing.TB, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func readGz(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// entNums reads the first column of an OFAC SDN.CSV: the ids the file holds,
// counted independently of the parser under test.
func entNums(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	r := csv.NewReader(bytes.NewReader(bytes.TrimRight(data, "\x1a\r\n")))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return ids
		}
		if err != nil {
			t.Fatal(err)
		}
		ids[strings.TrimSpace(rec[0])] = true
	}
}

// csvRow is one record of a CSV file with the byte range it takes.
type csvRow struct {
	start, end int64
	rec        []string
}

// csvRows reads every record of a publisher's CSV (lazy quotes, any number
// of fields) with its byte range, for tests that cut or copy rows.
func csvRows(t *testing.T, data []byte, comma rune) []csvRow {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.LazyQuotes, cr.FieldsPerRecord = comma, true, -1
	var rows []csvRow
	for {
		start := cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, csvRow{start, cr.InputOffset(), rec})
	}
}

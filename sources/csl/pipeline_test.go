package csl_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/csl"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// The per-list drop guard on the real list: the 2023-11-30 rows, then the
// same file without its 288 SSI rows, as trade.gov's file lost its SDN
// and SSI rows for a day on 2024-05-06. 288 of 4,226 is 6.8%, under the
// 10% the total may fall; the SSI list falls 100%.

const ssiSource = "Sectoral Sanctions Identifications List (SSI) - Treasury Department"

// real2023Rows is the 2023-11-30 CSV without its cut last row (see the
// README in testdata/us_trade_csl).
func real2023Rows(t *testing.T) []byte {
	t.Helper()
	data := sourcetest.Gunzip(t, "../../testdata/us_trade_csl/2023-11-30/consolidated.csv.gz")
	return data[:bytes.LastIndexByte(data, '\n')+1]
}

// withoutSSI removes the SSI rows' bytes from the CSV, leaving every other
// byte as it is.
func withoutSSICSV(t *testing.T, data []byte) []byte {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	var out bytes.Buffer
	removed := 0
	for start := int64(0); ; {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		end := r.InputOffset()
		if len(rec) > 1 && rec[1] == ssiSource {
			removed++
		} else {
			out.Write(data[start:end])
		}
		start = end
	}
	if removed != 288 {
		t.Fatalf("%d SSI rows removed, want 288", removed)
	}
	return out.Bytes()
}

// withoutSSIJSON removes the SSI results of the derived JSON (one result
// per line) and lowers its total.
func withoutSSIJSON(t *testing.T, data []byte) []byte {
	t.Helper()
	lines := bytes.SplitAfter(data, []byte("\n"))
	var kept [][]byte
	for _, l := range lines[1 : len(lines)-2] {
		if !bytes.Contains(l, []byte(`"source":"`+ssiSource+`"`)) {
			kept = append(kept, bytes.TrimSuffix(bytes.TrimSuffix(l, []byte("\n")), []byte(",")))
		}
	}
	if n := len(lines) - 3 - len(kept); n != 288 {
		t.Fatalf("%d SSI results removed, want 288", n)
	}
	head := bytes.Replace(lines[0], []byte(`"total": 4226`), []byte(`"total": 3938`), 1)
	return append(append(head, bytes.Join(kept, []byte(",\n"))...), "\n]}\n"...)
}

func runDir(t *testing.T, st sink.Store, dir string, now time.Time, force bool) pipeline.Result {
	t.Helper()
	cfg := pipeline.Config{
		Store:       st,
		Fetcher:     fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()),
		Force:       force,
		ToolVersion: "test",
		TempDir:     t.TempDir(),
		Now:         func() time.Time { return now },
		Logger:      slog.New(slog.DiscardHandler),
	}
	return pipeline.Run(context.Background(), cfg, csl.New(csl.Config{}))
}

func manifest(t *testing.T, st sink.Store, version string) pipeline.Manifest {
	t.Helper()
	rc, _, err := st.Get(context.Background(), layout.Object(csl.Name, version, layout.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var m pipeline.Manifest
	if err := json.NewDecoder(rc).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGuardPerList: the publication without the SSI list is refused by
// the per-list guard in both formats; --force publishes it from the JSON,
// whose document end proves it whole, and not from the CSV, which has no
// end mark: a removal is published only from a publication that passed
// every check (DESIGN.md, Integrity).
func TestGuardPerList(t *testing.T) {
	rows := real2023Rows(t)
	derived := sourcetest.Gunzip(t, "../../testdata/us_trade_csl/derived-2023-11-30-json/consolidated.json.gz")
	formats := []struct {
		name, file   string
		whole, less  []byte
		forcePublish bool
	}{
		{"csv", csl.CSVFile, rows, withoutSSICSV(t, rows), false},
		{"json", csl.JSONFile, derived, withoutSSIJSON(t, derived), true},
	}
	t0 := time.Date(2023, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, f := range formats {
		t.Run(f.name, func(t *testing.T) {
			st, err := local.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			first := runDir(t, st, sourcetest.Dir(t, map[string][]byte{f.file: f.whole}), t0, false)
			if first.Err != nil || first.Outcome != pipeline.Published || first.Entities != 4226 {
				t.Fatalf("first run: %v, %s, %d entities", first.Err, first.Outcome, first.Entities)
			}
			if m := manifest(t, st, first.Version); m.CountsByList["SSI"] != 288 || m.CountsByList["SDN"] != 1737 || len(m.CountsByList) != 13 {
				t.Errorf("counts_by_list %v", m.CountsByList)
			}
			less := sourcetest.Dir(t, map[string][]byte{f.file: f.less})

			refused := runDir(t, st, less, t0.Add(time.Hour), false)
			if refused.Outcome != pipeline.Failed || refused.Err == nil || refused.Version != first.Version {
				t.Fatalf("without SSI: %v, %s, version %s", refused.Err, refused.Outcome, refused.Version)
			}
			msg := refused.Err.Error()
			t.Log(msg)
			if !strings.Contains(msg, "guard: list SSI fell from 288 to 0 (100.0%)") || strings.Contains(msg, "entity count fell") {
				t.Errorf("refusal %q: want the SSI list's fall alone (the total fell 6.8%%)", msg)
			}

			forced := runDir(t, st, less, t0.Add(2*time.Hour), true)
			if !f.forcePublish {
				t.Log(forced.Err)
				if forced.Outcome != pipeline.Failed || !errors.Is(forced.Err, sources.ErrIncomplete) || forced.Version != first.Version {
					t.Fatalf("forced CSV: %v, %s: want refused as unproven", forced.Err, forced.Outcome)
				}
				return
			}
			if forced.Err != nil || forced.Outcome != pipeline.Published || forced.Entities != 3938 || forced.Delta.Removed != 288 || forced.Delta.Added != 0 {
				t.Fatalf("forced: %v, %s, %d entities, delta %+v", forced.Err, forced.Outcome, forced.Entities, forced.Delta)
			}
			m := manifest(t, st, forced.Version)
			if _, ok := m.CountsByList["SSI"]; ok || m.CountsByList["SDN"] != 1737 {
				t.Errorf("counts_by_list %v", m.CountsByList)
			}
			found := false
			for _, is := range m.Issues {
				found = found || strings.Contains(is.Problem, "list SSI fell from 288 to 0 (100.0%), published with --force")
			}
			if !found {
				t.Errorf("manifest issues do not say the guard was forced: %v", m.Issues)
			}
		})
	}
}

package entity_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const testdata = "../testdata"

// Folders under testdata/<source> that the parser refuses as they are,
// and how the test still gets their real records: the error it must give
// (so that a change of verdict is noticed) and the way around it.
var refused = map[string]struct {
	err string
	fix func(t *testing.T, dir string) []string // folders to parse instead; nil: the entities emitted before the error
}{
	// re-saved copy (LF, no 0x1A): given back its end mark, as in pipeline's TestOFACMalformedRowsReported
	"us_ofac_sdn/2019-01-15": {"re-saved copy", terminated},
	// an excerpt cut from a live set, so without the final 0x1A
	"us_ofac_sdn/excerpt-2025-05-16": {"without the 0x1A byte", terminated},
	// two records of an 8497-record XML: refused by its Record_Count after both were emitted
	"us_ofac_sdn/excerpt-2020-10-29": {"Record_Count declares 8497", nil},
	// captures of SDN.CSV alone, one file a day: each is a publication
	"us_ofac_sdn/history": {"none of [SDN_ADVANCED.XML SDN.XML SDN.CSV] found", captures},
	// the archived CSL breaks off inside its last row: its whole rows are
	// the publisher's (testdata/us_trade_csl/README.md)
	"us_trade_csl/2023-11-30": {"line 4233: the file ends in a broken row", wholeRows},
}

// wholeRows copies the folder's CSV files, decompressed, up to the start
// of their last line.
func wholeRows(t *testing.T, dir string) []string {
	out := t.TempDir()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data := readMaybeGz(t, filepath.Join(dir, f.Name()))
		name := strings.TrimSuffix(f.Name(), ".gz")
		if err := os.WriteFile(filepath.Join(out, name), data[:bytes.LastIndexByte(data, '\n')+1], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return []string{out}
}

// terminated copies the folder's files, decompressed, each with the 0x1A
// OFAC ends its files with.
func terminated(t *testing.T, dir string) []string {
	out := t.TempDir()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data := readMaybeGz(t, filepath.Join(dir, f.Name()))
		name := strings.TrimSuffix(f.Name(), ".gz")
		if err := os.WriteFile(filepath.Join(out, name), append(data, 0x1a), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return []string{out}
}

// captures gives the first and the last *_sdn.csv.gz of the folder each
// its own folder as SDN.CSV. Captures of consecutive days share nearly all
// their entities, and all 23 took 60 s of the test under -race.
func captures(t *testing.T, dir string) []string {
	files, err := filepath.Glob(filepath.Join(dir, "*_sdn.csv.gz"))
	if err != nil || len(files) < 2 {
		t.Fatalf("%s: no captures (%v)", dir, err)
	}
	files = []string{files[0], files[len(files)-1]}
	var out []string
	for _, f := range files {
		data := sourcetest.Gunzip(t, f)
		if len(data) == 0 {
			continue
		}
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "SDN.CSV"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func readMaybeGz(t *testing.T, path string) []byte {
	if strings.HasSuffix(path, ".gz") {
		return sourcetest.Gunzip(t, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// realEntities parses every publication folder of every registered
// source under testdata and prepares each entity as the pipeline does
// (normalize.Entity, then Canonicalize). fn gets each folder's entities.
func realEntities(t *testing.T, fn func(pub string, ents []*entity.Entity)) {
	used := map[string]bool{}
	for _, src := range all.Registry(all.Config{}) {
		name := src.Info().Name
		dirs, err := os.ReadDir(filepath.Join(testdata, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			pub := name + "/" + d.Name()
			dir := filepath.Join(testdata, name, d.Name())
			p, err := sourcetest.Parse(t, src, dir)
			if err == nil {
				if _, ok := refused[pub]; ok {
					t.Errorf("%s parses now: remove it from refused", pub)
				}
				fn(pub, prepare(p.Entities))
				continue
			}
			r, ok := refused[pub]
			if !ok || !strings.Contains(err.Error(), r.err) {
				t.Fatalf("%s: %v", pub, err)
			}
			used[pub] = true
			if r.fix == nil {
				fn(pub, prepare(p.Entities))
				continue
			}
			for i, fixed := range r.fix(t, dir) {
				p, err := sourcetest.Parse(t, src, fixed)
				if err != nil {
					t.Fatalf("%s (prepared copy %d): %v", pub, i, err)
				}
				fn(pub, prepare(p.Entities))
			}
		}
	}
	for pub := range refused {
		if !used[pub] {
			t.Errorf("refused lists %s, which was not found or not refused", pub)
		}
	}
}

func prepare(ents []*entity.Entity) []*entity.Entity {
	var cov normalize.Coverage
	for _, e := range ents {
		normalize.Entity(e, &cov)
		e.Canonicalize()
	}
	return ents
}

// Every entity of every real test publication encodes to the same bytes
// as encoding/json.
func TestAppendCanonicalRealPublications(t *testing.T) {
	total, pubs := 0, map[string]int{}
	var buf []byte
	realEntities(t, func(pub string, ents []*entity.Entity) {
		if len(ents) == 0 {
			t.Errorf("%s: no entities", pub)
		}
		for _, e := range ents {
			buf = e.AppendCanonical(buf[:0])
			if want := jsonLine(t, e); !bytes.Equal(buf, want) {
				t.Fatalf("%s %s: %s", pub, e.ID, firstDiff(buf, want))
			}
		}
		total += len(ents)
		pubs[pub] += len(ents)
	})
	// spot-check the whole path too (prefix, content, hash) on a sample
	realSample(t, 50, func(e *entity.Entity) { checkEncoding(t, e.ID, e) })
	names := slices.Sorted(func(yield func(string) bool) {
		for p := range pubs {
			if !yield(p) {
				return
			}
		}
	})
	for _, p := range names {
		t.Logf("%6d  %s", pubs[p], p)
	}
	t.Logf("compared %d entities of %d publication folders with encoding/json", total, len(pubs))
}

// realSample gives fn every step-th entity of the UN 2026-02-27 file.
func realSample(t *testing.T, step int, fn func(*entity.Entity)) {
	ents := parseOne(t, "un_sc", "2026-02-27")
	for i := 0; i < len(ents); i += step {
		fn(ents[i])
	}
}

func parseOne(tb testing.TB, source, pub string) []*entity.Entity {
	tb.Helper()
	srcs, err := all.Select(all.Registry(all.Config{}), []string{source})
	if err != nil {
		tb.Fatal(err)
	}
	p, err := sourcetest.Parse(tb, srcs[0], filepath.Join(testdata, source, pub))
	if err != nil {
		tb.Fatal(err)
	}
	return prepare(p.Entities)
}

// BenchmarkCanonical: one op is one entity of the OFAC SDN 2021-07-07
// set, encoded by the reflection path MarshalCanonical used before
// (json) and by AppendCanonical into a reused buffer (append).
func BenchmarkCanonical(b *testing.B) {
	ents := parseOne(b, "us_ofac_sdn", "2021-07-07")
	var size int
	for _, e := range ents {
		size += len(e.AppendCanonical(nil))
	}
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(ents)))
		i := 0
		for b.Loop() {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(ents[i%len(ents)]); err != nil {
				b.Fatal(err)
			}
			_ = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			i++
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size / len(ents)))
		var buf []byte
		i := 0
		for b.Loop() {
			buf = ents[i%len(ents)].AppendCanonical(buf[:0])
			i++
		}
	})
}

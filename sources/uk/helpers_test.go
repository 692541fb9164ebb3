package uk

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

const (
	testdata = "../../testdata/gb_fcdo"
	// xmlDir holds the real XML excerpt; csvDir the CSV rendering of it.
	xmlDir = testdata + "/excerpt-2026-08-14"
	csvDir = testdata + "/rendered-2026-08-14"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func excerptXML(t testing.TB) []byte { return readFile(t, filepath.Join(xmlDir, xmlFile)) }

func renderedCSV(t testing.TB) []byte { return readFile(t, filepath.Join(csvDir, csvFile)) }

// inputOf writes data as the official file of format into a temporary
// folder and returns it as an acquired input.
func inputOf(t testing.TB, format string, data []byte) *sources.Input {
	t.Helper()
	name := xmlFile
	if format == "csv" {
		name = csvFile
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return &sources.Input{Format: format, Files: []*fetch.File{{Name: name, Path: path, Bytes: int64(len(data))}}}
}

// parsed is the outcome of one Parse.
type parsed struct {
	entities []*entity.Entity // canonicalized, sorted by id
	byID     map[string]*entity.Entity
	meta     sources.Meta
	issues   []sources.Issue
	err      error
}

func parse(t testing.TB, format string, data []byte) parsed {
	t.Helper()
	var p parsed
	var issues sources.Issues
	p.byID = map[string]*entity.Entity{}
	p.meta, p.err = New(Config{}).Parse(context.Background(), inputOf(t, format, data), func(e *entity.Entity) error {
		e.Canonicalize()
		p.entities = append(p.entities, e)
		p.byID[e.ID] = e
		return nil
	}, &issues)
	slices.SortFunc(p.entities, func(a, b *entity.Entity) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	p.issues = issues.List()
	return p
}

func mustParse(t testing.TB, format string, data []byte) parsed {
	t.Helper()
	p := parse(t, format, data)
	if p.err != nil {
		t.Fatalf("parse %s: %v", format, p.err)
	}
	return p
}

func canonical(t testing.TB, e *entity.Entity) string {
	t.Helper()
	b, err := e.MarshalCanonical()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lines(t testing.TB, p parsed) []string {
	var out []string
	for _, e := range p.entities {
		out = append(out, canonical(t, e))
	}
	return out
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

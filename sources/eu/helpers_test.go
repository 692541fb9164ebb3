package eu

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

// Test publications.
const (
	excerptDir = "../../testdata/eu_fsf/excerpt-2026-08-05"
	derivedDir = "../../testdata/eu_fsf/derived-2026-08-05"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// excerptXML is the real 2026-08-05 excerpt.
func excerptXML(t testing.TB) []byte {
	return readFile(t, filepath.Join(excerptDir, XMLFile))
}

// inputOf writes data as the format's file into a temporary folder and
// returns it as an acquired input.
func inputOf(t testing.TB, format string, data []byte) *sources.Input {
	t.Helper()
	name := XMLFile
	if format == "csv" {
		name = CSVFile
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return &sources.Input{Format: format, Files: []*fetch.File{{Name: name, Path: path, Bytes: int64(len(data))}}}
}

// parsed is the outcome of one Parse.
type parsed struct {
	entities []*entity.Entity // canonicalized, in emit order
	byID     map[string]*entity.Entity
	meta     sources.Meta
	issues   []sources.Issue
	err      error
}

func parseSrc(t testing.TB, src sources.Source, in *sources.Input) parsed {
	t.Helper()
	p := parsed{byID: map[string]*entity.Entity{}}
	var issues sources.Issues
	p.meta, p.err = src.Parse(context.Background(), in, func(e *entity.Entity) error {
		e.Canonicalize()
		p.entities = append(p.entities, e)
		p.byID[e.ID] = e
		return nil
	}, &issues)
	p.issues = issues.List()
	return p
}

func parseData(t testing.TB, format string, data []byte) parsed {
	t.Helper()
	return parseSrc(t, New(Config{}), inputOf(t, format, data))
}

func mustParse(t testing.TB, format string, data []byte) parsed {
	t.Helper()
	p := parseData(t, format, data)
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

// lines returns the canonical lines of p, sorted.
func lines(t testing.TB, p parsed) []string {
	var out []string
	for _, e := range p.entities {
		out = append(out, canonical(t, e))
	}
	slices.Sort(out)
	return out
}

// problems returns the issues' problems.
func problems(issues []sources.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Problem)
	}
	return out
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

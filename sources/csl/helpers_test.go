package csl

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const (
	testdata = "../../testdata/us_trade_csl"
	// real2023 is the 2023-11-30 file as archived: cut inside its last row.
	real2023 = testdata + "/2023-11-30/" + CSVFile + ".gz"
	// excerpt2025 is the real 14-line excerpt of 2025-06-25.
	excerpt2025 = testdata + "/excerpt-2025-06-25/" + CSVFile
	// derivedJSON is the 2023 rows rendered as consolidated.json (see the
	// README beside it).
	derivedJSON = testdata + "/derived-2023-11-30-json/" + JSONFile + ".gz"
)

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	if strings.HasSuffix(path, ".gz") {
		return sourcetest.Gunzip(t, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// whole2023 is the real 2023-11-30 file without its last, cut row: the
// bytes up to the start of its last line (the cut row has no line break
// in it). Every other byte is the publisher's.
func whole2023(t testing.TB) []byte {
	t.Helper()
	data := readFile(t, real2023)
	end := bytes.LastIndexByte(data, '\n') + 1
	if !bytes.HasPrefix(data[end:], []byte(`"11476","Specially Designated Nationals (SDN)`)) {
		t.Fatalf("the last line of %s is not the cut row of 11476: %.60q", real2023, data[end:])
	}
	return data[:end]
}

// dirWith writes files (official name -> bytes) into a new folder.
func dirWith(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// inputOf writes data as the official file of format into a temporary
// folder and returns it as an acquired input.
func inputOf(t testing.TB, format string, data []byte) *sources.Input {
	t.Helper()
	name := CSVFile
	if format == "json" {
		name = JSONFile
	}
	path := filepath.Join(dirWith(t, map[string][]byte{name: data}), name)
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
	slices.SortFunc(p.entities, func(a, b *entity.Entity) int { return strings.Compare(a.ID, b.ID) })
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

func issueString(is sources.Issue) string {
	return fmt.Sprintf("%s:%d:%s: %s", is.File, is.Line, is.Record, is.Problem)
}

func join(ss []string) string { return "  " + strings.Join(ss, "\n  ") }

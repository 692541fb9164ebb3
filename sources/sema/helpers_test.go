package sema

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const testdata = "../../testdata/ca_sema"

// The publications in testdata: the real 2020 file and the two derived
// from it by renaming its elements to the current and the bilingual
// layouts (testdata/ca_sema/README.md).
const (
	real2020   = "2020-04-15"
	current    = "derived-current-2020-04-15"
	bilingual2 = "derived-bilingual-2020-04-15"
)

var publications = []string{real2020, current, bilingual2}

// readPublication returns the XML of the publication in folder dir.
func readPublication(t testing.TB, dir string) []byte {
	t.Helper()
	return sourcetest.Gunzip(t, filepath.Join(testdata, dir, FileName+".gz"))
}

// inputOf writes data as sema-lmes.xml into a temporary folder and
// returns it as an acquired input.
func inputOf(t testing.TB, data []byte) *sources.Input {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return &sources.Input{Format: "xml", Files: []*fetch.File{{Name: FileName, Path: path, Bytes: int64(len(data))}}}
}

// parsed is the outcome of one Parse.
type parsed struct {
	entities []*entity.Entity
	byID     map[string]*entity.Entity // by source id
	meta     sources.Meta
	issues   []sources.Issue
	err      error
}

func parseBytes(t testing.TB, data []byte) parsed {
	t.Helper()
	var p parsed
	var issues sources.Issues
	p.byID = map[string]*entity.Entity{}
	p.meta, p.err = New(Config{}).Parse(context.Background(), inputOf(t, data), func(e *entity.Entity) error {
		e.Canonicalize()
		p.entities = append(p.entities, e)
		p.byID[e.SourceID] = e
		return nil
	}, &issues)
	p.issues = issues.List()
	return p
}

func mustParse(t testing.TB, data []byte) parsed {
	t.Helper()
	p := parseBytes(t, data)
	if p.err != nil {
		t.Fatalf("parse: %v", p.err)
	}
	return p
}

// entity returns the entity with source id id or fails.
func (p parsed) entity(t testing.TB, id string) *entity.Entity {
	t.Helper()
	e := p.byID[id]
	if e == nil {
		t.Fatalf("no entity %s", id)
	}
	return e
}

// issueString prints an issue as file:line:record: problem.
func issueString(is sources.Issue) string {
	return fmt.Sprintf("%s:%d:%s: %s", is.File, is.Line, is.Record, is.Problem)
}

func join(s []string) string { return "\t" + strings.Join(s, "\n\t") }

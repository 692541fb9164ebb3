package seco

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
)

// excerptDir holds the real excerpt (testdata/ch_seco/README.md).
const excerptDir = "../../testdata/ch_seco/excerpt-2026-08-15"

// readExcerpt returns the bytes of the real excerpt.
func readExcerpt(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(excerptDir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inputOf writes data as consolidated-list.xml into a temporary folder and
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
	entities []*entity.Entity // canonicalized, in the order emitted
	byID     map[string]*entity.Entity
	meta     sources.Meta
	issues   []sources.Issue
	total    int // issues added, kept or not
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
	p.issues, p.total = issues.List(), issues.Total()
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

// entity returns the entity of target ssid or fails.
func (p parsed) entity(t testing.TB, ssid string) *entity.Entity {
	t.Helper()
	e := p.byID[ssid]
	if e == nil {
		t.Fatalf("no entity for target %s", ssid)
	}
	return e
}

// issueString prints an issue as file:line:record: problem.
func issueString(is sources.Issue) string {
	return fmt.Sprintf("%s:%d:%s: %s", is.File, is.Line, is.Record, is.Problem)
}

func issueStrings(list []sources.Issue) []string {
	var out []string
	for _, is := range list {
		out = append(out, issueString(is))
	}
	return out
}

func join(s []string) string { return "\t" + strings.Join(s, "\n\t") }

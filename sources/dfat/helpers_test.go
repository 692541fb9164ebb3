package dfat

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

const testdata = "../../testdata/au_dfat"

// publication is one real workbook in testdata.
type publication struct {
	date string // its folder
	file string // its official name
}

var publications = []publication{
	{"2024-12-17", OldFileName},
	{"2026-02-24", FileName},
}

func (p publication) path() string { return filepath.Join(testdata, p.date, p.file) }

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inputOf writes data as the workbook name into a temporary folder and
// returns it as an acquired input.
func inputOf(t testing.TB, name string, data []byte) *sources.Input {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return &sources.Input{Format: "xlsx", Files: []*fetch.File{{Name: name, Path: path, Bytes: int64(len(data))}}}
}

// parsed is the outcome of one Parse.
type parsed struct {
	entities []*entity.Entity // canonicalized, sorted by id
	byID     map[string]*entity.Entity
	meta     sources.Meta
	issues   []sources.Issue
	err      error
}

func parseWith(t testing.TB, cfg Config, name string, data []byte) parsed {
	t.Helper()
	var p parsed
	var issues sources.Issues
	p.byID = map[string]*entity.Entity{}
	if cfg.TempDir == "" {
		cfg.TempDir = t.TempDir()
	}
	p.meta, p.err = New(cfg).Parse(context.Background(), inputOf(t, name, data), func(e *entity.Entity) error {
		e.Canonicalize()
		p.entities = append(p.entities, e)
		p.byID[e.ID] = e
		return nil
	}, &issues)
	slices.SortFunc(p.entities, func(a, b *entity.Entity) int { return cmp.Compare(a.ID, b.ID) })
	p.issues = issues.List()
	return p
}

func parseBytes(t testing.TB, name string, data []byte) parsed {
	t.Helper()
	return parseWith(t, Config{}, name, data)
}

func mustParse(t testing.TB, name string, data []byte) parsed {
	t.Helper()
	p := parseBytes(t, name, data)
	if p.err != nil {
		t.Fatalf("parse: %v", p.err)
	}
	return p
}

// realParse is one parse of a real workbook, shared by the tests that read
// it (a parse takes 0.8 s, ten times that under the race detector).
type realParse struct {
	once  sync.Once
	lines []string
	p     parsed
}

var realParses = map[string]*realParse{"2024-12-17": {}, "2026-02-24": {}}

// parseReal parses the real workbook of pub once per test binary and
// returns its own copy of the entities, for the caller to change.
func parseReal(t testing.TB, pub publication) parsed {
	t.Helper()
	r := realParses[pub.date]
	r.once.Do(func() {
		r.p = mustParse(t, pub.file, readFile(t, pub.path()))
		r.lines = r.p.lines(t)
	})
	if r.lines == nil {
		t.Fatalf("%s: the shared parse failed", pub.date)
	}
	p := r.p
	p.entities, p.byID = nil, map[string]*entity.Entity{}
	p.issues = slices.Clone(r.p.issues)
	for _, line := range r.lines {
		e := new(entity.Entity)
		if err := json.Unmarshal([]byte(line), e); err != nil {
			t.Fatal(err)
		}
		p.entities = append(p.entities, e)
		p.byID[e.ID] = e
	}
	return p
}

// entity returns the entity of reference number ref or fails.
func (p parsed) entity(t testing.TB, ref string) *entity.Entity {
	t.Helper()
	e := p.byID[entity.MakeID(Name, ref)]
	if e == nil {
		t.Fatalf("no entity for reference %s", ref)
	}
	return e
}

// lines are the entities' canonical JSON lines, in id order.
func (p parsed) lines(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, e := range p.entities {
		b, err := e.MarshalCanonical()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// issueString prints an issue as file:line:record: problem.
func issueString(is sources.Issue) string {
	return fmt.Sprintf("%s:%d:%s: %s", is.File, is.Line, is.Record, is.Problem)
}

func join(s []string) string { return "\t" + strings.Join(s, "\n\t") }

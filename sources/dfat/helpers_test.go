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
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const testdata = "../../testdata/au_dfat"

// publication is one real workbook in testdata.
type publication struct {
	date string // its folder
	file string // its official name
	// window is the first of the 100 rows smallReal takes after rows 1 to
	// 200: in 2024, IMO company numbers in Additional Information (rows
	// 9467-9474) and row 9486's 13th cell; in 2026, vessels.
	window int
}

var publications = []publication{
	{"2024-12-17", OldFileName, 9400},
	{"2026-02-24", FileName, 10004},
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

// shared is a value the tests of one binary compute once, the first test
// that needs it paying: a whole reading of a real workbook takes 6 to 9 s
// under the race detector, ten times its time without.
type shared[T any] struct {
	once sync.Once
	v    T
	ok   bool
}

// get returns the value, computing it with f on the first call; a later
// caller fails when f failed (called t.Fatal) for the first.
func (s *shared[T]) get(t testing.TB, what string, f func() T) T {
	t.Helper()
	s.once.Do(func() {
		s.v = f()
		s.ok = true
	})
	if !s.ok {
		t.Fatalf("%s: failed in an earlier test", what)
	}
	return s.v
}

// set gives the value unless it is computed (or being computed) already.
func (s *shared[T]) set(v T) {
	s.once.Do(func() {
		s.v = v
		s.ok = true
	})
}

// realParse is one parse of a real workbook (or of smallReal): its
// canonical lines, its meta and its issues.
type realParse struct {
	lines  []string
	meta   sources.Meta
	issues []sources.Issue
}

var realParses = map[string]*shared[realParse]{"2024-12-17": {}, "2026-02-24": {}}

// shareParse hands the conformance suite's first parse of pub to
// parseReal, so that a whole run reads each real workbook only in the
// suite (which parses it twice to compare): the suite's lines are the
// canonical JSON of the canonicalized entities in id order, as lines
// gives them. A parse done already is kept.
func shareParse(pub publication, p *sourcetest.Parsed) {
	realParses[pub.date].set(realParse{lines: p.Lines, meta: p.Meta, issues: p.Issues})
}

// parseReal returns the parse of the real workbook of pub, made once per
// test binary (or shared by TestConformance), with its own copy of the
// entities, for the caller to change.
func parseReal(t testing.TB, pub publication) parsed {
	t.Helper()
	return realShared(t, pub).parsed(t)
}

// realShared is the shared parse of the real workbook of pub itself;
// callers must not change it.
func realShared(t testing.TB, pub publication) realParse {
	t.Helper()
	return realParses[pub.date].get(t, "the shared parse of "+pub.date, func() realParse {
		return keep(t, mustParse(t, pub.file, readFile(t, pub.path())))
	})
}

var smallParses = map[string]*shared[realParse]{"2024-12-17": {}, "2026-02-24": {}}

// parseSmall returns the parse of smallReal(pub), made once per test
// binary, as parseReal does.
func parseSmall(t testing.TB, pub publication) parsed {
	t.Helper()
	return smallParses[pub.date].get(t, "the parse of the small workbook of "+pub.date, func() realParse {
		return keep(t, mustParse(t, pub.file, smallReal(t, pub)))
	}).parsed(t)
}

// keep is what a shared parse keeps of p.
func keep(t testing.TB, p parsed) realParse {
	return realParse{lines: p.lines(t), meta: p.meta, issues: p.issues}
}

// parsed makes a parse of its own from the shared one.
func (r realParse) parsed(t testing.TB) parsed {
	t.Helper()
	p := parsed{meta: r.meta, issues: slices.Clone(r.issues), byID: map[string]*entity.Entity{}}
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

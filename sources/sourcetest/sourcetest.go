// Package sourcetest is the conformance suite every publisher's source
// passes on its real test publications: two parses give the same bytes,
// every entity is valid and belongs to the source, ids are unique, and a
// truncated or empty main file is an error naming the file.
package sourcetest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// Parsed is the outcome of one parse. On a parse error (Err) the fields
// hold what came before it.
type Parsed struct {
	Entities    []*entity.Entity          // canonicalized, sorted by id (equal ids in the order emitted)
	Emitted     []*entity.Entity          // the same entities, in the order the source emitted them
	Lines       []string                  // canonical JSON of Entities, in their order
	ByID        map[string]*entity.Entity // by id; of equal ids the last emitted
	BySourceID  map[string]*entity.Entity // by source id; likewise
	Meta        sources.Meta
	Issues      []sources.Issue // the issues kept, in the order added
	IssuesTotal int             // issues added, kept or not
	Input       *sources.Input
	Err         error
}

// Parse acquires src's files from dir (official names, case-insensitive,
// NAME.gz accepted) and parses them. The error is also p.Err.
func Parse(t testing.TB, src sources.Source, dir string) (*Parsed, error) {
	t.Helper()
	var issues sources.Issues
	acq, err := sources.Acquire(context.Background(), src.Info(), fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), nil, &issues)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { fetch.Remove(acq.Input.Files...) })
	p := parse(t, src, acq.Input, &issues)
	return p, p.Err
}

// Run checks src on the publication in dir and returns the parse for the
// caller's own assertions.
func Run(t *testing.T, src sources.Source, dir string) *Parsed {
	t.Helper()
	name := src.Info().Name
	first, err := Parse(t, src, dir)
	if err != nil {
		t.Fatalf("%s: parse %s: %v", name, dir, err)
	}
	if len(first.Entities) == 0 {
		t.Fatalf("%s: no entities from %s", name, dir)
	}
	seen := map[string]bool{}
	for _, e := range first.Entities {
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if e.Source != name {
			t.Errorf("%s: entity %s has source %q", name, e.ID, e.Source)
		}
		if !hasPrimary(e) {
			t.Errorf("%s: entity %s: no primary name is its name %q", name, e.ID, e.Name)
		}
		if seen[e.ID] {
			t.Errorf("%s: duplicate id %s", name, e.ID)
		}
		seen[e.ID] = true
	}
	second, err := Parse(t, src, dir)
	if err != nil {
		t.Fatalf("%s: second parse: %v", name, err)
	}
	if !slices.Equal(first.Lines, second.Lines) {
		t.Errorf("%s: two parses of %s differ", name, dir)
	}
	t.Run("truncated", func(t *testing.T) {
		if first.Input.Format == "csv" {
			checkTruncatedCSV(t, src, first)
			return
		}
		checkBroken(t, src, first.Input, half)
	})
	t.Run("empty", func(t *testing.T) { checkBroken(t, src, first.Input, func([]byte) []byte { return nil }) })
	return first
}

// hasPrimary reports whether one of e's primary names is its name:
// name is the primary name as published (DESIGN.md, Entity), and names[]
// holds it with what is printed inside it about it ("(f.k.a. ...)",
// "(original script)") moved to the name's note.
func hasPrimary(e *entity.Entity) bool {
	bare := normalize.StripAnnotations(e.Name)
	return slices.ContainsFunc(e.Names, func(n entity.Name) bool {
		return n.Kind == entity.KindPrimary && (n.Value == e.Name || n.Value == bare)
	})
}

func half(b []byte) []byte { return b[:len(b)/2] }

// checkTruncatedCSV: a CSV cut inside a row must give an error or an issue
// naming the file, and never the cut row as an entity. (OFAC's files end
// with 0x1A, so any cut of them is refused; the EU and UK CSVs have no end
// mark, and the pipeline refuses a publication of theirs that would remove
// an entity: sources.Meta.Unproven.)
func checkTruncatedCSV(t *testing.T, src sources.Source, whole *Parsed) {
	dir := copyInput(t, whole.Input, half)
	p, err := Parse(t, src, dir)
	main := whole.Input.Files[0].Name
	if err != nil {
		if !strings.Contains(err.Error(), main) {
			t.Errorf("error %q does not name %s", err, main)
		}
		return
	}
	named := false
	for _, is := range p.Issues {
		named = named || (strings.EqualFold(is.File, main) && is.Line > 0)
	}
	if !named {
		t.Errorf("%s cut in half: no error and no issue with a line naming it", main)
	}
	if len(p.Entities) >= len(whole.Entities) {
		t.Errorf("%s cut in half still gives %d of %d entities", main, len(p.Entities), len(whole.Entities))
	}
}

// copyInput writes the input's files to a new folder, the main file
// passed through damage.
func copyInput(t *testing.T, in *sources.Input, damage func([]byte) []byte) string {
	dir := t.TempDir()
	for i, f := range in.Files {
		b, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			b = damage(b)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// checkBroken damages the main file and expects a parse error naming it.
func checkBroken(t *testing.T, src sources.Source, in *sources.Input, damage func([]byte) []byte) {
	p, err := Parse(t, src, copyInput(t, in, damage))
	if err == nil {
		t.Fatalf("damaged %s parsed without error (%d entities)", in.Files[0].Name, len(p.Entities))
	}
	if !strings.Contains(err.Error(), in.Files[0].Name) {
		t.Errorf("error %q does not name %s", err, in.Files[0].Name)
	}
	var re *sources.RecordError
	if !errors.As(err, &re) {
		t.Errorf("error %v is not a *sources.RecordError", err)
	}
}

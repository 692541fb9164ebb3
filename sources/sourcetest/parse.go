package sourcetest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// parse parses in with src, issues collecting into issues (which may
// already hold the acquisition's), and returns the outcome.
func parse(t testing.TB, src sources.Source, in *sources.Input, issues *sources.Issues) *Parsed {
	t.Helper()
	p := &Parsed{Input: in, ByID: map[string]*entity.Entity{}, BySourceID: map[string]*entity.Entity{}}
	p.Meta, p.Err = src.Parse(context.Background(), in, func(e *entity.Entity) error {
		e.Canonicalize()
		p.Emitted = append(p.Emitted, e)
		p.ByID[e.ID] = e
		p.BySourceID[e.SourceID] = e
		return nil
	}, issues)
	p.Entities = slices.Clone(p.Emitted)
	// Stable, so that the entities of one id keep the order a test may
	// assert (a record repeated in the publication).
	slices.SortStableFunc(p.Entities, func(a, b *entity.Entity) int { return strings.Compare(a.ID, b.ID) })
	for _, e := range p.Entities {
		p.Lines = append(p.Lines, Canonical(e))
	}
	p.Issues, p.IssuesTotal = issues.List(), issues.Total()
	return p
}

// ParseInput parses in with src; its error is p.Err.
func ParseInput(t testing.TB, src sources.Source, in *sources.Input) *Parsed {
	t.Helper()
	return parse(t, src, in, new(sources.Issues))
}

// MustParse parses in with src and fails the test on an error.
func MustParse(t testing.TB, src sources.Source, in *sources.Input) *Parsed {
	t.Helper()
	p := ParseInput(t, src, in)
	if p.Err != nil {
		t.Fatalf("parse %s: %v", in.Format, p.Err)
	}
	return p
}

// Dir writes files (name -> bytes) into a new temporary folder and
// returns it.
func Dir(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// InputOf writes files (official name -> bytes) into a new temporary
// folder and returns them as an acquired input of format, in name order.
func InputOf(t testing.TB, format string, files map[string][]byte) *sources.Input {
	t.Helper()
	dir := Dir(t, files)
	in := &sources.Input{Format: format}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		in.Files = append(in.Files, &fetch.File{Name: name, Path: filepath.Join(dir, name), Bytes: int64(len(files[name]))})
	}
	return in
}

// InputFor returns data as the acquired main file (the first) of src's
// format.
func InputFor(t testing.TB, src sources.Source, format string, data []byte) *sources.Input {
	t.Helper()
	for _, set := range src.Info().Formats {
		if set.Format == format {
			return InputOf(t, format, map[string][]byte{set.Files[0].Name: data})
		}
	}
	t.Fatalf("%s has no format %q", src.Info().Name, format)
	return nil
}

// Fetch acquires src's files over HTTP, as its Config points it (at a test
// server on 127.0.0.1), and parses them; an acquisition error fails the
// test, a parse error is p.Err.
func Fetch(t testing.TB, src sources.Source) *Parsed {
	t.Helper()
	var issues sources.Issues
	acq, err := sources.Acquire(context.Background(), src.Info(), fetch.NewHTTP(fetch.HTTPConfig{TempDir: t.TempDir()}), nil, &issues)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fetch.Remove(acq.Input.Files...) })
	return parse(t, src, acq.Input, &issues)
}

// Entity returns the entity of source id sourceID or fails the test.
func (p *Parsed) Entity(t testing.TB, sourceID string) *entity.Entity {
	t.Helper()
	e := p.BySourceID[sourceID]
	if e == nil {
		t.Fatalf("no entity with source id %s", sourceID)
	}
	return e
}

// SortedLines returns the canonical lines sorted as text: the same for two
// parses that emit the entities of one id in another order.
func (p *Parsed) SortedLines() []string { return slices.Sorted(slices.Values(p.Lines)) }

// Canonical is e's canonical JSON line, as MarshalCanonical gives it.
func Canonical(e *entity.Entity) string {
	b, _ := e.MarshalCanonical() // its error is always nil
	return string(b)
}

// IssueString prints an issue as file:line:record: problem.
func IssueString(is sources.Issue) string {
	return fmt.Sprintf("%s:%d:%s: %s", is.File, is.Line, is.Record, is.Problem)
}

// IssueStrings prints each issue as IssueString does.
func IssueStrings(list []sources.Issue) []string {
	var out []string
	for _, is := range list {
		out = append(out, IssueString(is))
	}
	return out
}

// Join lists lines one a line, indented, for a failure message.
func Join(lines []string) string { return "\t" + strings.Join(lines, "\n\t") }

// UTF16 encodes doc as UTF-16 with a byte order mark, big- or
// little-endian: the wrong encoding for the refusal tests.
func UTF16(doc string, bigEndian bool) []byte {
	var out []byte
	for _, u := range append([]uint16{0xFEFF}, utf16.Encode([]rune(doc))...) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

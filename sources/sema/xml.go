package sema

import (
	"context"
	"fmt"
	"io"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

const (
	rootName   = "data-set"
	recordName = "record"
)

// parser reads records; its scratch space is reused.
type parser struct {
	issues *sources.Issues
	st     *xmlstream.Stream
	rec    record
	// seen holds the line of the record that has each id. Ids are made
	// from the record's text, not printed by the publisher, so a repeat
	// (the same regulation, schedule and item twice) is reported here,
	// where both lines are known. It is the one fact kept across records:
	// a short string a record (under 1 MB for the 5,690 records of the
	// current file).
	seen map[string]int
	// regimes holds the unknown regulations already reported.
	regimes map[string]bool
	// err, once set, refuses the file: a record past a bound (limit).
	err error
}

func parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	f, err := in.Open(FileName)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()
	// The end of the root element is the file's proof that it is whole
	// (xmlstream refuses a file without it); the file prints no date and
	// no record count, so Meta stays empty.
	st, err := xmlstream.Open(f, xmlstream.Options{Source: Name, File: FileName, Root: rootName, Namespaces: []string{""}}, issues)
	if err != nil {
		return meta, err
	}
	defer st.Close()
	rootAttrs(st, issues)

	p := &parser{issues: issues, st: st, seen: map[string]int{}, regimes: map[string]bool{}}
	records := 0
	for {
		n, err := st.Next()
		if err == io.EOF {
			return meta, nil
		}
		if err != nil {
			return meta, err
		}
		if n.Data != recordName || n.Prefix != "" {
			p.issue(n, "", "unknown element <%s> in <%s>%s; not mapped", qname(n), rootName, excerpt(n))
			continue
		}
		records++
		if records%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		e := p.record(n)
		if p.err != nil {
			return meta, p.err
		}
		if e == nil {
			continue
		}
		if err := emit(e); err != nil {
			return meta, err
		}
	}
}

// rootAttrs checks the root's attributes: the 2020 file declares the xsi
// namespace and nothing else.
func rootAttrs(st *xmlstream.Stream, issues *sources.Issues) {
	for _, a := range st.RootAttrs() {
		if a.Name.Space == "xmlns" && a.Name.Local == "xsi" {
			continue
		}
		name := a.Name.Local
		if a.Name.Space != "" {
			name = a.Name.Space + ":" + name
		}
		issues.Addf(FileName, st.RootLine(), "", "unknown attribute %s=%q on <%s>; not mapped", name, a.Value, rootName)
	}
}

// record reads and maps one record; nil when it gives no entity.
func (p *parser) record(n *xmlquery.Node) *entity.Entity {
	r := &p.rec
	p.read(r, n)
	e := p.build(r)
	if e == nil {
		return nil
	}
	line := p.st.LineOf(n, nil)
	if first, dup := p.seen[r.id]; dup {
		p.issue(n, r.id, "Country, Schedule and Item repeat the record at line %d (id %s); later record skipped", first, e.ID)
		return nil
	}
	p.seen[r.id] = line
	return e
}

// issue records a problem at the line of elem, an element of the record
// the stream returned last (or that record itself).
func (p *parser) issue(elem *xmlquery.Node, record, format string, args ...any) {
	p.issues.Addf(FileName, p.line(elem), record, format, args...)
}

// line is the line of elem's start tag: elem is the record the stream
// returned last or one of its descendants.
func (p *parser) line(elem *xmlquery.Node) int {
	rec := elem
	for rec != nil && rec.Parent != nil && rec.Parent.Type == xmlquery.ElementNode && rec.Parent.Parent != nil && rec.Parent.Parent.Type != xmlquery.DocumentNode {
		rec = rec.Parent
	}
	if rec == nil {
		return 0
	}
	if rec == elem {
		return p.st.LineOf(rec, nil)
	}
	return p.st.LineOf(rec, elem)
}

// unknownRegime reports, once per parse, a regulation knownRegimes does
// not have: its key is the slug of its English name, which a later
// spelling change would change.
func (p *parser) unknownRegime(r *record, reg regime) {
	if p.regimes[reg.raw] {
		return
	}
	p.regimes[reg.raw] = true
	p.issue(r.f[fCountry].n, r.id, "unknown regulation in <%s> %q; keyed %q (a new spelling of its name would change its ids)", r.f[fCountry].n.Data, shorten(reg.raw), reg.key)
}

package seco

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// rootName is the root element of consolidated-list.xml; it has no
// namespace.
const rootName = "swiss-sanctions-list"

// wholeList is the list-type of the full publication. SESAM also serves
// lists of changes, which a snapshot cannot be built from.
const wholeList = "whole-list"

func (s *source) parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	f, err := in.Open(FileName)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()
	// The stream is opened first, so that an empty file, an HTML page or
	// a list of changes is refused before the first pass reads anything.
	st, err := xmlstream.Open(f, xmlstream.Options{Source: Name, File: FileName, Root: rootName, Namespaces: []string{""}}, issues)
	if err != nil {
		return meta, err
	}
	defer st.Close()
	if meta.PublicationDate, err = rootAttrs(st, issues); err != nil {
		return meta, err
	}

	lk, lerr := s.lookups(ctx, in, issues)
	var re *sources.RecordError
	if errors.As(lerr, &re) || ctx.Err() != nil {
		return meta, cmp.Or(ctx.Err(), lerr)
	}
	p := &parser{issues: issues, st: st, lk: lk}
	targets := 0
	for {
		n, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return meta, err
		}
		p.cur = n
		switch n.Data {
		case "target":
			targets++
			if targets%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return meta, err
				}
			}
			e, delisted := p.target(n)
			if delisted {
				meta.Delisted++
				continue
			}
			if e == nil {
				continue
			}
			if err := emit(e); err != nil {
				return meta, err
			}
		case "place", "sanctions-program":
			// Read by the first pass.
		default:
			p.issues.Addf(FileName, st.LineOf(n, nil), "", "unknown element <%s> in <%s>%s; not mapped", n.Data, rootName, excerpt(n))
		}
	}
	if lerr != nil {
		// The decoder of the first pass failed on a file the second pass
		// read whole: its places or programs may be missing.
		return meta, &sources.RecordError{Source: Name, File: FileName, Err: fmt.Errorf("reading places and programs: %w", lerr)}
	}
	if targets == 0 {
		return meta, st.Errorf(st.RootLine(), "no <target> in <%s>: %w", rootName, sources.ErrIncomplete)
	}
	p.unparsed.fill(&meta)
	return meta, nil
}

// lookups runs the first pass over its own reading of the file.
func (s *source) lookups(ctx context.Context, in *sources.Input, issues *sources.Issues) (*lookups, error) {
	f, err := in.Open(FileName)
	if err != nil {
		return nil, &sources.RecordError{Source: Name, File: FileName, Err: err}
	}
	defer f.Close()
	return readLookups(ctx, f, issues)
}

// rootAttrs checks the root's attributes and returns the publication date
// (date="2026-08-15"). A list-type other than whole-list refuses the file.
func rootAttrs(st *xmlstream.Stream, issues *sources.Issues) (string, error) {
	line := st.RootLine()
	date, listType, seenType := "", "", false
	for _, a := range st.RootAttrs() {
		switch {
		case a.Name.Space == "" && a.Name.Local == "list-type":
			listType, seenType = normalize.Text(a.Value), true
		case a.Name.Space == "" && a.Name.Local == "date":
			v := normalize.Text(a.Value)
			if isISODate(v) {
				date = v
			} else {
				issues.Addf(FileName, line, "", "date %q on <%s> is not an ISO date; no publication date", a.Value, rootName)
			}
		case a.Name.Space == "xmlns" && a.Name.Local == "xsi",
			a.Name.Space == "xsi" && a.Name.Local == "noNamespaceSchemaLocation":
			// A schema reference says nothing about the list.
		default:
			issues.Addf(FileName, line, "", "unknown attribute %s=%q on <%s>; not mapped", attrName(a.Name), a.Value, rootName)
		}
	}
	if listType != wholeList {
		what := fmt.Sprintf("list-type %q", listType)
		if !seenType {
			what = "no list-type"
		}
		return "", &sources.RecordError{Source: Name, File: FileName, Line: line,
			Err: fmt.Errorf("<%s> with %s, not %q: a snapshot needs the whole list: %w", rootName, what, wholeList, sources.ErrIncomplete)}
	}
	if date == "" {
		issues.Addf(FileName, line, "", "<%s> without a usable date; no publication date", rootName)
	}
	return date, nil
}

// isISODate reports whether s is a valid date printed YYYY-MM-DD.
func isISODate(s string) bool {
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return false
	}
	d, ok := normalize.ISODate(s)
	return ok && d == s
}

// excerpt is ` with text "…"` for the issue of an unknown element, or ""
// when the element has no text.
func excerpt(n *xmlquery.Node) string {
	t := shorten(n.InnerText())
	if t == "" {
		return ""
	}
	return fmt.Sprintf(" with text %q", t)
}

// shorten cuts s for an issue message.
func shorten(s string) string {
	s = normalize.Text(s)
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// isoCode returns code when it is an ISO 3166-1 alpha-2 code (or XK,
// Kosovo's user-assigned one, which the publishers print).
func isoCode(code string) (string, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 2 {
		return "", false
	}
	cc, ok := normalize.CountryCode(code)
	return cc, ok && cc == code
}

package seco

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// The first pass (readLookups) reads what targets refer to by id: the
// <place> and <sanctions-program> children of the root, wherever they sit
// in the file, and the ssid of every top-level <target> (for relations).
// A byte scanner (scan.go) finds them and skips everything else; each
// place and program is then read whole with encoding/xml. The second pass
// (xml.go) checks the document; this one only collects, so a syntax error
// here is left for the second pass to report with its own checks.

// lookups are the places, sanctions sets and target ids of one file.
type lookups struct {
	places  map[string]*place
	sets    map[string]*sanctionsSet
	targets map[string]struct{}
}

// place is a <place>: the location, area and country an address or a place
// of birth names by place-id.
type place struct {
	line           int
	location, area string
	countryCode    string // iso-code, when it is an ISO 3166-1 code
	country        string // the country's text
}

// sanctionsSet is one <sanctions-set> of a <sanctions-program>: a target's
// sanctions-set-id names it.
type sanctionsSet struct {
	line    int
	program string // the program's ssid
	key     string // program-key: a short name ("Belarus")
	name    string // program-name: the ordinance
	text    string // the set itself: the annex or article
}

// Bounds of the first pass, far above any real list (public readers
// report about 8,500 targets and some 30 programs) so that a
// hostile file cannot grow the lookups without limit; past one the file
// is refused with sources.ErrLimit. A tag and a place or program are
// bounded as the second pass bounds a tag and a record (xmlstream's
// defaults), so that this pass never refuses what that one accepts.
const (
	maxPlaces   = 200_000
	maxSets     = 20_000
	maxTargets  = 500_000
	maxElement  = xmlstream.DefaultRecordBytes
	maxElements = xmlstream.DefaultRecordElements
	maxDepth    = xmlstream.DefaultDepth
	lookupBuf   = 64 << 10
)

// readLookups reads the places, sanctions sets and target ids of the file
// r. Problems of single places and programs go to issues. An error that
// is a *sources.RecordError (a bound passed) refuses the file; any other
// error is left for the second pass to report in its own terms.
func readLookups(ctx context.Context, r io.Reader, issues *sources.Issues) (*lookups, error) {
	lk := &lookups{places: map[string]*place{}, sets: map[string]*sanctionsSet{}, targets: map[string]struct{}{}}
	s := &topScanner{}
	s.onTarget = func(tag []byte, line int) error {
		t, err := readTree(bytes.NewReader(tag), s.decl, line, true)
		if err != nil {
			return err
		}
		if id := normalize.Text(attr(t.attrs, "ssid")); id != "" {
			if len(lk.targets) >= maxTargets {
				return s.limit(line, fmt.Sprintf("more than %d targets", maxTargets))
			}
			lk.targets[id] = struct{}{}
		}
		return nil
	}
	s.onElement = func(elem []byte, line int) error {
		t, err := readTree(bytes.NewReader(elem), s.decl, line, false)
		if err != nil {
			return err
		}
		if t.name == "place" {
			return lk.addPlace(t, issues)
		}
		return lk.addProgram(t, issues)
	}
	buf := make([]byte, lookupBuf)
	first := true
	for {
		if err := ctx.Err(); err != nil {
			return lk, err
		}
		n, err := io.ReadFull(r, buf)
		block := buf[:n]
		if first && bytes.HasPrefix(block, []byte("\xef\xbb\xbf")) {
			block = block[3:] // the second pass reports the byte order mark
		}
		first = false
		if serr := s.scan(block); serr != nil {
			return lk, serr
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			if !s.complete() {
				return lk, fmt.Errorf("the file ends at line %d, inside the document", s.lines+1)
			}
			return lk, nil
		}
		if err != nil {
			return lk, err
		}
	}
}

// charsetReader decodes a document that declares an encoding other than
// UTF-8 (the second pass does the same through xmlquery).
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", label, err)
	}
	return enc.NewDecoder().Reader(r), nil
}

// tree is an element of a <place> or <sanctions-program>, read whole (they
// are small; a bound keeps them so).
type tree struct {
	name  string
	attrs []xml.Attr
	text  strings.Builder // the text directly inside, not the children's
	kids  []*tree
	line  int
}

// readTree reads the element r holds (a place or program the scanner
// kept, or a target's start tag alone when tagOnly), decoded as the
// document's declaration decl says, its lines counted from line.
func readTree(r io.Reader, decl []byte, line int, tagOnly bool) (*tree, error) {
	d := xml.NewDecoder(io.MultiReader(bytes.NewReader(decl), r))
	d.CharsetReader = charsetReader
	var root *tree
	var stack []*tree
	elements := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err == io.EOF && tagOnly && root != nil {
				return root, nil
			}
			return nil, err
		}
		at, _ := d.InputPos()
		at += line - 1
		switch t := tok.(type) {
		case xml.StartElement:
			if elements++; elements > maxElements || len(stack) >= maxDepth {
				return nil, &sources.RecordError{Source: Name, File: FileName, Line: at,
					Err: fmt.Errorf("a <%s> with more than %d elements or %d levels: %w", t.Name.Local, maxElements, maxDepth, sources.ErrLimit)}
			}
			kid := &tree{name: t.Name.Local, attrs: t.Copy().Attr, line: at}
			if root == nil {
				root = kid
			} else {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, kid)
			}
			stack = append(stack, kid)
			if tagOnly {
				return root, nil
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fmt.Errorf("line %d: unexpected </%s>", at, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return root, nil
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
}

// value is the element's text, cleaned.
func (t *tree) value() string { return normalize.Text(t.text.String()) }

// attr returns the value of the attribute named name ("" if absent).
func attr(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// checkTree reports the attributes of t that are not in known, and what t
// should not hold: a leaf holds text only (an element in it is unknown),
// any other element holds elements only (its own text is not mapped).
func checkTree(t *tree, record string, issues *sources.Issues, leaf bool, known ...string) {
	for _, a := range t.attrs {
		if a.Name.Space != "" || !contains(known, a.Name.Local) {
			issues.Addf(FileName, t.line, record, "unknown attribute %s=%q on <%s>; not mapped", attrName(a.Name), a.Value, t.name)
		}
	}
	if !leaf {
		if v := t.value(); v != "" {
			issues.Addf(FileName, t.line, record, "text %q directly inside <%s>; not mapped", shorten(v), t.name)
		}
		return
	}
	for _, k := range t.kids {
		issues.Addf(FileName, k.line, record, "unknown element <%s> in <%s>; not mapped", k.name, t.name)
	}
}

// addPlace records a <place>: location, area, country.
func (lk *lookups) addPlace(t *tree, issues *sources.Issues) error {
	id := normalize.Text(attr(t.attrs, "ssid"))
	checkTree(t, "place "+id, issues, false, "ssid")
	if id == "" {
		issues.Addf(FileName, t.line, "", "<place> without ssid; not usable")
		return nil
	}
	if first, ok := lk.places[id]; ok {
		issues.Addf(FileName, t.line, "place "+id, "repeated <place ssid=%q> (the first is at line %d); the first is used", id, first.line)
		return nil
	}
	if len(lk.places) >= maxPlaces {
		return &sources.RecordError{Source: Name, File: FileName, Line: t.line, Err: fmt.Errorf("more than %d places: %w", maxPlaces, sources.ErrLimit)}
	}
	p := &place{line: t.line}
	for _, k := range t.kids {
		switch k.name {
		case "location":
			checkTree(k, "place "+id, issues, true)
			once(&p.location, k, "place "+id, issues)
		case "area":
			checkTree(k, "place "+id, issues, true)
			once(&p.area, k, "place "+id, issues)
		case "country":
			checkTree(k, "place "+id, issues, true, "iso-code")
			once(&p.country, k, "place "+id, issues)
			if code := normalize.Text(attr(k.attrs, "iso-code")); code != "" && p.countryCode == "" {
				if cc, ok := isoCode(code); ok {
					p.countryCode = cc
				} else {
					issues.Addf(FileName, k.line, "place "+id, "iso-code %q is not an ISO 3166-1 code; the country's text is kept", code)
				}
			}
		default:
			issues.Addf(FileName, k.line, "place "+id, "unknown element <%s> in <place>; not mapped", k.name)
		}
	}
	lk.places[id] = p
	return nil
}

// once sets *dst to k's text, reporting a second, different value.
func once(dst *string, k *tree, record string, issues *sources.Issues) {
	v := k.value()
	switch {
	case v == "":
	case *dst == "":
		*dst = v
	case *dst != v:
		issues.Addf(FileName, k.line, record, "repeated <%s> %q (the first is %q); not mapped", k.name, shorten(v), shorten(*dst))
	}
}

// addProgram records the sanctions sets of a <sanctions-program>, each
// with the program's key and name. Keys, names and sets are printed once
// per language; the English one is used (lang="eng"), else the first.
func (lk *lookups) addProgram(t *tree, issues *sources.Issues) error {
	pid := normalize.Text(attr(t.attrs, "ssid"))
	rec := "sanctions-program " + pid
	// version-date and predecessor-version-date date the program's own
	// revisions: SESAM's bookkeeping, not a fact about any target.
	checkTree(t, rec, issues, false, "ssid", "version-date", "predecessor-version-date")
	var key, name langText
	type set struct {
		id   string
		line int
		text langText
	}
	var sets []*set
	for _, k := range t.kids {
		switch k.name {
		case "program-key":
			checkTree(k, rec, issues, true, "lang")
			key.add(k)
		case "program-name":
			checkTree(k, rec, issues, true, "lang")
			name.add(k)
		case "sanctions-set":
			checkTree(k, rec, issues, true, "ssid", "lang")
			id := normalize.Text(attr(k.attrs, "ssid"))
			if id == "" {
				issues.Addf(FileName, k.line, rec, "<sanctions-set> without ssid; not usable")
				continue
			}
			var s *set
			for _, have := range sets {
				if have.id == id {
					s = have // the same set in another language
				}
			}
			if s == nil {
				s = &set{id: id, line: k.line}
				sets = append(sets, s)
			}
			s.text.add(k)
		case "origin":
			// Who decided the measures (UN, EU, CH): the program names
			// say it too, and the schema has no field for it.
			checkTree(k, rec, issues, true)
		default:
			issues.Addf(FileName, k.line, rec, "unknown element <%s> in <sanctions-program>; not mapped", k.name)
		}
	}
	if len(sets) == 0 {
		issues.Addf(FileName, t.line, rec, "<sanctions-program> without <sanctions-set>; no target can refer to it")
	}
	for _, s := range sets {
		if first, ok := lk.sets[s.id]; ok {
			issues.Addf(FileName, s.line, rec, "repeated <sanctions-set ssid=%q> (the first is at line %d, in sanctions-program %s); the first is used", s.id, first.line, first.program)
			continue
		}
		if len(lk.sets) >= maxSets {
			return &sources.RecordError{Source: Name, File: FileName, Line: s.line, Err: fmt.Errorf("more than %d sanctions sets: %w", maxSets, sources.ErrLimit)}
		}
		lk.sets[s.id] = &sanctionsSet{line: s.line, program: pid, key: key.get(), name: name.get(), text: s.text.get()}
	}
	if key.get() == "" && name.get() == "" && len(sets) > 0 {
		issues.Addf(FileName, t.line, rec, "<sanctions-program> without program-key and program-name; its sets give no program")
	}
	return nil
}

// langText is a text printed once per language.
type langText struct{ first, eng string }

func (l *langText) add(k *tree) {
	v := k.value()
	if v == "" {
		return
	}
	if l.first == "" {
		l.first = v
	}
	if l.eng == "" && strings.EqualFold(attr(k.attrs, "lang"), "eng") {
		l.eng = v
	}
}

func (l *langText) get() string {
	if l.eng != "" {
		return l.eng
	}
	return l.first
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// attrName prints an attribute's name with its prefix.
func attrName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

package un

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// recordKind is one of the two record elements.
type recordKind struct {
	name      string // INDIVIDUAL or ENTITY
	container string // INDIVIDUALS or ENTITIES
	typ       entity.Type
}

var (
	individual = &recordKind{"INDIVIDUAL", "INDIVIDUALS", entity.Person}
	org        = &recordKind{"ENTITY", "ENTITIES", entity.Organization}

	recordKinds = map[string]*recordKind{individual.name: individual, org.name: org}
)

// field is one leaf element's text, cleaned by normalize.Text, with the
// element for the line of an issue (nil when the element is absent).
type field struct {
	v string
	n *xmlquery.Node
}

// record holds one INDIVIDUAL or ENTITY as printed.
type record struct {
	kind *recordKind
	node *xmlquery.Node
	// id is DATAID's text, read before the other elements so that every
	// issue of the record names it; dataID is the element, for repeats.
	id     string
	dataID field
	names  [4]field // FIRST_NAME .. FOURTH_NAME
	// UN_LIST_TYPE, REFERENCE_NUMBER, LISTED_ON, GENDER,
	// NAME_ORIGINAL_SCRIPT, COMMENTS1.
	listType, ref, listedOn, gender, original, comments field
	// TITLE, DESIGNATION, NATIONALITY and LIST_TYPE values.
	titles, designations, nationalities, listTypes []field
	aliases                                        []alias
	addresses                                      []address
	birthPlaces                                    []address // no ZIP_CODE
	birthDates                                     []birthDate
	documents                                      []document
}

// alias is an INDIVIDUAL_ALIAS or ENTITY_ALIAS.
type alias struct {
	node                                    *xmlquery.Node
	quality, name, dob, city, country, note field
}

// address is an INDIVIDUAL_ADDRESS, ENTITY_ADDRESS or
// INDIVIDUAL_PLACE_OF_BIRTH.
type address struct {
	node                                    *xmlquery.Node
	street, city, state, zip, country, note field
}

// birthDate is an INDIVIDUAL_DATE_OF_BIRTH.
type birthDate struct {
	node                            *xmlquery.Node
	typ, note, date, year, from, to field
}

// document is an INDIVIDUAL_DOCUMENT.
type document struct {
	node                                                                  *xmlquery.Node
	typ, typ2, number, issuingCountry, issued, city, countryOfIssue, note field
}

func (r *record) reset(kind *recordKind, n *xmlquery.Node) {
	*r = record{
		kind: kind, node: n,
		titles: r.titles[:0], designations: r.designations[:0], nationalities: r.nationalities[:0],
		listTypes: r.listTypes[:0], aliases: r.aliases[:0], addresses: r.addresses[:0],
		birthPlaces: r.birthPlaces[:0], birthDates: r.birthDates[:0], documents: r.documents[:0],
	}
}

// parser reads records; its scratch space is reused.
type parser struct {
	issues *sources.Issues
	st     *xmlstream.Stream
	rec    record
	// cur is the node just read, whose end the decoder is at.
	cur *xmlquery.Node
}

func newParser(issues *sources.Issues, st *xmlstream.Stream) *parser {
	return &parser{issues: issues, st: st}
}

// start makes n the current node.
func (p *parser) start(n *xmlquery.Node) {
	p.cur = n
}

// issue records a problem at the line of elem inside the current node n
// (of n itself when elem is nil).
func (p *parser) issue(n, elem *xmlquery.Node, record, format string, args ...any) {
	p.issues.Addf(FileName, p.line(n, elem), record, format, args...)
}

// line returns the line of elem's start tag inside the current node n, or
// of n's when elem is nil; 0 when n is not the current node.
func (p *parser) line(n, elem *xmlquery.Node) int {
	if n != p.cur {
		return 0
	}
	return p.st.LineOf(n, elem)
}

// strayText reports text other than white space printed next to the
// current node n (before it, inside its container); the stream parser
// drops it with n's predecessors.
func (p *parser) strayText(n *xmlquery.Node, record string) {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if isText(s) && strings.TrimSpace(s.Data) != "" {
			p.issues.Addf(FileName, 0, record, "text %q inside <%s>; not mapped", shorten(s.Data), n.Parent.Data)
		}
	}
}

// leftovers reports text other than white space left in the tree when the
// stream ends: directly in the root or after the last record of a
// container. Records and unknown elements were handed over and reported.
func (p *parser) leftovers(root *xmlquery.Node) {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if isText(c) && strings.TrimSpace(c.Data) != "" {
			p.issues.Addf(FileName, 0, "", "text %q inside <%s>; not mapped", shorten(c.Data), root.Data)
		}
		if c.Type != xmlquery.ElementNode {
			continue
		}
		for _, a := range c.Attr {
			p.issues.Addf(FileName, 0, "", "unknown attribute %s=%q on <%s>; not mapped", attrName(a), a.Value, c.Data)
		}
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			if isText(cc) && strings.TrimSpace(cc.Data) != "" {
				p.issues.Addf(FileName, 0, "", "text %q inside <%s>; not mapped", shorten(cc.Data), c.Data)
			}
		}
	}
}

func isText(n *xmlquery.Node) bool {
	return n.Type == xmlquery.TextNode || n.Type == xmlquery.CharDataNode
}

// shorten cuts s for an issue message.
func shorten(s string) string {
	s = normalize.Text(s)
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
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

// record reads one INDIVIDUAL or ENTITY and maps it; nil when it cannot
// make an entity (the issue is recorded).
func (p *parser) record(n *xmlquery.Node, kind *recordKind) *entity.Entity {
	r := &p.rec
	r.reset(kind, n)
	// DATAID first, so that every issue of the record names it.
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode && c.Data == "DATAID" {
			r.id = normalize.Text(c.InnerText())
			break
		}
	}
	p.checkAttrs(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			p.checkText(c, n)
			continue
		}
		if !p.recordChild(r, c) {
			p.unknown(c, n)
		}
	}
	// A repeated DATAID is not checked here: the pipeline drops repeated
	// ids after sorting, keeping the record parsed first, so the parser
	// holds no set of the ids it met.
	if r.id == "" {
		p.issue(n, nil, "", "<%s> without DATAID; record skipped", kind.name)
		return nil
	}
	return p.build(r)
}

// recordChild reads one child element of a record; false when the element
// is unknown in this kind of record.
func (p *parser) recordChild(r *record, c *xmlquery.Node) bool {
	ind := r.kind == individual
	switch c.Data {
	case "DATAID":
		p.set(&r.dataID, c)
	case "VERSIONNUM", "SORT_KEY", "SORT_KEY_LAST_MOD":
		// Documented as ignored: a revision counter (always 1) and two
		// ordering helpers (always empty). Checked as leaves only.
		p.leafText(c)
	case "FIRST_NAME":
		p.set(&r.names[0], c)
	case "SECOND_NAME":
		if !ind {
			return false
		}
		p.set(&r.names[1], c)
	case "THIRD_NAME":
		if !ind {
			return false
		}
		p.set(&r.names[2], c)
	case "FOURTH_NAME":
		if !ind {
			return false
		}
		p.set(&r.names[3], c)
	case "UN_LIST_TYPE":
		p.set(&r.listType, c)
	case "REFERENCE_NUMBER":
		p.set(&r.ref, c)
	case "LISTED_ON":
		p.set(&r.listedOn, c)
	case "GENDER":
		if !ind {
			return false
		}
		p.set(&r.gender, c)
	case "SUBMITTED_BY":
		// Documented as ignored: the member state that proposed the
		// listing (printed until 2023).
		if !ind {
			return false
		}
		p.leafText(c)
	case "SUBMITTED_ON":
		// Documented as ignored: the date of the listing proposal
		// (printed until 2023).
		if ind {
			return false
		}
		p.leafText(c)
	case "NAME_ORIGINAL_SCRIPT":
		p.set(&r.original, c)
	case "COMMENTS1":
		p.set(&r.comments, c)
	case "TITLE":
		if !ind {
			return false
		}
		r.titles = p.values(c, r.titles)
	case "DESIGNATION":
		if !ind {
			return false
		}
		r.designations = p.values(c, r.designations)
	case "NATIONALITY":
		if !ind {
			return false
		}
		r.nationalities = p.values(c, r.nationalities)
	case "LIST_TYPE":
		r.listTypes = p.values(c, r.listTypes)
	case "LAST_DAY_UPDATED":
		// Documented as ignored: the dates of the record's amendments;
		// the store's history gives last_changed.
		p.values(c, nil)
	case "INDIVIDUAL_ALIAS", "ENTITY_ALIAS":
		if ind != (c.Data == "INDIVIDUAL_ALIAS") {
			return false
		}
		r.aliases = append(r.aliases, p.alias(c, ind))
	case "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS":
		if ind != (c.Data == "INDIVIDUAL_ADDRESS") {
			return false
		}
		r.addresses = append(r.addresses, p.address(c, true))
	case "INDIVIDUAL_PLACE_OF_BIRTH":
		if !ind {
			return false
		}
		r.birthPlaces = append(r.birthPlaces, p.address(c, false))
	case "INDIVIDUAL_DATE_OF_BIRTH":
		if !ind {
			return false
		}
		r.birthDates = append(r.birthDates, p.birthDate(c))
	case "INDIVIDUAL_DOCUMENT":
		if !ind {
			return false
		}
		r.documents = append(r.documents, p.document(c))
	default:
		return false
	}
	return true
}

// unknown reports an element that is not mapped.
func (p *parser) unknown(c, parent *xmlquery.Node) {
	p.issue(p.rec.node, c, p.rec.id, "unknown element <%s> in <%s>%s; not mapped", c.Data, parent.Data, excerpt(c))
}

// checkAttrs reports the attributes of n: the publisher prints none
// inside records.
func (p *parser) checkAttrs(n *xmlquery.Node) {
	for _, a := range n.Attr {
		p.issue(p.rec.node, n, p.rec.id, "unknown attribute %s=%q on <%s>; not mapped", attrName(a), a.Value, n.Data)
	}
}

// attrName is an attribute's name as printed, with its prefix.
func attrName(a xmlquery.Attr) string {
	if a.Name.Space != "" {
		return a.Name.Space + ":" + a.Name.Local
	}
	return a.Name.Local
}

// checkText reports text other than white space directly inside a
// container element (comments and white space are fine).
func (p *parser) checkText(c, parent *xmlquery.Node) {
	if !isText(c) {
		return
	}
	words := strings.TrimLeftFunc(c.Data, unicode.IsSpace)
	if words == "" {
		return
	}
	// The line of the first word, not of the white space before it.
	line := p.line(p.rec.node, c)
	if line > 0 {
		line += strings.Count(c.Data[:len(c.Data)-len(words)], "\n")
	}
	p.issues.Addf(FileName, line, p.rec.id, "text %q directly inside <%s>; not mapped", shorten(words), parent.Data)
}

// leafText returns the cleaned text of a leaf element; child elements and
// attributes are reported.
func (p *parser) leafText(n *xmlquery.Node) string {
	if len(n.Attr) > 0 {
		p.checkAttrs(n)
	}
	c := n.FirstChild
	if c == nil {
		return ""
	}
	if c.NextSibling == nil && isText(c) {
		return normalize.Text(c.Data)
	}
	var b strings.Builder
	for ; c != nil; c = c.NextSibling {
		switch {
		case isText(c):
			b.WriteString(c.Data)
		case c.Type == xmlquery.ElementNode:
			p.unknown(c, n)
		}
	}
	return normalize.Text(b.String())
}

// set reads a leaf element into f; a repeated element is reported and
// its value not mapped.
func (p *parser) set(f *field, n *xmlquery.Node) {
	v := p.leafText(n)
	if f.n != nil {
		p.issue(p.rec.node, n, p.rec.id, "repeated <%s> in <%s>; the first is used, %q is not mapped", n.Data, n.Parent.Data, shorten(v))
		return
	}
	*f = field{v: v, n: n}
}

// values reads the VALUE children of n (TITLE, DESIGNATION, NATIONALITY,
// LIST_TYPE, LAST_DAY_UPDATED) into dst, empty ones skipped.
func (p *parser) values(n *xmlquery.Node, dst []field) []field {
	p.children(n, func(c *xmlquery.Node) bool {
		if c.Data != "VALUE" {
			return false
		}
		if v := p.leafText(c); v != "" {
			dst = append(dst, field{v: v, n: c})
		}
		return true
	})
	return dst
}

// children calls each for every child element of n and reports the
// elements it does not know (each returns false), n's attributes and
// stray text.
func (p *parser) children(n *xmlquery.Node, each func(c *xmlquery.Node) bool) {
	if len(n.Attr) > 0 {
		p.checkAttrs(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			p.checkText(c, n)
			continue
		}
		if !each(c) {
			p.unknown(c, n)
		}
	}
}

func (p *parser) alias(n *xmlquery.Node, ind bool) alias {
	a := alias{node: n}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "QUALITY":
			p.set(&a.quality, c)
		case "ALIAS_NAME":
			p.set(&a.name, c)
		case "NOTE":
			p.set(&a.note, c)
		case "DATE_OF_BIRTH":
			if !ind {
				return false
			}
			p.set(&a.dob, c)
		case "CITY_OF_BIRTH":
			if !ind {
				return false
			}
			p.set(&a.city, c)
		case "COUNTRY_OF_BIRTH":
			if !ind {
				return false
			}
			p.set(&a.country, c)
		default:
			return false
		}
		return true
	})
	return a
}

// address reads an address, or a place of birth (withZIP false).
func (p *parser) address(n *xmlquery.Node, withZIP bool) address {
	a := address{node: n}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "STREET":
			p.set(&a.street, c)
		case "CITY":
			p.set(&a.city, c)
		case "STATE_PROVINCE":
			p.set(&a.state, c)
		case "ZIP_CODE":
			if !withZIP {
				return false
			}
			p.set(&a.zip, c)
		case "COUNTRY":
			p.set(&a.country, c)
		case "NOTE":
			p.set(&a.note, c)
		default:
			return false
		}
		return true
	})
	return a
}

func (p *parser) birthDate(n *xmlquery.Node) birthDate {
	d := birthDate{node: n}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "TYPE_OF_DATE":
			p.set(&d.typ, c)
		case "NOTE":
			p.set(&d.note, c)
		case "DATE":
			p.set(&d.date, c)
		case "YEAR":
			p.set(&d.year, c)
		case "FROM_YEAR":
			p.set(&d.from, c)
		case "TO_YEAR":
			p.set(&d.to, c)
		default:
			return false
		}
		return true
	})
	return d
}

func (p *parser) document(n *xmlquery.Node) document {
	d := document{node: n}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "TYPE_OF_DOCUMENT":
			p.set(&d.typ, c)
		case "TYPE_OF_DOCUMENT2":
			p.set(&d.typ2, c)
		case "NUMBER":
			p.set(&d.number, c)
		case "ISSUING_COUNTRY":
			p.set(&d.issuingCountry, c)
		case "DATE_OF_ISSUE":
			p.set(&d.issued, c)
		case "CITY_OF_ISSUE":
			p.set(&d.city, c)
		case "COUNTRY_OF_ISSUE":
			p.set(&d.countryOfIssue, c)
		case "NOTE":
			p.set(&d.note, c)
		default:
			return false
		}
		return true
	})
	return d
}

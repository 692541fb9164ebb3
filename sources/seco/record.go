package seco

import (
	"strconv"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// field is a value as printed (cleaned by normalize.Text) with the element
// it came from, for the line of an issue.
type field struct {
	v string
	n *xmlquery.Node
}

// record is one top-level <target> as printed, without what its
// modifications hold.
type record struct {
	node           *xmlquery.Node
	ssid           string
	kind           string         // individual, entity or object
	body           *xmlquery.Node // that element
	sex            string         // individual sex
	objectType     string         // object object-type
	sets           []field        // sanctions-set-id
	foreign        []field        // foreign-identifier
	identities     []identity
	justifications []string
	other          []field // other-information
	relations      []relation
	mods           []modification
}

// modification is a <modification> without its added/removed copies.
type modification struct {
	n                               *xmlquery.Node
	typ                             string
	effective, published, enactment string // ISO dates, "" when absent or not a date
}

type identity struct {
	n             *xmlquery.Node
	main          bool
	names         []name
	dates         []dmy
	addresses     []address
	birthPlaces   []address
	nationalities []country
	documents     []document
}

type name struct {
	n                  *xmlquery.Node
	typ, quality, lang string
	parts              []namePart
}

type namePart struct {
	n        *xmlquery.Node
	order    int // 0 when absent or not a number
	typ      string
	value    string
	variants []variant
}

type variant struct {
	n                        *xmlquery.Node
	lang, script, typ, value string
}

// dmy is a <day-month-year>.
type dmy struct {
	n                                   *xmlquery.Node
	day, month, year, calendar, quality string
}

// address is an <address> or a <place-of-birth>: a place by id and what
// the element adds to it.
type address struct {
	n                                                *xmlquery.Node
	placeID                                          string
	co, details, zip, poBox, remarks, location, area string
	country                                          country
}

// country is a <country iso-code="..">text</country>, or an
// <issuer code="..">text</issuer>.
type country struct {
	n          *xmlquery.Node
	code, text string
}

type document struct {
	n                                    *xmlquery.Node
	typ, number, issued, expires, remark string
	issuer                               country
}

type relation struct {
	n           *xmlquery.Node
	target, typ string
}

// parser reads the targets of one file.
type parser struct {
	issues   *sources.Issues
	st       *xmlstream.Stream
	lk       *lookups
	cur      *xmlquery.Node // the record Next returned last
	rec      *record
	unparsed remarkStats
}

// issue records a problem of the current target at elem's line.
func (p *parser) issue(elem *xmlquery.Node, format string, args ...any) {
	id := ""
	if p.rec != nil {
		id = p.rec.ssid
	}
	p.issues.Addf(FileName, p.st.LineOf(p.cur, elem), id, format, args...)
}

// attrOf returns n's attribute name ("" if absent).
func attrOf(n *xmlquery.Node, name string) string {
	for _, a := range n.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// checkAttrs reports n's attributes that are not in known.
func (p *parser) checkAttrs(n *xmlquery.Node, known ...string) {
	for _, a := range n.Attr {
		if a.Name.Space != "" || !contains(known, a.Name.Local) {
			p.issue(n, "unknown attribute %s=%q on <%s>; not mapped", attrName(a.Name), a.Value, n.Data)
		}
	}
}

// leaf returns the text of an element that holds text only; an element
// inside it is unknown.
func (p *parser) leaf(n *xmlquery.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode {
			p.issue(c, "unknown element <%s> in <%s>%s; not mapped", c.Data, n.Data, excerpt(c))
		}
	}
	return normalize.Text(n.InnerText())
}

// children calls read for each child element of n; an element read does
// not know, and text directly inside n, are issues.
func (p *parser) children(n *xmlquery.Node, read func(c *xmlquery.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case xmlquery.ElementNode:
			if !read(c) {
				p.issue(c, "unknown element <%s> in <%s>%s; not mapped", c.Data, n.Data, excerpt(c))
			}
		case xmlquery.TextNode, xmlquery.CharDataNode:
			if v := normalize.Text(c.Data); v != "" {
				p.issue(n, "text %q directly inside <%s>; not mapped", shorten(v), n.Data)
			}
		}
	}
}

// set keeps the first non-empty value of an element printed once.
func (p *parser) set(dst *string, c *xmlquery.Node) {
	v := p.leaf(c)
	switch {
	case v == "":
	case *dst == "":
		*dst = v
	case *dst != v:
		p.issue(c, "repeated <%s> %q in <%s> (the first is %q); not mapped", c.Data, shorten(v), c.Parent.Data, shorten(*dst))
	}
}

// modifications reads the target's <modification> elements. What they
// added or removed is the history of the target, never read.
func (p *parser) modifications(r *record) {
	for c := r.node.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode || c.Data != "modification" {
			continue
		}
		p.checkAttrs(c, "modification-type", "enactment-date", "publication-date", "effective-date")
		m := modification{n: c, typ: normalize.Text(attrOf(c, "modification-type"))}
		m.effective = p.modDate(c, "effective-date")
		m.published = p.modDate(c, "publication-date")
		m.enactment = p.modDate(c, "enactment-date")
		if !knownModifications[m.typ] {
			p.issue(c, "unknown modification-type %q; taken as an amendment (the target stays listed)", m.typ)
		}
		p.children(c, func(k *xmlquery.Node) bool { return k.Data == "added" || k.Data == "removed" })
		r.mods = append(r.mods, m)
	}
}

// knownModifications are the modification-type values SECO prints.
var knownModifications = map[string]bool{"listed": true, "amended": true, "de-listed": true}

func (p *parser) modDate(c *xmlquery.Node, name string) string {
	v := normalize.Text(attrOf(c, name))
	if v == "" || isISODate(v) {
		return v
	}
	p.issue(c, "%s %q is not an ISO date; not used", name, v)
	return ""
}

// target reads one top-level <target> and maps it; delisted reports a
// target whose latest modification de-lists it, which is not mapped. nil
// without delisted is a target that cannot make an entity (the issue is
// recorded).
func (p *parser) target(n *xmlquery.Node) (_ *entity.Entity, delisted bool) {
	r := &record{node: n, ssid: normalize.Text(attrOf(n, "ssid"))}
	p.rec = r
	p.checkAttrs(n, "ssid")
	if r.ssid == "" {
		p.issue(n, "<target> without ssid; skipped")
		return nil, false
	}
	p.modifications(r)
	if len(r.mods) == 0 {
		p.issue(n, "<target> without <modification>; taken as listed, with no listing date")
	} else if latest(r.mods).typ == "de-listed" {
		return nil, true
	}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "sanctions-set-id":
			if v := p.leaf(c); v != "" {
				r.sets = append(r.sets, field{v, c})
			}
		case "foreign-identifier":
			if v := p.leaf(c); v != "" {
				r.foreign = append(r.foreign, field{v, c})
			}
		case "individual", "entity", "object":
			if r.body != nil {
				p.issue(c, "second <%s> in <target> (the first is <%s>); not mapped", c.Data, r.kind)
				return true
			}
			r.kind, r.body = c.Data, c
			p.body(r, c)
		case "modification":
			// Read above.
		default:
			return false
		}
		return true
	})
	if r.body == nil {
		p.issue(n, "<target> without <individual>, <entity> or <object>; skipped")
		return nil, false
	}
	return p.build(r), false
}

// latest is the modification in force: the one with the latest date
// (effective, else publication, else enactment date), an undated one
// after every dated one; between equal dates the one printed first (SECO
// prints the newest first).
func latest(mods []modification) *modification {
	best := &mods[0]
	for i := range mods[1:] {
		if m := &mods[i+1]; m.date() > best.date() {
			best = m
		}
	}
	return best
}

// date is the date a modification took effect, "" when it has none.
func (m *modification) date() string {
	switch {
	case m.effective != "":
		return m.effective
	case m.published != "":
		return m.published
	}
	return m.enactment
}

// body reads the <individual>, <entity> or <object> element.
func (p *parser) body(r *record, b *xmlquery.Node) {
	switch r.kind {
	case "individual":
		p.checkAttrs(b, "sex")
		r.sex = normalize.Text(attrOf(b, "sex"))
	case "object":
		p.checkAttrs(b, "object-type")
		r.objectType = normalize.Text(attrOf(b, "object-type"))
	default:
		p.checkAttrs(b)
	}
	p.children(b, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "identity":
			r.identities = append(r.identities, p.readIdentity(c))
		case "justification":
			p.checkAttrs(c, "ssid")
			if v := p.leaf(c); v != "" {
				r.justifications = append(r.justifications, v)
			}
		case "other-information":
			p.checkAttrs(c, "ssid")
			if v := p.leaf(c); v != "" {
				r.other = append(r.other, field{v, c})
			}
		case "relation":
			p.checkAttrs(c, "ssid", "target-id", "relation-type")
			p.children(c, func(*xmlquery.Node) bool { return false })
			r.relations = append(r.relations, relation{n: c, target: normalize.Text(attrOf(c, "target-id")), typ: normalize.Text(attrOf(c, "relation-type"))})
		default:
			return false
		}
		return true
	})
}

func (p *parser) readIdentity(n *xmlquery.Node) identity {
	p.checkAttrs(n, "ssid", "main")
	id := identity{n: n}
	switch m := normalize.Text(attrOf(n, "main")); m {
	case "true":
		id.main = true
	case "false", "":
	default:
		p.issue(n, "identity main=%q is not true or false; taken as false", m)
	}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "name":
			id.names = append(id.names, p.readName(c))
		case "day-month-year":
			p.checkAttrs(c, "ssid", "day", "month", "year", "calendar", "quality")
			if v := p.leaf(c); v != "" {
				p.issue(c, "text %q directly inside <%s>; not mapped", shorten(v), c.Data)
			}
			id.dates = append(id.dates, dmy{n: c, day: normalize.Text(attrOf(c, "day")), month: normalize.Text(attrOf(c, "month")),
				year: normalize.Text(attrOf(c, "year")), calendar: normalize.Text(attrOf(c, "calendar")), quality: normalize.Text(attrOf(c, "quality"))})
		case "address":
			id.addresses = append(id.addresses, p.readAddress(c))
		case "place-of-birth":
			id.birthPlaces = append(id.birthPlaces, p.readAddress(c))
		case "nationality":
			p.checkAttrs(c, "ssid", "quality")
			nat := country{n: c}
			p.children(c, func(k *xmlquery.Node) bool {
				if k.Data != "country" {
					return false
				}
				nat = p.readCountry(k, "iso-code")
				return true
			})
			id.nationalities = append(id.nationalities, nat)
		case "identification-document":
			id.documents = append(id.documents, p.readDocument(c))
		default:
			return false
		}
		return true
	})
	return id
}

// readCountry reads a <country iso-code=".."> or an <issuer code="..">.
func (p *parser) readCountry(k *xmlquery.Node, codeAttr string) country {
	p.checkAttrs(k, codeAttr)
	return country{n: k, code: normalize.Text(attrOf(k, codeAttr)), text: p.leaf(k)}
}

func (p *parser) readName(n *xmlquery.Node) name {
	p.checkAttrs(n, "ssid", "name-type", "quality", "lang")
	nm := name{n: n, typ: normalize.Text(attrOf(n, "name-type")), quality: normalize.Text(attrOf(n, "quality")), lang: normalize.Text(attrOf(n, "lang"))}
	p.children(n, func(c *xmlquery.Node) bool {
		if c.Data != "name-part" {
			return false
		}
		p.checkAttrs(c, "order", "name-part-type")
		part := namePart{n: c, typ: normalize.Text(attrOf(c, "name-part-type"))}
		if o := normalize.Text(attrOf(c, "order")); o != "" {
			if v, err := strconv.Atoi(o); err == nil && v > 0 {
				part.order = v
			} else {
				p.issue(c, "name-part order %q is not a positive number; taken in the order printed", o)
			}
		}
		p.children(c, func(k *xmlquery.Node) bool {
			switch k.Data {
			case "value":
				p.checkAttrs(k)
				p.set(&part.value, k)
			case "spelling-variant":
				p.checkAttrs(k, "lang", "script", "spelling-variant-type")
				if v := p.leaf(k); v != "" {
					part.variants = append(part.variants, variant{n: k, lang: normalize.Text(attrOf(k, "lang")),
						script: normalize.Text(attrOf(k, "script")), typ: normalize.Text(attrOf(k, "spelling-variant-type")), value: v})
				}
			default:
				return false
			}
			return true
		})
		nm.parts = append(nm.parts, part)
		return true
	})
	return nm
}

// readAddress reads an <address> or a <place-of-birth>.
func (p *parser) readAddress(n *xmlquery.Node) address {
	p.checkAttrs(n, "ssid", "place-id", "quality")
	a := address{n: n, placeID: normalize.Text(attrOf(n, "place-id"))}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "c-o":
			p.set(&a.co, c)
		case "address-details":
			p.set(&a.details, c)
		case "zip-code":
			p.set(&a.zip, c)
		case "p-o-box":
			p.set(&a.poBox, c)
		case "remarks", "remark":
			p.set(&a.remarks, c)
		case "location":
			p.set(&a.location, c)
		case "area":
			p.set(&a.area, c)
		case "country":
			a.country = p.readCountry(c, "iso-code")
		default:
			return false
		}
		if c.Data != "country" {
			p.checkAttrs(c)
		}
		return true
	})
	return a
}

func (p *parser) readDocument(n *xmlquery.Node) document {
	p.checkAttrs(n, "ssid", "document-type")
	d := document{n: n, typ: normalize.Text(attrOf(n, "document-type"))}
	p.children(n, func(c *xmlquery.Node) bool {
		switch c.Data {
		case "number":
			p.set(&d.number, c)
		case "issuer":
			d.issuer = p.readCountry(c, "code")
			return true
		case "date-of-issue":
			p.set(&d.issued, c)
		case "expiry-date":
			p.set(&d.expires, c)
		case "remark", "remarks":
			p.set(&d.remark, c)
		default:
			return false
		}
		p.checkAttrs(c)
		return true
	})
	return d
}

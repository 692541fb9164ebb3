package ofac

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// Namespaces of <sdnList>: before and since the 2024 Sanctions List
// Service.
const (
	nsTempuri = "http://tempuri.org/sdnList.xsd"
	nsSLS     = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"
)

func (s *source) parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	name := s.files.xml
	st, closeAll, err := s.openXML(in, xmlstream.Options{
		File: name, Root: "sdnList",
		Namespaces:     []string{nsTempuri, nsSLS},
		BlankNamespace: !s.keepXMLNS,
	}, issues)
	if err != nil {
		return meta, err
	}
	defer closeAll()
	p := &xmlParser{s: s, file: name, issues: issues, st: st, declared: -1, stats: &remarkStats{}}
	lk := s.newLinker()
	defer lk.close()
	entries := 0
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
		case "publshInformation":
			p.header(n, &meta)
		case "sdnEntry":
			entries++
			if entries%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return meta, err
				}
			}
			e := p.entry(n)
			if e == nil {
				continue
			}
			if err := lk.put(e, emit); err != nil {
				return meta, err
			}
		default:
			p.issue(n, nil, "", "unknown element <%s> in <sdnList>; not mapped", n.Data)
		}
	}
	if p.declared >= 0 && entries != p.declared {
		// The count is the publication's own evidence of completeness
		// (DESIGN.md "Integrity"): a file that holds fewer entries lost
		// some, one that holds more is not what was declared.
		return meta, &sources.RecordError{Source: s.files.name, File: name, Line: p.countLine,
			Err: fmt.Errorf("Record_Count declares %d entries, the file has %d: %w", p.declared, entries, sources.ErrIncomplete)}
	}
	if err := lk.finish(ctx, name, emit, issues); err != nil {
		return meta, err
	}
	p.stats.fill(&meta)
	return meta, nil
}

// openXML opens the file opts.File of in as a stream of records; closeAll
// closes the stream and the file.
func (s *source) openXML(in *sources.Input, opts xmlstream.Options, issues *sources.Issues) (st *xmlstream.Stream, closeAll func(), err error) {
	f, err := in.Open(opts.File)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.files.name, err)
	}
	opts.Source = s.files.name
	if st, err = xmlstream.Open(f, opts, issues); err != nil {
		f.Close()
		return nil, nil, err
	}
	return st, func() { st.Close(); f.Close() }, nil
}

// xmlParser maps sdnEntry nodes; its scratch space is reused.
type xmlParser struct {
	s      *source
	file   string
	issues *sources.Issues
	st     *xmlstream.Stream
	stats  *remarkStats
	// declared is the header's Record_Count, -1 without one; countLine
	// its line.
	declared  int
	countLine int
	cur       *xmlquery.Node // the node just read, whose end the decoder is at
	ent       xmlEntry
	line      legacyLine
}

// xmlEntry holds one sdnEntry's elements.
type xmlEntry struct {
	uid, first, last, title, typ, remarks string
	programs                              []string
	ids                                   []xmlID
	akas                                  []xmlAka
	addrs                                 []xmlAddr
	items                                 []xmlItem
	vessel                                [6]string
	unknown                               []*xmlquery.Node
}

type xmlID struct{ uid, typ, number, country, issued, expires string }

type xmlAka struct{ typ, category, first, last string }

type xmlAddr struct {
	a1, a2, a3, city, state, postal, country string
	region                                   string // the advanced XML's REGION, printed as the country "Region: X"
	// structured fills the address's city, region and postal code from
	// the parts: both XMLs name them. The legacy CSV joins them in one
	// column ambiguously ("Rome, RM 00187", "Tehran 11365", "Gaza"), so
	// its addresses keep them in full only: the formats' addresses are
	// equal but for these three fields.
	structured bool
}

// xmlItem is a date of birth, place of birth, nationality or citizenship.
type xmlItem struct {
	label string // "DOB", "POB", "nationality", "citizen"
	uid   string
	value string
}

func (e *xmlEntry) reset() {
	*e = xmlEntry{
		programs: e.programs[:0], ids: e.ids[:0], akas: e.akas[:0], addrs: e.addrs[:0],
		items: e.items[:0], unknown: e.unknown[:0],
	}
}

// text returns an element's text, cleaned.
func text(n *xmlquery.Node) string {
	c := n.FirstChild
	if c == nil {
		return ""
	}
	if c.NextSibling == nil && (c.Type == xmlquery.TextNode || c.Type == xmlquery.CharDataNode) {
		return normalize.Text(c.Data)
	}
	return normalize.Text(n.InnerText())
}

// fields calls set for every child element of n; set reports whether it
// knows the element. Unknown elements are remembered for an issue.
func (p *xmlParser) fields(n *xmlquery.Node, set func(name, value string) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		if !set(c.Data, text(c)) {
			p.ent.unknown = append(p.ent.unknown, c)
		}
	}
}

// list calls each for every child element of n named item.
func (p *xmlParser) list(n *xmlquery.Node, item string, each func(*xmlquery.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		if c.Data != item {
			p.ent.unknown = append(p.ent.unknown, c)
			continue
		}
		each(c)
	}
}

func (p *xmlParser) header(n *xmlquery.Node, meta *sources.Meta) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		v := text(c)
		switch c.Data {
		case "Publish_Date":
			if d, ok := publishDate(v); ok {
				meta.PublicationDate = d
			} else {
				p.issue(n, c, "", "Publish_Date %q is not MM/DD/YYYY", v)
			}
		case "Record_Count":
			if k, err := strconv.Atoi(v); err == nil && k >= 0 {
				meta.DeclaredCount, p.declared, p.countLine = k, k, p.st.LineOf(n, c)
			} else {
				p.issue(n, c, "", "Record_Count %q is not a number", v)
			}
		default:
			p.issue(n, c, "", "unknown element <%s> in <publshInformation>; not mapped", c.Data)
		}
	}
}

// publishDate turns MM/DD/YYYY into YYYY-MM-DD.
func publishDate(s string) (string, bool) {
	mm, rest, ok1 := strings.Cut(s, "/")
	dd, yyyy, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || !isDigits(mm) || !isDigits(dd) || len(yyyy) != 4 || !isDigits(yyyy) ||
		len(mm) > 2 || len(dd) > 2 || mm == "0" || dd == "0" {
		return "", false
	}
	m, _ := strconv.Atoi(mm)
	d, _ := strconv.Atoi(dd)
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	return fmt.Sprintf("%s-%02d-%02d", yyyy, m, d), true
}

// entry reads one sdnEntry and maps it; nil when it cannot make an entity
// (the issue is recorded).
func (p *xmlParser) entry(n *xmlquery.Node) *entity.Entity {
	e := &p.ent
	e.reset()
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "uid":
			e.uid = text(c)
		case "firstName":
			e.first = text(c)
		case "lastName":
			e.last = text(c)
		case "title":
			e.title = text(c)
		case "sdnType":
			e.typ = text(c)
		case "remarks":
			e.remarks = text(c)
		case "programList":
			p.list(c, "program", func(c *xmlquery.Node) { e.programs = append(e.programs, text(c)) })
		case "idList":
			p.list(c, "id", func(c *xmlquery.Node) {
				var id xmlID
				p.fields(c, func(name, v string) bool {
					switch name {
					case "uid":
						id.uid = v
					case "idType":
						id.typ = v
					case "idNumber":
						id.number = v
					case "idCountry":
						id.country = v
					case "issueDate":
						id.issued = v
					case "expirationDate":
						id.expires = v
					default:
						return false
					}
					return true
				})
				e.ids = append(e.ids, id)
			})
		case "akaList":
			p.list(c, "aka", func(c *xmlquery.Node) {
				var a xmlAka
				p.fields(c, func(name, v string) bool {
					switch name {
					case "uid":
					case "type":
						a.typ = v
					case "category":
						a.category = v
					case "lastName":
						a.last = v
					case "firstName":
						a.first = v
					default:
						return false
					}
					return true
				})
				e.akas = append(e.akas, a)
			})
		case "addressList":
			p.list(c, "address", func(c *xmlquery.Node) {
				a := xmlAddr{structured: true}
				p.fields(c, func(name, v string) bool {
					switch name {
					case "uid":
					case "address1":
						a.a1 = v
					case "address2":
						a.a2 = v
					case "address3":
						a.a3 = v
					case "city":
						a.city = v
					case "stateOrProvince":
						a.state = v
					case "postalCode":
						a.postal = v
					case "country":
						a.country = v
					default:
						return false
					}
					return true
				})
				e.addrs = append(e.addrs, a)
			})
		case "nationalityList":
			p.items(c, "nationality", "country", "nationality")
		case "citizenshipList":
			p.items(c, "citizenship", "country", "citizen")
		case "dateOfBirthList":
			p.items(c, "dateOfBirthItem", "dateOfBirth", "DOB")
		case "placeOfBirthList":
			p.items(c, "placeOfBirthItem", "placeOfBirth", "POB")
		case "vesselInfo":
			p.fields(c, func(name, v string) bool {
				i := vesselField(name)
				if i < 0 {
					return false
				}
				e.vessel[i] = v
				return true
			})
		default:
			e.unknown = append(e.unknown, c)
		}
	}
	for _, u := range e.unknown {
		p.issue(n, u, e.uid, "unknown element <%s> in <%s>; not mapped", u.Data, u.Parent.Data)
	}
	return p.build(n)
}

// vesselInfo children in the order vesselColumns takes them.
func vesselField(name string) int {
	switch name {
	case "callSign":
		return 0
	case "vesselType":
		return 1
	case "tonnage":
		return 2
	case "grossRegisteredTonnage":
		return 3
	case "vesselFlag":
		return 4
	case "vesselOwner":
		return 5
	}
	return -1
}

// items reads a list of dates or places of birth, nationalities or
// citizenships.
func (p *xmlParser) items(n *xmlquery.Node, item, valueElem, label string) {
	p.list(n, item, func(c *xmlquery.Node) {
		it := xmlItem{label: label}
		p.fields(c, func(name, v string) bool {
			switch name {
			case "uid":
				it.uid = v
			case valueElem:
				it.value = v
			case "mainEntry":
			default:
				return false
			}
			return true
		})
		p.ent.items = append(p.ent.items, it)
	})
}

// build maps the entry read into p.ent.
func (p *xmlParser) build(n *xmlquery.Node) *entity.Entity {
	return buildEntry(p.s.files.name, &p.ent, p.stats, &p.line, func(format string, args ...any) {
		p.issue(n, nil, p.ent.uid, format, args...)
	})
}

// buildEntry maps one entry in the legacy XML's shape: the legacy XML's
// sdnEntry, or an advanced XML party rendered into it (advanced.go), so
// that the formats give equal values for what both carry. issue records a
// problem with the entry; l is scratch space.
func buildEntry(source string, e *xmlEntry, stats *remarkStats, l *legacyLine, issue func(format string, args ...any)) *entity.Entity {
	// A repeated uid is left to the pipeline, which drops repeated ids
	// after sorting and keeps the entry parsed first.
	ent, ok := entNum(e.uid)
	if !ok {
		issue("uid %q is not a positive integer; entry skipped", e.uid)
		return nil
	}
	typ, ok := entityType(e.typ)
	if !ok || e.typ == "" {
		issue("unknown sdnType %q", e.typ)
		typ = entity.Unknown
	}
	if e.last == "" && e.first == "" {
		issue("entry without a name; skipped")
		return nil
	}
	b := newBuilder(source, strconv.Itoa(ent), typ)
	b.unparsed = stats
	b.primaryName(lastFirst(e.last, e.first), e.last, e.first)
	for _, prog := range e.programs {
		b.program(prog)
	}
	b.titles(e.title)
	b.vesselColumns(e.vessel[0], e.vessel[1], e.vessel[2], e.vessel[3], e.vessel[4], e.vessel[5])

	l.reset()
	for _, a := range e.akas {
		value := lastFirst(a.last, a.first)
		if strings.EqualFold(a.category, "weak") {
			b.weakAlias(value)
			typ := a.typ
			if typ == "" {
				typ = "a.k.a."
			}
			l.weak = append(l.weak, typ+" '"+value+"'")
			continue
		}
		kind, ok := aliasKind(a.typ)
		if !ok {
			issue("unknown aka type %q; taken as a.k.a.", a.typ)
		}
		b.alias(value, kind, a.last, a.first)
	}
	for _, a := range e.addrs {
		street := a.a1
		for _, s := range [...]string{a.a2, a.a3} {
			if s != "" {
				if street != "" {
					street += ", "
				}
				street += s
			}
		}
		had := len(b.e.Addresses)
		b.address(street, cityLine(a.city, a.state, a.postal), a.country)
		if a.structured && len(b.e.Addresses) > had {
			ad := &b.e.Addresses[len(b.e.Addresses)-1]
			ad.City, ad.Region, ad.PostalCode = normalize.Text(a.city), normalize.Text(cmp.Or(a.state, a.region)), normalize.Text(a.postal)
		}
	}
	for _, it := range e.items {
		if it.value == "" {
			issue("empty %s item (uid %s)", it.label, it.uid)
			continue
		}
		lbl, rank, _ := labels.lookup(it.label)
		b.fact(lbl, it.value, "", "", "")
		l.item(rank, it.label, it.uid, it.value)
	}
	for _, id := range e.ids {
		if id.typ == "" || id.number == "" {
			issue("id uid %s without idType or idNumber (%q, %q)", id.uid, id.typ, id.number)
			continue
		}
		lbl, rank, _ := labels.lookup(id.typ)
		l.item(rank, id.typ, id.uid, idText(id.number, id.country, id.issued, id.expires))
		number, country := id.number, id.country
		if country == "" && lbl.kind == factID {
			// Some entries print the country inside idNumber
			// ("1026303117642 (Russia)", no idCountry); read it as the
			// CSV parser reads the same text.
			number, country = splitCountry(number)
		}
		b.fact(lbl, number, country, id.issued, id.expires)
	}
	l.remarks(e.remarks)
	line := l.render(e.title)
	l.remarkFacts(b, line)
	return b.finish(line)
}

// lastFirst prints a name as OFAC's CSV does: "LAST, First".
func lastFirst(last, first string) string {
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return last + ", " + first
}

// issue records a problem with the node just read (an sdnEntry or the
// header), at the line of elem within it (of the node itself when elem is
// nil).
func (p *xmlParser) issue(n, elem *xmlquery.Node, record, format string, args ...any) {
	line := 0
	if n == p.cur {
		line = p.st.LineOf(n, elem)
	}
	p.issues.Addf(p.file, line, record, format, args...)
}

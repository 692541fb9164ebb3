package ofac

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Namespaces of <sdnList>: before and since the 2024 Sanctions List
// Service.
const (
	nsTempuri = "http://tempuri.org/sdnList.xsd"
	nsSLS     = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"
)

// prologueMax bounds the bytes read to find the root element.
const prologueMax = 64 << 10

func (s *source) parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	name := s.files.xml
	f, err := in.Open(name)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", s.files.name, err)
	}
	defer f.Close()

	br := bufio.NewReaderSize(f, prologueMax)
	pro, err := readPrologue(br, !s.keepXMLNS)
	switch {
	case err != nil:
		return meta, s.recordError(name, pro.line, err)
	case pro.root != "sdnList":
		return meta, s.recordError(name, pro.line, fmt.Errorf("root element <%s>, want <sdnList>", pro.root))
	case pro.ns != nsTempuri && pro.ns != nsSLS:
		issues.Addf(name, pro.line, "", "unknown namespace %q on <sdnList>; parsed as the known ones", pro.ns)
	}

	// The stream parser gets a bufio.Reader of its own (xmlquery uses it
	// as is), so that pos can tell the line the decoder is on.
	pos := &xmlPos{cr: &countingReader{r: io.MultiReader(bytes.NewReader(pro.head), br)}}
	pos.br = bufio.NewReaderSize(pos.cr, 64<<10)
	// Every child of the root, which readPrologue found to be sdnList;
	// "/sdnList/*" would miss a prefixed <ns:sdnList>.
	sp, err := xmlquery.CreateStreamParser(pos.br, "/*/*")
	if err != nil {
		return meta, s.recordError(name, 0, err)
	}
	p := &xmlParser{s: s, file: name, issues: issues, pos: pos, seen: map[int]bool{}, declared: -1}
	entries := 0
	for {
		n, err := sp.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return meta, s.recordError(name, se.Line, err)
			}
			return meta, s.recordError(name, pos.line(), err)
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
			if err := emit(e); err != nil {
				return meta, err
			}
		default:
			p.issue(n, nil, "", "unknown element <%s> in <sdnList>; not mapped", n.Data)
		}
	}
	if p.declared >= 0 && entries != p.declared {
		issues.Addf(name, 0, "", "Record_Count declares %d entries, the file has %d", p.declared, entries)
	}
	return meta, nil
}

// prologue is the document up to the end of the root's start tag.
type prologue struct {
	head []byte
	root string // local name
	ns   string // the root's namespace
	line int    // of the root's start tag
}

// readPrologue reads up to the end of the root element's start tag, so
// that a wrong document (an HTML error page) is named by its root, and the
// namespace is checked once.
//
// With blankNS, the default namespace declaration is overwritten with
// spaces (offsets and lines do not move): xmlquery resolves the namespace
// of every element and formats two strings per element to look for a
// prefix, which costs about a third of the parse; elements are matched by
// local name, and the namespace was checked here.
func readPrologue(br *bufio.Reader, blankNS bool) (prologue, error) {
	var p prologue
	for size := 4 << 10; ; size *= 2 {
		size = min(size, prologueMax)
		buf, perr := br.Peek(size)
		if len(buf) == 0 {
			if perr == io.EOF {
				return p, errors.New("empty file")
			}
			return p, perr
		}
		whole := perr != nil // all of the file, or all we may look at
		d := xml.NewDecoder(bytes.NewReader(buf))
		d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
		for {
			off := d.InputOffset()
			tok, err := d.RawToken()
			if err != nil {
				if !whole && cutShort(err) {
					break // the buffer ends inside a token: read more
				}
				return sniffRoot(buf, err)
			}
			se, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			end := int(d.InputOffset())
			p.root, p.line, p.ns = se.Name.Local, 1+bytes.Count(buf[:off], []byte("\n")), namespaceOf(se)
			p.head = bytes.Clone(buf[:end])
			if blankNS && se.Name.Space == "" && p.ns != "" {
				blank(p.head[off:], p.ns)
			}
			_, err = br.Discard(end)
			return p, err
		}
		if size == prologueMax {
			return p, fmt.Errorf("no root element in the first %d bytes", prologueMax)
		}
	}
}

// cutShort reports whether a decoder error means that its input ended.
func cutShort(err error) bool {
	var se *xml.SyntaxError
	return err == io.EOF || (errors.As(err, &se) && se.Msg == "unexpected EOF")
}

// sniffRoot names the root of a document that is not well-formed XML
// before its root's start tag ends (HTML: <html lang=en>).
func sniffRoot(buf []byte, err error) (prologue, error) {
	var p prologue
	line := 0
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	for i := 0; i+1 < len(buf); i++ {
		if buf[i] != '<' || !isLetter(buf[i+1]) {
			continue
		}
		j := i + 1
		for j < len(buf) && (isLetter(buf[j]) || buf[j] == ':' || buf[j] == '-' || buf[j] == '_' || (buf[j] >= '0' && buf[j] <= '9')) {
			j++
		}
		_, local, found := strings.Cut(string(buf[i+1:j]), ":")
		if !found {
			local = string(buf[i+1 : j])
		}
		if local != "sdnList" {
			p.root, p.line = local, 1+bytes.Count(buf[:i], []byte("\n"))
			return p, nil
		}
		break
	}
	p.line = line
	if errors.Is(err, io.EOF) {
		return p, errors.New("no root element")
	}
	return p, err
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// namespaceOf returns the namespace a raw start tag declares for itself.
func namespaceOf(se xml.StartElement) string {
	for _, a := range se.Attr {
		if (se.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns") ||
			(se.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == se.Name.Space) {
			return a.Value
		}
	}
	return ""
}

// blank overwrites the declaration xmlns="ns" in tag with spaces.
func blank(tag []byte, ns string) {
	for _, q := range [...]string{`"`, `'`} {
		decl := []byte(`xmlns=` + q + ns + q)
		if i := bytes.Index(tag, decl); i >= 0 {
			for k := range decl {
				tag[i+k] = ' '
			}
			return
		}
	}
}

// countingReader counts the newlines read through it.
type countingReader struct {
	r     io.Reader
	lines int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.lines += bytes.Count(p[:n], []byte("\n"))
	return n, err
}

// xmlPos tells the line the XML decoder has reached.
type xmlPos struct {
	cr *countingReader
	br *bufio.Reader // the stream parser reads from it byte by byte
}

// line is 1 plus the newlines the decoder consumed: those read into the
// buffer minus those still in it.
func (x *xmlPos) line() int {
	buffered, _ := x.br.Peek(x.br.Buffered())
	return x.cr.lines - bytes.Count(buffered, []byte("\n")) + 1
}

// xmlParser maps sdnEntry nodes; its scratch space is reused.
type xmlParser struct {
	s      *source
	file   string
	issues *sources.Issues
	pos    *xmlPos
	seen   map[int]bool
	// declared is the header's Record_Count, -1 without one.
	declared int
	cur      *xmlquery.Node // the node just read, whose end the decoder is at
	ent      xmlEntry
	line     legacyLine
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

type xmlAddr struct{ a1, a2, a3, city, state, postal, country string }

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
				meta.DeclaredCount, p.declared = k, k
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
				var a xmlAddr
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
	e := &p.ent
	ent, ok := entNum(e.uid)
	switch {
	case !ok:
		p.issue(n, nil, e.uid, "uid %q is not a positive integer; entry skipped", e.uid)
		return nil
	case p.seen[ent]:
		p.issue(n, nil, e.uid, "duplicate uid %d; entry skipped", ent)
		return nil
	}
	p.seen[ent] = true
	typ, ok := entityType(e.typ)
	if !ok || e.typ == "" {
		p.issue(n, nil, e.uid, "unknown sdnType %q", e.typ)
		typ = entity.Unknown
	}
	if e.last == "" && e.first == "" {
		p.issue(n, nil, e.uid, "entry without a name; skipped")
		return nil
	}
	b := newBuilder(p.s.files.name, strconv.Itoa(ent), typ)
	b.primaryName(lastFirst(e.last, e.first), e.last, e.first)
	for _, prog := range e.programs {
		b.program(prog)
	}
	b.titles(e.title)
	b.vesselColumns(e.vessel[0], e.vessel[1], e.vessel[2], e.vessel[3], e.vessel[4], e.vessel[5])

	l := &p.line
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
			p.issue(n, nil, e.uid, "unknown aka type %q; taken as a.k.a.", a.typ)
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
		b.address(street, cityLine(a.city, a.state, a.postal), a.country)
	}
	for _, it := range e.items {
		if it.value == "" {
			p.issue(n, nil, e.uid, "empty %s item (uid %s)", it.label, it.uid)
			continue
		}
		lbl, rank, _ := labels.lookup(it.label)
		b.fact(lbl, it.value, "", "", "")
		l.item(rank, it.label, it.uid, it.value)
	}
	for _, id := range e.ids {
		if id.typ == "" || id.number == "" {
			p.issue(n, nil, e.uid, "id uid %s without idType or idNumber (%q, %q)", id.uid, id.typ, id.number)
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
		// The decoder is at the end of n: count back.
		total, _ := newlinesBefore(n, nil)
		line = p.pos.line() - total
		if elem != nil {
			before, _ := newlinesBefore(n, elem)
			line += before
		}
	}
	p.issues.Addf(p.file, line, record, format, args...)
}

// newlinesBefore counts the newlines in n's text before target in
// document order, or in all of n when target is nil.
func newlinesBefore(n, target *xmlquery.Node) (int, bool) {
	count := 0
	var walk func(c *xmlquery.Node) bool
	walk = func(c *xmlquery.Node) bool {
		if c == target {
			return true
		}
		switch c.Type {
		case xmlquery.TextNode, xmlquery.CharDataNode, xmlquery.CommentNode:
			count += strings.Count(c.Data, "\n")
		}
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			if walk(ch) {
				return true
			}
		}
		return false
	}
	found := walk(n)
	return count, found
}

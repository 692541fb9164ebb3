package eu

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// Namespace is the namespace of the FSF export.
const Namespace = "http://eu.europa.ec/fpi/fsd/export"

func (s *source) parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	f, err := in.Open(XMLFile)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()

	st, err := xmlstream.Open(f, xmlstream.Options{
		Source: Name, File: XMLFile, Root: "export",
		Namespaces:     []string{Namespace},
		BlankNamespace: !s.keepXMLNS,
	}, issues)
	if err != nil {
		return meta, err
	}
	defer st.Close()
	p := &xmlParser{file: XMLFile, issues: issues, m: newMapper(XMLFile, issues), reported: map[string]bool{}}
	p.exportAttrs(st, &meta)
	count := 0
	for {
		n, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return meta, err
		}
		start := st.LineOf(n, nil)
		if n.Data != "sanctionEntity" {
			issues.Addf(XMLFile, start, "", "unknown element <%s> in <export>; not mapped", n.Data)
			continue
		}
		if count++; count%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		p.entity(n, start)
		e := p.m.build(&p.rec)
		if e == nil {
			continue
		}
		if err := emit(e); err != nil {
			return meta, err
		}
	}
	if count == 0 {
		issues.Addf(XMLFile, 0, "", "no sanctionEntity in the file")
	}
	return meta, nil
}

// exportAttrs reads the root's attributes: generationDate gives the
// publication date (its date part, as printed, in the publisher's time
// zone); globalFileId is the file's sequence number, not mapped.
func (p *xmlParser) exportAttrs(st *xmlstream.Stream, meta *sources.Meta) {
	line := st.RootLine()
	generated := false
	for _, a := range st.RootAttrs() {
		switch {
		case a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") || a.Name.Space == "xsi":
		case a.Name.Local == "generationDate" && a.Name.Space == "":
			generated = true
			d, _, _ := strings.Cut(strings.TrimSpace(a.Value), "T")
			if v, ok := normalize.ISODate(d); ok && len(d) == 10 {
				meta.PublicationDate = v
			} else {
				p.issues.Addf(p.file, line, "", "generationDate %q is not an ISO date and time", a.Value)
			}
		case a.Name.Local == "globalFileId" && a.Name.Space == "":
		default:
			p.unknownAttr("export", a.Name.Local, line, "")
		}
	}
	if !generated {
		p.issues.Addf(p.file, line, "", "no generationDate on <export>; publication date unknown")
	}
}

// xmlParser reads sanctionEntity nodes into rec; its scratch space is
// reused.
type xmlParser struct {
	file     string
	issues   *sources.Issues
	m        *mapper
	rec      record
	reported map[string]bool // unknown attributes already reported, "elem@attr"
}

// unknownAttr reports an attribute the mapping does not know, once per
// element and attribute name in a file.
func (p *xmlParser) unknownAttr(elem, attr string, line int, record string) {
	k := elem + "@" + attr
	if p.reported[k] {
		return
	}
	p.reported[k] = true
	p.issues.Addf(p.file, line, record, "unknown attribute %s on <%s>; not mapped (further occurrences not reported)", attr, elem)
}

func (p *xmlParser) unknownElem(c *xmlquery.Node, line int) {
	parent := ""
	if c.Parent != nil {
		parent = c.Parent.Data
	}
	p.issues.Addf(p.file, line, p.rec.logicalID, "unknown element <%s> in <%s>; not mapped", c.Data, parent)
}

// skipAttr reports whether an attribute is a namespace declaration.
func skipAttr(a xmlquery.Attr) bool {
	return a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
}

// entity reads one sanctionEntity that starts on line start into p.rec.
func (p *xmlParser) entity(n *xmlquery.Node, start int) {
	r := &p.rec
	r.reset()
	r.line = start
	// The record id first, for the issues about its attributes.
	for _, a := range n.Attr {
		if a.Name.Local == "logicalId" {
			r.logicalID = a.Value
		}
	}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "logicalId":
		case "euReferenceNumber":
			r.euRef = a.Value
		case "unitedNationId":
			r.unID = a.Value
		case "designationDate":
			r.designationDate = a.Value
		case "designationDetails":
			r.designationDetails = a.Value
		default:
			if !skipAttr(a) {
				p.unknownAttr("sanctionEntity", a.Name.Local, start, r.logicalID)
			}
		}
	}
	nl := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			nl += textNewlines(c)
			continue
		}
		line := start + nl
		switch c.Data {
		case "remark":
			r.remarks = append(r.remarks, c.InnerText())
		case "regulation":
			r.regulations = append(r.regulations, p.regulation(c, line))
		case "subjectType":
			r.hasSubject = true
			for _, a := range c.Attr {
				switch a.Name.Local {
				case "code":
					r.subjectCode = a.Value
				case "classificationCode":
					r.subjectClass = a.Value
				default:
					p.attr(c, a, line)
				}
			}
			p.noChildren(c, line)
		case "nameAlias":
			r.names = append(r.names, p.nameAlias(c, line))
		case "citizenship":
			r.citizenships = append(r.citizenships, p.citizenship(c, line))
		case "birthdate":
			r.births = append(r.births, p.birthdate(c, line))
		case "identification":
			r.ids = append(r.ids, p.identification(c, line))
		case "address":
			r.addresses = append(r.addresses, p.address(c, line))
		default:
			p.unknownElem(c, line)
		}
		nl += newlines(c)
	}
}

// attr reports an attribute of c the mapping does not know.
func (p *xmlParser) attr(c *xmlquery.Node, a xmlquery.Attr, line int) {
	if !skipAttr(a) {
		p.unknownAttr(c.Data, a.Name.Local, line, p.rec.logicalID)
	}
}

// noChildren reports the child elements of an element that has none.
func (p *xmlParser) noChildren(n *xmlquery.Node, line int) {
	p.children(n, line, func(*xmlquery.Node, int) bool { return false })
}

// children calls each for every child element of n with its line; each
// reports whether it knows the element.
func (p *xmlParser) children(n *xmlquery.Node, line int, each func(c *xmlquery.Node, line int) bool) {
	nl := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			nl += textNewlines(c)
			continue
		}
		if !each(c, line+nl) {
			p.unknownElem(c, line+nl)
		}
		nl += newlines(c)
	}
}

func (p *xmlParser) regulation(n *xmlquery.Node, line int) regulation {
	g := regulation{line: line}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "regulationType":
			g.typ = a.Value
		case "organisationType":
			g.organisation = a.Value
		case "publicationDate":
			g.published = a.Value
		case "entryIntoForceDate":
			g.inForce = a.Value
		case "numberTitle":
			g.numberTitle = a.Value
		case "programme":
			g.programme = a.Value
		case "logicalId":
			g.logicalID = a.Value
		default:
			p.attr(n, a, line)
		}
	}
	p.children(n, line, func(c *xmlquery.Node, _ int) bool {
		if c.Data != "publicationUrl" {
			return false
		}
		g.pubURL = c.InnerText()
		return true
	})
	return g
}

// commonAttr sets an attribute every child of sanctionEntity but
// regulation has; it reports whether a was one.
func commonAttr(c *common, a xmlquery.Attr) bool {
	switch a.Name.Local {
	case "logicalId":
		c.logicalID = a.Value
	case "regulationLanguage":
		c.regLang = a.Value
	default:
		return false
	}
	return true
}

// commonChildren reads the remark and regulationSummary children; other
// reports whether it knows another child.
func (p *xmlParser) commonChildren(n *xmlquery.Node, c *common, other func(*xmlquery.Node, int) bool) {
	p.children(n, c.line, func(ch *xmlquery.Node, line int) bool {
		switch ch.Data {
		case "remark":
			c.remarks = append(c.remarks, ch.InnerText())
		case "regulationSummary":
			for _, a := range ch.Attr {
				switch a.Name.Local {
				case "publicationDate":
					c.regDates = append(c.regDates, a.Value)
				case "regulationType", "numberTitle", "publicationUrl":
				default:
					p.attr(ch, a, line)
				}
			}
			p.noChildren(ch, line)
		default:
			return other != nil && other(ch, line)
		}
		return true
	})
}

func (p *xmlParser) nameAlias(n *xmlquery.Node, line int) nameAlias {
	v := nameAlias{common: common{line: line}}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "firstName":
			v.first = a.Value
		case "middleName":
			v.middle = a.Value
		case "lastName":
			v.last = a.Value
		case "wholeName":
			v.whole = a.Value
		case "nameLanguage":
			v.lang = a.Value
		case "gender":
			v.gender = a.Value
		case "title":
			v.title = a.Value
		case "function":
			v.fn = a.Value
		case "strong":
			v.strong = a.Value
		default:
			if !commonAttr(&v.common, a) {
				p.attr(n, a, line)
			}
		}
	}
	p.commonChildren(n, &v.common, nil)
	return v
}

func (p *xmlParser) citizenship(n *xmlquery.Node, line int) citizenship {
	v := citizenship{common: common{line: line}}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "region":
			v.region = a.Value
		case "countryIso2Code":
			v.code = a.Value
		case "countryDescription":
			v.desc = a.Value
		default:
			if !commonAttr(&v.common, a) {
				p.attr(n, a, line)
			}
		}
	}
	p.commonChildren(n, &v.common, nil)
	return v
}

func (p *xmlParser) birthdate(n *xmlquery.Node, line int) birthdate {
	v := birthdate{common: common{line: line}}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "circa":
			v.circa = a.Value
		case "calendarType":
			v.calendar = a.Value
		case "birthdate":
			v.date = a.Value
		case "dayOfMonth":
			v.day = a.Value
		case "monthOfYear":
			v.month = a.Value
		case "year":
			v.year = a.Value
		case "yearRangeFrom":
			v.rangeFrom = a.Value
		case "yearRangeTo":
			v.rangeTo = a.Value
		case "city":
			v.city = a.Value
		case "zipCode":
			v.zip = a.Value
		case "region":
			v.region = a.Value
		case "place":
			v.place = a.Value
		case "countryIso2Code":
			v.code = a.Value
		case "countryDescription":
			v.desc = a.Value
		default:
			if !commonAttr(&v.common, a) {
				p.attr(n, a, line)
			}
		}
	}
	p.commonChildren(n, &v.common, nil)
	return v
}

func (p *xmlParser) identification(n *xmlquery.Node, line int) identification {
	v := identification{common: common{line: line}}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "diplomatic":
			v.diplomatic = a.Value
		case "knownExpired":
			v.knownExpired = a.Value
		case "knownFalse":
			v.knownFalse = a.Value
		case "reportedLost":
			v.reportedLost = a.Value
		case "revokedByIssuer":
			v.revoked = a.Value
		case "issuedBy":
			v.issuedBy = a.Value
		case "latinNumber":
			v.latinNumber = a.Value
		case "nameOnDocument":
			v.nameOnDocument = a.Value
		case "number":
			v.number = a.Value
		case "region":
			v.region = a.Value
		case "countryIso2Code":
			v.code = a.Value
		case "countryDescription":
			v.desc = a.Value
		case "identificationTypeCode":
			v.typeCode = a.Value
		case "identificationTypeDescription":
			v.typeDesc = a.Value
		// The CSV calls it Identification_IssuedDate; the XML issueDate.
		case "issueDate", "issuedDate":
			v.issued = a.Value
		case "validFrom":
			v.validFrom = a.Value
		case "validTo":
			v.validTo = a.Value
		default:
			if !commonAttr(&v.common, a) {
				p.attr(n, a, line)
			}
		}
	}
	p.commonChildren(n, &v.common, nil)
	return v
}

func (p *xmlParser) address(n *xmlquery.Node, line int) address {
	v := address{common: common{line: line}}
	for _, a := range n.Attr {
		switch a.Name.Local {
		case "city":
			v.city = a.Value
		case "street":
			v.street = a.Value
		case "poBox":
			v.poBox = a.Value
		case "zipCode":
			v.zip = a.Value
		case "region":
			v.region = a.Value
		case "place":
			v.place = a.Value
		case "asAtListingTime":
			v.asAt = a.Value
		case "countryIso2Code":
			v.code = a.Value
		case "countryDescription":
			v.desc = a.Value
		default:
			if !commonAttr(&v.common, a) {
				p.attr(n, a, line)
			}
		}
	}
	p.commonChildren(n, &v.common, func(c *xmlquery.Node, line int) bool {
		if c.Data != "contactInfo" {
			return false
		}
		ct := contact{line: line}
		for _, a := range c.Attr {
			switch a.Name.Local {
			case "key":
				ct.key = a.Value
			case "value":
				ct.value = a.Value
			default:
				p.attr(c, a, line)
			}
		}
		p.noChildren(c, line)
		v.contacts = append(v.contacts, ct)
		return true
	})
	return v
}

// textNewlines counts the newlines of a text, character data or comment
// node.
func textNewlines(n *xmlquery.Node) int {
	switch n.Type {
	case xmlquery.TextNode, xmlquery.CharDataNode, xmlquery.CommentNode:
		return strings.Count(n.Data, "\n")
	}
	return 0
}

// newlines counts the newlines in n's text: the lines n spans, less those
// inside tags (the FSF prints each tag on one line).
func newlines(n *xmlquery.Node) int {
	count := textNewlines(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		count += newlines(c)
	}
	return count
}

package uk

import (
	"context"
	"fmt"
	"io"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// rootElement is the root of UK-Sanctions-List.xml (schema 4.33.3); it has
// no namespace.
const rootElement = "Designations"

func (s *source) parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	f, err := in.Open(xmlFile)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", sourceName, err)
	}
	defer f.Close()

	// The root declares no namespace (only xmlns:xsi for its schema
	// location).
	st, err := xmlstream.Open(f, xmlstream.Options{
		Source: sourceName, File: xmlFile, Root: rootElement, Namespaces: []string{""},
	}, issues)
	if err != nil {
		return meta, err
	}
	defer st.Close()
	p := &xmlParser{issues: issues, st: st}
	count := 0
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
		case "DateGenerated":
			v := text(n)
			if d, ok := normalize.ISODate(v); ok && len(d) == len("2006-01-02") {
				meta.PublicationDate = d
			} else {
				p.issue(n, nil, "", "DateGenerated %q is not dd/mm/yyyy", v)
			}
		case "Designation":
			count++
			if count%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return meta, err
				}
			}
			e := p.designation(n)
			if e == nil {
				continue
			}
			if err := emit(e); err != nil {
				return meta, err
			}
		default:
			p.issue(n, nil, "", "unknown element <%s> in <%s>; not mapped", n.Data, rootElement)
		}
	}
	if count == 0 {
		return meta, st.Errorf(st.Line(), "no <Designation> in <%s>", rootElement)
	}
	if generated := st.RootAttr("dateGenerated"); meta.PublicationDate == "" && len(generated) >= 10 {
		// The root's dateGenerated ("2026-08-14T23:00:04.744Z") is the
		// same day in UTC.
		if d, ok := normalize.ISODate(generated[:10]); ok {
			meta.PublicationDate = d
			issues.Addf(xmlFile, st.RootLine(), "", "no usable DateGenerated; publication date taken from the dateGenerated attribute")
		}
	}
	return meta, nil
}

// xmlParser maps <Designation> nodes; its scratch space is reused.
type xmlParser struct {
	issues  *sources.Issues
	st      *xmlstream.Stream
	cur     *xmlquery.Node // the node just read, whose end the decoder is at
	d       designation
	unknown []*xmlquery.Node
	bad     []badValue
}

// badValue is a value problem found while reading, reported once the
// UniqueID is known.
type badValue struct {
	elem    *xmlquery.Node
	problem string
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

// leaf returns the text of an element that holds text only; element
// children are unknown elements.
func (p *xmlParser) leaf(n *xmlquery.Node) string {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode {
			p.unknown = append(p.unknown, c)
		}
	}
	return text(n)
}

// single sets a value that a designation has once; a second, different
// value is a problem and the first is kept.
func (p *xmlParser) single(n *xmlquery.Node, dst *string) {
	v := p.leaf(n)
	switch {
	case v == "":
	case *dst == "":
		*dst = v
	case *dst != v:
		p.bad = append(p.bad, badValue{n, fmt.Sprintf("second <%s> %q (the first is %q); ignored", n.Data, v, *dst)})
	}
}

// each calls fn for every child element of n named item; other children
// are unknown elements.
func (p *xmlParser) each(n *xmlquery.Node, item string, fn func(*xmlquery.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		if c.Data != item {
			p.unknown = append(p.unknown, c)
			continue
		}
		fn(c)
	}
}

// values adds the text of every <item> child of n to dst.
func (p *xmlParser) values(n *xmlquery.Node, item string, dst *[]string) {
	p.each(n, item, func(c *xmlquery.Node) { add(dst, p.leaf(c)) })
}

// fields calls set for every child element of n with its text; set
// reports whether it knows the element.
func (p *xmlParser) fields(n *xmlquery.Node, set func(name, value string) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode && !set(c.Data, p.leaf(c)) {
			p.unknown = append(p.unknown, c)
		}
	}
}

// designation reads one <Designation> and maps it; nil when it cannot make
// an entity (the issue is recorded).
func (p *xmlParser) designation(n *xmlquery.Node) *entity.Entity {
	d := &p.d
	d.reset()
	d.line = p.lineOf(n, nil)
	p.unknown, p.bad = p.unknown[:0], p.bad[:0]
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "UniqueID":
			p.single(c, &d.uid)
		case "OFSIGroupID":
			p.single(c, &d.groupID)
		case "UNReferenceNumber":
			p.single(c, &d.unRef)
		case "LastUpdated":
			// The date the publisher last edited the record: not a fact
			// about the party (the store's history dates changes).
			p.leaf(c)
		case "DateDesignated":
			p.single(c, &d.designated)
		case "RegimeName":
			p.single(c, &d.regime)
		case "IndividualEntityShip":
			p.single(c, &d.kind)
		case "DesignationSource":
			p.single(c, &d.origin)
		case "SanctionsImposed":
			p.single(c, &d.imposed)
		case "OtherInformation":
			p.single(c, &d.other)
		case "UKStatementofReasons":
			p.single(c, &d.reasons)
		case "SanctionsImposedIndicators":
			p.indicators(c)
		case "Names":
			p.each(c, "Name", p.name)
		case "NonLatinNames":
			p.each(c, "NonLatinName", p.nonLatinName)
		case "Titles":
			p.values(c, "Title", &d.titles)
		case "Addresses":
			p.each(c, "Address", p.address)
		case "PhoneNumbers":
			p.values(c, "PhoneNumber", &d.phones)
		case "EmailAddresses":
			p.values(c, "EmailAddress", &d.emails)
		case "Websites":
			p.values(c, "Website", &d.websites)
		case "IndividualDetails":
			p.each(c, "Individual", p.individual)
		case "EntityDetails":
			p.each(c, "Entity", p.entityDetails)
		case "ShipDetails":
			p.each(c, "Ship", p.ship)
		default:
			p.unknown = append(p.unknown, c)
		}
	}
	issue := func(format string, args ...any) { p.issue(n, nil, d.uid, format, args...) }
	for _, u := range p.unknown {
		p.issue(n, u, d.uid, "unknown element <%s> in <%s>; not mapped", u.Data, u.Parent.Data)
	}
	for _, b := range p.bad {
		p.issue(n, b.elem, d.uid, "%s", b.problem)
	}
	// A repeated UniqueID is left to the pipeline, which drops repeated
	// ids after sorting and keeps the designation parsed first.
	return d.entity(issue)
}

func (p *xmlParser) name(n *xmlquery.Node) {
	var r nameRec
	p.fields(n, func(name, v string) bool {
		switch name {
		case "Name1", "Name2", "Name3", "Name4", "Name5":
			r.parts[name[4]-'1'] = v
		case "Name6":
			r.parts[5] = v
		case "NameType":
			r.typ = v
		case "AliasStrength":
			r.strength = v
		default:
			return false
		}
		return true
	})
	if r.parts != ([6]string{}) {
		add(&p.d.names, r)
	}
}

func (p *xmlParser) nonLatinName(n *xmlquery.Node) {
	var r nonLatinRec
	p.fields(n, func(name, v string) bool {
		switch name {
		case "NameNonLatinScript":
			r.value = v
		case "NonLatinScriptType":
			// The script's name ("Arabic"); the script is detected from
			// the text (normalize.Script).
			r.script = v
		case "NonLatinScriptLanguage":
			r.lang = v
		default:
			return false
		}
		return true
	})
	if r.value != "" {
		add(&p.d.nonLatin, r)
	}
}

func (p *xmlParser) address(n *xmlquery.Node) {
	var r addressRec
	p.fields(n, func(name, v string) bool {
		switch name {
		case "AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4", "AddressLine5", "AddressLine6":
			r.lines[name[len(name)-1]-'1'] = v
		case "AddressPostalCode":
			r.postal = v
		case "AddressCountry":
			r.country = v
		default:
			return false
		}
		return true
	})
	add(&p.d.addresses, r)
}

// indicatorNames are the children of <SanctionsImposedIndicators>: the
// measures of SanctionsImposed as booleans, which the CSV does not carry.
// They are checked, not mapped: SanctionsImposed says the same in words.
var indicatorNames = map[string]bool{
	"AssetFreeze": true, "ArmsEmbargo": true, "TargetedArmsEmbargo": true, "CharteringOfShips": true,
	"ClosureOfRepresentativeOffices": true, "CrewServicingOfShipsAndAircraft": true, "Deflag": true,
	"PreventionOfBusinessArrangements": true, "ProhibitionOfPortEntry": true, "TravelBan": true,
	"PreventionOfCharteringOfShips": true, "PreventionOfCharteringOfShipsAndAircraft": true,
	"TechnicalAssistanceRelatedToAircraft": true, "TrustServicesSanctions": true,
	"DirectorDisqualificationSanction": true,
}

func (p *xmlParser) indicators(n *xmlquery.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		if !indicatorNames[c.Data] {
			p.unknown = append(p.unknown, c)
			continue
		}
		if v := p.leaf(c); v != "true" && v != "false" {
			p.bad = append(p.bad, badValue{c, fmt.Sprintf("<%s> is %q, not true or false", c.Data, v)})
		}
	}
}

func (p *xmlParser) individual(n *xmlquery.Node) {
	d := &p.d
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "DOBs":
			p.values(c, "DOB", &d.dobs)
		case "Nationalities":
			p.values(c, "Nationality", &d.nationalities)
		case "Positions":
			p.values(c, "Position", &d.positions)
		case "Genders":
			p.values(c, "Gender", &d.genders)
		case "BirthDetails":
			p.each(c, "Location", func(c *xmlquery.Node) {
				var b birthRec
				p.fields(c, func(name, v string) bool {
					switch name {
					case "TownOfBirth":
						b.town = v
					case "CountryOfBirth":
						b.country = v
					default:
						return false
					}
					return true
				})
				add(&d.births, b)
			})
		case "PassportDetails":
			p.each(c, "Passport", func(c *xmlquery.Node) {
				add(&d.passports, p.document(c, "PassportNumber", "PassportAdditionalInformation"))
			})
		case "NationalIdentifierDetails":
			p.each(c, "NationalIdentifier", func(c *xmlquery.Node) {
				add(&d.nationalIDs, p.document(c, "NationalIdentifierNumber", "NationalIdentifierAdditionalInformation"))
			})
		default:
			p.unknown = append(p.unknown, c)
		}
	}
}

func (p *xmlParser) document(n *xmlquery.Node, number, info string) docRec {
	var r docRec
	p.fields(n, func(name, v string) bool {
		switch name {
		case number:
			r.number = v
		case info:
			r.info = v
		default:
			return false
		}
		return true
	})
	if r.number == "" && r.info != "" {
		p.bad = append(p.bad, badValue{n, fmt.Sprintf("<%s> without <%s>: %q; not mapped", n.Data, number, r.info)})
	}
	return r
}

func (p *xmlParser) entityDetails(n *xmlquery.Node) {
	d := &p.d
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "TypeOfEntities":
			p.values(c, "TypeOfEntity", &d.entityTypes)
		case "Subsidiaries":
			p.values(c, "Subsidiary", &d.subsidiaries)
		case "ParentCompanies":
			p.values(c, "ParentCompany", &d.parents)
		case "BusinessRegistrationNumbers":
			p.values(c, "BusinessRegistrationNumber", &d.regNumbers)
		default:
			p.unknown = append(p.unknown, c)
		}
	}
}

func (p *xmlParser) ship(n *xmlquery.Node) {
	d := &p.d
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		switch c.Data {
		case "IMONumbers":
			p.values(c, "IMONumber", &d.imos)
		case "CurrentOwnerOperators":
			p.values(c, "CurrentOwnerOperator", &d.owners)
		case "PreviousOwnerOperators":
			p.values(c, "PreviousOwnerOperator", &d.prevOwners)
		case "CurrentBelievedFlagOfShips":
			p.values(c, "CurrentBelievedFlagOfShip", &d.flags)
		case "PreviousFlags":
			p.values(c, "PreviousFlag", &d.prevFlags)
		case "TypeOfShipDetails":
			p.values(c, "TypeOfShip", &d.shipTypes)
		case "TonnageOfShipDetails":
			p.values(c, "TonnageOfShip", &d.tonnages)
		case "LengthOfShipDetails":
			p.values(c, "LengthOfShip", &d.lengths)
		case "YearsBuilt":
			p.values(c, "YearBuilt", &d.yearsBuilt)
		case "HullIdentificationNumbers":
			// Not seen in a real file: named after the CSV column "Hull
			// identification number (HIN)" and the pattern of its siblings.
			p.values(c, "HullIdentificationNumber", &d.hulls)
		default:
			p.unknown = append(p.unknown, c)
		}
	}
}

// issue records a problem with the node just read (a Designation), at the
// line of elem within it (of the node itself when elem is nil).
func (p *xmlParser) issue(n, elem *xmlquery.Node, record, format string, args ...any) {
	p.issues.Addf(xmlFile, p.lineOf(n, elem), record, format, args...)
}

// lineOf is the line of elem within n, the node just read (of n when elem
// is nil); 0 for another node.
func (p *xmlParser) lineOf(n, elem *xmlquery.Node) int {
	if n != p.cur {
		return 0
	}
	return p.st.LineOf(n, elem)
}

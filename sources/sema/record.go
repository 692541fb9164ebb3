package sema

import (
	"fmt"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// field names one element of a record, whatever the layout calls it.
type field int

const (
	fCountry  field = iota // the regulation ("Burma / Birmanie")
	fLast                  // a person's family name
	fGiven                 // a person's given names
	fEntity                // an entity's or a ship's name
	fTitle                 // a person's title, or a ship's type
	fIMO                   // a ship's IMO number
	fBorn                  // a person's date of birth, or a ship's build date
	fAliases               // free text, several names
	fSchedule              // the schedule of the regulation ("1, Part 2", "N/A")
	fItem                  // the item number within the schedule
	fListed                // the date of listing
	nFields
)

// elements maps the element names of every layout the publisher has used
// to the field they hold:
//
//   - 2020 (the real file of 2020-04-15): Country, LastName, GivenName,
//     Entity, Title, DateOfBirth, Aliases, Schedule, Item;
//   - current (since 2025-03, as OpenSanctions' crawler reads it):
//     EntityOrShip, TitleOrShip, ShipIMONumber, DateOfBirthOrShipBuildDate,
//     DateOfListing beside the unchanged Country, LastName, GivenName,
//     Aliases, Schedule, Item;
//   - bilingual (reported by several parsers from the live file since
//     2026-08): every name followed by its French one, and TitleOrShipType
//     for TitleOrShip.
//
// A table, not a rule (such as "the part before a hyphen"), so that an
// element the publisher adds is reported, never read as a known one.
var elements = map[string]field{
	"Country": fCountry, "Country-Pays": fCountry,
	"LastName": fLast, "LastName-NomDeFamille": fLast,
	"GivenName": fGiven, "GivenName-Prenom": fGiven,
	"Entity": fEntity, "EntityOrShip": fEntity, "EntityOrShip-EntiteOuNavire": fEntity,
	"Title": fTitle, "TitleOrShip": fTitle, "TitleOrShipType": fTitle, "TitleOrShipType-TitreOuTypeDeNavire": fTitle,
	"ShipIMONumber": fIMO, "ShipIMONumber-NumeroOMIDuNavire": fIMO,
	"DateOfBirth": fBorn, "DateOfBirthOrShipBuildDate": fBorn,
	"DateOfBirthOrShipBuildDate-DateDeNaissanceOuDateDeConstructionDuNavire": fBorn,
	"Aliases": fAliases, "Aliases-Alias": fAliases,
	"Schedule": fSchedule, "Schedule-Annexe": fSchedule,
	"Item": fItem, "Item-NumeroDarticle": fItem,
	"DateOfListing": fListed, "DateOfListing-DateDinscription": fListed,
}

// value is one element's text, cleaned by normalize.Text, with the
// element for the line of an issue (nil when the element is absent).
type value struct {
	v string
	n *xmlquery.Node
}

// record holds one record element as printed.
type record struct {
	node *xmlquery.Node
	id   string // the source id, "" until made
	f    [nFields]value
}

// read fills r from the record element n, reporting what it does not
// know: unknown elements, attributes, repeated elements, text or elements
// where only text belongs. The key fields are read first, so that every
// issue names the record.
func (p *parser) read(r *record, n *xmlquery.Node) {
	*r = record{node: n}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		if f, ok := elements[c.Data]; ok && r.f[f].n == nil && (f == fCountry || f == fSchedule || f == fItem) {
			r.f[f] = value{normalize.Text(c.InnerText()), c}
		}
	}
	r.id, _ = sourceID(parseRegime(r.f[fCountry].v), r.f[fSchedule].v, r.f[fItem].v)
	r.f = [nFields]value{}

	p.attrs(n, r.id)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case xmlquery.ElementNode:
		case xmlquery.TextNode, xmlquery.CharDataNode:
			if t := strings.TrimSpace(c.Data); t != "" {
				// The line of the text's first word, not of the line
				// break before it.
				lead := c.Data[:strings.Index(c.Data, t)]
				p.issues.Addf(FileName, p.line(c)+strings.Count(lead, "\n"), r.id, "text %q directly inside <%s>; not mapped", shorten(t), recordName)
			}
			continue
		default:
			continue // comments, processing instructions
		}
		f, ok := elements[c.Data]
		if !ok || c.Prefix != "" {
			p.issue(c, r.id, "unknown element <%s> in <%s>%s; not mapped", qname(c), recordName, excerpt(c))
			continue
		}
		p.attrs(c, r.id)
		for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
			if cc.Type == xmlquery.ElementNode {
				p.issue(cc, r.id, "element <%s> inside <%s>; its text is read as part of <%s>", qname(cc), c.Data, c.Data)
			}
		}
		v := normalize.Text(c.InnerText())
		if prev := r.f[f].n; prev != nil {
			p.issue(c, r.id, "repeated <%s> in <%s> (after <%s>); the first is used, %q is not mapped", c.Data, recordName, prev.Data, shorten(v))
			continue
		}
		r.f[f] = value{v, c}
	}
}

// attrs reports the attributes of n: the publisher prints none inside the
// root.
func (p *parser) attrs(n *xmlquery.Node, id string) {
	for _, a := range n.Attr {
		name := a.Name.Local
		if a.Name.Space != "" {
			name = a.Name.Space + ":" + name
		}
		p.issue(n, id, "unknown attribute %s=%q on <%s>; not mapped", name, a.Value, qname(n))
	}
}

// qname is n's name as written.
func qname(n *xmlquery.Node) string {
	if n.Prefix != "" {
		return n.Prefix + ":" + n.Data
	}
	return n.Data
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

package seco

import (
	"regexp"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// An <other-information> is free text, often one labelled fact ("IMO
// Number: 8405270", "Phone: +375 (17) 330-17-09", "E-Mail: link@mzkt.by",
// "Website: www.mzkt.by", "Registration number: 100534485"). A label of
// infoLabels whose value reads as that kind of identifier becomes
// identifiers; anything else stays in remarks, and a labelled fact whose
// label is not known (or whose value does not read) is counted in
// Meta.RemarksUnparsed, so that the labels the list uses are seen.
// "Function: ..." is a position.

// infoKind is what a label's value is.
type infoKind struct {
	typ   string
	split bool // the value may list several, separated by ";" or ","
	ok    func(string) bool
}

var (
	phoneKind   = infoKind{normalize.IDPhone, true, isPhone}
	emailKind   = infoKind{normalize.IDEmail, true, isEmail}
	websiteKind = infoKind{normalize.IDWebsite, true, isWebsite}
	imoKind     = infoKind{normalize.IDIMO, false, isDigits}
	regKind     = infoKind{normalize.IDRegistration, false, hasDigit}
	taxKind     = infoKind{normalize.IDTax, false, hasDigit}
)

// infoLabels maps a label, in lower case with single spaces, to its kind.
// The labels are those of the real file (see docs/sources/ch_seco.md) and
// their plain variants; a table because the labels are SECO's own.
var infoLabels = map[string]infoKind{
	"imo number": imoKind, "imo": imoKind, "imo no.": imoKind,
	"phone": phoneKind, "phone number": phoneKind, "tel": phoneKind, "tel.": phoneKind,
	"telephone": phoneKind, "telephone number": phoneKind, "fax": phoneKind, "fax number": phoneKind,
	"e-mail": emailKind, "email": emailKind, "e-mail address": emailKind, "email address": emailKind,
	"website": websiteKind, "websites": websiteKind, "web site": websiteKind, "web": websiteKind,
	"registration number": regKind, "state registration number": regKind, "business registration number": regKind,
	"company registration number": regKind, "registration no.": regKind,
	"tax registration number": taxKind, "taxpayer identification number": taxKind, "tax identification number": taxKind,
}

// labelled splits "Label: value".
var labelled = regexp.MustCompile(`^([\p{L}][\p{L}\p{N} ./()'-]{0,59}?)\s*:\s*(\S.*)$`)

// otherInfo maps one <other-information> into e and returns what stays
// for the remarks ("" when all of it became identifiers).
func (p *parser) otherInfo(e *entity.Entity, f field) string {
	m := labelled.FindStringSubmatch(f.v)
	if m == nil {
		return f.v // free text
	}
	label, value := m[1], m[2]
	key := strings.Join(strings.Fields(strings.ToLower(label)), " ")
	if key == "function" {
		// "Function: Co-owner of 20 % of the company Nomenko ...": what
		// the party does, the schema's positions.
		e.Positions = append(e.Positions, value)
		return ""
	}
	kind, known := infoLabels[key]
	if !known {
		p.unparsed.add(f.v, e.ID)
		return f.v
	}
	values := []string{value}
	if kind.split {
		values = strings.FieldsFunc(value, func(r rune) bool { return r == ';' || r == ',' })
	}
	var ids []entity.Identifier
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !kind.ok(v) {
			p.unparsed.add(f.v, e.ID)
			return f.v
		}
		ids = append(ids, entity.Identifier{Type: kind.typ, Value: v, Raw: v, RawType: label})
	}
	if len(ids) == 0 {
		p.unparsed.add(f.v, e.ID)
		return f.v
	}
	e.Identifiers = append(e.Identifiers, ids...)
	if kind.typ == normalize.IDIMO && e.Type == entity.Vessel {
		if e.Vessel == nil {
			e.Vessel = &entity.VesselInfo{}
		}
		if e.Vessel.IMO == "" {
			e.Vessel.IMO = ids[0].Value
		}
	}
	return ""
}

// isPhone: digits with the signs phone numbers are printed with, at least
// five digits.
func isPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ ()-./", r):
		default:
			return false
		}
	}
	return digits >= 5
}

func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t") && !strings.Contains(domain, "@")
}

func isWebsite(s string) bool {
	return strings.Contains(s, ".") && !strings.ContainsAny(s, " @")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789") && len(s) <= 64
}

// remarkStats counts the labelled other-information texts no label of
// infoLabels reads, with the first few as examples.
type remarkStats struct {
	count    int
	examples [5]sources.RemarkExample
	n        int
}

func (r *remarkStats) add(frag, entityID string) {
	r.count++
	frag = shorten(frag)
	for i := range r.examples[:r.n] {
		if r.examples[i].Value == frag {
			r.examples[i].Count++
			return
		}
	}
	if r.n < len(r.examples) {
		r.examples[r.n] = sources.RemarkExample{Value: frag, Count: 1, Entity: entityID}
		r.n++
	}
}

func (r *remarkStats) fill(meta *sources.Meta) {
	meta.RemarksUnparsed = r.count
	meta.UnparsedRemarks = r.examples
}

package seco

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// build maps a target's record; nil when it has no name (the issue is
// recorded).
func (p *parser) build(r *record) *entity.Entity {
	e := &entity.Entity{ID: entity.MakeID(Name, r.ssid), Source: Name, SourceID: r.ssid, Type: p.entityType(r)}
	if len(r.identities) == 0 {
		p.issue(r.body, "<%s> without <identity>; skipped", r.kind)
		return nil
	}
	p.names(e, r)
	if e.Name == "" {
		p.issue(r.body, "<%s> without a name; skipped", r.kind)
		return nil
	}
	p.gender(e, r)
	for i := range r.identities {
		id := &r.identities[i]
		for _, d := range id.dates {
			if date, ok := p.date(d); ok {
				e.BirthDates = append(e.BirthDates, date)
			}
		}
		for _, a := range id.addresses {
			if addr, ok := p.address(a); ok {
				e.Addresses = append(e.Addresses, addr)
			}
		}
		for _, a := range id.birthPlaces {
			if s := p.birthPlace(a); s != "" {
				e.BirthPlaces = append(e.BirthPlaces, s)
			}
		}
		for _, c := range id.nationalities {
			if nat, ok := p.nationality(c); ok {
				e.Nationalities = append(e.Nationalities, nat)
			}
		}
		for _, d := range id.documents {
			if doc, ok := p.document(d); ok {
				e.Identifiers = append(e.Identifiers, doc)
			}
		}
	}
	for _, f := range r.foreign {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: normalize.IDOther, Value: f.v, Raw: f.v, RawType: foreignRawType})
	}
	p.listings(e, r)
	p.relations(e, r)
	remarks := r.justifications
	for _, f := range r.other {
		if rest := p.otherInfo(e, f); rest != "" {
			remarks = append(remarks, rest)
		}
	}
	e.Remarks = strings.Join(remarks, " ")
	return e
}

// foreignRawType labels a <foreign-identifier>: the id another list (the
// UN's, where the measures come from it) gives the target.
const foreignRawType = "foreign identifier"

// entityType maps <individual>, <entity> and <object object-type="..">.
func (p *parser) entityType(r *record) entity.Type {
	switch r.kind {
	case "individual":
		return entity.Person
	case "entity":
		return entity.Organization
	}
	switch r.objectType {
	case "vessel":
		return entity.Vessel
	case "aircraft":
		return entity.Aircraft
	case "other":
		return entity.Unknown
	}
	p.issue(r.body, "object-type %q is not vessel, aircraft or other; type unknown", r.objectType)
	return entity.Unknown
}

func (p *parser) gender(e *entity.Entity, r *record) {
	switch r.sex {
	case "":
	case "male", "female":
		e.Gender = r.sex
	default:
		p.issue(r.body, "sex %q is not male or female; not mapped", r.sex)
	}
}

// names maps the names of every identity. The main identity's first
// primary-name is the entity's name; every other name is an alias (a
// formerly-known-as a former name), weak when its quality is low; the
// spelling variants of a name have its kind (an alias for the primary's).
// The names of the other identities (main="false": another identity the
// party has used) are aliases too: the schema has no identity groups.
func (p *parser) names(e *entity.Entity, r *record) {
	main := -1
	for i := range r.identities {
		if !r.identities[i].main {
			continue
		}
		if main >= 0 {
			p.issue(r.identities[i].n, "second main identity; its names are mapped as aliases")
			continue
		}
		main = i
	}
	if main < 0 {
		main = 0
		p.issue(r.identities[0].n, "no identity with main=\"true\"; the first is taken as the main one")
	}
	fallback := -1 // the main identity's first name, should it have no primary-name
	for i := range r.identities {
		for j := range r.identities[i].names {
			nm := &r.identities[i].names[j]
			kind := p.nameKind(e, nm, i == main)
			spellings, titles := p.spellings(nm)
			e.Titles = append(e.Titles, titles...)
			for _, s := range spellings {
				if s.value == "" {
					continue
				}
				k := kind
				if s.variant && k == entity.KindPrimary {
					k = entity.KindAlias
				}
				n := normalize.NameFor(s.value, k, e.Type)
				n.Parts = s.parts
				lang := nm.lang
				if s.variant {
					lang = s.lang
				}
				if tag, ok := langTag(lang); ok {
					n.Lang = tag
				} else {
					p.issue(nm.n, "lang %q is not an ISO 639 code; not set", lang)
				}
				if code, ok := scriptCode(s.script); !ok {
					p.issue(nm.n, "script %q is not an ISO 15924 code; the script is detected", s.script)
				} else if code != "" {
					n.Script = code
				}
				if k == entity.KindPrimary {
					e.Name = n.Value
				}
				if fallback < 0 && i == main && !s.variant {
					fallback = len(e.Names)
				}
				e.Names = append(e.Names, n)
			}
		}
	}
	if e.Name == "" && fallback >= 0 {
		n := &e.Names[fallback]
		p.issue(r.identities[main].n, "no primary-name in the main identity; its first name %q is taken as the primary", n.Value)
		n.Kind, e.Name = entity.KindPrimary, n.Value
	}
}

// nameKind maps name-type and quality. Only the main identity's first
// primary-name is primary; a weak primary stays primary (the list names
// the party by it).
func (p *parser) nameKind(e *entity.Entity, nm *name, main bool) string {
	kind := entity.KindAlias
	switch nm.typ {
	case "primary-name":
		switch {
		case main && e.Name == "":
			kind = entity.KindPrimary
		case main:
			p.issue(nm.n, "second primary-name in the main identity; mapped as an alias")
		}
	case "alias":
	case "formerly-known-as":
		kind = entity.KindFormer
	default:
		p.issue(nm.n, "unknown name-type %q; mapped as an alias", nm.typ)
	}
	switch nm.quality {
	case "good", "":
	case "low":
		if kind == entity.KindAlias {
			kind = entity.KindWeakAlias
		}
	default:
		p.issue(nm.n, "name quality %q is not good or low; taken as good", nm.quality)
	}
	return kind
}

// date maps a <day-month-year>: a day, month or year as printed; quality
// low marks it approximate.
func (p *parser) date(d dmy) (entity.Date, bool) {
	month := d.month
	if month == "" && d.day != "" {
		month = "??" // a day without a month: "1980-5" would read as May
	}
	raw := normalize.JoinNonEmpty("-", d.year, month, d.day)
	if raw == "" {
		p.issue(d.n, "<day-month-year> without year, month or day; not mapped")
		return entity.Date{}, false
	}
	approx := false
	switch d.quality {
	case "good", "":
	case "low":
		approx = true
	default:
		p.issue(d.n, "date quality %q is not good or low; taken as good", d.quality)
	}
	if d.calendar != "" && !strings.EqualFold(d.calendar, "Gregorian") {
		// Not a Gregorian date: kept as printed, never converted.
		p.issue(d.n, "date %s in calendar %q; kept as raw text only", raw, d.calendar)
		return entity.Date{Raw: raw + " (" + d.calendar + " calendar)", Approximate: approx}, true
	}
	num := func(s string) (int, bool) {
		if s == "" {
			return 0, true
		}
		v, err := strconv.Atoi(s)
		return v, err == nil && v > 0
	}
	y, okY := num(d.year)
	m, okM := num(d.month)
	dd, okD := num(d.day)
	date := entity.Date{Raw: raw}
	if okY && okM && okD && y > 0 && (dd == 0 || m > 0) {
		date = normalize.DateParts(y, m, dd, raw)
	}
	if date.Precision == "" || (dd > 0 && date.Precision != entity.PrecisionDay) || (m > 0 && dd == 0 && date.Precision != entity.PrecisionMonth) {
		p.issue(d.n, "day-month-year %s is not a date; kept as raw text", raw)
		return entity.Date{Raw: raw, Approximate: approx}, true
	}
	date.Approximate = approx
	return date, true
}

// resolved is an address or place of birth with its place filled in.
type resolved struct {
	location, area, countryCode, country string
	missing                              string // the place-id, when it names no place
}

func (p *parser) resolve(a address) resolved {
	var out resolved
	if a.placeID != "" {
		if pl := p.lk.places[a.placeID]; pl != nil {
			out = resolved{location: pl.location, area: pl.area, countryCode: pl.countryCode, country: pl.country}
		} else {
			out.missing = a.placeID
			p.issue(a.n, "<%s> place-id %q resolves to no <place>; kept as %q", a.n.Data, a.placeID, missingPlace(a.placeID))
		}
	}
	// What the element prints itself comes before the place's.
	out.location = cmp.Or(a.location, out.location)
	out.area = cmp.Or(a.area, out.area)
	if a.country.text != "" || a.country.code != "" {
		out.country = a.country.text
		out.countryCode = p.countryCode(a.country)
	}
	return out
}

// missingPlace is what stands for a place-id that names no place.
func missingPlace(id string) string { return "place " + id + " (not in the list)" }

// countryCode checks a printed ISO code.
func (p *parser) countryCode(c country) string {
	if c.code == "" {
		return ""
	}
	cc, ok := isoCode(c.code)
	if !ok {
		p.issue(c.n, "%s %q is not an ISO 3166-1 code; the country's text is kept", codeAttr(c), c.code)
	}
	return cc
}

func codeAttr(c country) string {
	if c.n != nil && c.n.Data == "issuer" {
		return "code"
	}
	return "iso-code"
}

func (p *parser) address(a address) (entity.Address, bool) {
	pl := p.resolve(a)
	co := ""
	if a.co != "" {
		co = "c/o " + a.co
	}
	box := ""
	if a.poBox != "" {
		box = "P.O. Box " + a.poBox
	}
	missing := ""
	if pl.missing != "" {
		missing = missingPlace(pl.missing)
	}
	full := normalize.JoinNonEmpty(", ", co, a.details, box, normalize.JoinNonEmpty(" ", a.zip, pl.location), pl.area, pl.country, missing)
	if a.remarks != "" {
		full = normalize.JoinNonEmpty(" ", full, "("+a.remarks+")")
	}
	if full == "" {
		p.issue(a.n, "<address> with nothing in it; not mapped")
		return entity.Address{}, false
	}
	return entity.Address{Full: full, Street: a.details, City: pl.location, Region: pl.area, PostalCode: a.zip,
		Country: pl.countryCode, CountryRaw: pl.country}, true
}

func (p *parser) birthPlace(a address) string {
	pl := p.resolve(a)
	missing := ""
	if pl.missing != "" {
		missing = missingPlace(pl.missing)
	}
	s := normalize.JoinNonEmpty(", ", a.details, pl.location, pl.area, pl.country, missing)
	if a.remarks != "" {
		s = normalize.JoinNonEmpty(" ", s, "("+a.remarks+")")
	}
	if s == "" {
		p.issue(a.n, "<place-of-birth> with nothing in it; not mapped")
	}
	return s
}

func (p *parser) nationality(c country) (entity.Country, bool) {
	if c.code == "" && c.text == "" {
		p.issue(c.n, "<nationality> without a country; not mapped")
		return entity.Country{}, false
	}
	return entity.Country{Code: p.countryCode(c), Raw: c.text}, true
}

// documentTypes maps document-type to an identifier type.
var documentTypes = map[string]string{
	"passport":            normalize.IDPassport,
	"diplomatic-passport": normalize.IDPassport,
	"id-card":             normalize.IDNationalID,
}

func (p *parser) document(d document) (entity.Identifier, bool) {
	if d.number == "" {
		p.issue(d.n, "<identification-document> without a number; not mapped")
		return entity.Identifier{}, false
	}
	typ, ok := documentTypes[d.typ]
	if !ok {
		typ = normalize.IDOther
		p.issue(d.n, "unknown document-type %q; identifier type other", d.typ)
	}
	id := entity.Identifier{Type: typ, Value: d.number, Raw: d.number, RawType: d.typ, Note: d.remark}
	if code := p.countryCode(d.issuer); code != "" {
		id.Country, id.CountryRaw = code, d.issuer.text
	} else {
		id.Country = d.issuer.text // normalize maps the text
	}
	id.Issued = p.docDate(d, "date-of-issue", d.issued)
	id.Expires = p.docDate(d, "expiry-date", d.expires)
	return id, true
}

// docDate reads a document's date; one that is not a date is kept in the
// note.
func (p *parser) docDate(d document, elem, v string) string {
	if v == "" {
		return ""
	}
	if iso, ok := normalize.ISODate(v); ok {
		return iso
	}
	p.issue(d.n, "%s %q is not a date; not mapped", elem, v)
	return ""
}

// listings maps the sanctions sets: each names a program (the ordinance)
// and the annex or article the target is listed under. The listing date
// is that of the latest listed modification.
func (p *parser) listings(e *entity.Entity, r *record) {
	var listed *modification
	for i := range r.mods {
		if m := &r.mods[i]; m.typ == "listed" && (listed == nil || m.date() > listed.date()) {
			listed = m
		}
	}
	switch {
	case listed == nil && len(r.mods) > 0:
		p.issue(r.node, "no <modification modification-type=\"listed\">; no listing date")
	case listed != nil && listed.date() == "":
		p.issue(listed.n, "the listed modification has no date; no listing date")
	case listed != nil:
		e.ListedOn = listed.date()
	}
	if len(r.sets) == 0 {
		p.issue(r.node, "<target> without sanctions-set-id; no program")
	}
	for _, f := range r.sets {
		set := p.lk.sets[f.v]
		if set == nil {
			raw := "sanctions-set " + f.v
			p.issue(f.n, "sanctions-set-id %q resolves to no <sanctions-set>; kept as program %q", f.v, raw)
			e.Programs = append(e.Programs, raw)
			continue
		}
		program := cmp.Or(set.name, set.key)
		e.Programs = append(e.Programs, program)
		l := entity.Listing{List: cmp.Or(set.key, set.name), ListName: set.name, Authority: Authority,
			Programs: []string{program}, Start: e.ListedOn}
		if set.text != "" {
			l.Measures = []string{set.text}
		}
		e.Listings = append(e.Listings, l)
	}
}

// relationTypes are the relation-type values SECO prints.
var relationTypes = map[string]bool{"related-to": true}

func (p *parser) relations(e *entity.Entity, r *record) {
	for _, rel := range r.relations {
		if rel.target == "" {
			p.issue(rel.n, "<relation> without target-id; not mapped")
			continue
		}
		typ := rel.typ
		if typ == "" {
			typ = "related-to"
			p.issue(rel.n, "<relation> without relation-type; taken as related-to")
		} else if !relationTypes[typ] {
			p.issue(rel.n, "unknown relation-type %q; kept", typ)
		}
		if _, ok := p.lk.targets[rel.target]; !ok {
			p.issue(rel.n, "relation target-id %q resolves to no <target>; kept", rel.target)
		}
		e.Relations = append(e.Relations, entity.Relation{Type: typ, TargetID: entity.MakeID(Name, rel.target)})
	}
}

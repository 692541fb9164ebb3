package ofac

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/spill"
)

// authority publishes and keeps both OFAC lists.
const authority = "US Treasury OFAC"

// consolidatedList is the list every non-SDN entry is also on; it always
// comes with a more specific list (SSI, FSE, ...), which is the one kept.
const consolidatedList = "Consolidated List"

// listCodes are the short codes of OFAC's lists, as the trade.gov CSL
// prints them; a list not here keeps its published name as its code.
var listCodes = map[string]string{
	"SDN List": "SDN",
	"Sectoral Sanctions Identifications List": "SSI",
	"FSE List": "FSE",
	"Non-SDN Palestinian Legislative Council List": "PLC",
	"CAPTA List":                        "CAP",
	"Non-SDN Menu-Based Sanctions List": "NS-MBS",
	"Non-SDN Chinese Military-Industrial Complex Companies List": "CMIC",
	consolidatedList: "CONS",
}

// join builds every party's entity from its records, then reports the
// records no party claimed.
func (p *advParser) join(ctx context.Context, emit func(*entity.Entity) error) error {
	for i, pid := range p.order {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var pa advParty
		if err := each(p, tParty, pid, func(v advParty) { pa = v }); err != nil {
			return err
		}
		e, err := p.build(&pa)
		if err != nil {
			return err
		}
		if e == nil {
			continue
		}
		if err := emit(e); err != nil {
			return err
		}
	}
	return p.orphans()
}

// build maps one party with its documents, locations, sanctions entries
// and relationships.
func (p *advParser) build(pa *advParty) (*entity.Entity, error) {
	issue := func(line int, format string, args ...any) {
		p.issues.Addf(p.file, line, pa.FixedRef, format, args...)
	}
	e := &p.ent
	e.reset()
	e.uid, e.typ = pa.FixedRef, pa.Type
	for _, nm := range pa.Names {
		last, first := nameParts(nm)
		if nm.Primary {
			e.last, e.first = last, first
			continue
		}
		typ := strings.ToLower(nm.AliasType)
		if typ == "name" { // the primary name in another script
			typ = "a.k.a."
		}
		category := "strong"
		if nm.Low {
			category = "weak"
		}
		e.akas = append(e.akas, xmlAka{typ: typ, category: category, first: first, last: last})
	}
	var titles []string
	for _, ft := range pa.Features {
		value := ft.Value
		var loc *advLocation
		if ft.Location != 0 {
			found := false
			err := each(p, tLocation, ft.Location, func(l advLocation) { loc, found = &l, true })
			if err != nil {
				return nil, err
			}
			if !found {
				issue(ft.Line, "Feature %s (%s): <VersionLocation> LocationID=%d is not a <Location> of the file", ft.ID, ft.Type, ft.Location)
			} else if value == "" {
				value = loc.countryText()
			}
		}
		if value == "" {
			value = ft.Date
		}
		switch ft.Type {
		case "Birthdate":
			e.items = append(e.items, xmlItem{label: "DOB", uid: ft.ID, value: ft.Date})
		case "Place of Birth":
			e.items = append(e.items, xmlItem{label: "POB", uid: ft.ID, value: value})
		case "Nationality Country":
			e.items = append(e.items, xmlItem{label: "nationality", uid: ft.ID, value: value})
		case "Citizenship Country":
			e.items = append(e.items, xmlItem{label: "citizen", uid: ft.ID, value: value})
		case "Location":
			if loc != nil {
				if a, ok := loc.address(); ok {
					e.addrs = append(e.addrs, a)
				}
			}
		case "Title":
			titles = append(titles, value)
		case "Vessel Call Sign":
			e.vessel[0] = value
		case "VESSEL TYPE", "Vessel Type":
			e.vessel[1] = value
		case "Vessel Tonnage":
			e.vessel[2] = value
		case "Vessel Gross Registered Tonnage":
			e.vessel[3] = value
		case "Vessel Flag":
			e.vessel[4] = value
		case "Vessel Owner":
			e.vessel[5] = value
		default:
			e.ids = append(e.ids, xmlID{uid: ft.ID, typ: ft.Type, number: value})
		}
	}
	e.title = strings.Join(titles, "; ")
	for _, identity := range pa.Identities {
		err := each(p, tDocument, identity, func(d advDocument) {
			number := d.Number
			if d.Validity != "" {
				number += " (" + d.Validity + ")"
			}
			e.ids = append(e.ids, xmlID{uid: d.ID, typ: d.Type, number: number, country: d.Country, issued: d.Issued, expires: d.Expires})
		})
		if err != nil {
			return nil, err
		}
	}
	var entries []advEntry
	if err := each(p, tEntry, pa.Profile, func(v advEntry) { entries = append(entries, v) }); err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		issue(pa.Line, "party %s has no <SanctionsEntry>: listed under no list or program", pa.FixedRef)
	}
	for _, en := range entries {
		for _, prog := range en.Programs {
			if !slices.Contains(e.programs, prog) {
				e.programs = append(e.programs, prog)
			}
		}
	}
	rels, err := p.relations(pa, issue)
	if err != nil {
		return nil, err
	}
	var remarks []string
	if pa.Comment != "" {
		remarks = append(remarks, pa.Comment)
	}
	for _, r := range rels {
		remarks = append(remarks, "(Linked To: "+r.TargetName+")")
	}
	e.remarks = strings.Join(remarks, "; ")

	ent := buildEntry(p.s.files.name, e, p.stats, &p.line, func(format string, args ...any) { issue(pa.Line, format, args...) })
	if ent == nil {
		return nil, nil
	}
	ent.Relations = rels
	ent.Listings = listings(entries)
	for _, l := range ent.Listings {
		if l.Start != "" && (ent.ListedOn == "" || l.Start < ent.ListedOn) {
			ent.ListedOn = l.Start
		}
	}
	return ent, nil
}

// relations maps the party's relationships, with their targets' ids.
func (p *advParser) relations(pa *advParty, issue func(int, string, ...any)) ([]entity.Relation, error) {
	var rels []advRelation
	if err := each(p, tRelation, pa.Profile, func(r advRelation) { rels = append(rels, r) }); err != nil {
		return nil, err
	}
	fromType, _ := entityType(pa.Type)
	var out []entity.Relation
	for _, r := range rels {
		var t advTarget
		found := false
		if err := each(p, tTarget, r.To, func(v advTarget) { t, found = v, true }); err != nil {
			return nil, err
		}
		if !found {
			issue(r.Line, "ProfileRelationship %s: To-ProfileID %d is not a party of the file; relation not mapped", r.ID, r.To)
			continue
		}
		typ := relationType(r.Type, fromType, t.Type)
		if r.Former {
			typ = "former_" + typ
		}
		out = append(out, entity.Relation{Type: typ, TargetID: entity.MakeID(p.s.files.name, t.FixedRef), TargetName: t.Name})
	}
	return out, nil
}

// relationSeparators are the marks a relation type's words are split at.
var relationSeparators = strings.NewReplacer("/", " ", "-", " ", ",", " ", ".", " ")

// relationType names a relationship in snake case ("Owned or Controlled
// By" is owned_or_controlled_by). OFAC records some ownership and
// leadership links the wrong way round (a person "owned or controlled by"
// a company it owns, OpenSanctions flips these too): those get the
// inverse name, so the relation reads as the facts do.
func relationType(published string, from, to entity.Type) string {
	slug := strings.Join(strings.Fields(strings.ToLower(relationSeparators.Replace(published))), "_")
	switch slug {
	case "owned_or_controlled_by":
		if from == entity.Person && to != entity.Person {
			return "owns_or_controls"
		}
	case "leader_or_official_of":
		if from != entity.Person && to == entity.Person {
			return "led_by"
		}
	}
	return slug
}

// listings maps the sanctions entries: one listing per list, the
// "Consolidated List" left out where a more specific list comes with it.
func listings(entries []advEntry) []entity.Listing {
	specific := false
	for _, en := range entries {
		if en.List != consolidatedList {
			specific = true
		}
	}
	var out []entity.Listing
	for _, en := range entries {
		if en.List == consolidatedList && specific {
			continue
		}
		code, ok := listCodes[en.List]
		if !ok {
			code = en.List
		}
		out = append(out, entity.Listing{
			List: code, ListName: en.List, Authority: authority,
			Programs: en.Programs, Start: en.Date,
			Notice: strings.Join(en.Basis, "; "), Measures: en.Measures,
		})
	}
	return out
}

// orphans reports the records that name a party, identity or location the
// file does not have.
func (p *advParser) orphans() error {
	report := func(table, marker uint8, line func([]byte) (int, string)) error {
		for _, id := range p.store.IDs(table) {
			if p.store.Has(spill.Key{Table: marker, ID: id}) {
				continue
			}
			err := p.store.Get(spill.Key{Table: table, ID: id}, func(b []byte) error {
				l, rec := line(b)
				p.issues.Addf(p.file, l, "", "%s names %d, which no party of the file has; not mapped", rec, id)
				return nil
			})
			if err != nil {
				return fmt.Errorf("%s: %w", p.s.files.name, err)
			}
		}
		return nil
	}
	if err := report(tDocument, tIdentity, func(b []byte) (int, string) {
		l, id := lineID(b)
		return l, "IDRegDocument " + id + " IdentityID"
	}); err != nil {
		return err
	}
	if err := report(tEntry, tParty, func(b []byte) (int, string) {
		l, id := lineID(b)
		return l, "SanctionsEntry " + id + " ProfileID"
	}); err != nil {
		return err
	}
	return report(tRelation, tParty, func(b []byte) (int, string) {
		l, id := lineID(b)
		return l, "ProfileRelationship " + id + " From-ProfileID"
	})
}

// countryText is the country a location names.
func (l *advLocation) countryText() string {
	if l.Country != "" {
		return l.Country
	}
	return l.Unknown
}

// lineID reads the line and id every spilled record has.
func lineID(b []byte) (int, string) {
	var v struct {
		Line int
		ID   string
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return 0, "?"
	}
	return v.Line, v.ID
}

// address renders a location in the legacy XML's address shape: OFAC
// prints a REGION part as the country "Region: X" there. A location that
// says nothing but "undetermined" is no address.
func (l *advLocation) address() (xmlAddr, bool) {
	a := xmlAddr{a1: l.A1, a2: l.A2, a3: l.A3, city: l.City, state: l.State, postal: l.Postal, country: l.Country, structured: true}
	if l.Region != "" {
		a.region = l.Region
		if a.country == "" {
			a.country = "Region: " + l.Region
		}
	}
	if a.country == "" {
		a.country = l.Unknown
	}
	if a.a1 == "" && a.a2 == "" && a.a3 == "" && a.city == "" && a.state == "" && a.postal == "" && a.country == "" && a.region == "" {
		return a, false
	}
	return a, true
}

// nameParts joins a documented name's parts into the legacy last and first
// names: given names, middle names, patronymics and matronymics are the
// first name, in the order printed; the rest (last, maiden, entity,
// vessel or aircraft name) the last. The legacy formats print the last
// name of a Latin-script name in capitals, where the advanced XML has
// some in mixed case ("Russian Agricultural Bank"): capitals here too, so
// that the formats give the same names.
func nameParts(nm advName) (last, first string) {
	defer func() {
		if nm.Script == "" || nm.Script == "Latin" {
			last = strings.ToUpper(last)
		}
	}()
	var l, f []string
	for _, part := range nm.Parts {
		switch part[0] {
		case "First Name", "Middle Name", "Patronymic", "Matronymic":
			f = append(f, part[1])
		default:
			l = append(l, part[1])
		}
	}
	return strings.Join(l, " "), strings.Join(f, " ")
}

// periodText renders a <DatePeriod> as the legacy formats print a date:
// "13 Feb 1966"; "1962" for a period covering one whole year (OFAC's way
// of saying only the year is known); "Feb 1966" for a whole month; "1960
// to 1962", "01 Mar 1953 to 15 Jun 1954" for ranges; "circa ..." when
// approximate.
func periodText(dp *xmlquery.Node) (string, bool) {
	start, end := child(dp, "Start"), child(dp, "End")
	if start == nil && end == nil {
		return "", false
	}
	if start == nil {
		start = end
	}
	if end == nil {
		end = start
	}
	lo, okLo := boundDate(start, "From", false)
	hi, okHi := boundDate(end, "To", true)
	if !okLo || !okHi || hi.Before(lo) {
		return "", false
	}
	var s string
	switch {
	case lo.Equal(hi):
		s = lo.Format("02 Jan 2006")
	case lo.Year() == hi.Year() && lo.YearDay() == 1 && hi.Month() == 12 && hi.Day() == 31:
		s = lo.Format("2006")
	case lo.Year() == hi.Year() && lo.Month() == hi.Month() && lo.Day() == 1 && hi.AddDate(0, 0, 1).Day() == 1:
		s = lo.Format("Jan 2006")
	case lo.YearDay() == 1 && hi.Month() == 12 && hi.Day() == 31:
		s = lo.Format("2006") + " to " + hi.Format("2006")
	default:
		s = lo.Format("02 Jan 2006") + " to " + hi.Format("02 Jan 2006")
	}
	if start.SelectAttr("Approximate") == "true" || end.SelectAttr("Approximate") == "true" {
		s = "circa " + s
	}
	return s, true
}

// boundDate reads the From (or To) of a period's Start or End; a missing
// month or day is the first (last, for the upper bound) of its year or
// month.
func boundDate(b *xmlquery.Node, which string, upper bool) (time.Time, bool) {
	d := child(b, which)
	if d == nil {
		other := "To"
		if which == "To" {
			other = "From"
		}
		if d = child(b, other); d == nil {
			return time.Time{}, false
		}
	}
	y, m, day, ok := dateParts(d)
	if !ok {
		return time.Time{}, false
	}
	switch {
	case m == 0 && upper:
		return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), true
	case m == 0:
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), true
	case day == 0 && upper:
		return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC), true
	case day == 0:
		day = 1
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // 31 Feb
		return time.Time{}, false
	}
	return t, true
}

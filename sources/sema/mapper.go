package sema

import (
	"fmt"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// rawIMO is the raw_type of an IMO number (the element's current name).
const rawIMO = "ShipIMONumber"

// Bounds on what one element's free text may give, far over any real
// record's (the 2020 file's most are 12 names in one Aliases and 2 dates
// in one DateOfBirth): past them the file is hostile or broken. Without
// them a megabyte of "a, a, a" makes 300,000 names, each compared with
// the others (20,000 took 0.6 s). The file is refused (sources.ErrLimit).
const (
	maxAliases = 1000
	maxDates   = 100
)

// build maps a record read by read into an entity; nil when the record
// cannot be one (the issue is recorded).
func (p *parser) build(r *record) *entity.Entity {
	reg := parseRegime(r.f[fCountry].v)
	if r.id == "" {
		switch {
		case r.f[fCountry].v == "":
			p.issue(r.node, "", "<%s> without Country (the regulation)%s; record skipped: it has no id", recordName, describe(r))
		case r.f[fItem].v == "":
			p.issue(r.node, "", "<%s> without Item%s; record skipped: it has no id", recordName, describe(r))
		default:
			p.issue(r.node, "", "<%s> whose Country or Item has no letter or digit%s; record skipped: it has no id", recordName, describe(r))
		}
		return nil
	}
	if !reg.known {
		p.unknownRegime(r, reg)
	}
	last, given, name := r.f[fLast].v, r.f[fGiven].v, r.f[fEntity].v
	e := &entity.Entity{ID: entity.MakeID(Name, r.id), Source: Name, SourceID: r.id}
	switch {
	case last != "" || given != "":
		e.Type = entity.Person
		p.person(e, r)
		if name != "" {
			p.issue(r.f[fEntity].n, r.id, "<%s> %q in a person's record; kept as an alias", r.f[fEntity].n.Data, shorten(name))
			p.addName(e, name, "", entity.KindAlias)
		}
	case name != "":
		e.Type = entity.Organization
		if r.f[fIMO].v != "" || r.f[fTitle].v != "" || r.f[fBorn].v != "" {
			// EntityOrShip with a ship's IMO number, type or build date:
			// the elements an entity never has (it has no title and no
			// date of birth) name a ship.
			e.Type = entity.Vessel
		}
		e.Name = name
		p.addName(e, name, "", entity.KindPrimary)
		for _, h := range slashHalves(name) {
			p.addName(e, h, "", entity.KindAlias)
		}
		if e.Type == entity.Vessel {
			p.vessel(e, r)
		}
	default:
		p.issue(r.node, r.id, "<%s> without a name (no LastName, GivenName or EntityOrShip); record skipped", recordName)
		return nil
	}
	p.aliases(e, r)
	p.listing(e, r, reg)
	return e
}

// person fills a person's names, title, dates of birth.
func (p *parser) person(e *entity.Entity, r *record) {
	family, variant := surname(r.f[fLast].v)
	given := r.f[fGiven].v
	e.Name = strings.TrimSpace(given + " " + family)
	nm := normalize.Name(e.Name, entity.KindPrimary)
	nm.Parts = &entity.NameParts{Given: given, Family: family}
	e.Names = append(e.Names, nm)
	if variant != "" {
		// "Adanov (Adnuf)": the family name with another spelling.
		v := normalize.Name(strings.TrimSpace(given+" "+variant), entity.KindAlias)
		v.Parts = &entity.NameParts{Given: given, Family: variant}
		e.Names = append(e.Names, v)
	}
	if t := r.f[fTitle].v; t != "" {
		e.Titles = append(e.Titles, bilingual(t))
	}
	if b := r.f[fBorn]; b.v != "" {
		dates := p.dates(r, b)
		e.BirthDates = append(e.BirthDates, dates...)
	}
	if imo := r.f[fIMO]; imo.v != "" {
		p.issue(imo.n, r.id, "<%s> %q in a person's record; not mapped", imo.n.Data, shorten(imo.v))
	}
}

// surname splits "Adanov (Adnuf)", a family name followed by one other
// spelling of it in parentheses (two records of the 2020 file); any other
// text is the family name as printed.
func surname(s string) (family, variant string) {
	if i := strings.Index(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		v := strings.TrimSpace(s[i+2 : len(s)-1])
		if v != "" && !strings.ContainsAny(v, " ()") {
			return strings.TrimSpace(s[:i]), v
		}
	}
	return s, ""
}

// vessel fills a ship's IMO number, type and build date.
func (p *parser) vessel(e *entity.Entity, r *record) {
	v := &entity.VesselInfo{}
	if imo := r.f[fIMO]; imo.v != "" {
		value, valid, problem := normalize.NormalizeIdentifier(normalize.IDIMO, "", imo.v)
		id := entity.Identifier{Type: normalize.IDIMO, Value: value, Raw: imo.v, RawType: rawIMO, Valid: valid}
		if valid != nil && !*valid {
			p.issue(imo.n, r.id, "<%s> %q is not a valid IMO number (%s); kept, marked invalid", imo.n.Data, shorten(imo.v), problem)
		} else {
			v.IMO = value
		}
		e.Identifiers = append(e.Identifiers, id)
	}
	if t := r.f[fTitle].v; t != "" {
		v.Type = bilingual(t)
	}
	if b := r.f[fBorn]; b.v != "" {
		dates := p.dates(r, b)
		if d := dates[0]; len(dates) == 1 && d.Precision != "" && d.Precision != entity.PrecisionRange {
			v.YearBuilt = d.Value[:4]
		}
		if remark := buildRemark(dates, b.v); remark != "" {
			e.Remarks = joinRemarks(e.Remarks, remark)
		}
	}
	e.Vessel = v
}

// buildRemark keeps a build date the schema's year cannot hold: a day or
// a month ("Build date: 1953-08-04 (as printed: 19575)"), a range, several
// dates, or text that is no date; "" for a year as printed.
func buildRemark(dates []entity.Date, raw string) string {
	if len(dates) == 1 && dates[0].Precision == entity.PrecisionYear && dates[0].Value == raw {
		return ""
	}
	var read []string
	for _, d := range dates {
		switch d.Precision {
		case "":
			read = append(read, d.Raw)
		case entity.PrecisionRange:
			read = append(read, d.From+" to "+d.To)
		default:
			read = append(read, d.Value)
		}
	}
	remark := "Build date: " + strings.Join(read, " or ")
	if got := strings.Join(read, " or "); got != raw {
		remark += " (as printed: " + raw + ")"
	}
	return remark
}

// aliases adds the names of the Aliases element. A person's alias of one
// word is a weak alias: in the 2020 file those are another spelling of the
// given name ("Andrei" for Andrey) or of the family name ("PASHENKO"), or
// a nickname ("Motorola"), never a whole name.
func (p *parser) aliases(e *entity.Entity, r *record) {
	a := r.f[fAliases]
	if a.v == "" {
		return
	}
	names, doubts := splitAliases(a.v, maxAliases)
	if len(names) > maxAliases {
		p.limit(a.n, "<%s> holds over %d names", a.n.Data, maxAliases)
		return
	}
	for _, d := range doubts {
		joiner := `"/"`
		if !strings.Contains(d, "/") {
			joiner = `" et "`
		}
		p.issue(a.n, r.id, "alias %q may hold two names joined by %s; kept as one", shorten(d), joiner)
	}
	for _, n := range names {
		kind := entity.KindAlias
		if e.Type == entity.Person && len(strings.Fields(n.value)) == 1 {
			kind = entity.KindWeakAlias
		}
		p.addName(e, n.value, n.lang, kind)
	}
}

// addName adds a name unless e already has it.
func (p *parser) addName(e *entity.Entity, value, lang, kind string) {
	value = normalize.Text(value)
	if value == "" {
		return
	}
	for _, n := range e.Names {
		if n.Value == value {
			return
		}
	}
	nm := normalize.Name(value, kind)
	nm.Lang = lang
	e.Names = append(e.Names, nm)
}

// listing fills programs, the listing date and the listing: the regime
// (the English part of Country) and the regime with its schedule, and
// where the regulation lists the party.
func (p *parser) listing(e *entity.Entity, r *record, reg regime) {
	l := entity.Listing{List: reg.key, ListName: reg.raw, Authority: Authority}
	l.Programs = append(l.Programs, reg.english)
	sched := r.f[fSchedule].v
	notice := "item " + r.f[fItem].v
	if scheduleKey(sched) != "" {
		l.Programs = append(l.Programs, reg.english+" Schedule "+sched)
		notice = "Schedule " + sched + ", " + notice
	}
	l.Notice = notice
	if d := r.f[fListed]; d.v != "" {
		dates := p.dates(r, d)
		if len(dates) > 1 {
			p.issue(d.n, r.id, "<%s> %q holds %d dates; the first is the listing date", d.n.Data, shorten(d.v), len(dates))
		}
		switch d0 := dates[0]; d0.Precision {
		case entity.PrecisionDay, entity.PrecisionMonth, entity.PrecisionYear:
			l.Start = d0.Value
			e.ListedOn = l.Start
		case entity.PrecisionRange:
			p.issue(d.n, r.id, "<%s> %q is a range, not the date of listing; no listing date", d.n.Data, shorten(d0.Raw))
		}
	}
	e.Programs = append(e.Programs, l.Programs...)
	e.Listings = append(e.Listings, l)
}

// dates reads a date element, reporting what it could not read and what
// it read in a way to be checked.
func (p *parser) dates(r *record, v value) []entity.Date {
	dates, notes, bad := parseDates(v.v)
	if len(dates) > maxDates {
		p.limit(v.n, "<%s> holds over %d dates", v.n.Data, maxDates)
		return dates[:1]
	}
	for _, n := range notes {
		p.issue(v.n, r.id, "<%s> %s", v.n.Data, n)
	}
	for _, b := range bad {
		p.issue(v.n, r.id, "<%s> %q is not a date; kept as printed", v.n.Data, shorten(b))
	}
	return dates
}

// limit makes the error that refuses the file for elem, past a bound.
func (p *parser) limit(elem *xmlquery.Node, format string, args ...any) {
	if p.err == nil {
		p.err = &sources.RecordError{Source: Name, File: FileName, Line: p.line(elem),
			Err: fmt.Errorf(format+": %w", append(args, sources.ErrLimit)...)}
	}
}

// bilingual is the English part of a title or ship type: before "|" (the
// current file: "General Cargo | Cargo classique"), else before "/" (the
// 2020 file: "Major General/major-général").
func bilingual(s string) string {
	if strings.Contains(s, "|") {
		return englishPart(s, " | ")
	}
	return englishPart(s, " / ")
}

// describe names a record without an id by what it has, for an issue.
func describe(r *record) string {
	var parts []string
	for _, f := range []field{fCountry, fSchedule, fItem, fLast, fGiven, fEntity} {
		if v := r.f[f]; v.v != "" {
			parts = append(parts, v.n.Data+" "+quote(v.v))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

func quote(s string) string { return `"` + shorten(s) + `"` }

func joinRemarks(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

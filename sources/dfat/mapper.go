package dfat

import (
	"fmt"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Raw types of the identifiers the columns give.
const (
	rawUNRef = "UN reference number" // as the un_sc and eu_fsf sources print it
	rawIMO   = "IMO Number"
)

// Listing.List of the two kinds of regime the list joins (Committees):
// the UN Security Council's, named by resolution ("1267 Committee (ISIL &
// Al-Qaida)", "1373 (2001)", "1718 (DPRK)"), and Australia's autonomous
// ones ("Autonomous (Russia)").
const (
	listUN         = "UNSC"
	listAutonomous = "Autonomous"
	listOther      = "other"
)

// Authority of every listing.
const authority = "Australian Government Department of Foreign Affairs and Trade"

// mapping collects one group's values; repeated cells (every row repeats
// the party's details) are read once.
type mapping struct {
	p *parser
	g *group
	e *entity.Entity
	// seen holds the cells read already, by column, and the remarks,
	// dates and UN references added (under their own keys): a group's
	// work stays linear in its rows.
	seen map[[2]string]bool
	// names by value, index into e.Names
	names    map[string]int
	remarks  []string
	listed   string // earliest listing date
	listings map[[2]string]int
	unRefs   []string // UN reference numbers, with the row that printed each first
	unRows   []*row
}

// once reports whether the cell of column col is new in the group.
func (m *mapping) once(col int, cell string) bool {
	k := [2]string{columnNames[col], cell}
	if m.seen[k] {
		return false
	}
	m.seen[k] = true
	return true
}

// build maps one group; nil when no row of it has a name (an issue).
func (p *parser) build(g *group) *entity.Entity {
	var named []nameRow
	for i := range g.rows {
		rw := &g.rows[i]
		v := normalize.Text(rw.cells[colName])
		if v == "" {
			p.issuef(rw.n, rw.ref, "row without a name; its other cells are mapped with reference %s", g.number)
			continue
		}
		named = append(named, nameRow{rw: rw, value: v, kind: p.nameKind(rw)})
	}
	if len(named) == 0 {
		p.issuef(g.rows[0].n, g.number, "reference %s: no row has a name (%d rows); not mapped", g.number, len(g.rows))
		return nil
	}
	pick := p.pickName(g, named)
	m := &mapping{
		p: p, g: g, seen: map[[2]string]bool{}, names: map[string]int{}, listings: map[[2]string]int{},
	}
	m.e = &entity.Entity{
		ID: entity.MakeID(Name, g.number), Source: Name, SourceID: g.number,
		Type: p.entityType(g, named[pick].rw), Name: named[pick].value,
	}
	m.addName(named[pick].value, entity.KindPrimary)
	for i, n := range named {
		if i != pick {
			m.addName(n.value, n.kind)
		}
	}
	for i := range g.rows {
		m.row(&g.rows[i])
	}
	e := m.e
	if e.Vessel != nil && e.Type != entity.Vessel {
		// An IMO number on a party DFAT types as an entity: kept among the
		// identifiers, not as vessel details.
		e.Vessel = nil
	}
	if len(m.unRefs) > 1 {
		// 2026-02-24: 1228c prints CDi.002, the other rows of 1228 CDi.003.
		var refs []string
		for i, ref := range m.unRefs[:min(len(m.unRefs), maxListed)] {
			refs = append(refs, fmt.Sprintf("%s (%s, row %d)", ref, m.unRows[i].ref, m.unRows[i].n))
		}
		p.issuef(m.unRows[1].n, g.number, "reference %s prints %d UN reference numbers: %s%s; all are kept", g.number, len(m.unRefs), strings.Join(refs, ", "), more(len(m.unRefs)))
	}
	e.ListedOn = m.listed
	e.Remarks = strings.Join(m.remarks, "\n")
	if len(e.Programs) == 0 {
		p.issuef(g.rows[0].n, g.number, "reference %s: no row has Committees; no program", g.number)
	}
	return e
}

// addName adds a name, or raises the kind of one already there.
func (m *mapping) addName(value, kind string) {
	if i, ok := m.names[value]; ok {
		if kindRank(kind) < kindRank(m.e.Names[i].Kind) {
			m.e.Names[i].Kind = kind
		}
		return
	}
	m.names[value] = len(m.e.Names)
	m.e.Names = append(m.e.Names, normalize.NameFor(value, kind, m.e.Type))
}

// remark adds a remark once.
func (m *mapping) remark(s string) {
	if k := [2]string{"remark", s}; !m.seen[k] {
		m.seen[k] = true
		m.remarks = append(m.remarks, s)
	}
}

// row maps the cells of one row other than its name.
func (m *mapping) row(rw *row) {
	e := m.e
	if c := rw.cells[colDOB]; strings.TrimSpace(c) != "" && m.once(colDOB, c) {
		m.birthDates(rw, c)
	}
	if c := rw.cells[colPOB]; m.once(colPOB, c) {
		e.BirthPlaces = append(e.BirthPlaces, listItems(c)...)
	}
	if c := rw.cells[colCitizenship]; m.once(colCitizenship, c) {
		for _, v := range splitCountries(c) {
			e.Citizenships = append(e.Citizenships, country(v))
		}
	}
	if c := rw.cells[colAddress]; m.once(colAddress, c) {
		for _, v := range listItems(c) {
			e.Addresses = append(e.Addresses, addressOf(v))
		}
	}
	if c := normalize.Text(rw.cells[colInfo]); c != "" && m.once(colInfo, c) {
		m.remark(c)
		m.info(rw, c)
	}
	if c := normalize.Text(rw.cells[colIMO]); c != "" && m.once(colIMO, c) {
		m.imo(rw, c, rawIMO, c)
	}
	if c := normalize.Text(rw.cells[colControl]); c != "" && m.once(colControl, c) {
		if iso, ok := controlDate(c); ok {
			m.p.maxControl = max(m.p.maxControl, iso)
		} else {
			m.p.issuef(rw.n, rw.ref, "Control Date %q is not a date", c)
		}
	}
	m.listing(rw)
}

// birthDates maps a Date of Birth cell.
func (m *mapping) birthDates(rw *row, cell string) {
	if notApplicable(cell) {
		return // "na"
	}
	pieces, lossy := parseDOB(cell)
	for _, pc := range pieces {
		if pc.ok {
			// One date printed two ways on two rows (27/05/1979 and the
			// serial 29002, 2024: 1267): kept once, as first printed.
			d := pc.date
			// A Hijri date stays beside the Gregorian one it equals: the
			// publisher printed both.
			k := [2]string{"date", fmt.Sprint(d.Value, "|", d.Precision, "|", d.From, "|", d.To, "|", d.Approximate, "|", d.Calendar)}
			if m.seen[k] {
				continue
			}
			m.seen[k] = true
		}
		m.e.BirthDates = append(m.e.BirthDates, pc.date)
		if !pc.ok {
			m.p.issuef(rw.n, rw.ref, "Date of Birth %q: %s; kept as raw text", shorten(pc.date.Raw), pc.why)
		}
	}
	if len(pieces) == 0 {
		m.p.issuef(rw.n, rw.ref, "Date of Birth %q holds no date; kept in remarks", shorten(cell))
	}
	if lossy || len(pieces) == 0 {
		// Notes beside the dates ("(as Ali Thafir Abdallah)", "this aka
		// only"): the cell as printed keeps them.
		m.remark("Date of birth: " + normalize.Text(cell))
	}
}

// info reads the labelled fields of an Additional Information text.
func (m *mapping) info(rw *row, text string) {
	e := m.e
	if ref := unReference(text); ref != "" && !m.seen[[2]string{"unref", ref}] {
		m.seen[[2]string{"unref", ref}] = true
		m.unRefs, m.unRows = append(m.unRefs, ref), append(m.unRows, rw)
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: "other", Value: ref, RawType: rawUNRef})
	}
	for _, mt := range imoInText.FindAllStringSubmatch(text, -1) {
		m.imo(rw, mt[1], "IMO number", mt[0])
	}
	for _, f := range labelledFields(text) {
		kind := labelKind(f.key)
		if (kind == "gender" || kind == "title" || kind == "designation") && e.Type != entity.Person {
			// On an entity "Designation:" gives the grounds of the listing
			// ("Designation: Owned or controlled by KAA"): remarks only.
			continue
		}
		switch kind {
		case "passport", "national_id":
			for _, item := range splitEnum(f.text) {
				if id, ok := documentOf(kind, f.label, item); ok {
					e.Identifiers = append(e.Identifiers, id)
				}
			}
		case "gender":
			// The first word: the text after it may run on without a stop
			// ("Gender: Male INTERPOL-UN Security Council ...").
			g, _, _ := strings.Cut(strings.ToLower(f.text), " ")
			g = strings.TrimRight(g, ".,;")
			switch {
			case g == "male" || g == "female":
				if e.Gender != "" && e.Gender != g {
					m.p.issuef(rw.n, rw.ref, "Gender %q after %q; the first is kept", f.text, e.Gender)
					continue
				}
				e.Gender = g
			default:
				m.p.issuef(rw.n, rw.ref, "Gender %q is neither male nor female; not mapped (kept in remarks)", shorten(f.text))
			}
		case "title":
			for _, t := range splitEnum(f.text) {
				e.Titles = append(e.Titles, strings.TrimRight(t, ". "))
			}
		case "designation":
			for _, t := range splitEnum(f.text) {
				e.Positions = append(e.Positions, strings.TrimRight(t, ". "))
			}
		}
	}
}

// imo adds an IMO number, checking its digit: an invalid one is kept,
// marked, and an issue.
func (m *mapping) imo(rw *row, raw, rawType, printed string) {
	// IMO also numbers companies (ship owners and managers), by another
	// scheme: IdentifierOf checks a party that is not a vessel as one.
	typ, value, valid, problem := normalize.IdentifierOf(m.e.Type, rawType, normalize.IDIMO, "", raw)
	if value == "" {
		value = raw
	}
	id := entity.Identifier{Type: typ, Value: value, Raw: raw, RawType: rawType, Valid: valid}
	m.e.Identifiers = append(m.e.Identifiers, id)
	if valid != nil && !*valid {
		m.p.issuef(rw.n, rw.ref, "IMO number %q of a party typed %s is invalid (%s); kept, marked invalid", printed, m.e.Type, problem)
		return
	}
	if typ != normalize.IDIMO {
		return // a company's number, not a ship's
	}
	if m.e.Vessel == nil {
		m.e.Vessel = &entity.VesselInfo{IMO: value}
	}
}

// listing reads the row's Committees, Instrument of Designation, Listing
// Information and measure flags into programs and listings.
func (m *mapping) listing(rw *row) {
	e := m.e
	committee := normalize.Text(rw.cells[colCommittees])
	instrument := normalize.Text(rw.cells[colInstrument])
	info := normalize.Text(rw.cells[colListing])
	var start string
	if iso, ok := serialDate(instrument); ok {
		// A date where the instrument should be (2026: 6257, The Taliban,
		// 36448 = 1999-10-15): the listing's start, not its notice.
		start, instrument = iso, ""
	}
	for _, text := range []string{info, instrument} {
		if k := [2]string{"listed", text}; text != "" && !m.seen[k] {
			m.seen[k] = true
			m.earliest(listedDate(text))
		}
	}
	m.earliest(start)
	if info != "" && m.once(colListing, info) {
		if iso, ok := serialDate(info); ok {
			m.remark("Listing information: " + iso)
		} else if info != instrument {
			m.remark("Listing information: " + info)
		}
	}
	var measures []string
	for _, col := range measureColumns {
		switch v := normalize.Text(rw.cells[col]); v {
		case "1":
			measures = append(measures, columnNames[col])
		case "0", "":
		default:
			if m.once(col, v) {
				m.p.issuef(rw.n, rw.ref, "%s %q is neither 0 nor 1; not mapped", columnNames[col], v)
			}
		}
	}
	if committee == "" && instrument == "" && start == "" && len(measures) == 0 {
		return
	}
	if committee != "" && m.once(colCommittees, committee) {
		e.Programs = append(e.Programs, committee)
	}
	k := [2]string{committee, instrument}
	i, ok := m.listings[k]
	if !ok {
		i = len(e.Listings)
		m.listings[k] = i
		e.Listings = append(e.Listings, entity.Listing{
			List: m.listCode(rw, committee), Authority: authority, Notice: instrument,
		})
		if committee != "" {
			e.Listings[i].Programs = []string{committee}
		}
	}
	l := &e.Listings[i]
	if start != "" && (l.Start == "" || start < l.Start) {
		l.Start = start
	}
	for _, ms := range measures {
		if !contains(l.Measures, ms) {
			l.Measures = append(l.Measures, ms)
		}
	}
}

// earliest keeps the earliest listing date.
func (m *mapping) earliest(d string) {
	if d != "" && (m.listed == "" || d < m.listed) {
		m.listed = d
	}
}

// listCode classifies a Committees value.
func (m *mapping) listCode(rw *row, committee string) string {
	switch {
	case committee != "" && committee[0] >= '0' && committee[0] <= '9':
		return listUN
	case strings.HasPrefix(strings.ToLower(committee), "autonomous"):
		return listAutonomous
	}
	if m.once(colCommittees, "\x00"+committee) {
		m.p.issuef(rw.n, rw.ref, "Committees %q names neither a UN resolution nor an autonomous regime; listed as %q", committee, listOther)
	}
	return listOther
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

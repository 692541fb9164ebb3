package un

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Identifier raw type of REFERENCE_NUMBER.
const refRawType = "UN reference number"

// build maps the record read into p.rec. Every value was cleaned by
// normalize.Text when it was read.
func (p *parser) build(r *record) *entity.Entity {
	name := primaryName(r)
	if name == "" {
		p.issue(r.node, nil, r.id, "<%s> without a name (FIRST_NAME .. FOURTH_NAME empty); record skipped", r.kind.name)
		return nil
	}
	e := &entity.Entity{
		ID:       entity.MakeID(Name, r.id),
		Source:   Name,
		SourceID: r.id,
		Type:     r.kind.typ,
		Name:     name,
		Names:    []entity.Name{normalize.Name(name, entity.KindPrimary)},
		Remarks:  r.comments.v,
	}
	if v := r.original.v; v != "" && v != name {
		// NAME_ORIGINAL_SCRIPT: the name in the script of its language,
		// kept as printed; normalize.Name detects the script.
		e.Names = append(e.Names, normalize.Name(v, entity.KindAlias))
	}
	if v := r.ref.v; v != "" {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: "other", Value: v, RawType: refRawType})
	}
	if v := r.listType.v; v != "" {
		if !hasLetter(v) {
			p.issue(r.node, r.listType.n, r.id, "UN_LIST_TYPE %q is not a regime name; kept as the program", v)
		}
		e.Programs = append(e.Programs, v)
	}
	for _, lt := range r.listTypes {
		// LIST_TYPE is "UN List" on every record: the publication itself,
		// not a program. Another value is kept and reported.
		if strings.EqualFold(lt.v, "UN List") {
			continue
		}
		p.issue(r.node, lt.n, r.id, "LIST_TYPE %q (not \"UN List\"); kept as a program", lt.v)
		e.Programs = append(e.Programs, lt.v)
	}
	if v := r.listedOn.v; v != "" {
		if d, ok := normalize.ISODate(xsdDate(v)); ok {
			e.ListedOn = d
		} else {
			p.issue(r.node, r.listedOn.n, r.id, "LISTED_ON %q is not a date; not mapped", v)
		}
	}
	p.mapGender(e, r)
	for _, t := range r.titles {
		e.Titles = append(e.Titles, t.v)
	}
	for _, d := range r.designations {
		e.Positions = append(e.Positions, d.v)
	}
	for _, c := range r.nationalities {
		e.Nationalities = append(e.Nationalities, entity.Country{Raw: c.v})
	}
	for _, a := range r.addresses {
		if addr, ok := mapAddress(a); ok {
			e.Addresses = append(e.Addresses, addr)
		}
	}
	for _, pl := range r.birthPlaces {
		if s := placeText(pl); s != "" {
			e.BirthPlaces = append(e.BirthPlaces, s)
		}
	}
	for _, d := range r.birthDates {
		if date, ok := p.mapBirthDate(r, d); ok {
			e.BirthDates = append(e.BirthDates, date)
		}
	}
	// Aliases after the dates of birth: an alias's date that repeats one
	// of them is not added again.
	var remarks []string
	for _, a := range r.aliases {
		if note := p.mapAlias(e, r, a); note != "" {
			remarks = append(remarks, note)
		}
	}
	if len(remarks) > 0 {
		e.Remarks = normalize.JoinNonEmpty(" ", e.Remarks, strings.Join(remarks, " "))
	}
	for _, d := range r.documents {
		if id, ok := p.mapDocument(r, d); ok {
			e.Identifiers = append(e.Identifiers, id)
		}
	}
	return e
}

// primaryName joins FIRST_NAME .. FOURTH_NAME with single spaces, in the
// order printed. The UN fills them in the order of the name's own custom
// (RI / WON HO: family name first; DOKU / KHAMATOVICH / UMAROV: given,
// patronymic, family), so the parts are not labelled given or family.
func primaryName(r *record) string {
	return normalize.JoinNonEmpty(" ", r.names[0].v, r.names[1].v, r.names[2].v, r.names[3].v)
}

// aliasKinds maps QUALITY: Good and Low on INDIVIDUAL_ALIAS, a.k.a. and
// f.k.a. on ENTITY_ALIAS.
var aliasKinds = map[string]string{
	"good":   entity.KindAlias,
	"low":    entity.KindWeakAlias,
	"a.k.a.": entity.KindAlias,
	"f.k.a.": entity.KindFormer,
}

// mapAlias adds an alias's names, date and place of birth to e, and
// returns the remark that keeps what ties them together: which name the
// date, place or NOTE belongs to. An alias with nothing printed is
// skipped.
func (p *parser) mapAlias(e *entity.Entity, r *record, a alias) string {
	kind := entity.KindAlias
	if a.quality.v != "" || a.name.v != "" {
		k, ok := aliasKinds[strings.ToLower(a.quality.v)]
		switch {
		case ok:
			kind = k
		case a.quality.v == "":
			p.issue(r.node, a.node, r.id, "alias %q without QUALITY; taken as a.k.a.", a.name.v)
		default:
			p.issue(r.node, a.quality.n, r.id, "unknown alias QUALITY %q; taken as a.k.a.", a.quality.v)
		}
	}
	if a.name.v == "" && a.quality.v != "" {
		p.issue(r.node, a.node, r.id, "alias with QUALITY %q but no ALIAS_NAME", a.quality.v)
	}
	for _, n := range splitNames(a.name.v) {
		if n != e.Name {
			e.Names = append(e.Names, normalize.Name(n, kind))
		}
	}
	var details []string
	if v := a.dob.v; v != "" && !strings.EqualFold(v, "null") {
		d := normalize.ParseDate(xsdDate(v))
		d.Raw = v
		if d.Precision == "" {
			p.issue(r.node, a.dob.n, r.id, "alias DATE_OF_BIRTH %q is not a date; kept as raw text", v)
		}
		if !hasDate(e.BirthDates, d) {
			e.BirthDates = append(e.BirthDates, d)
		}
		details = append(details, "date of birth "+v)
	}
	if place := normalize.JoinNonEmpty(", ", a.city.v, a.country.v); place != "" {
		e.BirthPlaces = append(e.BirthPlaces, place)
		details = append(details, "place of birth "+place)
	}
	if a.note.v != "" {
		details = append(details, a.note.v)
	}
	switch {
	case len(details) == 0:
		return ""
	case a.name.v == "":
		if a.note.v == "" {
			return "" // a date or place of birth alone: nothing ties it to a name
		}
		return "[Alias note: " + a.note.v + "]"
	}
	return "[Alias \"" + a.name.v + "\": " + strings.Join(details, "; ") + "]"
}

// splitNames splits an ALIAS_NAME that holds several names: "A; B" at
// the top level, and "NAME (A; B)", a name followed by its other
// spellings in parentheses, into NAME, A and B. Parentheses without a
// semicolon ("Ansar al-Sharia (AAS)") stay part of the name.
func splitNames(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, piece := range splitTop(s) {
		head, inner, ok := trailingGroup(piece)
		if !ok || len(splitTop(inner)) < 2 {
			out = append(out, piece)
			continue
		}
		if head != "" {
			out = append(out, head)
		}
		out = append(out, splitNames(inner)...)
	}
	return out
}

// splitTop splits s at the semicolons outside parentheses; empty pieces
// are dropped.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	add := func(piece string) {
		if piece = strings.TrimSpace(piece); piece != "" {
			out = append(out, piece)
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				add(s[start:i])
				start = i + 1
			}
		}
	}
	add(s[start:])
	return out
}

// trailingGroup splits "HEAD (INNER)" at the parenthesis that matches the
// final one.
func trailingGroup(s string) (head, inner string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return strings.TrimSpace(s[:i]), s[i+1 : len(s)-1], true
			}
		}
	}
	return "", "", false
}

// mapGender keeps male and female; "Unknown" says nothing.
func (p *parser) mapGender(e *entity.Entity, r *record) {
	switch g := strings.ToLower(r.gender.v); g {
	case "male", "female":
		e.Gender = g
	case "", "unknown":
	default:
		p.issue(r.node, r.gender.n, r.id, "unknown GENDER %q; not mapped", r.gender.v)
	}
}

// mapAddress builds an address; full joins the parts and adds NOTE in
// parentheses ("previous address", or more of the address itself).
func mapAddress(a address) (entity.Address, bool) {
	full := normalize.JoinNonEmpty(", ", a.street.v, a.city.v, a.state.v, a.zip.v, a.country.v)
	switch {
	case a.note.v == "":
	case full == "":
		full = a.note.v
	default:
		full += " (" + a.note.v + ")"
	}
	if full == "" {
		return entity.Address{}, false
	}
	return entity.Address{
		Full: full, Street: a.street.v, City: a.city.v, Region: a.state.v,
		PostalCode: a.zip.v, CountryRaw: a.country.v,
	}, true
}

// placeText is a place of birth as one text, NOTE in parentheses.
func placeText(a address) string {
	s := normalize.JoinNonEmpty(", ", a.street.v, a.city.v, a.state.v, a.country.v)
	switch {
	case a.note.v == "":
	case s == "":
		s = a.note.v
	default:
		s += " (" + a.note.v + ")"
	}
	return s
}

// mapBirthDate maps an INDIVIDUAL_DATE_OF_BIRTH. Raw records what was
// printed: TYPE_OF_DATE, the values, NOTE in parentheses ("BETWEEN 1960
// 1962", "APPROXIMATELY 1954", "EXACT 1958 (Sep.)"). The value comes from
// the elements present (FROM_YEAR/TO_YEAR, else DATE, else YEAR);
// APPROXIMATELY, or a NOTE that says "Approximately", makes it approximate.
func (p *parser) mapBirthDate(r *record, b birthDate) (entity.Date, bool) {
	typ := strings.ToUpper(b.typ.v)
	values := normalize.JoinNonEmpty(" ", b.date.v, b.year.v, b.from.v, b.to.v)
	if values == "" && b.note.v == "" {
		return entity.Date{}, false // <TYPE_OF_DATE/> alone: nothing printed
	}
	raw := normalize.JoinNonEmpty(" ", typ, values)
	if b.note.v != "" {
		raw = normalize.JoinNonEmpty(" ", raw, "("+b.note.v+")")
	}
	var d entity.Date
	switch {
	case b.from.v != "" || b.to.v != "":
		from, err1 := strconv.Atoi(b.from.v)
		to, err2 := strconv.Atoi(b.to.v)
		d = normalize.YearRange(from, to, raw)
		if err1 != nil || err2 != nil || d.Precision == "" {
			p.issue(r.node, b.node, r.id, "date of birth range FROM_YEAR %q TO_YEAR %q is not a range of years; kept as raw text", b.from.v, b.to.v)
		}
		if typ != "BETWEEN" || b.date.v != "" || b.year.v != "" {
			p.issue(r.node, b.node, r.id, "date of birth %q mixes a range with TYPE_OF_DATE %q or DATE/YEAR; the range is used", raw, b.typ.v)
		}
	case b.date.v != "":
		d = normalize.ParseDate(xsdDate(b.date.v))
		if d.Precision == "" || d.Precision == entity.PrecisionRange {
			d = entity.Date{}
			p.issue(r.node, b.date.n, r.id, "date of birth DATE %q is not a date; kept as raw text", b.date.v)
		}
		if b.year.v != "" {
			p.issue(r.node, b.node, r.id, "date of birth with both DATE %q and YEAR %q; DATE is used", b.date.v, b.year.v)
		}
	case b.year.v != "":
		y, err := strconv.Atoi(b.year.v)
		d = normalize.DateParts(y, 0, 0, raw)
		if err != nil || d.Precision == "" {
			p.issue(r.node, b.year.n, r.id, "date of birth YEAR %q is not a year; kept as raw text", b.year.v)
		} else if m := normalize.ParseDate(b.note.v + " " + b.year.v); b.note.v != "" && m.Precision == entity.PrecisionMonth {
			// A NOTE that is a month ("Sep.") says which month of YEAR.
			d = m
		}
	default:
		// Only a NOTE: the UN writes some dates there ("April 1963").
		d = normalize.ParseDate(b.note.v)
	}
	d.Raw = raw
	switch typ {
	case "EXACT", "BETWEEN":
	case "APPROXIMATELY":
		d.Approximate = true
	case "":
		p.issue(r.node, b.node, r.id, "date of birth %q without TYPE_OF_DATE; taken as exact", raw)
	default:
		p.issue(r.node, b.typ.n, r.id, "unknown TYPE_OF_DATE %q; taken as exact", b.typ.v)
	}
	if typ == "BETWEEN" && b.from.v == "" && b.to.v == "" {
		p.issue(r.node, b.node, r.id, "date of birth BETWEEN without FROM_YEAR/TO_YEAR (%q)", raw)
	}
	if strings.EqualFold(strings.TrimSuffix(b.note.v, "."), "approximately") {
		d.Approximate = true
	}
	return d, true
}

// mapDocument maps an INDIVIDUAL_DOCUMENT. An empty one (<INDIVIDUAL_DOCUMENT/>,
// printed for every individual without documents) is skipped.
//
// The UN prints two TYPE_OF_DOCUMENTs, "Passport" and "National
// Identification Number" (with French and Spanish spellings of the first),
// the second for every document that is not a passport: what the document
// is, TYPE_OF_DOCUMENT2 and the words printed with the number say
// ("Italian Fiscal Code:", "Birth certificate", "Afghan passport number SE
// 012820"). raw_type joins them and documentType types the document inside
// TYPE_OF_DOCUMENT's class from the most specific of them.
func (p *parser) mapDocument(r *record, d document) (entity.Identifier, bool) {
	fields := [...]string{d.typ.v, d.typ2.v, d.number.v, d.issuingCountry.v, d.issued.v, d.city.v, d.countryOfIssue.v, d.note.v}
	empty := true
	for _, f := range fields {
		empty = empty && f == ""
	}
	if empty {
		return entity.Identifier{}, false
	}
	rawType := d.typ.v
	if !strings.EqualFold(d.typ2.v, d.typ.v) {
		rawType = normalize.JoinNonEmpty(" / ", d.typ.v, d.typ2.v)
	}
	num, from := p.findNumber(r, &d)
	typeText := &d.typ2 // the field printed as TYPE_OF_DOCUMENT2
	if from == &d.number && d.typ2.v == "" && noteNamesType(d.typ.v, d.note.v) {
		// The NOTE says what the document is ("Italian Fiscal Code",
		// un_sc-111806, NUMBER SSDSBN68B10Z352F): a type text as
		// TYPE_OF_DOCUMENT2 would be, so it joins raw_type, from which the
		// normalize pass types again. It stays whole in the note too.
		typeText = &d.note
		rawType = normalize.JoinNonEmpty(" / ", rawType, d.note.v)
	}
	named := from // the field that names the country
	if num.country == "" {
		// TYPE_OF_DOCUMENT2, or a NOTE that names the type, names the
		// country too ("Yemeni identity card number", "Italian Fiscal
		// Code:").
		num.country, num.countryRaw = labelCountry(typeText.v)
		named = typeText
	}
	if from != nil && from != &d.typ2 {
		if l := typeLabel(num); l != "" && !strings.EqualFold(l, d.typ.v) && !strings.EqualFold(l, typeText.v) {
			rawType = normalize.JoinNonEmpty(" / ", rawType, l)
		}
	}
	typ := documentType(d.typ.v, rawType)
	id := entity.Identifier{Raw: d.number.v, RawType: rawType, Country: d.issuingCountry.v}
	value := d.number.v
	if from != nil {
		value = num.number
	}
	id.Type, id.Value, _, _ = normalize.IdentifierOf(r.kind.typ, rawType, typ, "", value)
	var notes []string
	if d.note.v != "" {
		notes = append(notes, d.note.v)
	}
	if from == &d.number && num.tail != "" {
		// What follows the number inside NUMBER ("381110042 (Expired 25
		// Jan. 2016)") is a note on it.
		notes = append(notes, strings.TrimSuffix(strings.TrimPrefix(num.tail, "("), ")"))
	}
	if v := d.issued.v; v != "" {
		if iso, ok := normalize.ISODate(xsdDate(v)); ok {
			id.Issued = iso
		} else {
			p.issue(r.node, d.issued.n, r.id, "DATE_OF_ISSUE %q is not a date; kept in the note", v)
			notes = append(notes, "date of issue: "+v)
		}
	}
	if d.city.v != "" {
		notes = append(notes, "city of issue: "+d.city.v)
	}
	switch {
	case num.country == "":
	case id.Country == "":
		// The state the number's own words name ("Afghan passport
		// number", "Russian foreign travel passport number" issued by a
		// consulate in Egypt): it issued the document, so it goes before
		// COUNTRY_OF_ISSUE, the place. Mapped here, since only the mapping
		// tells it from the other words; the words stay in country_raw.
		id.Country, id.CountryRaw = num.country, num.countryRaw
	default:
		if c, ok := normalize.CountryCode(id.Country); ok && c != num.country {
			p.issue(r.node, named.n, r.id, "document %q names the country %q, ISSUING_COUNTRY %q; the latter is kept", named.v, num.countryRaw, id.Country)
		}
	}
	switch c := d.countryOfIssue.v; {
	case c == "":
	case id.Country == "":
		id.Country = c
	case !strings.EqualFold(c, id.Country) && !(id.CountryRaw != "" && codeOf(c) == id.Country):
		// Unless the number's words named the same country.
		notes = append(notes, "country of issue: "+c)
	}
	id.Note = strings.Join(notes, "; ")
	return id, true
}

// documentType types a document whose TYPE_OF_DOCUMENT is class and whose
// type texts join to rawType. The UN's TYPE_OF_DOCUMENT is a class: every
// document that is not a passport is a "National Identification Number".
// TYPE_OF_DOCUMENT2 and the number's label say what the document is inside
// the class, the most specific first (normalize.IdentifierType): a tax
// code, or an "other" document (birth certificate, ration card, voter ID).
// They do not move a document out of its class: a passport filed under
// National Identification Number is the holder's internal passport, the
// domestic identity document ("national passport", the 5 Russian ones of
// un_sc-6908487 .. 6908493, each printed beside a "Russian foreign travel
// passport" under Passport), so national_id; and a kind of passport
// (service, diplomatic, laissez-passer) stays a passport.
func documentType(class, rawType string) string {
	c, _ := normalize.IdentifierType(class)
	t, _ := normalize.IdentifierType(rawType)
	switch {
	case c == normalize.IDPassport:
		return normalize.IDPassport
	case c == normalize.IDNationalID && t == normalize.IDPassport:
		return normalize.IDNationalID
	case t == "":
		// A document is an identifier even when a label reads like a
		// program note; its raw_type says what was printed.
		return normalize.IDOther
	}
	return t
}

// noteNamesType reports whether note, the NOTE of a document whose NUMBER
// holds the number, is only the name of what the document is, and names a
// type other than its TYPE_OF_DOCUMENT class: no digit (not a date), and
// typed by normalize.IdentifierType as something specific that
// documentType would not undo ("Italian Fiscal Code" under National
// Identification Number; not "expired on 4 Sep. 2010", nor "Personal
// number on passport", which names the passport it is printed in).
func noteNamesType(class, note string) bool {
	if note == "" || strings.ContainsFunc(note, unicode.IsDigit) {
		return false
	}
	c, _ := normalize.IdentifierType(class)
	t, _ := normalize.IdentifierType(note)
	return t != "" && t != normalize.IDOther && t != c && documentType(class, class+" / "+note) == t
}

// codeOf is the ISO code of a country text, "" when it has none.
func codeOf(s string) string {
	c, _ := normalize.CountryCode(s)
	return c
}

// findNumber finds the document number: in NUMBER, or when NUMBER is empty
// in TYPE_OF_DOCUMENT2 ("Afghan national identification card (tazkira)
// number 545167") or the NOTE ("Tunisian passport number L 191609 issued on
// 28 Feb. 1996"), where it must be announced as a number (announcesNumber:
// "issued in 1974" is a date). from is the field it came from, nil when
// none holds a number. A NUMBER without a digit is reported and kept as
// printed.
func (p *parser) findNumber(r *record, d *document) (num docNumber, from *field) {
	if d.number.v != "" {
		if n, ok := splitNumber(d.number.v); ok {
			return n, &d.number
		}
		p.issue(r.node, d.number.n, r.id, "document NUMBER %q has no digit; kept as printed", d.number.v)
		return docNumber{}, nil
	}
	for _, f := range []*field{&d.typ2, &d.note} {
		if n, ok := splitNumber(f.v); ok && announcesNumber(n.label) {
			return n, f
		}
	}
	return docNumber{}, nil
}

// xsdDate drops the time zone of an xsd:date ("2001-01-25-05:00",
// "1990-12-21Z"): the date part is the date.
func xsdDate(s string) string {
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		switch s[10] {
		case '-', '+', 'Z':
			return s[:10]
		}
	}
	return s
}

// hasDate reports whether dates hold d's value, raw text aside.
func hasDate(dates []entity.Date, d entity.Date) bool {
	for _, x := range dates {
		if d.Precision != "" && x.Value == d.Value && x.Precision == d.Precision &&
			x.From == d.From && x.To == d.To && x.Approximate == d.Approximate {
			return true
		}
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7f {
			return true
		}
	}
	return false
}

package eu

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Identifier types, as the other sources spell them.
const (
	idPassport     = "passport"
	idNationalID   = "national_id"
	idTax          = "tax_id"
	idRegistration = "registration_number"
	idSwift        = "swift_bic"
	idIMO          = "imo"
	idPhone        = "phone"
	idEmail        = "email"
	idWebsite      = "website"
	idOther        = "other"
)

// RawType of the entity's own reference numbers.
const (
	rawTypeEURef = "EU reference number"
	rawTypeUNRef = "UN reference number"
)

// idTypes maps identificationTypeCode (lower case) to an identifier type.
// The codes are those the publication uses (the OpenSanctions crawler's
// list of the codes seen in the real file); a code not listed becomes
// "other" with an issue.
var idTypes = map[string]string{
	"passport":   idPassport,
	"id":         idNationalID,
	"nrn":        idNationalID, // national register number
	"ssn":        idNationalID, // social security number
	"fiscalcode": idTax,
	"regnumber":  idRegistration,
	"swiftbic":   idSwift,
	"imo":        idIMO,
	// Documents the schema has no type for.
	"other":          idOther,
	"tradelic":       idOther,
	"birthcert":      idOther,
	"nationcert":     idOther,
	"travelcardid":   idOther,
	"electionid":     idOther,
	"residentperm":   idOther,
	"drivinglicence": idOther,
}

// mapper turns records into entities. It keeps no set of the logicalIds
// met: the pipeline drops repeated ids after sorting, keeping the record
// parsed first.
type mapper struct {
	file   string
	issues *sources.Issues
	// scratch
	remarks []remark
}

func newMapper(file string, issues *sources.Issues) *mapper {
	return &mapper{file: file, issues: issues}
}

func (m *mapper) issue(line int, record, format string, args ...any) {
	m.issues.Addf(m.file, line, record, format, args...)
}

// build maps r; nil when r cannot make an entity (the issue is recorded).
func (m *mapper) build(r *record) *entity.Entity {
	rid := strings.TrimSpace(r.logicalID)
	n, err := strconv.Atoi(rid)
	if err != nil || n <= 0 {
		m.issue(r.line, r.logicalID, "logicalId %q is not a positive integer; record skipped", r.logicalID)
		return nil
	}
	id := strconv.Itoa(n)
	primary := primaryName(r.names)
	if primary < 0 {
		m.issue(r.line, id, "sanctionEntity without a name; record skipped")
		return nil
	}
	e := &entity.Entity{
		ID:       entity.MakeID(Name, id),
		Source:   Name,
		SourceID: id,
		Type:     m.entityType(r, id),
	}
	m.names(e, r, primary, id)
	for _, c := range r.citizenships {
		code, raw := m.country(c.code, c.desc, c.line, id, "citizenship")
		if code != "" || raw != "" {
			e.Citizenships = append(e.Citizenships, entity.Country{Code: code, Raw: raw})
		}
		if v := normalize.Text(c.region); v != "" {
			m.issue(c.line, id, "citizenship region %q not mapped (the schema's country has no region)", v)
		}
	}
	for i := range r.births {
		m.birth(e, &r.births[i], id)
	}
	for i := range r.ids {
		m.identification(e, &r.ids[i], id)
	}
	for i := range r.addresses {
		m.address(e, &r.addresses[i], id)
	}
	for _, g := range r.regulations {
		if p := normalize.Text(g.programme); p != "" {
			e.Programs = append(e.Programs, p)
		}
	}
	if v := normalize.Text(r.euRef); v != "" {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idOther, Value: v, Raw: v, RawType: rawTypeEURef})
	}
	if v := normalize.Text(r.unID); v != "" {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idOther, Value: v, Raw: v, RawType: rawTypeUNRef})
	}
	e.ListedOn = m.listedOn(r, id)
	e.Remarks = m.remarkText(r)
	return e
}

// entityType maps subjectType: code person/enterprise, classificationCode
// P/E. A missing or unknown subject type gives unknown with an issue.
func (m *mapper) entityType(r *record, id string) entity.Type {
	code, class := normalize.Text(r.subjectCode), normalize.Text(r.subjectClass)
	if !r.hasSubject || (code == "" && class == "") {
		m.issue(r.line, id, "no subjectType; type unknown")
		return entity.Unknown
	}
	byCode, okCode := subjectCodes[strings.ToLower(code)]
	byClass, okClass := subjectClasses[strings.ToUpper(class)]
	switch {
	case okCode && okClass && byCode != byClass:
		m.issue(r.line, id, "subjectType code %q and classificationCode %q disagree; code taken", code, class)
		return byCode
	case okCode:
		if class != "" && !okClass {
			m.issue(r.line, id, "unknown subjectType classificationCode %q", class)
		}
		return byCode
	case okClass && code == "":
		return byClass
	}
	m.issue(r.line, id, "unknown subjectType code %q (classificationCode %q); type unknown", code, class)
	return entity.Unknown
}

var subjectCodes = map[string]entity.Type{"person": entity.Person, "enterprise": entity.Organization}

var subjectClasses = map[string]entity.Type{"P": entity.Person, "E": entity.Organization}

// primaryName picks the entity's primary name among its nameAlias
// elements, the same way whatever order they come in: the strong names
// whose nameLanguage is empty or the regulation language first, then the
// other strong names, then weak ones; within a group, the lowest nameAlias
// logicalId (the name recorded first), then the first in document order.
// It returns -1 when no alias has a whole name or name parts.
func primaryName(names []nameAlias) int {
	best := -1
	var bestKey [2]int
	for i := range names {
		n := &names[i]
		if aliasValue(n) == "" {
			continue
		}
		tier := 2
		if !isFalse(n.strong) {
			tier = 1
			lang := strings.TrimSpace(n.lang)
			if lang == "" || strings.EqualFold(lang, strings.TrimSpace(n.regLang)) {
				tier = 0
			}
		}
		lid, err := strconv.Atoi(strings.TrimSpace(n.logicalID))
		if err != nil || lid <= 0 {
			lid = math.MaxInt
		}
		key := [2]int{tier, lid}
		if best < 0 || key[0] < bestKey[0] || (key[0] == bestKey[0] && key[1] < bestKey[1]) {
			best, bestKey = i, key
		}
	}
	return best
}

// aliasValue is the name a nameAlias prints: wholeName, or its parts
// joined when wholeName is empty.
func aliasValue(n *nameAlias) string {
	if v := normalize.Text(n.whole); v != "" {
		return v
	}
	return normalize.Text(strings.Join([]string{n.first, n.middle, n.last}, " "))
}

func (m *mapper) names(e *entity.Entity, r *record, primary int, id string) {
	genders := map[string]bool{}
	for i := range r.names {
		n := &r.names[i]
		value := aliasValue(n)
		if value == "" {
			m.issue(n.line, id, "nameAlias %s without a name; skipped", n.logicalID)
			continue
		}
		kind := entity.KindAlias
		switch {
		case i == primary:
			kind = entity.KindPrimary
			e.Name = value
		case isFalse(n.strong):
			kind = entity.KindWeakAlias
		case !isTrue(n.strong) && strings.TrimSpace(n.strong) != "":
			m.issue(n.line, id, "nameAlias strong=%q is not true or false; taken as strong", n.strong)
		}
		nm := normalize.Name(value, kind)
		if lang := strings.TrimSpace(n.lang); lang != "" {
			if isLetters(lang, 2) {
				nm.Lang = strings.ToLower(lang)
			} else {
				m.issue(n.line, id, "nameLanguage %q is not a two-letter code; not set", lang)
			}
		}
		given, middle, family := normalize.Text(n.first), normalize.Text(n.middle), normalize.Text(n.last)
		if given != "" || middle != "" || family != "" {
			nm.Parts = &entity.NameParts{Given: given, Middle: middle, Family: family}
		}
		e.Names = append(e.Names, nm)
		if t := normalize.Text(n.title); t != "" {
			e.Titles = append(e.Titles, t)
		}
		if f := normalize.Text(n.fn); f != "" {
			e.Positions = append(e.Positions, f)
		}
		switch g := strings.ToUpper(normalize.Text(n.gender)); g {
		case "":
		case "M", "F":
			gender := map[string]string{"M": "male", "F": "female"}[g]
			genders[gender] = true
			if i == primary {
				e.Gender = gender
			}
		default:
			m.issue(n.line, id, "gender %q is not M or F; not mapped", n.gender)
		}
	}
	if len(genders) > 1 {
		m.issue(r.line, id, "names give different genders; the primary name's is kept")
	}
	if e.Gender == "" {
		// The primary name has none: the least of the others'.
		for _, g := range []string{"female", "male"} {
			if genders[g] {
				e.Gender = g
				break
			}
		}
	}
}

// country returns an element's ISO code and description. "00" (and "")
// mean unknown: no code. A code that is not two letters is an issue.
func (m *mapper) country(code, desc string, line int, id, what string) (string, string) {
	code, raw := strings.TrimSpace(code), normalize.Text(desc)
	switch {
	case code == "" || code == "00":
		return "", raw
	case isLetters(code, 2):
		return strings.ToUpper(code), raw
	}
	m.issue(line, id, "%s countryIso2Code %q is not a two-letter code; no code set", what, code)
	return "", raw
}

// knownCountry returns a country description worth printing in a place
// ("UNKNOWN" is not).
func knownCountry(code, desc string) string {
	desc = normalize.Text(desc)
	if strings.TrimSpace(code) == "00" || strings.EqualFold(desc, "UNKNOWN") {
		return ""
	}
	return desc
}

// place cleans a place field: "-" is the publication's null.
func place(s string) string {
	s = normalize.Text(s)
	if s == "-" {
		return ""
	}
	return s
}

func (m *mapper) birth(e *entity.Entity, b *birthdate, id string) {
	if d, ok := m.birthDate(b, id); ok {
		e.BirthDates = append(e.BirthDates, d)
	}
	if p := normalize.JoinNonEmpty(", ", place(b.place), place(b.city), place(b.zip), place(b.region), knownCountry(b.code, b.desc)); p != "" {
		e.BirthPlaces = append(e.BirthPlaces, p)
	}
	// The code is only checked: the place prints the description.
	m.country(b.code, b.desc, b.line, id, "birthdate")
}

// birthDate reads the full date (birthdate), else the parts (year,
// monthOfYear, dayOfMonth), else the year range; circa makes it
// approximate. A calendar other than Gregorian keeps the raw text only.
func (m *mapper) birthDate(b *birthdate, id string) (entity.Date, bool) {
	date := normalize.Text(b.date)
	year, month, day := normalize.Text(b.year), normalize.Text(b.month), normalize.Text(b.day)
	from, to := normalize.Text(b.rangeFrom), normalize.Text(b.rangeTo)
	raw := date
	if raw == "" {
		raw = normalize.JoinNonEmpty("-", year, month, day)
	}
	if raw == "" {
		switch {
		case from != "" && to != "":
			raw = from + " to " + to
		case from != "":
			raw = "from " + from
		case to != "":
			raw = "to " + to
		}
	}
	if raw == "" {
		return entity.Date{}, false
	}
	circa := isTrue(b.circa)
	if b.circa != "" && !circa && !isFalse(b.circa) {
		m.issue(b.line, id, "birthdate circa=%q is not true or false", b.circa)
	}
	if cal := normalize.Text(b.calendar); cal != "" && !strings.EqualFold(cal, "GREGORIAN") {
		m.issue(b.line, id, "birth date %q in calendar %q: kept as raw text only", raw, cal)
		return entity.Date{Raw: raw, Approximate: circa}, true
	}
	var d entity.Date
	switch {
	case date != "":
		d = normalize.ParseDate(date)
		if d.Precision != "" && year != "" && !strings.HasPrefix(d.Value, fmt.Sprintf("%04s", year)) {
			m.issue(b.line, id, "birthdate %q and year %q disagree; birthdate taken", date, year)
		}
		if d.Precision == "" && year != "" {
			d = m.dateParts(year, month, day, raw)
		}
	case year != "":
		d = m.dateParts(year, month, day, raw)
	default:
		f, err1 := strconv.Atoi(from)
		t, err2 := strconv.Atoi(to)
		if from == "" {
			f, err1 = t, err2
		}
		if to == "" {
			t, err2 = f, err1
		}
		if err1 == nil && err2 == nil {
			d = normalize.YearRange(f, t, raw)
		} else {
			d = entity.Date{Raw: raw}
		}
	}
	if d.Precision == "" {
		d.Raw = raw
		m.issue(b.line, id, "birth date %q not understood; kept as raw text", raw)
	}
	d.Approximate = circa
	return d, true
}

func (m *mapper) dateParts(year, month, day, raw string) entity.Date {
	y, err := strconv.Atoi(year)
	if err != nil {
		return entity.Date{Raw: raw}
	}
	mo, _ := strconv.Atoi(month)
	dd, _ := strconv.Atoi(day)
	return normalize.DateParts(y, mo, dd, raw)
}

// flags of an identification, in the order the note prints them; invalid
// ones mean the document cannot be relied on.
var idFlags = []struct {
	name    string
	note    string
	invalid bool
	get     func(*identification) string
}{
	{"diplomatic", "diplomatic", false, func(i *identification) string { return i.diplomatic }},
	{"knownExpired", "known expired", true, func(i *identification) string { return i.knownExpired }},
	{"knownFalse", "known false", true, func(i *identification) string { return i.knownFalse }},
	{"reportedLost", "reported lost", true, func(i *identification) string { return i.reportedLost }},
	{"revokedByIssuer", "revoked by issuer", true, func(i *identification) string { return i.revoked }},
}

func (m *mapper) identification(e *entity.Entity, d *identification, id string) {
	number, latin := normalize.Text(d.number), normalize.Text(d.latinNumber)
	if number == "" && latin == "" {
		m.issue(d.line, id, "identification %s without a number; skipped", d.logicalID)
		return
	}
	code := normalize.Text(d.typeCode)
	typ, ok := idTypes[strings.ToLower(code)]
	if !ok {
		typ = idOther
		m.issue(d.line, id, "unknown identificationTypeCode %q (%s); taken as other", code, normalize.Text(d.typeDesc))
	}
	raw := number
	if raw == "" {
		raw = latin
	}
	value := raw
	if latin != "" {
		value = latin
	}
	rawType := normalize.Text(d.typeDesc)
	if rawType == "" {
		rawType = code
	}
	country, desc := m.country(d.code, d.desc, d.line, id, "identification")
	ident := entity.Identifier{Type: typ, Raw: raw, RawType: rawType, Country: country}
	ident.Value, ident.Type = idValue(typ, value)
	if ident.Type != typ {
		m.issue(d.line, id, "IMO number %q is not 7 digits; taken as other", value)
	}
	var note []string
	if v := normalize.Text(d.issuedBy); v != "" {
		note = append(note, "issued by "+v)
	}
	if v := normalize.Text(d.nameOnDocument); v != "" {
		note = append(note, "name on document: "+v)
	}
	if v := normalize.Text(d.region); v != "" {
		note = append(note, "region: "+v)
	}
	if country == "" {
		if v := knownCountry(d.code, desc); v != "" {
			note = append(note, "country: "+v)
		}
	}
	ident.Issued, note = m.idDate(d.issued, "issued", note, d.line, id)
	var from string
	from, note = m.idDate(d.validFrom, "valid from", note, d.line, id)
	if from != "" && from != ident.Issued {
		note = append(note, "valid from "+from)
	}
	ident.Expires, note = m.idDate(d.validTo, "valid to", note, d.line, id)
	for _, f := range idFlags {
		v := f.get(d)
		switch {
		case isTrue(v):
			note = append(note, f.note)
			if f.invalid {
				ident.Valid = new(false)
			}
		case v != "" && !isFalse(v):
			m.issue(d.line, id, "identification %s=%q is not true or false", f.name, v)
		}
	}
	for _, r := range d.remarks {
		if v := normalize.Text(r); v != "" {
			note = append(note, v)
		}
	}
	ident.Note = strings.Join(note, "; ")
	e.Identifiers = append(e.Identifiers, ident)
}

// idDate reads an identification date; one that is not a date goes into
// the note as printed, with an issue.
func (m *mapper) idDate(s, what string, note []string, line int, id string) (string, []string) {
	s = normalize.Text(s)
	if s == "" {
		return "", note
	}
	if v, ok := normalize.ISODate(s); ok {
		return v, note
	}
	m.issue(line, id, "identification %s date %q not understood; kept in the note", what, s)
	return "", append(note, what+" "+s)
}

// idValue normalizes a document number for matching; an IMO number that
// is not 7 digits becomes an "other" identifier.
func idValue(typ, v string) (string, string) {
	switch typ {
	case idPassport, idNationalID, idTax, idRegistration:
		return strings.ToUpper(v), typ
	case idSwift:
		return strings.ToUpper(strings.ReplaceAll(v, " ", "")), typ
	case idIMO:
		digits := strings.ReplaceAll(strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(v), "IMO")), " ", "")
		if len(digits) == 7 && isDigits(digits) {
			return digits, typ
		}
		return v, idOther
	case idEmail:
		return strings.ToLower(v), typ
	}
	return v, typ
}

func (m *mapper) address(e *entity.Entity, a *address, id string) {
	code, desc := m.country(a.code, a.desc, a.line, id, "address")
	street, city, region, zip := place(a.street), place(a.city), place(a.region), place(a.zip)
	full := normalize.JoinNonEmpty(", ", street, place(a.poBox), place(a.place), city, zip, region, knownCountry(a.code, desc))
	switch {
	case isTrue(a.asAt):
		if full != "" {
			full += " (as at listing time)"
		}
	case a.asAt != "" && !isFalse(a.asAt):
		m.issue(a.line, id, "address asAtListingTime=%q is not true or false", a.asAt)
	}
	if full != "" || code != "" || desc != "" {
		e.Addresses = append(e.Addresses, entity.Address{
			Full: full, Street: street, City: city, Region: region, PostalCode: zip,
			Country: code, CountryRaw: desc,
		})
	}
	for _, c := range a.contacts {
		m.contact(e, c, id)
	}
	if t := normalize.Text(a.contactText); t != "" {
		for _, c := range splitContacts(t) {
			if c.key == "" {
				m.issue(a.line, id, "Address_ContactInfo %q has no PHONE, FAX, EMAIL or WEB key; kept as other", c.value)
			}
			c.line = a.line
			m.contact(e, c, id)
		}
	}
}

// contact maps a contactInfo (key PHONE, FAX, EMAIL, WEB) to an
// identifier: the schema has no contact field.
func (m *mapper) contact(e *entity.Entity, c contact, id string) {
	value := normalize.Text(c.value)
	if value == "" {
		return
	}
	key := normalize.Text(c.key)
	ident := entity.Identifier{Value: value, Raw: value, RawType: key}
	switch strings.ToUpper(key) {
	case "PHONE":
		ident.Type = idPhone
	case "FAX":
		ident.Type, ident.Note = idPhone, "fax"
	case "EMAIL":
		ident.Type, ident.Value = idEmail, strings.ToLower(value)
	case "WEB":
		ident.Type = idWebsite
	case "":
		ident.Type, ident.RawType = idOther, "contact info"
	default:
		ident.Type = idOther
		m.issue(c.line, id, "unknown contactInfo key %q; taken as other", key)
	}
	e.Identifiers = append(e.Identifiers, ident)
}

// contactKeys are the contactInfo keys the publication uses.
var contactKeys = []string{"PHONE", "FAX", "EMAIL", "WEB"}

// splitContacts splits the CSV's Address_ContactInfo text at the keys it
// prints ("PHONE: 497 92 63", "PHONE 1 | FAX 2"): a key is one of
// contactKeys at the start or after a space or separator. Text before the
// first key has no key.
func splitContacts(s string) []contact {
	type at struct{ pos, end int }
	var keys []at
	for i := 0; i < len(s); i++ {
		if i > 0 && !strings.ContainsRune(" ;,|", rune(s[i-1])) {
			continue
		}
		for _, k := range contactKeys {
			if strings.HasPrefix(s[i:], k) {
				keys = append(keys, at{i, i + len(k)})
				i += len(k) - 1
				break
			}
		}
	}
	var out []contact
	trim := func(v string) string { return strings.Trim(v, " ;,|:=") }
	if len(keys) == 0 || keys[0].pos > 0 {
		end := len(s)
		if len(keys) > 0 {
			end = keys[0].pos
		}
		if v := trim(s[:end]); v != "" {
			out = append(out, contact{value: v})
		}
	}
	for i, k := range keys {
		end := len(s)
		if i+1 < len(keys) {
			end = keys[i+1].pos
		}
		out = append(out, contact{key: s[k.pos:k.end], value: trim(s[k.end:end])})
	}
	return out
}

// listedOn is designationDate when the entity has one. Otherwise it is
// the earliest publicationDate among the entity's regulations and the
// regulations its parts cite (regulationSummary): the first publication
// the file links to this entry.
func (m *mapper) listedOn(r *record, id string) string {
	if s := normalize.Text(r.designationDate); s != "" {
		if v, ok := normalize.ISODate(s); ok {
			return v
		}
		m.issue(r.line, id, "designationDate %q is not a date", s)
	}
	earliest := ""
	consider := func(s string) {
		if v, ok := normalize.ISODate(s); ok && (earliest == "" || v < earliest) {
			earliest = v
		}
	}
	for _, g := range r.regulations {
		consider(g.published)
	}
	for _, c := range r.commons() {
		for _, d := range c.regDates {
			consider(d)
		}
	}
	return earliest
}

// commons returns the common part of every child but regulation, in the
// order remarks are printed: names, birth dates, citizenships,
// identifications, addresses.
func (r *record) commons() []*common {
	var out []*common
	for i := range r.names {
		out = append(out, &r.names[i].common)
	}
	for i := range r.births {
		out = append(out, &r.births[i].common)
	}
	for i := range r.citizenships {
		out = append(out, &r.citizenships[i].common)
	}
	for i := range r.ids {
		out = append(out, &r.ids[i].common)
	}
	for i := range r.addresses {
		out = append(out, &r.addresses[i].common)
	}
	return out
}

// remark is one remark with its place in the remarks text.
type remark struct {
	rank int // 0 entity, 1 designation details, 2 names, 3 birth dates, 4 citizenships, 5 addresses
	lid  int // the element's logicalId
	text string
}

// remarkText joins, with " | ", the entity's remarks (as published), its
// designationDetails, then the remarks of its names, birth dates,
// citizenships and addresses, each group ordered by the element's
// logicalId (so that both formats give the same text). Identification
// remarks go into the identifier's note. Repeated texts are printed once.
func (m *mapper) remarkText(r *record) string {
	rs := m.remarks[:0]
	for _, t := range r.remarks {
		rs = append(rs, remark{rank: 0, text: normalize.Text(t)})
	}
	if v := normalize.Text(r.designationDetails); v != "" {
		rs = append(rs, remark{rank: 1, text: "Designation details: " + v})
	}
	add := func(rank int, c *common) {
		lid, err := strconv.Atoi(strings.TrimSpace(c.logicalID))
		if err != nil {
			lid = 0
		}
		for _, t := range c.remarks {
			rs = append(rs, remark{rank: rank, lid: lid, text: normalize.Text(t)})
		}
	}
	for i := range r.names {
		add(2, &r.names[i].common)
	}
	for i := range r.births {
		add(3, &r.births[i].common)
	}
	for i := range r.citizenships {
		add(4, &r.citizenships[i].common)
	}
	for i := range r.addresses {
		add(5, &r.addresses[i].common)
	}
	// Entity remarks keep their order; the others sort.
	slices.SortStableFunc(rs, func(a, b remark) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 || a.rank == 0 {
			return c
		}
		if c := cmp.Compare(a.lid, b.lid); c != 0 {
			return c
		}
		return strings.Compare(a.text, b.text)
	})
	m.remarks = rs
	var b strings.Builder
	seen := map[string]bool{}
	for _, x := range rs {
		if x.text == "" || seen[x.text] {
			continue
		}
		seen[x.text] = true
		if b.Len() > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(x.text)
	}
	return b.String()
}

func isTrue(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "true") || s == "1"
}

func isFalse(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "false") || s == "0"
}

// isLetters reports whether s is n ASCII letters.
func isLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

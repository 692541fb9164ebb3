package ofac

import (
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// builder fills one entity. The XML and the CSV parser call the same
// methods for the same published fact, so that both formats give equal
// values: the XML from its elements, the CSV from its columns and from the
// facts it prints inside Remarks (see remarks.go).
type builder struct {
	e        *entity.Entity
	vessel   entity.VesselInfo
	aircraft entity.AircraftInfo
	// unparsed collects remarks fragments no label reads; they stay in
	// remarks and are counted for the manifest's coverage.
	unparsed *remarkStats
}

// remarkStats counts the remarks fragments of one parse that no label
// reads, with the first few as examples.
type remarkStats struct {
	count    int
	examples [5]sources.RemarkExample
	n        int
}

func (r *remarkStats) add(frag, entityID string) {
	if r == nil {
		return
	}
	r.count++
	if r.n < len(r.examples) {
		r.examples[r.n] = sources.RemarkExample{Value: frag, Count: 1, Entity: entityID}
		r.n++
	}
}

// fill records the counts in meta.
func (r *remarkStats) fill(meta *sources.Meta) {
	meta.RemarksUnparsed = r.count
	meta.UnparsedRemarks = r.examples
}

func newBuilder(source, uid string, typ entity.Type) *builder {
	return &builder{e: &entity.Entity{
		ID:       entity.MakeID(source, uid),
		Source:   source,
		SourceID: uid,
		Type:     typ,
	}}
}

// entityType maps the XML sdnType and the CSV SDN_Type (null for an
// entity) to a Type.
func entityType(s string) (entity.Type, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "individual":
		return entity.Person, true
	case "entity", "":
		return entity.Organization, true
	case "vessel":
		return entity.Vessel, true
	case "aircraft":
		return entity.Aircraft, true
	}
	return entity.Unknown, false
}

// primaryName sets the name as published ("LAST, First" for persons) and
// the primary names[] entry; family and given are used for persons only.
func (b *builder) primaryName(name, family, given string) {
	b.e.Name = normalize.Text(name)
	b.name(name, entity.KindPrimary, family, given)
}

func (b *builder) name(value, kind, family, given string) {
	n := normalize.Name(value, kind)
	if n.Value == "" {
		return
	}
	if b.e.Type == entity.Person && kind != entity.KindWeakAlias {
		family, given = normalize.Text(family), normalize.Text(given)
		if family != "" || given != "" {
			n.Parts = &entity.NameParts{Family: family, Given: given}
		}
	}
	b.e.Names = append(b.e.Names, n)
}

// aliasKind maps the XML aka type ("a.k.a.") and the CSV alt_type ("aka")
// to a name kind.
func aliasKind(typ string) (string, bool) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typ), ".", "")) {
	case "aka", "nka":
		return entity.KindAlias, true
	case "fka":
		return entity.KindFormer, true
	}
	return entity.KindAlias, false
}

// alias adds a strong alias. Persons' aliases are "LAST, First" like the
// primary name.
func (b *builder) alias(value, kind, family, given string) {
	b.name(value, kind, family, given)
}

// weakAlias adds a low-quality a.k.a.: category weak in the XML, a quoted
// a.k.a. 'X' in the CSV's remarks. Its text is not split into parts.
func (b *builder) weakAlias(value string) {
	b.name(value, entity.KindWeakAlias, "", "")
}

func (b *builder) program(p string) {
	if p = normalize.Text(strings.Trim(strings.TrimSpace(p), "[]")); p != "" {
		b.e.Programs = append(b.e.Programs, p)
	}
}

// titles adds the title element or column; several titles are printed
// joined by "; ".
func (b *builder) titles(t string) {
	for part := range strings.SplitSeq(t, "; ") {
		if part = normalize.Text(part); part != "" {
			b.e.Titles = append(b.e.Titles, part)
		}
	}
}

// address adds an address from the form both formats can give: street is
// the XML address1..3 joined by ", " (the CSV Address column), cityLine the
// XML city, stateOrProvince and postalCode joined as the CSV prints them in
// its one City/State/Province/Postal Code column (see cityLine). The CSV
// joins them ambiguously, so city, region and postal code stay empty
// here; the XML parsers fill them from their elements (buildEntry), and
// full keeps the whole text in every format.
func (b *builder) address(street, cityLine, country string) {
	street, cityLine, country = normalize.Text(street), normalize.Text(cityLine), normalize.Text(country)
	if street == "" && cityLine == "" && country == "" {
		return
	}
	full := street
	for _, p := range [...]string{cityLine, country} {
		if p == "" {
			continue
		}
		if full != "" {
			full += ", "
		}
		full += p
	}
	b.e.Addresses = append(b.e.Addresses, entity.Address{Full: full, Street: street, CountryRaw: country})
}

// cityLine joins the XML city, stateOrProvince and postalCode the way the
// legacy CSV prints them: "Rome, RM 00187", "Tehran 11365", "Gaza".
func cityLine(city, state, postal string) string {
	s := city
	if state != "" {
		if s != "" {
			s += ", "
		}
		s += state
	}
	if postal != "" {
		if s != "" {
			s += " "
		}
		s += postal
	}
	return s
}

// vesselColumns sets what the CSV columns and the XML vesselInfo print.
// Tonnages lose their thousands separators (the CSV prints "99,144", the
// XML "99144").
func (b *builder) vesselColumns(callSign, typ, tonnage, grossTons, flag, owner string) {
	v := &b.vessel
	v.CallSign = normalize.Text(callSign)
	v.Type = normalize.Text(typ)
	v.Tonnage = normalize.Text(strings.ReplaceAll(tonnage, ",", ""))
	v.GrossTons = normalize.Text(strings.ReplaceAll(grossTons, ",", ""))
	v.Flag = normalize.Text(flag)
	v.Owner = normalize.Text(owner)
}

// fact adds one published fact under label l: an XML id or list item, or a
// fragment of the CSV's remarks. For identifiers, value is the number and
// country, issued and expires the document's details.
func (b *builder) fact(l label, value, country, issued, expires string) {
	value = normalize.Text(value)
	if value == "" {
		return
	}
	switch l.kind {
	case factDOB:
		b.e.BirthDates = append(b.e.BirthDates, parseDate(value))
	case factPOB:
		b.e.BirthPlaces = append(b.e.BirthPlaces, value)
	case factNationality:
		b.e.Nationalities = append(b.e.Nationalities, entity.Country{Raw: value})
	case factCitizenship:
		b.e.Citizenships = append(b.e.Citizenships, entity.Country{Raw: value})
	case factGender:
		keepLeast(&b.e.Gender, strings.ToLower(value))
	case factAircraftModel:
		keepLeast(&b.aircraft.Model, value)
	case factAircraftOperator:
		keepLeast(&b.aircraft.Operator, value)
	case factAircraftBuilt:
		keepLeast(&b.aircraft.BuiltDate, isoDate(value))
	case factVesselYear:
		keepLeast(&b.vessel.YearBuilt, value)
	case factWeakAlias:
		b.weakAlias(value)
	case factLinkedTo:
		b.e.Relations = append(b.e.Relations, entity.Relation{Type: "linked_to", TargetName: value})
	case factID:
		switch l.text {
		case "Former Vessel Flag":
			b.vessel.FormerFlags = append(b.vessel.FormerFlags, value)
		case "Other Vessel Flag":
			b.vessel.OtherFlags = append(b.vessel.OtherFlags, value)
		}
		id := makeIdentifier(l, value, country, issued, expires)
		switch id.Type {
		case idAircraftSN:
			keepLeast(&b.aircraft.SerialNumber, id.Value)
		case idAircraftTail:
			keepLeast(&b.aircraft.TailNumber, id.Value)
		case idIMO:
			keepLeast(&b.vessel.IMO, id.Value)
		case idMMSI:
			keepLeast(&b.vessel.MMSI, id.Value)
		}
		b.e.Identifiers = append(b.e.Identifiers, id)
	}
}

// keepLeast keeps the smallest of the values a single-valued field is given,
// so that the result does not depend on the order facts arrive in (the XML
// and the CSV print them in different orders). Every value also stays in
// identifiers or remarks.
func keepLeast(dst *string, v string) {
	if v != "" && (*dst == "" || v < *dst) {
		*dst = v
	}
}

// makeIdentifier builds an identifier: Type from the label, Value
// normalized for matching, Raw the published number, RawType the label.
func makeIdentifier(l label, number, country, issued, expires string) entity.Identifier {
	number = normalize.Text(number)
	raw := number
	// "HRB 770549 (Stuttgart)" with country Germany: the place is no part
	// of the number (only raw keeps it).
	number, place := splitPlace(number)
	id := entity.Identifier{
		Type:    l.idType,
		Value:   number,
		Raw:     raw,
		RawType: l.text,
		Country: normalize.Text(country),
		Issued:  isoDate(normalize.Text(issued)),
		Expires: isoDate(normalize.Text(expires)),
	}
	switch l.idType {
	case idIMO:
		// "Vessel Registration Identification" is an IMO number only when
		// printed as "IMO nnnnnnn".
		if digits, ok := strings.CutPrefix(number, "IMO "); ok && len(digits) == 7 && isDigits(digits) {
			id.Value = digits
		} else {
			id.Type = idOther
		}
	case idPassport, idNationalID, idTax, idRegistration, idAircraftSN, idAircraftTail, idMMSI:
		id.Value = strings.ToUpper(number)
	case idSwift:
		id.Value = strings.ToUpper(strings.ReplaceAll(number, " ", ""))
	case idEmail:
		id.Value = strings.ToLower(number)
	case idCrypto:
		id.Note = strings.TrimPrefix(l.text, cryptoPrefix)
	}
	if id.Country != "" && !isCountryText(id.Country) {
		// The bracket after the number names no country: for Colombian
		// registers OFAC prints there the city of the chamber of commerce
		// or office ("Matricula Mercantil No 30401904 (Medellin)", SDN
		// uid 16352). OFAC does not say what the bracket means, so it
		// goes to the note as printed, and the country is set only where
		// the register itself belongs to one country.
		id.Note = joinNote(id.Note, id.Country)
		id.Country = registerCountry[l.text]
	}
	if place != "" {
		id.Note = joinNote(id.Note, place)
	}
	return id
}

// splitPlace cuts a place printed in brackets after a number: "HRB 770549
// (Stuttgart)" (a registry court's city), "10328 (Jalisco)" (a Mexican
// state's registry), "0005657373 (North Dakota)". OFAC prints it when the
// country bracket follows ("Registration Number HRB 770549 (Stuttgart)
// (Germany)", SDN.CSV 2024-05-02 uid 44198), so the place stays inside
// the number. Only a code (a digit, no lower-case letter) before a bracket
// that looks like a name and is no country is cut: "G563542(9)", "China
// Unicom (Hong Kong) Limited" and "1026303117642 (Russia)" stay whole.
func splitPlace(n string) (number, place string) {
	i := strings.LastIndex(n, " (")
	if i < 0 || !strings.HasSuffix(n, ")") {
		return n, ""
	}
	code, inner := n[:i], n[i+2:len(n)-1]
	if !strings.ContainsAny(code, "0123456789") || strings.ContainsFunc(code, func(r rune) bool { return r >= 'a' && r <= 'z' }) || strings.ContainsAny(code, "()") {
		return n, ""
	}
	if !looksLikeCountry(inner) || isCountryText(inner) {
		return n, ""
	}
	return code, inner
}

// registerCountry gives the ISO 3166-1 code of the one country whose
// register a label names, for an identifier whose bracket is a place, not
// a country. Matricula Mercantil is the entry in Colombia's commercial
// register, the registro mercantil the chambers of commerce keep (Código
// de Comercio, Decreto 410 de 1971, arts. 19, 26 and 27). The places OFAC
// prints after it (Medellin, Cali, Bogota, Manizales, Aburra Sur, Uraba)
// are seats of Colombian chambers of commerce. Where OFAC prints a country
// after this label it is Colombia, except once Mexico (uid 11702, "(Mexico)"
// printed, so never inferred); the printed country always wins.
var registerCountry = map[string]string{
	"Matricula Mercantil No": "CO",
}

// joinNote adds s to a note, unless the note already holds it.
func joinNote(note, s string) string {
	switch {
	case note == "":
		return s
	case strings.Contains(note, s):
		return note
	}
	return note + "; " + s
}

// finish returns the entity with its remarks.
func (b *builder) finish(remarks string) *entity.Entity {
	e := b.e
	e.Remarks = normalize.Text(remarks)
	if !b.vessel.IsZero() {
		v := b.vessel
		e.Vessel = &v
	}
	if b.aircraft != (entity.AircraftInfo{}) {
		a := b.aircraft
		e.Aircraft = &a
	}
	return e
}

// isCountryText reports whether s names a country, possibly qualified
// ("possibly Palestinian"), as normalize reads country texts.
func isCountryText(s string) bool {
	if _, ok := normalize.CountryCode(s); ok {
		return true
	}
	_, _, ok := normalize.CountryQualified(s)
	return ok
}

package uk

import (
	"slices"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// designation is one designation as published, with every value cleaned
// (normalize.Text) and repeated values dropped. The XML parser fills it
// from one <Designation>, the CSV parser from the rows of one Unique ID,
// which may repeat a value on many rows: dropping repeats keeps both
// formats equal and the memory bounded by the designation's own size.
type designation struct {
	line int // of the <Designation> element or the first CSV row

	uid, groupID, unRef        string
	designated                 string // dd/mm/yyyy
	regime, kind, origin       string // RegimeName, IndividualEntityShip, DesignationSource
	imposed, other, reasons    string // SanctionsImposed, OtherInformation, UKStatementofReasons
	names                      []nameRec
	nonLatin                   []nonLatinRec
	titles                     []string
	addresses                  []addressRec
	phones, emails, websites   []string
	dobs, nationalities        []string
	positions, genders         []string
	births                     []birthRec
	passports, nationalIDs     []docRec
	entityTypes, regNumbers    []string
	subsidiaries, parents      []string
	imos, owners, prevOwners   []string
	flags, prevFlags           []string
	shipTypes, tonnages        []string
	lengths, yearsBuilt, hulls []string
}

// nameRec is one Names/Name (one CSV row's name columns). parts holds
// Name1..Name5 then Name6.
type nameRec struct {
	parts         [6]string
	typ, strength string
}

type nonLatinRec struct{ value, script, lang string }

type addressRec struct {
	lines           [6]string
	postal, country string
}

type birthRec struct{ town, country string }

// docRec is a passport or national identifier: its number and the free
// text the publisher adds.
type docRec struct{ number, info string }

// reset empties d, keeping its slices' storage.
func (d *designation) reset() {
	*d = designation{
		names: d.names[:0], nonLatin: d.nonLatin[:0], titles: d.titles[:0], addresses: d.addresses[:0],
		phones: d.phones[:0], emails: d.emails[:0], websites: d.websites[:0], dobs: d.dobs[:0],
		nationalities: d.nationalities[:0], positions: d.positions[:0], genders: d.genders[:0],
		births: d.births[:0], passports: d.passports[:0], nationalIDs: d.nationalIDs[:0],
		entityTypes: d.entityTypes[:0], regNumbers: d.regNumbers[:0], subsidiaries: d.subsidiaries[:0],
		parents: d.parents[:0], imos: d.imos[:0], owners: d.owners[:0], prevOwners: d.prevOwners[:0],
		flags: d.flags[:0], prevFlags: d.prevFlags[:0], shipTypes: d.shipTypes[:0], tonnages: d.tonnages[:0],
		lengths: d.lengths[:0], yearsBuilt: d.yearsBuilt[:0], hulls: d.hulls[:0],
	}
}

// add appends v to s unless it is the zero value or already there.
func add[T comparable](s *[]T, v T) {
	var zero T
	if v != zero && !slices.Contains(*s, v) {
		*s = append(*s, v)
	}
}

// issuef records a problem with the designation being mapped.
type issuef func(format string, args ...any)

// Name types and alias strengths as published (compared in lower case).
const (
	typePrimary          = "primary name"
	typePrimaryVariation = "primary name variation"
	typeAlias            = "alias"
	strengthGood         = "good quality"
	strengthLow          = "low quality"
)

// nameKind maps NameType and AliasStrength to a name kind. A primary name
// variation is a spelling variation of the primary name: an alias. An
// alias without a strength is an alias; "Low quality a.k.a" is weak.
func nameKind(typ, strength string, issue issuef) (kind string, primary bool) {
	t, st := strings.ToLower(typ), strings.ToLower(strength)
	switch t {
	case typePrimary:
		if st != "" {
			issue("alias strength %q on a primary name; ignored", strength)
		}
		return entity.KindPrimary, true
	case typePrimaryVariation:
		if st != "" {
			issue("alias strength %q on a primary name variation; ignored", strength)
		}
		return entity.KindAlias, false
	case typeAlias:
		switch {
		case st == "", strings.HasPrefix(st, strengthGood):
			return entity.KindAlias, false
		case strings.HasPrefix(st, strengthLow):
			return entity.KindWeakAlias, false
		}
		issue("unknown alias strength %q; taken as a strong alias", strength)
		return entity.KindAlias, false
	case "":
		issue("name without a name type; taken as an alias")
		return entity.KindAlias, false
	}
	issue("unknown name type %q; taken as an alias", typ)
	return entity.KindAlias, false
}

// full joins Name1..Name5 and Name6 with spaces: given names first, as the
// parts are meant to be read ("ABDUL LATIF MANSUR").
func (n nameRec) full() string {
	var b strings.Builder
	for _, p := range n.parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// personParts: Name1 is the given name, Name2..Name5 the middle names,
// Name6 the family name.
func (n nameRec) personParts() *entity.NameParts {
	var middle []string
	for _, p := range n.parts[1:5] {
		if p != "" {
			middle = append(middle, p)
		}
	}
	p := entity.NameParts{Given: n.parts[0], Middle: strings.Join(middle, " "), Family: n.parts[5]}
	if p == (entity.NameParts{}) {
		return nil
	}
	return &p
}

// entityType maps IndividualEntityShip (CSV Designation Type).
func entityType(s string) (entity.Type, bool) {
	switch strings.ToLower(s) {
	case "individual":
		return entity.Person, true
	case "entity":
		return entity.Organization, true
	case "ship":
		return entity.Vessel, true
	}
	return entity.Unknown, false
}

// Identifier types (entity.Identifier.Type) and the labels kept as RawType.
const (
	idPassport     = "passport"
	idNationalID   = "national_id"
	idRegistration = "registration_number"
	idIMO          = "imo"
	idPhone        = "phone"
	idEmail        = "email"
	idWebsite      = "website"
	idOther        = "other"

	rawGroupID    = "OFSI Group ID"
	rawUNRef      = "UN Reference Number"
	rawPassport   = "Passport number"
	rawNationalID = "National Identifier number"
	rawRegNumber  = "Business registration number"
	rawIMO        = "IMO number"
	rawHull       = "Hull identification number (HIN)"
	rawPhone      = "Phone number"
	rawEmail      = "Email address"
	rawWebsite    = "Website"
)

// Relation types.
const (
	relSubsidiary    = "subsidiary"              // the target is a subsidiary of this entity
	relParent        = "parent"                  // the target is a parent company of this entity
	relOwner         = "owner_operator"          // current owner/operator of the ship
	relPreviousOwner = "previous_owner_operator" // previous owner/operator of the ship
)

// entity maps d; nil when d cannot make an entity (the issue is recorded).
func (d *designation) entity(issue issuef) *entity.Entity {
	if d.uid == "" {
		issue("designation without a UniqueID; skipped")
		return nil
	}
	typ, ok := entityType(d.kind)
	if !ok {
		issue("unknown designation type %q", d.kind)
	}
	e := &entity.Entity{
		ID:       entity.MakeID(sourceName, d.uid),
		Source:   sourceName,
		SourceID: d.uid,
		Type:     typ,
	}
	if !d.mapNames(e, issue) {
		return nil
	}
	e.Titles = append(e.Titles, d.titles...)
	if d.regime != "" {
		e.Programs = []string{d.regime}
	}
	if d.designated != "" {
		if v, ok := normalize.ISODate(d.designated); ok {
			e.ListedOn = v
		} else {
			issue("DateDesignated %q is not a date", d.designated)
		}
	}
	d.mapIdentifiers(e)
	d.mapPerson(e, issue)
	for _, a := range d.addresses {
		e.Addresses = append(e.Addresses, a.address())
	}
	for _, s := range d.subsidiaries {
		e.Relations = append(e.Relations, entity.Relation{Type: relSubsidiary, TargetName: s})
	}
	for _, p := range d.parents {
		e.Relations = append(e.Relations, entity.Relation{Type: relParent, TargetName: p})
	}
	d.mapShip(e)
	e.Remarks = d.remarks()
	return e
}

// mapNames sets the name and names[]; false when there is no name at all.
func (d *designation) mapNames(e *entity.Entity, issue issuef) bool {
	person := e.Type == entity.Person
	var first string // the first name of any kind, for a designation without a primary one
	for _, n := range d.names {
		kind, primary := nameKind(n.typ, n.strength, issue)
		nm := normalize.Name(n.full(), kind)
		if nm.Value == "" {
			continue
		}
		if first == "" {
			first = nm.Value
		}
		if primary {
			switch {
			case e.Name == "":
				e.Name = nm.Value
			case e.Name != nm.Value:
				issue("second primary name %q (the first is %q); taken as an alias", nm.Value, e.Name)
				nm.Kind = entity.KindAlias
			}
		}
		if person {
			nm.Parts = n.personParts()
		}
		e.Names = append(e.Names, nm)
	}
	for _, n := range d.nonLatin {
		nm := normalize.Name(n.value, entity.KindAlias)
		if nm.Value == "" {
			continue
		}
		nm.Lang = n.lang
		e.Names = append(e.Names, nm)
	}
	switch {
	case e.Name != "":
	case first != "":
		e.Name = first
		issue("no primary name; the first name published (%q) is used", first)
	case len(e.Names) > 0:
		e.Name = e.Names[0].Value
		issue("no Latin-script name; the non-Latin name %q is used", e.Name)
	default:
		issue("designation without a name; skipped")
		return false
	}
	return true
}

func (d *designation) mapIdentifiers(e *entity.Entity) {
	other := func(v, rawType string) {
		if v != "" {
			e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idOther, Value: v, Raw: v, RawType: rawType})
		}
	}
	other(d.groupID, rawGroupID)
	other(d.unRef, rawUNRef)
	for _, p := range d.phones {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idPhone, Value: p, Raw: p, RawType: rawPhone})
	}
	for _, raw := range d.emails {
		for _, m := range splitEmails(raw) {
			e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idEmail, Value: strings.ToLower(m), Raw: raw, RawType: rawEmail})
		}
	}
	for _, w := range d.websites {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idWebsite, Value: w, Raw: w, RawType: rawWebsite})
	}
	for _, p := range d.passports {
		if p.number != "" {
			e.Identifiers = append(e.Identifiers, document(idPassport, rawPassport, p))
		}
	}
	for _, n := range d.nationalIDs {
		if n.number != "" {
			e.Identifiers = append(e.Identifiers, document(idNationalID, rawNationalID, n))
		}
	}
	for _, r := range d.regNumbers {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: idRegistration, Value: documentNumber(r), Raw: r, RawType: rawRegNumber})
	}
	for _, raw := range d.imos {
		e.Identifiers = append(e.Identifiers, imoIdentifier(raw))
	}
	for _, h := range d.hulls {
		other(h, rawHull)
	}
}

// document builds a passport or national identifier; the additional
// information is free text ("Afghanistan diplomatic passport number
// D0009720, issued on 12 Oct. 2021 ...") and stays whole in the note.
func document(typ, rawType string, r docRec) entity.Identifier {
	return entity.Identifier{Type: typ, Value: documentNumber(r.number), Raw: r.number, RawType: rawType, Note: r.info}
}

// documentNumber is the match form of a document or registry number: upper
// case, without white space.
func documentNumber(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// splitEmails splits an EmailAddress that holds several addresses
// ("a@x.org; b@y.org").
func splitEmails(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' })
}

// imoIdentifier reads an IMO number as published ("IMO9562233",
// "IMO 9562233", "9562233"). Valid says whether it is seven digits whose
// last is the check digit; an invalid number is kept with Valid false.
func imoIdentifier(raw string) entity.Identifier {
	v := documentNumber(raw)
	v = strings.TrimPrefix(v, "IMO")
	ok := imoValid(v)
	return entity.Identifier{Type: idIMO, Value: v, Raw: raw, RawType: rawIMO, Valid: &ok}
}

// imoValid checks an IMO ship number: seven digits, the first six weighted
// 7, 6, 5, 4, 3, 2, the sum's last digit equal to the seventh.
func imoValid(s string) bool {
	if len(s) != 7 {
		return false
	}
	sum := 0
	for i := 0; i < 7; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		if i < 6 {
			sum += int(c-'0') * (7 - i)
		}
	}
	return sum%10 == int(s[6]-'0')
}

// mapPerson maps the individual's details (they are mapped whatever the
// designation type, should another type carry them).
func (d *designation) mapPerson(e *entity.Entity, issue issuef) {
	for _, raw := range d.dobs {
		dt := normalize.ParseDate(raw)
		if dt.Precision == "" {
			issue("DOB %q is not a date; kept as published", raw)
		}
		e.BirthDates = append(e.BirthDates, dt)
	}
	for _, b := range d.births {
		e.BirthPlaces = append(e.BirthPlaces, normalize.JoinNonEmpty(", ", b.town, b.country))
	}
	for _, n := range d.nationalities {
		e.Nationalities = append(e.Nationalities, entity.Country{Raw: n})
	}
	e.Positions = append(e.Positions, d.positions...)
	for _, g := range d.genders {
		keepLeast(&e.Gender, strings.ToLower(g))
	}
}

func (a addressRec) address() entity.Address {
	street := normalize.JoinNonEmpty(", ", a.lines[:]...)
	return entity.Address{
		Full:       normalize.JoinNonEmpty(", ", street, a.postal, a.country),
		Street:     street,
		PostalCode: a.postal,
		CountryRaw: a.country,
	}
}

// mapShip fills the vessel details. A field that takes one value takes the
// least of those published, so that it does not depend on the order they
// come in; remarks list them all when there are several.
func (d *designation) mapShip(e *entity.Entity) {
	var v entity.VesselInfo
	for _, t := range d.shipTypes {
		keepLeast(&v.Type, t)
	}
	for _, f := range d.flags {
		keepLeast(&v.Flag, f)
	}
	for _, o := range d.owners {
		keepLeast(&v.Owner, o)
		e.Relations = append(e.Relations, entity.Relation{Type: relOwner, TargetName: o})
	}
	for _, o := range d.prevOwners {
		e.Relations = append(e.Relations, entity.Relation{Type: relPreviousOwner, TargetName: o})
	}
	for _, t := range d.tonnages {
		keepLeast(&v.Tonnage, strings.ReplaceAll(t, ",", ""))
	}
	for _, y := range d.yearsBuilt {
		keepLeast(&v.YearBuilt, y)
	}
	for _, raw := range d.imos {
		if id := imoIdentifier(raw); *id.Valid {
			keepLeast(&v.IMO, id.Value)
		}
	}
	if !v.IsZero() {
		e.Vessel = &v
	}
}

// remarks joins the published text that has no field of its own, each
// part labelled, in a fixed order: "Designation source: UN; Sanctions
// imposed: Asset freeze|Travel Ban; Other information: ...". Several values
// under one label are sorted and joined by "; ".
func (d *designation) remarks() string {
	var parts []string
	put := func(label string, values ...string) {
		var vs []string
		for _, v := range values {
			add(&vs, v)
		}
		if len(vs) == 0 {
			return
		}
		slices.Sort(vs)
		parts = append(parts, label+": "+strings.Join(vs, "; "))
	}
	// several reports a list only when it has more than one value (its
	// least value is in a field already).
	several := func(label string, values []string) {
		if len(values) > 1 {
			put(label, values...)
		}
	}
	put("Designation source", d.origin)
	put("Sanctions imposed", d.imposed)
	put("Other information", d.other)
	put("UK statement of reasons", d.reasons)
	put("Type of entity", d.entityTypes...)
	several("Type of ship", d.shipTypes)
	several("Current believed flag of ship", d.flags)
	put("Previous flags", d.prevFlags...)
	several("Tonnage of ship", d.tonnages)
	put("Length of ship", d.lengths...)
	several("Year built", d.yearsBuilt)
	several("Gender", d.genders)
	return strings.Join(parts, "; ")
}

// keepLeast keeps the least of the values a single-valued field is given.
func keepLeast(dst *string, v string) {
	if v != "" && (*dst == "" || v < *dst) {
		*dst = v
	}
}

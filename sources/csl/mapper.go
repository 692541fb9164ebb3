package csl

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// issuef records a problem with the row being mapped.
type issuef func(format string, args ...any)

// Identifier raw type of entity_number: the OFAC uid, the official
// cross-reference to us_ofac_sdn-<uid> (SDN) and us_ofac_cons-<uid> (the
// other Treasury lists).
const rawOFACNumber = "OFAC entity number"

// mapper turns records into entities. It remembers the source texts it
// has reported, so that an unknown list is one issue per file, not one
// per row.
type mapper struct {
	file     string
	issues   *sources.Issues
	reported map[string]bool
}

func newMapper(file string, issues *sources.Issues) *mapper {
	return &mapper{file: file, issues: issues, reported: map[string]bool{}}
}

// maxReported bounds the texts remembered as reported; past it (a hostile
// file with a new list name on every row) each row reports again.
const maxReported = 1000

// once reports a problem about text the first time it is seen.
func (m *mapper) once(line int, record, text, format string, args ...any) {
	if m.reported[text] {
		return
	}
	if len(m.reported) < maxReported {
		m.reported[text] = true
	}
	m.issues.Addf(m.file, line, record, format, args...)
}

// entity maps r; nil when r cannot make an entity (the issue is recorded).
func (m *mapper) entity(r *record) *entity.Entity {
	issue := func(format string, args ...any) { m.issues.Addf(m.file, r.line, r.id, format, args...) }
	l := parseList(r.source)
	switch {
	case r.source == "":
		issue("row without a source list; listed under %q", unknownList)
	case l.authority == "":
		l.code = "unparsed-" + shortHash(r.source, 8)
		m.once(r.line, r.id, r.source, "source %q is not of the form \"<list> (<CODE>) - <authority>\"; listed under %q", r.source, l.code)
	case !l.known:
		m.once(r.line, r.id, r.source, "unknown constituent list %q (code %s); kept", r.source, l.code)
	}
	if r.name == "" {
		issue("row without a name; skipped")
		return nil
	}
	sourceID := m.sourceID(r, l.code, issue)
	e := &entity.Entity{
		ID:       entity.MakeID(Name, sourceID),
		Source:   Name,
		SourceID: sourceID,
		Type:     entityType(r, l.code, issue),
		Name:     r.name,
	}
	m.names(e, r)
	e.Titles = splitEach(r.titles)
	e.Programs = splitEach(r.programs)
	listing := entity.Listing{
		List: l.code, ListName: l.name, Authority: l.authority, Programs: e.Programs,
		Start: isoDate(r.start, "start_date", issue), End: isoDate(r.end, "end_date", issue),
		Notice: r.notice, LicenseRequirement: r.licenseReq, LicensePolicy: r.licensePol, URL: r.listURL,
	}
	if l.authority == "" {
		listing.ListName = r.source
	}
	if r.order != "" {
		// The Denied Persons List prints whether the denial order is the
		// standard one (Y) or not (N).
		order := strings.ToUpper(r.order)
		if order != "Y" && order != "N" {
			issue("standard_order %q is not Y or N; kept", r.order)
		}
		listing.Measures = []string{"Standard order: " + order}
	}
	e.Listings = []entity.Listing{listing}
	e.ListedOn = listing.Start
	m.addresses(e, r, issue)
	notes := m.identifiers(e, r, issue)
	m.person(e, r, issue)
	m.vessel(e, r)
	e.Remarks = normalize.JoinNonEmpty("; ", append([]string{r.remarks}, notes...)...)
	return e
}

// sourceID is the publisher's record id where it has a stable one, and a
// digest of the row's identifying fields where it has not.
//
// Treasury rows carry the OFAC uid in entity_number (their _id is the
// same number): <list>-<uid>, e.g. SDN-36. The list is part of the id
// because one uid is printed on two lists (SSI and NS-MBS, SDN and PLC),
// one row each.
//
// The other rows' _id is no record id: the Military End User and ITAR
// Debarred rows get a new random UUID in every build (the same rows of the
// 2023-11-30 and 2025-06-25 files have different ids), and the Entity
// List, Denied Persons, Unverified and Nonproliferation rows a 56-digit
// digest of unknown recipe. Their id is <list>-<digest of name, addresses,
// start_date and federal_register_notice>: what tells two rows of one
// party apart (the Denied Persons List prints one row per name and
// address, the Nonproliferation list one per notice). The digest ignores
// letter case and white space, so that re-casing does not change it; a
// change of those fields is a removal and an addition, any other change
// (aliases, ids, licence terms, remarks, end date) a change.
func (m *mapper) sourceID(r *record, code string, issue issuef) string {
	if n := r.entityNumber; n != "" {
		if isDigits(n) {
			return code + "-" + n
		}
		issue("entity_number %q is not a number; the id is made from the row's fields", n)
	}
	parts := []string{fold(r.name)}
	var addrs []string
	for _, a := range r.addresses {
		addrs = append(addrs, fold(a.full))
	}
	slices.Sort(addrs)
	parts = append(parts, strings.Join(addrs, "\x01"), fold(r.start), fold(r.notice))
	return code + "-" + shortHash(strings.Join(parts, "\x00"), 16)
}

// fold is s in lower case with white space collapsed. Punctuation stays:
// the Denied Persons List prints "AL NASER AIRLINES", "AL-NASER AIRLINES"
// and "ALNASER AIRLINES" as three rows.
func fold(s string) string {
	return strings.ToLower(normalize.Text(s))
}

// shortHash is the first n hex digits of the SHA-256 of s.
func shortHash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// entityType maps the type column. An empty type (every Commerce and
// State row) is a person when the row has a person's facts, an
// organization on the Military End User list (which lists only
// organizations), and unknown otherwise: the Entity List, Denied Persons,
// Unverified, Nonproliferation and ITAR Debarred lists mix persons and
// organizations without saying which is which.
func entityType(r *record, code string, issue issuef) entity.Type {
	switch strings.ToLower(r.typ) {
	case "individual":
		return entity.Person
	case "entity":
		return entity.Organization
	case "vessel":
		return entity.Vessel
	case "aircraft":
		return entity.Aircraft
	case "":
	default:
		issue("unknown type %q; taken as unknown", r.typ)
		return entity.Unknown
	}
	switch {
	case len(r.birthDates) > 0 || len(r.birthPlaces) > 0 || len(r.nationality) > 0 || len(r.citizenships) > 0:
		return entity.Person
	case code == "MEU":
		return entity.Organization
	}
	return entity.Unknown
}

// successorClause is how the Nonproliferation and Entity Lists extend a
// listing to a party's successors ("..., and its sub-units and
// successors"); the name without it is added as an alias, for matching.
var successorClause = regexp.MustCompile(`(?i)[;,]?\s+and\s+(any successor, sub-unit, or subsidiary thereof|its sub-units and successors)$`)

// names sets names[]: the name as published (primary), the name without a
// successor clause, and the alternate names. Persons' names in OFAC's
// "LAST, First" form get family and given parts.
func (m *mapper) names(e *entity.Entity, r *record) {
	person := e.Type == entity.Person
	add := func(value, kind string) {
		n := normalize.Name(value, kind)
		if n.Value == "" {
			return
		}
		if person && strings.Contains(n.Value, ",") {
			if family, given := normalize.SplitLastFirst(n.Value); family != "" && given != "" {
				n.Parts = &entity.NameParts{Family: family, Given: given}
			}
		}
		e.Names = append(e.Names, n)
	}
	add(r.name, entity.KindPrimary)
	if loc := successorClause.FindStringIndex(r.name); loc != nil && loc[0] > 0 {
		add(r.name[:loc[0]], entity.KindAlias)
	}
	for _, a := range splitEach(r.altNames) {
		add(a, entity.KindAlias)
	}
}

// splitEach splits every element at ";" (the CSV joins a list's elements
// with "; "; a JSON element may also hold several, and the Entity List
// sometimes leaves out the space: "...Ningbo Innovation Institute;Beihang
// University..."), drops the "and " the Entity List puts before the last
// one ("A; B; and C", wherever the split falls: a piece after the first),
// and drops empty pieces.
func splitEach(elems []string) []string {
	var out []string
	for _, el := range elems {
		for p := range strings.SplitSeq(el, ";") {
			p = normalize.Text(p)
			if len(out) > 0 {
				p = strings.TrimPrefix(p, "and ")
			}
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// isoDate reads a listing date (start_date, end_date: "2020-12-23").
func isoDate(s, column string, issue issuef) string {
	if s == "" {
		return ""
	}
	if d, ok := normalize.ISODate(s); ok {
		return d
	}
	issue("%s %q is not a date; not mapped", column, s)
	return ""
}

// countryAliases map the country texts the list prints besides ISO codes
// to a code. normalize's tables do not know them, and they are the
// publisher's own (lower-case) words.
var countryAliases = map[string]string{
	"crimea (occupied)": "UA", // Crimea, occupied: ISO 3166 counts it in Ukraine
	// A Denied Persons address in Anthony, New Mexico prints the state
	// where the country goes; NM is no ISO code.
	"nm": "US",
}

// country returns the code of one of the publisher's own country words,
// "" for the others (normalization maps them), and reports a country
// text neither knows.
func country(raw, what string, issue issuef) string {
	if raw == "" {
		return ""
	}
	if cc, ok := countryAliases[strings.ToLower(raw)]; ok {
		return cc
	}
	if _, ok := normalize.CountryCode(raw); !ok {
		issue("%s country %q is not a known country; kept as published", what, raw)
	}
	return ""
}

func (m *mapper) addresses(e *entity.Entity, r *record, issue issuef) {
	for _, a := range r.addresses {
		e.Addresses = append(e.Addresses, entity.Address{
			Full: a.full, Street: a.street, City: a.city, Region: a.state, PostalCode: a.postal,
			Country: country(a.country, "address", issue), CountryRaw: a.country,
		})
	}
	if c := r.country; c != "" && !slices.ContainsFunc(r.addresses, func(a address) bool { return strings.EqualFold(a.country, c) }) {
		// A JSON record's own country (the Nonproliferation list prints one
		// for parties without an address) is an address of that country.
		e.Addresses = append(e.Addresses, entity.Address{Full: c, Country: country(c, "the record's", issue), CountryRaw: c})
	}
}

// identifiers adds entity_number and ids. Ids whose type names no
// identifier (OFAC prints program notes among them: "Secondary sanctions
// risk:", "Listing Date (CMIC)", "Target Type", ...) are returned as
// remarks, "Gender" goes to gender.
func (m *mapper) identifiers(e *entity.Entity, r *record, issue issuef) (notes []string) {
	if n := r.entityNumber; n != "" {
		e.Identifiers = append(e.Identifiers, entity.Identifier{Type: normalize.IDOther, Value: n, Raw: n, RawType: rawOFACNumber})
	}
	for _, id := range r.ids {
		if id.typ == "" {
			issue("id %q has no type (not \"type, number[, country]\"); kept as an identifier of type other", id.number)
		}
		if strings.EqualFold(id.typ, "Nationality Country") {
			// A fact printed among the ids (PLC 9647: "Nationality
			// Country, PS"), which normalize would take for an identifier.
			e.Nationalities = append(e.Nationalities, entity.Country{Code: country(id.number, "nationality", issue), Raw: id.number})
			continue
		}
		typ, currency := normalize.IdentifierType(id.typ)
		if typ == "" && id.typ != "" {
			if strings.EqualFold(id.typ, "Gender") {
				e.Gender = strings.ToLower(id.number)
				continue
			}
			notes = append(notes, normalize.JoinNonEmpty(": ", strings.TrimRight(id.typ, " :-"), id.number))
			continue
		}
		if typ == "" {
			typ = normalize.IDOther
		}
		if id.number == "" {
			issue("id of type %q without a number; not mapped", id.typ)
			continue
		}
		// IdentifierOf knows what a label means for the entity's type
		// (an organization's IMO number is a company number).
		typ, value, valid, problem := normalize.IdentifierOf(e.Type, id.typ, typ, currency, id.number)
		if valid != nil && !*valid {
			issue("%s %q is invalid (%s); kept", id.typ, id.number, problem)
		}
		country(id.country, "id", issue)
		e.Identifiers = append(e.Identifiers, entity.Identifier{
			Type: typ, Value: value, Raw: id.number, RawType: id.typ, Country: id.country,
			Issued:  docDate(id.issued, "issue_date", issue),
			Expires: docDate(id.expires, "expiration_date", issue),
		})
	}
	return notes
}

// docDate reads an id's issue or expiration date; a text that is not a
// date is kept as published.
func docDate(s, field string, issue issuef) string {
	if s == "" {
		return ""
	}
	if d, ok := normalize.ISODate(s); ok {
		return d
	}
	issue("id %s %q is not a date; kept as published", field, s)
	return s
}

// person maps the facts of individuals (mapped whatever the type, should
// another row carry them).
func (m *mapper) person(e *entity.Entity, r *record, issue issuef) {
	for _, raw := range splitEach(r.birthDates) {
		d := normalize.ParseDate(raw)
		if d.Precision == "" {
			issue("date of birth %q is not a date; kept as published", raw)
		}
		e.BirthDates = append(e.BirthDates, d)
	}
	e.BirthPlaces = splitEach(r.birthPlaces)
	for _, c := range splitEach(r.nationality) {
		e.Nationalities = append(e.Nationalities, entity.Country{Code: country(c, "nationality", issue), Raw: c})
	}
	for _, c := range splitEach(r.citizenships) {
		e.Citizenships = append(e.Citizenships, entity.Country{Code: country(c, "citizenship", issue), Raw: c})
	}
}

func (m *mapper) vessel(e *entity.Entity, r *record) {
	v := entity.VesselInfo{
		CallSign: r.callSign, Type: r.vesselType, Flag: r.vesselFlag, Owner: r.vesselOwner,
		// Tonnages lose thousands separators, as the OFAC source's do.
		Tonnage:   strings.ReplaceAll(r.tonnage, ",", ""),
		GrossTons: strings.ReplaceAll(r.grt, ",", ""),
	}
	if !v.IsZero() {
		e.Vessel = &v
	}
}

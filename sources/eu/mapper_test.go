package eu

import (
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// build maps one record with a person's name and the given parts.
func build(t *testing.T, f func(r *record)) (*entity.Entity, []sources.Issue) {
	t.Helper()
	var issues sources.Issues
	m := newMapper("test.xml", &issues)
	r := &record{line: 3, logicalID: "42", hasSubject: true, subjectCode: "person", subjectClass: "P",
		names: []nameAlias{{common: common{line: 4, logicalID: "7", regLang: "en"}, whole: "John Doe", strong: "true"}}}
	f(r)
	e := m.build(r)
	if e != nil {
		e.Canonicalize()
	}
	return e, issues.List()
}

func TestBirthDates(t *testing.T) {
	tests := []struct {
		name    string
		b       birthdate
		date    *entity.Date // nil: none
		place   string
		problem string
	}{
		{"full date", birthdate{date: "1937-04-28", day: "28", month: "4", year: "1937", circa: "false", calendar: "GREGORIAN"},
			&entity.Date{Value: "1937-04-28", Precision: "day", Raw: "1937-04-28"}, "", ""},
		{"year only", birthdate{year: "1960"}, &entity.Date{Value: "1960", Precision: "year", Raw: "1960"}, "", ""},
		{"year and month", birthdate{year: "1960", month: "3"}, &entity.Date{Value: "1960-03", Precision: "month", Raw: "1960-3"}, "", ""},
		{"circa", birthdate{year: "1960", circa: "true"}, &entity.Date{Value: "1960", Precision: "year", Approximate: true, Raw: "1960"}, "", ""},
		{"year range", birthdate{rangeFrom: "1958", rangeTo: "1962", circa: "false"},
			&entity.Date{Precision: "range", From: "1958", To: "1962", Raw: "1958 to 1962"}, "", ""},
		{"open range", birthdate{rangeFrom: "1958"}, &entity.Date{Precision: "range", From: "1958", To: "1958", Raw: "from 1958"}, "", ""},
		{"date and year disagree", birthdate{date: "1937-04-28", year: "1938"},
			&entity.Date{Value: "1937-04-28", Precision: "day", Raw: "1937-04-28"}, "", `birthdate "1937-04-28" and year "1938" disagree; birthdate taken`},
		{"unreadable date, parts", birthdate{date: "1937-00-00", year: "1937"}, &entity.Date{Value: "1937", Precision: "year", Raw: "1937-00-00"}, "", ""},
		{"unreadable", birthdate{date: "sometime"}, &entity.Date{Raw: "sometime"}, "", `birth date "sometime" not understood; kept as raw text`},
		{"islamic calendar", birthdate{year: "1380", calendar: "ISLAMIC"}, &entity.Date{Raw: "1380"}, "", `birth date "1380" in calendar "ISLAMIC": kept as raw text only`},
		{"place only", birthdate{city: "Kabul", code: "AF", desc: "AFGHANISTAN"}, nil, "Kabul, AFGHANISTAN", ""},
		{"all place fields", birthdate{place: "near the river", city: "Town", zip: "123", region: "North", code: "00", desc: "UNKNOWN"}, nil,
			"near the river, Town, 123, North", ""},
		{"null city", birthdate{year: "1965", city: "-", code: "PK", desc: "PAKISTAN"}, &entity.Date{Value: "1965", Precision: "year", Raw: "1965"}, "PAKISTAN", ""},
		{"bad circa", birthdate{year: "1965", circa: "maybe"}, &entity.Date{Value: "1965", Precision: "year", Raw: "1965"}, "", `birthdate circa="maybe" is not true or false`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.b.line = 9
			e, issues := build(t, func(r *record) { r.births = []birthdate{tc.b} })
			var want []entity.Date
			if tc.date != nil {
				want = []entity.Date{*tc.date}
			}
			if !slices.Equal(e.BirthDates, want) {
				t.Errorf("birth dates = %+v, want %+v", e.BirthDates, want)
			}
			var places []string
			if tc.place != "" {
				places = []string{tc.place}
			}
			if !slices.Equal(e.BirthPlaces, places) {
				t.Errorf("birth places = %q, want %q", e.BirthPlaces, places)
			}
			checkIssue(t, issues, tc.problem, 9)
		})
	}
}

// checkIssue expects no issue, or one with problem on line.
func checkIssue(t *testing.T, issues []sources.Issue, problem string, line int) {
	t.Helper()
	switch {
	case problem == "" && len(issues) != 0:
		t.Errorf("issues = %v", issues)
	case problem != "" && (len(issues) != 1 || issues[0].Problem != problem || issues[0].Line != line || issues[0].Record != "42"):
		t.Errorf("issues = %v, want %q on line %d", issues, problem, line)
	}
}

func TestIdentifications(t *testing.T) {
	no := new(false)
	tests := []struct {
		name    string
		id      identification
		want    []entity.Identifier
		problem string
	}{
		{"passport, unknown country", identification{number: "488555", typeCode: "passport", typeDesc: "National passport", code: "00", desc: "UNKNOWN",
			diplomatic: "false", knownExpired: "false", knownFalse: "false", reportedLost: "false", revoked: "false"},
			[]entity.Identifier{{Type: "passport", Value: "488555", Raw: "488555", RawType: "National passport"}}, ""},
		{"national id, all details", identification{number: "ab 123", typeCode: "id", typeDesc: "National identification card", code: "af",
			desc: "AFGHANISTAN", issuedBy: "Ministry", nameOnDocument: "J. DOE", region: "Kabul", issued: "2001-02-03", validFrom: "2001-02-04",
			validTo: "2011-02-03", common: common{remarks: []string{"(verified)"}}},
			[]entity.Identifier{{Type: "national_id", Value: "AB 123", Raw: "ab 123", RawType: "National identification card", Country: "AF",
				Issued: "2001-02-03", Expires: "2011-02-03",
				Note: "issued by Ministry; name on document: J. DOE; region: Kabul; valid from 2001-02-04; (verified)"}}, ""},
		{"latin number", identification{number: "АВ123", latinNumber: "AB123", typeCode: "passport"},
			[]entity.Identifier{{Type: "passport", Value: "AB123", Raw: "АВ123", RawType: "passport"}}, ""},
		{"latin number only", identification{latinNumber: "ab123", typeCode: "passport"},
			[]entity.Identifier{{Type: "passport", Value: "AB123", Raw: "ab123", RawType: "passport"}}, ""},
		{"country description without code", identification{number: "1", typeCode: "other", typeDesc: "Other identification number", desc: "KOSOVO"},
			[]entity.Identifier{{Type: "other", Value: "1", Raw: "1", RawType: "Other identification number", Note: "country: KOSOVO"}}, ""},
		{"known false", identification{number: "X1", typeCode: "passport", knownFalse: "true", diplomatic: "true"},
			[]entity.Identifier{{Type: "passport", Value: "X1", Raw: "X1", RawType: "passport", Valid: no, Note: "diplomatic; known false"}}, ""},
		{"every invalidating flag", identification{number: "X1", typeCode: "passport", knownExpired: "true", reportedLost: "true", revoked: "true"},
			[]entity.Identifier{{Type: "passport", Value: "X1", Raw: "X1", RawType: "passport", Valid: no,
				Note: "known expired; reported lost; revoked by issuer"}}, ""},
		{"tax code", identification{number: "7707083893", typeCode: "fiscalcode", typeDesc: "Tax identification number"},
			[]entity.Identifier{{Type: "tax_id", Value: "7707083893", Raw: "7707083893", RawType: "Tax identification number"}}, ""},
		{"registration number", identification{number: "1027700132195", typeCode: "regnumber"},
			[]entity.Identifier{{Type: "registration_number", Value: "1027700132195", Raw: "1027700132195", RawType: "regnumber"}}, ""},
		{"swift", identification{number: "sabr ru mm", typeCode: "swiftbic"},
			[]entity.Identifier{{Type: "swift_bic", Value: "SABRRUMM", Raw: "sabr ru mm", RawType: "swiftbic"}}, ""},
		{"imo", identification{number: "IMO 9187629", typeCode: "imo"},
			[]entity.Identifier{{Type: "imo", Value: "9187629", Raw: "IMO 9187629", RawType: "imo"}}, ""},
		{"imo not 7 digits", identification{number: "91876", typeCode: "imo"},
			[]entity.Identifier{{Type: "other", Value: "91876", Raw: "91876", RawType: "imo"}}, `IMO number "91876" is not 7 digits; taken as other`},
		{"driving licence", identification{number: "D1", typeCode: "drivinglicence", typeDesc: "Driving licence"},
			[]entity.Identifier{{Type: "other", Value: "D1", Raw: "D1", RawType: "Driving licence"}}, ""},
		{"unknown type", identification{number: "Z", typeCode: "spaceport", typeDesc: "Space passport"},
			[]entity.Identifier{{Type: "other", Value: "Z", Raw: "Z", RawType: "Space passport"}}, `unknown identificationTypeCode "spaceport" (Space passport); taken as other`},
		{"bad date", identification{number: "Z", typeCode: "passport", validTo: "soon"},
			[]entity.Identifier{{Type: "passport", Value: "Z", Raw: "Z", RawType: "passport", Note: "valid to soon"}}, `identification valid to date "soon" not understood; kept in the note`},
		{"bad flag", identification{number: "Z", typeCode: "passport", knownFalse: "yes"},
			[]entity.Identifier{{Type: "passport", Value: "Z", Raw: "Z", RawType: "passport"}}, `identification knownFalse="yes" is not true or false`},
		{"no number", identification{typeCode: "passport", common: common{logicalID: "6"}}, nil, "identification 6 without a number; skipped"},
		{"bad country code", identification{number: "Z", typeCode: "passport", code: "X"},
			[]entity.Identifier{{Type: "passport", Value: "Z", Raw: "Z", RawType: "passport"}}, `identification countryIso2Code "X" is not a two-letter code; no code set`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.id.line = 11
			e, issues := build(t, func(r *record) { r.ids = []identification{tc.id} })
			if !slices.EqualFunc(e.Identifiers, tc.want, identEqual) {
				t.Errorf("identifiers = %+v, want %+v", e.Identifiers, tc.want)
			}
			checkIssue(t, issues, tc.problem, 11)
		})
	}
}

func identEqual(a, b entity.Identifier) bool {
	if (a.Valid == nil) != (b.Valid == nil) || (a.Valid != nil && *a.Valid != *b.Valid) {
		return false
	}
	a.Valid, b.Valid = nil, nil
	return a == b
}

func TestPrimaryName(t *testing.T) {
	n := func(lid, whole, lang, strong string) nameAlias {
		return nameAlias{common: common{logicalID: lid, regLang: "en"}, whole: whole, lang: lang, strong: strong}
	}
	tests := []struct {
		name  string
		names []nameAlias
		want  string
	}{
		{"lowest logicalId", []nameAlias{n("20", "B", "", "true"), n("10", "A", "", "true")}, "A"},
		{"regulation language first", []nameAlias{n("10", "Fr", "FR", "true"), n("20", "En", "EN", "true")}, "En"},
		{"no language counts as the regulation's", []nameAlias{n("10", "Fr", "FR", "true"), n("20", "None", "", "true")}, "None"},
		{"another language before a weak name", []nameAlias{n("30", "Weak", "", "false"), n("20", "Fr", "FR", "true")}, "Fr"},
		{"only weak names", []nameAlias{n("30", "Weak", "", "false")}, "Weak"},
		{"no logicalId last", []nameAlias{n("", "X", "", "true"), n("5", "Y", "", "true")}, "Y"},
		{"document order breaks ties", []nameAlias{n("", "X", "", "true"), n("", "Y", "", "true")}, "X"},
		{"parts without a whole name", []nameAlias{{common: common{logicalID: "1"}, first: "John", last: "Doe"}}, "John Doe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := build(t, func(r *record) { r.names = tc.names })
			if e.Name != tc.want {
				t.Errorf("name = %q, want %q", e.Name, tc.want)
			}
			primaries := 0
			for _, nm := range e.Names {
				if nm.Kind == entity.KindPrimary {
					primaries++
				}
			}
			if primaries != 1 {
				t.Errorf("%d primary names", primaries)
			}
		})
	}
}

func TestNameFields(t *testing.T) {
	e, issues := build(t, func(r *record) {
		r.names = []nameAlias{
			{common: common{line: 4, logicalID: "2"}, whole: "Ivan Petrov", first: "Ivan", last: "Petrov", gender: "M", title: "Colonel",
				fn: "Commander", strong: "true"},
			{common: common{line: 5, logicalID: "3"}, whole: "Иван Петров", lang: "RU", gender: "M", strong: "true"},
			{common: common{line: 6, logicalID: "4"}, whole: "Vanya", strong: "false"},
			{common: common{line: 7, logicalID: "5"}, whole: "I. P.", lang: "rus", gender: "X"},
		}
	})
	want := []entity.Name{
		name("Ivan Petrov", entity.KindPrimary, "", &entity.NameParts{Given: "Ivan", Family: "Petrov"}),
		name("Иван Петров", entity.KindAlias, "ru", nil),
		name("Vanya", entity.KindWeakAlias, "", nil),
		name("I. P.", entity.KindAlias, "", nil),
	}
	w := &entity.Entity{Names: want}
	w.Canonicalize()
	if !slices.EqualFunc(e.Names, w.Names, func(a, b entity.Name) bool { return nameKey(a) == nameKey(b) }) {
		t.Errorf("names = %+v, want %+v", e.Names, w.Names)
	}
	if e.Gender != "male" || !slices.Equal(e.Titles, []string{"Colonel"}) || !slices.Equal(e.Positions, []string{"Commander"}) {
		t.Errorf("gender %q, titles %q, positions %q", e.Gender, e.Titles, e.Positions)
	}
	if got := problems(issues); !slices.Equal(got, []string{`nameLanguage "rus" is not a two-letter code; not set`, `gender "X" is not M or F; not mapped`}) {
		t.Errorf("issues = %q", got)
	}
}

// nameKey compares every field of a name.
func nameKey(n entity.Name) string {
	k := n.Value + "|" + n.Kind + "|" + n.Script + "|" + n.Lang + "|" + n.ASCII + "|" + n.Normalized
	if n.Parts != nil {
		k += "|" + n.Parts.Given + "|" + n.Parts.Middle + "|" + n.Parts.Family
	}
	return k
}

func TestSubjectTypes(t *testing.T) {
	tests := []struct {
		code, class string
		has         bool
		want        entity.Type
		problem     string
	}{
		{"person", "P", true, entity.Person, ""},
		{"enterprise", "E", true, entity.Organization, ""},
		{"", "E", true, entity.Organization, ""},
		{"person", "E", true, entity.Person, `subjectType code "person" and classificationCode "E" disagree; code taken`},
		{"vessel", "V", true, entity.Unknown, `unknown subjectType code "vessel" (classificationCode "V"); type unknown`},
		{"", "", false, entity.Unknown, "no subjectType; type unknown"},
	}
	for _, tc := range tests {
		e, issues := build(t, func(r *record) { r.subjectCode, r.subjectClass, r.hasSubject = tc.code, tc.class, tc.has })
		if e.Type != tc.want {
			t.Errorf("%q/%q: type %s, want %s", tc.code, tc.class, e.Type, tc.want)
		}
		checkIssue(t, issues, tc.problem, 3)
	}
}

func TestAddressesAndContacts(t *testing.T) {
	e, issues := build(t, func(r *record) {
		r.addresses = []address{
			{common: common{line: 8}, street: "1 Main St", poBox: "PO Box 5", place: "Old Town", city: "Minsk", zip: "220000",
				region: "Minsk Region", asAt: "true", code: "by", desc: "BELARUS",
				contacts: []contact{{key: "EMAIL", value: "Info@Example.BY"}, {key: "WEB", value: "www.example.by"},
					{key: "TELEX", value: "123", line: 9}}},
			{common: common{line: 10}, code: "00", desc: "UNKNOWN", contactText: "PHONE: +375 1 | FAX: +375 2; EMAIL a@b.by"},
			{common: common{line: 11}, contactText: "call 123"},
			{common: common{line: 12}, city: "-"},
		}
	})
	wantAddrs := []entity.Address{
		{Full: "1 Main St, PO Box 5, Old Town, Minsk, 220000, Minsk Region, BELARUS (as at listing time)", Street: "1 Main St",
			City: "Minsk", Region: "Minsk Region", PostalCode: "220000", Country: "BY", CountryRaw: "BELARUS"},
		{CountryRaw: "UNKNOWN"},
	}
	w := &entity.Entity{Addresses: wantAddrs, Identifiers: []entity.Identifier{
		{Type: "email", Value: "info@example.by", Raw: "Info@Example.BY", RawType: "EMAIL"},
		{Type: "website", Value: "www.example.by", Raw: "www.example.by", RawType: "WEB"},
		{Type: "other", Value: "123", Raw: "123", RawType: "TELEX"},
		{Type: "phone", Value: "+375 1", Raw: "+375 1", RawType: "PHONE"},
		{Type: "phone", Value: "+375 2", Raw: "+375 2", RawType: "FAX", Note: "fax"},
		{Type: "email", Value: "a@b.by", Raw: "a@b.by", RawType: "EMAIL"},
		{Type: "other", Value: "call 123", Raw: "call 123", RawType: "contact info"},
	}}
	w.Canonicalize()
	if !slices.Equal(e.Addresses, w.Addresses) {
		t.Errorf("addresses = %+v\nwant %+v", e.Addresses, w.Addresses)
	}
	if !slices.EqualFunc(e.Identifiers, w.Identifiers, identEqual) {
		t.Errorf("identifiers = %+v\nwant %+v", e.Identifiers, w.Identifiers)
	}
	want := []sources.Issue{
		{File: "test.xml", Line: 9, Record: "42", Problem: `unknown contactInfo key "TELEX"; taken as other`},
		{File: "test.xml", Line: 11, Record: "42", Problem: `Address_ContactInfo "call 123" has no PHONE, FAX, EMAIL or WEB key; kept as other`},
	}
	if !slices.Equal(issues, want) {
		t.Errorf("issues = %v", issues)
	}
}

func TestListedOnAndRemarks(t *testing.T) {
	e, issues := build(t, func(r *record) {
		r.regulations = []regulation{{published: "2024-01-15", programme: "TAQA"}, {published: "2019-05-01", programme: "SYR"}}
		r.names[0].regDates = []string{"2009-11-18"}
		r.names[0].remarks = []string{"name remark"}
		r.addresses = []address{{common: common{logicalID: "9", remarks: []string{"address 9"}}, city: "X"},
			{common: common{logicalID: "3", remarks: []string{"address 3", "name remark"}}, city: "Y"}}
		r.births = []birthdate{{common: common{regDates: []string{"2005-11-30", "bad"}, remarks: []string{"birth\nremark"}}, year: "1960"}}
		r.citizenships = []citizenship{{common: common{line: 20, remarks: []string{"cit"}}, code: "SY", desc: "SYRIA", region: "Aleppo"}}
		r.remarks = []string{"second", "first"}
		r.designationDetails = "details"
	})
	if e.ListedOn != "2005-11-30" {
		t.Errorf("listed_on = %q", e.ListedOn)
	}
	if want := "second | first | Designation details: details | name remark | birth remark | cit | address 3 | address 9"; e.Remarks != want {
		t.Errorf("remarks = %q\nwant %q", e.Remarks, want)
	}
	if !slices.Equal(e.Programs, []string{"SYR", "TAQA"}) || !slices.Equal(e.Citizenships, []entity.Country{{Code: "SY", Raw: "SYRIA"}}) {
		t.Errorf("programs %q, citizenships %v", e.Programs, e.Citizenships)
	}
	checkIssue(t, issues, `citizenship region "Aleppo" not mapped (the schema's country has no region)`, 20)

	e, issues = build(t, func(r *record) {
		r.designationDate = "2001-10-06"
		r.regulations = []regulation{{published: "1999-01-01"}}
		r.unID = "QDe.005"
	})
	if e.ListedOn != "2001-10-06" || len(issues) != 0 {
		t.Errorf("listed_on = %q, issues %v", e.ListedOn, issues)
	}
	if !slices.ContainsFunc(e.Identifiers, func(i entity.Identifier) bool {
		return i == entity.Identifier{Type: "other", Value: "QDe.005", Raw: "QDe.005", RawType: "UN reference number"}
	}) {
		t.Errorf("identifiers = %+v", e.Identifiers)
	}
	e, issues = build(t, func(r *record) { r.designationDate = "06.10.2001x" })
	if e.ListedOn != "" {
		t.Errorf("listed_on = %q", e.ListedOn)
	}
	checkIssue(t, issues, `designationDate "06.10.2001x" is not a date`, 3)
}

func TestSplitContacts(t *testing.T) {
	tests := []struct {
		in   string
		want []contact
	}{
		{"PHONE: 497 92 63", []contact{{key: "PHONE", value: "497 92 63"}}},
		{"PHONE: 668 33 01; 0300- 820 91 99 | FAX: 662 38 14", []contact{{key: "PHONE", value: "668 33 01; 0300- 820 91 99"}, {key: "FAX", value: "662 38 14"}}},
		{"EMAIL=a@b.c;WEB=http://x.y", []contact{{key: "EMAIL", value: "a@b.c"}, {key: "WEB", value: "http://x.y"}}},
		{"EMAILjur@x.com", []contact{{key: "EMAIL", value: "jur@x.com"}}},
		{"see PHONE 1", []contact{{value: "see"}, {key: "PHONE", value: "1"}}},
		{"info@WEBSITE.com", []contact{{value: "info@WEBSITE.com"}}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := splitContacts(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitContacts(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestUnparen(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(UNSC RESOLUTION 1483)", "UNSC RESOLUTION 1483"},
		{" ((passport)) ", "(passport)"},
		{"(a) Mullah, (b) Maulavi", "(a) Mullah, (b) Maulavi"},
		{"(a) x (b)", "(a) x (b)"},
		{"plain", "plain"},
		{"()", ""},
		{"(unbalanced", "(unbalanced"},
	}
	for _, tc := range tests {
		if got := unparen(tc.in); got != tc.want {
			t.Errorf("unparen(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package uk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// lineOf is the 1-based line of the first occurrence of s in data.
func lineOf(t testing.TB, data []byte, s string) int {
	t.Helper()
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		t.Fatalf("%q not found", s)
	}
	return 1 + bytes.Count(data[:i], []byte("\n"))
}

func TestXMLBadInput(t *testing.T) {
	orig := excerptXML(t)
	half := orig[:len(orig)/2]
	html := "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1></body>\n</html>\n"
	tests := []struct {
		name    string
		data    []byte
		line    int
		message string
		syntax  bool // the error wraps an *xml.SyntaxError
	}{
		{"truncated", half, bytes.Count(half, []byte("\n")) + 1, "truncated", false},
		{"truncated in the root tag", orig[:200], 2, "truncated", false},
		{"wrong root", []byte("<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code></Error>"), 2, "root element <Error>, want <Designations>", false},
		{"ofac file", []byte("<?xml version=\"1.0\"?>\n\n<sdnList xmlns=\"x\"><sdnEntry/></sdnList>"), 3, "root element <sdnList>, want <Designations>", false},
		{"html error page", []byte(html), 2, "root element <html> (an HTML page, not the list), want <Designations>", false},
		{"html, not well-formed", []byte("<!DOCTYPE html>\n\n<html lang=en><body>Service Unavailable</body></html>"), 3, "root element <html> (an HTML page, not the list), want <Designations>", false},
		{"empty file", nil, 0, "empty file", false},
		{"only a byte order mark", bomUTF8, 0, "empty file", false},
		{"UTF-16 little endian", append([]byte{0xFF, 0xFE}, "<\x00?\x00x\x00"...), 1, "UTF-16 byte order mark at byte 0", false},
		{"UTF-16 big endian", append([]byte{0xFE, 0xFF}, "\x00<\x00?\x00x"...), 1, "UTF-16 byte order mark at byte 0", false},
		{"UTF-32 little endian", []byte{0xFF, 0xFE, 0, 0, '<', 0, 0, 0}, 1, "UTF-32 byte order mark at byte 0", false},
		{"no element", []byte("not xml at all\n"), 0, "no root element", false},
		{"no designation", []byte("<?xml version=\"1.0\"?>\n<Designations>\n  <DateGenerated>14/08/2026</DateGenerated>\n</Designations>\n"), 5, "no <Designation> in <Designations>", false}, // at the end
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(t, "xml", tc.data)
			var re *sources.RecordError
			if !errors.As(p.Err, &re) {
				t.Fatalf("err = %v, want a *sources.RecordError", p.Err)
			}
			if re.Source != "gb_fcdo" || re.File != xmlFile || re.Line != tc.line || !strings.Contains(re.Error(), tc.message) {
				t.Errorf("err = %q (line %d), want file %s, line %d, %q", re, re.Line, xmlFile, tc.line, tc.message)
			}
			if !strings.Contains(re.Error(), xmlFile) {
				t.Errorf("err %q does not name the file", re)
			}
			var se *xml.SyntaxError
			if errors.As(p.Err, &se) != tc.syntax {
				t.Errorf("wraps *xml.SyntaxError: %v, want %v", !tc.syntax, tc.syntax)
			}
		})
	}
}

// TestXMLByteOrderMark: a UTF-8 byte order mark is skipped and recorded.
func TestXMLByteOrderMark(t *testing.T) {
	base := mustParse(t, "xml", excerptXML(t))
	p := mustParse(t, "xml", append(bytes.Clone(bomUTF8), excerptXML(t)...))
	want := []sources.Issue{{File: xmlFile, Line: 1, Problem: "UTF-8 byte order mark at the start; dropped"}}
	if !slices.Equal(p.Issues, want) {
		t.Errorf("issues = %v, want %v", p.Issues, want)
	}
	if !slices.Equal(p.Lines, base.Lines) {
		t.Errorf("entities differ from the file's without the mark")
	}
}

// TestXMLUnknownElements: an element the parser does not know is an issue
// with its line and the designation's UniqueID; the rest is mapped.
func TestXMLUnknownElements(t *testing.T) {
	orig := excerptXML(t)
	data := bytes.Replace(orig, []byte("<UniqueID>AQD0377</UniqueID>\n"),
		[]byte("<UniqueID>AQD0377</UniqueID>\n    <Nickname>KTJ</Nickname>\n"), 1)
	data = bytes.Replace(data, []byte("<TypeOfEntity>Terrorist Group </TypeOfEntity>\n"),
		[]byte("<TypeOfEntity>Terrorist Group </TypeOfEntity>\n          <Sector>Armed group</Sector>\n"), 1)
	data = bytes.Replace(data, []byte("<DOB>1985</DOB>"), []byte("<DOB>1985<Note>x</Note></DOB>"), 1)
	data = bytes.Replace(data, []byte("<AssetFreeze>true</AssetFreeze>"), []byte("<AssetFreeze>yes</AssetFreeze><Visa>false</Visa>"), 1)
	data = bytes.Replace(data, []byte("  <DateGenerated>"), []byte("  <Notice>test</Notice>\n  <DateGenerated>"), 1)
	p := mustParse(t, "xml", data)
	want := []sources.Issue{
		{File: xmlFile, Line: lineOf(t, data, "<Notice>"), Problem: "unknown element <Notice> in <Designations>; not mapped"},
		{File: xmlFile, Line: lineOf(t, data, "<Visa>"), Record: "AFG0011", Problem: "unknown element <Visa> in <SanctionsImposedIndicators>; not mapped"},
		{File: xmlFile, Line: lineOf(t, data, "<AssetFreeze>yes"), Record: "AFG0011", Problem: `<AssetFreeze> is "yes", not true or false`},
		{File: xmlFile, Line: lineOf(t, data, "<Note>"), Record: "AQD0128", Problem: "unknown element <Note> in <DOB>; not mapped"},
		{File: xmlFile, Line: lineOf(t, data, "<UniqueID>AQD0128") - 3, Record: "AQD0128", Problem: `DOB "1985x" is not a date; kept as published`},
		{File: xmlFile, Line: lineOf(t, data, "<Nickname>"), Record: "AQD0377", Problem: "unknown element <Nickname> in <Designation>; not mapped"},
		{File: xmlFile, Line: lineOf(t, data, "<Sector>"), Record: "AQD0377", Problem: "unknown element <Sector> in <TypeOfEntities>; not mapped"},
	}
	if !slices.Equal(p.Issues, want) {
		t.Errorf("issues:\n%v\nwant:\n%v", p.Issues, want)
	}
	if len(p.Entities) != 4 {
		t.Fatalf("%d entities", len(p.Entities))
	}
	// The designations are otherwise mapped as published (the DOB with an
	// unknown child keeps its text "1985x": the issue says why).
	base := mustParse(t, "xml", orig)
	for i, e := range p.Entities {
		if e.ID == "gb_fcdo-AQD0128" {
			continue
		}
		if sourcetest.Canonical(e) != sourcetest.Canonical(base.Entities[i]) {
			t.Errorf("%s changed", e.ID)
		}
	}
}

// TestXMLRepeatedUniqueID: a second designation with a UniqueID already
// met is emitted too (the pipeline drops the later one after sorting).
func TestXMLRepeatedUniqueID(t *testing.T) {
	orig := excerptXML(t)
	start := bytes.Index(orig, []byte("  <Designation>\n    <LastUpdated>18/12/2021</LastUpdated>\n    <DateDesignated>03/10/2017"))
	end := bytes.LastIndex(orig, []byte("</Designations>"))
	ship := orig[start:end]
	data := append(bytes.Clone(orig[:end]), bytes.Replace(ship, []byte("Petrel 8"), []byte("Petrel 9"), 1)...)
	data = append(data, orig[end:]...)
	p := mustParse(t, "xml", data)
	if len(p.Issues) != 0 {
		t.Errorf("issues = %v", p.Issues)
	}
	var ships []string
	for _, e := range p.Entities {
		if e.ID == "gb_fcdo-DPR0075" {
			ships = append(ships, e.Name)
		}
	}
	slices.Sort(ships)
	if len(p.Entities) != 5 || !slices.Equal(ships, []string{"Petrel 8", "Petrel 9"}) {
		t.Errorf("entities: %d, ships DPR0075 %q, want 5 and both", len(p.Entities), ships)
	}
}

func TestIMOCheckDigit(t *testing.T) {
	tests := []struct {
		raw, value string
		valid      bool
	}{
		{"IMO9562233", "9562233", true}, // DPR0075 in the excerpt
		{"IMO 9562233", "9562233", true},
		{"9562233", "9562233", true},
		{"imo9826902", "9826902", true},
		{"IMO9562234", "9562234", false}, // wrong check digit
		{"IMO1234567", "1234567", true},  // 7+12+15+16+15+12 = 77
		{"IMO956223", "956223", false},
		{"IMO95622330", "95622330", false},
		{"IMO95622A3", "95622A3", false},
		{"", "", false},
	}
	for _, tc := range tests {
		id := imoIdentifier(tc.raw)
		if id.Type != "imo" || id.Value != tc.value || id.Raw != tc.raw || id.Valid == nil || *id.Valid != tc.valid {
			t.Errorf("imoIdentifier(%q) = %+v (valid %v), want value %q valid %v", tc.raw, id, *id.Valid, tc.value, tc.valid)
		}
	}
}

// designationXML is a publication with one designation of type kind whose
// remaining elements are inner.
func designationXML(kind, inner string) []byte {
	return []byte(`<?xml version="1.0" encoding="utf-8"?>
<Designations>
  <DateGenerated>14/08/2026</DateGenerated>
  <Designation>
    <DateDesignated>01/02/2024</DateDesignated>
    <UniqueID>TST0001</UniqueID>
    <RegimeName>Test regime</RegimeName>
    <IndividualEntityShip>` + kind + `</IndividualEntityShip>
` + inner + `
  </Designation>
</Designations>
`)
}

func nameXML(name1, name6, typ, strength string) string {
	s := "<Name>"
	if name1 != "" {
		s += "<Name1>" + name1 + "</Name1>"
	}
	if name6 != "" {
		s += "<Name6>" + name6 + "</Name6>"
	}
	if typ != "" {
		s += "<NameType>" + typ + "</NameType>"
	}
	if strength != "" {
		s += "<AliasStrength>" + strength + "</AliasStrength>"
	}
	return s + "</Name>"
}

// TestNames: name types and alias strengths, in both formats.
func TestNames(t *testing.T) {
	type name struct{ value, kind string }
	primary := nameXML("Ivan", "PETROV", "Primary Name", "")
	tests := []struct {
		name     string
		names    string
		nonLatin string
		want     string // the entity's name
		names2   []name
		problems []string
	}{
		{"variation", primary + nameXML("Iwan", "PETROFF", "Primary Name Variation", ""), "", "Ivan PETROV",
			[]name{{"Ivan PETROV", "primary"}, {"Iwan PETROFF", "alias"}}, nil},
		{"strengths", primary + nameXML("Vanya", "", "Alias", "Low quality a.k.a") + nameXML("", "PETROV-VODKIN", "alias", "Good quality a.k.a"), "", "Ivan PETROV",
			[]name{{"Ivan PETROV", "primary"}, {"PETROV-VODKIN", "alias"}, {"Vanya", "weak_alias"}}, nil},
		{"unknown strength", primary + nameXML("I.", "PETROV", "Alias", "Medium"), "", "Ivan PETROV",
			[]name{{"Ivan PETROV", "primary"}, {"I. PETROV", "alias"}}, []string{`unknown alias strength "Medium"; taken as a strong alias`}},
		{"unknown type", primary + nameXML("Vanya", "", "Nickname", ""), "", "Ivan PETROV",
			[]name{{"Ivan PETROV", "primary"}, {"Vanya", "alias"}}, []string{`unknown name type "Nickname"; taken as an alias`}},
		{"two primary names", primary + nameXML("Ioann", "PETROV", "Primary Name", ""), "", "Ivan PETROV",
			[]name{{"Ivan PETROV", "primary"}, {"Ioann PETROV", "alias"}}, []string{`second primary name "Ioann PETROV" (the first is "Ivan PETROV"); taken as an alias`}},
		{"no primary name", nameXML("Vanya", "", "Alias", ""), "", "Vanya",
			[]name{{"Vanya", "alias"}}, []string{`no primary name; the first name published ("Vanya") is used`}},
		{"only a non-Latin name", "", "<NonLatinName><NameNonLatinScript>Иван Петров</NameNonLatinScript><NonLatinScriptType>Cyrillic</NonLatinScriptType><NonLatinScriptLanguage>Russian</NonLatinScriptLanguage></NonLatinName>", "Иван Петров",
			[]name{{"Иван Петров", "alias"}}, []string{`no Latin-script name; the non-Latin name "Иван Петров" is used`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inner := ""
			if tc.names != "" {
				inner += "<Names>" + tc.names + "</Names>"
			}
			if tc.nonLatin != "" {
				inner += "<NonLatinNames>" + tc.nonLatin + "</NonLatinNames>"
			}
			data := designationXML("Individual", inner)
			csvData, err := renderCSV(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				format string
				data   []byte
				file   string
				line   int
			}{{"xml", data, xmlFile, 4}, {"csv", csvData, csvFile, 3}} {
				p := mustParse(t, f.format, f.data)
				if len(p.Entities) != 1 {
					t.Fatalf("%s: %d entities", f.format, len(p.Entities))
				}
				e := p.Entities[0]
				var got []name
				for _, n := range e.Names {
					got = append(got, name{n.Value, n.Kind})
				}
				if e.Name != tc.want || !slices.Equal(got, tc.names2) {
					t.Errorf("%s: name %q, names %v; want %q, %v", f.format, e.Name, got, tc.want, tc.names2)
				}
				var problems []string
				for _, is := range p.Issues {
					problems = append(problems, is.Problem)
					if is.File != f.file || is.Line != f.line || is.Record != "TST0001" {
						t.Errorf("%s: issue %+v, want file %s, line %d, record TST0001", f.format, is, f.file, f.line)
					}
				}
				if !slices.Equal(problems, tc.problems) {
					t.Errorf("%s: problems %q, want %q", f.format, problems, tc.problems)
				}
			}
		})
	}
	// A designation without any name cannot make an entity.
	p := mustParse(t, "xml", designationXML("Entity", ""))
	if len(p.Entities) != 0 || len(p.Issues) != 1 || p.Issues[0].Problem != "designation without a name; skipped" {
		t.Errorf("no names: %d entities, issues %v", len(p.Entities), p.Issues)
	}
}

// fullXML uses every element the parser knows that the excerpt lacks.
const fullXML = `
    <OFSIGroupID>99999</OFSIGroupID>
    <Names>
      <Name><Name1>Ocean</Name1><Name2>Star</Name2><Name6>SHIPPING LLC</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name6>OSS</Name6><NameType>Alias</NameType><AliasStrength>Low quality a.k.a</AliasStrength></Name>
    </Names>
    <NonLatinNames>
      <NonLatinName>
        <NameNonLatinScript>Оушен Стар Шиппинг</NameNonLatinScript>
        <NonLatinScriptType>Cyrillic</NonLatinScriptType>
        <NonLatinScriptLanguage>Russian</NonLatinScriptLanguage>
      </NonLatinName>
    </NonLatinNames>
    <DesignationSource>UK</DesignationSource>
    <SanctionsImposed>Asset freeze|Trust services sanctions</SanctionsImposed>
    <UKStatementofReasons>Involved in obtaining a benefit from the Government of Russia.</UKStatementofReasons>
    <Addresses>
      <Address>
        <AddressLine1>Office 5</AddressLine1><AddressLine2>12 Harbour Road</AddressLine2><AddressLine3>Block B</AddressLine3>
        <AddressLine4>Marina</AddressLine4><AddressLine5>Dubai</AddressLine5><AddressLine6>Dubai Emirate</AddressLine6>
        <AddressPostalCode>PO Box 123</AddressPostalCode><AddressCountry>United Arab Emirates</AddressCountry>
      </Address>
    </Addresses>
    <PhoneNumbers><PhoneNumber>+971 4 000 0000</PhoneNumber></PhoneNumbers>
    <EmailAddresses><EmailAddress>Info@Ocean-Star.example; ops@ocean-star.example</EmailAddress></EmailAddresses>
    <Websites><Website>www.ocean-star.example</Website></Websites>
    <EntityDetails>
      <Entity>
        <TypeOfEntities><TypeOfEntity>Limited Liability Company</TypeOfEntity><TypeOfEntity>Ship manager</TypeOfEntity></TypeOfEntities>
        <Subsidiaries><Subsidiary>Ocean Star Crewing</Subsidiary></Subsidiaries>
        <ParentCompanies><ParentCompany>Star Holding Ltd</ParentCompany></ParentCompanies>
        <BusinessRegistrationNumbers><BusinessRegistrationNumber>ae 1234 56</BusinessRegistrationNumber></BusinessRegistrationNumbers>
      </Entity>
    </EntityDetails>
    <ShipDetails>
      <Ship>
        <IMONumbers><IMONumber>IMO 9562234</IMONumber></IMONumbers>
        <PreviousOwnerOperators><PreviousOwnerOperator>Old Owner SA</PreviousOwnerOperator></PreviousOwnerOperators>
        <CurrentBelievedFlagOfShips><CurrentBelievedFlagOfShip>Panama</CurrentBelievedFlagOfShip><CurrentBelievedFlagOfShip>Gabon</CurrentBelievedFlagOfShip></CurrentBelievedFlagOfShips>
        <TonnageOfShipDetails><TonnageOfShip>99,144</TonnageOfShip></TonnageOfShipDetails>
        <HullIdentificationNumbers><HullIdentificationNumber>ABC12345D404</HullIdentificationNumber></HullIdentificationNumbers>
      </Ship>
    </ShipDetails>
    <IndividualDetails>
      <Individual>
        <Genders><Gender>Male</Gender></Genders>
        <NationalIdentifierDetails>
          <NationalIdentifier><NationalIdentifierNumber>784-1970-1234567-1</NationalIdentifierNumber></NationalIdentifier>
        </NationalIdentifierDetails>
      </Individual>
    </IndividualDetails>`

// TestEveryElement: the elements the excerpt does not show reach the
// entity too, in both formats.
func TestEveryElement(t *testing.T) {
	invalid := false
	want := &entity.Entity{
		ID: "gb_fcdo-TST0001", Source: "gb_fcdo", SourceID: "TST0001", Type: entity.Organization,
		Name: "Ocean Star SHIPPING LLC",
		Names: []entity.Name{
			latin("Ocean Star SHIPPING LLC", "primary", "ocean star shipping llc", nil),
			latin("OSS", "weak_alias", "oss", nil),
			{Value: "Оушен Стар Шиппинг", Kind: "alias", Script: "Cyrl", Lang: "Russian", Normalized: "оушен стар шиппинг"},
		},
		Gender: "male",
		Addresses: []entity.Address{{
			Full:   "Office 5, 12 Harbour Road, Block B, Marina, Dubai, Dubai Emirate, PO Box 123, United Arab Emirates",
			Street: "Office 5, 12 Harbour Road, Block B, Marina, Dubai, Dubai Emirate", PostalCode: "PO Box 123",
			CountryRaw: "United Arab Emirates",
		}},
		Identifiers: []entity.Identifier{
			other("99999", "OFSI Group ID"),
			{Type: "phone", Value: "+971 4 000 0000", Raw: "+971 4 000 0000", RawType: "Phone number"},
			{Type: "email", Value: "info@ocean-star.example", Raw: "Info@Ocean-Star.example; ops@ocean-star.example", RawType: "Email address"},
			{Type: "email", Value: "ops@ocean-star.example", Raw: "Info@Ocean-Star.example; ops@ocean-star.example", RawType: "Email address"},
			{Type: "website", Value: "www.ocean-star.example", Raw: "www.ocean-star.example", RawType: "Website"},
			{Type: "registration_number", Value: "AE123456", Raw: "ae 1234 56", RawType: "Business registration number"},
			{Type: "imo", Value: "9562234", Raw: "IMO 9562234", RawType: "IMO number", Valid: &invalid},
			other("ABC12345D404", "Hull identification number (HIN)"),
			{Type: "national_id", Value: "784-1970-1234567-1", Raw: "784-1970-1234567-1", RawType: "National Identifier number"},
		},
		Programs: []string{"Test regime"},
		ListedOn: "2024-02-01",
		// An invalid IMO number stays out of vessel.imo.
		Vessel: &entity.VesselInfo{Flag: "Gabon", Tonnage: "99144"},
		Remarks: "Designation source: UK; Sanctions imposed: Asset freeze|Trust services sanctions; " +
			"UK statement of reasons: Involved in obtaining a benefit from the Government of Russia.; " +
			"Type of entity: Limited Liability Company; Ship manager; Current believed flag of ship: Gabon; Panama",
		Relations: []entity.Relation{
			{Type: "subsidiary", TargetName: "Ocean Star Crewing"},
			{Type: "parent", TargetName: "Star Holding Ltd"},
			{Type: "previous_owner_operator", TargetName: "Old Owner SA"},
		},
	}
	want.Canonicalize()
	data := designationXML("Entity", fullXML)
	csvData, err := renderCSV(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		format string
		data   []byte
	}{{"xml", data}, {"csv", csvData}} {
		p := mustParse(t, f.format, f.data)
		if len(p.Issues) > 0 {
			t.Errorf("%s: issues %v", f.format, p.Issues)
		}
		if len(p.Entities) != 1 {
			t.Fatalf("%s: %d entities", f.format, len(p.Entities))
		}
		if got, exp := sourcetest.Canonical(p.Entities[0]), sourcetest.Canonical(want); got != exp {
			t.Errorf("%s differs in %v\n got: %s\nwant: %s", f.format, differingFields(t, got, exp), got, exp)
		}
	}
}

// TestXMLDocumentIssues: problems with the document that leave it usable.
func TestXMLDocumentIssues(t *testing.T) {
	orig := excerptXML(t)
	base := mustParse(t, "xml", orig)
	tests := []struct {
		name   string
		data   []byte
		date   string
		issues []sources.Issue
	}{
		{"a namespace on the root", bytes.Replace(orig, []byte("<Designations "), []byte(`<Designations xmlns="urn:example" `), 1), "2026-08-14",
			[]sources.Issue{{File: xmlFile, Line: 2, Problem: `unknown namespace "urn:example" on <Designations>; parsed as the known ones`}}},
		{"no DateGenerated element", bytes.Replace(orig, []byte("<DateGenerated>14/08/2026</DateGenerated>"), nil, 1), "2026-08-14",
			[]sources.Issue{{File: xmlFile, Line: 2, Problem: "no usable DateGenerated; publication date taken from the dateGenerated attribute"}}},
		{"a DateGenerated that is not a date", bytes.Replace(orig, []byte("<DateGenerated>14/08/2026"), []byte("<DateGenerated>dd/08/2026"), 1), "2026-08-14",
			[]sources.Issue{
				{File: xmlFile, Line: 3, Problem: `DateGenerated "dd/08/2026" is not dd/mm/yyyy`},
				{File: xmlFile, Line: 2, Problem: "no usable DateGenerated; publication date taken from the dateGenerated attribute"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, "xml", tc.data)
			if !slices.Equal(p.Issues, tc.issues) {
				t.Errorf("issues:\n%v\nwant:\n%v", p.Issues, tc.issues)
			}
			if p.Meta.PublicationDate != tc.date {
				t.Errorf("publication date %q, want %q", p.Meta.PublicationDate, tc.date)
			}
			if !slices.Equal(p.Lines, base.Lines) {
				t.Errorf("entities differ from the published file's")
			}
		})
	}
}

package eu

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// name builds an expected names[] entry: value, kind, lang and parts as the
// excerpt prints them; script, ascii and match key from normalize.
func name(value, kind, lang string, parts *entity.NameParts) entity.Name {
	n := normalize.Name(value, kind)
	n.Lang, n.Parts = lang, parts
	return n
}

func euRef(v string) entity.Identifier {
	return entity.Identifier{Type: "other", Value: v, Raw: v, RawType: "EU reference number"}
}

func phone(v, key, note string) entity.Identifier {
	return entity.Identifier{Type: "phone", Value: v, Raw: v, RawType: key, Note: note}
}

func pk(street, city string) entity.Address {
	return entity.Address{Full: street + ", " + city + ", PAKISTAN", Street: street, City: city, Country: "PK", CountryRaw: "PAKISTAN"}
}

// excerptEntities are the four records of the 2026-08-05 excerpt, written
// by hand from the XML text (line numbers in the comments).
func excerptEntities() []*entity.Entity {
	alias, primary := entity.KindAlias, entity.KindPrimary
	return []*entity.Entity{
		{
			// lines 3-23: person, one regulation, three names, one
			// citizenship, one birth date.
			ID: "eu_fsf-13", Source: "eu_fsf", SourceID: "13", Type: entity.Person,
			Name: "Saddam Hussein Al-Tikriti",
			Names: []entity.Name{
				// logicalId 17, the lowest: primary.
				name("Saddam Hussein Al-Tikriti", primary, "", &entity.NameParts{Given: "Saddam", Family: "Hussein Al-Tikriti"}),
				name("Abu Ali", alias, "", nil),
				name("Abou Ali", alias, "fr", nil),
			},
			BirthDates:   []entity.Date{{Value: "1937-04-28", Precision: "day", Raw: "1937-04-28"}},
			BirthPlaces:  []string{"al-Awja, near Tikrit, IRAQ"},
			Citizenships: []entity.Country{{Code: "IQ", Raw: "IRAQ"}},
			Gender:       "male",
			Identifiers:  []entity.Identifier{euRef("EU.27.28")},
			Programs:     []string{"IRQ"},
			// No designationDate: the regulation of 2003-07-08.
			ListedOn: "2003-07-08",
			Remarks:  "UNSC RESOLUTION 1483",
		},
		{
			// lines 25-58: seven names, two in French; the lowest
			// logicalId in the regulation language (289, EN) is primary.
			ID: "eu_fsf-191", Source: "eu_fsf", SourceID: "191", Type: entity.Person,
			Name: "Khalid Sheikh MOHAMMED",
			Names: []entity.Name{
				name("Khalid Sheikh MOHAMMED", primary, "en", &entity.NameParts{Given: "Khalid Sheikh", Family: "MOHAMMED"}),
				name("Bin Khalid Fahd Bin Adballah", alias, "fr", nil),
				name("Wadood Khalid Adbul", alias, "fr", nil),
				name("Henin Ashraf Refaat Nabith", alias, "", nil),
				name("Bin Khalid Fahd Bin Abdallah", alias, "en", nil),
				name("Wadood Khalid Abdul", alias, "", nil),
				name("Ali Salem", alias, "", nil),
			},
			BirthDates: []entity.Date{
				{Value: "1965-04-14", Precision: "day", Raw: "1965-04-14"},
				{Value: "1964-03-01", Precision: "day", Raw: "1964-03-01"},
			},
			// city "-" is the publication's null.
			BirthPlaces: []string{"PAKISTAN", "PAKISTAN"},
			Gender:      "male",
			Identifiers: []entity.Identifier{
				euRef("EU.3579.2"),
				// countryIso2Code 00 / UNKNOWN: no country.
				{Type: "passport", Value: "488555", Raw: "488555", RawType: "National passport"},
			},
			Programs: []string{"TERR"},
			// The earliest regulation the record cites: the birth dates'
			// 2005/848/EC of 2005-11-30.
			ListedOn: "2005-11-30",
		},
		{
			// lines 60-74: enterprise, one name, two addresses.
			ID: "eu_fsf-980", Source: "eu_fsf", SourceID: "980", Type: entity.Organization,
			Name:  "Global Relief Foundation (GRF)",
			Names: []entity.Name{name("Global Relief Foundation (GRF)", primary, "", nil)},
			Addresses: []entity.Address{
				{Full: "Bridgeview, Illinois, PO Box 1406 - 60455, UNITED STATES", City: "Bridgeview, Illinois",
					PostalCode: "PO Box 1406 - 60455", Country: "US", CountryRaw: "UNITED STATES"},
				{Full: "9935 South 76th Avenue, Unit 1, Bridgeview, Illinois, 60455, UNITED STATES", Street: "9935 South 76th Avenue, Unit 1",
					City: "Bridgeview, Illinois", PostalCode: "60455", Country: "US", CountryRaw: "UNITED STATES"},
			},
			Identifiers: []entity.Identifier{euRef("EU.589.30")},
			Programs:    []string{"TAQA"},
			// The name's 1102/2009 of 2009-11-18.
			ListedOn: "2009-11-18",
		},
		{
			// lines 76-173: designationDate, twelve names (one in
			// Bulgarian, one with a remark), eleven addresses, five with
			// contactInfo.
			ID: "eu_fsf-330", Source: "eu_fsf", SourceID: "330", Type: entity.Organization,
			Name: "Al Rashid Trust",
			Names: []entity.Name{
				name("Al-Rasheed Trust", alias, "en", nil),
				name("Al Rasheed Trust", alias, "en", nil),
				name("Al-Rashid Trust", alias, "en", nil),
				name("Организация за подпомагане на Ulema, Пакистан", alias, "bg", nil),
				name("Aid Organisation of the Ulema, Pakistan", alias, "en", nil),
				name("Al Madina Trust", alias, "en", nil),
				name("Al Amin Trust", alias, "en", nil),
				name("Al Ameen Trust", alias, "en", nil),
				name("Al-Madina Trust", alias, "en", nil),
				// logicalId 908, the lowest.
				name("Al Rashid Trust", primary, "en", nil),
				name("Al-Ameen Trust", alias, "en", nil),
				name("Al Amin Welfare Trust", alias, "en", nil),
			},
			Addresses: []entity.Address{
				pk("302b-40 Good Earth Court, Opposite Pia Planitarium, Block 13a, Gushan-I Igbal", "Karachi"),
				pk("Kitas Ghar, Nazimabad 4, Dahgel-Iftah", "Karachi"),
				pk("605 Landmark Plaza, 11 Chundrigar Road, Opposite Jang Building", "Karachi"),
				pk("Office Dha’rbi-M’unin, Opposite Khyber Bank, Abbottabad Road", "Mansehra"),
				pk("617 Clifton Center, Block 5, 6th floor, Clifton", "Karachi"),
				{Full: "Office Dha’rbi-M’unin, Top Floor, Dr. Dawa Khan Dental Clinic Surgeon, Main Baxae,Mingora, Mingora, Swat, PAKISTAN",
					Street: "Office Dha’rbi-M’unin, Top Floor, Dr. Dawa Khan Dental Clinic Surgeon, Main Baxae,Mingora",
					City:   "Mingora", Region: "Swat", Country: "PK", CountryRaw: "PAKISTAN"},
				pk("Kitab Ghar, Darul Ifta Wal Irshad, Nazimbad No 4", "Karachi"),
				pk("Jamia Maajid, Sulalman Park, Melgium Pura", "Lahore"),
				pk("Office Dha’rbi-M’unin ZR Brothers, Katcherry Road, Chowk Yadgaar", "Peshawar"),
				pk("Jamia Masjid Sulaiman Park, Begum Pura", "Lahore"),
				pk("Office Dha’rbi-M’unin, Rm No. 3, Moti Plaza, Near Liaquat Bagh, Muree Road", "Rawalpindi"),
			},
			Identifiers: []entity.Identifier{
				euRef("EU.522.39"),
				phone("497 92 63", "PHONE", ""),
				phone("262 38 18-19", "PHONE", ""),
				phone("587-25 45", "PHONE", ""),
				phone("668 33 01; 0300- 820 91 99", "PHONE", ""),
				phone("662 38 14", "FAX", "fax"),
				phone("042-681 20 81", "PHONE", ""),
			},
			Programs: []string{"TAQA"},
			ListedOn: "2001-10-06",
			// The remark of nameAlias 908, its line breaks collapsed.
			Remarks: "Banned in Pakistan since October 2001. Reportedly defunct. Headquarters were in Pakistan. " +
				"Founded by Mufti Rashid Ahmad Ledahyanoy. Associated with Jaish-i-Mohammed. Operations in Afghanistan: " +
				"Herat, Jalalabad, Kabul, Kandahar, Mazar, Sherif, also operations in Kosovo, Chechnya. Until 21.10.2008 " +
				"the UN list included the entries ‘Al Rashid Trust’ (listed on 6.10.2001) and ‘Aid Organization of the " +
				"Ulema, Pakistan’ (listed on 24.4.2002 and amended on 25.7.2006); The two entries were consolidated into " +
				"this entry on 21 October 2008.",
		},
	}
}

// TestXMLExcerpt: every field of the four real records reaches its
// entity, and nothing else does.
func TestXMLExcerpt(t *testing.T) {
	p := mustParse(t, "xml", excerptXML(t))
	if p.Meta != (sources.Meta{PublicationDate: "2026-08-05"}) {
		t.Errorf("meta = %+v", p.Meta)
	}
	if len(p.Issues) != 0 {
		t.Errorf("issues: %v", p.Issues)
	}
	want := excerptEntities()
	if len(p.Emitted) != len(want) {
		t.Fatalf("%d entities, want %d", len(p.Emitted), len(want))
	}
	for i, w := range want {
		w.Canonicalize()
		if got := p.Emitted[i]; got.ID != w.ID {
			t.Errorf("entity %d is %s, want %s (document order)", i, got.ID, w.ID)
		}
		got := p.ByID[w.ID]
		if got == nil {
			t.Errorf("%s missing", w.ID)
			continue
		}
		if g, e := sourcetest.Canonical(got), sourcetest.Canonical(w); g != e {
			t.Errorf("%s:\n got %s\nwant %s", w.ID, g, e)
		}
	}
	counts := map[entity.Type]int{}
	names, addrs, ids := 0, 0, 0
	for _, e := range p.Emitted {
		counts[e.Type]++
		names += len(e.Names)
		addrs += len(e.Addresses)
		ids += len(e.Identifiers)
	}
	if counts[entity.Person] != 2 || counts[entity.Organization] != 2 || names != 23 || addrs != 13 || ids != 11 {
		t.Errorf("counts: %v, %d names, %d addresses, %d identifiers", counts, names, addrs, ids)
	}
}

// TestXMLNamespaces: the excerpt with its namespace, none and another
// gives the same entities, with the namespace left to xmlquery or not.
func TestXMLNamespaces(t *testing.T) {
	orig := excerptXML(t)
	const decl = `xmlns="http://eu.europa.ec/fpi/fsd/export"`
	if !bytes.Contains(orig, []byte(decl)) {
		t.Fatal("testdata lost its namespace declaration")
	}
	want := mustParse(t, "xml", orig).SortedLines()
	tests := []struct {
		name, decl string
		issues     []string
	}{
		{"published", decl, nil},
		{"prefixed", `xmlns:fsd="http://eu.europa.ec/fpi/fsd/export" xmlns="http://eu.europa.ec/fpi/fsd/export"`, nil},
		{"other", `xmlns="urn:example"`, []string{`unknown namespace "urn:example" on <export>; parsed as the known ones`}},
		{"none", ``, []string{`unknown namespace "" on <export>; parsed as the known ones`}},
	}
	for _, tc := range tests {
		for _, keep := range []bool{false, true} {
			name := tc.name
			if keep {
				name += "/xmlquery resolves it"
			}
			t.Run(name, func(t *testing.T) {
				src := New(Config{}).(*source)
				src.keepXMLNS = keep
				p := sourcetest.ParseInput(t, src, inputOf(t, "xml", bytes.Replace(orig, []byte(decl), []byte(tc.decl), 1)))
				if p.Err != nil {
					t.Fatal(p.Err)
				}
				if got := problems(p.Issues); !slices.Equal(got, tc.issues) {
					t.Errorf("issues = %q, want %q", got, tc.issues)
				}
				if got := p.SortedLines(); !slices.Equal(got, want) {
					t.Errorf("entities differ from the published file's")
				}
			})
		}
	}
}

func TestXMLBadInput(t *testing.T) {
	orig := excerptXML(t)
	half := orig[:len(orig)/2]
	// Cut right after the second record: the root never closes.
	cut := bytes.Index(orig, []byte("<sanctionEntity designationDetails=\"\" unitedNationId=\"\" euReferenceNumber=\"EU.589.30\""))
	html := "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>403 Forbidden</title></head>\n<body><h1>Forbidden</h1></body>\n</html>\n"
	tests := []struct {
		name    string
		data    []byte
		line    int
		message string
		syntax  bool // the error wraps an *xml.SyntaxError
	}{
		{"truncated", half, bytes.Count(half, []byte("\n")) + 1, "truncated", false},
		{"truncated between records", orig[:cut], bytes.Count(orig[:cut], []byte("\n")) + 1, "truncated", false},
		{"truncated in the root tag", orig[:100], 2, "truncated", false},
		{"html error page", []byte(html), 2, "root element <html> (an HTML page, not the list), want <export>", false},
		{"html, not well-formed", []byte("<!DOCTYPE html>\n\n<html lang=en><body>Access Denied</body></html>"), 3, "root element <html> (an HTML page, not the list), want <export>", false},
		{"wrong root", []byte("<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code></Error>"), 2, "root element <Error>, want <export>", false},
		{"UN list", []byte("<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-01-01\"/>"), 2, "root element <CONSOLIDATED_LIST>, want <export>", false},
		{"empty file", nil, 0, "empty file", false},
		{"no element", []byte("not xml at all\n"), 0, "no root element", false},
		{"UTF-16 BOM", append([]byte{0xFF, 0xFE}, "<\x00e\x00"...), 1, "UTF-16 byte order mark at byte 0", false},
		{"UTF-16 BOM, big-endian", append([]byte{0xFE, 0xFF}, "\x00<\x00e"...), 1, "UTF-16 byte order mark at byte 0", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parseData(t, "xml", tc.data)
			var re *sources.RecordError
			if !errors.As(p.Err, &re) {
				t.Fatalf("err = %v, want a *sources.RecordError", p.Err)
			}
			if re.Source != "eu_fsf" || re.File != XMLFile || re.Line != tc.line || !strings.Contains(re.Error(), tc.message) ||
				!strings.Contains(re.Error(), XMLFile) {
				t.Errorf("err = %q (line %d), want file %s, line %d, %q", re, re.Line, XMLFile, tc.line, tc.message)
			}
			var se *xml.SyntaxError
			if errors.As(p.Err, &se) != tc.syntax {
				t.Errorf("wraps *xml.SyntaxError: %v, want %v", !tc.syntax, tc.syntax)
			}
		})
	}
}

// TestXMLBOM: a UTF-8 byte order mark, which XML allows, changes no
// entity and is reported once.
func TestXMLBOM(t *testing.T) {
	orig := excerptXML(t)
	want := mustParse(t, "xml", orig).SortedLines()
	p := mustParse(t, "xml", append(bytes.Clone(bomUTF8), orig...))
	if !slices.Equal(p.SortedLines(), want) || len(p.Issues) != 1 || !strings.Contains(p.Issues[0].Problem, "byte order mark") || p.Meta.PublicationDate != "2026-08-05" {
		t.Errorf("with a BOM: %d entities, issues %v, meta %+v", len(p.Emitted), p.Issues, p.Meta)
	}
}

// insertAfter returns data with ins inserted after the first anchor, and
// the line ins starts on.
func insertAfter(t *testing.T, data []byte, anchor, ins string) ([]byte, int) {
	t.Helper()
	i := bytes.Index(data, []byte(anchor))
	if i < 0 {
		t.Fatalf("anchor %q not found", anchor)
	}
	i += len(anchor)
	out := append(bytes.Clone(data[:i]), ins...)
	return append(out, data[i:]...), bytes.Count(data[:i], []byte("\n")) + 1
}

// TestXMLUnknown: elements and attributes the mapping does not know are
// issues naming them, the record's logicalId and the line; the record
// still maps. An unknown attribute is reported once per file.
func TestXMLUnknown(t *testing.T) {
	orig := excerptXML(t)
	// A new element in the first enterprise, an unknown child of an
	// address, an unknown attribute twice, an element between records.
	data, _ := insertAfter(t, orig, "<subjectType code=\"enterprise\" classificationCode=\"E\"/>\n", "        <vesselInfo imo=\"1234567\"/>\n")
	data, _ = insertAfter(t, data, "<contactInfo key=\"PHONE\" value=\"497 92 63\"/>\n", "            <geo lat=\"1\"/>\n")
	data = bytes.Replace(data, []byte(`<citizenship region=""`), []byte(`<citizenship since="1990" region=""`), 1)
	data = bytes.Replace(data, []byte(`asAtListingTime="false"`), []byte(`asAtListingTime="false" verified="yes"`), 2)
	data, _ = insertAfter(t, data, "</sanctionEntity>\n", "  <note>x</note>\n")
	lineOf := func(s string) int {
		i := bytes.Index(data, []byte(s))
		if i < 0 {
			t.Fatalf("%q not found", s)
		}
		return bytes.Count(data[:i], []byte("\n")) + 1
	}
	p := mustParse(t, "xml", data)
	if len(p.Emitted) != 4 {
		t.Fatalf("%d entities", len(p.Emitted))
	}
	want := []sources.Issue{
		{File: XMLFile, Line: lineOf(`since="1990"`), Record: "13", Problem: "unknown attribute since on <citizenship>; not mapped (further occurrences not reported)"},
		{File: XMLFile, Line: lineOf("<note>"), Problem: "unknown element <note> in <export>; not mapped"},
		{File: XMLFile, Line: lineOf("<vesselInfo"), Record: "980", Problem: "unknown element <vesselInfo> in <sanctionEntity>; not mapped"},
		{File: XMLFile, Line: lineOf(`verified="yes"`), Record: "980", Problem: "unknown attribute verified on <address>; not mapped (further occurrences not reported)"},
		{File: XMLFile, Line: lineOf("<geo"), Record: "330", Problem: "unknown element <geo> in <address>; not mapped"},
	}
	if !slices.Equal(p.Issues, want) {
		t.Errorf("issues:\n got %v\nwant %v", p.Issues, want)
	}
}

// TestXMLRepeatedLogicalID: the parser emits both records of a repeated
// logicalId (the pipeline drops the later one after sorting): the excerpt
// with record 191 given logicalId 13, which the first record has.
func TestXMLRepeatedLogicalID(t *testing.T) {
	orig := excerptXML(t)
	whole := mustParse(t, "xml", orig)
	data := bytes.Replace(orig, []byte(`logicalId="191">`), []byte(`logicalId="13">`), 1)
	if bytes.Equal(data, orig) {
		t.Fatal(`logicalId="191"> not in the excerpt`)
	}
	p := mustParse(t, "xml", data)
	if len(p.Issues) != 0 {
		t.Errorf("issues %v", p.Issues)
	}
	var got []string
	for _, e := range p.Emitted {
		got = append(got, e.ID+" "+e.Name)
	}
	want := []string{
		"eu_fsf-13 " + whole.ByID["eu_fsf-13"].Name, "eu_fsf-13 " + whole.ByID["eu_fsf-191"].Name,
		"eu_fsf-980 " + whole.ByID["eu_fsf-980"].Name, "eu_fsf-330 " + whole.ByID["eu_fsf-330"].Name,
	}
	if !slices.Equal(got, want) {
		t.Errorf("entities\n got %q\nwant %q", got, want)
	}
}

// TestXMLRecordProblems: records the mapping cannot use are skipped with
// an issue; the others map.
func TestXMLRecordProblems(t *testing.T) {
	orig := excerptXML(t)
	tests := []struct {
		name, old, new string
		entities       int
		problem        string
		record         string
	}{
		{"bad logicalId", `euReferenceNumber="EU.27.28" logicalId="13"`, `euReferenceNumber="EU.27.28" logicalId="x13"`, 3,
			`logicalId "x13" is not a positive integer; record skipped`, "x13"},
		{"no names", `wholeName="Global Relief Foundation (GRF)"`, `wholeName=""`, 3, "sanctionEntity without a name; record skipped", "980"},
		{"unknown subject type", `<subjectType code="enterprise" classificationCode="E"/>` + "\n        <nameAlias firstName=\"\" middleName=\"\" lastName=\"\" wholeName=\"Global",
			`<subjectType code="vessel" classificationCode="V"/>` + "\n        <nameAlias firstName=\"\" middleName=\"\" lastName=\"\" wholeName=\"Global", 4,
			`unknown subjectType code "vessel" (classificationCode "V"); type unknown`, "980"},
		{"bad country code", `countryIso2Code="IQ" countryDescription="IRAQ" regulationLanguage="en" logicalId="1"`,
			`countryIso2Code="IRQ" countryDescription="IRAQ" regulationLanguage="en" logicalId="1"`, 4,
			`citizenship countryIso2Code "IRQ" is not a two-letter code; no code set`, "13"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(orig, []byte(tc.old)) {
				t.Fatalf("%q not in the excerpt", tc.old)
			}
			p := mustParse(t, "xml", bytes.Replace(orig, []byte(tc.old), []byte(tc.new), 1))
			if len(p.Emitted) != tc.entities {
				t.Errorf("%d entities, want %d", len(p.Emitted), tc.entities)
			}
			if len(p.Issues) != 1 || p.Issues[0].Problem != tc.problem || p.Issues[0].Record != tc.record ||
				p.Issues[0].File != XMLFile || p.Issues[0].Line == 0 {
				t.Errorf("issues = %v, want one %q for record %s with a line", p.Issues, tc.problem, tc.record)
			}
		})
	}
}

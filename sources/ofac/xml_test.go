package ofac

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

const cons20180406 = "us_ofac_cons/2018-04-06/consolidated.xml.gz"

func consXML(t testing.TB, data []byte) *sources.Input {
	return sourcetest.InputOf(t, "xml", map[string][]byte{"CONSOLIDATED.XML": data})
}

// TestXMLNamespaces parses the real 2018-04-06 file with its namespace as
// published (the old tempuri one), with the 2024+ namespace put in its
// place, with an unknown one and with none; each both with and without
// the namespace declaration left to xmlquery.
func TestXMLNamespaces(t *testing.T) {
	orig := readTestdata(t, cons20180406)
	const decl = `xmlns="http://tempuri.org/sdnList.xsd"`
	if !bytes.Contains(orig, []byte(decl)) {
		t.Fatal("testdata lost its namespace declaration")
	}
	base := sourcetest.MustParse(t, NewConsolidated(Config{}), consXML(t, orig))
	want := base.SortedLines()
	tests := []struct {
		name   string
		decl   string
		issues []sources.Issue
	}{
		{"tempuri", decl, nil},
		{"sanctions list service", `xmlns="` + nsSLS + `"`, nil},
		{"unknown", `xmlns="urn:example"`, []sources.Issue{{File: "CONSOLIDATED.XML", Line: 2,
			Problem: `unknown namespace "urn:example" on <sdnList>; parsed as the known ones`}}},
		{"none", ``, []sources.Issue{{File: "CONSOLIDATED.XML", Line: 2,
			Problem: `unknown namespace "" on <sdnList>; parsed as the known ones`}}},
	}
	for _, tc := range tests {
		for _, keep := range []bool{false, true} {
			name := tc.name
			if keep {
				name += "/xmlquery resolves it"
			}
			t.Run(name, func(t *testing.T) {
				data := bytes.Replace(orig, []byte(decl), []byte(tc.decl), 1)
				src := NewConsolidated(Config{}).(*source)
				src.keepXMLNS = keep
				p := sourcetest.MustParse(t, src, consXML(t, data))
				if p.Meta.PublicationDate != "2018-04-06" || p.Meta.DeclaredCount != 639 {
					t.Errorf("meta = %+v", p.Meta)
				}
				if !slices.Equal(p.Issues, tc.issues) {
					t.Errorf("issues = %v, want %v", p.Issues, tc.issues)
				}
				if got := p.SortedLines(); !slices.Equal(got, want) {
					t.Errorf("entities differ from the published file's (%d vs %d)", len(got), len(want))
				}
			})
		}
	}
}

func TestXMLBadInput(t *testing.T) {
	orig := readTestdata(t, cons20180406)
	half := orig[:len(orig)/2]
	html := "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>403 Forbidden</title></head>\n<body><h1>Forbidden</h1></body>\n</html>\n"
	tests := []struct {
		name    string
		data    []byte
		line    int
		message string
		syntax  bool // the error wraps an *xml.SyntaxError
	}{
		{"truncated", half, bytes.Count(half, []byte("\n")) + 1, "truncated", false},
		{"truncated in the header", orig[:200], bytes.Count(orig[:200], []byte("\n")) + 1, "truncated", false},
		{"html error page", []byte(html), 2, "root element <html> (an HTML page, not the list), want <sdnList>", false},
		{"html, not well-formed", []byte("<!DOCTYPE html>\n\n<html lang=en><body>Access Denied</body></html>"), 3, "root element <html> (an HTML page, not the list), want <sdnList>", false},
		{"wrong root", []byte("<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code></Error>"), 2, "root element <Error>, want <sdnList>", false},
		{"large html page", []byte("<!DOCTYPE html>\n<html lang=en>\n<body>" + strings.Repeat("<p>Access denied.</p>\n", 5000) + "</body></html>\n"), 2, "root element <html> (an HTML page, not the list), want <sdnList>", false},
		{"large comment before the root", []byte("<?xml version=\"1.0\"?>\n<!--" + strings.Repeat("x", 70000) + "-->\n<sdnList/>"), 0, "no root element in the first 65536 bytes", false},
		{"empty file", nil, 0, "empty file", false},
		{"no element", []byte("not xml at all\n"), 0, "no root element", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := sourcetest.ParseInput(t, NewConsolidated(Config{}), consXML(t, tc.data))
			var re *sources.RecordError
			if !errors.As(p.Err, &re) {
				t.Fatalf("err = %v, want a *sources.RecordError", p.Err)
			}
			if re.Source != "us_ofac_cons" || re.File != "CONSOLIDATED.XML" || re.Line != tc.line || !strings.Contains(re.Error(), tc.message) {
				t.Errorf("err = %q (line %d), want file CONSOLIDATED.XML, line %d, %q", re, re.Line, tc.line, tc.message)
			}
			var se *xml.SyntaxError
			if errors.As(p.Err, &se) != tc.syntax {
				t.Errorf("wraps *xml.SyntaxError: %v, want %v", !tc.syntax, tc.syntax)
			}
		})
	}
	// An error page served as SDN.XML names that file.
	p := sourcetest.ParseInput(t, NewSDN(Config{}), sourcetest.InputOf(t, "xml", map[string][]byte{"SDN.XML": []byte(html)}))
	if p.Err == nil || !strings.Contains(p.Err.Error(), "us_ofac_sdn: parse SDN.XML line 2: root element <html> (an HTML page, not the list), want <sdnList>") {
		t.Errorf("err = %v", p.Err)
	}
}

// TestXMLUnknownElements: elements the mapping does not know are issues
// naming the element, the entry's uid and the line; the entry still maps.
func TestXMLUnknownElements(t *testing.T) {
	orig := readTestdata(t, cons20180406)
	// The file has CRLF line ends.
	anchor := []byte("<uid>4633</uid>\r\n    <lastName>BANK MASKAN</lastName>\r\n")
	i := bytes.Index(orig, anchor)
	if i < 0 {
		t.Fatal("anchor not found")
	}
	i += len(anchor)
	line := bytes.Count(orig[:i], []byte("\n")) + 1
	var data []byte
	data = append(data, orig[:i]...)
	data = append(data, "    <newField>x</newField>\r\n"...)
	data = append(data, orig[i:]...)
	// And one before the first entry, in sdnList.
	data = bytes.Replace(data, []byte("  </publshInformation>\r\n"), []byte("  </publshInformation>\r\n  <note>hi</note>\r\n"), 1)
	line++
	noteLine := bytes.Count(data[:bytes.Index(data, []byte("<note>"))], []byte("\n")) + 1

	p := sourcetest.MustParse(t, NewConsolidated(Config{}), consXML(t, data))
	want := []sources.Issue{
		{File: "CONSOLIDATED.XML", Line: noteLine, Problem: "unknown element <note> in <sdnList>; not mapped"},
		{File: "CONSOLIDATED.XML", Line: line, Record: "4633", Problem: "unknown element <newField> in <sdnEntry>; not mapped"},
	}
	if !slices.Equal(p.Issues, want) {
		t.Errorf("issues:\n got %v\nwant %v", p.Issues, want)
	}
	if len(p.Emitted) != 639 || p.ByID["us_ofac_cons-4633"].Name != "BANK MASKAN" {
		t.Errorf("%d entities", len(p.Emitted))
	}
}

// TestXMLRepeatedUID: the parser emits both entries of a repeated uid
// (the pipeline drops the later one after sorting). The real 2018-04-06
// file with its first entry (uid 4632) printed again, its lastName
// changed, right after itself, and Record_Count raised to match.
func TestXMLRepeatedUID(t *testing.T) {
	orig := readTestdata(t, cons20180406)
	start := bytes.Index(orig, []byte("  <sdnEntry>\r\n"))
	end := bytes.Index(orig, []byte("</sdnEntry>\r\n")) + len("</sdnEntry>\r\n")
	entry := orig[start:end]
	if !bytes.Contains(entry, []byte("<uid>4632</uid>")) {
		t.Fatalf("the first entry is not uid 4632: %.80q", entry)
	}
	again := bytes.Replace(entry, []byte("<lastName>BANK MARKAZI"), []byte("<lastName>AGAIN BANK MARKAZI"), 1)
	data := slices.Concat(orig[:end], again, orig[end:])
	data = bytes.Replace(data, []byte("<Record_Count>639</Record_Count>"), []byte("<Record_Count>640</Record_Count>"), 1)

	p := sourcetest.MustParse(t, NewConsolidated(Config{}), consXML(t, data))
	if len(p.Issues) != 0 {
		t.Errorf("issues %v", p.Issues)
	}
	if len(p.Emitted) != 640 {
		t.Fatalf("%d entities, want 640", len(p.Emitted))
	}
	for i, want := range []string{"BANK MARKAZI JOMHOURI ISLAMI IRAN", "AGAIN BANK MARKAZI JOMHOURI ISLAMI IRAN"} {
		if e := p.Emitted[i]; e.ID != "us_ofac_cons-4632" || e.Name != want {
			t.Errorf("entity %d: %s %q, want us_ofac_cons-4632 %q", i, e.ID, e.Name, want)
		}
	}
}

// sdnExcerpt is the real SDN.XML excerpt: two entries under the real
// header, whose Record_Count is the full list's (8497).
const sdnExcerpt = "us_ofac_sdn/excerpt-2020-10-29/sdn.xml"

// excerptCounted is the excerpt with its Record_Count set to the two
// entries it kept, so that the mapping of a file that passes the count
// can be checked on it.
func excerptCounted(t testing.TB) []byte {
	t.Helper()
	data := readTestdata(t, sdnExcerpt)
	out := bytes.Replace(data, []byte("<Record_Count>8497</Record_Count>"), []byte("<Record_Count>2</Record_Count>"), 1)
	if bytes.Equal(out, data) {
		t.Fatal("no Record_Count 8497 in the excerpt")
	}
	return out
}

// TestRecordCount: a file with fewer (or more) entries than its
// Record_Count declares is refused, naming the file, both counts and the
// line of the count: the real excerpt is, as it is, refused.
func TestRecordCount(t *testing.T) {
	orig := readTestdata(t, cons20180406)
	first := bytes.Index(orig, []byte("<sdnEntry>"))
	second := first + bytes.Index(orig[first+1:], []byte("<sdnEntry>")) + 1
	countLine := 1 + bytes.Count(orig[:bytes.Index(orig, []byte("<Record_Count>"))], []byte("\n"))
	tests := []struct {
		name  string
		src   sources.Source
		file  string
		data  []byte
		line  int
		count string
	}{
		{"the SDN excerpt", NewSDN(Config{}), "SDN.XML", readTestdata(t, sdnExcerpt), 5, "Record_Count declares 8497 entries, the file has 2"},
		{"one entry cut out", NewConsolidated(Config{}), "CONSOLIDATED.XML", append(bytes.Clone(orig[:first]), orig[second:]...), countLine, "Record_Count declares 639 entries, the file has 638"},
		{"one entry twice", NewConsolidated(Config{}), "CONSOLIDATED.XML", append(bytes.Clone(orig[:second]), orig[first:]...), countLine, "Record_Count declares 639 entries, the file has"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := sourcetest.ParseInput(t, tc.src, sourcetest.InputOf(t, "xml", map[string][]byte{tc.file: tc.data}))
			var re *sources.RecordError
			if !errors.As(p.Err, &re) || !errors.Is(p.Err, sources.ErrIncomplete) {
				t.Fatalf("err = %v, want a RecordError wrapping ErrIncomplete", p.Err)
			}
			if re.File != tc.file || re.Line != tc.line || !strings.Contains(p.Err.Error(), tc.count) {
				t.Errorf("err = %v (line %d), want %q at line %d", p.Err, re.Line, tc.count, tc.line)
			}
		})
	}
}

// TestSDNXMLExcerpt: the two real SDN.XML entries of the excerpt.
func TestSDNXMLExcerpt(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sourcetest.InputOf(t, "xml", map[string][]byte{"SDN.XML": excerptCounted(t)}))
	if p.Meta != (sources.Meta{PublicationDate: "2020-10-29", DeclaredCount: 2}) || len(p.Issues) != 0 {
		t.Errorf("meta = %+v, issues %v", p.Meta, p.Issues)
	}
	e := p.ByID["us_ofac_sdn-173"]
	if e == nil || len(p.Emitted) != 2 {
		t.Fatalf("entities: %v", p.ByID)
	}
	got := sourcetest.Canonical(e)
	const wantJSON = `{"id":"us_ofac_sdn-173","source":"us_ofac_sdn","source_id":"173","type":"organization",` +
		`"name":"ANGLO-CARIBBEAN CO., LTD.","names":[` +
		`{"value":"ANGLO-CARIBBEAN CO., LTD.","kind":"primary","script":"Latn","normalized":"anglo caribbean co ltd"},` +
		`{"value":"AVIA IMPORT","kind":"alias","script":"Latn","normalized":"avia import"}],` +
		`"addresses":[{"full":"Ibex House, The Minories, London EC3N 1DY, United Kingdom","street":"Ibex House, The Minories","city":"London","postal_code":"EC3N 1DY","country_raw":"United Kingdom"}],` +
		`"programs":["CUBA"]}`
	if got != wantJSON {
		t.Errorf("got  %s\nwant %s", got, wantJSON)
	}
}

// TestXMLPersons checks structured elements of a person entry against the
// 2018-04-06 file.
func TestXMLPersons(t *testing.T) {
	p := sourcetest.MustParse(t, NewConsolidated(Config{}), cons20180406XML(t))
	e := p.ByID["us_ofac_cons-9639"] // HANIYA, Ismail Abdul Salah; DOB 1962; POB Shati
	if e == nil {
		t.Fatal("missing")
	}
	if e.Type != entity.Person || e.Name != "HANIYA, Ismail Abdul Salah" {
		t.Errorf("got %s %q", e.Type, e.Name)
	}
	if pt := e.Names[0].Parts; pt == nil || pt.Family != "HANIYA" || pt.Given != "Ismail Abdul Salah" {
		t.Errorf("parts = %+v", pt)
	}
	if want := []entity.Date{{Value: "1962", Precision: entity.PrecisionYear, Raw: "1962"}}; !slices.Equal(e.BirthDates, want) {
		t.Errorf("birth dates = %+v", e.BirthDates)
	}
	if !slices.Equal(e.BirthPlaces, []string{"Shati"}) || e.Remarks != "DOB 1962; POB Shati." {
		t.Errorf("places %v, remarks %q", e.BirthPlaces, e.Remarks)
	}
}

// TestDeterminism: two parses of each format give the same canonical lines.
func TestDeterminism(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   func(testing.TB) *sources.Input
	}{
		{"xml", func(t testing.TB) *sources.Input { return cons20180406XML(t) }},
		{"csv", func(t testing.TB) *sources.Input { return sdnCSV20210707(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := NewSDN(Config{})
			if tc.name == "xml" {
				src = NewConsolidated(Config{})
			}
			in := tc.in(t)
			a, b := sourcetest.MustParse(t, src, in), sourcetest.MustParse(t, src, in)
			var la, lb []string
			for i := range a.Emitted {
				la = append(la, sourcetest.Canonical(a.Emitted[i]))
				lb = append(lb, sourcetest.Canonical(b.Emitted[i]))
			}
			if !slices.Equal(la, lb) {
				t.Error("two parses differ")
			}
		})
	}
}

func TestInfo(t *testing.T) {
	sdn := NewSDN(Config{URLs: map[string]string{"ADD.CSV": "http://127.0.0.1:1/ADD.CSV"}}).Info()
	cons := NewConsolidated(Config{}).Info()
	if sdn.Name != "us_ofac_sdn" || cons.Name != "us_ofac_cons" || sdn.Publisher != "US Treasury OFAC" ||
		sdn.Schedule != "0 */2 * * *" || sdn.Title == "" || cons.Title == "" {
		t.Errorf("info %+v / %+v", sdn, cons)
	}
	type file struct {
		format, name, url string
		companion         bool
	}
	flat := func(info sources.Info) []file {
		var out []file
		for _, set := range info.Formats {
			for _, f := range set.Files {
				out = append(out, file{set.Format, f.Name, f.URL, f.Companion})
			}
		}
		return out
	}
	const base = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
	wantSDN := []file{
		{"advanced", "SDN_ADVANCED.XML", base + "SDN_ADVANCED.XML", false},
		{"xml", "SDN.XML", base + "SDN.XML", false},
		{"csv", "SDN.CSV", base + "SDN.CSV", false},
		{"csv", "ADD.CSV", "http://127.0.0.1:1/ADD.CSV", true},
		{"csv", "ALT.CSV", base + "ALT.CSV", true},
		{"csv", "SDN_COMMENTS.CSV", base + "SDN_COMMENTS.CSV", true},
	}
	wantCons := []file{
		{"advanced", "CONS_ADVANCED.XML", base + "CONS_ADVANCED.XML", false},
		{"xml", "CONSOLIDATED.XML", base + "CONSOLIDATED.XML", false},
		{"csv", "CONS_PRIM.CSV", base + "CONS_PRIM.CSV", false},
		{"csv", "CONS_ADD.CSV", base + "CONS_ADD.CSV", true},
		{"csv", "CONS_ALT.CSV", base + "CONS_ALT.CSV", true},
		{"csv", "CONS_COMMENTS.CSV", base + "CONS_COMMENTS.CSV", true},
	}
	if got := flat(sdn); !slices.Equal(got, wantSDN) {
		t.Errorf("SDN files %v", got)
	}
	if got := flat(cons); !slices.Equal(got, wantCons) {
		t.Errorf("consolidated files %v", got)
	}
}

// Config.Formats chooses and orders the formats declared; over the
// network only the first is fetched.
func TestInfoFormats(t *testing.T) {
	for _, tt := range []struct {
		formats []string
		want    []string
	}{
		{nil, []string{"advanced", "xml", "csv"}},
		{[]string{"xml"}, []string{"xml"}},
		{[]string{"csv", "advanced"}, []string{"csv", "advanced"}},
		{[]string{"json"}, nil},
	} {
		var got []string
		for _, set := range NewSDN(Config{Formats: tt.formats}).Info().Formats {
			got = append(got, set.Format)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Formats %v: declared %v, want %v", tt.formats, got, tt.want)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	p := sourcetest.ParseInput(t, NewSDN(Config{}), &sources.Input{Format: "json"})
	if p.Err == nil {
		t.Error("no error")
	}
}

// A UTF-8 byte order mark before the declaration changes no entity and is
// reported once.
func TestXMLByteOrderMark(t *testing.T) {
	orig := readTestdata(t, cons20180406)
	want := sourcetest.MustParse(t, NewConsolidated(Config{}), consXML(t, orig)).SortedLines()
	p := sourcetest.MustParse(t, NewConsolidated(Config{}), consXML(t, append([]byte("\xef\xbb\xbf"), orig...)))
	if got := p.SortedLines(); !slices.Equal(got, want) || len(p.Issues) != 1 || !strings.Contains(p.Issues[0].Problem, "byte order mark") {
		t.Errorf("%d entities, issues %v", len(got), p.Issues)
	}
}

// A namespace bound to a prefix instead of the default works too.
func TestXMLPrefixedNamespace(t *testing.T) {
	doc := `<?xml version="1.0"?>
<ns:sdnList xmlns:ns="` + nsSLS + `">
<ns:publshInformation><ns:Publish_Date>04/06/2018</ns:Publish_Date><ns:Record_Count>1</ns:Record_Count></ns:publshInformation>
<ns:sdnEntry><ns:uid>36</ns:uid><ns:lastName>AEROCARIBBEAN AIRLINES</ns:lastName><ns:sdnType>Entity</ns:sdnType></ns:sdnEntry>
</ns:sdnList>`
	p := sourcetest.MustParse(t, NewConsolidated(Config{}), consXML(t, []byte(doc)))
	if len(p.Emitted) != 1 || p.Emitted[0].Name != "AEROCARIBBEAN AIRLINES" || len(p.Issues) != 0 ||
		p.Meta != (sources.Meta{PublicationDate: "2018-04-06", DeclaredCount: 1}) {
		t.Errorf("entities %v, meta %+v, issues %v", p.ByID, p.Meta, p.Issues)
	}
}

package un

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int { return 1 + bytes.Count(data[:off], []byte("\n")) }

// insertAfter inserts add after the first occurrence of anchor that follows
// the DATAID id, and returns the new data and the offset of add.
func insertAfter(t *testing.T, data []byte, id, anchor, add string) ([]byte, int) {
	t.Helper()
	i := bytes.Index(data, []byte("<DATAID>"+id+"</DATAID>"))
	if i < 0 {
		t.Fatalf("no DATAID %s", id)
	}
	j := bytes.Index(data[i:], []byte(anchor))
	if j < 0 {
		t.Fatalf("%s: no %s", id, anchor)
	}
	at := i + j + len(anchor)
	out := append(append(bytes.Clone(data[:at]), add...), data[at:]...)
	return out, at
}

// TestUnknownElements: an element, attribute or text the mapping does not
// know is an issue naming the file, the line and the record, and the
// record is still mapped.
func TestUnknownElements(t *testing.T) {
	pretty := readPublication(t, "2026-02-27")  // one element a line
	compact := readPublication(t, "2018-06-07") // one record a line
	tests := []struct {
		name          string
		data          []byte
		id            string // the record, "" for none
		anchor, add   string
		lineOffset    int // the issue's line minus the line of the insertion point
		problem       string
		wantEntityFor string // a DATAID that must still be mapped
	}{
		{"element in a record", pretty, "112033", "<VERSIONNUM>1</VERSIONNUM>", "\n      <RISK_SCORE>7</RISK_SCORE>", 1,
			`unknown element <RISK_SCORE> in <INDIVIDUAL> with text "7"; not mapped`, "112033"},
		{"element in a record, compact file", compact, "6908555", "<VERSIONNUM>1</VERSIONNUM>", "<RISK_SCORE>7</RISK_SCORE>", 0,
			`unknown element <RISK_SCORE> in <INDIVIDUAL> with text "7"; not mapped`, "6908555"},
		{"element in a document", pretty, "112033", "<NUMBER>M408665</NUMBER>", "\n        <EXPIRY_DATE>2005-10-03</EXPIRY_DATE>", 1,
			`unknown element <EXPIRY_DATE> in <INDIVIDUAL_DOCUMENT> with text "2005-10-03"; not mapped`, "112033"},
		{"individual-only element in an entity", pretty, "6908599", "<VERSIONNUM>1</VERSIONNUM>", "\n      <GENDER>Male</GENDER>", 1,
			`unknown element <GENDER> in <ENTITY> with text "Male"; not mapped`, "6908599"},
		{"element in a VALUE list", pretty, "112033", "<VALUE>Tunisia</VALUE>", "\n        <CODE>TN</CODE>", 1,
			`unknown element <CODE> in <NATIONALITY> with text "TN"; not mapped`, "112033"},
		{"attribute", pretty, "112033", "<FIRST_NAME", ` lang="en"`, 0,
			`unknown attribute lang="en" on <FIRST_NAME>; not mapped`, "112033"},
		{"text in a record", pretty, "112033", "<VERSIONNUM>1</VERSIONNUM>", "\n      stray words", 1,
			`text "stray words" directly inside <INDIVIDUAL>; not mapped`, "112033"},
		{"repeated element", pretty, "112033", "<FIRST_NAME>ADEL</FIRST_NAME>", "\n      <FIRST_NAME>ADIL</FIRST_NAME>", 1,
			`repeated <FIRST_NAME> in <INDIVIDUAL>; the first is used, "ADIL" is not mapped`, "112033"},
		{"section of the root", pretty, "", "</ENTITIES>", "\n  <VESSELS>\n    <VESSEL><DATAID>1</DATAID></VESSEL>\n  </VESSELS>", 1,
			`unknown element <VESSELS> in <CONSOLIDATED_LIST> with text "1"; not mapped`, "6908599"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var data []byte
			var at int
			if tc.id == "" {
				i := bytes.Index(tc.data, []byte(tc.anchor)) + len(tc.anchor)
				data, at = append(append(bytes.Clone(tc.data[:i]), tc.add...), tc.data[i:]...), i
			} else {
				data, at = insertAfter(t, tc.data, tc.id, tc.anchor, tc.add)
			}
			p := mustParse(t, data)
			want := sources.Issue{File: FileName, Line: lineAt(data, at) + tc.lineOffset, Record: tc.id, Problem: tc.problem}
			if len(p.Issues) != 1 || p.Issues[0] != want {
				t.Errorf("issues %v\nwant [%v]", p.Issues, want)
			}
			p.Entity(t, tc.wantEntityFor)
		})
	}
}

func utf16Doc(bigEndian bool) []byte {
	return sourcetest.UTF16(`<?xml version="1.0" encoding="UTF-16"?><CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"/>`, bigEndian)
}

// TestBadInput: a publication that cannot be trusted is an error naming
// consolidated.xml (a *sources.RecordError) and, where it has one, a line.
func TestBadInput(t *testing.T) {
	whole := readPublication(t, "2026-02-27")
	half := whole[:len(whole)/2]
	tests := []struct {
		name string
		data []byte
		line int    // 0: not checked
		msg  string // in the error
	}{
		{"truncated", half, lineAt(half, len(half)), "truncated"},
		{"truncated in the root's start tag", whole[:100], 2, "truncated"},
		{"wrong root", []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SANCTIONS dateGenerated=\"2026-02-27\">\n</SANCTIONS>\n"), 2,
			"root element <SANCTIONS>, want <CONSOLIDATED_LIST>"},
		{"empty", nil, 0, "empty file"},
		{"white space only", []byte(" \n\n"), 0, "no root element"},
		{"UTF-16 big-endian", utf16Doc(true), 1, "UTF-16 byte order mark at byte 0: the document is UTF-16, expected UTF-8"},
		{"UTF-16 little-endian", utf16Doc(false), 1, "UTF-16 byte order mark at byte 0: the document is UTF-16, expected UTF-8"},
		{"UTF-16 without a byte order mark", utf16Doc(true)[2:], 1, "UTF-16 without a byte order mark"},
		{"HTML error page", []byte("<!DOCTYPE html>\n<html lang=en>\n<head><title>503 Service Unavailable</title></head>\n<body>Service Unavailable</body>\n</html>\n"), 2,
			"root element <html> (an HTML page, not the list), want <CONSOLIDATED_LIST>"},
		{"well-formed HTML", []byte("<html><body><p>Access denied</p></body></html>"), 1, "root element <html> (an HTML page, not the list)"},
		{"plain text", []byte("Service Unavailable\n"), 0, "no root element"},
		{"broken record", bytes.Replace(whole, []byte("<FIRST_NAME>ADEL</FIRST_NAME>"), []byte("<FIRST_NAME>ADEL</FIRST_NAM>"), 1),
			lineAt(whole, bytes.Index(whole, []byte("<FIRST_NAME>ADEL</FIRST_NAME>"))), "element <FIRST_NAME> closed by </FIRST_NAM>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parseBytes(t, tc.data)
			if p.Err == nil {
				t.Fatalf("no error (%d entities)", len(p.Emitted))
			}
			var re *sources.RecordError
			if !errors.As(p.Err, &re) || re.File != FileName {
				t.Fatalf("error %v (%T) is not a *sources.RecordError naming %s", p.Err, p.Err, FileName)
			}
			if !strings.Contains(p.Err.Error(), FileName) || !strings.Contains(p.Err.Error(), tc.msg) {
				t.Errorf("error %q: want the file name and %q", p.Err, tc.msg)
			}
			if tc.line > 0 && re.Line != tc.line {
				t.Errorf("error %q: line %d, want %d", p.Err, re.Line, tc.line)
			}
		})
	}
}

// TestByteOrderMark: a UTF-8 byte order mark is legal: it is skipped with
// an issue and the publication parses as without it.
func TestByteOrderMark(t *testing.T) {
	data := readPublication(t, "2018-06-21")
	plain := mustParse(t, data)
	p := mustParse(t, append([]byte{0xEF, 0xBB, 0xBF}, data...))
	want := []sources.Issue{{File: FileName, Line: 1, Problem: "UTF-8 byte order mark at the start; dropped"}}
	if len(p.Issues) != 1 || p.Issues[0] != want[0] {
		t.Errorf("issues %v, want %v", p.Issues, want)
	}
	if len(p.Emitted) != len(plain.Emitted) || p.Meta != plain.Meta {
		t.Errorf("%d entities, meta %+v; without the mark %d, %+v", len(p.Emitted), p.Meta, len(plain.Emitted), plain.Meta)
	}
}

// TestRootAttributes: dateGenerated gives the publication date; a missing
// or unknown attribute is an issue.
func TestRootAttributes(t *testing.T) {
	tests := []struct {
		root, date string
		issues     []string
	}{
		{`<CONSOLIDATED_LIST dateGenerated="2018-06-07T19:03:43.97-04:00">`, "2018-06-07", nil},
		{`<CONSOLIDATED_LIST xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://www.un.org/sc/resources/sc-sanctions.xsd" dateGenerated='2024-11-30T00:00:00.875Z'>`, "2024-11-30", nil},
		{`<CONSOLIDATED_LIST>`, "", []string{"consolidated.xml:2:: <CONSOLIDATED_LIST> without dateGenerated; no publication date"}},
		{`<CONSOLIDATED_LIST dateGenerated="yesterday">`, "", []string{`consolidated.xml:2:: dateGenerated "yesterday" is not an ISO date-time; no publication date`}},
		{`<CONSOLIDATED_LIST dateGenerated="2026-02-27" version="2">`, "2026-02-27", []string{`consolidated.xml:2:: unknown attribute version="2" on <CONSOLIDATED_LIST>; not mapped`}},
	}
	body := "\n<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"
	for _, tc := range tests {
		p := mustParse(t, []byte("<?xml version=\"1.0\"?>\n"+tc.root+body))
		got := sourcetest.IssueStrings(p.Issues)
		if p.Meta.PublicationDate != tc.date || strings.Join(got, "\n") != strings.Join(tc.issues, "\n") {
			t.Errorf("%s: date %q, issues %q; want %q, %q", tc.root, p.Meta.PublicationDate, got, tc.date, tc.issues)
		}
		if len(p.Emitted) != 1 {
			t.Errorf("%s: %d entities", tc.root, len(p.Emitted))
		}
	}
}

// TestRecordProblems: records that cannot become entities, and values
// the mapping does not know, are issues with the record's line.
func TestRecordProblems(t *testing.T) {
	const head = "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-02-27\">\n<INDIVIDUALS>\n"
	tests := []struct {
		name, records string
		entities      int
		issues        []string
		names         []string // id and name of the entities, in order; unchecked when nil
	}{
		{"no DATAID", "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>", 0,
			[]string{"consolidated.xml:4:: <INDIVIDUAL> without DATAID; record skipped"}, nil},
		// The pipeline drops a repeated id after sorting (keeping the
		// record parsed first); the parser emits both.
		{"repeated DATAID", "<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>", 2,
			nil, []string{"un_sc-7 A", "un_sc-7 B"}},
		{"no name", "<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME/><SECOND_NAME> </SECOND_NAME></INDIVIDUAL>", 0,
			[]string{"consolidated.xml:4:7: <INDIVIDUAL> without a name (FIRST_NAME .. FOURTH_NAME empty); record skipped"}, nil},
		{"unknown values", "<INDIVIDUAL><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME>\n<GENDER>Other</GENDER>\n" +
			"<INDIVIDUAL_ALIAS><QUALITY>Medium</QUALITY><ALIAS_NAME>B</ALIAS_NAME></INDIVIDUAL_ALIAS>\n" +
			"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>AROUND</TYPE_OF_DATE><YEAR>1960</YEAR></INDIVIDUAL_DATE_OF_BIRTH>\n" +
			"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1960-02-30</DATE></INDIVIDUAL_DATE_OF_BIRTH>\n" +
			"<LISTED_ON>soon</LISTED_ON>\n<LIST_TYPE><VALUE>Other List</VALUE></LIST_TYPE></INDIVIDUAL>", 1,
			[]string{
				`consolidated.xml:10:7: LIST_TYPE "Other List" (not "UN List"); kept as a program`,
				`consolidated.xml:9:7: LISTED_ON "soon" is not a date; not mapped`,
				`consolidated.xml:5:7: unknown GENDER "Other"; not mapped`,
				`consolidated.xml:7:7: unknown TYPE_OF_DATE "AROUND"; taken as exact`,
				`consolidated.xml:8:7: date of birth DATE "1960-02-30" is not a date; kept as raw text`,
				`consolidated.xml:6:7: unknown alias QUALITY "Medium"; taken as a.k.a.`,
			}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, []byte(head+tc.records+"\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n"))
			got := sourcetest.IssueStrings(p.Issues)
			if strings.Join(got, "\n") != strings.Join(tc.issues, "\n") {
				t.Errorf("issues\n%s\nwant\n%s", sourcetest.Join(got), sourcetest.Join(tc.issues))
			}
			if len(p.Emitted) != tc.entities {
				t.Errorf("%d entities, want %d", len(p.Emitted), tc.entities)
			}
			for i, want := range tc.names {
				if i < len(p.Emitted) && p.Emitted[i].ID+" "+p.Emitted[i].Name != want {
					t.Errorf("entity %d: %s %s, want %s", i, p.Emitted[i].ID, p.Emitted[i].Name, want)
				}
			}
		})
	}
}

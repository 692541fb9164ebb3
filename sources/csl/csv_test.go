package csl

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// excerptLines is the real 2025 excerpt split into its lines (no row of
// it holds a line break), each with its line break.
func excerptLines(t *testing.T) [][]byte {
	data := sourcetest.ReadFile(t, excerpt2025)
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) != 14 {
		t.Fatalf("%d lines", len(lines))
	}
	return lines
}

func joinLines(lines ...[]byte) []byte { return bytes.Join(lines, nil) }

// addField appends a quoted field to a line.
func addField(line []byte, v string) []byte {
	return append(bytes.TrimSuffix(bytes.Clone(line), []byte("\n")), []byte(`,"`+v+`"`+"\n")...)
}

// withNewline ends b with a line break (the excerpt's last line has none).
func withNewline(b []byte) []byte {
	if bytes.HasSuffix(b, []byte("\n")) {
		return b
	}
	return append(bytes.Clone(b), '\n')
}

// TestCSVBadInput: files that cannot be trusted are refused naming the
// file and the line; broken records are issues with their line, and the
// other rows are kept.
func TestCSVBadInput(t *testing.T) {
	l := excerptLines(t)
	header, row2, row3 := l[0], l[1], l[2]
	whole := sourcetest.ReadFile(t, excerpt2025)
	cases := []struct {
		name     string
		data     []byte
		err      string // error text, "" for none
		is       error  // the error wraps it
		line     int    // the error's line
		entities int
		issues   []string
	}{
		{name: "empty", data: nil, err: "empty file", line: 0},
		{name: "HTML page", data: []byte("<!DOCTYPE html>\n<html><body>Service Unavailable</body></html>\n"), err: "an HTML page, not the CSV list", line: 1},
		{name: "UTF-16", data: append([]byte{0xFF, 0xFE}, "_\x00i\x00d\x00"...), err: "UTF-16", line: 1},
		{name: "header only", data: header, err: "no rows after the header", line: 1},
		{name: "cut inside a quoted field", data: whole[:len(whole)-40], err: "truncated", is: sources.ErrIncomplete, line: 14},
		{name: "cut inside the second row", data: joinLines(header, row2[:100]), err: "truncated", is: sources.ErrIncomplete, line: 2},
		{name: "cut between rows", data: joinLines(header, row2, row3), entities: 2},
		{name: "no name column", data: []byte("_id,source\n\"1\",\"Specially Designated Nationals (SDN) - Treasury Department\"\n"),
			err: `header lacks the column "name"`, line: 1},
		{
			name: "a row with a field too few, in the middle", entities: 2,
			data:   joinLines(header, row2, []byte(`"x1","Unverified List (UVL) - Bureau of Industry and Security","",""`+"\n"), row3),
			issues: []string{`consolidated.csv:3:x1: record on line 3: wrong number of fields; row skipped`},
		},
		{
			name: "the header repeated twice", entities: 2,
			data:   joinLines(header, header, row2, header, withNewline(row3)),
			issues: []string{"consolidated.csv:2:: the header line repeated; skipped", "consolidated.csv:4:: the header line repeated; skipped"},
		},
		{
			name: "a row without a name", entities: 1,
			data:   joinLines(header, bytes.Replace(row2, []byte(`"Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof"`), []byte(`""`), 1), row3),
			issues: []string{"consolidated.csv:2:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b: row without a name; skipped"},
		},
		{
			name: "an unknown column", entities: 2,
			data:   joinLines(addField(header, "extra"), addField(row2, ""), addField(row3, "")),
			issues: []string{`consolidated.csv:1:: unknown column "extra"; not mapped`},
		},
		{
			name: "rows lacking the header's last field: the last row is broken", data: joinLines(addField(header, "extra"), row2, row3),
			err: "wrong number of fields", is: sources.ErrIncomplete, line: 3,
		},
		{
			name: "a BOM and invalid UTF-8", entities: 2,
			data: joinLines([]byte("\xEF\xBB\xBF"), header, bytes.Replace(row2, []byte("Sinobright"), []byte("Sino\xffbright"), 1), row3),
			issues: []string{"consolidated.csv:1:: UTF-8 byte order mark at the start; dropped",
				"consolidated.csv:2:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b: invalid UTF-8; the bad bytes are replaced"},
		},
		{
			name: "an unknown country", entities: 1,
			data:   joinLines(header, bytes.Replace(l[9], []byte(`"TR","1980-02-08"`), []byte(`"Atlantis","1980-02-08"`), 1)),
			issues: []string{`consolidated.csv:2:26182: citizenship country "Atlantis" is not a known country; kept as published`},
		},
		{
			name: "unknown lists, once each", entities: 3,
			data: joinLines(header,
				bytes.Replace(row2, []byte("Nonproliferation Sanctions (ISN) - State Department"), []byte("Some New List (SNL) - Commerce"), 1),
				bytes.Replace(row2, []byte("Nonproliferation Sanctions (ISN) - State Department"), []byte("Some New List (SNL) - Commerce"), 1),
				bytes.Replace(row3, []byte("Unverified List (UVL) - Bureau of Industry and Security"), []byte("A list without a code"), 1)),
			issues: []string{
				`consolidated.csv:2:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b: unknown constituent list "Some New List (SNL) - Commerce" (code SNL); kept`,
				`consolidated.csv:4:1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42: source "A list without a code" is not of the form "<list> (<CODE>) - <authority>"; listed under "unparsed-ca6b5571"`,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(t, "csv", tc.data)
			if tc.err != "" {
				checkRefusal(t, p.Err, CSVFile, tc.err, tc.is, tc.line)
				return
			}
			if p.Err != nil {
				t.Fatalf("err %v", p.Err)
			}
			if len(p.Entities) != tc.entities {
				t.Errorf("%d entities, want %d", len(p.Entities), tc.entities)
			}
			got := sourcetest.IssueStrings(p.Issues)
			if !reflect.DeepEqual(got, tc.issues) && !(len(got) == 0 && len(tc.issues) == 0) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.issues))
			}
		})
	}
}

// checkRefusal: err is a RecordError for file at line, saying want and
// wrapping is.
func checkRefusal(t *testing.T, err error, file, want string, is error, line int) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	var re *sources.RecordError
	if !errors.As(err, &re) {
		t.Fatalf("err %v (%T) is not a RecordError", err, err)
	}
	if re.File != file || re.Line != line || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), file) {
		t.Errorf("err %q (line %d), want %q at %s line %d", err, re.Line, want, file, line)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("err %v does not wrap %v", err, is)
	}
}

// TestCSVRecordBound: a row longer than the bound (2 MB: the bound holds
// to within encoding/csv's read-ahead) is refused as hostile.
func TestCSVRecordBound(t *testing.T) {
	l := excerptLines(t)
	huge := bytes.Replace(l[1], []byte(`"INKSNA"`), []byte(`"`+strings.Repeat("A", 2*sources.MaxCSVRecordBytes)+`"`), 1)
	p := parse(t, "csv", joinLines(l[0], huge, l[2]))
	if !errors.Is(p.Err, sources.ErrLimit) || !strings.Contains(p.Err.Error(), CSVFile) {
		t.Errorf("err %v, want ErrLimit naming %s", p.Err, CSVFile)
	}
}

func TestSplitAddresses(t *testing.T) {
	cases := []struct {
		in   string
		want []address
	}{
		{"Shenyang, CN; Pyongyang, KP", []address{{street: "Shenyang", country: "CN", full: "Shenyang, CN"}, {street: "Pyongyang", country: "KP", full: "Pyongyang, KP"}}},
		{"TR", []address{{country: "TR", full: "TR"}}},
		{"Jabaliya", []address{{street: "Jabaliya", full: "Jabaliya"}}},
		{"3415 RIVERA AVENUE, EL PASO, TX, 79905", []address{{street: "3415 RIVERA AVENUE, EL PASO, TX, 79905", full: "3415 RIVERA AVENUE, EL PASO, TX, 79905"}}},
		{"No. 6 Yong Xin Street, Chengdu; and No. 90 Babao Street, Chengdu, 610036, CN", []address{{
			street: "No. 6 Yong Xin Street, Chengdu; and No. 90 Babao Street, Chengdu, 610036", country: "CN",
			full: "No. 6 Yong Xin Street, Chengdu; and No. 90 Babao Street, Chengdu, 610036, CN"}}},
		{"Simferopol, Crimea, 95000, crimea (occupied)", []address{{street: "Simferopol, Crimea, 95000", country: "crimea (occupied)", full: "Simferopol, Crimea, 95000, crimea (occupied)"}}},
		{"Gaza Strip, undetermined", []address{{street: "Gaza Strip", country: "undetermined", full: "Gaza Strip, undetermined"}}},
		{"region: kafia kingi", []address{{street: "region: kafia kingi", full: "region: kafia kingi"}}},
		{"1 Hengjie Road, Chengdu, China, ", []address{{street: "1 Hengjie Road, Chengdu, China", full: "1 Hengjie Road, Chengdu, China"}}},
		{"Main GT Road, Peshawar, , PK", []address{{street: "Main GT Road, Peshawar", country: "PK", full: "Main GT Road, Peshawar, PK"}}},
	}
	for _, tc := range cases {
		var problems []string
		got := splitAddresses(tc.in, func(f string, a ...any) { problems = append(problems, f) })
		if !reflect.DeepEqual(got, tc.want) || problems != nil {
			t.Errorf("splitAddresses(%q) = %+v (%v), want %+v", tc.in, got, problems, tc.want)
		}
	}
	var problems []string
	if got := splitAddresses("A, CN; ; B, DE", func(f string, a ...any) { problems = append(problems, f) }); len(got) != 2 || len(problems) != 1 {
		t.Errorf("empty address: %+v, %v", got, problems)
	}
}

func TestSplitIDs(t *testing.T) {
	cases := []struct {
		in   string
		want []ident
	}{
		{"Passport, 836238033, KP", []ident{{typ: "Passport", number: "836238033", country: "KP"}}},
		{"Gender, Male", []ident{{typ: "Gender", number: "Male"}}},
		{"Nationality Country, PS", []ident{{typ: "Nationality Country", number: "PS"}}},
		{"Passport, E590976, TN, 19 Jun 1987, 18 Jun 1992", []ident{{typ: "Passport", number: "E590976", country: "TN", issued: "19 Jun 1987", expires: "18 Jun 1992"}}},
		{"Passport, 760620, 15 Sep 1991, 22 Jul 1996", []ident{{typ: "Passport", number: "760620", issued: "15 Sep 1991", expires: "22 Jul 1996"}}},
		{"National ID No., 3100905657113, TH, May 2006", []ident{{typ: "National ID No.", number: "3100905657113", country: "TH", issued: "May 2006"}}},
		{"C.U.R.P., AIMM67125HCHRRG06, MX, 1968", []ident{{typ: "C.U.R.P.", number: "AIMM67125HCHRRG06", country: "MX", issued: "1968"}}},
		{"Listing Date (CMIC), 2021-06-03", []ident{{typ: "Listing Date (CMIC)", number: "2021-06-03"}}},
		{"License, 1000, RU", []ident{{typ: "License", number: "1000", country: "RU"}}},
		{"Passport, D000000483, Diplomatic, SY", []ident{{typ: "Passport", number: "D000000483, Diplomatic", country: "SY"}}},
		{"Secondary sanctions risk:, Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
			[]ident{{typ: "Secondary sanctions risk:", number: "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209"}}},
		{"Passport, A1; Website, x.org", []ident{{typ: "Passport", number: "A1"}, {typ: "Website", number: "x.org"}}},
		{"just text", []ident{{number: "just text"}}},
	}
	for _, tc := range cases {
		if got := splitIDs(tc.in, func(string, ...any) { t.Errorf("%q: issue", tc.in) }); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitIDs(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseList(t *testing.T) {
	cases := []struct {
		in   string
		want listName
	}{
		{"Specially Designated Nationals (SDN) - Treasury Department", listName{"SDN", "Specially Designated Nationals (SDN)", "Treasury Department", true}},
		{"Military End User (MEU) List - Bureau of Industry and Security", listName{"MEU", "Military End User (MEU) List", "Bureau of Industry and Security", true}},
		{"Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", listName{"NS-MBS", "Non-SDN Menu-Based Sanctions List (NS-MBS List)", "Treasury Department", true}},
		{"Capta List (CAP) - Treasury Department", listName{"CAP", "Capta List (CAP)", "Treasury Department", true}},
		{"Some New List (SNL) - Commerce", listName{"SNL", "Some New List (SNL)", "Commerce", false}},
		{"A list without a code", listName{code: "A list without a code", name: "A list without a code"}},
		{"No code - Treasury", listName{code: "No code - Treasury", name: "No code - Treasury"}},
		{"", listName{code: unknownList}},
	}
	for _, tc := range cases {
		if got := parseList(tc.in); got != tc.want {
			t.Errorf("parseList(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

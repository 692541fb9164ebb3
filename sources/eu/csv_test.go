package eu

import (
	"bytes"
	"encoding/csv"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// derivedCSV is the CSV fixture rendered from the excerpt (see
// render_test.go and the fixture's README).
func derivedCSV(t testing.TB) []byte {
	return sourcetest.ReadFile(t, filepath.Join(derivedDir, CSVFile))
}

// csvRows splits a CSV fixture (without its BOM) into rows.
func csvRows(t testing.TB, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, bomUTF8)))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// writeRows renders rows as the fixture does, with a BOM.
func writeRows(t testing.TB, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.Write(bomUTF8)
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCSVParity: the CSV rendering of the excerpt gives the same entities
// and publication date as the XML, and the hand-written expectations.
func TestCSVParity(t *testing.T) {
	x := mustParse(t, "xml", excerptXML(t))
	c := mustParse(t, "csv", derivedCSV(t))
	// Only the CSV lacks evidence of completeness; all else agrees.
	if c.Meta.Unproven == "" || x.Meta.Unproven != "" {
		t.Errorf("unproven: xml %q, csv %q; want only the CSV's set", x.Meta.Unproven, c.Meta.Unproven)
	}
	c.Meta.Unproven = ""
	if x.Meta != c.Meta {
		t.Errorf("meta: xml %+v, csv %+v", x.Meta, c.Meta)
	}
	if got := problems(c.Issues); !slices.Equal(got, []string{"UTF-8 byte order mark at the start; dropped"}) || c.Issues[0].Line != 1 {
		t.Errorf("csv issues = %v", c.Issues)
	}
	xl, cl := x.SortedLines(), c.SortedLines()
	if len(cl) != 4 {
		t.Fatalf("%d csv entities", len(cl))
	}
	for i := range xl {
		if xl[i] != cl[i] {
			t.Errorf("xml and csv differ:\n xml %s\n csv %s", xl[i], cl[i])
		}
	}
	for _, w := range excerptEntities() {
		w.Canonicalize()
		if got := c.ByID[w.ID]; got == nil || sourcetest.Canonical(got) != sourcetest.Canonical(w) {
			t.Errorf("csv %s differs from the expected entity", w.ID)
		}
	}
}

// TestCSVLayouts: the entities do not depend on how the publisher lays
// parts out in rows: one part a row (the fixture), the n-th name, address,
// birth date, identification and citizenship of an entity sharing row n,
// every row twice, columns in another order.
func TestCSVLayouts(t *testing.T) {
	rows := csvRows(t, derivedCSV(t))
	want := mustParse(t, "csv", derivedCSV(t)).SortedLines()
	header, body := rows[0], rows[1:]

	// Zip: row n carries the n-th part of each section.
	sections := [][2]int{nameColumns, addrColumns, birthColumns, idColumns, citColumns}
	var zipped [][]string
	for i := 0; i < len(body); {
		j := i
		for j < len(body) && body[j][cEntityLogicalID] == body[i][cEntityLogicalID] {
			j++
		}
		var out [][]string
		next := make([]int, len(sections))
		for _, row := range body[i:j] {
			for s, cols := range sections {
				if !slices.ContainsFunc(row[cols[0]:cols[1]], func(v string) bool { return v != "" }) {
					continue
				}
				if next[s] == len(out) {
					blank := slices.Clone(row)
					for _, c := range sections {
						clear(blank[c[0]:c[1]])
					}
					out = append(out, blank)
				}
				copy(out[next[s]][cols[0]:cols[1]], row[cols[0]:cols[1]])
				next[s]++
			}
		}
		zipped = append(zipped, out...)
		i = j
	}
	if len(zipped) >= len(body) {
		t.Fatalf("zip layout has %d rows, the fixture %d", len(zipped), len(body))
	}
	var twice [][]string
	for _, r := range body {
		twice = append(twice, r, r)
	}
	// Reversed column order.
	perm := func(r []string) []string { c := slices.Clone(r); slices.Reverse(c); return c }
	var reversed [][]string
	for _, r := range rows {
		reversed = append(reversed, perm(r))
	}
	tests := []struct {
		name string
		rows [][]string
	}{
		{"zip", append([][]string{header}, zipped...)},
		{"every row twice", append([][]string{header}, twice...)},
		{"columns reversed", reversed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, "csv", writeRows(t, tc.rows))
			if got := problems(p.Issues); !slices.Equal(got, []string{"UTF-8 byte order mark at the start; dropped"}) {
				t.Errorf("issues = %q", got)
			}
			if got := p.SortedLines(); !slices.Equal(got, want) {
				t.Errorf("entities differ from the fixture's")
			}
		})
	}
}

// TestCSVBOM: without a byte order mark there is no issue and the same
// entities.
func TestCSVBOM(t *testing.T) {
	data := derivedCSV(t)
	if !bytes.HasPrefix(data, bomUTF8) {
		t.Fatal("the fixture lost its BOM")
	}
	with := mustParse(t, "csv", data)
	without := mustParse(t, "csv", data[len(bomUTF8):])
	if len(without.Issues) != 0 || !slices.Equal(with.SortedLines(), without.SortedLines()) {
		t.Errorf("without BOM: issues %v, %d entities", without.Issues, len(without.Emitted))
	}
}

func TestCSVBadInput(t *testing.T) {
	data := derivedCSV(t)
	body := data[len(bomUTF8):]
	header, _, _ := bytes.Cut(body, []byte("\n"))
	lastRowLine := 1 + bytes.Count(data[:bytes.LastIndex(data[:len(data)-1], []byte("\n"))+1], []byte("\n"))
	dropColumn := func(name string) []byte {
		rows := csvRows(t, data)
		i := slices.Index(rows[0], name)
		for k := range rows {
			rows[k] = slices.Delete(rows[k], i, i+1)
		}
		return writeRows(t, rows)
	}
	html := "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>403 Forbidden</title></head>\n<body><h1>Forbidden</h1></body>\n</html>\n"
	tests := []struct {
		name    string
		data    []byte
		line    int
		message string
	}{
		{"empty file", nil, 0, "empty file"},
		{"UTF-16 BOM", append([]byte{0xFF, 0xFE}, "f\x00i\x00"...), 1, "UTF-16 byte order mark at byte 0"},
		{"UTF-16 BOM, big-endian", append([]byte{0xFE, 0xFF}, "\x00f\x00i"...), 1, "UTF-16 byte order mark at byte 0"},
		{"html error page", []byte(html), 1, `an HTML page, not the CSV list (starts "<!DOCTYPE html>")`},
		{"html after a BOM and blank lines", append(bytes.Clone(bomUTF8), "\n\n<html><body>Forbidden</body></html>"...), 3, "an HTML page"},
		{"the XML served as the CSV", excerptXML(t), 1, "an XML document, not CSV"},
		{"missing NameAlias_WholeName", dropColumn("NameAlias_WholeName"), 1, "header lacks required column(s) NameAlias_WholeName"},
		{"missing Entity_LogicalId", dropColumn("Entity_LogicalId"), 1, "header lacks required column(s) Entity_LogicalId"},
		{"missing both subject type columns", dropColumn("Entity_SubjectType")[len(bomUTF8):], 0, ""},
		{"a header of another list", []byte("Name 6,Name 1,Name 2,DOB\nX,Y,Z,01/01/1970\n"), 1,
			"header lacks required column(s) Entity_LogicalId, NameAlias_WholeName, Entity_SubjectType or Entity_SubjectType_ClassificationCode"},
		{"header cut", header[:40], 1, "header lacks required column(s)"},
		// The CSV has no end mark: a broken last row is a cut inside a row.
		{"cut inside the last row", data[:len(data)-20], lastRowLine, "the file ends in a broken row (wrong number of fields): truncated"},
		{"a 2 MB row", append(append(bytes.Clone(header), '\n'), bytes.Repeat([]byte("x"), 2<<20)...), 2, "a CSV record longer than 1048576 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.message == "" {
				// One subject column is enough: the other is an issue.
				p := mustParse(t, "csv", tc.data)
				if len(p.Emitted) != 4 || !slices.Contains(problems(p.Issues), "column Entity_SubjectType missing from the header; its field is absent") {
					t.Errorf("%d entities, issues %q", len(p.Emitted), problems(p.Issues))
				}
				return
			}
			p := parseData(t, "csv", tc.data)
			var re *sources.RecordError
			if !errors.As(p.Err, &re) {
				t.Fatalf("err = %v, want a *sources.RecordError", p.Err)
			}
			if re.Source != "eu_fsf" || re.File != CSVFile || re.Line != tc.line || !strings.Contains(re.Error(), tc.message) ||
				!strings.Contains(re.Error(), CSVFile) {
				t.Errorf("err = %q (line %d), want file %s, line %d, %q", re, re.Line, CSVFile, tc.line, tc.message)
			}
		})
	}
}

// TestCSVRowProblems: a bad row is an issue with its line and is skipped;
// the parse goes on.
func TestCSVRowProblems(t *testing.T) {
	rows := csvRows(t, derivedCSV(t))
	// Rows of entity 980 (the third): one name and two addresses.
	first := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 1 && r[cEntityLogicalID] == "980" })
	if first < 0 || rows[first+1][cEntityLogicalID] != "980" || rows[first+2][cEntityLogicalID] != "980" {
		t.Fatal("unexpected fixture layout")
	}
	// Data lines are 1-based and the header is line 1; no field of the
	// fixture before entity 330's name remark spans lines.
	line980 := first + 1
	text := func(rows [][]string) []byte { return writeRows(t, rows) }
	withRow := func(i int, f func([]string) []string) []byte {
		c := slices.Clone(rows)
		c[i] = f(slices.Clone(c[i]))
		return text(c)
	}
	tests := []struct {
		name     string
		data     []byte
		line     int
		problem  string
		record   string
		entities int
		addrs980 int
	}{
		{"short row", withRow(first+1, func(r []string) []string { return r[:50] }), line980 + 1,
			"record on line " + itoa(line980+1) + ": wrong number of fields; row skipped", "980", 4, 1},
		{"long row", withRow(first+1, func(r []string) []string { return append(r, "x") }), line980 + 1,
			"record on line " + itoa(line980+1) + ": wrong number of fields; row skipped", "980", 4, 1},
		{"bad logicalId", withRow(first+1, func(r []string) []string { r[cEntityLogicalID] = "98O"; return r }), line980 + 1,
			`Entity_LogicalId "98O" is not a positive integer; row skipped`, "", 4, 1},
		{"empty logicalId", withRow(first+2, func(r []string) []string { r[cEntityLogicalID] = ""; return r }), line980 + 2,
			`Entity_LogicalId "" is not a positive integer; row skipped`, "", 4, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, "csv", tc.data)
			if len(p.Emitted) != tc.entities {
				t.Errorf("%d entities, want %d", len(p.Emitted), tc.entities)
			}
			if e := p.ByID["eu_fsf-980"]; e == nil || len(e.Addresses) != tc.addrs980 {
				t.Errorf("entity 980: %+v", e)
			}
			is := p.Issues[1:] // after the BOM's
			if len(is) != 1 || is[0].File != CSVFile || is[0].Line != tc.line || is[0].Problem != tc.problem ||
				(tc.record != "" && is[0].Record != tc.record) {
				t.Errorf("issues = %+v, want one on line %d: %q", p.Issues, tc.line, tc.problem)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestCSVQuoting: a bare quote inside an unquoted field is read as a
// character (LazyQuotes, as the real file needs); a quote that is never
// closed swallows the following rows, up to the next quote that ends a
// field, into one row with a wrong column count: an issue with the row's
// line.
func TestCSVQuoting(t *testing.T) {
	data := derivedCSV(t)
	bare := bytes.Replace(data, []byte(";Abu Ali;"), []byte(`;Abu "Ali";`), 1)
	p := mustParse(t, "csv", bare)
	if e := p.ByID["eu_fsf-13"]; e == nil || !slices.ContainsFunc(e.Names, func(n entity.Name) bool { return n.Value == `Abu "Ali"` }) {
		t.Errorf("bare quote: %+v", e)
	}
	if len(p.Issues) != 1 {
		t.Errorf("bare quote: issues %v", p.Issues)
	}
	i := bytes.Index(data, []byte(";Global Relief Foundation (GRF);"))
	open := append(bytes.Clone(data[:i+1]), '"')
	open = append(open, data[i+1:]...)
	line := bytes.Count(data[:i], []byte("\n")) + 1
	p = mustParse(t, "csv", open)
	if len(p.Issues) != 2 || p.Issues[1].Line != line || !strings.Contains(p.Issues[1].Problem, "wrong number of fields") {
		t.Errorf("open quote: issues %v, want one on line %d", p.Issues, line)
	}
	// The quote closes inside entity 330's quoted name remark: 980 and
	// the rows of 330 before it are lost; the rest of 330 reads again.
	if p.ByID["eu_fsf-980"] != nil || p.ByID["eu_fsf-13"] == nil || p.ByID["eu_fsf-191"] == nil {
		t.Errorf("open quote: entities %v", slices.Collect(maps.Keys(p.ByID)))
	}
}

// TestCSVGrouping: rows of one entity after another entity's make a
// second record of its id (the pipeline drops the later one after
// sorting); a part repeated with other values is an issue.
func TestCSVGrouping(t *testing.T) {
	rows := csvRows(t, derivedCSV(t))
	whole := mustParse(t, "csv", derivedCSV(t))
	// Move the second row of entity 13 (its name "Abu Ali") to the end.
	moved := append(slices.Clone(rows[:2]), rows[3:]...)
	moved = append(moved, rows[2])
	p := mustParse(t, "csv", writeRows(t, moved))
	if !slices.Equal(p.Issues, whole.Issues) {
		t.Errorf("issues = %v, want those of the file as rendered, %v", p.Issues, whole.Issues)
	}
	var ids []string
	for _, e := range p.Emitted {
		ids = append(ids, e.ID)
	}
	if want := []string{"eu_fsf-13", "eu_fsf-191", "eu_fsf-980", "eu_fsf-330", "eu_fsf-13"}; !slices.Equal(ids, want) {
		t.Fatalf("entities %v, want %v", ids, want)
	}
	if first, last := p.Emitted[0], p.Emitted[4]; len(first.Names) != 2 || last.Name != "Abu Ali" || len(last.Names) != 1 {
		t.Errorf("entity 13: first record %+v, second %+v", first.Names, last.Names)
	}
	// The same NameAlias_LogicalId twice with another whole name.
	dup := slices.Clone(rows)
	again := slices.Clone(rows[1])
	again[cNameWhole] = "Saddam Hussein"
	dup = slices.Insert(dup, 2, again)
	p = mustParse(t, "csv", writeRows(t, dup))
	if len(p.Issues) != 2 || p.Issues[1].Line != 3 || p.Issues[1].Problem != "NameAlias logicalId 17 repeats with other values; the first row's are kept" {
		t.Errorf("issues = %v", p.Issues)
	}
	// A fileGenerationDate that changes.
	gen := slices.Clone(rows)
	gen[5] = slices.Clone(gen[5])
	gen[5][cFileGenerationDate] = "06/08/2026"
	p = mustParse(t, "csv", writeRows(t, gen))
	if p.Meta.PublicationDate != "2026-08-05" || len(p.Issues) != 2 || p.Issues[1].Line != 6 {
		t.Errorf("meta %+v, issues %v", p.Meta, p.Issues)
	}
}

// TestCSVHeaderChanges: unknown and missing optional columns are issues
// on line 1; the parse goes on.
func TestCSVHeaderChanges(t *testing.T) {
	rows := csvRows(t, derivedCSV(t))
	for i := range rows {
		v := "x"
		if i == 0 {
			v = "Entity_NewField"
		}
		rows[i] = append(slices.Clone(rows[i]), v)
		rows[i] = slices.Delete(rows[i], cAddrPlace, cAddrPlace+1)
	}
	p := mustParse(t, "csv", writeRows(t, rows))
	want := []sources.Issue{
		{File: CSVFile, Line: 1, Problem: "UTF-8 byte order mark at the start; dropped"},
		{File: CSVFile, Line: 1, Problem: `unknown column "Entity_NewField" (column 118); not mapped`},
		{File: CSVFile, Line: 1, Problem: "column Address_Place missing from the header; its field is absent"},
	}
	if !slices.Equal(p.Issues, want) || len(p.Emitted) != 4 {
		t.Errorf("issues = %v, %d entities", p.Issues, len(p.Emitted))
	}
}

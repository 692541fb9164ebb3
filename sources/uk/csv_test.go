package uk

import (
	"bytes"
	"encoding/csv"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// rewriteCSV re-renders the fixture after edit changed its header and
// rows; line 1 (the report date) stays.
func rewriteCSV(t testing.TB, data []byte, edit func(header []string, rows [][]string) ([]string, [][]string)) []byte {
	t.Helper()
	first, rest, _ := bytes.Cut(data, []byte("\r\n"))
	r := csv.NewReader(bytes.NewReader(rest))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header, rows := edit(recs[0], recs[1:])
	var buf bytes.Buffer
	buf.Write(first)
	buf.WriteString("\r\n")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// byDesignation splits rows into runs of one Unique ID.
func byDesignation(rows [][]string) [][][]string {
	var groups [][][]string
	for i, r := range rows {
		if i == 0 || r[colUniqueID] != rows[i-1][colUniqueID] {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], r)
	}
	return groups
}

// TestCSVRowLayouts: how the values of a designation are spread over its
// rows does not matter: rows repeated (the published file repeats a
// designation's rows for every date of birth), reversed, or each value on
// a row of its own.
func TestCSVRowLayouts(t *testing.T) {
	base := mustParse(t, "csv", renderedCSV(t))
	layouts := []struct {
		name string
		edit func(rows [][]string) [][]string
	}{
		{"every row twice", func(rows [][]string) [][]string {
			var out [][]string
			for _, g := range byDesignation(rows) {
				out = append(out, g...)
				out = append(out, g...)
			}
			return out
		}},
		{"reversed within each designation", func(rows [][]string) [][]string {
			var out [][]string
			for _, g := range byDesignation(rows) {
				slices.Reverse(g)
				out = append(out, g...)
			}
			return out
		}},
		{"names times dates of birth", func(rows [][]string) [][]string {
			// Every name row repeated with every date of birth.
			var out [][]string
			for _, g := range byDesignation(rows) {
				var dobs []string
				for _, r := range g {
					if r[colDOB] != "" {
						dobs = append(dobs, r[colDOB])
					}
				}
				for _, r := range g {
					out = append(out, r)
					for _, d := range dobs {
						c := slices.Clone(r)
						c[colDOB] = d
						out = append(out, c)
					}
				}
			}
			return out
		}},
	}
	for _, tc := range layouts {
		t.Run(tc.name, func(t *testing.T) {
			data := rewriteCSV(t, renderedCSV(t), func(h []string, rows [][]string) ([]string, [][]string) { return h, tc.edit(rows) })
			p := mustParse(t, "csv", data)
			if len(p.Issues) > 0 {
				t.Errorf("issues: %v", p.Issues)
			}
			if !slices.Equal(p.Lines, base.Lines) {
				t.Errorf("entities differ from the fixture's")
			}
		})
	}
}

func TestCSVBadInput(t *testing.T) {
	fixture := renderedCSV(t)
	header := fixture[:bytes.Index(fixture, []byte("\r\n29/04/2026"))+2]
	without := func(col string) []byte {
		return bytes.Replace(header, []byte(","+col+","), []byte(","), 1)
	}
	// rowLine is the first line of the row that holds byte i (fields
	// with line breaks make rows span lines).
	rowLine := func(i int) int {
		r := csv.NewReader(bytes.NewReader(fixture))
		r.FieldsPerRecord = -1
		line := 0
		for start := int64(0); start <= int64(i); start = r.InputOffset() {
			if _, err := r.Read(); err != nil {
				t.Fatal(err)
			}
			line, _ = r.FieldPos(0)
		}
		return line
	}
	quoted := bytes.Index(fixture, []byte(`" D0009720"`))
	long := append(bytes.Clone(header), "29/04/2026,AFG0011,"...)
	long = append(long, bytes.Repeat([]byte("x"), 2<<20)...)
	tests := []struct {
		name    string
		data    []byte
		line    int
		message string
	}{
		{"empty file", nil, 0, "empty file"},
		{"only a byte order mark", bomUTF8, 0, "empty file"},
		{"UTF-16 little endian", []byte{0xFF, 0xFE, 'R', 0, 'e', 0}, 1, "UTF-16 byte order mark at byte 0"},
		{"UTF-16 big endian", []byte{0xFE, 0xFF, 0, 'R', 0, 'e'}, 1, "UTF-16 byte order mark at byte 0"},
		{"UTF-32 big endian", []byte{0, 0, 0xFE, 0xFF, 0, 0, 0, 'R'}, 1, "UTF-32 byte order mark at byte 0"},
		{"html error page", []byte("<!DOCTYPE html>\n<html lang=\"en\"><body><h1>Service Unavailable</h1></body></html>\n"), 1, `an HTML page, not the CSV list (starts "<!DOCTYPE html>")`},
		{"html after blank lines", []byte("\r\n\r\n<html><body>Forbidden</body></html>"), 3, `an HTML page, not the CSV list (starts "<html><body>Forbidden</body></html>")`},
		{"something else", []byte("Unique Identifier;Name\r\nAFG0011;X\r\n"), 1, `line 1 is neither "Report Date: ..." nor the header`},
		{"report date only", []byte("Report Date: 14-Aug-2026\r\n"), 2, "no header line after the report date"},
		{"header only", header, 2, "no designation rows after the header"},
		{"no Unique ID column", without("Unique ID"), 2, `header lacks the column "Unique ID"`},
		{"no Name 6 column", without("Name 6"), 2, `header lacks the column "Name 6"`},
		{"no Name type column", without("Name type"), 2, `header lacks the column "Name type"`},
		{"no Designation Type column", without("Designation Type"), 2, `header lacks the column "Designation Type"`},
		// The CSV has no end mark: a broken last row is a cut inside a row,
		// and the rows after it are lost.
		{"cut inside the last row", fixture[:len(fixture)-20], rowLine(len(fixture) - 20), "the file ends in a broken row (wrong number of fields): truncated"},
		{"cut inside a quoted field", fixture[:quoted+4], rowLine(quoted), "the file ends in a broken row (extraneous or missing \" in quoted-field): truncated"},
		{"a 2 MB row", long, 3, "a CSV record longer than 1048576 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if strings.HasPrefix(tc.name, "no ") && strings.HasSuffix(tc.name, " column") {
				data = append(bytes.Clone(data), fixture[len(header):]...)
			}
			p := parse(t, "csv", data)
			var re *sources.RecordError
			if !errors.As(p.Err, &re) {
				t.Fatalf("err = %v, want a *sources.RecordError", p.Err)
			}
			if re.Source != "gb_fcdo" || re.File != csvFile || re.Line != tc.line || !strings.Contains(re.Error(), tc.message) {
				t.Errorf("err = %q (line %d), want file %s, line %d, %q", re, re.Line, csvFile, tc.line, tc.message)
			}
			if !strings.Contains(re.Error(), csvFile) {
				t.Errorf("err %q does not name the file", re)
			}
		})
	}
}

// TestCSVRowIssues: rows that cannot be read, or read into a designation,
// are issues with their line; the parse goes on.
func TestCSVRowIssues(t *testing.T) {
	fixture := renderedCSV(t)
	base := mustParse(t, "csv", fixture)
	afterHeader := bytes.Index(fixture, []byte("\r\n29/04/2026")) + 2
	insert := func(row string) []byte {
		return append(append(bytes.Clone(fixture[:afterHeader]), row+"\r\n"...), fixture[afterHeader:]...)
	}
	// The ship's four rows start at shipLine; each takes two lines (its
	// UK Statement of Reasons is a line break).
	shipLine := lineOf(t, fixture, "DPR0075")
	tests := []struct {
		name   string
		data   []byte
		issues []sources.Issue
		check  func(t *testing.T, p *sourcetest.Parsed)
	}{
		{"byte order mark", append(bytes.Clone(bomUTF8), fixture...),
			[]sources.Issue{{File: csvFile, Line: 1, Problem: "UTF-8 byte order mark at the start; dropped"}}, nil},
		{"too few fields", insert("29/04/2026,AFG0011,7270"),
			[]sources.Issue{{File: csvFile, Line: 3, Record: "AFG0011", Problem: "record on line 3: wrong number of fields; row skipped"}}, nil},
		{"bare quote", insert(`29/04/2026,AFG0011,7"270` + strings.Repeat(",", numCols-3)),
			[]sources.Issue{{File: csvFile, Line: 3, Record: "AFG0011", Problem: `parse error on line 3, column N: bare " in non-quoted-field; row skipped`}}, nil},
		{"no Unique ID", insert("29/04/2026,,7270" + strings.Repeat(",", numCols-3)),
			[]sources.Issue{{File: csvFile, Line: 3, Record: "29/04/2026,,7270" + strings.Repeat(",", numCols-3), Problem: "row without a Unique ID; skipped"}}, nil},
		{"no report date", fixture[len("Report Date: 14-Aug-2026\r\n"):],
			[]sources.Issue{{File: csvFile, Line: 1, Problem: `no "Report Date:" line; line 1 is the header`}},
			func(t *testing.T, p *sourcetest.Parsed) {
				if p.Meta.PublicationDate != "" {
					t.Errorf("publication date %q", p.Meta.PublicationDate)
				}
			}},
		{"report date dd/mm/yyyy", append([]byte("Report Date: 14/08/2026"), fixture[len("Report Date: 14-Aug-2026"):]...), nil,
			func(t *testing.T, p *sourcetest.Parsed) {
				if p.Meta.PublicationDate != "2026-08-14" {
					t.Errorf("publication date %q", p.Meta.PublicationDate)
				}
			}},
		{"bad report date", append([]byte("Report Date: yesterday"), fixture[len("Report Date: 14-Aug-2026"):]...),
			[]sources.Issue{{File: csvFile, Line: 1, Problem: `Report Date "yesterday" is not a date`}}, nil},
		{"unknown column", rewriteCSV(t, fixture, func(h []string, rows [][]string) ([]string, [][]string) {
			for i := range rows {
				rows[i] = append(rows[i], "x")
			}
			return append(h, "Vessel call sign"), rows
		}), []sources.Issue{{File: csvFile, Line: 2, Problem: `unknown column "Vessel call sign"; not mapped`}}, nil},
		{"missing optional column", rewriteCSV(t, fixture, func(h []string, rows [][]string) ([]string, [][]string) {
			for i := range rows {
				rows[i] = slices.Delete(rows[i], colWebsite, colWebsite+1)
			}
			return slices.Delete(h, colWebsite, colWebsite+1), rows
		}), []sources.Issue{{File: csvFile, Line: 2, Problem: `no column "Website"; its values are absent from this version`}}, nil},
		{"columns in another order, other letter case", rewriteCSV(t, fixture, func(h []string, rows [][]string) ([]string, [][]string) {
			h = slices.Clone(h)
			h[colNameType] = "NAME  TYPE"
			for _, r := range append([][]string{h}, rows...) {
				slices.Reverse(r)
			}
			return h, rows
		}), nil, nil},
		// A second designation of the same id, which the pipeline drops
		// after sorting (keeping the one parsed first); its one row names
		// no primary name.
		{"rows of a designation apart", rewriteCSV(t, fixture, func(h []string, rows [][]string) ([]string, [][]string) {
			moved := rows[1] // AFG0011's second row: the alias MANSOOR, 12/11/1967, D0010442
			return h, append(slices.Delete(rows, 1, 2), moved)
		}), []sources.Issue{{File: csvFile, Line: shipLine + 6, Record: "AFG0011",
			Problem: `no primary name; the first name published ("Abdul Latif MANSOOR") is used`}},
			func(t *testing.T, p *sourcetest.Parsed) {
				var first, apart int
				for _, e := range p.Entities {
					if e.ID != "gb_fcdo-AFG0011" {
						continue
					}
					if slices.ContainsFunc(e.Names, func(n entity.Name) bool { return n.Value == "Abdul Latif MANSOOR" }) {
						apart++
					} else {
						first++
					}
				}
				if len(p.Entities) != 5 || first != 1 || apart != 1 {
					t.Errorf("%d entities; AFG0011 without the moved row's alias %d, with it %d; want 5, 1, 1", len(p.Entities), first, apart)
				}
			}},
		{"a column that differs between rows", rewriteCSV(t, fixture, func(h []string, rows [][]string) ([]string, [][]string) {
			rows[len(rows)-1][colRegime] = "Another regime"
			return h, rows
		}), []sources.Issue{{File: csvFile, Line: shipLine + 6, Record: "DPR0075",
			Problem: `column "Regime Name" is "Another regime" here, "The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019" on an earlier row of DPR0075; the first is kept`}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, "csv", tc.data)
			for i := range p.Issues {
				// Lines are asserted, not columns (their meaning changed
				// between Go releases).
				p.Issues[i].Problem = columnRE.ReplaceAllString(p.Issues[i].Problem, "column N")
			}
			if !slices.Equal(p.Issues, tc.issues) {
				t.Errorf("issues:\n%v\nwant:\n%v", p.Issues, tc.issues)
			}
			if tc.check != nil {
				tc.check(t, p)
				return
			}
			if len(p.Entities) != 4 {
				t.Fatalf("%d entities", len(p.Entities))
			}
			if !slices.Equal(p.Lines, base.Lines) {
				t.Errorf("entities differ from the fixture's")
			}
		})
	}
}

var columnRE = regexp.MustCompile(`column \d+`)

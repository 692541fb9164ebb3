package dfat

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/xlsxstream"
)

// fuzzMaxUnzipped bounds what one fuzz input may inflate to, so that its
// allocations stay under sourcetest.FuzzParse's bound.
const fuzzMaxUnzipped = 1 << 20

// FuzzParseXLSX parses arbitrary workbooks, seeded with small workbooks
// written by excelize from the first rows of each real one (header and
// 14 rows, the cells as read): the real seeds would make every input
// inflate a 1.3 MB shared strings part.
func FuzzParseXLSX(f *testing.F) {
	for _, pub := range publications {
		f.Add(seedBook(f, pub))
	}
	dir := sourcetest.FuzzDir(f)
	src := New(Config{TempDir: dir, MaxUnzipped: fuzzMaxUnzipped})
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, src, dir, "xlsx", map[string][]byte{FileName: data}, fuzzMaxUnzipped/8)
	})
}

var smallBooks = map[string]*shared[[]byte]{"2024-12-17": {}, "2026-02-24": {}}

// smallReal is the real workbook of pub cut to 300 rows, for the tests of
// structure (columns moved, malformed rows, damaged parts, interleaved
// groups, no core properties): the header, rows 2 to 200, and the 100
// rows from row pub.window renumbered 201 to 300. In them every column
// of the layout holds text, the 2026 measure flags hold both 0 and 1, and
// the 2026 rows include vessels with IMO Numbers (the first 300 rows have
// none); excelize reads them in 0.4 s under the race detector, the whole
// 2026-02-24 workbook in 8.6 s. The rows are written by excelize from the
// hand reading (shared with TestPublications), under the worksheet's name
// and with the workbook's document properties (its date); made once per
// test binary.
func smallReal(t testing.TB, pub publication) []byte {
	t.Helper()
	return smallBooks[pub.date].get(t, "the small workbook of "+pub.date, func() []byte {
		data := readFile(t, pub.path())
		var rows []sheetRow
		for _, r := range handRows(t, pub) {
			switch {
			case r.N <= 200:
				rows = append(rows, r)
			case r.N >= pub.window && r.N < pub.window+100:
				rows = append(rows, sheetRow{N: 201 + r.N - pub.window, Cells: r.Cells})
			}
		}
		return writeBook(t, sheetName(t, data), readPart(t, data, corePart), rows)
	})
}

// writeBook writes rows (cells by column letters) into a new workbook,
// each cell's text as a string, its core properties part set to core.
func writeBook(t testing.TB, sheet string, core []byte, rows []sheetRow) []byte {
	t.Helper()
	out := excelize.NewFile()
	defer out.Close()
	if err := out.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		// In column order, so that the shared strings come out the same
		// every time.
		letters := slices.SortedFunc(maps.Keys(r.Cells), func(a, b string) int { return cmp.Or(len(a)-len(b), strings.Compare(a, b)) })
		for _, l := range letters {
			if err := out.SetCellStr(sheet, l+strconv.Itoa(r.N), r.Cells[l]); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := out.Write(&buf); err != nil {
		t.Fatal(err)
	}
	b := readBook(t, buf.Bytes())
	if core != nil {
		b = b.with(corePart, core)
	}
	return b.zip(t)
}

// sheetName is the name of the workbook's first worksheet.
func sheetName(t testing.TB, data []byte) string {
	t.Helper()
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(readPart(t, data, "xl/workbook.xml"), &book); err != nil || len(book.Sheets) == 0 {
		t.Fatalf("xl/workbook.xml: %v, %d sheets", err, len(book.Sheets))
	}
	return book.Sheets[0].Name
}

// seedBook is the real workbook of pub cut to its first 15 rows: the fuzz
// seed, and what TestFetch serves.
func seedBook(t testing.TB, pub publication) []byte {
	t.Helper()
	return smallBook(t, smallReal(t, pub), 15)
}

// smallBook writes the first rows of a workbook into a new one, as
// xlsxstream reads them, under the worksheet's name and with the
// workbook's document properties.
func smallBook(t testing.TB, data []byte, rows int) []byte {
	t.Helper()
	r, err := xlsxstream.Open(data, xlsxstream.Options{Source: Name, File: "seed.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []sheetRow
	for range rows {
		cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		row := sheetRow{N: r.Row(), Cells: map[string]string{}}
		for i, c := range cells {
			row.Cells[columnLetter(i)] = c
		}
		out = append(out, row)
	}
	return writeBook(t, r.Sheet(), readPart(t, data, corePart), out)
}

// TestSmallBook: the fuzz seeds parse, each into the entities of its
// rows' groups (the last group may be cut short by the 15 rows).
func TestSmallBook(t *testing.T) {
	for _, pub := range publications {
		p := mustParse(t, FileName, seedBook(t, pub))
		if len(p.entities) < 5 {
			t.Errorf("%s: %d entities from the seed", pub.date, len(p.entities))
		}
	}
}

// FuzzGroup maps arbitrary rows of one group (rows split at line feeds,
// cells at tabs, in column order of the 2026 layout) without a workbook,
// so that the cell readers (enumerations, dates, labels, documents) meet
// inputs the zip layer would never let through. Seeded with the first
// rows of real groups.
func FuzzGroup(f *testing.F) {
	for _, pub := range publications {
		// The hand reading (shared with TestPublications), not a third
		// reading of each workbook by excelize: the seeds need the cells'
		// text only.
		rows := handRows(f, pub)
		col := map[string]int{} // column letters -> mapped column
		for letters, h := range rows[0].Cells {
			if c, ok := columnByKey[headerKey(h)]; ok {
				col[letters] = c
			}
		}
		seeds := map[string]*bytes.Buffer{}
		for _, r := range rows[1:] {
			// Rows of a few tricky groups, their cells in the 2026 order.
			num := groupNumber(r.Cells["A"])
			switch num {
			case "2", "34", "1228", "1267", "2940", "8686", "8720", "8495":
			default:
				continue
			}
			byCol := [numCols]string{}
			for letters, c := range r.Cells {
				if i, ok := col[letters]; ok {
					byCol[i] = xlsxstream.CleanCell(c)
				}
			}
			b := seeds[pub.date+num]
			if b == nil {
				b = &bytes.Buffer{}
				seeds[pub.date+num] = b
			}
			if bytes.Count(b.Bytes(), []byte("\n")) >= 3 {
				continue // three rows a group, cells of at most 400 bytes: small inputs run fast
			}
			for i, c := range byCol {
				if i > 0 {
					b.WriteByte('\t')
				}
				c = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
				b.WriteString(c[:min(len(c), 400)])
			}
			b.WriteByte('\n')
		}
		for _, b := range seeds {
			f.Add(b.String())
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		var issues sources.Issues
		p := &parser{file: FileName, sheet: "Sheet1", issues: &issues}
		g := &group{number: "1"}
		for i, line := range strings.Split(text, "\n") {
			rw := row{n: i + 2}
			for j, c := range strings.Split(line, "\t") {
				if j < numCols {
					rw.cells[j] = c
				}
			}
			rw.ref = normalize.Text(rw.cells[colRef])
			g.rows = append(g.rows, rw)
		}
		e := p.build(g)
		if e == nil {
			return
		}
		e.Canonicalize()
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
		// The name stays as published; names[0] is it with what is printed
		// inside it about it ("ح(A)": a copy in another script) as its note.
		if len(e.Names) == 0 || e.Names[0].Kind != entity.KindPrimary ||
			e.Names[0].Value != normalize.StripAnnotations(e.Name) {
			t.Fatalf("names %+v, name %q", e.Names, e.Name)
		}
		for _, d := range e.BirthDates {
			if d.Raw == "" {
				t.Fatalf("a date without raw text: %+v", d)
			}
		}
	})
}

// largeGroup is one reference of n rows, each with a UN reference of its
// own and its own text, every one a Primary Name, one in 25 with a
// passport: built by hand, since no real group comes near (the largest
// real one has a few dozen rows).
func largeGroup(n int) (*parser, *group, *sources.Issues) {
	const passportEvery = 25
	issues := new(sources.Issues)
	p := &parser{file: FileName, sheet: "Sheet1", issues: issues}
	g := &group{number: "7"}
	for i := range n {
		rw := row{n: i + 2, ref: fmt.Sprintf("7a%d", i)}
		rw.cells[colRef] = rw.ref
		rw.cells[colName] = fmt.Sprintf("Name %d", i)
		rw.cells[colType] = "Individual"
		rw.cells[colNameType] = "Primary Name"
		rw.cells[colDOB] = fmt.Sprintf("%d", 1000+i%1000)
		// A UN reference number of its own: QAi.000 to QZi.999, then RAi.000...
		rw.cells[colInfo] = fmt.Sprintf("%c%ci.%03d. Text %d", 'Q'+i/26000, 'A'+i/1000%26, i%1000, i)
		if i%passportEvery == 0 {
			rw.cells[colInfo] += fmt.Sprintf(". Passport no.: A%07d", i)
		}
		rw.cells[colCommittees] = "Autonomous (Russia)"
		g.rows = append(g.rows, rw)
	}
	return p, g, issues
}

// TestLargeGroup: a reference of 5,000 rows gives one entity with every
// name, date and identifier, and the two issues (several primary names,
// several UN references) list five rows each, not all of them. Whether a
// group's work stays linear in its rows is BenchmarkLargeGroup's to show
// (5,000 against 50,000 rows), not a timed test's.
func TestLargeGroup(t *testing.T) {
	const n = 5000
	p, g, issues := largeGroup(n)
	e := p.build(g)
	e.Canonicalize()
	if len(e.Names) != n || len(e.BirthDates) != 1000 || len(e.Identifiers) != n+n/25 {
		t.Errorf("%d names, %d dates, %d identifiers", len(e.Names), len(e.BirthDates), len(e.Identifiers))
	}
	list := issues.List()
	if len(list) != 2 {
		t.Fatalf("issues %v", list)
	}
	for _, is := range list {
		if !strings.Contains(is.Problem, fmt.Sprintf("and %d more", n-5)) || len(is.Problem) > 1000 {
			t.Errorf("issue %q", is.Problem)
		}
	}
}

// BenchmarkLargeGroup builds one group of 5,000 and of 50,000 rows: the
// time per op should grow about tenfold (a pass over a list for each of
// its values would make it a hundredfold).
func BenchmarkLargeGroup(b *testing.B) {
	for _, n := range []int{5000, 50000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				p, g, _ := largeGroup(n)
				b.StartTimer()
				e := p.build(g)
				e.Canonicalize()
			}
		})
	}
}

package dfat

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

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
		f.Add(smallBook(f, readFile(f, pub.path()), 15))
	}
	dir := sourcetest.FuzzDir(f)
	src := New(Config{TempDir: dir, MaxUnzipped: fuzzMaxUnzipped})
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, src, dir, "xlsx", map[string][]byte{FileName: data}, fuzzMaxUnzipped/8)
	})
}

// smallBook writes the first rows of a real workbook into a new one.
func smallBook(t testing.TB, data []byte, rows int) []byte {
	t.Helper()
	r, err := xlsxstream.Open(data, xlsxstream.Options{Source: Name, File: "seed.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := excelize.NewFile()
	defer out.Close()
	for range rows {
		cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		values := make([]any, len(cells))
		for i, c := range cells {
			values[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, r.Row())
		if err := out.SetSheetRow("Sheet1", cell, &values); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := out.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSmallBook: the fuzz seeds parse, each into the entities of its
// rows' groups (the last group may be cut short by the 15 rows).
func TestSmallBook(t *testing.T) {
	for _, pub := range publications {
		p := mustParse(t, FileName, smallBook(t, readFile(t, pub.path()), 15))
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
		r, err := xlsxstream.Open(readFile(f, pub.path()), xlsxstream.Options{Source: Name, File: "seed.xlsx"})
		if err != nil {
			f.Fatal(err)
		}
		var head []string
		seeds := map[string]*bytes.Buffer{}
		for {
			cells, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Fatal(err)
			}
			if head == nil {
				head = cells
				continue
			}
			if len(cells) == 0 {
				continue
			}
			// Rows of a few tricky groups, their cells in the 2026 order.
			num := groupNumber(cells[0])
			switch num {
			case "2", "34", "1228", "1267", "2940", "8686", "8720", "8495":
			default:
				continue
			}
			byCol := [numCols]string{}
			for i, c := range cells {
				if i < len(head) {
					if col, ok := columnByKey[headerKey(head[i])]; ok {
						byCol[col] = xlsxstream.CleanCell(c)
					}
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
		r.Close()
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
		if len(e.Names) == 0 || e.Names[0].Kind != entity.KindPrimary || e.Names[0].Value != e.Name {
			t.Fatalf("names %+v, name %q", e.Names, e.Name)
		}
		for _, d := range e.BirthDates {
			if d.Raw == "" {
				t.Fatalf("a date without raw text: %+v", d)
			}
		}
	})
}

// TestLargeGroup: the work of one group is linear in its rows. 50,000 rows
// of one reference, each with its own name, date and text, every one a
// Primary Name: one entity with every name, an issue listing five rows.
func TestLargeGroup(t *testing.T) {
	const n = 50000
	var issues sources.Issues
	p := &parser{file: FileName, sheet: "Sheet1", issues: &issues}
	g := &group{number: "7"}
	for i := range n {
		rw := row{n: i + 2, ref: fmt.Sprintf("7a%d", i)}
		rw.cells[colRef] = rw.ref
		rw.cells[colName] = fmt.Sprintf("Name %d", i)
		rw.cells[colType] = "Individual"
		rw.cells[colNameType] = "Primary Name"
		rw.cells[colDOB] = fmt.Sprintf("%d", 1000+i%1000)
		rw.cells[colInfo] = fmt.Sprintf("QDi.%03d. Passport no.: A%07d. Text %d", i%1000, i, i)
		rw.cells[colCommittees] = "Autonomous (Russia)"
		g.rows = append(g.rows, rw)
	}
	start := time.Now()
	e := p.build(g)
	e.Canonicalize()
	took := time.Since(start)
	t.Logf("%d rows in %v: %d names, %d dates, %d identifiers, %d issues", n, took, len(e.Names), len(e.BirthDates), len(e.Identifiers), issues.Total())
	if len(e.Names) != n || len(e.BirthDates) != 1000 || len(e.Identifiers) != n+1000 {
		t.Errorf("%d names, %d dates, %d identifiers", len(e.Names), len(e.BirthDates), len(e.Identifiers))
	}
	if list := issues.List(); len(list) != 2 || !strings.Contains(list[0].Problem, "and 49995 more") || len(list[0].Problem) > 1000 {
		t.Errorf("issues %v", list)
	}
	if took > 20*time.Second {
		t.Errorf("%d rows took %v", n, took)
	}
}

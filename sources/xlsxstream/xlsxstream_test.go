package xlsxstream

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

var realBooks = []struct {
	path    string
	columns int // of the header row
	first   string
}{
	{"../../testdata/au_dfat/2024-12-17/regulation8_consolidated.xlsx", 12, "Reference"},
	{"../../testdata/au_dfat/2026-02-24/Australian_Sanctions_Consolidated_List.xlsx", 19, "Reference"},
}

func readBook(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sheetByHand is the number of the sheet's last row and the header row's
// texts (its cells holding a value), from sourcetest.SheetByHand's reading of the XML apart from
// excelize.
func sheetByHand(t *testing.T, data []byte) (lastRow int, header []string) {
	t.Helper()
	for _, r := range sourcetest.SheetByHand(t, data) {
		lastRow = max(lastRow, r.N)
		if r.N != 1 {
			continue
		}
		// column letters in sheet order: B before AA
		cols := slices.SortedFunc(maps.Keys(r.Cells), func(a, b string) int { return cmp.Or(len(a)-len(b), strings.Compare(a, b)) })
		for _, c := range cols {
			// a styled cell without a value (2024's 13th) is no header
			if v := r.Cells[c]; v != "" {
				header = append(header, v)
			}
		}
	}
	return lastRow, header
}

// Both real DFAT workbooks: every row of the sheet, numbered as the sheet
// numbers them, with the header an independent reading of the XML finds.
func TestRealWorkbooks(t *testing.T) {
	for _, b := range realBooks {
		t.Run(b.path[strings.LastIndexByte(b.path, '/')+1:], func(t *testing.T) {
			data := readBook(t, b.path)
			lastRow, header := sheetByHand(t, data)
			r, err := Open(data, Options{Source: "au_dfat", File: "book.xlsx", TempDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var rows int
			var first []string
			for {
				cells, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows++
				if r.Row() != rows {
					t.Fatalf("row %d reported as %d", rows, r.Row())
				}
				if rows == 1 {
					first = cells
				}
			}
			t.Logf("%d rows, header %q", rows, first)
			if rows != lastRow {
				t.Errorf("%d rows, the sheet's last is row %d", rows, lastRow)
			}
			if len(first) != b.columns || first[0] != b.first || strings.Join(first, "|") != strings.Join(header, "|") {
				t.Errorf("header %q (%d), by hand %q; want %d columns from %q", first, len(first), header, b.columns, b.first)
			}
		})
	}
}

// What is not a whole, sound workbook is refused, naming the file and the
// part, before excelize reads it: a cut file, an HTML page, a damaged
// part, a part longer than it declares, and a workbook past the bound.
func TestBadWorkbooks(t *testing.T) {
	real := readBook(t, realBooks[1].path)
	damaged := bytes.Clone(real)
	// Flip bytes inside the sheet's compressed stream.
	zr, err := zip.NewReader(bytes.NewReader(real), int64(len(real)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			for i := off + 1000; i < off+1010; i++ {
				damaged[i] ^= 0x55
			}
		}
	}
	tests := []struct {
		name  string
		data  []byte
		max   int64
		want  string
		is    error
		limit bool
	}{
		{"cut in half", real[:len(real)/2], 0, "no central directory at its end", sources.ErrIncomplete, false},
		{"empty", nil, 0, "empty file", nil, false},
		{"HTML page", []byte("<!DOCTYPE html><html><body>Service unavailable</body></html>"), 0, "an HTML or XML page, not an XLSX workbook", nil, false},
		{"damaged part", damaged, 0, "part xl/worksheets/sheet1.xml: damaged", nil, false},
		{"part longer than it declares", lyingZip(t), 0, "part xl/worksheets/sheet1.xml: damaged", zip.ErrFormat, false},
		{"past the bound", real, 1 << 20, "decompresses to over 1048576 bytes", sources.ErrLimit, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(tc.data, Options{Source: "au_dfat", File: "book.xlsx", MaxUnzipped: tc.max, TempDir: t.TempDir()})
			if err == nil {
				r.Close()
				t.Fatal("opened")
			}
			var re *sources.RecordError
			if !errors.As(err, &re) || re.File != "book.xlsx" || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a *sources.RecordError for book.xlsx saying %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, does not wrap %v", err, tc.is)
			}
		})
	}
}

// lyingZip is a workbook-shaped zip whose sheet part declares 1,000 bytes
// and inflates to 2 MB: a zip bomb that a check of the declared sizes
// alone would let through.
func lyingZip(t *testing.T) []byte {
	t.Helper()
	body := bytes.Repeat([]byte("<row/>"), 2<<20/6)
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(body[:1000]), CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestCleanCell(t *testing.T) {
	for in, want := range map[string]string{
		"a) one_x000D_\nb) two": "a) one\nb) two",
		"plain":                 "plain",
		"cr\r\nlf":              "cr\nlf",
	} {
		if got := CleanCell(in); got != want {
			t.Errorf("CleanCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// parts are the parts of a workbook, in archive order.
type parts struct {
	names []string
	body  map[string][]byte
}

func readParts(t *testing.T, data []byte) parts {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	p := parts{body: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p.names = append(p.names, f.Name)
		p.body[f.Name] = b
	}
	return p
}

// zip writes the parts, part name's body replaced by body, into a sound
// zip archive: every CRC and size holds.
func (p parts) zip(t *testing.T, name string, body []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range p.names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		b := p.body[n]
		if n == name {
			b = body
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readAll reads every row of data: how many Next gave, and its error
// other than io.EOF.
func readAll(t *testing.T, data []byte) (int, error) {
	t.Helper()
	r, err := Open(data, Options{Source: "au_dfat", File: "book.xlsx", TempDir: t.TempDir()})
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if n++; r.Row() != n {
			t.Fatalf("row %d reported as %d", n, r.Row())
		}
	}
}

// ownStrings returns sheet and the shared strings sst with only the
// strings the sheet's cells use, renumbered in their order: excelize
// decodes the whole part before the first cell, which for the real 1.3 MB
// one took 0.7 s a reading under the race detector.
func ownStrings(t *testing.T, sheet, sst []byte) ([]byte, []byte) {
	t.Helper()
	first := bytes.Index(sst, []byte("<si>"))
	if first < 0 {
		t.Fatal("no <si> in the shared strings")
	}
	var items [][]byte
	rest := sst[first:]
	for bytes.HasPrefix(rest, []byte("<si>")) {
		end := bytes.Index(rest, []byte("</si>")) + len("</si>")
		items = append(items, rest[:end])
		rest = rest[end:]
	}
	var used [][]byte
	renumbered := map[int]int{}
	cell := regexp.MustCompile(`(<c [^>]*\bt="s"[^>]*><v>)(\d+)(</v>)`)
	sheet = cell.ReplaceAllFunc(sheet, func(c []byte) []byte {
		m := cell.FindSubmatch(c)
		old, _ := strconv.Atoi(string(m[2]))
		if old >= len(items) {
			t.Fatalf("shared string %d of %d", old, len(items))
		}
		n, ok := renumbered[old]
		if !ok {
			n = len(used)
			renumbered[old] = n
			used = append(used, items[old])
		}
		return slices.Concat(m[1], []byte(strconv.Itoa(n)), m[3])
	})
	head := regexp.MustCompile(` (count|uniqueCount)="\d+"`).ReplaceAll(sst[:first], nil)
	return sheet, slices.Concat(head, bytes.Join(used, nil), rest)
}

// XML that breaks off inside a sound zip is refused, naming the part (and
// the row): excelize's row iterator drops its decoder's errors, so without
// these checks a worksheet cut in half and zipped again read as half the
// list. The workbooks are the real 2026-02-24 one with its worksheet cut
// to its first 300 rows (the rest of its XML kept, the shared strings
// down to those the rows use), then cut or broken again and zipped: a cut
// or a broken tag is the same fault after 300 rows as after 10,977, and
// 300 rows read in a fraction of a second under the race detector.
func TestXMLBrokenOff(t *testing.T) {
	p := readParts(t, readBook(t, realBooks[1].path))
	const sheetPart, sstPart = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
	var sheet []byte
	at := func(row int) int {
		i := bytes.Index(sheet, []byte(`<row r="`+strconv.Itoa(row)+`"`))
		if i < 0 {
			t.Fatalf("no row %d", row)
		}
		return i
	}
	sheet = p.body[sheetPart]
	sheet = slices.Concat(sheet[:at(301)], sheet[bytes.Index(sheet, []byte("</sheetData>")):])
	sheet, p.body[sstPart] = ownStrings(t, sheet, p.body[sstPart])
	p.body[sheetPart] = sheet
	row150 := sheet[at(150) : at(150)+bytes.Index(sheet[at(150):], []byte("</row>"))]
	// Row 150 with one end tag misspelt: excelize stops reading there.
	broken := bytes.Replace(sheet, row150, bytes.Replace(row150, []byte("</c>"), []byte("</x>"), 1), 1)
	// Without row 200: a row left out is no fault.
	row200 := sheet[at(200):at(201)]
	gap := bytes.Replace(sheet, row200, nil, 1)
	// No r attribute on any row: excelize numbers them one after another.
	noNumbers := regexp.MustCompile(`<row r="\d+"`).ReplaceAll(sheet, []byte("<row"))
	sst := p.body[sstPart]
	// Inside the first value of row 150.
	inText := at(150) + bytes.Index(sheet[at(150):], []byte("<v>")) + len("<v>") + 1

	tests := []struct {
		name string
		data []byte
		rows int    // rows read before the error, or in all
		line int    // of the error
		want string // in the error; "" for none
	}{
		{"300 rows", p.zip(t, "", nil), 300, 0, ""},
		{"a row left out", p.zip(t, sheetPart, gap), 300, 0, ""},
		{"rows without numbers", p.zip(t, sheetPart, noNumbers), 300, 0, ""},
		{"worksheet cut inside a tag", p.zip(t, sheetPart, sheet[:at(150)+len(`<row r`)]), 0, 0,
			"part xl/worksheets/sheet1.xml: a tag left open: unexpected EOF: truncated"},
		{"worksheet cut between rows", p.zip(t, sheetPart, sheet[:at(150)]), 0, 0,
			"part xl/worksheets/sheet1.xml does not end with the end of its root element <worksheet>: truncated"},
		{"worksheet cut in text", p.zip(t, sheetPart, sheet[:inText]), 0, 0,
			"part xl/worksheets/sheet1.xml does not end with the end of its root element <worksheet>: truncated"},
		{"shared strings cut", p.zip(t, sstPart, sst[:bytes.LastIndex(sst, []byte("</si>"))+len("</si>")]), 0, 0,
			"part xl/sharedStrings.xml does not end with the end of its root element <sst>: truncated"},
		{"worksheet broken inside", p.zip(t, sheetPart, broken), 150, 150,
			`worksheet "Consolidated List" (xl/worksheets/sheet1.xml) holds rows to row 300, but its XML could be read only to row 150: broken after it`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := readAll(t, tc.data)
			if n != tc.rows {
				t.Errorf("%d rows read, want %d", n, tc.rows)
			}
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var re *sources.RecordError
			if !errors.As(err, &re) || re.File != "book.xlsx" || re.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a *sources.RecordError for book.xlsx, line %d, saying %q", err, tc.line, tc.want)
			}
			if !errors.Is(err, sources.ErrIncomplete) {
				t.Errorf("err = %v, does not wrap sources.ErrIncomplete", err)
			}
		})
	}
}

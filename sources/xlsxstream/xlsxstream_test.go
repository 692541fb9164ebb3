package xlsxstream

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
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

// sheetByHand reads xl/worksheets/sheet1.xml with archive/zip and
// encoding/xml, apart from excelize: the number of the last row and the
// header row's texts (shared strings resolved).
func sheetByHand(t *testing.T, data []byte) (lastRow int, header []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	part := func(name string) *xml.Decoder {
		for _, f := range zr.File {
			if f.Name == name {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { rc.Close() })
				return xml.NewDecoder(rc)
			}
		}
		t.Fatalf("no %s", name)
		return nil
	}
	var shared []string
	d := part("xl/sharedStrings.xml")
	var cur strings.Builder
	in := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "si" {
				cur.Reset()
			}
			in = tok.Name.Local == "t"
		case xml.CharData:
			if in {
				cur.Write(tok)
			}
		case xml.EndElement:
			in = false
			if tok.Name.Local == "si" {
				shared = append(shared, cur.String())
			}
		}
	}
	d = part("xl/worksheets/sheet1.xml")
	var cellType string
	var row int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return lastRow, header
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "row":
				for _, a := range tok.Attr {
					if a.Name.Local == "r" {
						row, _ = strconv.Atoi(a.Value)
						lastRow = max(lastRow, row)
					}
				}
			case "c":
				cellType = ""
				for _, a := range tok.Attr {
					if a.Name.Local == "t" {
						cellType = a.Value
					}
				}
			case "v":
				if row == 1 {
					var v string
					if err := d.DecodeElement(&v, &tok); err != nil {
						t.Fatal(err)
					}
					if cellType == "s" {
						i, _ := strconv.Atoi(v)
						v = shared[i]
					}
					header = append(header, v)
				}
			}
		}
	}
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

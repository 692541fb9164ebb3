package dfat

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The bad-input tests derive workbooks from the real ones at test time
// (none is stored): the parts are read with archive/zip, one is changed,
// and all are zipped again.

const sheetPart = "xl/worksheets/sheet1.xml"

// book is a workbook's parts, in archive order.
type book struct {
	names []string
	parts map[string][]byte
}

func readBook(t testing.TB, data []byte) *book {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	b := &book{parts: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.names = append(b.names, f.Name)
		b.parts[f.Name] = body
	}
	return b
}

// readPart returns part name of the workbook data, nil when it has none.
func readPart(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		body, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	return nil
}

// with returns a copy of b with part name set to body.
func (b *book) with(name string, body []byte) *book {
	c := &book{names: b.names, parts: map[string][]byte{}}
	for k, v := range b.parts {
		c.parts[k] = v
	}
	if _, ok := b.parts[name]; !ok {
		c.names = append(slices.Clone(b.names), name)
	}
	c.parts[name] = body
	return c
}

// zip writes b as a zip archive, its parts deflated.
func (b *book) zip(t testing.TB) []byte {
	t.Helper()
	return b.zipWith(t, zip.Deflate)
}

// zipWith writes b as a zip archive, its parts compressed by method.
func (b *book) zipWith(t testing.TB, method uint16) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range b.names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b.parts[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

var (
	rowElem  = regexp.MustCompile(`(?s)(<row [^>]*>)(.*?)(</row>)`)
	cellElem = regexp.MustCompile(`(?s)<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)`)
)

// permuteColumns moves every cell of the sheet XML from column from[i] to
// column to[i] (letters) and puts each row's cells back in column order.
func permuteColumns(t testing.TB, sheet []byte, from, to []string) []byte {
	t.Helper()
	move := map[string]string{}
	for i := range from {
		move[from[i]] = to[i]
	}
	return rowElem.ReplaceAllFunc(sheet, func(row []byte) []byte {
		m := rowElem.FindSubmatch(row)
		type cell struct {
			col  int
			body []byte
		}
		var cells []cell
		for _, c := range cellElem.FindAllSubmatch(m[2], -1) {
			letters := string(c[1])
			if l, ok := move[letters]; ok {
				letters = l
			}
			body := bytes.Replace(c[0], []byte(`r="`+string(c[1])+string(c[2])+`"`), []byte(`r="`+letters+string(c[2])+`"`), 1)
			n, err := excelize.ColumnNameToNumber(letters)
			if err != nil {
				t.Fatal(err)
			}
			cells = append(cells, cell{n, body})
		}
		slices.SortStableFunc(cells, func(a, b cell) int { return a.col - b.col })
		out := append([]byte(nil), m[1]...)
		for _, c := range cells {
			out = append(out, c.body...)
		}
		return append(out, m[3]...)
	})
}

// setCell sets cell ref (e.g. "D5") of the sheet XML to an inline string,
// adding the cell to its row where it is missing.
func setCell(t testing.TB, sheet []byte, ref, value string) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<c r="` + ref + `" t="inlineStr"><is><t>`)
	if err := xmlEscape(&b, value); err != nil {
		t.Fatal(err)
	}
	b.WriteString(`</t></is></c>`)
	repl := []byte(b.String())
	one := regexp.MustCompile(`(?s)<c r="` + ref + `"[^>]*?(?:/>|>.*?</c>)`)
	if loc := one.FindIndex(sheet); loc != nil {
		return slices.Concat(sheet[:loc[0]], repl, sheet[loc[1]:])
	}
	rowNum := strings.TrimLeft(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	start := bytes.Index(sheet, []byte(`<row r="`+rowNum+`"`))
	if start < 0 {
		t.Fatalf("no row %s", rowNum)
	}
	end := start + bytes.Index(sheet[start:], []byte("</row>"))
	row := permuteColumns(t, slices.Concat(sheet[start:end], repl, []byte("</row>")), nil, nil)
	return slices.Concat(sheet[:start], row, sheet[end+len("</row>"):])
}

func xmlEscape(w io.Writer, s string) error {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	_, err := io.WriteString(w, r.Replace(s))
	return err
}

// columnLetters lists the first n column letters.
func columnLetters(n int) []string {
	var out []string
	for i := range n {
		out = append(out, columnLetter(i))
	}
	return out
}

// rowXML returns the <row> element of row n of the sheet XML.
func rowXML(t testing.TB, sheet []byte, n int) []byte {
	t.Helper()
	start := bytes.Index(sheet, []byte(fmt.Sprintf(`<row r="%d"`, n)))
	if start < 0 {
		t.Fatalf("no row %d", n)
	}
	end := start + bytes.Index(sheet[start:], []byte("</row>")) + len("</row>")
	return sheet[start:end]
}

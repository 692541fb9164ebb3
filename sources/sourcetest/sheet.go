package sourcetest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// SheetRow is one row of a worksheet read by hand: its number and its
// cells by column letters.
type SheetRow struct {
	N     int
	Cells map[string]string
}

// SheetByHand reads xl/worksheets/sheet1.xml of an XLSX workbook with
// archive/zip and encoding/xml only, shared strings resolved: the second
// reading an XLSX reader's or source's totals are checked against. It
// shares no code with them (neither xlsxstream nor excelize).
func SheetByHand(t testing.TB, data []byte) []SheetRow {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	open := func(name string) *xml.Decoder {
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
		t.Fatalf("no part %s", name)
		return nil
	}
	// Shared strings: the text of every <t> of an <si>, phonetic runs
	// (<rPh>) left out.
	var shared []string
	d := open("xl/sharedStrings.xml")
	var cur strings.Builder
	inT, inPh := false, false
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
			switch tok.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh":
				inPh = true
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "si":
				shared = append(shared, cur.String())
			case "t":
				inT = false
			case "rPh":
				inPh = false
			}
		case xml.CharData:
			if inT && !inPh {
				cur.Write(tok)
			}
		}
	}
	var rows []SheetRow
	d = open("xl/worksheets/sheet1.xml")
	var row *SheetRow
	var ref, typ string
	var val strings.Builder
	inV := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "row":
				rows = append(rows, SheetRow{Cells: map[string]string{}})
				row = &rows[len(rows)-1]
				for _, a := range tok.Attr {
					if a.Name.Local == "r" {
						row.N, _ = strconv.Atoi(a.Value)
					}
				}
			case "c":
				ref, typ = "", ""
				val.Reset()
				for _, a := range tok.Attr {
					switch a.Name.Local {
					case "r":
						ref = strings.TrimRightFunc(a.Value, unicode.IsDigit)
					case "t":
						typ = a.Value
					}
				}
			case "v", "t":
				inV = true
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "v", "t":
				inV = false
			case "c":
				v := val.String()
				if typ == "s" {
					i, err := strconv.Atoi(v)
					if err != nil || i >= len(shared) {
						t.Fatalf("row %d cell %s: shared string %q", row.N, ref, v)
					}
					v = shared[i]
				}
				row.Cells[ref] = v
			}
		case xml.CharData:
			if inV {
				val.Write(tok)
			}
		}
	}
}

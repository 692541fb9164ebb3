package dfat

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// TestBadWorkbooks: what is not a whole, sound list is refused with an
// error naming the file and the part or row, wrapping ErrIncomplete or
// ErrLimit where the cause is a cut or a bound. The cut, damaged and
// HTML inputs are the real 2026-02-24 workbook itself, cut or with bytes
// flipped: the zip checks read the archive's own structure. The parts cut,
// broken and padded and zipped again are those of its 300 rows in
// smallReal: a part cut inside a tag or between rows, XML broken inside,
// a missing header are the same faults in 300 rows as in 10,977, and
// re-zipping the whole workbook took 2 s a case under the race detector.
func TestBadWorkbooks(t *testing.T) {
	real := readFile(t, publications[1].path())
	b := readBook(t, smallReal(t, publications[1]))
	sheet := b.parts[sheetPart]
	sst := b.parts["xl/sharedStrings.xml"]

	damaged := bytes.Clone(real)
	zr, err := zip.NewReader(bytes.NewReader(real), int64(len(real)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == sheetPart {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			for i := off + 5000; i < off+5010; i++ {
				damaged[i] ^= 0x55
			}
		}
	}
	// Row 150 with one end tag misspelt: excelize stops reading there.
	broken := bytes.Replace(sheet, rowXML(t, sheet, 150), bytes.Replace(rowXML(t, sheet, 150), []byte("</c>"), []byte("</x>"), 1), 1)
	// The sheet followed by 2 MiB of white space before its end: a
	// real-looking workbook that inflates past a 1 MiB bound.
	end := bytes.LastIndex(sheet, []byte("</worksheet>"))
	padded := slices.Concat(sheet[:end], bytes.Repeat([]byte(" "), 2<<20), sheet[end:])
	header := rowXML(t, sheet, 1)
	noHeader := bytes.Replace(sheet, header, []byte(`<row r="1"></row>`), 1)
	headerOnly := rowElem.ReplaceAllFunc(sheet, func(row []byte) []byte {
		if bytes.Equal(row, header) {
			return row
		}
		return nil
	})
	// Cut inside the start tag of row 150.
	inTag := bytes.Index(sheet, []byte(`<row r="150"`)) + len(`<row r`)

	tests := []struct {
		name string
		data []byte
		max  int64
		want string // in the error, after the file name
		is   error
	}{
		{"cut in half", real[:len(real)/2], 0, "the zip archive has no central directory at its end", sources.ErrIncomplete},
		{"empty", nil, 0, "empty file", nil},
		{"HTML page", []byte("<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body>The page you requested cannot be found.</body></html>"), 0,
			"an HTML or XML page, not an XLSX workbook", nil},
		{"damaged part", damaged, 0, "part xl/worksheets/sheet1.xml: damaged", nil},
		{"worksheet cut and zipped again", b.with(sheetPart, sheet[:inTag]).zip(t), 0, "part xl/worksheets/sheet1.xml: a tag left open", sources.ErrIncomplete},
		{"worksheet cut between rows", b.with(sheetPart, sheet[:bytes.Index(sheet, []byte(`<row r="150"`))]).zip(t), 0,
			"part xl/worksheets/sheet1.xml does not end with the end of its root element <worksheet>", sources.ErrIncomplete},
		{"worksheet broken inside", b.with(sheetPart, broken).zip(t), 0, "line 150: worksheet \"Consolidated List\" (xl/worksheets/sheet1.xml) holds rows to row 300, but its XML could be read only to row 150", sources.ErrIncomplete},
		{"shared strings cut", b.with("xl/sharedStrings.xml", sst[:bytes.LastIndex(sst, []byte("</si>"))+len("</si>")]).zip(t), 0,
			"part xl/sharedStrings.xml does not end with the end of its root element <sst>", sources.ErrIncomplete},
		{"zip bomb", b.with(sheetPart, padded).zip(t), 1 << 20, "part xl/worksheets/sheet1.xml: the workbook decompresses to over 1048576 bytes", sources.ErrLimit},
		{"zip bomb past the default bound", declaredBomb(t, b), 0, "decompresses to over 268435456 bytes", sources.ErrLimit},
		{"header renamed", b.with(sheetPart, setCell(t, sheet, "D1", "Kind")).zip(t), 0,
			`line 1: worksheet "Consolidated List": row 1, the header, has no "Name Type" column`, nil},
		{"no header", b.with(sheetPart, noHeader).zip(t), 0, "line 2: worksheet \"Consolidated List\": row 2, the header, has no", nil},
		{"header only", b.with(sheetPart, headerOnly).zip(t), 0, "line 1: no row of the list after the header", sources.ErrIncomplete},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parseWith(t, Config{MaxUnzipped: tc.max}, FileName, tc.data)
			if p.err == nil {
				t.Fatalf("parsed, %d entities", len(p.entities))
			}
			var re *sources.RecordError
			if !errors.As(p.err, &re) || re.File != FileName {
				t.Fatalf("err %v (%T) is not a *sources.RecordError naming %s", p.err, p.err, FileName)
			}
			if !strings.Contains(p.err.Error(), FileName) || !strings.Contains(p.err.Error(), tc.want) {
				t.Fatalf("err = %v\nwant it to name %s and say %q", p.err, FileName, tc.want)
			}
			if tc.is != nil && !errors.Is(p.err, tc.is) {
				t.Fatalf("err = %v, does not wrap %v", p.err, tc.is)
			}
			if len(p.entities) > 0 {
				t.Errorf("%d entities emitted from a refused workbook", len(p.entities))
			}
		})
	}
}

// declaredBomb is the workbook b with a part that declares 300 MiB:
// refused by its declared size before a byte of it is inflated.
func declaredBomb(t *testing.T, b *book) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range b.names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b.parts[name])
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/media/bomb.bin", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(nil), CompressedSize64: 0, UncompressedSize64: 300 << 20})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(nil)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestColumnsMoved: headers decide, not positions. The 300 rows of each
// real sheet in smallReal (every column of its layout holds text in them)
// with the columns in reverse order, one more column under a header
// DFAT never printed and a cell of text beyond it give byte-identical
// entities and the same 300 rows' issues plus one naming the unknown
// column, whose cells are mapped nowhere, and one naming the stray cell
// and its row's Reference (now in the last column). Where a column is
// found does not depend on how many rows follow the header; the whole
// sheets' columns took 70 s to permute and parse under the race detector.
func TestColumnsMoved(t *testing.T) {
	for _, pub := range publications {
		t.Run(pub.date, func(t *testing.T) {
			small := smallReal(t, pub)
			want := parseSmall(t, pub)
			b := readBook(t, small)
			sheet := b.parts[sheetPart]
			n := 12
			if pub.file == FileName {
				n = 19
			}
			from := columnLetters(n)
			to := slices.Clone(from)
			slices.Reverse(to)
			moved := permuteColumns(t, sheet, from, to)
			if bytes.Equal(moved, sheet) {
				t.Fatal("the permutation changed nothing")
			}
			extra, stray := columnLetter(n), columnLetter(n+1)
			moved = setCell(t, setCell(t, moved, extra+"1", "Sanctions Notes"), extra+"5", "a note")
			// Text in a column without header, on row 6 (3b).
			moved = setCell(t, moved, stray+"6", "stray")

			got := mustParse(t, pub.file, b.with(sheetPart, moved).zip(t))
			if !slices.Equal(got.lines(t), want.lines(t)) {
				t.Errorf("entities differ from the unpermuted rows' (%d and %d)", len(got.entities), len(want.entities))
			}
			wantIssues := []string{
				pub.file + ":1:: unknown column \"Sanctions Notes\" (column " + extra + " of the header); its cells are not mapped",
				pub.file + ":6:3b: cell " + stray + "6 holds \"stray\" in a column without header; the column's cells are not mapped",
			}
			for _, is := range want.issues {
				wantIssues = append(wantIssues, issueString(is))
			}
			var issues []string
			for _, is := range got.issues {
				issues = append(issues, issueString(is))
			}
			if !slices.Equal(issues, wantIssues) {
				t.Errorf("issues:\n%s\nwant:\n%s", join(issues), join(wantIssues))
			}
		})
	}
}

// TestMalformedRows: a row that cannot be mapped, or a cell that cannot
// be read, is an issue naming its row; the rest of the list is mapped.
// The edits are in rows 2 to 15 of the 300 rows of the 2026-02-24 sheet in
// smallReal, compared with those 300 rows unedited: the other rows of the
// sheet would add nothing but the time to read them.
func TestMalformedRows(t *testing.T) {
	small := smallReal(t, publications[1])
	want := parseSmall(t, publications[1])
	b := readBook(t, small)
	sheet := b.parts[sheetPart]
	edits := []struct{ cell, value string }{
		{"B5", ""},             // 3a: no name
		{"A6", ""},             // 3b: no Reference
		{"A8", "X4a"},          // 4a: a Reference without number
		{"D10", "Nickname"},    // 5a: unknown Name Type
		{"E11", "Very weak"},   // 5b: unknown Alias Strength
		{"C2", "Ship"},         // 2: unknown Type
		{"N12", "soon"},        // 5c: Control Date not a date
		{"Q13", "yes"},         // 5d: Travel Ban neither 0 nor 1
		{"F14", "born in May"}, // 5e: Date of Birth without a date
		{"U15", "stray text"},  // a cell in a column without header
	}
	for _, e := range edits {
		sheet = setCell(t, sheet, e.cell, e.value)
	}
	p := mustParse(t, FileName, b.with(sheetPart, sheet).zip(t))
	wantProblems := []string{
		"6:: row without Reference (name \"عبد الکبیر محمد جان\"); not mapped: it belongs to no group",
		"8:X4a: Reference \"X4a\" does not start with a number; the row (name \"محمد عمر غلام نبی\") is not mapped: it belongs to no group",
		"15:6: cell U15 holds \"stray text\" in a column without header; the column's cells are not mapped",
		"2:2: unknown Type \"Ship\"; the type is unknown",
		"3:2a: Type \"Individual\" differs from the group's \"Ship\" (row 2); the group's is used",
		"5:3a: row without a name; its other cells are mapped with reference 3",
		"10:5a: unknown Name Type \"Nickname\" for \"Mohammad Taher Anwari\"; taken as an alias",
		"11:5b: unknown Alias Strength \"Very weak\"; taken as strong",
		"12:5c: Control Date \"soon\" is not a date",
		"13:5d: Travel Ban \"yes\" is neither 0 nor 1; not mapped",
		"14:5e: Date of Birth \"born in May\" holds no date; kept in remarks",
	}
	var got []string
	for _, is := range p.issues[:min(len(p.issues), len(wantProblems))] {
		if is.File != FileName || is.Line == 0 {
			t.Errorf("issue %+v does not name the file and row", is)
		}
		got = append(got, strings.TrimPrefix(issueString(is), FileName+":"))
	}
	if !slices.Equal(got, wantProblems) {
		t.Errorf("issues:\n%s\nwant:\n%s", join(got), join(wantProblems))
	}
	if len(p.issues) != len(wantProblems)+len(want.issues) {
		t.Errorf("%d issues, want %d new and the unedited rows' %d", len(p.issues), len(wantProblems), len(want.issues))
	}
	if len(p.entities) != len(want.entities) {
		t.Errorf("%d entities, the unedited rows %d", len(p.entities), len(want.entities))
	}
}

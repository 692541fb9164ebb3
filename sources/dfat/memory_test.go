package dfat

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// interleave returns the workbook data with its sheet's data rows in the
// order a1, b1, a2, b2, ...: a the rows of the first half of the groups,
// b of the second, each row renumbered to its new place. Every group of
// the list is then open for about half the sheet, yet each keeps its
// rows' relative order, so the entities must not change. hand is the
// hand reading of data, for the groups; method compresses the parts
// (zip.Store for a whole workbook: deflating the 2026-02-24 one takes 2 s
// under the race detector).
func interleave(t *testing.T, data []byte, hand []sheetRow, method uint16) []byte {
	t.Helper()
	b := readBook(t, data)
	sheet := b.parts[sheetPart]
	head, rows, tail := splitRows(t, sheet)
	if len(rows) != len(hand) {
		t.Fatalf("%d <row> elements, %d rows by hand", len(rows), len(hand))
	}
	// Split at the group boundary nearest the middle.
	mid := len(rows) / 2
	for mid < len(rows) && leadingDigits.FindString(hand[mid].Cells["A"]) == leadingDigits.FindString(hand[mid-1].Cells["A"]) {
		mid++
	}
	a, z := rows[1:mid], rows[mid:]
	order := [][]byte{rows[0]}
	for i := 0; i < len(a) || i < len(z); i++ {
		if i < len(a) {
			order = append(order, a[i])
		}
		if i < len(z) {
			order = append(order, z[i])
		}
	}
	out := bytes.NewBuffer(make([]byte, 0, len(sheet)+len(sheet)/8))
	out.Write(head)
	for i, r := range order {
		out.Write(renumber(r, i+1))
	}
	out.Write(tail)
	return b.with(sheetPart, out.Bytes()).zipWith(t, method)
}

// splitRows cuts sheet XML into what comes before the first <row>, the
// <row> elements, and what follows the last.
func splitRows(t *testing.T, sheet []byte) (head []byte, rows [][]byte, tail []byte) {
	t.Helper()
	pos := bytes.Index(sheet, []byte("<row "))
	if pos < 0 {
		t.Fatal("no <row> in the sheet")
	}
	head = sheet[:pos]
	for {
		tag := bytes.IndexByte(sheet[pos:], '>')
		if tag < 0 {
			t.Fatal("a <row> tag left open")
		}
		end := pos + tag + 1
		if sheet[end-2] != '/' {
			k := bytes.Index(sheet[pos:], []byte("</row>"))
			if k < 0 {
				t.Fatal("a <row> without its end")
			}
			end = pos + k + len("</row>")
		}
		rows = append(rows, sheet[pos:end])
		next := bytes.Index(sheet[end:], []byte("<row "))
		if next < 0 {
			return head, rows, sheet[end:]
		}
		pos = end + next
	}
}

// renumber gives the <row> element row and its cells the row number n:
// the digits of every r="..." of a <row> or <c> tag.
func renumber(row []byte, n int) []byte {
	num := strconv.Itoa(n)
	out := make([]byte, 0, len(row)+len(row)/16)
	for len(row) > 0 {
		i := bytes.Index(row, []byte(` r="`))
		if i < 0 {
			break
		}
		open := bytes.LastIndexByte(row[:i], '<')
		v := i + len(` r="`)
		end := v + bytes.IndexByte(row[v:], '"')
		name, _, _ := strings.Cut(string(row[open+1:i]), " ")
		out = append(out, row[:v]...)
		if name == "row" || name == "c" {
			out = append(out, bytes.TrimRight(row[v:end], "0123456789")...)
			out = append(out, num...)
		} else {
			out = append(out, row[v:end]...)
		}
		row = row[end:]
	}
	return append(out, row...)
}

// emitHeap parses in and returns the sha256 of each entity's canonical
// line, sorted (the lines themselves would weigh in the heap), and the
// largest live heap seen while the entities are emitted, less the heap
// before the parse: measured after a collection every `every` entities
// (without one, the figure is that of the last collection, during the
// reading of rows).
func emitHeap(t *testing.T, in *sources.Input, every int) ([][32]byte, uint64) {
	t.Helper()
	var issues sources.Issues
	var sums [][32]byte
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	// Two collections: the first leaves what sync.Pools held (the
	// compressors of the zip just written, 1 MB and more) to the second,
	// and the heap before the parse would count them, to be freed while
	// it runs.
	runtime.GC()
	runtime.GC()
	metrics.Read(sample)
	base, peak := sample[0].Value.Uint64(), uint64(0)
	_, err := New(Config{TempDir: t.TempDir()}).Parse(context.Background(), in, func(e *entity.Entity) error {
		e.Canonicalize()
		b, err := e.MarshalCanonical()
		sums = append(sums, sha256.Sum256(b))
		if len(sums)%every == 0 {
			runtime.GC()
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
		}
		return err
	}, &issues)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(sums, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	if peak < base {
		return sums, 0
	}
	return sums, peak - base
}

// TestInterleavedGroups: grouping does not depend on the order of rows.
// The 300 rows of smallReal (2026-02-24: 147 groups, among them vessels)
// with their groups interleaved, each group open for half the sheet, give
// byte-identical entities. That no group is closed when the next one
// starts holds as well for 300 rows as for 10,977; the whole sheet, where
// the rows no longer fit in the sort's memory, is TestInterleavedHeap's.
func TestInterleavedGroups(t *testing.T) {
	pub := publications[1]
	small := smallReal(t, pub)
	want := parseSmall(t, pub)
	got := mustParse(t, pub.file, interleave(t, small, sourcetest.SheetByHand(t, small), zip.Deflate))
	if !slices.Equal(got.lines(t), want.lines(t)) {
		t.Errorf("interleaved: %d entities differ from the real order's %d", len(got.entities), len(want.entities))
	}
	if len(got.issues) != len(want.issues) {
		t.Errorf("interleaved: %d issues, in the real order %d", len(got.issues), len(want.issues))
	}
}

// TestInterleavedHeap: memory does not grow with the list or with the
// order of its rows. The whole 2024-12-17 sheet with its groups
// interleaved (each group open for half of its 9,561 rows) gives the
// entities of the real order (the shared parse), and the live heap while
// they are emitted stays within twice that of the 300 rows of smallReal
// in their order plus 4 MiB, and under 8 MiB above the heap before the
// parse: rows wait in the external sort (1 MiB in memory, the rest on
// disk), and the workbook is closed before the first entity (held, it
// was 25 MB live). It takes a whole sheet: what must not be live is its
// XML (5.2 MB, and 1.3 MB of shared strings) and its rows, which spill
// from the sort only past 1 MiB. The smaller of the two real workbooks
// (6 s to parse under the race detector, 2026-02-24 8.6 s) proves as
// much; the one whole parse of a changed workbook in this package;
// skipped with -short.
func TestInterleavedHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the whole 2024-12-17 workbook; -short")
	}
	pub := publications[0]
	var want [][32]byte
	for _, line := range realShared(t, pub).lines {
		want = append(want, sha256.Sum256([]byte(line)))
	}
	slices.SortFunc(want, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	_, small := emitHeap(t, inputOf(t, pub.file, smallReal(t, pub)), 20)
	in := inputOf(t, pub.file, interleave(t, readFile(t, pub.path()), handRows(t, pub), zip.Store))
	got, peak := emitHeap(t, in, 500)
	if !slices.Equal(got, want) {
		t.Errorf("interleaved: %d entities differ from the real order's %d", len(got), len(want))
	}
	sourcetest.CheckFlatHeap(t, small, peak, "300 rows in DFAT's order", "9,561 rows, groups interleaved")
	if peak > 8<<20 {
		t.Errorf("%d KiB live while emitting: the workbook is still held", peak>>10)
	}
}

// TestNoCoreProperties: a workbook without docProps/core.xml takes its
// publication date from the latest Control Date, with an issue. The 300
// rows of smallReal (2026-02-24) without the part: their latest Control
// Date, read by hand, is not the workbook's date, so the date shows where
// it came from (in the whole sheet both are 2026-02-24).
func TestNoCoreProperties(t *testing.T) {
	pub := publications[1]
	small := smallReal(t, pub)
	want := latestControlDate(t, sourcetest.SheetByHand(t, small))
	if want == "2026-02-24" {
		t.Fatalf("the rows' latest Control Date is the workbook's date, %s", want)
	}
	b := readBook(t, small)
	b.names = slices.DeleteFunc(slices.Clone(b.names), func(n string) bool { return n == corePart })
	p := mustParse(t, pub.file, b.zip(t))
	if p.meta.PublicationDate != want {
		t.Errorf("publication date %q, want %s", p.meta.PublicationDate, want)
	}
	wantIssue := pub.file + ":0:: no modification date in docProps/core.xml; the publication date is the latest Control Date, " + want
	if got := issueString(p.issues[len(p.issues)-1]); got != wantIssue {
		t.Errorf("last issue %q, want %q", got, wantIssue)
	}
}

// latestControlDate is the latest Control Date of hand-read rows, each an
// Excel date serial (days since 1899-12-30), as an ISO date.
func latestControlDate(t *testing.T, rows []sheetRow) string {
	t.Helper()
	col := ""
	for letters, h := range rows[0].Cells {
		if h == "Control Date" {
			col = letters
		}
	}
	latest := 0
	for _, r := range rows[1:] {
		n, err := strconv.Atoi(r.Cells[col])
		if err != nil {
			t.Fatalf("row %d: Control Date %q is no serial", r.N, r.Cells[col])
		}
		latest = max(latest, n)
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, latest).Format(time.DateOnly)
}

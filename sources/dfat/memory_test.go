package dfat

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// interleave returns the sheet XML with its data rows in the order a1, b1,
// a2, b2, ...: a the rows of the first half of the groups, b of the second,
// each row renumbered to its new place. Every group of the list is then
// open for about half the sheet, yet each keeps its rows' relative order,
// so the entities must not change.
func interleave(t *testing.T, data []byte) []byte {
	t.Helper()
	sheet := readBook(t, data).parts[sheetPart]
	hand := readSheetByHand(t, data)
	rows := rowElem.FindAll(sheet, -1)
	if len(rows) != len(hand) {
		t.Fatalf("%d <row> elements, %d rows by hand", len(rows), len(hand))
	}
	// Split at the group boundary nearest the middle.
	mid := len(rows) / 2
	for mid < len(rows) && leadingDigits.FindString(hand[mid].cells["A"]) == leadingDigits.FindString(hand[mid-1].cells["A"]) {
		mid++
	}
	a, b := rows[1:mid], rows[mid:]
	order := [][]byte{rows[0]}
	for i := 0; i < len(a) || i < len(b); i++ {
		if i < len(a) {
			order = append(order, a[i])
		}
		if i < len(b) {
			order = append(order, b[i])
		}
	}
	rowNum := regexp.MustCompile(`^<row r="\d+"`)
	cellNum := regexp.MustCompile(`<c r="([A-Z]+)\d+"`)
	var out bytes.Buffer
	out.Write(sheet[:bytes.Index(sheet, rows[0])])
	for i, r := range order {
		n := fmt.Sprint(i + 1)
		r = rowNum.ReplaceAll(r, []byte(`<row r="`+n+`"`))
		r = cellNum.ReplaceAll(r, []byte(`<c r="${1}`+n+`"`))
		out.Write(r)
	}
	last := rows[len(rows)-1]
	out.Write(sheet[bytes.LastIndex(sheet, last)+len(last):])
	return readBook(t, data).with(sheetPart, out.Bytes()).zip(t)
}

// emitHeap parses in and returns the sha256 of each entity's canonical
// line, sorted (the lines themselves would weigh in the heap), and the
// largest live heap seen while the entities are emitted, less the heap
// before the parse: measured after a collection every 500 entities
// (without one, the figure is that of the last collection, during the
// reading of rows).
func emitHeap(t *testing.T, in *sources.Input) ([][32]byte, uint64) {
	t.Helper()
	var issues sources.Issues
	var sums [][32]byte
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	runtime.GC()
	metrics.Read(sample)
	base, peak := sample[0].Value.Uint64(), uint64(0)
	_, err := New(Config{TempDir: t.TempDir()}).Parse(context.Background(), in, func(e *entity.Entity) error {
		e.Canonicalize()
		b, err := e.MarshalCanonical()
		sums = append(sums, sha256.Sum256(b))
		if len(sums)%500 == 0 {
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
// The 2026-02-24 sheet with its groups interleaved (each group open for
// half the sheet) gives byte-identical entities, and the live heap while
// they are emitted stays within twice the real order's plus 4 MiB, and
// under 8 MiB above the heap before the parse: rows wait in the external
// sort (1 MiB in memory, the rest on disk), and the workbook is closed
// before the first entity.
func TestInterleavedGroups(t *testing.T) {
	pub := publications[1]
	var want [][32]byte
	for _, line := range parseReal(t, pub).lines(t) {
		want = append(want, sha256.Sum256([]byte(line)))
	}
	slices.SortFunc(want, func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	in := inputOf(t, pub.file, interleave(t, readFile(t, pub.path())))
	got, peak := emitHeap(t, in)
	if !slices.Equal(got, want) {
		t.Errorf("interleaved: %d entities differ from the real order's %d", len(got), len(want))
	}
	if testing.Short() {
		return
	}
	_, real := emitHeap(t, inputOf(t, pub.file, readFile(t, pub.path())))
	sourcetest.CheckFlatHeap(t, real, peak, "rows in DFAT's order", "groups interleaved")
	// The worksheet's XML alone is 8 MB: none of the workbook may be live
	// while entities are emitted.
	if real > 8<<20 || peak > 8<<20 {
		t.Errorf("%d KiB and %d KiB live while emitting: the workbook is still held", real>>10, peak>>10)
	}
}

// TestNoCoreProperties: a workbook without docProps/core.xml takes its
// publication date from the latest Control Date, with an issue.
func TestNoCoreProperties(t *testing.T) {
	pub := publications[1]
	b := readBook(t, readFile(t, pub.path()))
	b.names = slices.DeleteFunc(slices.Clone(b.names), func(n string) bool { return n == corePart })
	p := mustParse(t, pub.file, b.zip(t))
	if p.meta.PublicationDate != "2026-02-24" {
		t.Errorf("publication date %q", p.meta.PublicationDate)
	}
	want := pub.file + ":0:: no modification date in docProps/core.xml; the publication date is the latest Control Date, 2026-02-24"
	if got := issueString(p.issues[len(p.issues)-1]); got != want {
		t.Errorf("last issue %q, want %q", got, want)
	}
}

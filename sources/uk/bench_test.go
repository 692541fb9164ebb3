package uk

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// repeatedXML builds one Designations element holding the excerpt's four
// designations n times over; copy k > 0 suffixes each UniqueID with
// "-k", so that ids stay unique.
func repeatedXML(t testing.TB, n int) []byte {
	orig := excerptXML(t)
	first := bytes.Index(orig, []byte("  <Designation>"))
	end := bytes.LastIndex(orig, []byte("</Designations>"))
	if first < 0 || end < first {
		t.Fatal("unexpected layout")
	}
	designations := orig[first:end]
	uid := []byte("<UniqueID>")
	if bytes.Count(designations, uid) != 4 {
		t.Fatal("unexpected designation layout")
	}
	var buf bytes.Buffer
	buf.Grow(first + n*(len(designations)+4*8) + len(orig) - end)
	buf.Write(orig[:first])
	for k := range n {
		if k == 0 {
			buf.Write(designations)
			continue
		}
		suffix := []byte("-" + strconv.Itoa(k) + "</UniqueID>")
		buf.Write(bytes.ReplaceAll(designations, []byte("</UniqueID>"), suffix))
	}
	buf.Write(orig[end:])
	return buf.Bytes()
}

// BenchmarkParseUKXML parses the excerpt's designations 500 times over
// (2,000 designations, 7.4 MB) in one document.
func BenchmarkParseUKXML(b *testing.B) {
	data := repeatedXML(b, 500)
	in := inputOf(b, "xml", data)
	src := New(Config{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		n := 0
		var issues sources.Issues
		if _, err := src.Parse(ctx, in, func(*entity.Entity) error { n++; return nil }, &issues); err != nil {
			b.Fatal(err)
		}
		if n != 2000 || issues.Total() != 0 {
			b.Fatalf("%d entities, %d issues", n, issues.Total())
		}
	}
}

// BenchmarkParseUKCSV parses the CSV rendering of the same 2,000
// designations.
func BenchmarkParseUKCSV(b *testing.B) {
	data, err := renderCSV(repeatedXML(b, 500))
	if err != nil {
		b.Fatal(err)
	}
	in := inputOf(b, "csv", data)
	src := New(Config{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		n := 0
		var issues sources.Issues
		if _, err := src.Parse(ctx, in, func(*entity.Entity) error { n++; return nil }, &issues); err != nil {
			b.Fatal(err)
		}
		if n != 2000 || issues.Total() != 0 {
			b.Fatalf("%d entities, %d issues", n, issues.Total())
		}
	}
}

// TestXMLMemoryFlat: the live heap while parsing does not grow with the
// input: the stream parser drops each designation after it is read and
// keeps no set of the UniqueIDs met (the pipeline drops repeated ids after
// sorting).
func TestXMLMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 6 MB")
	}
	peak := func(copies int) (uint64, int) {
		data := repeatedXML(t, copies)
		in := inputOf(t, "xml", data)
		size := len(data)
		data = nil
		peak, n := sourcetest.PeakLiveHeap(t, New(Config{}), in, 40)
		if n != 4*copies {
			t.Fatalf("%d entities, want %d", n, 4*copies)
		}
		return peak, size
	}
	small, smallSize := peak(40)
	large, largeSize := peak(400)
	sourcetest.CheckFlatHeap(t, small, large, fmt.Sprintf("40 copies (%d KiB)", smallSize>>10), fmt.Sprintf("400 copies (%d KiB)", largeSize>>10))
}

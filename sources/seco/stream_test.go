package seco

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// topTarget is the start of a top-level target: each begins a line of the
// excerpt (testdata/ch_seco/README.md).
var topTarget = regexp.MustCompile(`(?m)^<target ssid="(\d+)">`)

// repeated is a derived input, not a publication: the excerpt's root
// around its 7 targets repeated copies times, the top-level ssid of copy
// k renumbered ssid + k*1000000 so that ids stay unique. 750 copies are
// 32 MB, the size of the real list.
func repeated(t testing.TB, copies int) []byte {
	t.Helper()
	data := readExcerpt(t)
	first := bytes.Index(data, []byte("<target "))
	last := bytes.LastIndex(data, []byte("</swiss-sanctions-list>"))
	targets := data[first:last]
	var buf bytes.Buffer
	buf.Grow(first + copies*len(targets) + len(data) - last)
	buf.Write(data[:first])
	for k := range copies {
		buf.Write(topTarget.ReplaceAllFunc(targets, func(m []byte) []byte {
			ssid, _ := strconv.Atoi(string(topTarget.FindSubmatch(m)[1]))
			return fmt.Appendf(nil, `<target ssid="%d">`, ssid+k*1_000_000)
		}))
	}
	buf.Write(data[last:])
	return buf.Bytes()
}

// TestRepeated: the derived input gives 4 entities and 3 de-listed targets
// per copy, every id once.
func TestRepeated(t *testing.T) {
	p := mustParse(t, repeated(t, 20))
	if len(p.Emitted) != 80 || len(p.BySourceID) != 80 || p.Meta.Delisted != 60 {
		t.Errorf("%d entities (%d ids), %d de-listed; want 80, 60", len(p.Emitted), len(p.BySourceID), p.Meta.Delisted)
	}
	if e := p.BySourceID["19085396"]; e == nil || e.Name != "Zamulevich Dzmitry Mihaylavych" {
		t.Errorf("copy 19 of 85396: %+v", e)
	}
}

// TestXMLMemoryFlat: the live heap while parsing does not grow with the
// input. The stream holds one target at a time; only the first pass's
// lookups grow, by one id per target.
func TestXMLMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 17 MB")
	}
	peak := func(copies int) (uint64, int) {
		data := repeated(t, copies)
		in := inputOf(t, data)
		size := len(data)
		data = nil
		peak, n := sourcetest.PeakLiveHeap(t, New(Config{}), in, 20)
		if n != 4*copies {
			t.Fatalf("%d entities, want %d", n, 4*copies)
		}
		return peak, size
	}
	small, smallSize := peak(40)
	large, largeSize := peak(400)
	sourcetest.CheckFlatHeap(t, small, large, fmt.Sprintf("40 copies (%d KiB)", smallSize>>10), fmt.Sprintf("400 copies (%d KiB)", largeSize>>10))
}

// realSize is the derived input as large as the real list (32 MB).
func realSize(b *testing.B) *sources.Input {
	data := repeated(b, 750)
	b.SetBytes(int64(len(data)))
	return inputOf(b, data)
}

// BenchmarkParse32MB parses an input the size of the real list, both
// passes and every entity mapped.
func BenchmarkParse32MB(b *testing.B) {
	in := realSize(b)
	src := New(Config{})
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		var issues sources.Issues
		meta, err := src.Parse(context.Background(), in, func(*entity.Entity) error { n++; return nil }, &issues)
		if err != nil || n != 3000 || meta.Delisted != 2250 {
			b.Fatalf("%d entities, %d de-listed, %v", n, meta.Delisted, err)
		}
	}
}

// BenchmarkLookups32MB is the first pass alone on the same input: what
// reading the file twice costs.
func BenchmarkLookups32MB(b *testing.B) {
	in := realSize(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(in.Files[0].Path)
		if err != nil {
			b.Fatal(err)
		}
		var issues sources.Issues
		lk, err := readLookups(context.Background(), f, &issues)
		f.Close()
		if err != nil || len(lk.targets) != 5250 {
			b.Fatalf("%v, %d targets", err, len(lk.targets))
		}
	}
}

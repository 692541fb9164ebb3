package un

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

// BenchmarkParseUN parses the 2026-02-27 publication (1,003 records,
// 2.0 MB).
func BenchmarkParseUN(b *testing.B) {
	data := readPublication(b, "2026-02-27")
	in := inputOf(b, data)
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
		if n != 1003 {
			b.Fatalf("%d entities, want 1003", n)
		}
	}
}

// repeatedXML builds one CONSOLIDATED_LIST with the records of the
// 2026-02-27 publication n times over: INDIVIDUALS then ENTITIES, each
// copy k > 0 prefixing every DATAID with k and "000" so that ids stay
// unique.
func repeatedXML(t testing.TB, n int) (data []byte, records int) {
	orig := readPublication(t, "2026-02-27")
	section := func(open, close string) (before, body, after []byte) {
		i := bytes.Index(orig, []byte(open))
		j := bytes.Index(orig, []byte(close))
		if i < 0 || j < i {
			t.Fatalf("no %s..%s", open, close)
		}
		i += len(open)
		return orig[:i], orig[i:j], orig[j:]
	}
	head, inds, _ := section("<INDIVIDUALS>", "</INDIVIDUALS>")
	_, ents, _ := section("<ENTITIES>", "</ENTITIES>")
	mid := orig[bytes.Index(orig, []byte("</INDIVIDUALS>")) : bytes.Index(orig, []byte("<ENTITIES>"))+len("<ENTITIES>")]
	tail := orig[bytes.Index(orig, []byte("</ENTITIES>")):]
	copies := func(body []byte) []byte {
		var buf bytes.Buffer
		for k := range n {
			if k == 0 {
				buf.Write(body)
				continue
			}
			buf.Write(bytes.ReplaceAll(body, []byte("<DATAID>"), []byte("<DATAID>"+strconv.Itoa(k)+"000")))
		}
		return buf.Bytes()
	}
	var buf bytes.Buffer
	buf.Write(head)
	buf.Write(copies(inds))
	buf.Write(mid)
	buf.Write(copies(ents))
	buf.Write(tail)
	i, e := countRecords(orig)
	return buf.Bytes(), n * (i + e)
}

// TestXMLMemoryFlat: the live heap while parsing does not grow with the
// input (the stream parser drops each record after it is read).
func TestXMLMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 80 MB")
	}
	peak := func(copies int) (uint64, int) {
		data, want := repeatedXML(t, copies)
		size := len(data)
		in := inputOf(t, data)
		data = nil
		peak, n := sourcetest.PeakLiveHeap(t, New(Config{}), in, 200)
		if n != want {
			t.Fatalf("%d copies: %d entities, want %d", copies, n, want)
		}
		return peak, size
	}
	small, smallSize := peak(4)
	large, largeSize := peak(40)
	sourcetest.CheckFlatHeap(t, small, large, fmt.Sprintf("4 copies (%.1f MB)", float64(smallSize)/1e6), fmt.Sprintf("40 copies (%.1f MB)", float64(largeSize)/1e6))
}

package ofac

import (
	"bytes"
	"context"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// repeatedXML builds one sdnList with the header of the 2018-04-06
// consolidated file and its sdnEntry records n times over. Copy k > 0
// prefixes each entry's uid with k and "000", so that uids stay unique;
// the header's Record_Count says the 639*n entries.
func repeatedXML(t testing.TB, n int) []byte {
	orig := readTestdata(t, cons20180406)
	first := bytes.Index(orig, []byte("<sdnEntry>"))
	end := bytes.LastIndex(orig, []byte("</sdnList>"))
	if first < 0 || end < first {
		t.Fatal("unexpected layout")
	}
	entries := orig[first:end]
	uid := []byte("<sdnEntry>\r\n    <uid>")
	if bytes.Count(entries, uid) != 639 {
		t.Fatal("unexpected entry layout")
	}
	var buf bytes.Buffer
	buf.Grow(first + n*(len(entries)+639*5) + len(orig) - end)
	buf.Write(bytes.Replace(orig[:first], []byte("<Record_Count>639<"), []byte("<Record_Count>"+strconv.Itoa(639*n)+"<"), 1))
	for k := range n {
		if k == 0 {
			buf.Write(entries)
			continue
		}
		buf.Write(bytes.ReplaceAll(entries, uid, append(bytes.Clone(uid), strconv.Itoa(k)+"000"...)))
	}
	buf.Write(orig[end:])
	return buf.Bytes()
}

func benchParse(b *testing.B, src sources.Source, in *sources.Input, size int64, want int) {
	b.SetBytes(size)
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		n := 0
		var issues sources.Issues
		_, err := src.Parse(ctx, in, func(*entity.Entity) error { n++; return nil }, &issues)
		if err != nil {
			b.Fatal(err)
		}
		if n != want {
			b.Fatalf("%d entities, want %d", n, want)
		}
	}
}

func inputBytes(in *sources.Input) int64 {
	var n int64
	for _, f := range in.Files {
		n += f.Bytes
	}
	return n
}

func BenchmarkParseCSV_20210707(b *testing.B) {
	in := sdnCSV20210707(b)
	benchParse(b, NewSDN(Config{}), in, inputBytes(in), 8976)
}

// BenchmarkParseXML parses 50 copies of the 2018-04-06 consolidated
// entries (31,950 entries, 54 MB) in one document.
func BenchmarkParseXML(b *testing.B) {
	data := repeatedXML(b, 50)
	in := consXML(b, data)
	benchParse(b, NewConsolidated(Config{}), in, int64(len(data)), 639*50)
}

// BenchmarkParseXMLNamespaced leaves the namespace to xmlquery (see
// readPrologue), for comparison.
func BenchmarkParseXMLNamespaced(b *testing.B) {
	data := repeatedXML(b, 50)
	in := consXML(b, data)
	src := NewConsolidated(Config{}).(*source)
	src.keepXMLNS = true
	benchParse(b, src, in, int64(len(data)), 639*50)
}

// TestXMLMemoryFlat: the live heap while parsing does not grow with the
// input (the stream parser drops each entry after it is read).
func TestXMLMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 44 MB")
	}
	peak := func(copies int) uint64 {
		in := consXML(t, repeatedXML(t, copies))
		// The input was built in memory and written to a file: collect it
		// now, or the first samples report it as live.
		runtime.GC()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var max uint64
		n := 0
		var issues sources.Issues
		_, err := NewConsolidated(Config{}).Parse(context.Background(), in, func(*entity.Entity) error {
			if n++; n%200 == 0 {
				metrics.Read(sample)
				max = maxU(max, sample[0].Value.Uint64())
			}
			return nil
		}, &issues)
		if err != nil {
			t.Fatal(err)
		}
		return max
	}
	small, large := peak(4), peak(40)
	t.Logf("peak live heap: 4 copies (4.3 MB) %d KiB, 40 copies (43 MB) %d KiB", small>>10, large>>10)
	if large > 2*small+(4<<20) {
		t.Errorf("live heap grows with the input: %d KiB for 4 copies, %d KiB for 40", small>>10, large>>10)
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

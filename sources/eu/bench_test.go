package eu

import (
	"bytes"
	"context"
	"regexp"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

var entityID = regexp.MustCompile(`(<sanctionEntity [^>]*logicalId=")(\d+)"`)

// repeatedXML builds one export element holding the excerpt's four
// sanctionEntity records n times over. Copy k > 0 prefixes each record's
// logicalId with k and "000", so that ids stay unique.
func repeatedXML(t testing.TB, n int) []byte {
	orig := excerptXML(t)
	first := bytes.Index(orig, []byte("<sanctionEntity "))
	end := bytes.LastIndex(orig, []byte("</export>"))
	if first < 0 || end < first {
		t.Fatal("unexpected layout")
	}
	records := orig[first:end]
	if len(entityID.FindAll(records, -1)) != 4 {
		t.Fatal("unexpected record layout")
	}
	var buf bytes.Buffer
	buf.Grow(first + n*(len(records)+20) + len(orig) - end)
	buf.Write(orig[:first])
	for k := range n {
		if k == 0 {
			buf.Write(records)
			continue
		}
		buf.Write(entityID.ReplaceAll(records, []byte("${1}"+strconv.Itoa(k)+"000${2}\"")))
	}
	buf.Write(orig[end:])
	return buf.Bytes()
}

// repeatedCSV does the same with the derived CSV fixture.
func repeatedCSV(t testing.TB, n int) []byte {
	rows := csvRows(t, derivedCSV(t))
	out := [][]string{rows[0]}
	for k := range n {
		for _, r := range rows[1:] {
			r = append([]string(nil), r...)
			if k > 0 {
				r[cEntityLogicalID] = strconv.Itoa(k) + "000" + r[cEntityLogicalID]
			}
			out = append(out, r)
		}
	}
	return writeRows(t, out)
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

// BenchmarkParseEUXML parses 500 copies of the excerpt's records (2,000
// records, 11 MB) in one document.
func BenchmarkParseEUXML(b *testing.B) {
	data := repeatedXML(b, 500)
	benchParse(b, New(Config{}), inputOf(b, "xml", data), int64(len(data)), 4*500)
}

// BenchmarkParseEUXMLNamespaced leaves the namespace to xmlquery (see
// readPrologue), for comparison.
func BenchmarkParseEUXMLNamespaced(b *testing.B) {
	data := repeatedXML(b, 500)
	src := New(Config{}).(*source)
	src.keepXMLNS = true
	benchParse(b, src, inputOf(b, "xml", data), int64(len(data)), 4*500)
}

// BenchmarkParseEUCSV parses the CSV rendering of the same 500 copies.
func BenchmarkParseEUCSV(b *testing.B) {
	data := repeatedCSV(b, 500)
	benchParse(b, New(Config{}), inputOf(b, "csv", data), int64(len(data)), 4*500)
}

func TestRepeatedInputs(t *testing.T) {
	for _, format := range []string{"xml", "csv"} {
		var data []byte
		if format == "xml" {
			data = repeatedXML(t, 3)
		} else {
			data = repeatedCSV(t, 3)
		}
		p := mustParse(t, format, data)
		if len(p.Emitted) != 12 || p.ByID["eu_fsf-2000330"] == nil {
			t.Errorf("%s: %d entities", format, len(p.Emitted))
		}
	}
}

// TestMemoryFlat: the live heap while parsing does not grow with the
// input: the XML stream parser drops each record after it is read, and
// the CSV parser holds only the current entity's rows.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 17 MB")
	}
	for _, format := range []string{"xml", "csv"} {
		t.Run(format, func(t *testing.T) {
			peak := func(copies int) (uint64, int) {
				var data []byte
				if format == "xml" {
					data = repeatedXML(t, copies)
				} else {
					data = repeatedCSV(t, copies)
				}
				in := inputOf(t, format, data)
				size := len(data)
				data = nil
				// The input was built in memory and written to a file:
				// collect it now, or the first samples report it as live.
				runtime.GC()
				sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				var max uint64
				n := 0
				var issues sources.Issues
				_, err := New(Config{}).Parse(context.Background(), in, func(*entity.Entity) error {
					// Collect first, so that the sample is the heap live
					// now, not at whichever collection last ran.
					if n++; n%40 == 0 {
						runtime.GC()
						metrics.Read(sample)
						max = maxU(max, sample[0].Value.Uint64())
					}
					return nil
				}, &issues)
				if err != nil {
					t.Fatal(err)
				}
				if n != 4*copies {
					t.Fatalf("%d entities, want %d", n, 4*copies)
				}
				return max, size
			}
			small, smallSize := peak(40)
			large, largeSize := peak(400)
			t.Logf("peak live heap: 40 copies (%d KiB) %d KiB, 400 copies (%d KiB) %d KiB",
				smallSize>>10, small>>10, largeSize>>10, large>>10)
			if large > small+small/2+(512<<10) {
				t.Errorf("live heap grows with the input: %d KiB for 40 copies, %d KiB for 400", small>>10, large>>10)
			}
		})
	}
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

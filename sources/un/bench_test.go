package un

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
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

// benchTemp holds the large inputs the benchmarks build, once per
// process (a benchmark's parent function runs again every -count round);
// TestMain removes it.
var benchTemp string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sanctions-etl-un-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	benchTemp = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var bigInputs struct {
	sync.Mutex
	dir *bigfile.Dir
}

// bigUN is a UN list of at least size bytes built from the records of the
// 2026-02-27 publication (internal/bigfile), as a file.
func bigUN(b *testing.B, size int64) bigfile.Made {
	b.Helper()
	bigInputs.Lock()
	defer bigInputs.Unlock()
	if bigInputs.dir == nil {
		bigInputs.dir = bigfile.NewDir(benchTemp, readPublication(b, "2026-02-27"))
	}
	m, err := bigInputs.dir.UN(size)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchSizes are the sizes of the floor benchmarks, the same as the
// whole-run benchmarks' in cmd/sanctions-etl.
var benchSizes = []struct {
	name  string
	bytes int64
}{{"25MB", 25e6}, {"50MB", 50e6}, {"100MB", 100e6}}

// benchSized runs read on every benchmark size: read returns the records
// it saw in f.
func benchSized(b *testing.B, read func(f *os.File) (int, error)) {
	for _, size := range benchSizes {
		b.Run(size.name, func(b *testing.B) {
			in := bigUN(b, size.bytes)
			b.SetBytes(in.Bytes)
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(in.File)
				if err != nil {
					b.Fatal(err)
				}
				n, err := read(f)
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				if n != in.Records {
					b.Fatalf("%d records, want %d", n, in.Records)
				}
			}
		})
	}
}

// BenchmarkFloorXMLToken: encoding/xml's Decoder.Token until EOF, the
// least a parse of these files can cost.
func BenchmarkFloorXMLToken(b *testing.B) {
	benchSized(b, func(f *os.File) (int, error) { return bigfile.TokenFloor(f) })
}

// BenchmarkFloorXMLQuery: xmlquery's stream parser handing over every
// record, the floor of any parser built on it (ours is).
func BenchmarkFloorXMLQuery(b *testing.B) {
	benchSized(b, func(f *os.File) (int, error) {
		n, _, err := bigfile.XMLQueryFloor(f)
		return n, err
	})
}

// BenchmarkParseUNSized: our parser on the floors' files, every entity
// mapped, to compare with BenchmarkFloorXMLQuery.
func BenchmarkParseUNSized(b *testing.B) {
	src := New(Config{})
	ctx := context.Background()
	benchSized(b, func(f *os.File) (int, error) {
		in := &sources.Input{Format: "xml", Files: []*fetch.File{{Name: FileName, Path: f.Name()}}}
		n := 0
		var issues sources.Issues
		_, err := src.Parse(ctx, in, func(*entity.Entity) error { n++; return nil }, &issues)
		return n, err
	})
}

// bigXML is a UN list of at least size bytes in memory, and its records.
func bigXML(t testing.TB, size int64) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	st, err := bigfile.WriteUN(&buf, readPublication(t, "2026-02-27"), size)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), st.Records
}

// TestXMLMemoryFlat: the live heap while parsing does not grow with the
// input (the stream parser drops each record after it is read).
func TestXMLMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 80 MB")
	}
	peak := func(minBytes int64) (uint64, int) {
		data, want := bigXML(t, minBytes)
		size := len(data)
		in := inputOf(t, data)
		data = nil
		peak, n := sourcetest.PeakLiveHeap(t, New(Config{}), in, 200)
		if n != want {
			t.Fatalf("%d bytes: %d entities, want %d", size, n, want)
		}
		return peak, size
	}
	small, smallSize := peak(8e6)  // 4 copies of the records
	large, largeSize := peak(80e6) // 40 copies
	sourcetest.CheckFlatHeap(t, small, large, fmt.Sprintf("%.1f MB", float64(smallSize)/1e6), fmt.Sprintf("%.1f MB", float64(largeSize)/1e6))
}

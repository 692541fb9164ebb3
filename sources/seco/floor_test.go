package seco

import (
	"os"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
)

// BenchmarkFloor32MB streams BenchmarkParse32MB's input with xmlquery's
// stream parser alone, one node per target: what the second pass cannot
// beat (benchstat the two; the first pass is BenchmarkLookups32MB).
func BenchmarkFloor32MB(b *testing.B) {
	in := realSize(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(in.Files[0].Path)
		if err != nil {
			b.Fatal(err)
		}
		n, _, err := bigfile.XMLQueryFloorAt(f, "/*/target")
		f.Close()
		if err != nil || n != 5250 {
			b.Fatalf("%d targets, %v; want 5,250", n, err)
		}
	}
}

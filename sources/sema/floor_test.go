package sema

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// The real 2020 file parsed whole, beside xmlquery's stream parser alone
// on the same bytes (one node per record): benchstat the two.
func BenchmarkParse(b *testing.B) {
	data := readPublication(b, "2020-04-15")
	in := inputOf(b, data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		var issues sources.Issues
		if _, err := New(Config{}).Parse(b.Context(), in, func(*entity.Entity) error { n++; return nil }, &issues); err != nil || n != 1369 {
			b.Fatalf("%d entities, %v", n, err)
		}
	}
}

func BenchmarkFloor(b *testing.B) {
	data := readPublication(b, "2020-04-15")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if n, _, err := bigfile.XMLQueryFloorAt(bytes.NewReader(data), "/*/record"); err != nil || n != 1369 {
			b.Fatalf("%d records, %v", n, err)
		}
	}
}

package csl

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// BenchmarkFloor reads the same inputs as BenchmarkParse with nothing but
// encoding/csv and encoding/json's token decoder: what a parse cannot
// beat (benchstat BenchmarkParse against BenchmarkFloor).
func BenchmarkFloor(b *testing.B) {
	for _, tc := range []struct {
		format string
		data   []byte
		floor  func([]byte) (int, error)
		want   int
	}{
		{"csv", whole2023(b), func(d []byte) (int, error) { return bigfile.CSVFloor(bytes.NewReader(d)) }, 4228},
		{"json", sourcetest.ReadFile(b, derivedJSON), func(d []byte) (int, error) { return bigfile.JSONTokenFloor(bytes.NewReader(d)) }, 4226},
	} {
		b.Run(tc.format, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			b.ReportAllocs()
			for b.Loop() {
				if n, err := tc.floor(tc.data); err != nil || n != tc.want {
					b.Fatalf("%d records, %v; want %d", n, err, tc.want)
				}
			}
		})
	}
}

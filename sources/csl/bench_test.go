package csl

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// BenchmarkParse parses the 2023 rows as CSV and as the derived JSON.
func BenchmarkParse(b *testing.B) {
	for _, tc := range []struct {
		format string
		data   []byte
	}{{"csv", whole2023(b)}, {"json", sourcetest.ReadFile(b, derivedJSON)}} {
		b.Run(tc.format, func(b *testing.B) {
			in := inputOf(b, tc.format, tc.data)
			b.SetBytes(int64(len(tc.data)))
			b.ReportAllocs()
			for b.Loop() {
				var issues sources.Issues
				if _, err := New(Config{}).Parse(b.Context(), in, func(*entity.Entity) error { return nil }, &issues); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

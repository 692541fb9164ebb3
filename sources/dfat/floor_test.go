package dfat

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// benchWorkbook is the real 2026 workbook, the current layout.
var benchWorkbook = filepath.Join("..", "..", "testdata", "au_dfat", "2026-02-24", FileName)

// BenchmarkParse parses the real 2026 workbook whole (rows read, sorted
// by group, entities mapped); BenchmarkFloor reads the same sheet with
// excelize's row iterator alone: benchstat the two.
func BenchmarkParse(b *testing.B) {
	var issues sources.Issues
	acq, err := sources.Acquire(context.Background(), New(Config{}).Info(), fetch.NewDir(filepath.Dir(benchWorkbook), fetch.DefaultMaxBytes, b.TempDir()), nil, &issues)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(acq.Input.Files[0].Bytes)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		var issues sources.Issues
		if _, err := New(Config{TempDir: b.TempDir()}).Parse(b.Context(), acq.Input, func(*entity.Entity) error { n++; return nil }, &issues); err != nil || n != 3811 {
			b.Fatalf("%d entities, %v", n, err)
		}
	}
}

func BenchmarkFloor(b *testing.B) {
	for b.Loop() {
		if rows, _, err := bigfile.XLSXFloor(benchWorkbook); err != nil || rows != 10977 {
			b.Fatalf("%d rows, %v", rows, err)
		}
	}
}

package sourcetest

import (
	"context"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// PeakLiveHeap parses in with src and returns the largest live heap seen
// while it emits entities (sampled every `every` entities), and how many
// entities it emitted. It collects garbage first, so an input the caller
// built in memory and wrote to a file does not count.
func PeakLiveHeap(t testing.TB, src sources.Source, in *sources.Input, every int) (peak uint64, n int) {
	t.Helper()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var issues sources.Issues
	_, err := src.Parse(context.Background(), in, func(*entity.Entity) error {
		if n++; n%every == 0 {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
		}
		return nil
	}, &issues)
	if err != nil {
		t.Fatal(err)
	}
	return peak, n
}

// CheckFlatHeap fails when the peak live heap of the large parse exceeds
// twice the small one's plus 4 MiB: streaming parsers hold one record at
// a time, so their memory must not grow with the input.
func CheckFlatHeap(t testing.TB, small, large uint64, smallLabel, largeLabel string) {
	t.Helper()
	t.Logf("peak live heap: %s %d KiB, %s %d KiB", smallLabel, small>>10, largeLabel, large>>10)
	if large > 2*small+(4<<20) {
		t.Errorf("live heap grows with the input: %d KiB for %s, %d KiB for %s", small>>10, smallLabel, large>>10, largeLabel)
	}
}

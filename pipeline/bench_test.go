package pipeline_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// BenchmarkRunSDN20210707 is a full run of us_ofac_sdn from --from into an
// empty local store: fetch from the folder, parse, normalize, diff, write
// every output. Each iteration gets its own store.
func BenchmarkRunSDN20210707(b *testing.B) {
	dir := b.TempDir()
	for _, f := range []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"} {
		gunzipTo(b, filepath.Join(testdata, "us_ofac_sdn", "2021-07-07", f+".gz"), filepath.Join(dir, f))
	}
	src := source(b, "us_ofac_sdn")
	for b.Loop() {
		b.StopTimer()
		st := newStore(b)
		b.StartTimer()
		cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, b.TempDir()), nil)
		res := pipeline.Run(context.Background(), cfg, src)
		if res.Err != nil || res.Entities != 8976 {
			b.Fatalf("%s %d %v", res.Outcome, res.Entities, res.Err)
		}
	}
}

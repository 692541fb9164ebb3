package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
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

// BenchmarkPublishLocal and BenchmarkPublishS3 publish the 2024-05-03 SDN
// capture (14,965 entities) as the first version of an empty local
// directory and of an empty bucket on a local versitygw, with 4 parallel
// uploads (the default) and, for comparison, one at a time. ns/op is the
// whole run (parse, normalize, diff, write); upload-ms/op is the part
// spent writing the version folder and moving the pointers, where the
// stores differ.
func BenchmarkPublishLocal(b *testing.B) {
	benchPublish(b, func(b *testing.B) sink.Store { return newStore(b) })
}

func BenchmarkPublishS3(b *testing.B) {
	srv := s3test.Start(b)
	benchPublish(b, func(b *testing.B) sink.Store { return s3Store(b, srv, srv.NewBucket(b), "") })
}

func benchPublish(b *testing.B, newStore func(*testing.B) sink.Store) {
	dir := b.TempDir()
	gunzipTo(b, filepath.Join(testdata, "us_ofac_sdn", "history", "2024-05-03T1843Z_sdn.csv.gz"), filepath.Join(dir, "SDN.CSV"))
	src := source(b, "us_ofac_sdn")
	for _, uploads := range []int{pipeline.DefaultUploadConcurrency, 1} {
		b.Run(fmt.Sprintf("uploads=%d", uploads), func(b *testing.B) {
			var upload time.Duration
			for b.Loop() {
				b.StopTimer()
				st := newStore(b)
				b.StartTimer()
				cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, b.TempDir()), nil)
				cfg.UploadConcurrency = uploads
				res := pipeline.Run(context.Background(), cfg, src)
				if res.Err != nil || res.Entities != 14965 {
					b.Fatalf("%s %d %v", res.Outcome, res.Entities, res.Err)
				}
				upload += res.Upload
			}
			b.ReportMetric(float64(upload.Microseconds())/1000/float64(b.N), "upload-ms/op")
		})
	}
}

// BenchmarkCheckUnchanged is what a scheduler tick costs when nothing
// changed: the UN list served over local HTTP with an ETag, so the fetch
// is a conditional GET answered 304, against a store that already holds
// the version. lease=off is the baseline; lease=on adds acquiring,
// renewing and releasing <source>/lease.json. Local directory and S3
// (versitygw on 127.0.0.1).
func BenchmarkCheckUnchanged(b *testing.B) {
	b.Run("store=local", func(b *testing.B) {
		benchCheckUnchanged(b, func(b *testing.B) sink.Store { return newStore(b) })
	})
	b.Run("store=s3", func(b *testing.B) {
		srv := s3test.Start(b)
		benchCheckUnchanged(b, func(b *testing.B) sink.Store { return s3Store(b, srv, srv.NewBucket(b), "") })
	})
}

func benchCheckUnchanged(b *testing.B, newStore func(*testing.B) sink.Store) {
	file := filepath.Join(b.TempDir(), "consolidated.xml")
	gunzipTo(b, filepath.Join(testdata, "un_sc", "2026-02-27", "consolidated.xml.gz"), file)
	body, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"un-2026-02-27"`)
		http.ServeContent(w, r, "consolidated.xml", time.Time{}, bytes.NewReader(body))
	}))
	defer srv.Close()
	src := un.New(un.Config{URL: srv.URL + "/consolidated.xml"})
	for _, ttl := range []time.Duration{0, time.Minute} {
		name := "lease=off"
		if ttl > 0 {
			name = "lease=on"
		}
		b.Run(name, func(b *testing.B) {
			st := newStore(b)
			cfg := config(st, fetch.NewHTTP(fetch.HTTPConfig{TempDir: b.TempDir()}), nil)
			cfg.LeaseTTL, cfg.Holder = ttl, "bench"
			if res := pipeline.Run(context.Background(), cfg, src); res.Outcome != pipeline.Published {
				b.Fatalf("first run: %s %v", res.Outcome, res.Err)
			}
			for b.Loop() {
				if res := pipeline.Run(context.Background(), cfg, src); res.Outcome != pipeline.Unchanged || res.FetchBytes != 0 {
					b.Fatalf("%s, %d bytes fetched, %v; want unchanged by a 304", res.Outcome, res.FetchBytes, res.Err)
				}
			}
		})
	}
}

package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	kgzip "github.com/klauspost/compress/gzip"

	"github.com/sanctions-etl/sanctions-etl/combine"
	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
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
	benchRun(b, "us_ofac_sdn", dir, 8976)
}

// BenchmarkRunUN20260227 is the same for un_sc on the real 2026-02-27
// publication (1,003 entities).
func BenchmarkRunUN20260227(b *testing.B) {
	dir := b.TempDir()
	gunzipTo(b, filepath.Join(testdata, "un_sc", "2026-02-27", "consolidated.xml.gz"), filepath.Join(dir, "consolidated.xml"))
	benchRun(b, "un_sc", dir, 1003)
}

// benchRun publishes the files of dir as the first version of an empty
// local store, once per iteration.
func benchRun(b *testing.B, name, dir string, entities int) {
	src := source(b, name)
	for b.Loop() {
		b.StopTimer()
		st := newStore(b)
		b.StartTimer()
		res := pipeline.Run(context.Background(), config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, b.TempDir()), nil), src)
		if res.Err != nil || res.Entities != entities {
			b.Fatalf("%s %d entities, want %d: %v", res.Outcome, res.Entities, entities, res.Err)
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

// BenchmarkGzipLevel compresses the entity lines of two real first
// versions (OFAC SDN 2021-07-07: 8,976 entities; UN 2026-02-27: 1,003) at
// the level the run uses (pipeline.GzipLevel, 1) and at the default (6),
// with the gzip package the run uses. ratio is compressed/raw bytes.
func BenchmarkGzipLevel(b *testing.B) {
	for _, pub := range []struct{ name, src, dir string }{
		{"ofac-2021-07-07", "us_ofac_sdn", filepath.Join(testdata, "us_ofac_sdn", "2021-07-07")},
		{"un-2026-02-27", "un_sc", filepath.Join(testdata, "un_sc", "2026-02-27")},
	} {
		dir := b.TempDir()
		files, _ := filepath.Glob(filepath.Join(pub.dir, "*.gz"))
		for _, f := range files {
			gunzipTo(b, f, filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), ".gz")))
		}
		st := newStore(b)
		res := pipeline.Run(context.Background(), config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, b.TempDir()), nil), source(b, pub.src))
		if res.Err != nil {
			b.Fatal(res.Err)
		}
		rc, _, err := st.Get(context.Background(), layout.Object(pub.src, res.Version, layout.EntitiesName))
		if err != nil {
			b.Fatal(err)
		}
		zr, err := kgzip.NewReader(rc)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		rc.Close()
		if err != nil {
			b.Fatal(err)
		}
		for _, level := range []struct {
			name  string
			level int
		}{{"1", pipeline.GzipLevel}, {"default", kgzip.DefaultCompression}} {
			b.Run(fmt.Sprintf("%s/level=%s", pub.name, level.name), func(b *testing.B) {
				b.SetBytes(int64(len(raw)))
				var out bytes.Buffer
				for b.Loop() {
					out.Reset()
					zw, _ := kgzip.NewWriterLevel(&out, level.level)
					zw.Write(raw)
					zw.Close()
				}
				b.ReportMetric(float64(out.Len())/float64(len(raw)), "ratio")
			})
		}
	}
}

// BenchmarkRunUNLarge is a whole first-version run, in this process (so
// that -cpuprofile sees every stage), of UN publications of 25 and 100 MB
// built from the real 2026-02-27 records (internal/bigfile). The
// subprocess benchmarks of cmd/sanctions-etl measure wall and peak RSS
// beside the parser floors; this one is for profiles.
func BenchmarkRunUNLarge(b *testing.B) {
	pub := sourcetest.Gunzip(b, filepath.Join(testdata, "un_sc", "2026-02-27", "consolidated.xml.gz"))
	files := bigfile.NewDir(b.TempDir(), pub)
	src := source(b, "un_sc")
	for _, size := range []int64{25e6, 100e6} {
		made, err := files.UN(size)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dMB", size/1e6), func(b *testing.B) {
			b.SetBytes(made.Bytes)
			for b.Loop() {
				b.StopTimer()
				st := newStore(b)
				b.StartTimer()
				res := pipeline.Run(context.Background(), config(st, fetch.NewDir(made.Dir, fetch.DefaultMaxBytes, b.TempDir()), nil), src)
				if res.Err != nil || res.Entities != made.Records {
					b.Fatalf("%s %d entities, want %d: %v", res.Outcome, res.Entities, made.Records, res.Err)
				}
			}
		})
	}
}

// BenchmarkCombined builds the combined dataset of the real corpus
// (25,839 entities of nine sources) against its floor: reading and
// decoding every source's entities once, which any build must do.
func BenchmarkCombined(b *testing.B) {
	c := newClock()
	st := publishCorpus(b, c)
	b.Run("combined", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if err := os.RemoveAll(filepath.Join(st.Location(), combine.Name)); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, ok := pipeline.RunCombined(context.Background(), config(st, nil, c), registryNames())
			if !ok || res.Outcome != pipeline.Published {
				b.Fatalf("%v %s %v", ok, res.Outcome, res.Err)
			}
		}
	})
	b.Run("floor-decode-once", func(b *testing.B) {
		for b.Loop() {
			n := 0
			for _, cs := range realCorpus {
				v := latestVersion(b, st, cs.source)
				for _, line := range gzLines(b, st, layout.Object(cs.source, v, layout.EntitiesName)) {
					var e entity.Entity
					if err := json.Unmarshal([]byte(line), &e); err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			if n < 25000 {
				b.Fatalf("%d entities", n)
			}
		}
	})
}

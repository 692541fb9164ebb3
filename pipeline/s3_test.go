package pipeline_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/retry"
	sinks3 "github.com/sanctions-etl/sanctions-etl/sink/s3"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// s3Store opens bucket/sanctions on srv, through endpoint when given (a
// proxy), without retries unless wrapped.
func s3Store(t testing.TB, srv *s3test.Server, bucket, endpoint string) *sinks3.Store {
	t.Helper()
	st, err := sinks3.New(context.Background(), srv.Config(bucket, "sanctions", endpoint), srv.AWSConfig())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func fastRetry() retry.Policy {
	return retry.Policy{MaxAttempts: 4, Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond}
}

// historyCaptures are the non-empty SDN.CSV captures, oldest first.
func historyCaptures(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(testdata, "us_ofac_sdn", "history", "*_sdn.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(all)
	var out []string
	for _, c := range all {
		if fi, err := os.Stat(c); err == nil && fi.Size() > 1000 {
			out = append(out, c)
		}
	}
	return out
}

func useCapture(t testing.TB, dir, capture string) {
	t.Helper()
	gunzipTo(t, capture, filepath.Join(dir, "SDN.CSV"))
}

// useSmall writes the i-th of a series of small, real publications: the
// first 300+10*i rows of the first capture and its final 0x1A (without it
// the file is a truncated one and refused), so that each adds ten entities
// to the one before. Tests of publication mechanics use it to stay fast.
func useSmall(t testing.TB, dir string, i int) {
	t.Helper()
	smallOnce.Do(func() {
		f, err := os.Open(historyCaptures(t)[0])
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		smallRows = strings.SplitAfter(string(b), "\r\n")
	})
	data := strings.Join(smallRows[:300+10*i], "") + "\x1a"
	if err := os.WriteFile(filepath.Join(dir, "SDN.CSV"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	smallOnce sync.Once
	smallRows []string
)

// objects reads every object of a store.
func objects(t *testing.T, st sink.Store) map[string][]byte {
	t.Helper()
	var keys []string
	if err := st.List(context.Background(), "", func(i sink.Info) error { keys = append(keys, i.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, k := range keys {
		rc, _, err := st.Get(context.Background(), k)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[k] = b
	}
	return out
}

// checkVersion checks that a published version folder holds exactly the
// manifest's files and outputs, with the manifest's sha256s.
func checkVersion(t *testing.T, objs map[string][]byte, src, version string) pipeline.Manifest {
	t.Helper()
	var m pipeline.Manifest
	mkey := layout.Object(src, version, layout.ManifestName)
	if err := json.Unmarshal(objs[mkey], &m); err != nil {
		t.Fatalf("%s: %v", mkey, err)
	}
	want := map[string]string{mkey: sha(objs[mkey])}
	for _, f := range m.Files {
		want[layout.Raw(src, version, f.Name)] = f.SHA256
	}
	for _, o := range m.Outputs {
		want[layout.Object(src, version, o.Name)] = o.SHA256
	}
	prefix := layout.VersionDir(src, version)
	for k, b := range objs {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		w, ok := want[k]
		if !ok {
			t.Errorf("%s: object %s is not in the manifest", version, k)
		} else if sha(b) != w {
			t.Errorf("%s: sha256 %s, the manifest says %s", k, sha(b), w)
		}
		delete(want, k)
	}
	for k := range want {
		t.Errorf("%s: the manifest lists %s, which is missing", version, k)
	}
	return m
}

// folderVersions returns the version folders present in objs.
func folderVersions(objs map[string][]byte, src string) []string {
	seen := map[string]bool{}
	for k := range objs {
		rest, ok := strings.CutPrefix(k, src+"/")
		if v, _, isDir := strings.Cut(rest, "/"); ok && isDir {
			seen[v] = true
		}
	}
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// The server fails in the middle of a publication (500s, cut connections,
// the answer to a write lost, or the process killed), then comes back:
// latest.json still names the previous version, the rerun publishes
// cleanly and reports the orphaned folder, every named version is whole,
// and gc removes the orphan.
func TestS3FaultInTheMiddleOfAPublish(t *testing.T) {
	srv := s3test.Start(t)
	const src = "us_ofac_sdn"
	tests := []struct {
		name  string
		fault func(p *s3test.Proxy)
	}{
		{"500 after 3 puts", func(p *s3test.Proxy) { p.FailAfterPuts(3, s3test.Status500) }},
		{"connections dropped after 3 puts", func(p *s3test.Proxy) { p.FailAfterPuts(3, s3test.Drop) }},
		{"answers lost after 3 puts", func(p *s3test.Proxy) { p.FailAfterPuts(3, s3test.DropAnswer) }},
		{"server killed after 3 puts", func(p *s3test.Proxy) { p.AfterPuts(3, srv.Stop) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bucket := srv.NewBucket(t)
			proxy := s3test.NewProxy(t, srv.Endpoint)
			st := s3Store(t, srv, bucket, proxy.URL)
			direct := s3Store(t, srv, bucket, "")
			c := newClock()
			dir := t.TempDir()
			useSmall(t, dir, 0)
			r1 := runFrom(t, st, c, src, dir)
			if r1.Outcome != pipeline.Published {
				t.Fatalf("first run: %s %v", r1.Outcome, r1.Err)
			}

			useSmall(t, dir, 1)
			tc.fault(proxy)
			r2 := runFrom(t, st, c, src, dir)
			if r2.Outcome != pipeline.Failed || r2.Err == nil {
				t.Fatalf("run during the fault: %s %v", r2.Outcome, r2.Err)
			}
			if msg := r2.Err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "s3://"+bucket+"/sanctions/") {
				t.Errorf("error is not one line naming the bucket: %q", msg)
			}
			t.Logf("failed run: %v", r2.Err)
			proxy.Heal()
			srv.Restart(t) // a no-op restart for the faults that left it running
			if v := latestVersion(t, direct, src); v != r1.Version {
				t.Fatalf("latest.json names %s after the failed run, want %s", v, r1.Version)
			}

			r3 := runFrom(t, st, c, src, dir)
			if r3.Outcome != pipeline.Published || r3.PreviousVersion != r1.Version {
				t.Fatalf("rerun: %s (previous %s) %v", r3.Outcome, r3.PreviousVersion, r3.Err)
			}
			objs := objects(t, direct)
			folders := folderVersions(objs, src)
			if len(folders) != 3 || len(r3.Orphans) != 1 || !slices.Contains(folders, r3.Orphans[0]) ||
				r3.Orphans[0] == r1.Version || r3.Orphans[0] == r3.Version {
				t.Fatalf("folders %v, orphans reported %v (published %s, %s)", folders, r3.Orphans, r1.Version, r3.Version)
			}
			orphan := r3.Orphans[0]
			if _, ok := objs[layout.Object(src, orphan, layout.ManifestName)]; ok {
				t.Errorf("the failed run wrote its manifest")
			}
			checkVersion(t, objs, src, r1.Version)
			m3 := checkVersion(t, objs, src, r3.Version)
			if m3.PreviousVersion == nil || *m3.PreviousVersion != r1.Version || m3.Delta.Added+m3.Delta.Removed+m3.Delta.Changed == 0 {
				t.Errorf("rerun manifest: previous %v, delta %+v", m3.PreviousVersion, m3.Delta)
			}
			if !hasIssue(m3.Issues, layout.VersionDir(src, orphan), "orphaned version folder "+orphan) {
				t.Errorf("the orphan is not reported in the manifest: %+v", m3.Issues)
			}
			vs := versionsOf(t, direct, src)
			if len(vs) != 2 || vs[0].Version != r3.Version || vs[1].Version != r1.Version || latestVersion(t, direct, src) != r3.Version {
				t.Fatalf("versions.json %+v, latest %s", vs, latestVersion(t, direct, src))
			}
			// Nothing else in the bucket.
			for k := range objs {
				v, _, isDir := strings.Cut(strings.TrimPrefix(k, src+"/"), "/")
				if !isDir && !slices.Contains([]string{"latest.json", "versions.json", "state.json"}, v) {
					t.Errorf("unexpected object %s", k)
				}
			}

			// gc: a dry run names the orphan, the real run removes it and
			// nothing else.
			later := func() time.Time { return c.now().Add(48 * time.Hour) }
			found, err := pipeline.GC(context.Background(), pipeline.GCConfig{Store: direct, Sources: []string{src}, DryRun: true, Now: later})
			if err != nil || len(found) != 1 || found[0].Version != orphan || found[0].Objects == 0 {
				t.Fatalf("gc --dry-run: %+v %v", found, err)
			}
			if n := len(objects(t, direct)); n != len(objs) {
				t.Fatalf("dry run removed objects: %d left of %d", n, len(objs))
			}
			removed, err := pipeline.GC(context.Background(), pipeline.GCConfig{Store: direct, Sources: []string{src}, Now: later})
			if err != nil || len(removed) != 1 || removed[0].Version != orphan {
				t.Fatalf("gc: %+v %v", removed, err)
			}
			after := objects(t, direct)
			if f := folderVersions(after, src); fmt.Sprint(f) != fmt.Sprint([]string{r1.Version, r3.Version}) {
				t.Fatalf("folders after gc: %v", f)
			}
			if len(after) != len(objs)-found[0].Objects {
				t.Fatalf("gc removed %d objects, want %d", len(objs)-len(after), found[0].Objects)
			}
		})
	}
}

// With the retry wrapper cmd composes, transient faults in the middle of a
// publication (a few 500s, an answer lost after the server applied a
// create) do not fail the run at all.
func TestS3TransientFaultsAreRetried(t *testing.T) {
	srv := s3test.Start(t)
	for _, fault := range []s3test.Fault{s3test.Status500, s3test.Drop, s3test.DropAnswer} {
		t.Run(fmt.Sprint("fault ", fault), func(t *testing.T) {
			bucket := srv.NewBucket(t)
			proxy := s3test.NewProxy(t, srv.Endpoint)
			st := retry.New(s3Store(t, srv, bucket, proxy.URL), fastRetry())
			dir := t.TempDir()
			useSmall(t, dir, 0)
			proxy.Fail(3, 2, fault)
			r := runFrom(t, st, newClock(), "us_ofac_sdn", dir)
			if r.Outcome != pipeline.Published {
				t.Fatalf("%s %v", r.Outcome, r.Err)
			}
			injected := 0
			for _, req := range proxy.Requests() {
				if req.Fault != s3test.NoFault {
					injected++
				}
			}
			if injected != 2 {
				t.Fatalf("%d faults injected, want 2", injected)
			}
			checkVersion(t, objects(t, st), "us_ofac_sdn", r.Version)
		})
	}
}

// Two runs racing on one source in one bucket: never a lost update.
// Either one moves latest and the other fails with ErrConcurrent, or they
// publish one after the other and the second diffs against the first.
// Runs that start in the same second compute the same version id: the
// first object claims the folder, and the other run stops.
func TestS3RacingRuns(t *testing.T) {
	srv := s3test.Start(t)
	dirs := []string{filepath.Join(testdata, "us_ofac_cons", "2020-03-17"), filepath.Join(testdata, "us_ofac_cons", "2023-03-08")}
	outcomes := map[string]int{}
	for round := range 6 {
		sameSecond := round%2 == 1
		bucket := srv.NewBucket(t)
		st := retry.New(s3Store(t, srv, bucket, ""), fastRetry())
		var wg sync.WaitGroup
		results := make([]pipeline.Result, len(dirs))
		for i, dir := range dirs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC)
				if sameSecond {
					start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				}
				results[i] = runFrom(t, st, clockFrom(start), "us_ofac_cons", dir)
			}()
		}
		wg.Wait()
		var published []string
		for _, r := range results {
			switch {
			case r.Outcome == pipeline.Published:
				published = append(published, r.Version)
			case !errors.Is(r.Err, pipeline.ErrConcurrent):
				t.Fatalf("round %d: a run failed with %v, want ErrConcurrent", round, r.Err)
			}
		}
		outcomes[fmt.Sprintf("same second %v, %d published", sameSecond, len(published))]++
		if len(published) == 0 {
			t.Fatalf("round %d: no run published: %v / %v", round, results[0].Err, results[1].Err)
		}
		sort.Strings(published)
		latest := latestVersion(t, st, "us_ofac_cons")
		vs := versionsOf(t, st, "us_ofac_cons")
		var listed []string
		for _, v := range vs {
			listed = append(listed, v.Version)
		}
		slices.Reverse(listed)
		if fmt.Sprint(listed) != fmt.Sprint(published) || latest != published[len(published)-1] {
			t.Fatalf("round %d: published %v, versions.json %v, latest %s", round, published, listed, latest)
		}
		objs := objects(t, st)
		for i, v := range published {
			m := checkVersion(t, objs, "us_ofac_cons", v)
			if i > 0 && (m.PreviousVersion == nil || *m.PreviousVersion != published[i-1]) {
				t.Fatalf("round %d: %s diffed against %v, want %s", round, v, m.PreviousVersion, published[i-1])
			}
		}
	}
	t.Logf("outcomes: %v", outcomes)
}

// The OFAC replay published to S3 and to a local directory gives the same
// keys and the same bytes, apart from run ids and timestamps in
// manifest.json, state.json and index.json.
func TestS3PublishesTheSameObjectsAsLocal(t *testing.T) {
	caps := historyCaptures(t)[:5]
	if testing.Short() {
		caps = caps[:3]
	}
	srv := s3test.Start(t)
	s3st := s3Store(t, srv, srv.NewBucket(t), "")
	loc := newStore(t)
	src := source(t, "us_ofac_sdn")
	clocks := map[sink.Store]*clock{s3st: newClock(), loc: newClock()}
	dir := t.TempDir()
	for _, capture := range caps {
		useCapture(t, dir, capture)
		for _, st := range []sink.Store{s3st, loc} {
			cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), clocks[st])
			res, err := pipeline.RunAll(context.Background(), cfg, []sources.Source{src})
			if err != nil || res[0].Outcome != pipeline.Published {
				t.Fatalf("%s into %s: %s %v %v", filepath.Base(capture), st.Location(), res[0].Outcome, res[0].Err, err)
			}
		}
	}
	a, b := objects(t, s3st), objects(t, loc)
	var keysA, keysB []string
	for k := range a {
		keysA = append(keysA, k)
	}
	for k := range b {
		keysB = append(keysB, k)
	}
	sort.Strings(keysA)
	sort.Strings(keysB)
	if fmt.Sprint(keysA) != fmt.Sprint(keysB) {
		t.Fatalf("keys differ:\nS3:    %v\nlocal: %v", keysA, keysB)
	}
	if n := len(folderVersions(a, "us_ofac_sdn")); n != len(caps) {
		t.Fatalf("%d versions, want %d", n, len(caps))
	}
	volatile := map[string][]string{
		layout.ManifestName: {"started_at", "published_at"},
		"state.json":        {"run_id", "checked_at", "last_success_at"},
		"index.json":        {"updated_at", "published_at", "last_checked_at"},
		"catalog.json":      {"updated_at", "last_export"},
		"ftm_deltas.json":   {"updated_at"},
	}
	// catalog.json and ftm_deltas.json give URLs under each store's
	// location (s3://bucket/prefix, file:///folder): compare the keys.
	localBase := (&url.URL{Scheme: "file", Path: filepath.ToSlash(loc.Location())}).String() + "/"
	for _, k := range []string{layout.Catalog(), layout.FtMDeltas("us_ofac_sdn")} {
		a[k] = bytes.ReplaceAll(a[k], []byte(s3st.Location()+"/"), nil)
		b[k] = bytes.ReplaceAll(b[k], []byte(localBase), nil)
	}
	same := 0
	for _, k := range keysA {
		fields, ok := volatile[path.Base(k)]
		if !ok {
			if !bytes.Equal(a[k], b[k]) {
				t.Errorf("%s differs: %d bytes on S3, %d locally", k, len(a[k]), len(b[k]))
			}
			same++
			continue
		}
		if ja, jb := clearFields(t, a[k], fields), clearFields(t, b[k], fields); ja != jb {
			t.Errorf("%s differs beyond %v:\nS3:    %s\nlocal: %s", k, fields, ja, jb)
		}
	}
	t.Logf("%d objects compared, %d byte for byte", len(keysA), same)
}

// clearFields removes fields at any depth and gives canonical JSON.
func clearFields(t *testing.T, b []byte, fields []string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, f := range fields {
				delete(x, f)
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out, _ := json.Marshal(v)
	return string(out)
}

// A store that breaks after the run opened it (the bucket is deleted):
// the run fails with one line naming the bucket, the key and the
// operation, and publishes nothing.
func TestS3MissingBucketFailsTheRun(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	st := s3Store(t, srv, bucket, "")
	if err := os.RemoveAll(filepath.Join(srv.Root, bucket)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	useSmall(t, dir, 0)
	res := runFrom(t, st, newClock(), "us_ofac_sdn", dir)
	if res.Outcome != pipeline.Failed || !errors.Is(res.Err, sinks3.ErrNoSuchBucket) {
		t.Fatalf("%s %v", res.Outcome, res.Err)
	}
	msg := res.Err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "s3://"+bucket+"/sanctions/us_ofac_sdn/latest.json: get: bucket does not exist") || strings.Contains(msg, srv.SecretKey) {
		t.Fatalf("error %q", msg)
	}
	if _, err := os.Stat(filepath.Join(srv.Root, bucket)); !os.IsNotExist(err) {
		t.Fatalf("something was written: %v", err)
	}
}

// Every object a publication sends to S3 carries the sha256 the manifest
// records for it (x-amz-checksum-sha256), its content type, and, inside
// the version folder, its source and version as metadata.
func TestS3ChecksumsAndContentTypes(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	proxy := s3test.NewProxy(t, srv.Endpoint)
	st := s3Store(t, srv, bucket, proxy.URL)
	dir := t.TempDir()
	useSmall(t, dir, 0)
	res, err := pipeline.RunAll(context.Background(), config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), newClock()), []sources.Source{source(t, "us_ofac_sdn")})
	if err != nil || res[0].Outcome != pipeline.Published {
		t.Fatalf("%v %v", res, err)
	}
	v := res[0].Version
	objs := objects(t, st)
	m := checkVersion(t, objs, "us_ofac_sdn", v)
	want := map[string]string{} // key -> sha256 hex, from the manifest
	for _, f := range m.Files {
		want[layout.Raw("us_ofac_sdn", v, f.Name)] = f.SHA256
	}
	for _, o := range m.Outputs {
		want[layout.Object("us_ofac_sdn", v, o.Name)] = o.SHA256
	}
	types := map[string]string{
		".json": "application/json", ".gz": "application/gzip", ".md": "text/markdown; charset=utf-8",
		".html": "text/html; charset=utf-8", ".CSV": "text/csv",
		".csv": "text/csv; charset=utf-8", // entities.csv, ours
	}
	puts := 0
	for _, r := range proxy.Requests() {
		if r.Method != "PUT" {
			continue
		}
		puts++
		key := strings.TrimPrefix(r.Path, "/"+bucket+"/sanctions/")
		raw, _ := base64.StdEncoding.DecodeString(r.Header.Get("X-Amz-Checksum-Sha256"))
		got := hex.EncodeToString(raw)
		if w, ok := want[key]; ok && got != w {
			t.Errorf("%s: sent sha256 %s, the manifest records %s", key, got, w)
		}
		if b, ok := objs[key]; ok && got != sha(b) && path.Base(key) != "state.json" {
			t.Errorf("%s: sent sha256 %s, the object's is %s", key, got, sha(b))
		}
		wantType := types[path.Ext(key)]
		if b := path.Base(key); b == layout.FtMName || b == layout.FtMDeltaName {
			wantType = pipeline.FtMMimeType
		}
		if ct := r.Header.Get("Content-Type"); ct != wantType {
			t.Errorf("%s: content type %q", key, ct)
		}
		inVersion := strings.HasPrefix(key, layout.VersionDir("us_ofac_sdn", v))
		if meta := r.Header.Get("X-Amz-Meta-Version"); inVersion && (meta != v || r.Header.Get("X-Amz-Meta-Source") != "us_ofac_sdn") {
			t.Errorf("%s: metadata version %q source %q", key, meta, r.Header.Get("X-Amz-Meta-Source"))
		}
	}
	// raw, 7 outputs (entities, delta, two reports, entities.csv,
	// entities.ftm.json, entities.delta.json), manifest, versions,
	// latest, state, index, catalog, ftm_deltas
	if puts != 15 {
		t.Errorf("%d PUTs, want 15", puts)
	}
}

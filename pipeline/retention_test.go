package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// bothStores runs fn against a local store and against S3 (versitygw).
func bothStores(t *testing.T, fn func(t *testing.T, st sink.Store)) {
	t.Run("local", func(t *testing.T) { fn(t, newStore(t)) })
	t.Run("s3", func(t *testing.T) {
		srv := s3test.Start(t)
		fn(t, s3Store(t, srv, srv.NewBucket(t), ""))
	})
}

func folderList(t *testing.T, st sink.Store, src string) []string {
	t.Helper()
	return folderVersions(objects(t, st), src)
}

// keep_versions after every publication: the oldest versions go, whole
// folders and versions.json entries, latest never.
func TestRetentionKeepVersions(t *testing.T) {
	bothStores(t, func(t *testing.T, st sink.Store) {
		const src = "us_ofac_sdn"
		c := newClock()
		dir := t.TempDir()
		var published []string
		for i := range 5 {
			useSmall(t, dir, i)
			cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), c)
			cfg.KeepVersions = 3
			res := pipeline.Run(context.Background(), cfg, source(t, src))
			if res.Outcome != pipeline.Published {
				t.Fatalf("%s %v", res.Outcome, res.Err)
			}
			published = append(published, res.Version)
			wantPruned := []string(nil)
			if i >= 3 {
				wantPruned = []string{published[i-3]}
			}
			if fmt.Sprint(res.Pruned) != fmt.Sprint(wantPruned) {
				t.Fatalf("run %d pruned %v, want %v", i+1, res.Pruned, wantPruned)
			}
		}
		kept := published[2:]
		if got := folderList(t, st, src); fmt.Sprint(got) != fmt.Sprint(kept) {
			t.Fatalf("folders %v, want %v", got, kept)
		}
		vs := versionsOf(t, st, src)
		if len(vs) != 3 || vs[0].Version != published[4] || vs[2].Version != published[2] || latestVersion(t, st, src) != published[4] {
			t.Fatalf("versions.json %+v", vs)
		}
		objs := objects(t, st)
		for _, v := range kept {
			checkVersion(t, objs, src, v)
		}
		// The kept versions still chain: the oldest kept one names a
		// previous version that is gone, which the manifest still records.
		if m := manifest(t, st, src, published[2]); m.PreviousVersion == nil || *m.PreviousVersion != published[1] {
			t.Fatalf("manifest of %s: previous %v", published[2], m.PreviousVersion)
		}
	})
}

// keep_days, and the rule that neither latest nor a version newer than it
// is ever removed, whatever the policy.
func TestRetentionKeepDaysAndNewerThanLatest(t *testing.T) {
	bothStores(t, func(t *testing.T, st sink.Store) {
		const src = "us_ofac_sdn"
		c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), step: 6 * time.Hour}
		dir := t.TempDir()
		var published []string
		for i := range 4 {
			useSmall(t, dir, i)
			res := runFrom(t, st, c, src, dir)
			if res.Outcome != pipeline.Published {
				t.Fatalf("%s %v", res.Outcome, res.Err)
			}
			published = append(published, res.Version)
		}
		latest := published[3]
		ctx := context.Background()
		// A version newer than latest, listed in versions.json (a run that
		// stopped between versions.json and latest.json).
		newer := "20300101T000000Z"
		for _, name := range []string{layout.ManifestName, layout.EntitiesName} {
			if _, err := st.Put(ctx, layout.Object(src, newer, name), strings.NewReader("{}"), sink.PutOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		var vs []pipeline.VersionEntry
		readJSONFile(t, st, layout.Versions(src), &vs)
		vs = append([]pipeline.VersionEntry{{Version: newer}}, vs...)
		info, err := st.Stat(ctx, layout.Versions(src))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(vs)
		if _, err := st.Put(ctx, layout.Versions(src), strings.NewReader(string(b)), sink.PutOptions{IfMatch: info.ETag}); err != nil {
			t.Fatal(err)
		}

		// keep_days counted from the last version's start.
		lt := versionStart(t, latest)
		cut := lt.AddDate(0, 0, -1)
		var wantGone []string
		for _, v := range published[:3] {
			if versionStart(t, v).Before(cut) {
				wantGone = append(wantGone, v)
			}
		}
		if len(wantGone) == 0 || len(wantGone) == 3 {
			t.Fatalf("test needs versions on both sides of the cut: %v, cut %s", published, cut)
		}
		removed, err := pipeline.Prune(ctx, st, src, pipeline.Retention{KeepDays: 1}, lt)
		if err != nil || fmt.Sprint(removed) != fmt.Sprint(reversed(wantGone)) {
			t.Fatalf("keep 1 day removed %v (%v), want %v", removed, err, reversed(wantGone))
		}
		// keep one version: everything older than latest goes, latest and
		// the newer one stay.
		removed, err = pipeline.Prune(ctx, st, src, pipeline.Retention{KeepVersions: 1}, lt)
		if err != nil {
			t.Fatal(err)
		}
		if got := folderList(t, st, src); fmt.Sprint(got) != fmt.Sprint([]string{latest, newer}) {
			t.Fatalf("folders %v after keeping 1 (removed %v)", got, removed)
		}
		vs = versionsOf(t, st, src)
		if len(vs) != 2 || vs[0].Version != newer || vs[1].Version != latest || latestVersion(t, st, src) != latest {
			t.Fatalf("versions.json %+v", vs)
		}
		checkVersion(t, objects(t, st), src, latest)
	})
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

func versionStart(t *testing.T, v string) time.Time {
	t.Helper()
	ts, err := time.Parse("20060102T150405Z", v[:16])
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// A folder no pointer names is reported by the next run (in the log, the
// result and the manifest's issues); gc removes it once older than the
// grace period, never a named version, a young orphan or a folder that is
// not a version.
func TestOrphansReportedAndCollected(t *testing.T) {
	bothStores(t, func(t *testing.T, st sink.Store) {
		const src = "us_ofac_sdn"
		ctx := context.Background()
		c := newClock() // 2026-11-26 06:00 and on
		dir := t.TempDir()
		useSmall(t, dir, 0)
		r1 := runFrom(t, st, c, src, dir)
		if r1.Outcome != pipeline.Published {
			t.Fatal(r1.Err)
		}
		old, young := "20260101T000000Z", "20261126T061000Z"
		for _, k := range []string{
			layout.Object(src, old, layout.EntitiesName), layout.Raw(src, old, "SDN.CSV"),
			layout.Object(src, young, layout.ReportMDName),
			src + "/notes/readme.txt",
		} {
			if _, err := st.Put(ctx, k, strings.NewReader("partial"), sink.PutOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		useSmall(t, dir, 1)
		r2 := runFrom(t, st, c, src, dir)
		if r2.Outcome != pipeline.Published {
			t.Fatal(r2.Err)
		}
		if fmt.Sprint(r2.Orphans) != fmt.Sprint([]string{old, young}) {
			t.Fatalf("orphans reported %v", r2.Orphans)
		}
		if r2.Version <= young {
			t.Fatalf("new version %s does not sort after the newest folder %s", r2.Version, young)
		}
		m := manifest(t, st, src, r2.Version)
		for _, v := range []string{old, young} {
			if !hasIssue(m.Issues, layout.VersionDir(src, v), "orphaned version folder "+v+" from a failed run") {
				t.Errorf("orphan %s not in the manifest's issues: %+v", v, m.Issues)
			}
		}
		now := func() time.Time { return time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC) }
		dry, err := pipeline.GC(ctx, pipeline.GCConfig{Store: st, Sources: []string{src}, Grace: 24 * time.Hour, Now: now, DryRun: true})
		if err != nil || len(dry) != 1 || dry[0].Version != old || dry[0].Objects != 2 {
			t.Fatalf("dry run: %+v %v", dry, err)
		}
		if got := folderList(t, st, src); !slices.Contains(got, old) {
			t.Fatalf("dry run removed %s", old)
		}
		removed, err := pipeline.GC(ctx, pipeline.GCConfig{Store: st, Sources: []string{src}, Grace: 24 * time.Hour, Now: now})
		if err != nil || len(removed) != 1 || removed[0].Version != old {
			t.Fatalf("gc: %+v %v", removed, err)
		}
		want := []string{r1.Version, young, r2.Version, "notes"}
		slices.Sort(want)
		if got := folderList(t, st, src); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after gc: %v, want %v", got, want)
		}
		objs := objects(t, st)
		checkVersion(t, objs, src, r1.Version)
		checkVersion(t, objs, src, r2.Version)
		// A shorter grace takes the young orphan too.
		removed, err = pipeline.GC(ctx, pipeline.GCConfig{Store: st, Sources: []string{src}, Grace: time.Hour, Now: now})
		if err != nil || len(removed) != 1 || removed[0].Version != young {
			t.Fatalf("gc with 1h grace: %+v %v", removed, err)
		}
	})
}

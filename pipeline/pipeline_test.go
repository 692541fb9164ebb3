package pipeline_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// The 2021-07-07 OFAC CSV set: counts, order, determinism across stores,
// and no new version for an unchanged publication.
func TestOFAC20210707(t *testing.T) {
	dir := filepath.Join(testdata, "us_ofac_sdn", "2021-07-07")
	st1, st2 := newStore(t), newStore(t)
	c := newClock()
	r1 := runFrom(t, st1, c, "us_ofac_sdn", dir)
	if r1.Err != nil || r1.Outcome != pipeline.Published {
		t.Fatalf("first run: %s %v", r1.Outcome, r1.Err)
	}
	m := manifest(t, st1, "us_ofac_sdn", r1.Version)
	want := map[string]int{"person": 4620, "organization": 3673, "vessel": 406, "aircraft": 277, "unknown": 0}
	if m.EntityCount != 8976 || fmt.Sprint(m.CountsByType) != fmt.Sprint(want) {
		t.Fatalf("entity_count %d, by type %v; want 8976, %v", m.EntityCount, m.CountsByType, want)
	}
	if m.PreviousVersion != nil || m.Delta != (pipeline.DeltaCounts{}) {
		t.Fatalf("first version: previous %v, delta %+v", m.PreviousVersion, m.Delta)
	}
	if len(m.Files) != 4 || m.Format != "csv" {
		t.Fatalf("files %+v format %s", m.Files, m.Format)
	}
	lines := entityLines(t, st1, "us_ofac_sdn", r1.Version)
	if len(lines) != 8976 {
		t.Fatalf("%d entity lines", len(lines))
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		id, _, _ := strings.Cut(strings.TrimPrefix(l, `{"id":"`), `"`)
		ids[i] = id
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("ids not sorted")
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatalf("duplicate id %s", ids[i])
		}
	}
	if d := gzLines(t, st1, layout.Object("us_ofac_sdn", r1.Version, layout.DeltaName)); len(d) != 0 {
		t.Fatalf("first version's delta has %d lines, want an empty file", len(d))
	}

	// Another empty store, another time: the same lines apart from history.
	r2 := runFrom(t, st2, clockFrom(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), "us_ofac_sdn", dir)
	if r2.Err != nil {
		t.Fatal(r2.Err)
	}
	lines2 := entityLines(t, st2, "us_ofac_sdn", r2.Version)
	if r2.Version == r1.Version {
		t.Fatal("test needs two different versions")
	}
	if len(lines2) != len(lines) {
		t.Fatalf("second store: %d lines, want %d", len(lines2), len(lines))
	}
	for i := range lines {
		if withoutHistory(t, lines[i]) != withoutHistory(t, lines2[i]) {
			t.Fatalf("line %d differs between stores:\n%s\n%s", i+1, lines[i], lines2[i])
		}
	}

	// Unchanged publication: no new version, state records the check.
	r3 := runFrom(t, st1, c, "us_ofac_sdn", dir)
	if r3.Err != nil || r3.Outcome != pipeline.Unchanged || r3.Version != r1.Version {
		t.Fatalf("rerun: %s %s %v", r3.Outcome, r3.Version, r3.Err)
	}
	if vs := versionsOf(t, st1, "us_ofac_sdn"); len(vs) != 1 {
		t.Fatalf("%d versions after an unchanged rerun", len(vs))
	}
	var state pipeline.State
	readJSONFile(t, st1, layout.State("us_ofac_sdn"), &state)
	if state.Outcome != pipeline.Unchanged || state.LatestVersion != r1.Version {
		t.Fatalf("state %+v", state)
	}
}

// Replaying consecutive real SDN captures: each delta adds and removes
// exactly the ids that appear and disappear between the files, the deltas
// applied in order reproduce the last snapshot, and the empty capture that
// the archiver really received is refused. Then the store's history is
// replayed into another (checkReplay).
func TestOFACHistoryReplay(t *testing.T) {
	captures, err := filepath.Glob(filepath.Join(testdata, "us_ofac_sdn", "history", "*_sdn.csv.gz"))
	if err != nil || len(captures) < 3 {
		t.Fatalf("history captures: %v %v", captures, err)
	}
	sort.Strings(captures)
	if testing.Short() {
		captures = append(captures[:3], captures[len(captures)-1])
	}
	st := newStore(t)
	c := newClock()
	dir := t.TempDir()
	var prevIDs map[string]bool
	var published []string
	for i, capture := range captures {
		data := readGz(t, capture)
		if err := os.WriteFile(filepath.Join(dir, "SDN.CSV"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		before := latestVersion(t, st, "us_ofac_sdn")
		res := runFrom(t, st, c, "us_ofac_sdn", dir)
		name := filepath.Base(capture)
		if len(data) == 0 {
			if res.Outcome != pipeline.Failed || res.Err == nil || !strings.Contains(res.Err.Error(), "SDN.CSV") {
				t.Fatalf("%s (empty): outcome %s, err %v; want a failure naming SDN.CSV", name, res.Outcome, res.Err)
			}
			if after := latestVersion(t, st, "us_ofac_sdn"); after != before {
				t.Fatalf("%s (empty): latest moved from %s to %s", name, before, after)
			}
			if n := len(versionsOf(t, st, "us_ofac_sdn")); n != len(published) {
				t.Fatalf("%s (empty): %d versions, want %d", name, n, len(published))
			}
			continue
		}
		if res.Err != nil || res.Outcome != pipeline.Published {
			t.Fatalf("%s: %s %v", name, res.Outcome, res.Err)
		}
		published = append(published, res.Version)
		ids := entNums(t, data)
		m := manifest(t, st, "us_ofac_sdn", res.Version)
		if m.EntityCount != len(ids) {
			t.Fatalf("%s: %d entities, the file has %d ids", name, m.EntityCount, len(ids))
		}
		// Companions are absent from these captures: said in the manifest.
		if !hasIssue(m.Issues, "ADD.CSV", "companion file missing") {
			t.Fatalf("%s: missing ADD.CSV not reported: %+v", name, m.Issues)
		}
		if i == 0 {
			prevIDs = ids
			continue
		}
		added, removed := 0, 0
		for id := range ids {
			if !prevIDs[id] {
				added++
			}
		}
		for id := range prevIDs {
			if !ids[id] {
				removed++
			}
		}
		if m.Delta.Added != added || m.Delta.Removed != removed {
			t.Fatalf("%s: delta +%d -%d, the files differ by +%d -%d", name, m.Delta.Added, m.Delta.Removed, added, removed)
		}
		t.Logf("%s: %d entities, +%d -%d ~%d", name, m.EntityCount, m.Delta.Added, m.Delta.Removed, m.Delta.Changed)
		prevIDs = ids
	}

	// The first snapshot plus every delta in order gives the last snapshot.
	snap := entityLines(t, st, "us_ofac_sdn", published[0])
	for _, v := range published[1:] {
		rc, _, err := st.Get(context.Background(), layout.Object("us_ofac_sdn", v, layout.DeltaName))
		if err != nil {
			t.Fatal(err)
		}
		snap = applyDelta(t, snap, rc)
		rc.Close()
	}
	last := entityLines(t, st, "us_ofac_sdn", published[len(published)-1])
	if strings.Join(snap, "\n") != strings.Join(last, "\n") {
		t.Fatal("first snapshot plus deltas differs from the last snapshot")
	}
	if !testing.Short() {
		if len(published) != 23 {
			t.Fatalf("%d captures published, want 23 (all but the empty one)", len(published))
		}
		checkReplay(t, st, c, len(published))
	}
}

func hasIssue(issues []sources.Issue, file, problem string) bool {
	for _, is := range issues {
		if strings.EqualFold(is.File, file) && strings.Contains(is.Problem, problem) {
			return true
		}
	}
	return false
}

// The malformed set: as it is, a re-saved copy (LF line ends, no 0x1A) is
// refused. Given the end mark its re-saving dropped, every broken row is
// listed with its file and line, and the valid entries still publish.
func TestOFACMalformedRowsReported(t *testing.T) {
	asIs := runFrom(t, newStore(t), newClock(), "us_ofac_sdn", filepath.Join(testdata, "malformed", "us_ofac_sdn"))
	if asIs.Outcome != pipeline.Failed || !strings.Contains(fmt.Sprint(asIs.Err), "re-saved copy") {
		t.Fatalf("the malformed set as it is: %s %v", asIs.Outcome, asIs.Err)
	}
	terminated := func(dir string) string {
		out := t.TempDir()
		for _, f := range []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"} {
			data := append(readGz(t, filepath.Join(dir, f+".gz")), 0x1a)
			if err := os.WriteFile(filepath.Join(out, f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	st := newStore(t)
	res := runFrom(t, st, newClock(), "us_ofac_sdn", terminated(filepath.Join(testdata, "malformed", "us_ofac_sdn")))
	if res.Err != nil || res.Outcome != pipeline.Published {
		t.Fatalf("%s %v", res.Outcome, res.Err)
	}
	m := manifest(t, st, "us_ofac_sdn", res.Version)
	good := runFrom(t, newStore(t), newClock(), "us_ofac_sdn", terminated(filepath.Join(testdata, "us_ofac_sdn", "2019-01-15")))
	if good.Err != nil {
		t.Fatal(good.Err)
	}
	if m.EntityCount != good.Entities {
		t.Fatalf("malformed set published %d entities, the intact set has %d", m.EntityCount, good.Entities)
	}
	files := map[string]bool{}
	for _, is := range m.Issues {
		if is.Line <= 0 {
			continue
		}
		files[strings.ToUpper(is.File)] = true
	}
	for _, f := range []string{"SDN.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"} {
		if !files[f] {
			t.Errorf("no issue with a line number for %s; issues: %+v", f, m.Issues)
		}
	}
	// The report shows the same issues.
	rc, _, err := st.Get(context.Background(), layout.Object("us_ofac_sdn", res.Version, layout.ReportMDName))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	report, _ := io.ReadAll(rc)
	for _, is := range m.Issues {
		if is.Line > 0 && !strings.Contains(string(report), fmt.Sprint(is.Line)) {
			t.Errorf("report does not show issue at %s line %d", is.File, is.Line)
		}
	}
}

// Bad input: each is a failure naming the file, and nothing is published.
func TestBadInputPublishesNothing(t *testing.T) {
	xml := readGz(t, filepath.Join(testdata, "us_ofac_cons", "2018-04-06", "consolidated.xml.gz"))
	csv := readGz(t, filepath.Join(testdata, "us_ofac_sdn", "2021-07-07", "sdn.csv.gz"))
	tests := []struct {
		name, source, file string
		data               []byte
		maxBytes           int64
		want               []string // in the error
	}{
		{"truncated xml", "us_ofac_cons", "CONSOLIDATED.XML", xml[:len(xml)/2], 0, []string{"CONSOLIDATED.XML", "line"}},
		{"html error page", "us_ofac_sdn", "SDN.XML", []byte("<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>\n"), 0, []string{"SDN.XML"}},
		{"empty xml", "us_ofac_sdn", "SDN.XML", nil, 0, []string{"SDN.XML"}},
		{"empty csv", "us_ofac_sdn", "SDN.CSV", nil, 0, []string{"SDN.CSV"}},
		{"over the size cap", "us_ofac_sdn", "SDN.CSV", csv, 1 << 20, []string{"SDN.CSV", "cap"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tc.file), tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			st := newStore(t)
			maxBytes := tc.maxBytes
			if maxBytes == 0 {
				maxBytes = fetch.DefaultMaxBytes
			}
			cfg := config(st, fetch.NewDir(dir, maxBytes, t.TempDir()), newClock())
			res := pipeline.Run(context.Background(), cfg, source(t, tc.source))
			if res.Outcome != pipeline.Failed || res.Err == nil {
				t.Fatalf("outcome %s, err %v", res.Outcome, res.Err)
			}
			for _, w := range tc.want {
				if !strings.Contains(res.Err.Error(), w) {
					t.Errorf("error %q does not mention %q", res.Err, w)
				}
			}
			if v := latestVersion(t, st, tc.source); v != "" {
				t.Fatalf("latest.json written: %s", v)
			}
			var state pipeline.State
			readJSONFile(t, st, layout.State(tc.source), &state)
			if state.Outcome != pipeline.Failed || state.Error == "" {
				t.Fatalf("state %+v", state)
			}
			// Nothing but state.json.
			var keys []string
			st.List(context.Background(), "", func(i sink.Info) error { keys = append(keys, i.Key); return nil })
			if len(keys) != 1 {
				t.Fatalf("objects written: %v", keys)
			}
		})
	}
}

// The drop guard refuses a publication that loses over 10%, keeps latest,
// and --force overrides it.
func TestDropGuard(t *testing.T) {
	st := newStore(t)
	c := newClock()
	dir := t.TempDir()
	full := readGz(t, filepath.Join(testdata, "us_ofac_sdn", "history", "2024-03-11T1843Z_sdn.csv.gz"))
	os.WriteFile(filepath.Join(dir, "SDN.CSV"), full, 0o644)
	first := runFrom(t, st, c, "us_ofac_sdn", dir)
	if first.Err != nil {
		t.Fatal(first.Err)
	}
	// The first 80% of the real rows, ended with the file's 0x1A: a
	// publication complete as published that lost 20% (without the mark
	// it is refused as truncated before the guard).
	rows := strings.SplitAfter(string(full), "\r\n")
	cut := strings.Join(rows[:len(rows)*8/10], "") + "\x1a"
	os.WriteFile(filepath.Join(dir, "SDN.CSV"), []byte(cut), 0o644)
	res := runFrom(t, st, c, "us_ofac_sdn", dir)
	if res.Outcome != pipeline.Failed || !strings.Contains(fmt.Sprint(res.Err), "guard") {
		t.Fatalf("80%% publication: %s %v", res.Outcome, res.Err)
	}
	if v := latestVersion(t, st, "us_ofac_sdn"); v != first.Version {
		t.Fatalf("latest moved to %s", v)
	}
	cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), c)
	cfg.Force = true
	forced := pipeline.Run(context.Background(), cfg, source(t, "us_ofac_sdn"))
	if forced.Err != nil || forced.Outcome != pipeline.Published {
		t.Fatalf("--force: %s %v", forced.Outcome, forced.Err)
	}
}

// One failing source never keeps another from publishing; index.json lists
// the one that published.
func TestSourcesAreIsolated(t *testing.T) {
	dir := t.TempDir()
	gunzipTo(t, filepath.Join(testdata, "us_ofac_cons", "2020-03-17", "consolidated.xml.gz"), filepath.Join(dir, "CONSOLIDATED.XML"))
	os.WriteFile(filepath.Join(dir, "SDN.XML"), []byte("<html>busy</html>"), 0o644)
	st := newStore(t)
	cfg := config(st, fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), newClock())
	results, err := pipeline.RunAll(context.Background(), cfg, []sources.Source{source(t, "us_ofac_sdn"), source(t, "us_ofac_cons")})
	if err != nil {
		t.Fatal(err)
	}
	if results[0].Outcome != pipeline.Failed || results[1].Outcome != pipeline.Published {
		t.Fatalf("outcomes %s, %s", results[0].Outcome, results[1].Outcome)
	}
	var idx pipeline.Index
	if !readJSONFile(t, st, layout.Index(), &idx) || len(idx.Sources) != 1 || idx.Sources[0].Source != "us_ofac_cons" || idx.Sources[0].EntityCount != results[1].Entities {
		t.Fatalf("index %+v", idx)
	}
}

// Two runs racing on one source into one store: exactly one moves latest.
func TestRacingRunsMoveLatestOnce(t *testing.T) {
	st := newStore(t)
	dirs := []string{filepath.Join(testdata, "us_ofac_cons", "2020-03-17"), filepath.Join(testdata, "us_ofac_cons", "2023-03-08")}
	var wg sync.WaitGroup
	results := make([]pipeline.Result, len(dirs))
	for i, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runFrom(t, st, clockFrom(time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC)), "us_ofac_cons", dir)
		}()
	}
	wg.Wait()
	wins := 0
	for _, r := range results {
		switch {
		case r.Outcome == pipeline.Published:
			wins++
		case r.Err == nil:
			t.Fatalf("a run neither published nor failed: %+v", r)
		}
	}
	if wins == 0 {
		t.Fatalf("no run published: %v / %v", results[0].Err, results[1].Err)
	}
	// When both published, the second saw the first: its previous version
	// is the first's, and versions.json lists both.
	latest := latestVersion(t, st, "us_ofac_cons")
	vs := versionsOf(t, st, "us_ofac_cons")
	if vs[0].Version != latest || len(vs) != wins {
		t.Fatalf("latest %s, versions %+v, %d runs published", latest, vs, wins)
	}
	if wins == 2 {
		m := manifest(t, st, "us_ofac_cons", latest)
		if m.PreviousVersion == nil || *m.PreviousVersion != vs[1].Version {
			t.Fatalf("second publication did not diff against the first: %+v", m.PreviousVersion)
		}
	} else {
		for _, r := range results {
			if r.Outcome == pipeline.Failed && !errors.Is(r.Err, pipeline.ErrConcurrent) {
				t.Fatalf("loser failed with %v, want ErrConcurrent", r.Err)
			}
		}
	}
}

func applyDelta(t *testing.T, lines []string, delta io.Reader) []string {
	t.Helper()
	zr, err := gzip.NewReader(delta)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = diff.Apply(diff.NewLineReader(strings.NewReader(strings.Join(lines, "\n")+"\n")), zr, func(line []byte) error {
		out = append(out, string(line))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A publication that keeps de-listed records (SECO's list) publishes only
// those in force and counts the rest in the manifest (DESIGN.md, Snapshot
// membership). The excerpt's three de-listed targets, 5142, 5816 and 5374
// (testdata/ch_seco/README.md), are neither entities nor in the delta.
func TestDelistedCounted(t *testing.T) {
	st := newStore(t)
	res := runFrom(t, st, newClock(), "ch_seco", filepath.Join(testdata, "ch_seco", "excerpt-2026-08-15"))
	if res.Outcome != pipeline.Published || res.Err != nil {
		t.Fatalf("%s %v", res.Outcome, res.Err)
	}
	m := manifest(t, st, "ch_seco", res.Version)
	if m.EntityCount != 4 || m.Delisted != 3 {
		t.Errorf("entity_count %d, delisted %d; want 4 and 3", m.EntityCount, m.Delisted)
	}
	for _, line := range entityLines(t, st, "ch_seco", res.Version) {
		for _, id := range []string{"ch_seco-5142", "ch_seco-5816", "ch_seco-5374"} {
			if strings.Contains(line, `"id":"`+id+`"`) {
				t.Errorf("de-listed %s published", id)
			}
		}
	}
}

// The drop guard per constituent list (trade.gov's CSL) refuses a list
// that loses more than the allowed share, but lets a small list lose its
// last one or two parties (fewer than pipeline.MinListDrop): the real
// 2023-11-30 CSL rows (derived JSON, testdata/us_trade_csl/README.md),
// then the same without some lists' rows.
func TestGuardPerListMinimum(t *testing.T) {
	data := readGz(t, filepath.Join(testdata, "us_trade_csl", "derived-2023-11-30-json", "consolidated.json.gz"))
	tests := []struct {
		drop      []string // list codes whose rows go
		published bool
	}{
		{[]string{"(FSE)", "(CAP)"}, true},           // 1 row each: ordinary delistings
		{[]string{"(NS-MBS List)"}, false},           // 14 of 14: 100%
		{[]string{"(FSE)", "(CAP)", "(MEU)"}, false}, // 71 of 71
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.drop, "+"), func(t *testing.T) {
			st := newStore(t)
			c := newClock()
			first := runFrom(t, st, c, "us_trade_csl", writeFiles(t, publication{"consolidated.json": data}))
			if first.Outcome != pipeline.Published {
				t.Fatalf("first: %s %v", first.Outcome, first.Err)
			}
			less, n := withoutCSLRows(t, data, tc.drop)
			res := runFrom(t, st, c, "us_trade_csl", writeFiles(t, publication{"consolidated.json": less}))
			if got := res.Outcome == pipeline.Published; got != tc.published {
				t.Fatalf("without %v (%d rows): %s %v, want published %v", tc.drop, n, res.Outcome, res.Err, tc.published)
			}
			if tc.published && res.Delta.Removed != n {
				t.Errorf("removed %d, want %d", res.Delta.Removed, n)
			}
			if !tc.published && !strings.Contains(fmt.Sprint(res.Err), "guard: list ") {
				t.Errorf("refusal %v does not name the list", res.Err)
			}
		})
	}
}

// A publication in a format that prints no list memberships (OFAC's
// legacy XML) after one that does (the advanced XML of the same
// 2020-03-17 publication) is not every list falling to zero: the per-list
// guard needs counts on both sides. The total still guards, and the
// manifest says the list guard was not applied.
func TestGuardPerListNeedsListsOnBothSides(t *testing.T) {
	dir := filepath.Join(testdata, "us_ofac_cons", "2020-03-17")
	st := newStore(t)
	c := newClock()
	first := runFrom(t, st, c, "us_ofac_cons", writeFiles(t, publication{"CONS_ADVANCED.XML": readGz(t, filepath.Join(dir, "cons_advanced.xml.gz"))}))
	if first.Outcome != pipeline.Published {
		t.Fatalf("advanced: %s %v", first.Outcome, first.Err)
	}
	if m := manifest(t, st, "us_ofac_cons", first.Version); len(m.CountsByList) == 0 {
		t.Fatal("the advanced XML gave no counts by list: the test tests nothing")
	}
	res := runFrom(t, st, c, "us_ofac_cons", writeFiles(t, publication{"CONSOLIDATED.XML": readGz(t, filepath.Join(dir, "consolidated.xml.gz"))}))
	if res.Outcome != pipeline.Published {
		t.Fatalf("legacy after advanced: %s %v, want published", res.Outcome, res.Err)
	}
	if res.Delta.Added != 0 || res.Delta.Removed != 0 {
		t.Errorf("delta %+v: the same publication in another format adds or removes nothing", res.Delta)
	}
	m := manifest(t, st, "us_ofac_cons", res.Version)
	if !slices.ContainsFunc(m.Issues, func(is sources.Issue) bool { return strings.Contains(is.Problem, "per-list guard not applied") }) {
		t.Errorf("no issue says the per-list guard was not applied: %v", m.Issues)
	}
	// The listings and address parts the legacy XML lacks are changes of
	// the format, not the publisher's: the manifest and report say so.
	if !slices.ContainsFunc(m.Issues, func(is sources.Issue) bool {
		return strings.Contains(is.Problem, "read from CONSOLIDATED.XML, the previous version from CONS_ADVANCED.XML")
	}) {
		t.Errorf("no issue says the format changed: %v", m.Issues)
	}
}

// withoutCSLRows drops the results of the derived CSL JSON (one per line)
// whose source names one of lists, and fixes the declared total.
func withoutCSLRows(t *testing.T, data []byte, lists []string) ([]byte, int) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var kept []string
	dropped := 0
	for _, l := range lines[1 : len(lines)-1] {
		l = strings.TrimSuffix(l, ",")
		var row struct{ Source string }
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("derived JSON line %q: %v", l, err)
		}
		if slices.ContainsFunc(lists, func(code string) bool { return strings.Contains(row.Source, code) }) {
			dropped++
			continue
		}
		kept = append(kept, l)
	}
	if dropped == 0 {
		t.Fatalf("no rows of %v", lists)
	}
	head := fmt.Sprintf(`{"total": %d, "results": [`, len(kept))
	return []byte(head + "\n" + strings.Join(kept, ",\n") + "\n]}\n"), dropped
}

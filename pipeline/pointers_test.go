package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// holdStore holds the first Put whose key matches until release is closed,
// after closing reached: a deterministic pause at one step of a run.
type holdStore struct {
	sink.Store
	match   func(key string) bool
	once    sync.Once
	reached chan struct{}
	release chan struct{}
}

func newHoldStore(st sink.Store, match func(string) bool) *holdStore {
	return &holdStore{Store: st, match: match, reached: make(chan struct{}), release: make(chan struct{})}
}

func (h *holdStore) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	if h.match(key) {
		held := false
		h.once.Do(func() { held = true })
		if held {
			close(h.reached)
			<-h.release
		}
	}
	return h.Store.Put(ctx, key, body, opts)
}

// checkChain asserts the pointer invariants a consumer relies on
// (pipeline.CheckSource), and that the chain ends at a first version: no
// retention runs in these tests.
func checkChain(t *testing.T, st sink.Store, src string) []pipeline.VersionEntry {
	t.Helper()
	vs, err := pipeline.CheckSource(context.Background(), st, src)
	if err != nil {
		t.Fatal(err)
	}
	if latest := latestVersion(t, st, src); vs[0].Version != latest {
		t.Fatalf("versions.json starts at %s, latest is %s", vs[0].Version, latest)
	}
	if last := vs[len(vs)-1]; last.PreviousVersion != nil {
		t.Fatalf("versions.json ends at %s, whose previous version %s is missing from it", last.Version, *last.PreviousVersion)
	}
	return vs
}

// The first publication of a source, raced by two runs without a lease:
// the one whose latest.json write is held loses. The winner's entry must
// stay in versions.json and gc must keep its version (the old code deleted
// versions.json, and gc then removed the version latest named).
func TestFirstPublicationRaceKeepsVersions(t *testing.T) {
	base := newStore(t)
	src := "us_ofac_cons"
	held := newHoldStore(base, func(key string) bool { return key == layout.Latest(src) })
	dirA := filepath.Join(testdata, src, "2023-03-08")
	dirB := filepath.Join(testdata, src, "2020-03-17")

	var resA pipeline.Result
	done := make(chan struct{})
	go func() {
		defer close(done)
		cfg := config(held, fetch.NewDir(dirA, fetch.DefaultMaxBytes, t.TempDir()), clockFrom(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
		resA = pipeline.Run(context.Background(), cfg, source(t, src))
	}()
	<-held.reached // A wrote its folder and is about to move latest.json
	resB := runFrom(t, base, clockFrom(time.Date(2026, 1, 1, 0, 5, 0, 0, time.UTC)), src, dirB)
	if resB.Outcome != pipeline.Published {
		t.Fatalf("B: %s %v", resB.Outcome, resB.Err)
	}
	close(held.release)
	<-done
	if resA.Outcome != pipeline.Failed || !errors.Is(resA.Err, pipeline.ErrConcurrent) {
		t.Fatalf("A: %s %v, want failed with ErrConcurrent", resA.Outcome, resA.Err)
	}
	vs := checkChain(t, base, src)
	if len(vs) != 1 || vs[0].Version != resB.Version {
		t.Fatalf("versions.json %+v, want only B's %s", vs, resB.Version)
	}
	removed, err := pipeline.GC(context.Background(), pipeline.GCConfig{Store: base, Sources: []string{src}, Now: func() time.Time { return time.Now().AddDate(1, 0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0].Version == resB.Version {
		t.Fatalf("gc removed %+v, want only A's orphan", removed)
	}
	checkChain(t, base, src)
	// The next run diffs against B and publishes.
	if r := runFrom(t, base, clockFrom(time.Date(2026, 1, 1, 0, 9, 0, 0, time.UTC)), src, dirA); r.Outcome != pipeline.Published || r.PreviousVersion != resB.Version {
		t.Fatalf("next run: %s after %s (%v), want published after %s", r.Outcome, r.PreviousVersion, r.Err, resB.Version)
	}
	checkChain(t, base, src)
}

// versions.json may list what never became latest (a run killed between
// its versions.json and latest.json writes, under the old order) or lack
// what did (a run killed after moving latest.json): the next run repairs
// both, and gc then removes the never-latest folder.
func TestRunRepairsVersions(t *testing.T) {
	src := "us_ofac_cons"
	dirs := []string{filepath.Join(testdata, src, "2020-03-17"), filepath.Join(testdata, src, "2023-03-08")}
	ctx := context.Background()

	t.Run("never latest listed", func(t *testing.T) {
		st, c := newStore(t), newClock()
		for _, d := range dirs {
			if r := runFrom(t, st, c, src, d); r.Outcome != pipeline.Published {
				t.Fatalf("%s %v", r.Outcome, r.Err)
			}
		}
		// What a killed run left: a complete folder and a versions.json
		// entry, but latest.json never moved.
		ghost := "20300101T000000Z"
		prev := latestVersion(t, st, src)
		m := manifest(t, st, src, prev)
		m.Version, m.PreviousVersion = ghost, &prev
		b, _ := json.Marshal(m)
		if _, err := st.Put(ctx, layout.Object(src, ghost, layout.ManifestName), strings.NewReader(string(b)), sink.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		vs := versionsOf(t, st, src)
		vs = append([]pipeline.VersionEntry{{Version: ghost, PreviousVersion: &prev}}, vs...)
		info, _ := st.Stat(ctx, layout.Versions(src))
		b, _ = json.Marshal(vs)
		if _, err := st.Put(ctx, layout.Versions(src), strings.NewReader(string(b)), sink.PutOptions{IfMatch: info.ETag}); err != nil {
			t.Fatal(err)
		}
		if _, err := pipeline.CheckSource(ctx, st, src); err == nil || !strings.Contains(err.Error(), "never became latest") {
			t.Fatalf("CheckSource on a never-latest entry: %v, want it named", err)
		}
		// An unchanged check is enough to repair it.
		if r := runFrom(t, st, c, src, dirs[1]); r.Outcome != pipeline.Unchanged {
			t.Fatalf("%s %v", r.Outcome, r.Err)
		}
		if vs := checkChain(t, st, src); len(vs) != 2 {
			t.Fatalf("versions.json %+v, want the 2 published", vs)
		}
		removed, err := pipeline.GC(ctx, pipeline.GCConfig{Store: st, Sources: []string{src}, Now: func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) }})
		if err != nil || len(removed) != 1 || removed[0].Version != ghost {
			t.Fatalf("gc removed %+v (%v), want the never-latest %s", removed, err, ghost)
		}
	})

	t.Run("latest not listed", func(t *testing.T) {
		st, c := newStore(t), newClock()
		if r := runFrom(t, st, c, src, dirs[0]); r.Outcome != pipeline.Published {
			t.Fatalf("%s %v", r.Outcome, r.Err)
		}
		// The second run dies right after latest.json moved.
		cfg := config(st, fetch.NewDir(dirs[1], fetch.DefaultMaxBytes, t.TempDir()), c)
		cfg.Fault = func(point string) {
			if point == pipeline.FaultLatestMoved {
				panic("killed after latest.json moved")
			}
		}
		r := pipeline.Run(ctx, cfg, source(t, src))
		if r.Outcome != pipeline.Failed {
			t.Fatalf("%s %v, want the simulated crash", r.Outcome, r.Err)
		}
		latest := latestVersion(t, st, src)
		if vs := versionsOf(t, st, src); vs[0].Version == latest {
			t.Fatal("the crash left versions.json complete: the test does not test the repair")
		}
		if _, err := pipeline.CheckSource(ctx, st, src); err != nil {
			t.Fatalf("CheckSource on a versions.json one behind latest: %v, want it accepted", err)
		}
		// gc, before any run repaired it, keeps the version latest names
		// and the one it follows.
		if removed, err := pipeline.GC(ctx, pipeline.GCConfig{Store: st, Sources: []string{src}, Now: func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) }}); err != nil || len(removed) != 0 {
			t.Fatalf("gc removed %+v (%v), want nothing", removed, err)
		}
		if r := runFrom(t, st, c, src, dirs[1]); r.Outcome != pipeline.Unchanged {
			t.Fatalf("%s %v", r.Outcome, r.Err)
		}
		if vs := checkChain(t, st, src); len(vs) != 2 {
			t.Fatalf("versions.json %+v, want both versions", vs)
		}
	})
}

// gc during a publication: with a lease held it leaves the source alone;
// it refuses a grace shorter than the minimum; and a folder that lost an
// object before latest.json moved is never published.
func TestGCAndARunInProgress(t *testing.T) {
	src := "us_ofac_cons"
	dirs := []string{filepath.Join(testdata, src, "2020-03-17"), filepath.Join(testdata, src, "2023-03-08")}
	ctx := context.Background()
	future := func() time.Time { return time.Now().Add(48 * time.Hour) }

	if _, err := pipeline.GC(ctx, pipeline.GCConfig{Store: newStore(t), Sources: []string{src}, Grace: 500 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), "safe minimum") {
		t.Fatalf("gc with a 500ms grace: %v, want refused", err)
	}

	t.Run("lease held", func(t *testing.T) {
		base := newStore(t)
		held := newHoldStore(base, func(key string) bool { return strings.HasSuffix(key, "/"+layout.ManifestName) })
		cfg := config(held, fetch.NewDir(dirs[0], fetch.DefaultMaxBytes, t.TempDir()), nil)
		cfg.LeaseTTL, cfg.Holder = time.Minute, "test/1"
		var res pipeline.Result
		done := make(chan struct{})
		go func() { defer close(done); res = pipeline.Run(ctx, cfg, source(t, src)) }()
		<-held.reached
		removed, err := pipeline.GC(ctx, pipeline.GCConfig{Store: base, Sources: []string{src}, Now: future})
		close(held.release)
		<-done
		if err != nil || len(removed) != 0 {
			t.Fatalf("gc during a leased run removed %+v (%v)", removed, err)
		}
		if res.Outcome != pipeline.Published {
			t.Fatalf("%s %v", res.Outcome, res.Err)
		}
		checkChain(t, base, src)
		if r := runFrom(t, base, nil, src, dirs[1]); r.Outcome != pipeline.Published {
			t.Fatalf("next run: %s %v", r.Outcome, r.Err)
		}
	})

	t.Run("object lost before latest", func(t *testing.T) {
		base := newStore(t)
		c := newClock()
		if r := runFrom(t, base, c, src, dirs[0]); r.Outcome != pipeline.Published {
			t.Fatalf("%s %v", r.Outcome, r.Err)
		}
		before := latestVersion(t, base, src)
		held := newHoldStore(base, func(key string) bool { return strings.HasSuffix(key, "/"+layout.ManifestName) })
		var res pipeline.Result
		done := make(chan struct{})
		go func() {
			defer close(done)
			res = pipeline.Run(ctx, config(held, fetch.NewDir(dirs[1], fetch.DefaultMaxBytes, t.TempDir()), c), source(t, src))
		}()
		<-held.reached
		var version string
		base.List(ctx, src+"/", func(i sink.Info) error {
			if strings.HasSuffix(i.Key, "/"+layout.EntitiesName) && !strings.Contains(i.Key, before) {
				version = strings.Split(i.Key, "/")[1]
			}
			return nil
		})
		if err := base.Delete(ctx, layout.Object(src, version, layout.EntitiesName)); err != nil {
			t.Fatal(err)
		}
		close(held.release)
		<-done
		if res.Outcome != pipeline.Failed || !strings.Contains(res.Err.Error(), "lacks") {
			t.Fatalf("%s %v, want failed: the folder lacks its entities", res.Outcome, res.Err)
		}
		if got := latestVersion(t, base, src); got != before {
			t.Fatalf("latest %s, want %s kept", got, before)
		}
		if r := runFrom(t, base, c, src, dirs[1]); r.Outcome != pipeline.Published {
			t.Fatalf("next run: %s %v", r.Outcome, r.Err)
		}
		checkChain(t, base, src)
	})
}

// failLeaseStore fails every lease write once latest.json has moved: the
// run published, and must say so although its lease stays behind.
type failLeaseStore struct {
	sink.Store
	src   string
	moved bool
	mu    sync.Mutex
}

func (f *failLeaseStore) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	f.mu.Lock()
	moved := f.moved
	f.mu.Unlock()
	if moved && key == layout.Lease(f.src) {
		return "", errors.New("injected: store refuses the lease write")
	}
	etag, err := f.Store.Put(ctx, key, body, opts)
	if err == nil && key == layout.Latest(f.src) {
		f.mu.Lock()
		f.moved = true
		f.mu.Unlock()
	}
	return etag, err
}

func TestOutcomeOfAPublishedRunWhoseLeaseReleaseFails(t *testing.T) {
	src := "us_ofac_cons"
	st := &failLeaseStore{Store: newStore(t), src: src}
	cfg := config(st, fetch.NewDir(filepath.Join(testdata, src, "2020-03-17"), fetch.DefaultMaxBytes, t.TempDir()), nil)
	cfg.LeaseTTL, cfg.Holder = time.Minute, "test/1"
	res := pipeline.Run(context.Background(), cfg, source(t, src))
	if res.Outcome != pipeline.Published || res.Err != nil {
		t.Fatalf("%s %v, want published", res.Outcome, res.Err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "lease not released") {
		t.Fatalf("warnings %q, want the lease release named", res.Warnings)
	}
	var state pipeline.State
	readJSONFile(t, st, layout.State(src), &state)
	if state.Outcome != pipeline.Published || state.LatestVersion != res.Version {
		t.Fatalf("state.json %+v, want published %s", state, res.Version)
	}
}

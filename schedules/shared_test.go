package schedules_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/schedules"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/lease"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
)

// Two schedulers, each with its own client of one store, on the same
// specs: no source ever runs in both at once, and every due tick is run
// by exactly one of them.
func TestTwoSchedulersShareALocalStore(t *testing.T) {
	dir := t.TempDir()
	testTwoSchedulers(t, func() sink.Store {
		st, err := local.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		return st
	})
}

func TestTwoSchedulersShareAnS3Store(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	testTwoSchedulers(t, func() sink.Store { return srv.NewStore(t, bucket, "lists", nil) })
}

func testTwoSchedulers(t *testing.T, newStore func() sink.Store) {
	pub := newPublisher(t)
	unDates := []string{"2018-06-07", "2018-06-21", "2018-08-24"}
	consDates := []string{"2020-03-17", "2023-03-08"}
	pub.set(unPath, realFile(t, "un_sc/"+unDates[0]+"/consolidated.xml.gz"))
	pub.set(consPath, realFile(t, "us_ofac_cons/"+consDates[0]+"/consolidated.xml.gz"))

	const spec = "*/2 * * * * *"
	var scheds []*running
	for _, name := range []string{"scheduler-a", "scheduler-b"} {
		st := newStore()
		scheds = append(scheds, start(t, schedules.Config{Jobs: []schedules.Job{
			job(t, st, pub, unSource(pub), spec, name),
			job(t, st, pub, consSource(pub), spec, name),
		}}))
	}
	// Each publication is served for at least two due ticks (4s), and
	// until one of the schedulers has published it: how long a run takes
	// (the race detector, a loaded machine) decides only how long the test
	// runs, never whether a publication can be missed. A publication that
	// is never published fails the wait.
	reader := newStore()
	published := func(served int) {
		time.Sleep(4 * time.Second)
		for source, want := range map[string]int{"un_sc": served, "us_ofac_cons": min(served, len(consDates))} {
			waitFor(t, 3*time.Minute, fmt.Sprintf("%s to publish its version %d", source, want), func() bool {
				var versions []pipeline.VersionEntry
				readJSON(t, reader, layout.Versions(source), &versions)
				return len(versions) >= want
			})
		}
	}
	for i := 1; i < len(unDates); i++ {
		published(i)
		pub.set(unPath, realFile(t, "un_sc/"+unDates[i]+"/consolidated.xml.gz"))
		if i < len(consDates) {
			pub.set(consPath, realFile(t, "us_ofac_cons/"+consDates[i]+"/consolidated.xml.gz"))
		}
	}
	published(len(unDates))
	// Two more due ticks, which must find nothing new to publish.
	time.Sleep(4 * time.Second)
	for _, s := range scheds {
		if _, err := s.stop(t, 20*time.Second); err != nil {
			t.Fatal(err)
		}
	}

	st := newStore()
	for source, published := range map[string]int{"un_sc": len(unDates), "us_ofac_cons": len(consDates)} {
		path := unPath
		if source == "us_ofac_cons" {
			path = consPath
		}
		// Every run holds the lease around its fetch: two fetches of one
		// source at once would mean two runs at once.
		if _, maxIn := pub.stats(path); maxIn != 1 {
			t.Errorf("%s: %d requests at once, want 1", source, maxIn)
		}
		type ran struct {
			by      string
			outcome pipeline.Outcome
			err     string
		}
		byDue := map[time.Time][]ran{}
		for i, s := range scheds {
			for _, r := range s.Status().Sources {
				if r.Source != source {
					continue
				}
				if len(r.RecentRuns) >= 50 {
					t.Fatalf("%s: the run history was cut; the test ran too long", source)
				}
				for _, run := range r.RecentRuns {
					if run.Due == nil {
						t.Fatalf("%s: run %s has no due time", source, run.RunID)
					}
					if run.Outcome == pipeline.Failed {
						t.Errorf("%s: run %s by scheduler %d failed: %s", source, run.RunID, i, run.Error)
					}
					byDue[*run.Due] = append(byDue[*run.Due], ran{[]string{"a", "b"}[i], run.Outcome, run.Error})
				}
			}
		}
		var dues []time.Time
		for d := range byDue {
			dues = append(dues, d)
		}
		sort.Slice(dues, func(i, j int) bool { return dues[i].Before(dues[j]) })
		if len(dues) < 5 {
			t.Fatalf("%s: only %d due ticks seen", source, len(dues))
		}
		var once int
		for _, d := range dues {
			var did []ran
			for _, r := range byDue[d] {
				if r.outcome != pipeline.Skipped {
					did = append(did, r)
				}
			}
			switch len(did) {
			case 1:
				once++
			case 0:
				// Allowed only as a single scheduler allows it: the tick
				// came while a run for an earlier tick was still going
				// (a slow publication on a loaded machine).
				for _, r := range byDue[d] {
					if !strings.Contains(r.err, lease.ErrHeld.Error()) {
						t.Errorf("%s: tick %s not run, and not because a run was going: %+v", source, d.Format(time.TimeOnly), byDue[d])
					}
				}
			default:
				t.Errorf("%s: tick %s run %d times: %+v", source, d.Format(time.TimeOnly), len(did), byDue[d])
			}
		}
		if once == 0 {
			t.Errorf("%s: none of %d due ticks ran", source, len(dues))
		}
		var versions []pipeline.VersionEntry
		readJSON(t, st, layout.Versions(source), &versions)
		if len(versions) != published {
			t.Errorf("%s: %d versions, want one per publication served (%d)", source, len(versions), published)
		}
		checkConsistent(t, st, source)
		t.Logf("%s: %d due ticks, %d run once, none twice; %d versions", source, len(dues), once, len(versions))
	}
	// The lease objects end released, naming the last holder.
	for _, source := range []string{"un_sc", "us_ofac_cons"} {
		rc, _, err := st.Get(context.Background(), layout.Lease(source))
		if err != nil {
			t.Fatalf("%s: lease object: %v", source, err)
		}
		rc.Close()
	}
}

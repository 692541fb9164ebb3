package extsort

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

type rec struct {
	key, value string
	seq        uint64
}

// The sorter gives what a stable in-memory sort gives, whether everything
// fits the budget or the input spills into many runs, with repeated keys
// kept in arrival order; the run files are gone after Close.
func TestSortMatchesStableSort(t *testing.T) {
	for _, tc := range []struct {
		n, budget int
		wantRuns  bool
	}{
		{n: 0, budget: 0},
		{n: 1, budget: 0},
		{n: 5000, budget: 0},
		{n: 5000, budget: 4 << 10, wantRuns: true},
		{n: 5000, budget: 1, wantRuns: true}, // one record per run
	} {
		t.Run(fmt.Sprintf("n=%d/budget=%d", tc.n, tc.budget), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.n)))
			var in []rec
			for i := range tc.n {
				// Few distinct keys, so that many repeat.
				k := fmt.Sprintf("id-%d", rng.IntN(max(1, tc.n/3)))
				in = append(in, rec{k, fmt.Sprintf("value %d %s", i, bytes.Repeat([]byte("x"), rng.IntN(200))), uint64(i)})
			}
			dir := t.TempDir()
			s := New(dir, tc.budget)
			for _, r := range in {
				if err := s.Add([]byte(r.key), []byte(r.value), r.seq); err != nil {
					t.Fatal(err)
				}
			}
			if got := s.Runs() > 0; got != tc.wantRuns {
				t.Fatalf("spilled %d runs, want runs: %v", s.Runs(), tc.wantRuns)
			}
			// Past maxFanIn runs the oldest are merged: open files stay bounded.
			if s.Runs() > maxFanIn {
				t.Fatalf("%d runs kept, more than the fan-in of %d", s.Runs(), maxFanIn)
			}
			it, err := s.Sort()
			if err != nil {
				t.Fatal(err)
			}
			var got []rec
			for it.Next() {
				got = append(got, rec{string(it.Key()), string(it.Value()), it.Seq()})
			}
			if err := it.Err(); err != nil {
				t.Fatal(err)
			}
			if err := it.Close(); err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(in)
			slices.SortStableFunc(want, func(a, b rec) int { return cmp.Compare(a.key, b.key) })
			if !slices.Equal(got, want) {
				t.Fatalf("got %d records, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Fatalf("%d run files left after Close", len(left))
			}
		})
	}
}

func firstDiff(a, b []rec) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A run file that lost its end is an error naming it, not a short result.
func TestTruncatedRunIsAnError(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 1)
	for i := range 3 {
		if err := s.Add([]byte{byte('a' + i)}, []byte("some value"), uint64(i)); err != nil {
			t.Fatal(err)
		}
	}
	name := s.runs[0]
	if err := os.Truncate(name, 5); err != nil {
		t.Fatal(err)
	}
	it, err := s.Sort()
	// Sort returns its iterator with the error too: Close removes the runs.
	defer func() { it.Close() }()
	if err == nil {
		for it.Next() {
		}
		err = it.Err()
	}
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte(name)) {
		t.Fatalf("err = %v, want an error naming %s", err, name)
	}
}

// TestEach walks the records in order, in memory and from spilled runs,
// stops at fn's first error, and leaves no run file either way.
func TestEach(t *testing.T) {
	for _, budget := range []int{1 << 20, 64} { // in memory; a run every few records
		dir := t.TempDir()
		s := New(dir, budget)
		for i, k := range []string{"c", "a", "b", "a"} {
			if err := s.Add([]byte(k), []byte{byte('0' + i)}, uint64(i)); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		if err := s.Each(func(k, v []byte) error { got = append(got, string(k)+string(v)); return nil }); err != nil {
			t.Fatal(err)
		}
		if want := "a1 a3 b2 c0"; strings.Join(got, " ") != want {
			t.Errorf("budget %d: %v, want %s", budget, got, want)
		}
		stop := errors.New("stop")
		s = New(dir, budget)
		for i := range 10 {
			s.Add([]byte{byte('a' + i)}, nil, uint64(i))
		}
		n := 0
		if err := s.Each(func(k, v []byte) error { n++; return stop }); err != stop || n != 1 {
			t.Errorf("budget %d: Each returned %v after %d records, want fn's error after 1", budget, err, n)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("budget %d: %d files left in the sort's folder", budget, len(left))
		}
	}
}

package spill

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
)

// Every value comes back under its key, in the order put, whatever the
// interleaving with other keys; keys never put give nothing; Close removes
// the file.
func TestGetReturnsEachKeysValuesInOrder(t *testing.T) {
	dir := t.TempDir()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Key][]string{}
	for i := range 3000 {
		k := Key{Table: uint8(i % 3), ID: uint64(i % 97)}
		v := fmt.Sprintf("value %d %s", i, string(make([]byte, i%300)))
		if i%500 == 0 {
			v = "" // empty values are values too
		}
		if err := s.Put(k, []byte(v)); err != nil {
			t.Fatal(err)
		}
		want[k] = append(want[k], v)
		if i%700 == 0 { // reads between writes see everything put so far
			checkKey(t, s, k, want[k])
		}
	}
	if s.Keys() != len(want) {
		t.Errorf("Keys() = %d, want %d", s.Keys(), len(want))
	}
	for k, vs := range want {
		checkKey(t, s, k, vs)
	}
	if s.Has(Key{Table: 9, ID: 1}) {
		t.Error("Has reports a key never put")
	}
	checkKey(t, s, Key{Table: 9, ID: 1}, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("files left after Close: %v", left)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}

func checkKey(t *testing.T, s *Store, k Key, want []string) {
	t.Helper()
	var got []string
	if err := s.Get(k, func(v []byte) error { got = append(got, string(v)); return nil }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("key %v: got %d values, want %d (first got %.20q)", k, len(got), len(want), got)
	}
}

func TestIDsListsOneTableAscending(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, k := range []Key{{1, 30}, {2, 5}, {1, 7}, {1, 30}, {1, 12}} {
		if err := s.Put(k, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := s.IDs(1), []uint64{7, 12, 30}; !slices.Equal(got, want) {
		t.Errorf("IDs(1) = %v, want %v", got, want)
	}
	if got := s.IDs(3); len(got) != 0 {
		t.Errorf("IDs(3) = %v, want none", got)
	}
}

// The index costs at most 30 bytes of live heap a key, 89,600 keys over 7
// tables (a 100 MB OFAC advanced XML has 89,532): one map keyed by Key
// took 38.5 bytes a key, a map of ids per table takes 23.
func TestIndexBytesPerKey(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const tables, perTable = 7, 12_800
	live := func() uint64 {
		runtime.GC()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	before := live()
	for id := range uint64(perTable) {
		for table := range uint8(tables) {
			if err := s.Put(Key{Table: table + 1, ID: 1000 + id*7}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	perKey := float64(live()-before) / (tables * perTable)
	t.Logf("%.1f bytes of live heap a key", perKey)
	if perKey > 30 {
		t.Errorf("%.1f bytes of live heap a key, want at most 30", perKey)
	}
	runtime.KeepAlive(s)
}

package local

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sink.Store {
		s, err := New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNoTempFilesLeft(t *testing.T) {
	dir := t.TempDir()
	storetest.Run(t, func(t *testing.T) sink.Store { return newIn(t, filepath.Join(dir, t.Name())) })
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Dir(p) != filepath.Join(dir, ".locks") && d.Name()[0] == '.' {
			t.Errorf("temp file left behind: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImmutableObjectsAreReadOnly(t *testing.T) {
	dir := t.TempDir()
	storetest.Run(t, func(t *testing.T) sink.Store { return newIn(t, filepath.Join(dir, t.Name())) })
	fi, err := os.Stat(filepath.Join(dir, "TestImmutableObjectsAreReadOnly", "CreateRefusesOverwrite", "src", "v1", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o222 != 0 {
		t.Fatalf("version object mode %v is writable", fi.Mode())
	}
}

func newIn(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRejectsEscapingKeys(t *testing.T) {
	s, _ := New(t.TempDir())
	for _, key := range []string{"../x", "/etc/passwd", "a/../../x", "a/.hidden", ""} {
		if _, err := s.filename(key); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
}

func TestDeleteDropsEmptyFolders(t *testing.T) {
	dir := t.TempDir()
	s := newIn(t, dir)
	ctx := context.Background()
	for _, k := range []string{"src/v1/raw/SDN.CSV", "src/v1/manifest.json", "src/latest.json"} {
		if _, err := s.Put(ctx, k, strings.NewReader(k), sink.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"src/v1/raw/SDN.CSV", "src/v1/manifest.json"} {
		if err := s.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "src", "v1")); !os.IsNotExist(err) {
		t.Fatalf("empty version folder left: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "src", "latest.json")); err != nil {
		t.Fatal(err)
	}
	s.Delete(ctx, "src/latest.json")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the root went too: %v", err)
	}
}

// Pointers (written by compare-and-swap or overwrite) are as readable as
// version objects: a reader running as another user follows latest.json.
func TestEveryObjectIsReadOnlyForAll(t *testing.T) {
	ctx := context.Background()
	s := newIn(t, t.TempDir())
	etag, err := s.Put(ctx, "src/latest.json", strings.NewReader("1"), sink.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  string
		opts sink.PutOptions
	}{
		{"create", "src/v1/manifest.json", sink.PutOptions{}},
		{"compare-and-swap", "src/latest.json", sink.PutOptions{IfMatch: etag}},
		{"overwrite", "src/state.json", sink.PutOptions{Overwrite: true}},
		{"overwrite existing", "src/state.json", sink.PutOptions{Overwrite: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.Put(ctx, tc.key, strings.NewReader(tc.name), tc.opts); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(filepath.Join(s.Location(), filepath.FromSlash(tc.key)))
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != 0o444 {
				t.Fatalf("%s has mode %v, want -r--r--r--", tc.key, got)
			}
		})
	}
}

// TestHelperProcess is not a test: run as `TEST -test.run=^TestHelperProcess$
// -- put ROOT KEY...` it starts a Put of every KEY into the store at ROOT
// whose body never ends, and waits to be killed.
func TestHelperProcess(t *testing.T) {
	args := flag.Args() // after "--"
	if len(args) < 3 || args[0] != "put" {
		return
	}
	s, err := New(args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, key := range args[2:] {
		go s.Put(context.Background(), key, &endlessBody{}, sink.PutOptions{})
	}
	time.Sleep(time.Hour)
	os.Exit(3)
}

// endlessBody gives some bytes, then blocks: a slow upload in progress.
type endlessBody struct{ sent bool }

func (b *endlessBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, "the first bytes of a large file"), nil
	}
	time.Sleep(time.Hour)
	return 0, io.EOF
}

func (b *endlessBody) Seek(int64, int) (int64, error) { b.sent = false; return 0, nil }

// tempFiles lists the temp files under root, outside .locks.
func tempFiles(t *testing.T, root string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".locks" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.Contains(d.Name(), tempInfix) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// A Put killed mid-body leaves a temp file. gc's delete of the folder's
// objects then removes the folder too, and a sweep removes the temp files
// of folders no object names any more (List does not show them); neither
// touches a Put still running.
func TestKilledPutLeavesNothingAfterDeleteAndSweep(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	s := newIn(t, root)
	for _, k := range []string{"src/v1/report.md", "src/v1/raw/SDN.CSV", "src/v2/report.md", "src/latest.json"} {
		if _, err := s.Put(ctx, k, strings.NewReader(k), sink.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// v1's temp file sits beside its report; v2's alone in raw/.
	killed := []string{"src/v1/entities.jsonl.gz", "src/v2/raw/SDN.CSV", "other/v1/manifest.json"}
	child := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "--", "put", root, killed[0], killed[1], killed[2])
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	// A temp file with bytes in it is locked: writeTemp locks before
	// copying the body.
	deadline := time.Now().Add(20 * time.Second)
	for {
		written := 0
		for _, p := range tempFiles(t, root) {
			if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
				written++
			}
		}
		if written == len(killed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the helper's Puts did not start: %v", tempFiles(t, root))
		}
		time.Sleep(10 * time.Millisecond)
	}

	// While the writer runs, nothing of it goes.
	if swept, err := s.Sweep(ctx, ""); err != nil || swept != (sink.Swept{}) {
		t.Fatalf("sweep with the writer alive: %+v, %v", swept, err)
	}
	if err := s.Delete(ctx, "src/v1/report.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "src", "v1")); err != nil {
		t.Fatalf("the folder a live Put writes into went: %v", err)
	}
	if got := tempFiles(t, root); len(got) != len(killed) {
		t.Fatalf("temp files with the writer alive: %v", got)
	}

	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()

	// gc deletes the objects List shows; the folder goes with its last
	// one, also when a subfolder holds nothing but a killed temp file.
	for _, k := range []string{"src/v1/raw/SDN.CSV", "src/v2/report.md"} {
		if err := s.Delete(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []string{"v1", "v2"} {
		if _, err := os.Stat(filepath.Join(root, "src", v)); !os.IsNotExist(err) {
			t.Fatalf("deleting the last object left the folder of a killed Put, src/%s: %v %v", v, err, tempFiles(t, root))
		}
	}
	// other/v1 holds only a killed temp file: no object, nothing to
	// Delete, nothing List shows. A sweep of src/ leaves it; one of all
	// removes it and its folders.
	if swept, err := s.Sweep(ctx, "src/"); err != nil || swept != (sink.Swept{}) {
		t.Fatalf("sweep src/: %+v, %v", swept, err)
	}
	if got := tempFiles(t, root); len(got) != 1 || !strings.Contains(got[0], filepath.Join(root, "other", "v1")) {
		t.Fatalf("deletes left %v, want other/'s only", got)
	}
	swept, err := s.Sweep(ctx, "")
	if err != nil || swept.Files != 1 || swept.Folders != 2 || swept.Bytes == 0 {
		t.Fatalf("sweep of all: %+v, %v", swept, err)
	}
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"src"}) {
		t.Fatalf("the store holds %v, want src alone", names)
	}
	if _, err := s.Stat(ctx, "src/latest.json"); err != nil {
		t.Fatal(err)
	}
}

// Sweeps running beside Puts never break one. A sweep may take a temp
// file in the instant between its create and its lock (empty, its writer
// not yet known alive); the writer then sees it gone and makes another.
func TestSweepBesidePuts(t *testing.T) {
	ctx := context.Background()
	s := newIn(t, t.TempDir())
	done := make(chan struct{})
	var sweeps sync.WaitGroup
	var taken sink.Swept
	sweeps.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			swept, err := s.Sweep(ctx, "")
			if err != nil || swept.Bytes != 0 {
				t.Errorf("sweep beside live Puts: %+v, %v", swept, err)
				return
			}
			taken.Files += swept.Files
		}
	})
	var puts sync.WaitGroup
	for w := range 4 {
		puts.Go(func() {
			for i := range 50 {
				key := fmt.Sprintf("src/v%d/obj%d", i, w)
				if _, err := s.Put(ctx, key, strings.NewReader(key), sink.PutOptions{}); err != nil {
					t.Error(err)
					return
				}
				if err := s.Delete(ctx, key); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	puts.Wait()
	close(done)
	sweeps.Wait()
	t.Logf("sweeps took %d temp files between create and lock", taken.Files)
	if got := tempFiles(t, s.Location()); len(got) != 0 {
		t.Fatalf("temp files left: %v", got)
	}
}

package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

package sourcetest

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// FuzzDir returns a folder for one fuzz target's inputs, reused by every
// call of its fuzz function (calls in one worker are sequential): in
// memory (/dev/shm) where the system has it, since writing a file to disk
// costs more than parsing it and CI runs each target for a fixed number of
// inputs.
func FuzzDir(f *testing.F) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "sanctions-etl-fuzz-"); err == nil {
			f.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return f.TempDir()
}

// The allocation bound of one fuzz input: fuzzAllocBase plus
// fuzzAllocPerByte for each byte of input.
const (
	fuzzAllocBase    = 16 << 20
	fuzzAllocPerByte = 64
)

// FuzzParse writes files (official name -> bytes) into dir, parses them as
// format with src, and checks the outcome of arbitrary bytes: no panic,
// entities or a *sources.RecordError, at most most entities, and
// allocations bounded by the input's size.
func FuzzParse(t *testing.T, src sources.Source, dir, format string, files map[string][]byte, most int) {
	t.Helper()
	in := &sources.Input{Format: format}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		in.Files = append(in.Files, &fetch.File{Name: name, Path: path, Bytes: int64(len(data))})
	}
	size := 0
	for _, data := range files {
		size += len(data)
	}
	var issues sources.Issues
	n := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := src.Parse(t.Context(), in, func(e *entity.Entity) error {
		n++
		e.Canonicalize()
		return nil
	}, &issues)
	runtime.ReadMemStats(&after)
	// Bounded memory: what one input may cost grows with its size, never
	// beyond; the constant covers the parsers' fixed buffers (64 KiB
	// readers, xmlquery's state).
	if alloc, bound := after.TotalAlloc-before.TotalAlloc, uint64(fuzzAllocBase+fuzzAllocPerByte*size); alloc > bound {
		t.Fatalf("parsing %d bytes allocated %d bytes, over the bound %d", size, alloc, bound)
	}
	var re *sources.RecordError
	if err != nil && !errors.As(err, &re) {
		t.Fatalf("err %v (%T) is not a *sources.RecordError", err, err)
	}
	if n > most {
		t.Fatalf("%d entities from input that holds at most %d", n, most)
	}
}

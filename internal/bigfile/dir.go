package bigfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Dir builds publications into one folder on demand, each once, so that
// the benchmarks of one process (which re-run their parent function every
// -count round) and its tests share them. The caller removes the folder.
type Dir struct {
	path string
	pub  []byte

	mu   sync.Mutex
	un   *UN // pub, cut once
	made map[string]Made
}

// Made is a built publication: Dir holds it as UNFile, read as a run's
// --from folder.
type Made struct {
	Dir  string
	File string
	Stats
}

// NewDir builds into path (an existing folder) from the real UN
// publication pub.
func NewDir(path string, pub []byte) *Dir {
	return &Dir{path: path, pub: pub, made: map[string]Made{}}
}

// UN is WriteUN's publication of at least minBytes.
func (d *Dir) UN(minBytes int64) (Made, error) {
	return d.build(fmt.Sprintf("un-%d", minBytes), func(f *os.File) (Stats, error) { return d.un.WriteFirst(f, minBytes) })
}

// UNNextDay is WriteUNNextDay's publication of at least minBytes.
func (d *Dir) UNNextDay(minBytes int64) (Made, error) {
	return d.build(fmt.Sprintf("un-%d-next", minBytes), func(f *os.File) (Stats, error) { return d.un.WriteNextDay(f, minBytes) })
}

func (d *Dir) build(name string, write func(*os.File) (Stats, error)) (Made, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if m, ok := d.made[name]; ok {
		return m, nil
	}
	if d.un == nil {
		u, err := ParseUN(d.pub)
		if err != nil {
			return Made{}, err
		}
		d.un = u
	}
	m := Made{Dir: filepath.Join(d.path, name)}
	m.File = filepath.Join(m.Dir, UNFile)
	if err := os.MkdirAll(m.Dir, 0o755); err != nil {
		return Made{}, fmt.Errorf("bigfile: %w", err)
	}
	f, err := os.Create(m.File)
	if err != nil {
		return Made{}, fmt.Errorf("bigfile: %w", err)
	}
	m.Stats, err = write(f)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("bigfile: %w", cerr)
	}
	if err != nil {
		os.RemoveAll(m.Dir)
		return Made{}, fmt.Errorf("%s: %w", name, err)
	}
	d.made[name] = m
	return m, nil
}

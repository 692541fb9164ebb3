// Package scratch gives each process of the tool a folder of its own for
// intermediate files (fetched bodies, outputs before upload), and removes
// the folders of processes that died without removing theirs: a SIGKILL,
// the OOM killer, a pod restarted with its /tmp emptyDir kept.
//
// A folder's owner holds an exclusive flock on the folder itself for as
// long as it runs. The kernel drops a dead process's locks, so a folder
// whose lock can be taken has no owner, whatever pid it had (pids repeat
// across pod restarts). The lock is on the folder, not on a file in it, so
// there is nothing to create between the folder and its lock but the lock
// itself (New checks it locked the folder the name still leads to).
package scratch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/internal/fslock"
)

// Prefix starts the name of every scratch folder: Sweep looks at these
// only. It differs from the names older releases used for their temp
// folders (sanctions-etl-demo-*, sanctions-etl-validate-*), which hold no
// lock and must not be taken for dead ones.
const Prefix = "sanctions-etl-scratch-"

// Dir is this process's scratch folder, locked until Remove.
type Dir struct {
	path string
	lock *os.File
}

// newAttempts bounds how often New makes a folder that a sweep removes
// before New could lock it. Each loss takes a sweep landing in the few
// microseconds between the folder's making and its lock; 10 attempts were
// all lost once, on a loaded 2-core machine, to TestSweepBesideNew's
// sweeper, which sweeps without pause.
const newAttempts = 1000

// New makes and locks a scratch folder in parent ("" is os.TempDir()).
func New(parent string) (*Dir, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	for range newAttempts {
		p, err := os.MkdirTemp(parent, Prefix+"*")
		if err != nil {
			return nil, fmt.Errorf("make a scratch folder in %s: %w", parent, err)
		}
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // swept before we could lock it
		}
		if err != nil {
			os.Remove(p)
			return nil, fmt.Errorf("make a scratch folder in %s: %w", parent, err)
		}
		// Blocking: a sweep that took the lock first removes the folder
		// and lets go; then the name leads nowhere and we start again.
		if err := fslock.Lock(f); err != nil {
			f.Close()
			os.Remove(p)
			return nil, fmt.Errorf("scratch folder: %w", err)
		}
		if fslock.Names(p, f) {
			return &Dir{path: p, lock: f}, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("make a scratch folder in %s: removed by concurrent sweeps %d times", parent, newAttempts)
}

// Path is the folder's path.
func (d *Dir) Path() string { return d.path }

// Remove removes the folder and all it holds, then lets go of its lock.
func (d *Dir) Remove() error {
	err := os.RemoveAll(d.path)
	if cerr := d.lock.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("remove scratch folder: %w", err)
	}
	return nil
}

// Swept is what Sweep removed.
type Swept struct {
	Folders []string // paths
	Bytes   int64    // the sizes of the files they held
}

// Sweep removes the scratch folders in parent ("" is os.TempDir()) whose
// owner is dead: the ones whose lock it can take. A live process's folder,
// this process's included, is left. Folders it may not open (another
// user's, in a shared /tmp) are not its business and are skipped.
func Sweep(parent string) (Swept, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	var swept Swept
	entries, err := os.ReadDir(parent)
	if err != nil {
		return swept, fmt.Errorf("sweep scratch folders in %s: %w", parent, err)
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		n, removed, err := sweepOne(p)
		if err != nil {
			errs = append(errs, err)
		}
		if removed {
			swept.Folders = append(swept.Folders, p)
			swept.Bytes += n
		}
	}
	if err := errors.Join(errs...); err != nil {
		return swept, fmt.Errorf("sweep scratch folders in %s: %w", parent, err)
	}
	return swept, nil
}

// sweepOne removes the folder p when no process holds its lock.
func sweepOne(p string) (bytes int64, removed bool, err error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	if locked, err := fslock.TryLock(f); !locked {
		return 0, false, err // nil error: its owner runs
	}
	if !fslock.Names(p, f) {
		return 0, false, nil // removed and made anew since we opened it
	}
	// Removed while the lock is held, so that a New that made this
	// folder a moment ago and waits for the lock finds it gone.
	filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				bytes += fi.Size()
			}
		}
		return nil
	})
	if err := os.RemoveAll(p); err != nil {
		return 0, false, err
	}
	return bytes, true, nil
}

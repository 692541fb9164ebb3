// Package fslock is the liveness-by-lock rule that sink/local's temp files
// and scratch's folders share: whoever writes a file (or fills a folder)
// holds an exclusive flock on it for as long as it runs, and the kernel
// drops a dead process's locks whatever pid it had, so a lock that can be
// taken marks what a dead process left. A sweeper removes such a name only
// while it holds the lock, and a writer checks after locking that the name
// still leads to what it locked (Names), making another when a sweep won.
package fslock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Lock takes f's exclusive lock, waiting while another process holds it.
func Lock(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return nil
}

// TryLock takes f's exclusive lock if no process holds it; held is false
// when one does (its owner is alive).
func TryLock(f *os.File) (held bool, err error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return true, nil
}

// Names reports whether path still leads to the open file (or folder) f.
func Names(path string, f *os.File) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Lstat(path)
	return err == nil && os.SameFile(fi, pi)
}

// Package local implements sink.Store on a local directory. Objects are
// written to a temporary file, synced and then linked or renamed into
// place, so a reader sees either the whole object or none.
package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/sanctions-etl/sanctions-etl/internal/fslock"
	"github.com/sanctions-etl/sanctions-etl/sink"
)

// Store is a directory-backed sink.Store.
type Store struct {
	root string
}

// New opens (and creates) the directory root.
func New(root string) (*Store, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("open local store %s: %w", root, err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open local store %s: %w", root, err)
	}
	return &Store{root: abs}, nil
}

// Location implements sink.Store.
func (s *Store) Location() string { return s.root }

func (s *Store) filename(key string) (string, error) {
	clean := path.Clean(key)
	if key == "" || clean != key || strings.HasPrefix(key, "/") || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("invalid key %q", key)
	}
	for _, part := range strings.Split(key, "/") {
		if strings.HasPrefix(part, ".") {
			// Dot names are the store's own temp and lock files.
			return "", fmt.Errorf("invalid key %q: no part may start with a dot", key)
		}
	}
	return filepath.Join(s.root, filepath.FromSlash(key)), nil
}

// Put implements sink.Store.
func (s *Store) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	name, err := s.filename(key)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(name)
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("put %s: rewind body: %w", key, err)
	}
	f, etag, err := writeTemp(dir, filepath.Base(name), body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	tmp := f.Name()
	defer func() {
		os.Remove(tmp) // no-op once renamed; after a link it drops the second name
		f.Close()      // last: it releases the lock that marks the writer alive
	}()
	if opts.SHA256 != "" && !strings.EqualFold(opts.SHA256, etag) {
		return "", fmt.Errorf("put %s: body sha256 %s, expected %s: %w", key, etag, opts.SHA256, sink.ErrChecksum)
	}

	switch {
	case opts.IfMatch != "":
		unlock, err := s.lock(key)
		if err != nil {
			return "", fmt.Errorf("put %s: %w", key, err)
		}
		defer unlock()
		cur, err := fileETag(name)
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("put %s: object missing, expected etag %s: %w", key, opts.IfMatch, sink.ErrPrecondition)
		}
		if err != nil {
			return "", fmt.Errorf("put %s: %w", key, err)
		}
		if cur != opts.IfMatch {
			return "", fmt.Errorf("put %s: etag is %s, expected %s: %w", key, cur, opts.IfMatch, sink.ErrPrecondition)
		}
		err = os.Rename(tmp, name)
		if err != nil {
			return "", fmt.Errorf("put %s: %w", key, err)
		}
	case opts.Overwrite:
		unlock, err := s.lock(key)
		if err != nil {
			return "", fmt.Errorf("put %s: %w", key, err)
		}
		defer unlock()
		if err := os.Rename(tmp, name); err != nil {
			return "", fmt.Errorf("put %s: %w", key, err)
		}
	default:
		// A hard link fails if the name exists: an atomic create-only.
		if err := os.Link(tmp, name); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return "", fmt.Errorf("put %s: object exists: %w", key, sink.ErrPrecondition)
			}
			return "", fmt.Errorf("put %s: %w", key, err)
		}
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	return etag, nil
}

// tempInfix separates an object's name from the random part of its temp
// file's name: ".NAME.tmp-123".
const tempInfix = ".tmp-"

// writeTemp writes body to a new temp file in dir (made if missing), syncs
// it and makes it read-only for everyone: objects are never written in
// place, and readers running as other users must be able to follow the
// pointers. The file is returned open and flock'd: the lock marks its
// writer alive until the caller closes it, after linking or renaming it.
func writeTemp(dir, base string, body io.Reader) (f *os.File, etag string, err error) {
	f, err = createTemp(dir, base)
	if err != nil {
		return nil, "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), body)
	if err == nil {
		err = f.Chmod(0o444) // before the sync, which then covers the mode too
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		os.Remove(f.Name())
		f.Close()
		return nil, "", err
	}
	return f, hex.EncodeToString(h.Sum(nil)), nil
}

// createTemp creates and locks dir/.base.tmp-*. A sweep (or a Delete
// dropping an empty folder) may remove the name or the folder between the
// create and the lock, since an unlocked temp file looks like a dead
// writer's: then the name no longer leads to the file locked, and it tries
// again.
func createTemp(dir, base string) (*os.File, error) {
	for range 10 {
		// A concurrent Delete or sweep may remove a folder as empty just
		// after MkdirAll made it (or a parent): then it is made again.
		err := os.MkdirAll(dir, 0o755)
		var f *os.File
		if err == nil {
			f, err = os.CreateTemp(dir, "."+base+tempInfix+"*")
		}
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := fslock.Lock(f); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		if fslock.Names(f.Name(), f) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("create a temp file in %s: removed by concurrent deletes or sweeps 10 times", dir)
}

// tempKey is the key whose temp file the entry name in folder dirKey is
// ("" for the root), or false when name is not a temp file.
func tempKey(dirKey, name string) (string, bool) {
	i := strings.LastIndex(name, tempInfix)
	if !strings.HasPrefix(name, ".") || i < 1 {
		return "", false
	}
	return path.Join(dirKey, name[1:i]), true
}

// dropIfStale removes the temp file p when its writer is gone: no process
// holds its lock (the kernel releases a killed process's locks, whatever
// its pid). It returns the bytes removed; a live writer's file is left.
func dropIfStale(p string) (removed bool, size int64, err error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, 0, nil // its writer renamed it or gave up
	}
	if err != nil {
		return false, 0, err
	}
	defer f.Close()
	if locked, err := fslock.TryLock(f); !locked {
		return false, 0, err // nil error: its writer is alive
	}
	// The name is removed while the lock is held, so a writer that creates
	// it in between sees its file gone and makes another (createTemp).
	fi, err := f.Stat()
	if err != nil || !fslock.Names(p, f) {
		return false, 0, err
	}
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, 0, nil
		}
		return false, 0, err
	}
	return true, fi.Size(), nil
}

// dropStaleTemps removes the stale temp files under folder dir, and the
// subfolders that leaves empty, when it holds no object, and reports
// whether dir is then empty. A killed upload may leave raw/ holding
// nothing but its temp file.
func dropStaleTemps(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if _, ok := tempKey("", e.Name()); !ok && !e.IsDir() {
			return false // an object: the folder is in use
		}
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if !dropStaleTemps(p) || os.Remove(p) != nil {
				return false
			}
			continue
		}
		if removed, _, _ := dropIfStale(p); !removed {
			return false
		}
	}
	return true
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// lock takes an exclusive advisory lock for key, shared with other
// processes using the same directory, so compare-and-swap is atomic.
func (s *Store) lock(key string) (func(), error) {
	dir := filepath.Join(s.root, ".locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(key))
	f, err := os.OpenFile(filepath.Join(dir, hex.EncodeToString(sum[:8])), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", key, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func fileETag(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Get implements sink.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, sink.Info, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, sink.Info{}, err
	}
	name, _ := s.filename(key)
	f, err := os.Open(name)
	if err != nil {
		return nil, sink.Info{}, s.wrap("get", key, err)
	}
	return f, info, nil
}

// Stat implements sink.Store.
func (s *Store) Stat(ctx context.Context, key string) (sink.Info, error) {
	if err := ctx.Err(); err != nil {
		return sink.Info{}, err
	}
	name, err := s.filename(key)
	if err != nil {
		return sink.Info{}, err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return sink.Info{}, s.wrap("stat", key, err)
	}
	if fi.IsDir() {
		return sink.Info{}, fmt.Errorf("stat %s: is a folder: %w", key, sink.ErrNotExist)
	}
	etag, err := fileETag(name)
	if err != nil {
		return sink.Info{}, s.wrap("stat", key, err)
	}
	return sink.Info{Key: key, Size: fi.Size(), ETag: etag, ModTime: fi.ModTime()}, nil
}

func (s *Store) wrap(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s %s: %w", op, key, sink.ErrNotExist)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// List implements sink.Store. ETags are left empty: computing them would
// read every object.
func (s *Store) List(ctx context.Context, prefix string, fn func(sink.Info) error) error {
	start := s.walkStart(prefix)
	var infos []sink.Info
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != start {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(s.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		infos = append(infos, sink.Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()})
		return nil
	})
	if err != nil {
		return fmt.Errorf("list %s: %w", prefix, err)
	}
	slices.SortFunc(infos, func(a, b sink.Info) int { return strings.Compare(a.Key, b.Key) })
	for _, info := range infos {
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}

// Delete implements sink.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name, err := s.filename(key)
	if err != nil {
		return err
	}
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	s.dropEmptyFolders(filepath.Dir(name))
	return nil
}

// dropEmptyFolders removes dir and its parents up to the root while they
// are empty. Folders exist only for their objects: this drops a removed
// version folder. One holding only the temp files of killed writers counts
// as empty, or gc would leave it, invisible to List.
func (s *Store) dropEmptyFolders(dir string) (removed int) {
	for ; dir != s.root && strings.HasPrefix(dir, s.root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil && (!dropStaleTemps(dir) || os.Remove(dir) != nil) {
			break
		}
		removed++
	}
	return removed
}

var _ sink.Sweeper = (*Store)(nil)

// Sweep implements sink.Sweeper: it removes the temp files of writers
// killed in a Put under prefix, and the folders that leaves empty. A temp
// file is stale when no process holds its lock: its writer holds it from
// the create to the rename, and the kernel drops a dead process's locks, so
// no age bound is needed and a running writer is never touched. The .locks
// folder stays: its files are reused and hold no data.
func (s *Store) Sweep(ctx context.Context, prefix string) (sink.Swept, error) {
	var swept sink.Swept
	start := s.walkStart(prefix)
	var emptied []string
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != start {
				return filepath.SkipDir // .locks
			}
			return nil
		}
		rel, err := filepath.Rel(s.root, filepath.Dir(p))
		if err != nil {
			return err
		}
		dirKey := filepath.ToSlash(rel)
		if dirKey == "." {
			dirKey = ""
		}
		key, ok := tempKey(dirKey, d.Name())
		if !ok || !strings.HasPrefix(key, prefix) {
			return nil
		}
		removed, size, err := dropIfStale(p)
		if err != nil {
			return err
		}
		if removed {
			swept.Files++
			swept.Bytes += size
			emptied = append(emptied, filepath.Dir(p))
		}
		return nil
	})
	// Deepest first, so that a folder emptied of its subfolders goes too.
	slices.SortFunc(emptied, func(a, b string) int { return strings.Compare(b, a) })
	for _, dir := range slices.Compact(emptied) {
		swept.Folders += s.dropEmptyFolders(dir)
	}
	if err != nil {
		return swept, fmt.Errorf("sweep %s: %w", s.root, err)
	}
	return swept, nil
}

// walkStart is the folder a walk for the keys under prefix starts in: the
// folder part of the prefix ("a/b/c" starts in a/b).
func (s *Store) walkStart(prefix string) string {
	if dir := path.Dir(prefix + "x"); dir != "." {
		return filepath.Join(s.root, filepath.FromSlash(dir))
	}
	return s.root
}

// IsNotExist implements sink.Store.
func (s *Store) IsNotExist(err error) bool {
	return errors.Is(err, sink.ErrNotExist) || errors.Is(err, fs.ErrNotExist)
}

// IsPermanent implements sink.Store.
func (s *Store) IsPermanent(err error) bool {
	return errors.Is(err, sink.ErrPrecondition) || errors.Is(err, fs.ErrPermission) || s.IsNotExist(err)
}

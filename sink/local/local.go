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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("put %s: rewind body: %w", key, err)
	}
	tmp, etag, err := writeTemp(dir, filepath.Base(name), body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	defer os.Remove(tmp) // no-op once renamed; after a link it drops the second name
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
		if err := os.Chmod(tmp, 0o444); err != nil {
			return "", fmt.Errorf("put %s: %w", key, err)
		}
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

func writeTemp(dir, base string, body io.Reader) (name, etag string, err error) {
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
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
	start := s.root
	if dir := path.Dir(prefix + "x"); dir != "." {
		start = filepath.Join(s.root, filepath.FromSlash(dir))
	}
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
	// Folders exist only for their objects: drop the ones left empty
	// (a removed version folder), stopping at the first that is not.
	for dir := filepath.Dir(name); dir != s.root && strings.HasPrefix(dir, s.root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// IsNotExist implements sink.Store.
func (s *Store) IsNotExist(err error) bool {
	return errors.Is(err, sink.ErrNotExist) || errors.Is(err, fs.ErrNotExist)
}

// IsPermanent implements sink.Store.
func (s *Store) IsPermanent(err error) bool {
	return errors.Is(err, sink.ErrPrecondition) || errors.Is(err, fs.ErrPermission) || s.IsNotExist(err)
}

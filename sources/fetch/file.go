package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// DefaultMaxBytes is the size cap per file when none is configured.
const DefaultMaxBytes int64 = 512 << 20

// Temp reports whether Path is a temporary file created by the fetcher, which
// Close removes. A plain file read from a --from folder is not.
func (f *File) Temp() bool { return f != nil && f.temp }

// Close removes Path if the fetcher created it (see Temp); a file of the
// caller's own, such as a plain file in a --from folder, is never touched.
// Close is idempotent and safe on a nil File or a NotModified one. After
// Close, the File's metadata stays readable but Path must not be opened.
func (f *File) Close() error {
	if f == nil || !f.temp || f.Path == "" {
		return nil
	}
	f.temp = false
	if err := os.Remove(f.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temporary copy of %s: %w", f.Name, err)
	}
	return nil
}

// Remove closes every file (see File.Close): the temporary files that
// fetchers created are deleted, the caller's own files are left alone. It
// tries all of them and returns the errors joined. Nil entries are skipped.
func Remove(files ...*File) error {
	var errs []error
	for _, f := range files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// writeTemp copies r into a new file in dir, named after name, while hashing
// and counting. Over max bytes it fails with ErrTooLarge. On any error the
// file is removed, so a failed fetch never leaves a partial file behind.
func writeTemp(ctx context.Context, dir, name string, r io.Reader, max int64) (path, sum string, n int64, err error) {
	tmp, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return "", "", 0, fmt.Errorf("create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	// One byte beyond the cap tells "exactly max" from "more than max".
	n, err = io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, max+1))
	if err != nil {
		return "", "", n, fmt.Errorf("read after %d bytes: %w", n, err)
	}
	if n > max {
		return "", "", n, tooLarge(max)
	}
	if err = tmp.Close(); err != nil {
		return "", "", n, fmt.Errorf("write temporary file: %w", err)
	}
	return tmp.Name(), hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashFile hashes the file at path in place, up to max bytes.
func hashFile(ctx context.Context, path string, max int64) (sum string, n int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > max {
		return "", fi.Size(), tooLarge(max)
	}
	h := sha256.New()
	n, err = io.Copy(h, io.LimitReader(ctxReader{ctx, f}, max+1))
	if err != nil {
		return "", n, fmt.Errorf("read after %d bytes: %w", n, err)
	}
	if n > max {
		return "", n, tooLarge(max)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func tooLarge(max int64) error {
	return fmt.Errorf("more than %s: %w", formatBytes(max), ErrTooLarge)
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// tempPattern makes an os.CreateTemp pattern from an official file name,
// keeping only characters that are safe in any file system.
func tempPattern(name string) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
	if len(safe) > 64 {
		safe = safe[:64]
	}
	return "sanctions-etl-" + safe + ".*"
}

// ctxReader stops a copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// NewTempFile copies r into a temporary file in dir, hashed and counted,
// as a File that Close removes: the input of a source whose files are put
// together rather than fetched (the combined dataset's list of versions).
func NewTempFile(ctx context.Context, dir, name, url string, r io.Reader, max int64) (*File, error) {
	path, sum, n, err := writeTemp(ctx, dir, name, r, max)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &File{Name: name, URL: url, Path: path, SHA256: sum, Bytes: n, temp: true}, nil
}

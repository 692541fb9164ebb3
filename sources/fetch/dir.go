package fetch

import (
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/internal/progress"
)

// Dir reads a publication's files from a local folder (--from DIR): offline
// runs, tests, demos and air-gapped mirrors.
type Dir struct {
	dir      string
	maxBytes int64
	tempDir  string
}

var _ Fetcher = (*Dir)(nil)

// NewDir returns a fetcher that reads from dir. maxBytes caps each file (for
// a .gz, its decompressed size); 0 means DefaultMaxBytes. Decompressed copies
// go to tempDir ("" means os.TempDir()).
func NewDir(dir string, maxBytes int64, tempDir string) *Dir {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Dir{dir: dir, maxBytes: maxBytes, tempDir: tempDir}
}

// Local reports true: files come from a folder.
func (d *Dir) Local() bool { return true }

// Fetch finds spec.Name in the folder, ignoring letter case (SDN.CSV matches
// sdn.csv). A plain file is used in place: File.Path is the file itself and
// Close leaves it alone. Failing that, <name>.gz (any case) is decompressed
// into a temporary file. spec.URL and prev are ignored. A file that is
// absent gives an error matching ErrNotFound; two names that differ only in
// case (sdn.csv and SDN.CSV) give an error rather than a silent pick.
func (d *Dir) Fetch(ctx context.Context, spec Spec, _ Validators) (*File, error) {
	file, err := d.fetch(ctx, spec)
	if err != nil {
		return nil, fmt.Errorf("fetch %s from %s: %w", spec.Name, d.dir, err)
	}
	return file, nil
}

func (d *Dir) fetch(ctx context.Context, spec Spec) (*File, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, fmt.Errorf("read folder: %w", err)
	}
	plain, err := match(entries, spec.Name)
	if err != nil {
		return nil, err
	}
	if plain != "" {
		path := filepath.Join(d.dir, plain)
		if err := regular(path); err != nil {
			return nil, err
		}
		sum, n, err := hashFile(ctx, path, d.maxBytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", plain, err)
		}
		readDone(ctx, spec.Name, n)
		return &File{Name: spec.Name, URL: path, Path: path, SHA256: sum, Bytes: n}, nil
	}
	gz, err := match(entries, spec.Name+".gz")
	if err != nil {
		return nil, err
	}
	if gz == "" {
		return nil, fmt.Errorf("%w (nor %s.gz, in any letter case)", ErrNotFound, spec.Name)
	}
	path := filepath.Join(d.dir, gz)
	if err := regular(path); err != nil {
		return nil, err
	}
	tmp, sum, n, err := gunzip(ctx, path, d.tempDir, spec.Name, d.maxBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", gz, err)
	}
	return &File{Name: spec.Name, URL: path, Path: tmp, SHA256: sum, Bytes: n, temp: true}, nil
}

// match finds the entry named name, ignoring case. "" means none; more than
// one is an error.
func match(entries []os.DirEntry, name string) (string, error) {
	var found []string
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("ambiguous: %s all match %s when letter case is ignored; keep one", strings.Join(found, ", "), name)
}

// regular fails unless path is (or links to) a regular file.
func regular(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	return nil
}

func gunzip(ctx context.Context, path, tempDir, name string, max int64) (tmp, sum string, n int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", "", 0, fmt.Errorf("decompress: %w", err)
	}
	defer zr.Close()
	// Counted decompressed, as File.Bytes is; the total is not known.
	bar := progress.FromContext(ctx).Bytes("fetch "+name, -1)
	tmp, sum, n, err = writeTemp(ctx, tempDir, name, bar.Reader(zr), max)
	if err != nil {
		return "", "", n, fmt.Errorf("decompress: %w", err)
	}
	bar.Done()
	return tmp, sum, n, nil
}

// readDone reports a plain file read in place: hashing a local file is
// quick, so only its size is told, once.
func readDone(ctx context.Context, name string, n int64) {
	bar := progress.FromContext(ctx).Bytes("fetch "+name, n)
	bar.Add(n)
	bar.Done()
}

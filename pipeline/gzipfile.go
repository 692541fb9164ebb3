package pipeline

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"

	"github.com/klauspost/compress/gzip"
)

// GzipLevel is the compression of entities.jsonl.gz and delta.jsonl.gz.
// Level 1 against the default level, on the entity lines of the real
// publications (BenchmarkGzipLevel): see docs/design-notes.md for the
// figures and why the faster level is worth its larger files.
const GzipLevel = gzip.BestSpeed

// Blocks handed from a writer to its compressing goroutine.
const (
	gzipBlock  = 256 << 10
	gzipBlocks = 4
)

// gzipFile is a temp file written through gzip in a goroutine of its
// own, so that compression runs beside the comparison that feeds it. The
// compressed bytes are hashed as they are written. Not safe for
// concurrent use by several writers.
type gzipFile struct {
	f    *os.File
	h    hash.Hash
	cw   *countWriter
	cur  []byte
	full chan []byte
	free chan []byte
	done chan error
	err  error // sticky: the compressor's error, once seen
}

func newGzipFile(dir, pattern string, level int) (*gzipFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	g := &gzipFile{
		f:    f,
		h:    sha256.New(),
		full: make(chan []byte, gzipBlocks),
		free: make(chan []byte, gzipBlocks),
		done: make(chan error, 1),
	}
	g.cw = &countWriter{w: writers{f, g.h}}
	// The compressor writes in pieces of a few hundred bytes.
	bw := bufio.NewWriterSize(g.cw, 64<<10)
	zw, err := gzip.NewWriterLevel(bw, level)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	for range gzipBlocks {
		g.free <- make([]byte, 0, gzipBlock)
	}
	g.cur = <-g.free
	full := g.full // Close and Abort set the field to nil
	go func() {
		var err error
		for b := range full {
			if err == nil {
				_, err = zw.Write(b)
			}
			g.free <- b[:0]
		}
		if err == nil {
			err = zw.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		g.done <- err
	}()
	return g, nil
}

// writers is io.MultiWriter for two, without its per-call allocation.
type writers [2]interface{ Write([]byte) (int, error) }

func (w writers) Write(p []byte) (int, error) {
	for _, x := range w {
		if n, err := x.Write(p); err != nil {
			return n, err
		}
	}
	return len(p), nil
}

func (g *gzipFile) Write(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n := len(p)
	for len(p) > 0 {
		k := copy(g.cur[len(g.cur):cap(g.cur)], p)
		g.cur = g.cur[:len(g.cur)+k]
		p = p[k:]
		if len(g.cur) == cap(g.cur) {
			g.full <- g.cur
			g.cur = <-g.free
		}
	}
	return n, nil
}

// Close compresses what is left, closes the file and returns it with its
// digest. On error the file is removed.
func (g *gzipFile) Close() (*tempFile, error) {
	if g.full == nil {
		return nil, errors.New("gzip file closed twice")
	}
	if len(g.cur) > 0 {
		g.full <- g.cur
	}
	close(g.full)
	g.full = nil
	err := <-g.done
	if cerr := g.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(g.f.Name())
		return nil, fmt.Errorf("write %s: %w", g.f.Name(), err)
	}
	return &tempFile{path: g.f.Name(), sha256: hex.EncodeToString(g.h.Sum(nil)), bytes: g.cw.n}, nil
}

// Abort stops the compressor and removes the file; after Close it does
// nothing.
func (g *gzipFile) Abort() {
	if g.full == nil {
		return
	}
	g.err = errors.New("aborted")
	close(g.full)
	<-g.done
	g.f.Close()
	os.Remove(g.f.Name())
	g.full = nil
}

// plainFile is a temp file hashed and counted as it is written, through a
// buffer: entities.csv, written row by row beside the snapshot.
type plainFile struct {
	f  *os.File
	h  hash.Hash
	cw *countWriter
	bw *bufio.Writer
}

func newPlainFile(dir, pattern string) (*plainFile, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	p := &plainFile{f: f, h: sha256.New()}
	p.cw = &countWriter{w: writers{f, p.h}}
	p.bw = bufio.NewWriterSize(p.cw, 64<<10)
	return p, nil
}

func (p *plainFile) Write(b []byte) (int, error) { return p.bw.Write(b) }

// Close flushes and closes the file and returns it with its digest; on
// error the file is removed.
func (p *plainFile) Close() (*tempFile, error) {
	if p.f == nil {
		return nil, errors.New("file closed twice")
	}
	err := p.bw.Flush()
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	name := p.f.Name()
	p.f = nil
	if err != nil {
		os.Remove(name)
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return &tempFile{path: name, sha256: hex.EncodeToString(p.h.Sum(nil)), bytes: p.cw.n}, nil
}

// Abort removes the file; after Close it does nothing.
func (p *plainFile) Abort() {
	if p.f == nil {
		return
	}
	p.f.Close()
	os.Remove(p.f.Name())
	p.f = nil
}

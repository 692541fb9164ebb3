// Package mem implements sink.Store in memory, for tests of the code that
// writes through a Store.
package mem

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
)

type object struct {
	data []byte
	info sink.Info
}

// Store is an in-memory sink.Store, safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	objects map[string]object
}

// New returns an empty store.
func New() *Store { return &Store{objects: map[string]object{}} }

// Location implements sink.Store.
func (s *Store) Location() string { return "mem:" }

// Put implements sink.Store.
func (s *Store) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if key == "" {
		return "", fmt.Errorf("invalid empty key")
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", key, err)
	}
	sum := sha256.Sum256(data)
	etag := hex.EncodeToString(sum[:])
	if opts.SHA256 != "" && !strings.EqualFold(opts.SHA256, etag) {
		return "", fmt.Errorf("put %s: body sha256 %s, expected %s: %w", key, etag, opts.SHA256, sink.ErrChecksum)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, exists := s.objects[key]
	switch {
	case opts.IfMatch != "":
		if !exists || cur.info.ETag != opts.IfMatch {
			return "", fmt.Errorf("put %s: %w", key, sink.ErrPrecondition)
		}
	case opts.Overwrite:
	default:
		if exists {
			return "", fmt.Errorf("put %s: object exists: %w", key, sink.ErrPrecondition)
		}
	}
	s.objects[key] = object{data: data, info: sink.Info{Key: key, Size: int64(len(data)), ETag: etag, ModTime: time.Now()}}
	return etag, nil
}

// Get implements sink.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, sink.Info, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, sink.Info{}, err
	}
	s.mu.Lock()
	data := s.objects[key].data
	s.mu.Unlock()
	return io.NopCloser(bytes.NewReader(data)), info, nil
}

// Stat implements sink.Store.
func (s *Store) Stat(ctx context.Context, key string) (sink.Info, error) {
	if err := ctx.Err(); err != nil {
		return sink.Info{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objects[key]
	if !ok {
		return sink.Info{}, fmt.Errorf("stat %s: %w", key, sink.ErrNotExist)
	}
	return o.info, nil
}

// List implements sink.Store.
func (s *Store) List(ctx context.Context, prefix string, fn func(sink.Info) error) error {
	s.mu.Lock()
	var infos []sink.Info
	for k, o := range s.objects {
		if strings.HasPrefix(k, prefix) {
			infos = append(infos, o.info)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(infos, func(a, b sink.Info) int { return strings.Compare(a.Key, b.Key) })
	for _, info := range infos {
		if err := ctx.Err(); err != nil {
			return err
		}
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
	s.mu.Lock()
	delete(s.objects, key)
	s.mu.Unlock()
	return nil
}

// IsNotExist implements sink.Store.
func (s *Store) IsNotExist(err error) bool { return errors.Is(err, sink.ErrNotExist) }

// IsPermanent implements sink.Store.
func (s *Store) IsPermanent(err error) bool {
	return errors.Is(err, sink.ErrPrecondition) || errors.Is(err, sink.ErrNotExist)
}

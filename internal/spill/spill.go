// Package spill keeps records on disk and finds them again by key, for
// joins a streaming parser cannot do in document order (OFAC's advanced XML
// defines documents, locations, relationships and sanctions entries apart
// from the parties that use them).
//
// Records go to one temporary file, appended. Memory holds only the offset
// of the newest record of each key; every record carries the offset of the
// previous one with its key, so the records of a key form a chain on disk.
// That is 23 to 27 bytes of memory per distinct key, whatever the records
// hold (TestIndexBytesPerKey).
package spill

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
)

// Key names a chain: a table (what kind of record) and an id within it.
type Key struct {
	Table uint8
	ID    uint64
}

// none marks the end of a chain.
const none = -1

// Store is an append-only file of keyed records. Not safe for concurrent
// use.
type Store struct {
	f   *os.File
	w   *bufio.Writer
	off int64 // where the next record goes
	// heads holds the newest record's offset of each key, a map per
	// table: 16 bytes a slot where a Key of 16 (padded) and an offset took
	// 24, and each table's map grows apart.
	heads [256]map[uint64]int64
	hdr   [binary.MaxVarintLen64 * 2]byte
	buf   []byte
}

// New creates a store in a new file under dir ("" for the system's
// temporary directory); Close removes it.
func New(dir string) (*Store, error) {
	f, err := os.CreateTemp(dir, "spill-*")
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	return &Store{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// Put appends value under key.
func (s *Store) Put(key Key, value []byte) error {
	h := s.heads[key.Table]
	if h == nil {
		h = map[uint64]int64{}
		s.heads[key.Table] = h
	}
	prev, ok := h[key.ID]
	if !ok {
		prev = none
	}
	// A record: the previous record's offset + 1 (0 for none), the value's
	// length, the value.
	n := binary.PutUvarint(s.hdr[:], uint64(prev+1))
	n += binary.PutUvarint(s.hdr[n:], uint64(len(value)))
	if _, err := s.w.Write(s.hdr[:n]); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	if _, err := s.w.Write(value); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	h[key.ID] = s.off
	s.off += int64(n + len(value))
	return nil
}

// Has reports whether key has a record.
func (s *Store) Has(key Key) bool {
	_, ok := s.heads[key.Table][key.ID]
	return ok
}

// IDs returns the ids stored in table, ascending.
func (s *Store) IDs(table uint8) []uint64 {
	ids := slices.Collect(maps.Keys(s.heads[table]))
	slices.Sort(ids)
	return ids
}

// Keys is the number of distinct keys stored.
func (s *Store) Keys() int {
	n := 0
	for _, h := range s.heads {
		n += len(h)
	}
	return n
}

// Get calls fn with each value stored under key, in the order they were
// put. The value is only valid during the call, and fn must not call Get.
func (s *Store) Get(key Key, fn func(value []byte) error) error {
	off, ok := s.heads[key.Table][key.ID]
	if !ok {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spill: %w", err)
	}
	// The chain runs newest first; a key holds a few records, so their
	// headers are walked first and the values read back in put order.
	type record struct {
		off  int64 // of the value
		size int
	}
	var recs []record
	for off != none {
		prev, valueOff, size, err := s.header(off)
		if err != nil {
			return err
		}
		recs = append(recs, record{valueOff, size})
		off = prev
	}
	for _, r := range slices.Backward(recs) {
		if cap(s.buf) < r.size {
			s.buf = make([]byte, r.size)
		}
		s.buf = s.buf[:r.size]
		if _, err := s.f.ReadAt(s.buf, r.off); err != nil && !(errors.Is(err, io.EOF) && r.size == 0) {
			return fmt.Errorf("spill: read at %d: %w", r.off, err)
		}
		if err := fn(s.buf); err != nil {
			return err
		}
	}
	return nil
}

// header reads the header of the record at off: the previous record's
// offset, and where its value starts and how long it is.
func (s *Store) header(off int64) (prev, valueOff int64, size int, err error) {
	var hdr [binary.MaxVarintLen64 * 2]byte
	n, err := s.f.ReadAt(hdr[:], off)
	if n == 0 && err != nil {
		return 0, 0, 0, fmt.Errorf("spill: read at %d: %w", off, err)
	}
	p, a := binary.Uvarint(hdr[:n])
	if a <= 0 {
		return 0, 0, 0, fmt.Errorf("spill: bad record at %d", off)
	}
	sz, b := binary.Uvarint(hdr[a:n])
	if b <= 0 || sz > 1<<30 {
		return 0, 0, 0, fmt.Errorf("spill: bad record at %d", off)
	}
	return int64(p) - 1, off + int64(a+b), int(sz), nil
}

// Close removes the file.
func (s *Store) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	s.f = nil
	return err
}

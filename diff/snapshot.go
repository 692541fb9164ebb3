// Package diff compares two snapshots of one source, writes the delta
// between them (delta.jsonl.gz of DESIGN.md) and the review reports
// (report.md, report.html).
//
// A snapshot is a stream of canonical entity lines in strictly increasing id
// order. Both snapshots are streamed, never loaded whole: the pipeline feeds
// the current one from its external sort (CarryCompareStream), so a
// comparison holds one record of each side at a time.
package diff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Errors the readers wrap; test with errors.Is.
var (
	// ErrUnsorted: ids are not strictly increasing (out of order or repeated).
	ErrUnsorted = errors.New("ids not strictly increasing")
	// ErrBadLine: a line is not an entity object with an id.
	ErrBadLine = errors.New("not an entity line")
)

// LineError is a problem at a line of a snapshot or delta file. Line is
// 1-based.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// Snapshot is a one-pass stream of entity records in strictly increasing id
// order (byte order of the id strings). Next returns io.EOF after the last
// record. A Snapshot cannot be rewound: whatever reads it consumes it.
type Snapshot interface {
	Next() (*Record, error)
}

// Record is one entity of a snapshot.
type Record struct {
	ID string
	// Line is the entity's canonical JSON (entity.MarshalCanonical), without
	// the newline. Readers never reuse it: it stays valid after Next.
	Line []byte
	// Entity is the decoded entity, or nil until Decode is called.
	Entity *entity.Entity
	// Summary, for records of the current run, is what the report shows.
	Summary *Summary

	// Filled by split: Line without its first_seen and last_changed
	// members and without the closing brace, and those members' values.
	split                  bool
	canonical              bool // body is canonical by construction (ContentRecord)
	body                   []byte
	firstSeen, lastChanged string
}

// Decode returns the entity of the record, decoding Line on first use.
func (r *Record) Decode() (*entity.Entity, error) {
	if r.Entity != nil {
		return r.Entity, nil
	}
	e := new(entity.Entity)
	if err := json.Unmarshal(r.Line, e); err != nil {
		return nil, fmt.Errorf("entity %s: %w", r.ID, err)
	}
	r.Entity = e
	return e, nil
}

// splitLine fills the record's body and history values. Lines written by
// MarshalCanonical take the fast path (no decoding); anything else is
// decoded and re-marshalled, so the body is canonical either way.
func (r *Record) splitLine() error {
	if r.split {
		return nil
	}
	if body, fs, lc, ok := splitHistory(r.Line); ok {
		r.body, r.firstSeen, r.lastChanged, r.split = body, fs, lc, true
		return nil
	}
	e, err := r.Decode()
	if err != nil {
		return err
	}
	body, err := contentLine(e)
	if err != nil {
		return err
	}
	r.body, r.firstSeen, r.lastChanged, r.split = body[:len(body)-1], e.FirstSeen, e.LastChanged, true
	return nil
}

// contentLine is the canonical JSON of e without first_seen and
// last_changed: the bytes entity.ContentHash hashes.
func contentLine(e *entity.Entity) ([]byte, error) {
	return e.AppendContent(nil), nil
}

// splitHistory cuts the trailing first_seen and last_changed members off a
// canonical line without decoding it. They are the last members of the
// schema, so in canonical JSON they end the line. A member name preceded by
// a quote cannot occur inside a JSON string (quotes there are escaped), so a
// match is always a real member. ok is false when a member is there in any
// other shape than MarshalCanonical writes for a version id; the caller
// then decodes the line.
func splitHistory(line []byte) (body []byte, firstSeen, lastChanged string, ok bool) {
	if len(line) < 2 || line[0] != '{' || line[len(line)-1] != '}' {
		return nil, "", "", false
	}
	body = line[:len(line)-1]
	if body, lastChanged, ok = cutMember(body, `"last_changed"`); !ok {
		return nil, "", "", false
	}
	if body, firstSeen, ok = cutMember(body, `"first_seen"`); !ok {
		return nil, "", "", false
	}
	return body, firstSeen, lastChanged, true
}

// cutMember removes `,"name":"value"` from the end of body. A body without
// the member is returned as it is.
func cutMember(body []byte, name string) (rest []byte, value string, ok bool) {
	i := bytes.LastIndex(body, []byte(name))
	if i < 0 {
		return body, "", true
	}
	v := body[i+len(name):]
	if i == 0 || body[i-1] != ',' || len(v) < 3 || v[0] != ':' || v[1] != '"' || v[len(v)-1] != '"' {
		return nil, "", false
	}
	v = v[2 : len(v)-1]
	if !plainString(v) {
		return nil, "", false
	}
	return body[:i-1], string(v), true
}

// plainString reports whether s is printable ASCII without quote or
// backslash: bytes that JSON writes as they are, escaping nothing.
func plainString[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// withHistory appends the history members to a body, giving the line
// MarshalCanonical would write for the entity with those values.
func withHistory(body []byte, firstSeen, lastChanged string) []byte {
	line := make([]byte, 0, len(body)+len(firstSeen)+len(lastChanged)+36)
	line = append(line, body...)
	return appendHistory(line, firstSeen, lastChanged)
}

// appendHistory appends the history members and the closing brace of a
// canonical line.
func appendHistory(dst []byte, firstSeen, lastChanged string) []byte {
	if firstSeen != "" {
		dst = append(dst, `,"first_seen":`...)
		dst = appendJSONString(dst, firstSeen)
	}
	if lastChanged != "" {
		dst = append(dst, `,"last_changed":`...)
		dst = appendJSONString(dst, lastChanged)
	}
	return append(dst, '}')
}

// appendJSONString appends s as a JSON string: version ids as they are,
// anything else (a history value read from a hand-made line) the way
// MarshalCanonical writes it.
func appendJSONString(dst []byte, s string) []byte {
	if plainString(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return append(dst, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// lineID returns the id of an entity line: the first member of canonical
// JSON, read without decoding; other shapes are decoded.
func lineID(line []byte) (string, error) {
	const prefix = `{"id":"`
	if bytes.HasPrefix(line, []byte(prefix)) {
		rest := line[len(prefix):]
		if j := bytes.IndexByte(rest, '"'); j > 0 && plainString(rest[:j]) {
			return string(rest[:j]), nil
		}
	}
	var v struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadLine, err)
	}
	if v.ID == nil || *v.ID == "" {
		return "", fmt.Errorf("%w: no id", ErrBadLine)
	}
	return *v.ID, nil
}

// lineReader reads one entity per line.
type lineReader struct {
	r    *bufio.Reader
	line int
	prev string
	err  error // sticky
}

// NewLineReader streams a snapshot file: canonical entity JSON, one per
// line, in strictly increasing id order (the caller undoes gzip). A line
// that is empty, has no id, or whose id is not after the previous one is a
// *LineError naming the line. Lines are not validated as JSON beyond their
// id: Compare decodes every line it reports, and a line it does not report
// is byte-identical to the new snapshot's.
func NewLineReader(r io.Reader) Snapshot {
	return &lineReader{r: bufio.NewReaderSize(r, 256<<10)}
}

func (lr *lineReader) Next() (*Record, error) {
	if lr.err != nil {
		return nil, lr.err
	}
	rec, err := lr.next()
	if err != nil {
		lr.err = err
		return nil, err
	}
	return rec, nil
}

func (lr *lineReader) next() (*Record, error) {
	line, err := lr.r.ReadBytes('\n')
	if len(line) == 0 && err == io.EOF {
		return nil, io.EOF
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("after line %d: %w", lr.line, err)
	}
	lr.line++
	line = bytes.TrimSuffix(line, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) == 0 {
		return nil, &LineError{lr.line, fmt.Errorf("%w: empty line", ErrBadLine)}
	}
	id, err := lineID(line)
	if err != nil {
		return nil, &LineError{lr.line, err}
	}
	if lr.line > 1 && id <= lr.prev {
		return nil, &LineError{lr.line, fmt.Errorf("%w: %q after %q", ErrUnsorted, id, lr.prev)}
	}
	lr.prev = id
	rec := &Record{ID: id, Line: line}
	if err := rec.splitLine(); err != nil {
		return nil, &LineError{lr.line, err}
	}
	return rec, nil
}

// sliceSnapshot serves entities held in memory.
type sliceSnapshot struct {
	ents []*entity.Entity
	i    int
}

// SliceSnapshot streams entities held in memory, for the current run:
// already canonicalized (Entity.Canonicalize) and sorted by id. Next
// marshals each entity; an unsorted slice or a nil entity is an error
// naming its index.
func SliceSnapshot(ents []*entity.Entity) Snapshot {
	return &sliceSnapshot{ents: ents}
}

func (s *sliceSnapshot) Next() (*Record, error) {
	if s.i >= len(s.ents) {
		return nil, io.EOF
	}
	i := s.i
	e := s.ents[i]
	if err := checkSlice(s.ents, i); err != nil {
		return nil, err
	}
	line, err := e.MarshalCanonical()
	if err != nil {
		return nil, fmt.Errorf("entity %d (%s): %w", i, e.ID, err)
	}
	s.i++
	return &Record{ID: e.ID, Line: line, Entity: e}, nil
}

// checkSlice checks that ents[i] exists and comes after ents[i-1].
func checkSlice(ents []*entity.Entity, i int) error {
	e := ents[i]
	if e == nil {
		return fmt.Errorf("entity %d: nil", i)
	}
	if e.ID == "" {
		return fmt.Errorf("entity %d: %w: no id", i, ErrBadLine)
	}
	if i > 0 && ents[i-1] != nil && e.ID <= ents[i-1].ID {
		return fmt.Errorf("entity %d: %w: %q after %q", i, ErrUnsorted, e.ID, ents[i-1].ID)
	}
	return nil
}

package sources

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Integrity refusals (DESIGN.md "Integrity"). A parse error wrapping one
// of these refuses the whole publication: nothing of it is published.
var (
	// ErrIncomplete: the file lacks the evidence that it is whole (its end
	// mark, the end of its root element, its declared record count), so
	// any entity missing from it might be a cut, not a removal.
	ErrIncomplete = errors.New("the publication is not proven complete; nothing of it is published")
	// ErrLimit: the file holds a structure far larger than any real
	// publication's (a hostile or broken file), refused before it can
	// exhaust the memory every source of the process shares.
	ErrLimit = errors.New("past a size limit that no real publication comes near; the file is refused")
)

// MaxCSVRecordBytes bounds one CSV record (a row, with any line breaks
// inside its quoted fields). The longest record of any real CSV in the
// corpus is 4,433 bytes (1,136 for OFAC's); one at the bound costs a few
// MB in encoding/csv.
const MaxCSVRecordBytes = 1 << 20

// CSVBound is the reader an encoding/csv.Reader reads from, failing a
// record longer than a bound. It is written by hand because encoding/csv
// has no such option: it grows its buffers for as long a line or quoted
// field as the input holds (a 50 MB line took hundreds of MB). The count
// restarts at every NextRecord, which the caller calls after each Read of
// the csv.Reader; that reader buffers ahead of the record it returns, so
// the bound holds to within its buffer (4 KB), and to within any decoder's
// buffer placed between the two.
type CSVBound struct {
	r            io.Reader
	max          int
	n            int   // bytes handed out since NextRecord
	off          int64 // file offset of the next byte
	lines        int   // newlines handed out
	source, file string
}

// NewCSVBound bounds records read from r at max bytes. base is the file
// offset of r's first byte (a dropped byte order mark), for errors.
func NewCSVBound(r io.Reader, max int, source, file string, base int64) *CSVBound {
	return &CSVBound{r: r, max: max, off: base, source: source, file: file}
}

// NextRecord restarts the count: the csv.Reader returned a record.
func (b *CSVBound) NextRecord() { b.n = 0 }

func (b *CSVBound) Read(p []byte) (int, error) {
	if b.n >= b.max {
		return 0, &RecordError{Source: b.source, File: b.file, Line: b.lines + 1, Offset: b.off,
			Err: fmt.Errorf("a CSV record longer than %d bytes: %w", b.max, ErrLimit)}
	}
	if len(p) > b.max-b.n {
		p = p[:b.max-b.n]
	}
	n, err := b.r.Read(p)
	b.n += n
	b.off += int64(n)
	b.lines += bytes.Count(p[:n], []byte("\n"))
	return n, err
}

// FinalRowError refuses a CSV file whose last row encoding/csv rejected
// (too few fields, a quote left open): in a file without an end mark that
// is what a cut inside a row leaves, so it is taken as truncation, not as
// one bad row to skip.
func FinalRowError(source, file string, pe *csv.ParseError) error {
	return &RecordError{Source: source, File: file, Line: pe.StartLine,
		Err: fmt.Errorf("the file ends in a broken row (%v): truncated: %w", pe.Err, ErrIncomplete)}
}

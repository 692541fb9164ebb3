package sources

import (
	"fmt"
	"sync"
)

// Issue is one record-level problem: a skipped row, an unparsed field, a
// missing companion file. Issues go into the manifest and the report.
type Issue struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Record  string `json:"record,omitempty"` // the publisher's id or the raw row, shortened
	Problem string `json:"problem"`
}

// maxKept bounds the issues kept in full; the count stays exact.
const maxKept = 10000

// Issues collects problems of one run. It is safe for concurrent use.
type Issues struct {
	mu    sync.Mutex
	list  []Issue
	total int
}

// Add records one issue.
func (is *Issues) Add(i Issue) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.total++
	if len(is.list) < maxKept {
		i.Record = shorten(i.Record, 300)
		is.list = append(is.list, i)
	}
}

// Addf records an issue with a formatted problem.
func (is *Issues) Addf(file string, line int, record, format string, args ...any) {
	is.Add(Issue{File: file, Line: line, Record: record, Problem: fmt.Sprintf(format, args...)})
}

// List returns the kept issues in the order they were added.
func (is *Issues) List() []Issue {
	is.mu.Lock()
	defer is.mu.Unlock()
	return append([]Issue(nil), is.list...)
}

// Total is the number of issues added, kept or not.
func (is *Issues) Total() int {
	is.mu.Lock()
	defer is.mu.Unlock()
	return is.total
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// RecordError is a parse failure at a position in a file: the publication
// cannot be used. Line is 1-based; Offset is the byte offset when known.
type RecordError struct {
	Source string
	File   string
	Line   int
	Offset int64
	Err    error
}

func (e *RecordError) Error() string {
	pos := ""
	if e.Line > 0 {
		pos = fmt.Sprintf(" line %d", e.Line)
	}
	if e.Offset > 0 {
		pos += fmt.Sprintf(" (byte %d)", e.Offset)
	}
	return fmt.Sprintf("%s: parse %s%s: %v", e.Source, e.File, pos, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

package sources

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
)

// csvCheckEvery is how many rows CSVRows reads between context checks.
const csvCheckEvery = 256

// CSVRows reads the data rows of a CSV file without an end mark (the EU,
// UK and CSL CSVs) through the CSVBound its csv.Reader reads from. A row
// encoding/csv rejects becomes an issue and is skipped, unless it is the
// file's last: that is what a cut inside a row leaves, so Err is then
// FinalRowError (a cut between rows cannot be seen).
type CSVRows struct {
	r            *csv.Reader
	bound        *CSVBound
	source, file string
	issues       *Issues
	record       func([]string) string
	rec          []string
	rows         int
	broken       *csv.ParseError // the last row read, when encoding/csv rejected it
	err          error
}

// NewCSVRows reads the rows of file from r, which reads from bound, once
// the caller has read what comes before them (a header). record gives a
// rejected row's Record in its issue.
func NewCSVRows(r *csv.Reader, bound *CSVBound, source, file string, issues *Issues, record func([]string) string) *CSVRows {
	return &CSVRows{r: r, bound: bound, source: source, file: file, issues: issues, record: record}
}

// Next advances to the next good row and reports whether there is one;
// at the end of the file or on an error (Err) it is false.
func (c *CSVRows) Next(ctx context.Context) bool {
	for c.err == nil {
		rec, err := c.r.Read()
		c.bound.NextRecord()
		if err == io.EOF {
			if c.broken != nil {
				c.err = FinalRowError(c.source, c.file, c.broken)
			}
			return false
		}
		if c.rows++; c.rows%csvCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				c.err = err
				return false
			}
		}
		c.broken = nil
		if err == nil {
			c.rec = rec
			return true
		}
		var pe *csv.ParseError
		var re *RecordError
		switch {
		case errors.As(err, &re):
			c.err = err // past the record bound
		case !errors.As(err, &pe):
			c.err = &RecordError{Source: c.source, File: c.file, Err: err}
		default:
			c.issues.Add(Issue{File: c.file, Line: pe.StartLine, Record: c.record(rec), Problem: pe.Error() + "; row skipped"})
			c.broken = pe
		}
	}
	return false
}

// Row is the row Next advanced to; the csv.Reader may reuse it
// (ReuseRecord) at the next call.
func (c *CSVRows) Row() []string { return c.rec }

// Line is the line Row starts at.
func (c *CSVRows) Line() int {
	line, _ := c.r.FieldPos(0)
	return line
}

// Rows is how many rows Next has read, rejected ones and a failed read
// too.
func (c *CSVRows) Rows() int { return c.rows }

// Err is what ended Next early: the context's error, the record bound's
// *RecordError, a read error as a *RecordError, or FinalRowError.
func (c *CSVRows) Err() error { return c.err }

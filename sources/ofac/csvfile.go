package ofac

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/encoding/charmap"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Completeness of the legacy CSV set (DESIGN.md "Integrity"; the rules and
// the real files behind them are in docs/sources/ofac.md, "Completeness").
// OFAC writes every file with CRLF line ends and a final 0x1A byte; the
// files have no header, no count and no trailer, so that byte is the only
// evidence that a file is whole:
//
//   - a file that ends with 0x1A is complete (a broken last row before it
//     is then the publisher's, an issue like any broken row);
//   - a file without it and with LF line ends is a re-saved copy (git,
//     a spreadsheet or a CSV tool rewrote it): not the publisher's bytes,
//     and its completeness cannot be proven: refused;
//   - the main, ADD and ALT files without it are truncated: refused;
//   - the comments file without it (OFAC's SDN_COMMENTS.CSV of 2021-07-07
//     has none) is complete only if it ends with a line end and continues
//     every Remarks the main file cuts at remarksCut characters: each of
//     its rows is such a continuation, so a cut loses one.

// remarksCut is the length at which OFAC cuts the main file's Remarks;
// the rest follows in the comments file.
const remarksCut = 1000

// csvFile is one legacy CSV file being read.
type csvFile struct {
	name  string
	which int
	c     io.Closer
	end   *endMark
	bound *sources.CSVBound
	r     *csv.Reader
	// last is the error of the last row read when encoding/csv rejected
	// it, nil after a good row.
	last *csv.ParseError
}

// openCSV opens file which of the set and checks how it starts: a UTF-16
// or UTF-32 file and markup (an HTML error page saved under the file's
// name) are refused, a UTF-8 byte order mark makes it UTF-8 (it is
// Windows-1252 otherwise). An empty companion is left to checkEnd.
func (s *source) openCSV(in *sources.Input, which int, issues *sources.Issues) (*csvFile, error) {
	name := s.files.csv[which]
	rc, err := in.Open(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.files.name, err)
	}
	br := bufio.NewReaderSize(rc, 64<<10)
	var base int64
	if p, _ := br.Peek(1); len(p) > 0 || which == csvMain {
		if base, err = sources.CheckStart(br, s.files.name, name, issues); err != nil {
			rc.Close()
			return nil, err
		}
		if err := sources.RefuseMarkup(br, s.files.name, name); err != nil {
			rc.Close()
			return nil, err
		}
	}
	f := &csvFile{name: name, which: which, c: rc, end: &endMark{br: br, off: base}}
	f.bound = sources.NewCSVBound(f.end, sources.MaxCSVRecordBytes, s.files.name, name, base)
	var text io.Reader = f.bound
	if base == 0 {
		text = charmap.Windows1252.NewDecoder().Reader(text)
	}
	// LazyQuotes stays off: OFAC quotes text fields and never doubles a
	// quote inside one (it prints ' for "), so a stray quote means a broken
	// row, reported as an issue.
	f.r = csv.NewReader(text)
	f.r.FieldsPerRecord = csvFields[which]
	f.r.ReuseRecord = true
	return f, nil
}

// read returns the next row, io.EOF after the last. A row encoding/csv
// rejects comes back with its *csv.ParseError (rowIssue decides).
func (f *csvFile) read() ([]string, error) {
	rec, err := f.r.Read()
	f.bound.NextRecord()
	switch {
	case err == nil:
		f.last = nil
	case err != io.EOF:
		f.last = nil
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			f.last = pe
		}
	}
	return rec, err
}

// fail reports an error reading the file: a *sources.RecordError (the
// record bound's) as it is, any other wrapped in one.
func (s *source) fail(f *csvFile, err error) error {
	var re *sources.RecordError
	if errors.As(err, &re) {
		return err
	}
	return s.recordError(f.name, 0, err)
}

// checkEnd applies the completeness rules above once f is read to its
// end. It reports whether a comments file is left to the check against
// the main file (see checkComments).
func (s *source) checkEnd(f *csvFile) (deferred bool, err error) {
	m := f.end
	if m.marked {
		return false, nil
	}
	refuse := func(format string, args ...any) error {
		return &sources.RecordError{Source: s.files.name, File: f.name, Line: m.lastLine(), Offset: m.off,
			Err: fmt.Errorf(format+": %w", append(args, sources.ErrIncomplete)...)}
	}
	switch {
	case m.eol == "\n":
		broken := ""
		if f.last != nil {
			broken = fmt.Sprintf("; its last row (line %d) is cut short (%v)", f.last.StartLine, f.last.Err)
		}
		return false, refuse("re-saved copy: LF line ends and no 0x1A end mark at byte %d (OFAC writes CRLF and ends every file with 0x1A), so these are not the bytes OFAC serves%s", m.off, broken)
	case f.which == csvComments && f.last == nil && (m.last == '\n' || m.n == 0):
		return true, nil
	case m.n == 0:
		return false, refuse("the file is empty, without the 0x1A byte that ends every OFAC legacy CSV file: truncated")
	}
	inside := ""
	if f.last != nil {
		inside = fmt.Sprintf(", inside its last row (line %d: %v)", f.last.StartLine, f.last.Err)
	}
	return false, refuse("the file ends at byte %d without the 0x1A byte that ends every OFAC legacy CSV file%s: truncated", m.off, inside)
}

// cutRemark is a main row whose Remarks is cut at remarksCut characters.
type cutRemark struct {
	ent, line int
}

// checkComments proves a comments file without its end mark complete:
// every Remarks the main file cuts has its continuation in it.
func (s *source) checkComments(c *companion, cuts []cutRemark) error {
	for _, cut := range cuts {
		if len(c.byEnt[cut.ent]) == 0 {
			return &sources.RecordError{Source: s.files.name, File: c.file, Line: c.end.lastLine(), Offset: c.end.off,
				Err: fmt.Errorf("the file has no 0x1A end mark, and no row of it continues the Remarks of ent_num %d, which %s line %d cuts at %d characters: truncated: %w",
					cut.ent, s.files.csv[csvMain], cut.line, remarksCut, sources.ErrIncomplete)}
		}
	}
	return nil
}

// endMark passes a legacy CSV file on without its final 0x1A (SUB, the
// DOS end-of-file mark) and notes the evidence checkEnd weighs: whether
// the mark was there, the first line end, and how the file ends.
type endMark struct {
	br     *bufio.Reader
	off    int64 // file offset of the next byte (the mark counted)
	n      int64 // bytes passed on
	lines  int   // newlines passed on
	marked bool
	eol    string // the first line end, "" before one
	prev   byte   // the byte before p in the last Read, for eol
	last   byte   // the last byte passed on
}

func (m *endMark) Read(p []byte) (int, error) {
	n, err := m.br.Read(p)
	if n > 0 && p[n-1] == 0x1A {
		if _, perr := m.br.Peek(1); perr == io.EOF {
			n--
			m.marked = true
			m.off++
		}
	}
	if n == 0 {
		if m.marked && err == nil {
			err = io.EOF
		}
		return 0, err
	}
	b := p[:n]
	if m.eol == "" {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			before := m.prev
			if i > 0 {
				before = b[i-1]
			}
			m.eol = "\n"
			if before == '\r' {
				m.eol = "\r\n"
			}
		}
	}
	m.lines += bytes.Count(b, []byte("\n"))
	m.prev, m.last = b[n-1], b[n-1]
	m.off += int64(n)
	m.n += int64(n)
	return n, err
}

// lastLine is the line the file ends on.
func (m *endMark) lastLine() int {
	if m.n > 0 && m.last != '\n' {
		return m.lines + 1
	}
	return m.lines
}

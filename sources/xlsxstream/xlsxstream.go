// Package xlsxstream reads one worksheet of a publisher's XLSX workbook row
// by row with github.com/xuri/excelize/v2's row iterator, after checking
// what a spreadsheet library does not: that the file is a whole zip archive
// (its central directory is at the end of the file, so a cut file is
// refused), that every part decompresses to exactly the size it declares
// with a matching CRC, and that all of them together stay under a bound (a
// zip bomb is refused before anything is parsed). excelize reads a part
// whose stream is damaged as far as it goes without saying so; the check
// here makes that an error naming the part. Nor does excelize say when the
// XML inside a sound zip breaks off: every XML part must end with the end
// of its root element, and the worksheet's rows must be read to its last
// <row> (integrity.go).
package xlsxstream

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// DefaultMaxUnzipped bounds the decompressed bytes of a workbook. The real
// lists decompress to under 10 MB (DFAT's 2026-02-24 workbook: 1.3 MB
// zipped); 256 MiB is far past any of them and far under what a pod has.
const DefaultMaxUnzipped = 256 << 20

// Options describe the workbook a source expects.
type Options struct {
	Source string // source name, for errors
	File   string // official file name, for errors
	// Sheet is the worksheet to read; "" reads the first.
	Sheet string
	// MaxUnzipped bounds the decompressed size of all parts (0:
	// DefaultMaxUnzipped).
	MaxUnzipped int64
	// TempDir is where excelize may spill a large worksheet ("" : the
	// system's).
	TempDir string
}

// Reader yields the rows of one worksheet.
type Reader struct {
	opts  Options
	book  *excelize.File
	rows  *excelize.Rows
	sheet string
	part  string // the worksheet's part in the archive
	last  int    // the number of the worksheet's last <row>
	row   int    // 1-based number of the row Next returned last
}

// Open checks data as a whole workbook, every XML part closed, and opens
// its worksheet. Problems are *sources.RecordError naming the file (and
// the part); a cut wraps sources.ErrIncomplete, a bound sources.ErrLimit.
func Open(data []byte, opts Options) (*Reader, error) {
	if opts.MaxUnzipped <= 0 {
		opts.MaxUnzipped = DefaultMaxUnzipped
	}
	zr, scans, err := check(data, opts)
	if err != nil {
		return nil, err
	}
	book, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: opts.MaxUnzipped, UnzipXMLSizeLimit: min(opts.MaxUnzipped, 16<<20), TmpDir: opts.TempDir,
	})
	if err != nil {
		return nil, opts.errorf(0, "not a readable workbook: %w", err)
	}
	sheet := opts.Sheet
	if sheet == "" {
		list := book.GetSheetList()
		if len(list) == 0 {
			book.Close()
			return nil, opts.errorf(0, "the workbook has no worksheet")
		}
		sheet = list[0]
	}
	part := worksheetPart(zr, sheet)
	if part == "" {
		book.Close()
		return nil, opts.errorf(0, "worksheet %q: no part found for it in xl/workbook.xml: %w", sheet, sources.ErrIncomplete)
	}
	scan, ok := scans[part]
	if !ok {
		book.Close()
		return nil, opts.errorf(0, "worksheet %q: no XML part %s in the workbook: %w", sheet, part, sources.ErrIncomplete)
	}
	rows, err := book.Rows(sheet)
	if err != nil {
		book.Close()
		return nil, opts.errorf(0, "worksheet %q: %w", sheet, err)
	}
	return &Reader{opts: opts, book: book, rows: rows, sheet: sheet, part: part, last: scan.lastRow}, nil
}

// check refuses what is not a whole, sound zip archive within the bound,
// or has an XML part that does not close its root element; it returns the
// archive and what the scan of each XML part found.
func check(data []byte, opts Options) (*zip.Reader, map[string]partScan, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, opts.errorf(0, "empty file")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf"); len(t) > 0 && t[0] == '<' {
			return nil, nil, opts.errorf(0, "an HTML or XML page, not an XLSX workbook (%w)", err)
		}
		if bytes.HasPrefix(data, []byte("PK")) {
			// A zip whose central directory is missing: the file is cut.
			return nil, nil, opts.errorf(0, "the zip archive has no central directory at its end (%v): truncated: %w", err, sources.ErrIncomplete)
		}
		return nil, nil, opts.errorf(0, "not an XLSX workbook: %w", err)
	}
	scans := map[string]partScan{}
	var total int64
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(opts.MaxUnzipped) || total+int64(f.UncompressedSize64) > opts.MaxUnzipped {
			return nil, nil, opts.errorf(0, "part %s: the workbook decompresses to over %d bytes: %w", f.Name, opts.MaxUnzipped, sources.ErrLimit)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, nil, opts.errorf(0, "part %s: %w", f.Name, err)
		}
		// archive/zip refuses a stream longer than its declared size and
		// checks the CRC at its end: read every byte, scanning the tags of
		// an XML part in the same pass.
		cr := &countReader{r: rc}
		var scan partScan
		var scanErr error
		if isXML(f.Name) {
			scan, scanErr = scanPart(cr)
		} else {
			_, scanErr = io.Copy(io.Discard, cr)
		}
		rc.Close()
		switch {
		case cr.err != nil:
			return nil, nil, opts.errorf(0, "part %s: damaged after %d bytes: %w", f.Name, cr.n, cr.err)
		case scanErr != nil:
			return nil, nil, opts.errorf(0, "part %s: %v: truncated: %w", f.Name, scanErr, sources.ErrIncomplete)
		case isXML(f.Name) && !scan.closed:
			return nil, nil, opts.errorf(0, "part %s does not end with the end of its root element <%s>: truncated: %w", f.Name, scan.root, sources.ErrIncomplete)
		}
		if isXML(f.Name) {
			scans[f.Name] = scan
		}
		total += cr.n
	}
	return zr, scans, nil
}

// Next returns the cells of the next row, or io.EOF after the last. A row
// the worksheet leaves out comes as no cells; Row says which row of the
// sheet this is. io.EOF comes only after the worksheet's last <row>: where
// the iterator stops before it, the XML broke there, and the error wraps
// sources.ErrIncomplete.
func (r *Reader) Next() ([]string, error) {
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return nil, r.opts.errorf(r.row, "worksheet %q after row %d: %w", r.sheet, r.row, err)
		}
		if r.row != r.last {
			return nil, r.opts.errorf(r.row, "worksheet %q (%s) holds rows to row %d, but its XML could be read only to row %d: broken after it: %w",
				r.sheet, r.part, r.last, r.row, sources.ErrIncomplete)
		}
		return nil, io.EOF
	}
	r.row++
	cells, err := r.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, r.opts.errorf(r.row, "worksheet %q row %d: %w", r.sheet, r.row, err)
	}
	return cells, nil
}

// Row is the 1-based number of the row Next returned last: the line of
// issues about it.
func (r *Reader) Row() int { return r.row }

// Sheet is the name of the worksheet read.
func (r *Reader) Sheet() string { return r.sheet }

// Close releases the workbook and any temp file excelize made.
func (r *Reader) Close() error {
	return errors.Join(r.rows.Close(), r.book.Close())
}

func (o Options) errorf(line int, format string, args ...any) error {
	return &sources.RecordError{Source: o.Source, File: o.File, Line: line, Err: fmt.Errorf(format, args...)}
}

// CleanCell undoes what spreadsheet writers leave in DFAT's cells: the
// escaped carriage return "_x000D_" before line ends (OOXML's escape of a
// character XML cannot carry raw), and carriage returns themselves.
func CleanCell(s string) string {
	if !strings.Contains(s, "_x000D_") && !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "_x000D_", "")
	return strings.ReplaceAll(s, "\r", "")
}

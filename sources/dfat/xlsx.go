package dfat

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/xlsxstream"
)

// row is one sheet row of the list: one name of a party.
type row struct {
	n     int             // sheet row number, the line of its issues
	ref   string          // Reference as printed, trimmed
	cells [numCols]string // mapped cells, _x000D_ removed, otherwise as printed
}

// The rows of one group are sorted out of the whole sheet with an external
// sort keyed by the group's number: the real 2024-12-17 workbook prints
// 2940j (an alias of Chernomorneftegaz) 177 rows after the rest of group
// 2940, so a group cannot be closed when the next one starts, and nothing
// bounds how far a row may stray. The sort holds sortBudget bytes of rows
// and spills the rest to disk, so memory stays flat however the rows are
// ordered; a group itself is held whole (bounded by maxGroupBytes).
const (
	sortBudget = 1 << 20
	// maxGroupBytes bounds the cells of one group. The largest real group,
	// 2672 (Hay'at Tahrir al-Sham), is 34 rows and 57 KB in 2026-02-24 (35
	// and 54 KB in 2024-12-17); 8 MiB is a group no list has.
	maxGroupBytes = 8 << 20
)

// parseXLSX reads the workbook f.
func (s *source) parseXLSX(ctx context.Context, f *fetch.File, emit func(*entity.Entity) error, issues *sources.Issues) (meta sources.Meta, err error) {
	data, err := os.ReadFile(f.Path)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	r, err := xlsxstream.Open(data, xlsxstream.Options{Source: Name, File: f.Name, MaxUnzipped: s.cfg.MaxUnzipped, TempDir: s.cfg.TempDir})
	if err != nil {
		return meta, err
	}
	defer func() {
		if r != nil {
			err = errors.Join(err, r.Close())
		}
	}()
	// xlsxstream has checked the zip whole and every XML part closed, and
	// Next reads the worksheet to its last <row> or fails: excelize's row
	// iterator alone ends without an error where the XML breaks off.
	p := &parser{file: f.Name, sheet: r.Sheet(), issues: issues}
	meta.PublicationDate = workbookDate(data)

	dir, err := os.MkdirTemp(s.cfg.TempDir, "au_dfat-rows-*")
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer os.RemoveAll(dir)
	// A budget near the file's size for small files: the sorter allocates
	// its whole budget up front.
	sorter := extsort.New(dir, min(sortBudget, max(64<<10, 8*len(data))))
	rows, err := p.readRows(ctx, r, sorter)
	if err != nil {
		return meta, err
	}
	// Every row is in the sorter: the workbook (excelize holds the
	// worksheet's XML, 8 MB for 2026-02-24, and the shared strings) goes
	// before the entities are made.
	closeErr := r.Close()
	r, data = nil, nil // the deferred Close holds r otherwise
	if closeErr != nil {
		return meta, fmt.Errorf("%s: close the workbook: %w", Name, closeErr)
	}
	if rows == 0 {
		return meta, p.errorf(p.head.row, "no row of the list after the header: %w", sources.ErrIncomplete)
	}
	it, err := sorter.Sort()
	defer func() {
		if it != nil {
			err = errors.Join(err, it.Close())
		}
	}()
	if err != nil {
		return meta, fmt.Errorf("%s: sort rows: %w", Name, err)
	}
	if err := p.groups(ctx, it, emit); err != nil {
		return meta, err
	}
	if meta.PublicationDate == "" && p.maxControl != "" {
		meta.PublicationDate = p.maxControl
		issues.Addf(p.file, 0, "", "no modification date in docProps/core.xml; the publication date is the latest Control Date, %s", p.maxControl)
	}
	return meta, nil
}

// parser holds the state of one parse.
type parser struct {
	file, sheet string
	issues      *sources.Issues
	head        *header
	// maxControl is the latest Control Date seen (ISO), the fallback
	// publication date.
	maxControl string
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &sources.RecordError{Source: Name, File: p.file, Line: line, Err: fmt.Errorf(format, args...)}
}

func (p *parser) issuef(line int, record, format string, args ...any) {
	p.issues.Addf(p.file, line, record, format, args...)
}

// readRows reads the header and hands every row of the list to sorter,
// keyed by its group; it returns how many it handed.
func (p *parser) readRows(ctx context.Context, r *xlsxstream.Reader, sorter *extsort.Sorter) (int, error) {
	var key, value []byte
	rows := 0
	for {
		cells, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		if r.Row()%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		if blank(cells) {
			// A row with no text at all (the 2024 workbook ends with seven
			// formatted, empty rows): nothing to map.
			continue
		}
		if p.head == nil {
			if p.head, err = readHeader(cells, r.Row(), p.issues, p.file); err != nil {
				return 0, p.errorf(r.Row(), "worksheet %q: %w", p.sheet, err)
			}
			continue
		}
		rw, ok := p.row(cells, r.Row())
		if !ok {
			continue
		}
		num := groupNumber(rw.ref)
		key = appendField(key[:0], num)
		value = encodeRow(value[:0], rw)
		if err := sorter.Add(key, value, uint64(rw.n)); err != nil {
			return 0, fmt.Errorf("%s: sort rows: %w", Name, err)
		}
		rows++
	}
	if p.head == nil {
		return 0, p.errorf(0, "worksheet %q has no header row (no cell holds text): %w", r.Sheet(), sources.ErrIncomplete)
	}
	return rows, nil
}

// row maps one sheet row's cells; false when the row cannot be placed in
// a group (the issue is recorded).
func (p *parser) row(cells []string, n int) (row, bool) {
	rw := row{n: n}
	var stray []int // columns without header that hold text
	for i, c := range cells {
		if i >= len(p.head.pos) || p.head.pos[i] < 0 {
			if strings.TrimSpace(c) != "" && !p.head.named(i) {
				stray = append(stray, i)
			}
			continue
		}
		rw.cells[p.head.pos[i]] = xlsxstream.CleanCell(c)
	}
	rw.ref = normalize.Text(rw.cells[colRef])
	for _, i := range stray {
		p.head.unnamed(i, n, cells[i], p.issues, p.file, rw.ref)
	}
	switch {
	case rw.ref == "":
		p.issuef(n, "", "row without Reference (name %q); not mapped: it belongs to no group", shorten(rw.cells[colName]))
		return rw, false
	case groupNumber(rw.ref) == "":
		p.issuef(n, rw.ref, "Reference %q does not start with a number; the row (name %q) is not mapped: it belongs to no group", rw.ref, shorten(rw.cells[colName]))
		return rw, false
	}
	return rw, true
}

// blank reports whether no cell holds text.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(xlsxstream.CleanCell(c)) != "" {
			return false
		}
	}
	return true
}

// groupNumber is the leading digits of a Reference ("2940" of "2940j",
// "34" of "34c1"): the party's number, the entity's source id.
func groupNumber(ref string) string {
	i := 0
	for i < len(ref) && ref[i] >= '0' && ref[i] <= '9' {
		i++
	}
	return ref[:i]
}

// encodeRow appends the row's number and cells to dst.
func encodeRow(dst []byte, rw row) []byte {
	dst = binary.AppendUvarint(dst, uint64(rw.n))
	dst = appendField(dst, rw.ref)
	for _, c := range rw.cells {
		dst = appendField(dst, c)
	}
	return dst
}

// decodeRow reads what encodeRow wrote.
func decodeRow(b []byte) (row, error) {
	var rw row
	n, k := binary.Uvarint(b)
	if k <= 0 {
		return rw, errors.New("bad row record")
	}
	rw.n, b = int(n), b[k:]
	var ok bool
	if rw.ref, b, ok = readField(b); !ok {
		return rw, errors.New("bad row record")
	}
	for i := range rw.cells {
		if rw.cells[i], b, ok = readField(b); !ok {
			return rw, errors.New("bad row record")
		}
	}
	return rw, nil
}

func appendField(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func readField(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}

// groups reads the sorted rows one group at a time and emits each
// group's entity.
func (p *parser) groups(ctx context.Context, it *extsort.Iterator, emit func(*entity.Entity) error) error {
	var g group
	size := 0
	flush := func() error {
		if len(g.rows) == 0 {
			return nil
		}
		e := p.build(&g)
		g.rows, size = g.rows[:0], 0
		if e == nil {
			return nil
		}
		return emit(e)
	}
	n := 0
	for it.Next() {
		if n++; n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		num, _, ok := readField(it.Key())
		rw, err := decodeRow(it.Value())
		if !ok || err != nil {
			return fmt.Errorf("%s: sorted rows: bad record", Name)
		}
		if num != g.number {
			if err := flush(); err != nil {
				return err
			}
			g.number = num
		}
		size += len(it.Value())
		if size > maxGroupBytes {
			return p.errorf(rw.n, "the rows of reference %s hold over %d bytes (row %d): %w", num, maxGroupBytes, rw.n, sources.ErrLimit)
		}
		g.rows = append(g.rows, rw)
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("%s: sorted rows: %w", Name, err)
	}
	return flush()
}

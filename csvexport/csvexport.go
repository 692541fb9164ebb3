// Package csvexport writes entities as a CSV file for people: one row per
// entity, opened cleanly by spreadsheet software. The format is described
// in docs/csv.md; in short: UTF-8 with a byte order mark, RFC 4180 quoting
// by encoding/csv, CRLF at the end of each row and LF for a line break
// inside a cell (as Excel itself saves), several values of one cell joined
// by " | " with a literal "|" doubled, and a leading apostrophe on every
// cell a spreadsheet would take for a formula.
package csvexport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// BOM is the UTF-8 byte order mark the file starts with: without it
// Excel reads a CSV file in the machine's legacy code page and garbles
// every non-Latin name.
const BOM = "\ufeff"

// Separator joins the values of a multi-valued cell. Not "; ": real names
// and addresses hold semicolons ("COMPAGNIE AERIENNE DES GRANDS LACS
// (CAGL) ; GREAT LAKES BUSINESS COMPANY (GLBC)" is one OFAC name), so a
// reader could not tell a value's semicolon from a separator. No name,
// address, identifier or program of the test publications holds a "|";
// the one that does is written with "||" (see docs/csv.md).
const Separator = " | "

// Header returns the column names, in order.
func Header() []string {
	return []string{
		"id", "source", "type", "name", "aliases", "birth_dates", "nationalities",
		"citizenships", "identifiers", "programs", "listed_on", "addresses", "remarks",
	}
}

// Writer writes one row per entity to an underlying writer. It writes the
// BOM and the header before the first row (or at Close when there is
// none). Rows appear in the order of the Write calls; the same entities in
// the same order give the same bytes.
type Writer struct {
	bw      *bufio.Writer
	cw      *csv.Writer
	rec     []string
	vals    []string
	started bool
	closed  bool
}

// NewWriter returns a Writer on w. Close must be called to flush; it does
// not close w.
func NewWriter(w io.Writer) *Writer {
	bw := bufio.NewWriterSize(w, 64<<10)
	// encoding/csv with UseCRLF turns a line break inside a cell into CRLF
	// too, which Excel shows as a stray character; it writes LF here, and
	// crlf turns only the row ends into CRLF.
	cw := csv.NewWriter(&crlf{w: bw})
	return &Writer{bw: bw, cw: cw, rec: make([]string, len(Header()))}
}

func (w *Writer) start() error {
	if w.started {
		return nil
	}
	w.started = true
	if _, err := w.bw.WriteString(BOM); err != nil {
		return fmt.Errorf("csvexport: write bom: %w", err)
	}
	if err := w.cw.Write(Header()); err != nil {
		return fmt.Errorf("csvexport: write header: %w", err)
	}
	return nil
}

// Write writes e's row.
func (w *Writer) Write(e *entity.Entity) error {
	if w.closed {
		return errors.New("csvexport: write after close")
	}
	if err := w.start(); err != nil {
		return err
	}
	r := w.rec
	r[0] = cell(e.ID)
	r[1] = cell(e.Source)
	r[2] = cell(string(e.Type))
	r[3] = cell(e.Name)
	r[4] = w.multi(aliases(w.vals[:0], e))
	r[5] = w.multi(birthDates(w.vals[:0], e.BirthDates))
	r[6] = w.multi(countries(w.vals[:0], e.Nationalities))
	r[7] = w.multi(countries(w.vals[:0], e.Citizenships))
	r[8] = w.multi(identifiers(w.vals[:0], e.Identifiers))
	r[9] = w.multi(append(w.vals[:0], e.Programs...))
	r[10] = cell(e.ListedOn)
	r[11] = w.multi(addresses(w.vals[:0], e.Addresses))
	r[12] = cell(e.Remarks)
	if err := w.cw.Write(r); err != nil {
		return fmt.Errorf("csvexport: write %s: %w", e.ID, err)
	}
	return nil
}

// Close writes the BOM and header if no row was written and flushes
// everything to the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	err := w.start()
	w.closed = true
	w.cw.Flush()
	if err == nil {
		err = w.cw.Error()
	}
	if err == nil {
		err = w.bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("csvexport: flush: %w", err)
	}
	return nil
}

// multi joins vals (empty ones and repeats dropped, first spelling kept)
// into one cell, each "|" of a value doubled so that a lone "|" is always
// a separator.
func (w *Writer) multi(vals []string) string {
	w.vals = vals[:0] // keep the grown array for the next cell
	var b strings.Builder
	n := 0
	for i, v := range vals {
		v = lineBreaks(strings.TrimSpace(v))
		if v == "" || seen(vals[:i], v) {
			continue
		}
		if n > 0 {
			b.WriteString(Separator)
		}
		n++
		if strings.Contains(v, "|") {
			v = strings.ReplaceAll(v, "|", "||")
		}
		b.WriteString(v)
	}
	return neutralize(b.String())
}

// seen reports whether v, trimmed, is among earlier (untrimmed) values.
func seen(earlier []string, v string) bool {
	for _, e := range earlier {
		if lineBreaks(strings.TrimSpace(e)) == v {
			return true
		}
	}
	return false
}

// cell prepares a single value.
func cell(v string) string {
	return neutralize(lineBreaks(v))
}

// lineBreaks turns CRLF and a lone CR into LF, the line break a
// spreadsheet keeps inside a cell; a lone CR would otherwise reach the
// file raw and show as a box or join two words.
func lineBreaks(v string) string {
	if !strings.Contains(v, "\r") {
		return v
	}
	return strings.ReplaceAll(strings.ReplaceAll(v, "\r\n", "\n"), "\r", "\n")
}

// neutralize prefixes an apostrophe to a cell that a spreadsheet would
// evaluate as a formula (OWASP's CSV injection rule: a leading =, +, -, @,
// tab or CR; LF is added since lineBreaks turns CR into it). Legitimate
// values start so too (an OFAC alias "-VPK NPO Mashinostroeniya", a
// remark "+9821-8875 1749"): unprefixed, a spreadsheet would show those
// as #NAME? or a computed number, so they are prefixed alike.
func neutralize(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + v
	}
	return v
}

// aliases are the entity's names other than its primary name, in the
// entity's (canonical) order. The name column is the name as published;
// its names[] entry may be that less an annotation ("Gazprom Telekom, OOO"
// of "Gazprom Telekom, OOO (f.k.a. ...)"), which is no alias either.
func aliases(dst []string, e *entity.Entity) []string {
	bare := normalize.StripAnnotations(e.Name)
	for _, n := range e.Names {
		if n.Value != e.Name && (n.Kind != entity.KindPrimary || n.Value != bare) {
			dst = append(dst, n.Value)
		}
	}
	return dst
}

// birthDates writes a date at its precision ("1970", "1970-01",
// "1970-01-12"), a range as an ISO 8601 interval ("1960/1962"), an
// approximate one after "circa", and the published text where nothing was
// parsed.
func birthDates(dst []string, ds []entity.Date) []string {
	for _, d := range ds {
		var v string
		switch {
		case d.Value != "":
			v = d.Value
		case d.From != "" || d.To != "":
			v = d.From + "/" + d.To
		default:
			v = d.Raw
		}
		if d.Approximate && v != "" {
			v = "circa " + v
		}
		dst = append(dst, v)
	}
	return dst
}

// countries writes ISO codes, and the published text where it did not map;
// what the publisher printed about a country beside it follows the code in
// parentheses ("PS (possibly)"), since a reader must not take a possible
// nationality for a known one.
func countries(dst []string, cs []entity.Country) []string {
	for _, c := range cs {
		switch {
		case c.Code == "":
			dst = append(dst, c.Raw)
		case c.Qualifier != "":
			dst = append(dst, c.Code+" ("+c.Qualifier+")")
		default:
			dst = append(dst, c.Code)
		}
	}
	return dst
}

// identifiers writes "<type>: <number> (<country>)" with the type and
// number as published where the source kept them, since that is what a
// reader finds in the publication ("Cedula No.: 16217170 (CO)").
func identifiers(dst []string, ids []entity.Identifier) []string {
	for _, id := range ids {
		label := id.RawType
		if label == "" {
			label = id.Type
		}
		v := id.Raw
		if v == "" {
			v = id.Value
		}
		s := v
		if label != "" {
			s = label + ": " + v
		}
		if id.Country != "" {
			s += " (" + id.Country + ")"
		}
		dst = append(dst, s)
	}
	return dst
}

// addresses writes the full address as published, or its parts joined by
// ", " where the source printed only parts.
func addresses(dst []string, as []entity.Address) []string {
	for _, a := range as {
		if a.Full != "" {
			dst = append(dst, a.Full)
			continue
		}
		country := a.CountryRaw
		if country == "" {
			country = a.Country
		}
		var parts []string
		for _, p := range []string{a.Street, a.City, a.Region, a.PostalCode, country} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		dst = append(dst, strings.Join(parts, ", "))
	}
	return dst
}

// crlf passes encoding/csv's output on with each row end (an LF outside
// quotes) written as CRLF. encoding/csv quotes every field that holds a
// quote and doubles the quotes inside, so toggling on each '"' tracks
// whether a byte is inside a quoted field.
type crlf struct {
	w       *bufio.Writer
	inQuote bool
}

func (c *crlf) Write(p []byte) (int, error) {
	start := 0
	for i, b := range p {
		switch {
		case b == '"':
			c.inQuote = !c.inQuote
		case b == '\n' && !c.inQuote:
			if _, err := c.w.Write(p[start:i]); err != nil {
				return start, err
			}
			if _, err := c.w.WriteString("\r\n"); err != nil {
				return i, err
			}
			start = i + 1
		}
	}
	if _, err := c.w.Write(p[start:]); err != nil {
		return start, err
	}
	return len(p), nil
}

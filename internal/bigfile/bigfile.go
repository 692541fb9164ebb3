// Package bigfile builds large publications from real records for
// benchmarks and memory tests; nothing here is real data by itself. A
// large UN list is the records of one real publication written over and
// over, every copy k > 0 with its DATAIDs prefixed by k and "000" so that
// ids stay unique, inside the real publication's root, so that every
// record is one our parser reads and the file ends as a complete one. The
// package also holds the parser floors the runs are measured against.
package bigfile

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// UNFile is the official file name of the UN list (sources/un's FileName;
// not imported, so that the UN package's own tests can use this one).
const UNFile = "consolidated.xml"

// UN is a real UN publication cut for repetition.
type UN struct {
	head []byte // through <INDIVIDUALS>, with the root's dateGenerated
	mid  []byte // </INDIVIDUALS> through <ENTITIES>
	tail []byte // </ENTITIES> to the end
	// inds and ents are the two sections' bodies cut after every
	// "<DATAID>", where a copy's prefix goes.
	inds, ents [][]byte
	ids        int    // DATAIDs of one copy
	date       [2]int // offsets of dateGenerated's date (YYYY-MM-DD) in head
	perCopy    int    // INDIVIDUAL and ENTITY records of one copy
}

// Stats says what a built publication holds. For the next day's
// publication Added and Removed are the records a diff against the first
// day's of the same size finds (every other record is unchanged).
type Stats struct {
	Bytes   int64
	Records int // INDIVIDUAL and ENTITY records
	Copies  int // copies of the real records
	PerCopy int // records of one copy
	Added   int
	Removed int
}

// ParseUN cuts a real UN publication (its uncompressed XML) for
// repetition. It checks what the copies rely on: one INDIVIDUALS and one
// ENTITIES section, a dateGenerated, and one DATAID of digits without a
// leading zero in every record (so that a prefixed id cannot equal another
// copy's).
func ParseUN(pub []byte) (*UN, error) {
	at := func(tag string) (int, error) {
		i := bytes.Index(pub, []byte(tag))
		if i < 0 || bytes.Contains(pub[i+1:], []byte(tag)) {
			return 0, fmt.Errorf("bigfile: UN publication: want one %s", tag)
		}
		return i, nil
	}
	var cut [4]int
	for i, tag := range []string{"<INDIVIDUALS>", "</INDIVIDUALS>", "<ENTITIES>", "</ENTITIES>"} {
		var err error
		if cut[i], err = at(tag); err != nil {
			return nil, err
		}
	}
	if !(cut[0] < cut[1] && cut[1] < cut[2] && cut[2] < cut[3]) {
		return nil, errors.New("bigfile: UN publication: INDIVIDUALS must come before ENTITIES")
	}
	indsStart, entsStart := cut[0]+len("<INDIVIDUALS>"), cut[2]+len("<ENTITIES>")
	u := &UN{head: pub[:indsStart], mid: pub[cut[1]:entsStart], tail: pub[cut[3]:]}
	u.inds = bytes.SplitAfter(pub[indsStart:cut[1]], []byte("<DATAID>"))
	u.ents = bytes.SplitAfter(pub[entsStart:cut[3]], []byte("<DATAID>"))
	u.ids = len(u.inds) - 1 + len(u.ents) - 1

	attr := []byte(`dateGenerated=`)
	d := bytes.Index(u.head, attr)
	if d < 0 || d+len(attr) >= len(u.head) || (u.head[d+len(attr)] != '"' && u.head[d+len(attr)] != '\'') {
		return nil, errors.New("bigfile: UN publication: no dateGenerated in the head")
	}
	d += len(attr) + 1
	u.date = [2]int{d, d + len("2006-01-02")}
	if u.date[1] > len(u.head) {
		return nil, errors.New("bigfile: UN publication: dateGenerated cut short")
	}
	if _, err := time.Parse(time.DateOnly, string(u.head[u.date[0]:u.date[1]])); err != nil {
		return nil, fmt.Errorf("bigfile: UN publication: dateGenerated: %w", err)
	}

	records, err := checkRecords(pub)
	if err != nil {
		return nil, err
	}
	if records != u.ids {
		return nil, fmt.Errorf("bigfile: UN publication: %d records but %d <DATAID> tags", records, u.ids)
	}
	u.perCopy = records
	return u, nil
}

// checkRecords counts the records (grandchildren of INDIVIDUALS and
// ENTITIES) and checks that each has one DATAID fit for prefixing.
func checkRecords(pub []byte) (int, error) {
	d := xml.NewDecoder(bytes.NewReader(pub))
	var path []string
	records, ids := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("bigfile: UN publication: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			if len(path) == 3 {
				records++
			}
			if len(path) == 4 && path[3] == "DATAID" {
				var id string
				if err := d.DecodeElement(&id, &tok); err != nil {
					return 0, fmt.Errorf("bigfile: UN publication: DATAID: %w", err)
				}
				path = path[:len(path)-1]
				if !digits(id) || id[0] == '0' {
					return 0, fmt.Errorf("bigfile: UN publication: DATAID %q is not digits without a leading zero", id)
				}
				ids++
				if ids != records {
					return 0, fmt.Errorf("bigfile: UN publication: record %d has a second DATAID %s", records, id)
				}
			}
		case xml.EndElement:
			path = path[:len(path)-1]
			if len(path) == 2 && ids != records {
				return 0, fmt.Errorf("bigfile: UN publication: record %d has no DATAID", records)
			}
		}
	}
	return records, nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// PerCopy is the number of records of one copy.
func (u *UN) PerCopy() int { return u.perCopy }

// CopyID is the DATAID that id has in copy k.
func CopyID(k int, id string) string {
	if k == 0 {
		return id
	}
	return string(prefix(k)) + id
}

func prefix(k int) []byte {
	if k == 0 {
		return nil
	}
	return []byte(strconv.Itoa(k) + "000")
}

// copyBytes is the size of copy k.
func (u *UN) copyBytes(k int) int64 {
	n := int64(u.ids * len(prefix(k)))
	for _, s := range u.inds {
		n += int64(len(s))
	}
	for _, s := range u.ents {
		n += int64(len(s))
	}
	return n
}

// Copies is the number of copies a publication of at least minBytes
// needs (at least one).
func (u *UN) Copies(minBytes int64) int {
	size := int64(len(u.head) + len(u.mid) + len(u.tail))
	n := 0
	for n == 0 || size < minBytes {
		size += u.copyBytes(n)
		n++
	}
	return n
}

// Write writes the publication of copies first .. first+n-1, its
// dateGenerated moved on by days, and returns its size.
func (u *UN) Write(w io.Writer, first, n, days int) (int64, error) {
	if n < 1 || first < 0 {
		return 0, fmt.Errorf("bigfile: copies %d..%d", first, first+n-1)
	}
	cw := &countWriter{w: bufio.NewWriterSize(w, 1<<20)}
	date, err := time.Parse(time.DateOnly, string(u.head[u.date[0]:u.date[1]]))
	if err != nil {
		return 0, fmt.Errorf("bigfile: dateGenerated: %w", err)
	}
	cw.write(u.head[:u.date[0]])
	cw.write([]byte(date.AddDate(0, 0, days).Format(time.DateOnly)))
	cw.write(u.head[u.date[1]:])
	section := func(parts [][]byte) {
		for k := first; k < first+n; k++ {
			p := prefix(k)
			for i, s := range parts {
				cw.write(s)
				if i < len(parts)-1 {
					cw.write(p)
				}
			}
		}
	}
	section(u.inds)
	cw.write(u.mid)
	section(u.ents)
	cw.write(u.tail)
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	if cw.err != nil {
		return cw.n, fmt.Errorf("bigfile: write: %w", cw.err)
	}
	return cw.n, nil
}

// countWriter counts what it writes and keeps the first error.
type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countWriter) write(p []byte) {
	if c.err != nil {
		return
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
}

// minNextDayCopies keeps the next day's removals (one copy) under the
// run's 10% drop guard.
const minNextDayCopies = 11

// WriteUN writes to w a UN CONSOLIDATED_LIST of at least minBytes built
// from the real publication pub: copies 0 .. n-1 of its records.
func WriteUN(w io.Writer, pub []byte, minBytes int64) (Stats, error) {
	u, err := ParseUN(pub)
	if err != nil {
		return Stats{}, err
	}
	return u.WriteFirst(w, minBytes)
}

// WriteUNNextDay writes the publication of the day after WriteUN's of the
// same minBytes: copy 0 gone, a new copy n (ids no list had), every other
// record unchanged, and dateGenerated a day later. It refuses sizes under
// 11 copies, where the removed copy would be 10% of the list or more and
// trip the run's drop guard.
func WriteUNNextDay(w io.Writer, pub []byte, minBytes int64) (Stats, error) {
	u, err := ParseUN(pub)
	if err != nil {
		return Stats{}, err
	}
	return u.WriteNextDay(w, minBytes)
}

// WriteFirst is WriteUN with u.
func (u *UN) WriteFirst(w io.Writer, minBytes int64) (Stats, error) {
	n := u.Copies(minBytes)
	size, err := u.Write(w, 0, n, 0)
	return Stats{Bytes: size, Records: n * u.perCopy, Copies: n, PerCopy: u.perCopy}, err
}

// WriteNextDay is WriteUNNextDay with u.
func (u *UN) WriteNextDay(w io.Writer, minBytes int64) (Stats, error) {
	n := u.Copies(minBytes)
	if n < minNextDayCopies {
		return Stats{}, fmt.Errorf("bigfile: a next day of %d bytes has %d copies; want at least %d so that one removed copy stays under 10%%", minBytes, n, minNextDayCopies)
	}
	size, err := u.Write(w, 1, n, 1)
	return Stats{Bytes: size, Records: n * u.perCopy, Copies: n, PerCopy: u.perCopy, Added: u.perCopy, Removed: u.perCopy}, err
}

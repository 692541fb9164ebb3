package dfat

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// excelize's row iterator ends without an error where the worksheet's XML
// breaks off (it drops the decoder's error): a worksheet cut in half and
// zipped again, a sound zip, gives the first half of the list and no
// error. xlsxstream checks the zip, not the XML inside it. So the parser
// checks the end itself, as xmlstream does for XML sources: every XML part
// must close its root element, and the worksheet's last <row> must be the
// last row the iterator gave. It scans the tags without decoding them
// (one inflate of the part, about 60 ms for the 8 MB worksheet of
// 2026-02-24; a full encoding/xml pass took 290 ms).

// partScan is what scanPart learns of one XML part.
type partScan struct {
	root    string // qualified name of the root element
	closed  bool   // the part ends with the root's end tag
	lastRow int    // the worksheet's last row number, as excelize counts
}

// scanPart reads the tags of an XML part.
func scanPart(r io.Reader) (partScan, error) {
	var s partScan
	br := bufio.NewReaderSize(r, 64<<10)
	lastEnd := ""
	trailing := false // text other than white space after the last end tag
	for {
		text, err := readUntil(br, '<')
		if len(bytes.TrimSpace(text)) > 0 {
			trailing = true
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
		tag, err := readUntil(br, '>')
		if err != nil {
			return s, fmt.Errorf("a tag left open: %w", io.ErrUnexpectedEOF)
		}
		trailing = false
		switch {
		case len(tag) == 0 || tag[0] == '?' || tag[0] == '!':
			continue
		case tag[0] == '/':
			lastEnd = string(bytes.TrimSpace(tag[1:]))
			continue
		}
		name := tagName(tag)
		if s.root == "" {
			s.root = name
			if bytes.HasSuffix(tag, []byte("/")) {
				lastEnd = name
			}
			continue
		}
		lastEnd = ""
		if local(name) == "row" {
			if n, ok := attr(tag, "r"); ok {
				s.lastRow = n
			} else {
				s.lastRow++
			}
		}
	}
	s.closed = s.root != "" && lastEnd == s.root && !trailing
	return s, nil
}

// readUntil reads up to and without delim; long runs are read whole.
func readUntil(br *bufio.Reader, delim byte) ([]byte, error) {
	b, err := br.ReadSlice(delim)
	if err == nil {
		return b[:len(b)-1], nil
	}
	if !errors.Is(err, bufio.ErrBufferFull) {
		return b, err
	}
	// Text or a tag longer than the buffer: only its end matters.
	last := bytes.Clone(b[max(0, len(b)-1024):])
	for errors.Is(err, bufio.ErrBufferFull) {
		b, err = br.ReadSlice(delim)
		last = append(last[:0], b[max(0, len(b)-1024):]...)
	}
	if err == nil {
		return last[:len(last)-1], nil
	}
	return last, err
}

func tagName(tag []byte) string {
	end := bytes.IndexAny(tag, " \t\r\n/")
	if end < 0 {
		end = len(tag)
	}
	return string(tag[:end])
}

func local(name string) string {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// attr returns the integer value of attribute name in a start tag.
func attr(tag []byte, name string) (int, bool) {
	for _, q := range []string{`"`, `'`} {
		key := []byte(" " + name + "=" + q)
		i := bytes.Index(tag, key)
		if i < 0 {
			continue
		}
		v := tag[i+len(key):]
		if j := bytes.IndexByte(v, q[0]); j >= 0 {
			n, err := strconv.Atoi(string(v[:j]))
			return n, err == nil
		}
	}
	return 0, false
}

// checkParts refuses a workbook whose XML parts do not close their root
// element, before excelize reads them (a cut shared strings part fails
// inside excelize with a bare XML error). It returns the last row number
// the worksheet sheet holds, for checkRows.
func (p *parser) checkParts(data []byte, sheet string) (int, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return 0, p.errorf(0, "%w", err) // xlsxstream.Open read it already
	}
	sheetPart := worksheetPart(zr, sheet)
	if sheetPart == "" {
		return 0, p.errorf(0, "worksheet %q: no part found for it in xl/workbook.xml: %w", sheet, sources.ErrIncomplete)
	}
	lastRow := -1
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0, p.errorf(0, "part %s: %w", f.Name, err)
		}
		s, err := scanPart(rc)
		rc.Close()
		switch {
		case err != nil:
			return 0, p.errorf(0, "part %s: %v: truncated: %w", f.Name, err, sources.ErrIncomplete)
		case !s.closed:
			return 0, p.errorf(0, "part %s does not end with the end of its root element <%s>: truncated: %w", f.Name, s.root, sources.ErrIncomplete)
		case f.Name == sheetPart:
			lastRow = s.lastRow
		}
	}
	if lastRow < 0 {
		return 0, p.errorf(0, "worksheet %q: no part %s in the workbook: %w", sheet, sheetPart, sources.ErrIncomplete)
	}
	p.sheetPart = sheetPart
	return lastRow, nil
}

// checkRows refuses a worksheet whose rows the iterator did not read to
// the last: its XML breaks off inside.
func (p *parser) checkRows(want, got int) error {
	if got == want {
		return nil
	}
	return p.errorf(got, "worksheet %q (%s) holds rows to row %d, but its XML could be read only to row %d: broken after it: %w",
		p.sheet, p.sheetPart, want, got, sources.ErrIncomplete)
}

// worksheetPart resolves a worksheet's name to its part through
// xl/workbook.xml and its relationships; "" when it cannot.
func worksheetPart(zr *zip.Reader, sheet string) string {
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if decodePart(zr, "xl/workbook.xml", &book) != nil || decodePart(zr, "xl/_rels/workbook.xml.rels", &rels) != nil {
		return ""
	}
	for _, s := range book.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID != s.ID {
				continue
			}
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/")
			}
			return path.Join("xl", r.Target)
		}
	}
	return ""
}

// decodePart decodes a small XML part (at most 1 MiB of it).
func decodePart(zr *zip.Reader, name string, v any) error {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		defer rc.Close()
		return xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(v)
	}
	return fmt.Errorf("no part %s", name)
}

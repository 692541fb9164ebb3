package bigfile

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/antchfx/xmlquery"
	"github.com/xuri/excelize/v2"
)

// The floors are the least work a run on an XML publication can do: a
// run cannot be faster than tokenizing its input (TokenFloor) nor, on the
// parser the design names, than handing over every record
// (XMLQueryFloor). Both return the records (grandchildren of the root)
// they saw, so that a caller can tell they read it all.

// readBuffer is the read size of both floors.
const readBuffer = 64 << 10

// TokenFloor reads r with encoding/xml's Decoder.Token until EOF.
func TokenFloor(r io.Reader) (records int, err error) {
	d := xml.NewDecoder(bufio.NewReaderSize(r, readBuffer))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return records, nil
		}
		if err != nil {
			return records, fmt.Errorf("token floor: %w", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 3 {
				records++
			}
		case xml.EndElement:
			depth--
		}
	}
}

// XMLQueryFloor streams r with xmlquery's stream parser on "/*/*/*" and
// touches every record: it counts the record's element children.
func XMLQueryFloor(r io.Reader) (records, children int, err error) {
	return XMLQueryFloorAt(r, "/*/*/*")
}

// XMLQueryFloorAt is XMLQueryFloor for records at xpath ("/*/target" for
// SECO's list, whose records are the root's children).
func XMLQueryFloorAt(r io.Reader, xpath string) (records, children int, err error) {
	p, err := xmlquery.CreateStreamParser(bufio.NewReaderSize(r, readBuffer), xpath)
	if err != nil {
		return 0, 0, fmt.Errorf("xmlquery floor: %w", err)
	}
	for {
		n, err := p.Read()
		if errors.Is(err, io.EOF) {
			return records, children, nil
		}
		if err != nil {
			return records, children, fmt.Errorf("xmlquery floor: %w", err)
		}
		records++
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == xmlquery.ElementNode {
				children++
			}
		}
	}
}

// CSVFloor reads every record of r with encoding/csv, the least a CSV
// source can do.
func CSVFloor(r io.Reader) (records int, err error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, readBuffer))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		_, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return records, nil
		}
		if err != nil {
			return records, fmt.Errorf("csv floor: %w", err)
		}
		records++
	}
}

// JSONTokenFloor reads r with encoding/json's Decoder.Token to its end,
// the least a streaming JSON source can do; it counts the records, the
// objects two levels down ({"results": [{...}, ...]}).
func JSONTokenFloor(r io.Reader) (records int, err error) {
	d := json.NewDecoder(bufio.NewReaderSize(r, readBuffer))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return records, nil
		}
		if err != nil {
			return records, fmt.Errorf("json floor: %w", err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if depth == 2 && tok == json.Delim('{') {
				records++
			}
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// XLSXFloor reads every row of the workbook's first sheet with
// excelize's row iterator, the least an XLSX source can do; it counts
// rows and cells.
func XLSXFloor(path string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return 0, 0, fmt.Errorf("xlsx floor: %w", err)
	}
	defer f.Close()
	it, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return 0, 0, fmt.Errorf("xlsx floor: %w", err)
	}
	defer it.Close()
	for it.Next() {
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return rows, cells, fmt.Errorf("xlsx floor: row %d: %w", rows+1, err)
		}
		rows++
		cells += len(cols)
	}
	return rows, cells, it.Error()
}

package bigfile

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/antchfx/xmlquery"
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
	p, err := xmlquery.CreateStreamParser(bufio.NewReaderSize(r, readBuffer), "/*/*/*")
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

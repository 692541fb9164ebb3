package xmlstream

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// FuzzStream: any bytes give records or a *sources.RecordError, never a
// panic; every record holds at most the elements its bytes can; and the
// scanner in front of the stream parser agrees with encoding/xml: a
// document the decoder reads whole, with one root, is never refused as
// truncated or as more than one document.
func FuzzStream(f *testing.F) {
	data := realXML(f)
	end := bytes.Index(data, []byte("</sdnEntry>"))
	f.Add(append(bytes.Clone(data[:end]), "</sdnEntry></sdnList>"...))
	f.Add(data[:end])
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE sdnList [<!ENTITY x "a>b">]><sdnList a='>'><!-- > --><sdnEntry><![CDATA[<x>]]></sdnEntry><?pi ?></sdnList>`))
	f.Add([]byte("<sdnList><sdnEntry/></sdnList><sdnList/>"))
	f.Add([]byte("<html><body>Forbidden</body></html>"))
	o := opts
	o.Limits = Limits{Depth: 16, TagBytes: 256, TextBytes: 256, RecordBytes: 1024, RecordElements: 32}
	seq := o
	seq.Sequential = true
	f.Fuzz(func(t *testing.T, data []byte) {
		read := func(o Options) ([]string, error) {
			var out []string
			s, err := Open(bytes.NewReader(data), o, &sources.Issues{})
			for err == nil {
				var rec *xmlquery.Node
				if rec, err = s.Next(); err != nil {
					break
				}
				if n := elements(rec); n > o.Limits.RecordElements || n > len(data)/3 {
					t.Fatalf("a record of %d elements from %d bytes", n, len(data))
				}
				out = append(out, rec.OutputXML(true))
			}
			if s != nil {
				s.Close()
			}
			return out, err
		}
		recs, err := read(o)
		// Both modes read a document the stream parser reads whole alike.
		if want, serr := read(seq); serr == io.EOF && (err != io.EOF || !slices.Equal(recs, want)) {
			t.Fatalf("chunked: %q, %v; sequential: %q", recs, err, want)
		}
		if err == io.EOF {
			return
		}
		var re *sources.RecordError
		if !errors.As(err, &re) {
			t.Fatalf("err %v (%T) is not a *sources.RecordError", err, err)
		}
		if (errors.Is(err, sources.ErrIncomplete) || bytes.Contains([]byte(err.Error()), []byte("not one XML document"))) && wholeDocument(data) {
			t.Fatalf("refused %q: %v; encoding/xml reads it whole", data, err)
		}
	})
}

// elements counts the elements of n, n included.
func elements(n *xmlquery.Node) int {
	k := 0
	if n.Type == xmlquery.ElementNode {
		k++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		k += elements(c)
	}
	return k
}

// wholeDocument reports whether encoding/xml reads data to its end without
// an error, with exactly one root element and nothing but white space,
// comments and processing instructions after it.
func wholeDocument(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return roots == 1 && depth == 0
		}
		if err != nil {
			return false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && roots > 0 && len(bytes.TrimSpace(tok)) > 0 {
				return false
			}
		}
	}
}

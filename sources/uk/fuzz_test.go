package uk

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParseXML parses arbitrary XML files, seeded with the real excerpt
// cut to its first designation (whole, and without the root's end).
func FuzzParseXML(f *testing.F) {
	data := excerptXML(f)
	end := bytes.Index(data, []byte("</Designation>")) + len("</Designation>")
	f.Add(append(bytes.Clone(data[:end]), "\n</Designations>\n"...))
	f.Add(data[:end])
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "xml", map[string][]byte{xmlFile: data}, bytes.Count(data, []byte("<")))
	})
}

// FuzzParseCSV parses arbitrary CSV files, seeded with the rendered CSV's
// first lines.
func FuzzParseCSV(f *testing.F) {
	data := renderedCSV(f)
	lines := bytes.SplitAfter(data, []byte("\n"))
	f.Add(bytes.Join(lines[:5], nil))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "csv", map[string][]byte{csvFile: data}, bytes.Count(data, []byte("\n"))+1)
	})
}

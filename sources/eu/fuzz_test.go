package eu

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParseXML parses arbitrary XML files, seeded with the real excerpt
// cut to its first record (whole, and without the root's end).
func FuzzParseXML(f *testing.F) {
	data := excerptXML(f)
	end := bytes.Index(data, []byte("</sanctionEntity>")) + len("</sanctionEntity>")
	f.Add(append(bytes.Clone(data[:end]), "\n</export>\n"...))
	f.Add(data[:end])
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "xml", map[string][]byte{XMLFile: data}, bytes.Count(data, []byte("<")))
	})
}

// FuzzParseCSV parses arbitrary CSV files, seeded with the derived CSV's
// header and first rows.
func FuzzParseCSV(f *testing.F) {
	data := derivedCSV(f)
	rows := bytes.SplitAfter(data, []byte("\n"))
	f.Add(bytes.Join(rows[:4], nil))
	f.Add(bytes.Join(rows[:4], nil)[:len(bytes.Join(rows[:4], nil))-30])
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "csv", map[string][]byte{CSVFile: data}, bytes.Count(data, []byte("\n"))+1)
	})
}

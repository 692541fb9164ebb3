package csl

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParseJSON parses arbitrary consolidated.json files, seeded with the
// structured document and the derived file's first three results (whole,
// and cut before the document ends).
func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(structuredJSON))
	derived := sourcetest.ReadFile(f, derivedJSON)
	lines := bytes.SplitAfter(derived, []byte("\n"))
	head := bytes.TrimSuffix(bytes.Join(lines[:4], nil), []byte(",\n"))
	f.Add(append(bytes.Clone(head), "\n]}\n"...))
	f.Add(head)
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A result is an object: at most one entity per '{'.
		sourcetest.FuzzParse(t, New(Config{}), dir, "json", map[string][]byte{JSONFile: data}, bytes.Count(data, []byte("{")))
	})
}

// FuzzParseCSV parses arbitrary consolidated.csv files, seeded with the
// real 2025 excerpt's header and first rows, and the 2023 file's
// repeated header.
func FuzzParseCSV(f *testing.F) {
	lines := bytes.SplitAfter(sourcetest.ReadFile(f, excerpt2025), []byte("\n"))
	f.Add(bytes.Join(lines[:4], nil))
	f.Add(bytes.Join(append([][]byte{lines[0]}, lines[:3]...), nil))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "csv", map[string][]byte{CSVFile: data}, bytes.Count(data, []byte("\n"))+1)
	})
}

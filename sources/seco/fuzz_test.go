package seco

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParseSECO parses arbitrary consolidated-list.xml files, seeded with
// the real excerpt cut to one or two of its targets (a man with documents
// and spelling variants; the entity with an address and labelled facts,
// with test-made lookups around it; a de-listed target with its nested
// history), and one of them cut short.
func FuzzParseSECO(f *testing.F) {
	lines := excerptLines(f)
	head, end := lines[0]+lines[1], lines[9]
	f.Add([]byte(head + lines[6] + end))
	f.Add([]byte(head + testPrograms + lines[5] + lines[7] + testPlaces + end))
	f.Add([]byte(head + lines[2] + end))
	f.Add([]byte(head + lines[8][:len(lines[8])/2]))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "xml", map[string][]byte{FileName: data}, bytes.Count(data, []byte("<")))
	})
}

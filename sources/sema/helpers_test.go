package sema

import (
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const testdata = "../../testdata/ca_sema"

// The publications in testdata: the real 2020 file and the two derived
// from it by renaming its elements to the current and the bilingual
// layouts (testdata/ca_sema/README.md).
const (
	real2020   = "2020-04-15"
	current    = "derived-current-2020-04-15"
	bilingual2 = "derived-bilingual-2020-04-15"
)

var publications = []string{real2020, current, bilingual2}

// readPublication returns the XML of the publication in folder dir.
func readPublication(t testing.TB, dir string) []byte {
	t.Helper()
	return sourcetest.Gunzip(t, filepath.Join(testdata, dir, FileName+".gz"))
}

// inputOf returns data as the acquired sema-lmes.xml.
func inputOf(t testing.TB, data []byte) *sources.Input {
	return sourcetest.InputFor(t, New(Config{}), "xml", data)
}

func parseBytes(t testing.TB, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.ParseInput(t, New(Config{}), inputOf(t, data))
}

func mustParse(t testing.TB, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.MustParse(t, New(Config{}), inputOf(t, data))
}

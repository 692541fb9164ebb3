package uk

import (
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const (
	testdata = "../../testdata/gb_fcdo"
	// xmlDir holds the real XML excerpt; csvDir the CSV rendering of it.
	xmlDir = testdata + "/excerpt-2026-08-14"
	csvDir = testdata + "/rendered-2026-08-14"
)

func excerptXML(t testing.TB) []byte { return sourcetest.ReadFile(t, filepath.Join(xmlDir, xmlFile)) }

func renderedCSV(t testing.TB) []byte { return sourcetest.ReadFile(t, filepath.Join(csvDir, csvFile)) }

// inputOf returns data as the acquired official file of format.
func inputOf(t testing.TB, format string, data []byte) *sources.Input {
	return sourcetest.InputFor(t, New(Config{}), format, data)
}

func parse(t testing.TB, format string, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.ParseInput(t, New(Config{}), inputOf(t, format, data))
}

func mustParse(t testing.TB, format string, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.MustParse(t, New(Config{}), inputOf(t, format, data))
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

package seco

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// excerptDir holds the real excerpt (testdata/ch_seco/README.md).
const excerptDir = "../../testdata/ch_seco/excerpt-2026-08-15"

// readExcerpt returns the bytes of the real excerpt.
func readExcerpt(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(excerptDir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inputOf returns data as the acquired consolidated-list.xml.
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

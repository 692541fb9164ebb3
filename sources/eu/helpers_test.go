package eu

import (
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// Test publications.
const (
	excerptDir = "../../testdata/eu_fsf/excerpt-2026-08-05"
	derivedDir = "../../testdata/eu_fsf/derived-2026-08-05"
)

// excerptXML is the real 2026-08-05 excerpt.
func excerptXML(t testing.TB) []byte {
	return sourcetest.ReadFile(t, filepath.Join(excerptDir, XMLFile))
}

// inputOf returns data as the acquired official file of format.
func inputOf(t testing.TB, format string, data []byte) *sources.Input {
	return sourcetest.InputFor(t, New(Config{}), format, data)
}

func parseData(t testing.TB, format string, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.ParseInput(t, New(Config{}), inputOf(t, format, data))
}

func mustParse(t testing.TB, format string, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.MustParse(t, New(Config{}), inputOf(t, format, data))
}

// problems returns the issues' problems.
func problems(issues []sources.Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Problem)
	}
	return out
}

var bomUTF8 = []byte{0xEF, 0xBB, 0xBF}

package csl

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const (
	testdata = "../../testdata/us_trade_csl"
	// real2023 is the 2023-11-30 file as archived: cut inside its last row.
	real2023 = testdata + "/2023-11-30/" + CSVFile + ".gz"
	// excerpt2025 is the real 14-line excerpt of 2025-06-25.
	excerpt2025 = testdata + "/excerpt-2025-06-25/" + CSVFile
	// derivedJSON is the 2023 rows rendered as consolidated.json (see the
	// README beside it).
	derivedJSON = testdata + "/derived-2023-11-30-json/" + JSONFile + ".gz"
)

// whole2023 is the real 2023-11-30 file without its last, cut row: the
// bytes up to the start of its last line (the cut row has no line break
// in it). Every other byte is the publisher's.
func whole2023(t testing.TB) []byte {
	t.Helper()
	data := sourcetest.ReadFile(t, real2023)
	end := bytes.LastIndexByte(data, '\n') + 1
	if !bytes.HasPrefix(data[end:], []byte(`"11476","Specially Designated Nationals (SDN)`)) {
		t.Fatalf("the last line of %s is not the cut row of 11476: %.60q", real2023, data[end:])
	}
	return data[:end]
}

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

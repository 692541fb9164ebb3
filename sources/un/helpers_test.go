package un

import (
	"bytes"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const testdata = "../../testdata/un_sc"

// publications are the dates of the real publications in testdata.
var publications = []string{
	"2018-06-07", "2018-06-21", "2018-08-24", "2018-10-29", "2020-03-20",
	"2020-10-02", "2023-03-09", "2024-11-30", "2026-02-27",
}

// readPublication returns the XML of the publication of date.
func readPublication(t testing.TB, date string) []byte {
	t.Helper()
	return sourcetest.Gunzip(t, filepath.Join(testdata, date, FileName+".gz"))
}

// inputOf returns data as the acquired consolidated.xml.
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

var (
	individualTag = regexp.MustCompile(`<INDIVIDUAL(\s[^>]*)?>`)
	entityTag     = regexp.MustCompile(`<ENTITY(\s[^>]*)?>`)
	dataIDElem    = regexp.MustCompile(`<DATAID>\s*([^<\s]+)\s*</DATAID>`)
)

// countRecords counts the INDIVIDUAL and ENTITY start tags of an XML file
// by a byte scan, independently of the parser: "<INDIVIDUAL>" or
// "<INDIVIDUAL attr...>", never the self-closed "<INDIVIDUAL/>" (an empty
// record) nor "<INDIVIDUAL_ALIAS>".
func countRecords(data []byte) (individuals, entities int) {
	count := func(re *regexp.Regexp) int {
		n := 0
		for _, m := range re.FindAll(data, -1) {
			if !bytes.HasSuffix(m, []byte("/>")) {
				n++
			}
		}
		return n
	}
	return count(individualTag), count(entityTag)
}

// dataIDs returns the set of DATAID values of an XML file, by a byte scan.
func dataIDs(data []byte) map[string]bool {
	ids := map[string]bool{}
	for _, m := range dataIDElem.FindAllSubmatch(data, -1) {
		ids[string(m[1])] = true
	}
	return ids
}

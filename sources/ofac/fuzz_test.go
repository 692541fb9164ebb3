package ofac

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParseCSV parses arbitrary main and ADD files, seeded with the start
// of the real excerpt of 2025-05-16, with and without the end mark.
func FuzzParseCSV(f *testing.F) {
	sdn := cutRows(f, readTestdata(f, "us_ofac_sdn/excerpt-2025-05-16/sdn.csv"), 3)
	add := cutRows(f, readTestdata(f, "us_ofac_sdn/excerpt-2025-05-16/add.csv"), 4)
	f.Add(append(bytes.Clone(sdn), 0x1a), append(bytes.Clone(add), 0x1a))
	f.Add(sdn, add)
	f.Add([]byte(mainRow+"\x1a"), []byte(nil))
	f.Add([]byte("<!DOCTYPE html>\n<html></html>"), []byte(nil))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, main, add []byte) {
		files := map[string][]byte{"SDN.CSV": main}
		if len(add) > 0 {
			files["ADD.CSV"] = add
		}
		sourcetest.FuzzParse(t, NewSDN(Config{}), dir, "csv", files, bytes.Count(main, []byte("\n"))+1)
	})
}

// FuzzParseXML parses arbitrary SDN.XML files, seeded with the real
// excerpt (as it is and counted) and the start of a consolidated file.
func FuzzParseXML(f *testing.F) {
	f.Add(readTestdata(f, sdnExcerpt))
	f.Add(excerptCounted(f))
	f.Add(readTestdata(f, cons20180406)[:4096])
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, NewSDN(Config{}), dir, "xml", map[string][]byte{"SDN.XML": data}, bytes.Count(data, []byte("<")))
	})
}

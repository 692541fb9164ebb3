package un

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParse parses arbitrary consolidated.xml files, seeded with the real
// 2018-06-07 list cut to its first individual and first entity (and the
// same without the root's end).
func FuzzParse(f *testing.F) {
	whole := readPublication(f, "2018-06-07")
	ind := bytes.Index(whole, []byte("</INDIVIDUAL>")) + len("</INDIVIDUAL>")
	ents := bytes.Index(whole, []byte("<ENTITIES>"))
	ent := bytes.Index(whole, []byte("</ENTITY>")) + len("</ENTITY>")
	small := append(append(append(bytes.Clone(whole[:ind]), "\n</INDIVIDUALS>\n"...), whole[ents:ent]...), "\n</ENTITIES>\n</CONSOLIDATED_LIST>\n"...)
	f.Add(small)
	f.Add(whole[:ind])
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "xml", map[string][]byte{FileName: data}, bytes.Count(data, []byte("<")))
	})
}

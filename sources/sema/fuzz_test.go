package sema

import (
	"bytes"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParse parses arbitrary sema-lmes.xml files, seeded with the real
// 2020 file cut to its first records (and the same without the root's
// end), its JVCFOR record with two dates of birth, and the current and
// bilingual layouts' ship records of layout_test.go.
func FuzzParse(f *testing.F) {
	whole := readPublication(f, real2020)
	head := whole[:bytes.Index(whole, []byte("<Item>3</Item>"))]
	head = head[:bytes.LastIndex(head, []byte("</record>"))+len("</record>")]
	f.Add(append(bytes.Clone(head), "\n</data-set>"...))
	f.Add(head)
	start := bytes.Index(whole, []byte("<record>\n\t\t<Country>Justice"))
	f.Add(append(append([]byte("<data-set>\n\t"), whole[start:start+bytes.Index(whole[start:], []byte("</record>"))+len("</record>")]...), "\n</data-set>"...))
	f.Add([]byte(currentDoc))
	f.Add([]byte(bilingualOf(currentDoc)))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, New(Config{}), dir, "xml", map[string][]byte{FileName: data}, bytes.Count(data, []byte("<")))
	})
}

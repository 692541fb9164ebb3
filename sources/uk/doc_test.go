package uk

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const docPath = "../../docs/sources/gb_fcdo.md"

// TestDocCoversEverything: docs/sources/gb_fcdo.md names every element of
// the excerpt and of the synthetic designation (every element the parser
// knows), every attribute of the root, and every CSV column.
func TestDocCoversEverything(t *testing.T) {
	doc := string(sourcetest.ReadFile(t, docPath))
	names := map[string]bool{}
	for _, data := range [][]byte{excerptXML(t), designationXML("Entity", fullXML)} {
		root, err := xmlquery.Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *xmlquery.Node)
		walk = func(n *xmlquery.Node) {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == xmlquery.ElementNode {
					names[c.Data] = true
					for _, a := range c.Attr {
						names[a.Name.Local] = true
					}
					walk(c)
				}
			}
		}
		walk(root)
	}
	for name := range indicatorNames {
		names[name] = true
	}
	for name := range names {
		if !regexp.MustCompile(`(^|[^A-Za-z0-9])` + regexp.QuoteMeta(name) + `([^A-Za-z0-9]|$)`).MatchString(doc) {
			t.Errorf("%s does not name the element or attribute %s", docPath, name)
		}
	}
	for _, c := range columns {
		if !strings.Contains(doc, "`"+c+"`") {
			t.Errorf("%s does not name the column %q", docPath, c)
		}
	}
}

package un

import (
	"context"
	"fmt"
	"io"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

const rootName = "CONSOLIDATED_LIST"

// containers hold the records; any other child of the root is handed
// over as a record too, so that an unknown section is reported instead of
// passing unseen.
var containers = []string{"INDIVIDUALS", "ENTITIES"}

func (s *source) parseXML(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	f, err := in.Open(FileName)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()

	st, err := xmlstream.Open(f, xmlstream.Options{Source: Name, File: FileName, Root: rootName, Containers: containers}, issues)
	if err != nil {
		return meta, err
	}
	defer st.Close()
	meta.PublicationDate = rootAttrs(st, issues)

	p := newParser(issues, st)
	var root *xmlquery.Node
	records := 0
	for {
		n, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return meta, err
		}
		p.start(n)
		p.strayText(n, "")
		if isRoot(n.Parent) {
			root = n.Parent
			p.issue(n, nil, "", "unknown element <%s> in <%s>%s; not mapped", n.Data, rootName, excerpt(n))
			continue
		}
		root = n.Parent.Parent
		kind, ok := recordKinds[n.Data]
		if !ok {
			p.issue(n, nil, "", "unknown element <%s> in <%s>%s; not mapped", n.Data, n.Parent.Data, excerpt(n))
			continue
		}
		if want := kind.container; n.Parent.Data != want {
			p.issue(n, nil, "", "<%s> inside <%s>, expected inside <%s>; mapped as %s", n.Data, n.Parent.Data, want, kind.typ)
		}
		records++
		if records%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		e := p.record(n, kind)
		if e == nil {
			continue
		}
		if err := emit(e); err != nil {
			return meta, err
		}
	}
	if root != nil {
		p.leftovers(root)
	}
	return meta, nil
}

// rootAttrs checks the root's attributes and returns the publication date:
// the date part of dateGenerated as printed ("2018-06-07T19:03:43.97-04:00"
// gives 2018-06-07, the date in the publisher's own time zone).
func rootAttrs(st *xmlstream.Stream, issues *sources.Issues) string {
	line := st.RootLine()
	date := ""
	seen := false
	for _, a := range st.RootAttrs() {
		switch {
		case a.Name.Space == "" && a.Name.Local == "dateGenerated":
			seen = true
			v := normalize.Text(a.Value)
			if len(v) >= 10 {
				if d, ok := normalize.ISODate(v[:10]); ok && (len(v) == 10 || v[10] == 'T') {
					date = d
					continue
				}
			}
			issues.Addf(FileName, line, "", "dateGenerated %q is not an ISO date-time; no publication date", a.Value)
		case a.Name.Space == "xmlns" && a.Name.Local == "xsi",
			a.Name.Space == "xsi" && a.Name.Local == "noNamespaceSchemaLocation":
			// The schema reference: nothing about the list itself.
		default:
			name := a.Name.Local
			if a.Name.Space != "" {
				name = a.Name.Space + ":" + name
			}
			issues.Addf(FileName, line, "", "unknown attribute %s=%q on <%s>; not mapped", name, a.Value, rootName)
		}
	}
	if !seen {
		issues.Addf(FileName, line, "", "<%s> without dateGenerated; no publication date", rootName)
	}
	return date
}

// isRoot reports whether n is the document's root element.
func isRoot(n *xmlquery.Node) bool {
	return n != nil && n.Type == xmlquery.ElementNode && n.Parent != nil && n.Parent.Type == xmlquery.DocumentNode
}

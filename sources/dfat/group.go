package dfat

import (
	"fmt"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// group is the rows of one party: every row whose Reference starts with
// its number, in sheet order.
type group struct {
	number string
	rows   []row
}

// nameRow is one row's name with the kind its Name Type gives.
type nameRow struct {
	rw    *row
	value string
	kind  string
}

// nameTypes maps Name Type, lower case and white space collapsed, to a
// kind: the 2024 layout spells it 17 ways ("Primary Name", "primary name",
// "aka", "Aka ", "Original script", "Formerly known as", ...), the 2026
// layout 3 ("Primary Name", "Alias", "Original Script").
var nameTypes = map[string]string{
	"primary name":  entity.KindPrimary,
	"primary":       entity.KindPrimary,
	"alias":         entity.KindAlias,
	"aka":           entity.KindAlias,
	"a.k.a.":        entity.KindAlias,
	"a.k.a":         entity.KindAlias,
	"also known as": entity.KindAlias,
	// The name in its own script: an alias; normalize detects the script.
	"original script":      entity.KindAlias,
	"formerly known as":    entity.KindFormer,
	"fka":                  entity.KindFormer,
	"f.k.a.":               entity.KindFormer,
	"previously listed as": entity.KindFormer,
}

// nameKind reads a row's Name Type and Alias Strength.
func (p *parser) nameKind(rw *row) string {
	raw := normalize.Text(rw.cells[colNameType])
	kind, ok := nameTypes[strings.ToLower(raw)]
	switch {
	case ok:
	case raw == "":
		kind = entity.KindAlias
		p.issuef(rw.n, rw.ref, "Name Type empty for %q; taken as an alias", shorten(rw.cells[colName]))
	default:
		kind = entity.KindAlias
		p.issuef(rw.n, rw.ref, "unknown Name Type %q for %q; taken as an alias", raw, shorten(rw.cells[colName]))
	}
	switch strength := strings.ToLower(normalize.Text(rw.cells[colStrength])); strength {
	case "", "strong":
	case "weak":
		if kind == entity.KindAlias {
			kind = entity.KindWeakAlias
		} else {
			p.issuef(rw.n, rw.ref, "Alias Strength Weak on a %s row; the kind stays %s", raw, kind)
		}
	default:
		p.issuef(rw.n, rw.ref, "unknown Alias Strength %q; taken as strong", rw.cells[colStrength])
	}
	return kind
}

// kindRank orders kinds from the strongest: a name printed twice keeps
// its strongest kind.
func kindRank(kind string) int {
	switch kind {
	case entity.KindPrimary:
		return 0
	case entity.KindAlias:
		return 1
	case entity.KindWeakAlias:
		return 2
	}
	return 3
}

// types maps Type, lower case.
var types = map[string]entity.Type{
	"individual": entity.Person,
	"entity":     entity.Organization,
	"vessel":     entity.Vessel,
	"aircraft":   entity.Aircraft,
}

// maxListed bounds the rows an issue lists.
const maxListed = 5

// more says how many an issue left out of a list of n.
func more(n int) string {
	if n <= maxListed {
		return ""
	}
	return fmt.Sprintf(" and %d more", n-maxListed)
}

// rowRefs lists the rows' references and numbers for an issue.
func rowRefs(rows []nameRow) string {
	var b strings.Builder
	for i, n := range rows[:min(len(rows), maxListed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (row %d) %q", n.rw.ref, n.rw.n, shorten(n.value))
	}
	b.WriteString(more(len(rows)))
	return b.String()
}

// pickName chooses the entity's name among the group's named rows and
// returns it with the rows whose kind changes.
//
//   - One Primary Name row: its name.
//   - Several (2026-02-24: reference 8686, "Rubicon Center for Advanced
//     Unmanned Technologies" and 8686a "Rubicon Unit"): the first in sheet
//     order is the name, the others are kept as aliases, so that `name` is
//     the one primary of names[] and no name is lost.
//   - None (8720: an Original Script row and an Alias row; 8495: only the
//     alias 8495b, its primary row missing): the first alias, else the
//     first weak alias, else the first former name, else the first name,
//     becomes the name and the primary of names[].
//
// Each case other than the first is an issue naming the rows.
func (p *parser) pickName(g *group, named []nameRow) int {
	var primaries []nameRow
	first := -1
	for i, n := range named {
		if n.kind == entity.KindPrimary {
			primaries = append(primaries, n)
			if first < 0 {
				first = i
			}
		}
	}
	switch {
	case len(primaries) == 1:
		return first
	case len(primaries) > 1:
		p.issuef(primaries[1].rw.n, g.number, "reference %s has %d Primary Name rows: %s; the first is the name, the others are kept as aliases",
			g.number, len(primaries), rowRefs(primaries))
		for i := range named {
			if named[i].kind == entity.KindPrimary && i != first {
				named[i].kind = entity.KindAlias
			}
		}
		return first
	}
	best := 0
	for i, n := range named {
		if kindRank(n.kind) < kindRank(named[best].kind) {
			best = i
		}
	}
	bare := false
	for _, rw := range g.rows {
		bare = bare || strings.EqualFold(rw.ref, g.number)
	}
	if bare {
		p.issuef(named[best].rw.n, g.number, "reference %s has no Primary Name row (%s); %q (%s) is taken as the name",
			g.number, rowRefs(named), shorten(named[best].value), named[best].rw.ref)
	} else {
		p.issuef(named[best].rw.n, g.number, "alias row of reference %s without its primary row (no row %s): %s; %q (%s) is taken as the name",
			g.number, g.number, rowRefs(named), shorten(named[best].value), named[best].rw.ref)
	}
	named[best].kind = entity.KindPrimary
	return best
}

// entityType reads the group's Type from the name row, else the first
// row that has one; rows that print another Type are issues.
func (p *parser) entityType(g *group, nameRw *row) entity.Type {
	raw := normalize.Text(nameRw.cells[colType])
	from := nameRw
	if raw == "" {
		for i := range g.rows {
			if v := normalize.Text(g.rows[i].cells[colType]); v != "" {
				raw, from = v, &g.rows[i]
				break
			}
		}
	}
	t, ok := types[strings.ToLower(raw)]
	if !ok {
		t = entity.Unknown
		if raw == "" {
			p.issuef(from.n, g.number, "reference %s: no row has a Type; the type is unknown", g.number)
		} else {
			p.issuef(from.n, from.ref, "unknown Type %q; the type is unknown", raw)
		}
	}
	for i := range g.rows {
		rw := &g.rows[i]
		v := normalize.Text(rw.cells[colType])
		switch {
		case rw == from || strings.EqualFold(v, raw):
		case v == "":
			p.issuef(rw.n, rw.ref, "Type empty; the group's %q (row %d) is used", raw, from.n)
		default:
			p.issuef(rw.n, rw.ref, "Type %q differs from the group's %q (row %d); the group's is used", v, raw, from.n)
		}
	}
	return t
}

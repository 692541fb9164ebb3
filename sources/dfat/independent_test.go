package dfat

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// sheetRow is a row of the hand reading (sourcetest.SheetByHand).
type sheetRow = sourcetest.SheetRow

var handReadings = map[string]*shared[[]sheetRow]{"2024-12-17": {}, "2026-02-24": {}}

// handRows is the hand reading of the real workbook of pub, made once per
// test binary (2 and 3.5 s under the race detector). Callers must not
// change the rows.
func handRows(t testing.TB, pub publication) []sheetRow {
	t.Helper()
	return handReadings[pub.date].get(t, "the hand reading of "+pub.date, func() []sheetRow {
		return sourcetest.SheetByHand(t, readFile(t, pub.path()))
	})
}

var (
	leadingDigits = regexp.MustCompile(`^[0-9]+`)
	unRefOpening  = regexp.MustCompile(`^([A-Z][A-Z][ie]\.[0-9][0-9][0-9])([^0-9A-Za-z]|$)`)
)

// handCounts are the totals of the hand reading.
type handCounts struct {
	groups   []string       // group numbers, in first-row order
	types    map[string]int // entity type by group
	names    int            // distinct names per group, summed
	byKind   map[string]int // the names by kind
	imos     int            // distinct IMO Number cells per group, summed
	unRefs   int            // distinct UN references opening Additional Information, per group, summed
	dataRows int
}

// countByHand groups the hand-read rows by the leading digits of their
// Reference and counts what the parser must give, by the rules of
// docs/sources/au_dfat.md written again here: a group's type is its first
// Primary Name row's; a name printed twice counts once with its strongest
// kind; a second Primary Name becomes an alias; a group without one takes
// its first strongest name as the primary.
func countByHand(rows []sheetRow) handCounts {
	c := handCounts{types: map[string]int{}, byKind: map[string]int{}}
	col := map[string]string{} // header, lower case -> column letters
	clean := func(s string) string {
		return strings.Join(strings.Fields(strings.ReplaceAll(s, "_x000D_", "")), " ")
	}
	type hname struct {
		value, kind string
	}
	type hgroup struct {
		names      []hname // distinct values, first row order
		primaryTyp string
		anyTyp     string
		imos       map[string]bool
		unRefs     map[string]bool
	}
	groups := map[string]*hgroup{}
	headerDone := false
	for _, r := range rows {
		empty := true
		for _, v := range r.Cells {
			empty = empty && clean(v) == ""
		}
		if empty {
			continue
		}
		if !headerDone {
			for letters, v := range r.Cells {
				col[strings.ToLower(clean(v))] = letters
			}
			headerDone = true
			continue
		}
		get := func(h string) string { return clean(r.Cells[col[h]]) }
		ref := get("reference")
		digits := leadingDigits.FindString(ref)
		if digits == "" {
			continue
		}
		c.dataRows++
		g := groups[digits]
		if g == nil {
			g = &hgroup{imos: map[string]bool{}, unRefs: map[string]bool{}}
			groups[digits] = g
			c.groups = append(c.groups, digits)
		}
		kind := "alias"
		switch nt := strings.ToLower(get("name type")); {
		case nt == "primary name":
			kind = "primary"
		case nt == "formerly known as" || nt == "previously listed as":
			kind = "former"
		case strings.EqualFold(get("alias strength"), "weak"):
			kind = "weak_alias"
		}
		typ := strings.ToLower(get("type"))
		if kind == "primary" && g.primaryTyp == "" {
			g.primaryTyp = typ
		}
		if g.anyTyp == "" {
			g.anyTyp = typ
		}
		if v := get("imo number"); v != "" {
			g.imos[v] = true
		}
		if m := unRefOpening.FindStringSubmatch(get("additional information")); m != nil {
			g.unRefs[m[1]] = true
		}
		name := get("name of individual or entity")
		if name == "" {
			continue
		}
		rank := map[string]int{"primary": 0, "alias": 1, "weak_alias": 2, "former": 3}
		found := false
		for i := range g.names {
			if g.names[i].value == name {
				found = true
				if rank[kind] < rank[g.names[i].kind] {
					g.names[i].kind = kind
				}
			}
		}
		if !found {
			g.names = append(g.names, hname{name, kind})
		}
	}
	for _, num := range c.groups {
		g := groups[num]
		primaries := 0
		for i := range g.names {
			if g.names[i].kind == "primary" {
				if primaries++; primaries > 1 {
					g.names[i].kind = "alias"
				}
			}
		}
		if primaries == 0 && len(g.names) > 0 {
			best := 0
			rank := map[string]int{"alias": 1, "weak_alias": 2, "former": 3}
			for i := range g.names {
				if rank[g.names[i].kind] < rank[g.names[best].kind] {
					best = i
				}
			}
			g.names[best].kind = "primary"
		}
		for _, n := range g.names {
			c.byKind[n.kind]++
		}
		c.names += len(g.names)
		typ := g.primaryTyp
		if typ == "" {
			typ = g.anyTyp
		}
		c.types[map[string]string{"individual": "person", "entity": "organization", "vessel": "vessel"}[typ]]++
		c.imos += len(g.imos)
		c.unRefs += len(g.unRefs)
	}
	return c
}

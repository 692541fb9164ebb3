package csl

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// A second reading of the real files that shares no code with the
// parser: encoding/csv into maps by header name, the lists split with
// strings and regular expressions. Its totals per list (rows, names,
// aliases, ids) must be the parser's. (dateWord, shared with the fixture's
// derivation, is test code.)

// independentRows reads every row of a CSL CSV as column -> value; a row
// equal to the header is skipped.
func independentRows(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		if slices.Equal(rec, recs[0]) {
			continue
		}
		row := map[string]string{}
		for i, h := range recs[0] {
			// The Entity List's three "Xi\u0092an" are "Xi’an" passed
			// through Windows-1252 as Latin-1.
			row[h] = strings.Join(strings.Fields(strings.ReplaceAll(rec[i], "\u0092", "’")), " ")
		}
		out = append(out, row)
	}
	return out
}

var (
	listCode  = regexp.MustCompile(`\(([^()]+?)(?: List)?\)(?: List)? - [^-]+$`)
	successor = regexp.MustCompile(`(?i)[;,]? and (any successor, sub-unit, or subsidiary thereof|its sub-units and successors)$`)
)

// expected is what the second reading finds in one row.
type expected struct {
	list    string
	name    string
	aliases map[string]bool
	ids     map[[4]string]bool // type, number, issued, expires
}

func expectRow(t *testing.T, row map[string]string) expected {
	m := listCode.FindStringSubmatch(row["source"])
	if m == nil {
		t.Fatalf("source %q has no code", row["source"])
	}
	x := expected{list: m[1], name: row["name"], aliases: map[string]bool{}, ids: map[[4]string]bool{}}
	if a := row["alt_names"]; a != "" {
		for _, p := range strings.Split(a, ";") {
			p = strings.TrimSpace(p)
			if strings.HasPrefix(p, "and ") && len(x.aliases) > 0 {
				p = p[len("and "):]
			}
			x.aliases[p] = true
		}
	}
	if loc := successor.FindStringIndex(x.name); loc != nil {
		x.aliases[x.name[:loc[0]]] = true
	}
	if v := row["ids"]; v != "" {
		for _, p := range strings.Split(v, "; ") {
			x.ids[expectID(t, p)] = true
		}
	}
	return x
}

// expectID reads "type, number[, country][, issued][, expires]" into
// type, number and the dates in ISO form.
func expectID(t *testing.T, p string) [4]string {
	pieces := strings.Split(p, ", ")
	if len(pieces) < 2 {
		t.Fatalf("id %q is not type, number", p)
	}
	rest := pieces[1:]
	var dates []string
	for len(dates) < 2 && len(rest) >= 2 && dateWord(rest[len(rest)-1]) {
		dates = append([]string{isoOf(t, rest[len(rest)-1])}, dates...)
		rest = rest[:len(rest)-1]
	}
	dates = append(dates, "", "")
	if len(rest) >= 2 && regexp.MustCompile(`^[A-Z]{2}$`).MatchString(rest[len(rest)-1]) {
		rest = rest[:len(rest)-1]
	}
	return [4]string{pieces[0], strings.Join(rest, ", "), dates[0], dates[1]}
}

// isoOf is the ISO form of an OFAC date ("19 Jun 1987", "May 2006").
func isoOf(t *testing.T, s string) string {
	for _, l := range [][2]string{{"02 Jan 2006", "2006-01-02"}, {"Jan 2006", "2006-01"}, {"2006", "2006"}, {"2006-01-02", "2006-01-02"}} {
		if d, err := time.Parse(l[0], s); err == nil {
			return d.Format(l[1])
		}
	}
	t.Fatalf("%q is not a date", s)
	return ""
}

// TestIndependentReading compares the parser with the second reading,
// row by row (in file order: the parser emits in that order) and in
// totals per list.
func TestIndependentReading(t *testing.T) {
	for name, data := range map[string][]byte{"2023-11-30": whole2023(t), "excerpt-2025-06-25": sourcetest.ReadFile(t, excerpt2025)} {
		t.Run(name, func(t *testing.T) {
			rows := independentRows(t, data)
			ents := emitOrder(t, data)
			if len(ents) != len(rows) {
				t.Fatalf("%d entities, %d rows", len(ents), len(rows))
			}
			type totals struct{ rows, names, aliases, ids int }
			want, got := map[string]totals{}, map[string]totals{}
			for i, row := range rows {
				x := expectRow(t, row)
				e := ents[i]
				w, g := want[x.list], got[e.Listings[0].List]
				w.rows++
				g.rows++
				w.names++
				if e.Name == x.name {
					g.names++
				} else {
					t.Errorf("row %d: name %q, want %q", i, e.Name, x.name)
				}
				aliases := map[string]bool{}
				for _, n := range e.Names {
					if n.Kind == entity.KindAlias {
						// A group taken out of the name ("(f.k.a.,
						// ...)") is its note: the alias as printed
						// is both.
						v := n.Value
						if n.Note != "" {
							v += " (" + n.Note + ")"
						}
						aliases[v] = true
					}
				}
				if !maps.Equal(aliases, x.aliases) {
					t.Errorf("%s: aliases %v, want %v", e.ID, slices.Sorted(maps.Keys(aliases)), slices.Sorted(maps.Keys(x.aliases)))
				}
				w.aliases += len(x.aliases)
				g.aliases += len(aliases)
				w.ids += len(x.ids)
				g.ids += foundIDs(t, e, x.ids)
				want[x.list], got[e.Listings[0].List] = w, g
			}
			if !maps.Equal(got, want) {
				t.Errorf("per list (rows, names, aliases, ids):\n got %v\nwant %v", got, want)
			}
			var all totals
			for _, v := range want {
				all.rows, all.names, all.aliases, all.ids = all.rows+v.rows, all.names+v.names, all.aliases+v.aliases, all.ids+v.ids
			}
			t.Logf("%s: %d rows, %d names, %d aliases, %d ids, both readings", name, all.rows, all.names, all.aliases, all.ids)
		})
	}
}

// foundIDs counts the ids of want the entity holds: an identifier of that
// raw type and value, or, for a type that names no identifier, gender or
// a remark "type: number".
func foundIDs(t *testing.T, e *entity.Entity, want map[[4]string]bool) int {
	t.Helper()
	n := 0
	for id := range want {
		typ, number, issued, expires := id[0], id[1], id[2], id[3]
		found := false
		if typ == "Nationality Country" {
			found = slices.Contains(e.Nationalities, entity.Country{Raw: number})
		} else if kind, _ := normalize.IdentifierType(typ); kind == "" {
			found = strings.EqualFold(typ, "Gender") && e.Gender == strings.ToLower(number) ||
				strings.Contains(e.Remarks, strings.TrimRight(typ, " :-")+": "+number)
		} else {
			found = slices.ContainsFunc(e.Identifiers, func(i entity.Identifier) bool {
				return i.RawType == typ && i.Raw == number && i.Issued == issued && i.Expires == expires
			})
		}
		if found {
			n++
		} else {
			t.Errorf("%s: id %q %q not found", e.ID, typ, number)
		}
	}
	others := map[[2]string]bool{} // a row may print an id twice
	for _, i := range e.Identifiers {
		if i.RawType != rawOFACNumber {
			others[[2]string{i.RawType, i.Raw}] = true
		}
	}
	if kinds := identifierKinds(want); len(others) != kinds {
		t.Errorf("%s: %d identifiers, the row has %d", e.ID, len(others), kinds)
	}
	return n
}

// identifierKinds counts the ids of want whose type names an identifier.
func identifierKinds(want map[[4]string]bool) int {
	n := 0
	for id := range want {
		if kind, _ := normalize.IdentifierType(id[0]); kind != "" && id[0] != "Nationality Country" {
			n++
		}
	}
	return n
}

// emitOrder parses data and returns the entities in the order emitted.
func emitOrder(t *testing.T, data []byte) []*entity.Entity {
	t.Helper()
	var out []*entity.Entity
	var issues sources.Issues
	_, err := New(Config{}).Parse(t.Context(), inputOf(t, "csv", data), func(e *entity.Entity) error {
		out = append(out, e)
		return nil
	}, &issues)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestIndependentReadingJSON: the derived JSON read by encoding/json as
// plain maps: its rows per list and its names are the parser's.
func TestIndependentReadingJSON(t *testing.T) {
	var doc struct {
		Total   int              `json:"total"`
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(sourcetest.ReadFile(t, derivedJSON), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	names := map[string]bool{}
	for _, r := range doc.Results {
		m := listCode.FindStringSubmatch(r["source"].(string))
		want[m[1]]++
		names[strings.Join(strings.Fields(strings.ReplaceAll(r["name"].(string), "\u0092", "’")), " ")] = true
	}
	p := mustParse(t, "json", sourcetest.ReadFile(t, derivedJSON))
	got := map[string]int{}
	gotNames := map[string]bool{}
	for _, e := range p.Entities {
		got[e.Listings[0].List]++
		gotNames[e.Name] = true
	}
	if doc.Total != len(doc.Results) || len(p.Entities) != doc.Total || !maps.Equal(got, want) || !maps.Equal(gotNames, names) {
		t.Errorf("total %d, %d results, %d entities; per list %v, want %v; %d names, want %d",
			doc.Total, len(doc.Results), len(p.Entities), got, want, len(gotNames), len(names))
	}
}

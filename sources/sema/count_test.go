package sema

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// The second reading: a regular expression over the raw bytes, sharing no
// code with the parser (no xmlquery, no element table, no alias splitter,
// no normalize). It reads each <record>…</record> and its leaf elements,
// names an element by the part of its name before a hyphen ("Country-Pays"
// is Country) and folds the three layouts' names of one field together.
var (
	rawRecordRe = regexp.MustCompile(`(?s)<record>(.*?)</record>`)
	rawLeafRe   = regexp.MustCompile(`<([A-Za-z]+)(?:-[A-Za-z]+)?>([^<]*)</`)
	rawFold     = map[string]string{
		"Entity": "EntityOrShip", "Title": "TitleOrShip", "TitleOrShipType": "TitleOrShip",
		"DateOfBirth": "DateOfBirthOrShipBuildDate",
	}
)

// rawRecord is one record as the byte reading sees it: element -> text,
// entities decoded and white space collapsed.
type rawRecord map[string]string

func readRaw(data []byte) []rawRecord {
	var out []rawRecord
	for _, m := range rawRecordRe.FindAllSubmatch(data, -1) {
		r := rawRecord{}
		for _, leaf := range rawLeafRe.FindAllSubmatch(m[1], -1) {
			name := string(leaf[1])
			if f, ok := rawFold[name]; ok {
				name = f
			}
			r[name] = strings.Join(strings.Fields(html.UnescapeString(string(leaf[2]))), " ")
		}
		out = append(out, r)
	}
	return out
}

// typ is the type the record's elements show: a person's name, an IMO
// number, or an entity.
func (r rawRecord) typ() entity.Type {
	switch {
	case r["LastName"] != "" || r["GivenName"] != "":
		return entity.Person
	case r["ShipIMONumber"] != "":
		return entity.Vessel
	}
	return entity.Organization
}

// aliasPieces is the Aliases text cut at every ", " (the only separator
// of the 2020 file), each piece out of any parentheses around it whole.
func (r rawRecord) aliasPieces() []string {
	var out []string
	for _, p := range strings.Split(r["Aliases"], ", ") {
		p = strings.TrimSpace(p)
		if strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") {
			p = strings.TrimSpace(p[1 : len(p)-1])
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// words is every word the record prints, for checking that no name holds
// a word the file does not.
func (r rawRecord) words() map[string]bool {
	w := map[string]bool{}
	for _, v := range r {
		for _, f := range strings.FieldsFunc(v, func(c rune) bool { return c == ' ' || c == '/' || c == '(' || c == ')' || c == ',' }) {
			w[f] = true
		}
	}
	return w
}

// TestIndependentReading: every real file gives, record by record in
// document order, what the byte reading finds: the type, every alias
// piece among the names and no name with a word the record does not
// print, one date of birth per date printed, the title, and the listing
// (regulation as printed, schedule, item); and the totals agree.
func TestIndependentReading(t *testing.T) {
	for _, dir := range publications {
		t.Run(dir, func(t *testing.T) {
			data := readPublication(t, dir)
			raws := readRaw(data)
			if n := bytes.Count(data, []byte("<record>")); len(raws) != n || n != 1369 {
				t.Fatalf("byte reading: %d records, %d <record> tags; want 1369", len(raws), n)
			}
			p := mustParse(t, data) // entities in document order
			if len(p.Emitted) != len(raws) {
				t.Fatalf("%d entities from %d records", len(p.Emitted), len(raws))
			}
			byType := map[entity.Type][2]int{} // parser, byte reading
			pieces, aliasNames, dobs, wantDobs := 0, 0, 0, 0
			ids := map[string]bool{}
			for i, r := range raws {
				e := p.Emitted[i]
				ids[e.ID] = true
				c := byType[e.Type]
				c[0]++
				byType[e.Type] = c
				c = byType[r.typ()]
				c[1]++
				byType[r.typ()] = c
				if e.Type != r.typ() {
					t.Errorf("record %d (%s): type %s, the bytes say %s", i+1, e.ID, e.Type, r.typ())
				}
				names := map[string]bool{}
				for _, n := range e.Names {
					names[n.Value] = true
					if n.Kind != entity.KindPrimary {
						aliasNames++
					}
					words := r.words()
					for _, w := range strings.FieldsFunc(n.Value, func(c rune) bool { return c == ' ' || c == '/' || c == '(' || c == ')' || c == ',' }) {
						if !words[w] {
							t.Errorf("%s: name %q has the word %q, which the record does not print", e.ID, n.Value, w)
						}
					}
				}
				for _, piece := range r.aliasPieces() {
					pieces++
					if !names[piece] {
						t.Errorf("%s: alias %q of the file is not among the names %v", e.ID, piece, e.Names)
					}
				}
				if v := r["DateOfBirthOrShipBuildDate"]; v != "" {
					wantDobs += len(strings.Split(v, " or "))
				}
				dobs += len(e.BirthDates)
				if (r["TitleOrShip"] != "") != (len(e.Titles) == 1) {
					t.Errorf("%s: titles %v, the record prints %q", e.ID, e.Titles, r["TitleOrShip"])
				}
				if len(e.Listings) != 1 {
					t.Fatalf("%s: %d listings", e.ID, len(e.Listings))
				}
				l := e.Listings[0]
				want := "item " + r["Item"]
				if s := r["Schedule"]; s != "" && s != "N/A" {
					want = "Schedule " + s + ", " + want
				}
				if l.ListName != r["Country"] || l.Notice != want || l.Authority != "Global Affairs Canada" {
					t.Errorf("%s: listing %+v; the record prints Country %q, Schedule %q, Item %q", e.ID, l, r["Country"], r["Schedule"], r["Item"])
				}
			}
			if len(ids) != len(raws) {
				t.Errorf("%d distinct ids for %d records", len(ids), len(raws))
			}
			for typ, c := range byType {
				if c[0] != c[1] {
					t.Errorf("%s: %d entities, %d records by the byte reading", typ, c[0], c[1])
				}
			}
			// The totals of the 2020 file, measured with Python's
			// ElementTree: 985 persons, 384 entities; 156 alias pieces
			// (", ") in 99 Aliases, and 86 halves of names joined by one
			// "/" between two names of two words or more, which with the
			// two family-name variants make 244 alias names; 213 dates
			// of birth in 212 DateOfBirth.
			if got := [2]int{byType[entity.Person][0], byType[entity.Organization][0]}; got != [2]int{985, 384} {
				t.Errorf("persons, organizations: %v, want [985 384]", got)
			}
			if pieces != 156 || aliasNames != 244 || dobs != wantDobs || dobs != 213 {
				t.Errorf("alias pieces %d (want 156), alias names %d (want 244), dates of birth %d (the bytes: %d, want 213)", pieces, aliasNames, dobs, wantDobs)
			}
			t.Logf("%d records: %v; %d alias pieces, %d alias names, %d dates of birth", len(raws), byType, pieces, aliasNames, dobs)
		})
	}
}

// TestLayoutsAgree: the real file and the two derived from it by renaming
// elements give the same entities, byte for byte.
func TestLayoutsAgree(t *testing.T) {
	want := mustParse(t, readPublication(t, real2020))
	for _, dir := range publications[1:] {
		got := mustParse(t, readPublication(t, dir))
		if len(got.Emitted) != len(want.Emitted) {
			t.Fatalf("%s: %d entities, %s %d", dir, len(got.Emitted), real2020, len(want.Emitted))
		}
		for i := range want.Emitted {
			a, _ := want.Emitted[i].MarshalCanonical()
			b, _ := got.Emitted[i].MarshalCanonical()
			if !slices.Equal(a, b) {
				t.Errorf("%s: entity %d differs:\n%s\n%s", dir, i, b, a)
			}
		}
	}
}

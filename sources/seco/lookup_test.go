package seco

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// Test-made lookups (testdata/ch_seco/README.md): the real excerpt has no
// <sanctions-program> or <place>, so these are written here, in the shape
// SECO prints them, with invented texts that say so. Set 27286 is left
// unresolved.
const (
	testPrograms = `<sanctions-program ssid="9001" version-date="2026-01-01" predecessor-version-date="2025-01-01">` +
		`<program-key lang="ger">Test Weissrussland</program-key><program-key lang="eng">Test Belarus</program-key>` +
		`<program-name lang="ger">Test-Verordnung A</program-name><program-name lang="eng">Test ordinance A</program-name>` +
		`<sanctions-set ssid="4387" lang="ger">Test Anhang 1</sanctions-set><sanctions-set ssid="4387" lang="eng">Test annex 1</sanctions-set>` +
		`<origin>EU</origin></sanctions-program>` + "\n" +
		`<sanctions-program ssid="9002"><program-name lang="eng">Test ordinance B</program-name>` +
		`<sanctions-set ssid="34422" lang="eng">Test vessel measures</sanctions-set></sanctions-program>` + "\n"
	testPlaces = `<place ssid="319"><location>Test city A</location><area>Test area A</area><country iso-code="BY">Belarus</country></place>` + "\n"
)

// withLookups inserts before (after the root's start tag) and after
// (before its end tag) into the real excerpt.
func withLookups(t testing.TB, before, after string) []byte {
	t.Helper()
	data := readExcerpt(t)
	i := bytes.Index(data, []byte("<target "))
	j := bytes.LastIndex(data, []byte("</swiss-sanctions-list>"))
	out := append([]byte{}, data[:i]...)
	out = append(out, before...)
	out = append(out, data[i:j]...)
	out = append(out, after...)
	return append(out, data[j:]...)
}

// TestLookupsResolve: sanctions sets and places resolve wherever they sit,
// before the targets, after them, or split, since the first pass reads
// them all before any target is mapped.
func TestLookupsResolve(t *testing.T) {
	tests := []struct{ name, before, after string }{
		{"before", testPrograms + testPlaces, ""},
		{"after", "", testPrograms + testPlaces},
		{"programs before, places after", testPrograms, testPlaces},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, withLookups(t, tc.before, tc.after))
			mzkt := p.Entity(t, "44348")
			wantListing := entity.Listing{List: "Test Belarus", ListName: "Test ordinance A", Authority: Authority,
				Programs: []string{"Test ordinance A"}, Start: "2021-03-22", Measures: []string{"Test annex 1"}}
			if !slices.Equal(mzkt.Programs, []string{"Test ordinance A"}) || len(mzkt.Listings) != 1 || !listingEqual(mzkt.Listings[0], wantListing) {
				t.Errorf("44348 programs %v listings %+v", mzkt.Programs, mzkt.Listings)
			}
			wantAddr := entity.Address{Full: "150 Partizansky Ave., 220021 Test city A, Test area A, Belarus", Street: "150 Partizansky Ave.",
				City: "Test city A", Region: "Test area A", PostalCode: "220021", Country: "BY", CountryRaw: "Belarus"}
			if len(mzkt.Addresses) != 1 || mzkt.Addresses[0] != wantAddr {
				t.Errorf("44348 addresses %+v", mzkt.Addresses)
			}
			// A program without a key is listed under its name.
			vessel := p.Entity(t, "34461")
			if len(vessel.Listings) != 1 || vessel.Listings[0].List != "Test ordinance B" || !slices.Equal(vessel.Listings[0].Measures, []string{"Test vessel measures"}) {
				t.Errorf("34461 listings %+v", vessel.Listings)
			}
			// Line 9 of the excerpt, after the lines inserted before it.
			line := 9 + strings.Count(tc.before, "\n")
			want := []string{fmt.Sprintf(`consolidated-list.xml:%d:52941: sanctions-set-id "27286" resolves to no <sanctions-set>; kept as program "sanctions-set 27286"`, line)}
			if got := sourcetest.IssueStrings(p.Issues); !slices.Equal(got, want) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
			}
			if len(p.Emitted) != 4 || p.Meta.Delisted != 3 {
				t.Errorf("%d entities, %d de-listed", len(p.Emitted), p.Meta.Delisted)
			}
		})
	}
}

func listingEqual(a, b entity.Listing) bool {
	return a.List == b.List && a.ListName == b.ListName && a.Authority == b.Authority && slices.Equal(a.Programs, b.Programs) &&
		a.Start == b.Start && slices.Equal(a.Measures, b.Measures)
}

// TestLookupIssues: what the first pass cannot use is an issue naming the
// element and its line, and the rest is used.
func TestLookupIssues(t *testing.T) {
	tests := []struct {
		name, before string
		want         []string
	}{
		{
			"unknown element and attribute in a place",
			`<place ssid="319" kind="x"><location>Test city A</location><street>Test street</street></place>` + "\n",
			[]string{
				`consolidated-list.xml:3:place 319: unknown attribute kind="x" on <place>; not mapped`,
				`consolidated-list.xml:3:place 319: unknown element <street> in <place>; not mapped`,
			},
		},
		{
			"repeated place",
			`<place ssid="319"><location>Test city A</location></place>` + "\n" + `<place ssid="319"><location>Test city B</location></place>` + "\n",
			[]string{`consolidated-list.xml:4:place 319: repeated <place ssid="319"> (the first is at line 3); the first is used`},
		},
		{
			"a country code that is not ISO",
			`<place ssid="319"><country iso-code="ZZ">Test land</country></place>` + "\n",
			[]string{`consolidated-list.xml:3:place 319: iso-code "ZZ" is not an ISO 3166-1 code; the country's text is kept`},
		},
		{
			"a place without ssid",
			`<place><location>Test city A</location></place>` + "\n",
			[]string{`consolidated-list.xml:3:: <place> without ssid; not usable`},
		},
		{
			"a set without ssid, an unknown element, a set repeated in another program",
			`<sanctions-program ssid="1"><program-key lang="eng">Test A</program-key><sanctions-set lang="eng">Test annex</sanctions-set>` +
				`<sanctions-set ssid="4387" lang="eng">Test annex 1</sanctions-set><remark>x</remark></sanctions-program>` + "\n" +
				`<sanctions-program ssid="2"><program-key lang="eng">Test B</program-key><sanctions-set ssid="4387" lang="eng">Test annex 2</sanctions-set></sanctions-program>` + "\n",
			[]string{
				`consolidated-list.xml:3:sanctions-program 1: <sanctions-set> without ssid; not usable`,
				`consolidated-list.xml:3:sanctions-program 1: unknown element <remark> in <sanctions-program>; not mapped`,
				`consolidated-list.xml:4:sanctions-program 2: repeated <sanctions-set ssid="4387"> (the first is at line 3, in sanctions-program 1); the first is used`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, withLookups(t, tc.before, ""))
			var got []string
			for _, is := range p.Issues {
				// The references the excerpt's targets make are not the
				// point here.
				if !strings.Contains(is.Problem, "resolves to no") {
					got = append(got, sourcetest.IssueString(is))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.want))
			}
			if len(p.Emitted) != 4 {
				t.Errorf("%d entities", len(p.Emitted))
			}
		})
	}
}

// TestRelations: a relation names its target by id; one to a target the
// file does not hold, or of an unknown type, is an issue and is kept.
func TestRelations(t *testing.T) {
	data := readExcerpt(t)
	rels := `<relation ssid="1" target-id="85396" relation-type="related-to"/>` +
		`<relation ssid="2" target-id="999999" relation-type="related-to"/>` +
		`<relation ssid="3" target-id="5142" relation-type="owned-by"/>`
	data = bytes.Replace(data, []byte(`<other-information ssid="102624">`), []byte(rels+`<other-information ssid="102624">`), 1)
	p := mustParse(t, data)
	got := mapSlice(p.Entity(t, "44348").Relations, func(r entity.Relation) string { return r.Type + " " + r.TargetID })
	want := []string{"owned-by ch_seco-5142", "related-to ch_seco-85396", "related-to ch_seco-999999"}
	if !slices.Equal(got, want) {
		t.Errorf("relations %v, want %v", got, want)
	}
	var problems []string
	for _, is := range p.Issues {
		if is.Record == "44348" && !strings.Contains(is.Problem, "place-id") && !strings.Contains(is.Problem, "sanctions-set-id") {
			problems = append(problems, sourcetest.IssueString(is))
		}
	}
	wantIssues := []string{
		`consolidated-list.xml:6:44348: relation target-id "999999" resolves to no <target>; kept`,
		`consolidated-list.xml:6:44348: unknown relation-type "owned-by"; kept`,
	}
	if !slices.Equal(problems, wantIssues) {
		t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(problems), sourcetest.Join(wantIssues))
	}
}

package dfat

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestConformance runs the shared suite on both real workbooks, each
// acquired from its folder by its own official name. Its first parse is
// the one parseReal gives the later tests.
func TestConformance(t *testing.T) {
	for _, pub := range publications {
		t.Run(pub.date, func(t *testing.T) {
			p := sourcetest.Run(t, New(Config{TempDir: t.TempDir()}), filepath.Join(testdata, pub.date))
			if got := p.Input.Files[0].Name; got != pub.file {
				t.Errorf("acquired %s, want %s", got, pub.file)
			}
			shareParse(pub, p)
		})
	}
}

// TestPublications: each workbook gives one entity per group of
// references, with the types, names by kind, IMO numbers and UN
// reference numbers that the hand reading of its sheet XML counts; the
// publication date is the workbook's; the issues are the ones the file
// deserves, named by row.
func TestPublications(t *testing.T) {
	want := map[string]struct {
		groups, persons, orgs, vessels, names int
		date                                  string
	}{
		"2024-12-17": {3062, 2316, 746, 0, 9518, "2024-11-11"},
		"2026-02-24": {3811, 2518, 1031, 262, 10941, "2026-02-24"},
	}
	for _, pub := range publications {
		t.Run(pub.date, func(t *testing.T) {
			hand := countByHand(handRows(t, pub))
			p := parseReal(t, pub)
			w := want[pub.date]

			byType := map[entity.Type]int{}
			byKind := map[string]int{}
			names, imos, unRefs := 0, 0, 0
			for _, e := range p.entities {
				byType[e.Type]++
				names += len(e.Names)
				for _, n := range e.Names {
					byKind[n.Kind]++
				}
				for _, id := range e.Identifiers {
					switch id.RawType {
					case rawIMO:
						imos++
					case rawUNRef:
						unRefs++
					}
				}
			}
			t.Logf("%d rows in %d groups: %v; %d names %v; %d IMO numbers, %d UN references",
				hand.dataRows, len(hand.groups), byType, names, byKind, imos, unRefs)
			if len(p.entities) != len(hand.groups) || len(p.entities) != w.groups {
				t.Errorf("%d entities, the sheet has %d groups (want %d)", len(p.entities), len(hand.groups), w.groups)
			}
			for _, num := range hand.groups {
				if p.byID["au_dfat-"+num] == nil {
					t.Errorf("group %s: no entity au_dfat-%s", num, num)
				}
			}
			if byType[entity.Person] != hand.types["person"] || byType[entity.Organization] != hand.types["organization"] ||
				byType[entity.Vessel] != hand.types["vessel"] || byType[entity.Unknown] != 0 {
				t.Errorf("types %v, by hand %v", byType, hand.types)
			}
			if byType[entity.Person] != w.persons || byType[entity.Organization] != w.orgs || byType[entity.Vessel] != w.vessels {
				t.Errorf("types %v, want %d persons, %d organizations, %d vessels", byType, w.persons, w.orgs, w.vessels)
			}
			if names != hand.names || names != w.names {
				t.Errorf("%d names, by hand %d (want %d)", names, hand.names, w.names)
			}
			for _, k := range []string{entity.KindPrimary, entity.KindAlias, entity.KindWeakAlias, entity.KindFormer} {
				if byKind[k] != hand.byKind[k] {
					t.Errorf("%d names of kind %s, by hand %d", byKind[k], k, hand.byKind[k])
				}
			}
			if byKind[entity.KindPrimary] != len(p.entities) {
				t.Errorf("%d primary names for %d entities", byKind[entity.KindPrimary], len(p.entities))
			}
			if imos != hand.imos || unRefs != hand.unRefs {
				t.Errorf("%d IMO numbers and %d UN references, by hand %d and %d", imos, unRefs, hand.imos, hand.unRefs)
			}
			if p.meta.PublicationDate != w.date {
				t.Errorf("publication date %q, want %s", p.meta.PublicationDate, w.date)
			}
			if p.meta.Unproven != "" || p.meta.DeclaredCount != 0 {
				t.Errorf("meta %+v", p.meta)
			}
			var got []string
			for _, is := range p.issues {
				got = append(got, issueString(is))
			}
			if want := wantIssues[pub.date]; !slices.Equal(got, want) {
				t.Errorf("issues:\n%s\nwant:\n%s", join(got), join(want))
			}
		})
	}
}

// TestInfo: the registry entry and the URL override.
func TestInfo(t *testing.T) {
	info := New(Config{}).Info()
	if info.Name != "au_dfat" || info.Title != "Australian Sanctions Consolidated List" || info.Schedule != "0 */6 * * *" ||
		info.Publisher != "Australian Government Department of Foreign Affairs and Trade" {
		t.Errorf("info %+v", info)
	}
	want := []sources.FileSet{
		{Format: "xlsx", Files: []sources.FileSpec{{Name: "Australian_Sanctions_Consolidated_List.xlsx", URL: "https://www.dfat.gov.au/sites/default/files/Australian_Sanctions_Consolidated_List.xlsx"}}},
		{Format: "xlsx", Files: []sources.FileSpec{{Name: "regulation8_consolidated.xlsx", URL: "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"}}},
	}
	if len(info.Formats) != 2 || !slices.Equal(info.Formats[0].Files, want[0].Files) || !slices.Equal(info.Formats[1].Files, want[1].Files) ||
		info.Formats[0].Format != "xlsx" || info.Formats[1].Format != "xlsx" {
		t.Errorf("formats %+v", info.Formats)
	}
	u := New(Config{URLs: map[string]string{FileName: "http://127.0.0.1:8080/list.xlsx"}}).Info().Formats[0].Files[0].URL
	if u != "http://127.0.0.1:8080/list.xlsx" {
		t.Errorf("URL override: %s", u)
	}
}

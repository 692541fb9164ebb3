package un

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestConformance runs the shared suite on every real publication.
func TestConformance(t *testing.T) {
	for _, date := range publications {
		t.Run(date, func(t *testing.T) {
			sourcetest.Run(t, New(Config{}), filepath.Join(testdata, date))
		})
	}
}

// TestPublications: every publication gives one entity per INDIVIDUAL and
// ENTITY record, counted by a byte scan of the file, persons and
// organizations split the same way, ids are the file's DATAIDs, the
// publication date is dateGenerated's, and the only issues are the ones
// the files deserve.
func TestPublications(t *testing.T) {
	wantIssues := map[string][]string{
		// HTi.001 (Jimmy Cherizier) was printed with UN_LIST_TYPE
		// 26532022 instead of Haiti.
		"2023-03-09": {`consolidated.xml:695:6908901: UN_LIST_TYPE "26532022" is not a regime name; kept as the program`},
	}
	for _, date := range publications {
		t.Run(date, func(t *testing.T) {
			data := readPublication(t, date)
			p := mustParse(t, data)
			individuals, entities := countRecords(data)
			if individuals == 0 || entities == 0 {
				t.Fatalf("byte scan found %d INDIVIDUAL and %d ENTITY records", individuals, entities)
			}
			persons, orgs := 0, 0
			for _, e := range p.Emitted {
				switch e.Type {
				case entity.Person:
					persons++
				case entity.Organization:
					orgs++
				default:
					t.Errorf("%s: type %q", e.ID, e.Type)
				}
			}
			if len(p.Emitted) != individuals+entities || persons != individuals || orgs != entities {
				t.Errorf("%d entities (%d persons, %d organizations); the file has %d INDIVIDUAL and %d ENTITY records",
					len(p.Emitted), persons, orgs, individuals, entities)
			}
			ids := dataIDs(data)
			if len(ids) != len(p.Emitted) {
				t.Errorf("%d DATAIDs in the file, %d entities", len(ids), len(p.Emitted))
			}
			for id := range ids {
				if e := p.BySourceID[id]; e == nil || e.ID != "un_sc-"+id {
					t.Errorf("DATAID %s: no entity un_sc-%s", id, id)
				}
			}
			if p.Meta.PublicationDate != date {
				t.Errorf("publication date %q, want %s", p.Meta.PublicationDate, date)
			}
			got := sourcetest.IssueStrings(p.Issues)
			if want := wantIssues[date]; !slices.Equal(got, want) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
			}
		})
	}
}

// TestInfo: the registry entry.
func TestInfo(t *testing.T) {
	info := New(Config{}).Info()
	if info.Name != "un_sc" || info.Publisher != "United Nations Security Council" ||
		info.Title != "UN Security Council Consolidated List" || info.Schedule != "0 */4 * * *" {
		t.Errorf("info %+v", info)
	}
	if len(info.Formats) != 1 || info.Formats[0].Format != "xml" || len(info.Formats[0].Files) != 1 ||
		info.Formats[0].Files[0] != (sources.FileSpec{Name: "consolidated.xml", URL: "https://scsanctions.un.org/resources/xml/en/consolidated.xml"}) {
		t.Errorf("formats %+v", info.Formats)
	}
	if u := New(Config{URL: "http://127.0.0.1:8080/c.xml"}).Info().Formats[0].Files[0].URL; u != "http://127.0.0.1:8080/c.xml" {
		t.Errorf("URL override: %s", u)
	}
}

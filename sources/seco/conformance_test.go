package seco

import (
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestConformance runs the shared suite on the real publication.
func TestConformance(t *testing.T) {
	p := sourcetest.Run(t, New(Config{}), excerptDir)
	if p.Input.Format != "xml" || len(p.Entities) != 4 || p.Meta.PublicationDate != "2026-08-15" || p.Meta.Delisted != 3 {
		t.Errorf("format %s, %d entities, meta %+v", p.Input.Format, len(p.Entities), p.Meta)
	}
}

// TestIssues: the real excerpt's only issues are its references to the
// sanctions sets and places its maker cut out (testdata/ch_seco/README.md),
// one per reference of a target in force, each naming the line.
func TestIssues(t *testing.T) {
	p := mustParse(t, readExcerpt(t))
	want := []string{
		`consolidated-list.xml:6:44348: <address> place-id "319" resolves to no <place>; kept as "place 319 (not in the list)"`,
		`consolidated-list.xml:6:44348: sanctions-set-id "4387" resolves to no <sanctions-set>; kept as program "sanctions-set 4387"`,
		`consolidated-list.xml:7:85396: sanctions-set-id "4387" resolves to no <sanctions-set>; kept as program "sanctions-set 4387"`,
		`consolidated-list.xml:8:34461: sanctions-set-id "34422" resolves to no <sanctions-set>; kept as program "sanctions-set 34422"`,
		`consolidated-list.xml:9:52941: sanctions-set-id "27286" resolves to no <sanctions-set>; kept as program "sanctions-set 27286"`,
	}
	if got := sourcetest.IssueStrings(p.Issues); !slices.Equal(got, want) {
		t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
	}
	// The two labelled other-information texts no label reads.
	if p.Meta.RemarksUnparsed != 1 || p.Meta.UnparsedRemarks[0].Value != "Associated individual: President Vladimir Putin (father)" {
		t.Errorf("remarks unparsed %d, %+v", p.Meta.RemarksUnparsed, p.Meta.UnparsedRemarks)
	}
}

// TestInfo: the registry entry and the URL override.
func TestInfo(t *testing.T) {
	info := New(Config{}).Info()
	if info.Name != "ch_seco" || info.Publisher != "Swiss State Secretariat for Economic Affairs (SECO)" || info.Schedule != "0 */4 * * *" {
		t.Errorf("info %+v", info)
	}
	want := sources.FileSpec{Name: "consolidated-list.xml", URL: "https://www.sesam.search.admin.ch/sesam-search-web/pages/downloadXmlGesamtliste.xhtml?lang=en&action=downloadXmlGesamtlisteAction"}
	if len(info.Formats) != 1 || info.Formats[0].Format != "xml" || len(info.Formats[0].Files) != 1 || info.Formats[0].Files[0] != want {
		t.Errorf("formats %+v", info.Formats)
	}
	local := "http://127.0.0.1:8080/consolidated-list.xml"
	if u := New(Config{URLs: map[string]string{FileName: local}}).Info().Formats[0].Files[0].URL; u != local {
		t.Errorf("URL override: %s", u)
	}
}

package sema

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestConformance runs the shared suite on every publication in testdata.
func TestConformance(t *testing.T) {
	for _, dir := range publications {
		t.Run(dir, func(t *testing.T) {
			sourcetest.Run(t, New(Config{}), filepath.Join(testdata, dir))
		})
	}
}

// TestPublications: the file prints no date and no count, its end is its
// proof (Meta empty), and the only issues are the four aliases kept whole
// that may hold two names, on the same lines in every layout (the
// derivation keeps the lines).
func TestPublications(t *testing.T) {
	want := []string{
		`sema-lmes.xml:1453:iran-1-136: alias "Sepah-e Pasdaran-e Enghelab-e Eslami/GRI" may hold two names joined by "/"; kept as one`,
		`sema-lmes.xml:1453:iran-1-136: alias "Sepah-e Pasdaran-e Enghelab-e Eslami et Pasdaran" may hold two names joined by " et "; kept as one`,
		`sema-lmes.xml:1515:iran-1-146: alias "Université Baqiyatallah des sciences médicales et Université des sciences médica…" may hold two names joined by " et "; kept as one`,
		`sema-lmes.xml:4094:syria-1-42: alias "GORT/ORTAS" may hold two names joined by "/"; kept as one`,
	}
	for _, dir := range publications {
		t.Run(dir, func(t *testing.T) {
			p := mustParse(t, readPublication(t, dir))
			if p.Meta != (sources.Meta{}) {
				t.Errorf("meta %+v, want none", p.Meta)
			}
			got := sourcetest.IssueStrings(p.Issues)
			if !slices.Equal(got, want) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
			}
		})
	}
}

// TestInfo: the registry entry.
func TestInfo(t *testing.T) {
	info := New(Config{}).Info()
	if info.Name != "ca_sema" || info.Publisher != "Global Affairs Canada" ||
		info.Title != "Consolidated Canadian Autonomous Sanctions List" || info.Schedule != "20 */6 * * *" {
		t.Errorf("info %+v", info)
	}
	want := sources.FileSpec{Name: "sema-lmes.xml", URL: "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml"}
	if len(info.Formats) != 1 || info.Formats[0].Format != "xml" || len(info.Formats[0].Files) != 1 || info.Formats[0].Files[0] != want {
		t.Errorf("formats %+v", info.Formats)
	}
	override := New(Config{URLs: map[string]string{FileName: "http://127.0.0.1:8080/s.xml"}}).Info()
	if u := override.Formats[0].Files[0].URL; u != "http://127.0.0.1:8080/s.xml" {
		t.Errorf("URL override: %s", u)
	}
}

package uk

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		dir  string
	}{
		{"xml excerpt 2026-08-14", xmlDir},
		{"csv rendering of the excerpt", csvDir},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := sourcetest.Run(t, New(Config{}), tc.dir)
			if len(p.Entities) != 4 {
				t.Errorf("%d entities, want 4", len(p.Entities))
			}
			if n := p.IssuesTotal; n != 0 {
				t.Errorf("%d issues: %v", n, p.Issues)
			}
			if p.Meta.PublicationDate != "2026-08-14" {
				t.Errorf("publication date %q, want 2026-08-14", p.Meta.PublicationDate)
			}
		})
	}
}

func TestInfo(t *testing.T) {
	info := New(Config{URLs: map[string]string{csvFile: "http://127.0.0.1/x.csv"}}).Info()
	if info.Name != "gb_fcdo" || info.Publisher != "UK Foreign, Commonwealth & Development Office" ||
		info.Title != "UK Sanctions List" || info.Schedule != "0 */2 * * *" {
		t.Errorf("info = %+v", info)
	}
	if len(info.Formats) != 2 {
		t.Fatalf("formats = %+v", info.Formats)
	}
	x, c := info.Formats[0], info.Formats[1]
	if x.Format != "xml" || len(x.Files) != 1 || x.Files[0].Name != "UK-Sanctions-List.xml" ||
		x.Files[0].URL != "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml" {
		t.Errorf("xml = %+v", x)
	}
	if c.Format != "csv" || len(c.Files) != 1 || c.Files[0].Name != "UK-Sanctions-List.csv" || c.Files[0].URL != "http://127.0.0.1/x.csv" {
		t.Errorf("csv = %+v", c)
	}
}

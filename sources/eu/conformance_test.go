package eu

import (
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name, dir, format string
		issues            []string
	}{
		{"xml excerpt 2026-08-05", excerptDir, "xml", nil},
		{"csv derived from the excerpt", derivedDir, "csv", []string{"UTF-8 byte order mark at the start; dropped"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := sourcetest.Run(t, New(Config{}), tc.dir)
			if p.Input.Format != tc.format || len(p.Entities) != 4 || p.Meta.PublicationDate != "2026-08-05" {
				t.Errorf("format %s, %d entities, meta %+v", p.Input.Format, len(p.Entities), p.Meta)
			}
			if got := problems(p.Issues); !slices.Equal(got, tc.issues) {
				t.Errorf("issues = %q, want %q", got, tc.issues)
			}
		})
	}
}

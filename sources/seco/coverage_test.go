package seco

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// TestCoverage: normalized as the pipeline normalizes them, the real
// excerpt's entities leave under 0.5% of their countries unmapped and of
// their dates unparsed (each one left is listed in the log), and every
// identifier keeps a type.
func TestCoverage(t *testing.T) {
	p := mustParse(t, readExcerpt(t))
	var cov normalize.Coverage
	for _, e := range p.Emitted {
		normalize.Entity(e, &cov)
	}
	cov.Sort()
	t.Logf("names %d (%d non-Latin, %d transliterated), countries %d (%d unmapped), dates %d (%d unparsed), identifiers %d (%d typed, %d valid, %d invalid)",
		cov.Names, cov.NamesNonLatin, cov.NamesTransliterated, cov.Countries, cov.CountriesUnmapped, cov.Dates, cov.DatesUnparsed,
		cov.Identifiers, cov.IdentifiersTyped, cov.IdentifiersValid, cov.IdentifiersInvalid)
	for _, ex := range cov.UnmappedCountries {
		t.Logf("unmapped country %q (%d, %s)", ex.Value, ex.Count, ex.Entity)
	}
	for _, ex := range cov.UnparsedDates {
		t.Logf("unparsed date %q (%d, %s)", ex.Value, ex.Count, ex.Entity)
	}
	for _, ex := range cov.InvalidIdentifiers {
		t.Logf("invalid identifier %q (%s, %s)", ex.Value, ex.Problem, ex.Entity)
	}
	if cov.Countries == 0 || cov.Dates == 0 {
		t.Fatalf("no countries or dates: %+v", cov)
	}
	if share := float64(cov.CountriesUnmapped) / float64(cov.Countries); share >= 0.005 {
		t.Errorf("%.1f%% of %d countries unmapped", 100*share, cov.Countries)
	}
	if share := float64(cov.DatesUnparsed) / float64(cov.Dates); share >= 0.005 {
		t.Errorf("%.1f%% of %d dates unparsed", 100*share, cov.Dates)
	}
	if cov.IdentifiersTyped != cov.Identifiers || cov.NotIdentifiers != 0 {
		t.Errorf("%d of %d identifiers typed, %d dropped as not identifiers", cov.IdentifiersTyped, cov.Identifiers, cov.NotIdentifiers)
	}
	if cov.NamesNotTransliterated != 0 {
		t.Errorf("names not transliterated: %+v", cov.UntransliteratedNames)
	}
}

package dfat

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// TestCoverage normalizes every entity as the pipeline does and keeps
// unmapped countries and unparsed dates under 0.5% of their values,
// listing each one.
func TestCoverage(t *testing.T) {
	for _, pub := range publications {
		t.Run(pub.date, func(t *testing.T) {
			p := parseReal(t, pub)
			var cov normalize.Coverage
			for _, e := range p.entities {
				normalize.Entity(e, &cov)
			}
			t.Logf("countries %d/%d mapped, dates %d/%d parsed, names %d (%d non-Latin, %d not transliterated), identifiers %d (%d invalid)",
				cov.CountriesMapped, cov.Countries, cov.DatesParsed, cov.Dates, cov.Names, cov.NamesNonLatin,
				cov.NamesNotTransliterated, cov.Identifiers, cov.IdentifiersInvalid)
			for _, x := range cov.UnmappedCountries {
				t.Logf("unmapped country %q (%d, %s)", x.Value, x.Count, x.Entity)
			}
			for _, x := range cov.UnparsedDates {
				t.Logf("unparsed date %q (%d, %s)", x.Value, x.Count, x.Entity)
			}
			if cov.Countries == 0 || float64(cov.CountriesUnmapped) >= 0.005*float64(cov.Countries) {
				t.Errorf("%d of %d countries unmapped", cov.CountriesUnmapped, cov.Countries)
			}
			if cov.Dates == 0 || float64(cov.DatesUnparsed) >= 0.005*float64(cov.Dates) {
				t.Errorf("%d of %d dates unparsed", cov.DatesUnparsed, cov.Dates)
			}
			if cov.NamesNotTransliterated > 0 {
				t.Errorf("%d names not transliterated", cov.NamesNotTransliterated)
			}
		})
	}
}

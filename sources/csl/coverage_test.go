package csl

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// TestCoverage runs the pipeline's normalization over every entity of the
// real files: unmapped countries and unparsed dates stay under 0.5% of
// their values, each one listed in the log.
func TestCoverage(t *testing.T) {
	for name, pub := range publications(t) {
		t.Run(name, func(t *testing.T) {
			var cov normalize.Coverage
			for _, e := range mustParse(t, pub.format, pub.data).Entities {
				normalize.Entity(e, &cov)
			}
			t.Logf("countries %d, unmapped %d; dates %d, unparsed %d; identifiers %d, typed %d, valid %d, invalid %d; names %d",
				cov.Countries, cov.CountriesUnmapped, cov.Dates, cov.DatesUnparsed,
				cov.Identifiers, cov.IdentifiersTyped, cov.IdentifiersValid, cov.IdentifiersInvalid, cov.Names)
			for _, x := range cov.UnmappedCountries {
				t.Logf("unmapped country %q x%d (%s)", x.Value, x.Count, x.Entity)
			}
			for _, x := range cov.UnparsedDates {
				t.Logf("unparsed date %q x%d (%s)", x.Value, x.Count, x.Entity)
			}
			for _, x := range cov.InvalidIdentifiers {
				t.Logf("invalid identifier %q x%d (%s): %s", x.Value, x.Count, x.Entity, x.Problem)
			}
			if cov.Countries == 0 || float64(cov.CountriesUnmapped) >= 0.005*float64(cov.Countries) {
				t.Errorf("%d of %d countries unmapped", cov.CountriesUnmapped, cov.Countries)
			}
			if float64(cov.DatesUnparsed) >= 0.005*float64(max(cov.Dates, 1)) {
				t.Errorf("%d of %d dates unparsed", cov.DatesUnparsed, cov.Dates)
			}
		})
	}
}

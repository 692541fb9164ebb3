package sema

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// TestCoverage: normalize.Entity over every entity of every file, as the
// pipeline runs it, leaves under 0.5% of the country values unmapped and
// of the dates unparsed; every one is listed in the log. The file prints
// no country of a party (Country names the regulation, which goes to
// programs and listings), so there are no country values to map.
func TestCoverage(t *testing.T) {
	for _, dir := range publications {
		t.Run(dir, func(t *testing.T) {
			p := mustParse(t, readPublication(t, dir))
			var cov normalize.Coverage
			for _, e := range p.Emitted {
				normalize.Entity(e, &cov)
			}
			for _, ex := range cov.UnmappedCountries {
				t.Logf("unmapped country %q (%d times, first %s)", ex.Value, ex.Count, ex.Entity)
			}
			for _, ex := range cov.UnparsedDates {
				t.Logf("unparsed date %q (%d times, first %s)", ex.Value, ex.Count, ex.Entity)
			}
			if cov.Countries != 0 {
				t.Errorf("%d country values; the file prints none of a party", cov.Countries)
			}
			if cov.Dates != 213 || cov.DatesUnparsed*200 >= cov.Dates {
				t.Errorf("%d dates, %d unparsed (want 213, under 0.5%%)", cov.Dates, cov.DatesUnparsed)
			}
			if cov.CountriesUnmapped*200 > cov.Countries {
				t.Errorf("%d of %d countries unmapped, over 0.5%%", cov.CountriesUnmapped, cov.Countries)
			}
			t.Logf("names %d (non-Latin %d), dates %d (unparsed %d), countries %d (unmapped %d), identifiers %d",
				cov.Names, cov.NamesNonLatin, cov.Dates, cov.DatesUnparsed, cov.Countries, cov.CountriesUnmapped, cov.Identifiers)
		})
	}
}

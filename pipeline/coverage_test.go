package pipeline_test

import (
	"path/filepath"
	"testing"
)

// On the real OFAC, UN, EU and UK publications, unmapped countries and
// unparsed dates stay under 0.5% of their values, and the manifest lists
// every one of them.
func TestNormalizationCoverage(t *testing.T) {
	groups := map[string][][2]string{
		"OFAC":  {{"us_ofac_sdn", "us_ofac_sdn/2021-07-07"}, {"us_ofac_cons", "us_ofac_cons/2023-03-08"}, {"us_ofac_cons", "us_ofac_cons/2018-04-06"}},
		"UN":    {{"un_sc", "un_sc/2026-02-27"}, {"un_sc", "un_sc/2018-06-07"}},
		"EU+UK": {{"eu_fsf", "eu_fsf/excerpt-2026-08-05"}, {"gb_fcdo", "gb_fcdo/excerpt-2026-08-14"}},
	}
	for group, pubs := range groups {
		var countries, unmapped, dates, unparsed int
		for _, pub := range pubs {
			st := newStore(t)
			res := runFrom(t, st, newClock(), pub[0], filepath.Join(testdata, pub[1]))
			if res.Err != nil {
				t.Fatalf("%s: %v", pub[1], res.Err)
			}
			c := manifest(t, st, pub[0], res.Version).Coverage
			countries += c.Countries
			unmapped += c.CountriesUnmapped
			dates += c.Dates
			unparsed += c.DatesUnparsed
			listed := 0
			for _, ex := range c.UnmappedCountries {
				listed += ex.Count
				t.Logf("%s: unmapped country %q ×%d (%s)", pub[1], ex.Value, ex.Count, ex.Entity)
			}
			if listed != c.CountriesUnmapped {
				t.Errorf("%s: %d unmapped countries, %d listed", pub[1], c.CountriesUnmapped, listed)
			}
			listed = 0
			for _, ex := range c.UnparsedDates {
				listed += ex.Count
				t.Logf("%s: unparsed date %q ×%d (%s)", pub[1], ex.Value, ex.Count, ex.Entity)
			}
			if listed != c.DatesUnparsed {
				t.Errorf("%s: %d unparsed dates, %d listed", pub[1], c.DatesUnparsed, listed)
			}
		}
		t.Logf("%s: countries %d unmapped of %d (%.3f%%), dates %d unparsed of %d (%.3f%%)",
			group, unmapped, countries, share(unmapped, countries), unparsed, dates, share(unparsed, dates))
		if share(unmapped, countries) >= 0.5 || share(unparsed, dates) >= 0.5 {
			t.Errorf("%s: unmapped countries %.3f%%, unparsed dates %.3f%%; want each under 0.5%%", group, share(unmapped, countries), share(unparsed, dates))
		}
	}
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}

package normalize_test

import (
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// The normalize pass on real records: a country printed with qualifying
// words keeps its country and the words; a dissolved state is no current
// code but its ISO 3166-3 code, unless the address names the successor.
func TestCountriesOfRealRecords(t *testing.T) {
	type nat struct{ id, raw, code, former, qualifier string }
	type addr struct{ id, raw, code, former string }
	for _, tc := range []struct {
		dir   string
		src   sources.Source
		nats  []nat
		addrs []addr
	}{
		{"un_sc/2018-06-07", un.New(un.Config{}), []nat{
			{"un_sc-6908041", "Possibly Ethiopian", "ET", "", "Possibly"},
			{"un_sc-690788", "Sudanese by birth", "SD", "", "by birth"},
			{"un_sc-6908541", "Bahrain (citizenship revoked in Jan. 2015)", "BH", "", "citizenship revoked in Jan. 2015"},
			{"un_sc-111496", "Kuwaiti citizenship withdrawn in 2002", "KW", "", "citizenship withdrawn in 2002"},
			{"un_sc-2960872", "USSR (until 1991)", "", "SUHH", ""},
		}, []addr{
			// Two countries: no guess.
			{"un_sc-6908458", "Sudan/South Sudan", "", ""},
		}},
		{"un_sc/2026-02-27", un.New(un.Config{}), []nat{
			{"un_sc-2960872", "former Soviet Union", "", "SUHH", ""},
			{"un_sc-2960872", "Russian Federation", "RU", "", ""},
		}, nil},
		{"us_ofac_sdn/2021-07-07", ofac.NewSDN(ofac.Config{}), []nat{
			{"us_ofac_sdn-7940", "possibly Palestinian", "PS", "", "possibly"},
		}, []addr{
			// "Kaya WFG (Jombi) Mensing 14, P.O. Box 3895, Willemstad,
			// Curacao, Netherlands Antilles": Curaçao is certain.
			{"us_ofac_sdn-9936", "Netherlands Antilles", "CW", ""},
			{"us_ofac_sdn-11500", "Netherlands Antilles", "CW", ""},
		}},
	} {
		parsed, err := sourcetest.Parse(t, tc.src, filepath.Join("..", "testdata", tc.dir))
		if err != nil {
			t.Fatalf("%s: %v", tc.dir, err)
		}
		byID := map[string]*entity.Entity{}
		var total normalize.Coverage
		for _, e := range parsed.Entities {
			normalize.Entity(e, &total)
			byID[e.ID] = e
		}
		for _, w := range tc.nats {
			e := byID[w.id]
			if e == nil {
				t.Fatalf("%s: no %s", tc.dir, w.id)
			}
			found := false
			for _, n := range append(e.Nationalities, e.Citizenships...) {
				if n.Raw == w.raw {
					found = true
					if n.Code != w.code || n.Former != w.former || n.Qualifier != w.qualifier {
						t.Errorf("%s %s %q: %+v, want code %q former %q qualifier %q", tc.dir, w.id, w.raw, n, w.code, w.former, w.qualifier)
					}
				}
			}
			if !found {
				t.Errorf("%s %s: no nationality or citizenship %q: %+v %+v", tc.dir, w.id, w.raw, e.Nationalities, e.Citizenships)
			}
		}
		for _, w := range tc.addrs {
			e := byID[w.id]
			if e == nil {
				t.Fatalf("%s: no %s", tc.dir, w.id)
			}
			found := false
			for _, a := range e.Addresses {
				if a.CountryRaw == w.raw {
					found = true
					if a.Country != w.code || a.CountryFormer != w.former {
						t.Errorf("%s %s %q: %+v, want country %q former %q", tc.dir, w.id, w.raw, a, w.code, w.former)
					}
				}
			}
			if !found {
				t.Errorf("%s %s: no address in %q", tc.dir, w.id, w.raw)
			}
		}
		t.Logf("%s: %d countries, %d mapped (%d qualified, %d former states), %d unmapped", tc.dir,
			total.Countries, total.CountriesMapped, total.CountriesQualified, total.CountriesFormer, total.CountriesUnmapped)
	}
}

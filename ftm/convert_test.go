package ftm_test

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/ftm"
)

var (
	realOnce sync.Once
	realEnts map[string]map[string]*entity.Entity // publication -> id -> entity
)

// realEntity returns one normalized entity of a real publication.
func realEntity(t *testing.T, pub, id string) *entity.Entity {
	t.Helper()
	realOnce.Do(func() {
		realEnts = map[string]map[string]*entity.Entity{}
		for _, p := range publications(t) {
			if p.name != "us_ofac_sdn/2021-07-07" && p.name != "us_ofac_cons/2020-03-17" {
				continue
			}
			m := map[string]*entity.Entity{}
			for _, e := range parse(t, p) {
				m[e.ID] = e
			}
			realEnts[p.name] = m
		}
	})
	e := realEnts[pub][id]
	if e == nil {
		t.Fatalf("%s: no %s", pub, id)
	}
	return e
}

// TestConvertRealRecords checks the FtM entities of real records.
func TestConvertRealRecords(t *testing.T) {
	sdn, cons := "us_ofac_sdn/2021-07-07", "us_ofac_cons/2020-03-17"
	tests := []struct {
		pub, id, schema string
		props           map[string][]string // on the main entity, exactly
		derived         []string            // schemata of the derived entities, sorted
		check           func(t *testing.T, out []ftm.Entity)
	}{
		{sdn, "us_ofac_sdn-36", "Organization", map[string][]string{
			"name": {"AEROCARIBBEAN AIRLINES"}, "alias": {"AERO-CARIBBEAN"}, "country": {"cu"},
			"address": {"Havana, Cuba"}, "program": {"CUBA"},
		}, []string{"Address", "Sanction"}, nil},
		{sdn, "us_ofac_sdn-11786", "Person", map[string][]string{
			"firstName": {"Rostam"}, "lastName": {"QASEMI"}, "birthDate": {"1964-05-22"},
			"nationality": {"ir"}, "citizenship": {"ir"}, "gender": {"male"},
			"passportNumber": {"A2463775"}, "idNumber": {"6579726970"},
			"alias": {"GHASEMI MOHAMMADALI, ROSTAM", "GHASEMI, Rostam"},
		}, []string{"Address", "Identification", "Passport", "Sanction", "Sanction", "Sanction", "Sanction", "UnknownLink", "UnknownLink"},
			func(t *testing.T, out []ftm.Entity) {
				// One Sanction per program, since the CSV has no listings.
				var programs []string
				for _, f := range out {
					if f.Schema == "Sanction" {
						programs = append(programs, f.Properties["program"]...)
						if !slices.Equal(f.Properties["entity"], []string{"us_ofac_sdn-11786"}) {
							t.Errorf("sanction %s entity %v", f.ID, f.Properties["entity"])
						}
					}
					if f.Schema == "Passport" && !slices.Equal(f.Properties["country"], []string{"ir"}) {
						t.Errorf("passport country %v", f.Properties["country"])
					}
				}
				slices.Sort(programs)
				if !slices.Equal(programs, []string{"IFSR", "IRGC", "NPWMD", "SDGT"}) {
					t.Errorf("sanction programs %v", programs)
				}
			}},
		// "nationality possibly Palestinian": the country, and the words
		// FtM's country cannot carry in notes.
		{sdn, "us_ofac_sdn-7940", "Person", map[string][]string{"nationality": {"ps"}}, []string{"Address", "Sanction"},
			func(t *testing.T, out []ftm.Entity) {
				if notes := out[0].Properties["notes"]; !slices.Contains(notes, "nationality: possibly Palestinian") {
					t.Errorf("notes %q", notes)
				}
			}},
		{sdn, "us_ofac_sdn-15036", "Vessel", map[string][]string{
			"imoNumber": {"9187629"}, "mmsi": {"572469210"}, "callSign": {"T2EU4"}, "flag": {"ir"},
			// "None Identified" is no flag: left out, counted.
			"pastFlags": {"mt", "tv", "tz"}, "tonnage": {"99144"}, "grossRegisteredTonnage": {"56068"},
			"previousName": {"ABADAN", "SHONA"}, "weakAlias": {"ALPHA"}, "type": {"Crude/Oil Products Tanker"},
		}, []string{"Sanction", "UnknownLink"}, nil},
		{sdn, "us_ofac_sdn-15431", "Airplane", map[string][]string{
			"model": {"IL76-TD"}, "buildDate": {"1992"}, "serialNumber": {"1023409321", "8401"},
		}, []string{"Sanction", "UnknownLink"}, nil},
		{cons, "us_ofac_cons-18267", "Organization", map[string][]string{
			"email": {"orenburgneft@rosneft.ru"}, "country": {"ru"},
		}, []string{"Address", "Address", "Sanction", "UnknownLink"},
			func(t *testing.T, out []ftm.Entity) {
				for _, f := range out {
					switch f.Schema {
					case "Sanction":
						want := map[string][]string{"authority": {"US Treasury OFAC"}, "listingDate": {"2015-07-30"}, "startDate": {"2015-07-30"},
							"provisions": {"13662 Sectoral Directive 2", "13662 Sectoral Directive 4"}}
						for k, v := range want {
							if !slices.Equal(f.Properties[k], v) {
								t.Errorf("sanction %s = %v, want %v", k, f.Properties[k], v)
							}
						}
					case "UnknownLink":
						// Organization is no Asset in FtM: an ownership of a
						// company is an UnknownLink with its role.
						if !slices.Equal(f.Properties["object"], []string{"us_ofac_cons-17022"}) || !slices.Equal(f.Properties["role"], []string{"owned or controlled by"}) {
							t.Errorf("link %v", f.Properties)
						}
					}
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			e := realEntity(t, tc.pub, tc.id)
			out := ftm.Convert(e)
			m := out[0]
			if m.ID != tc.id || m.Schema != tc.schema || !slices.Equal(m.Datasets, []string{e.Source}) {
				t.Fatalf("main entity %s %s %v", m.ID, m.Schema, m.Datasets)
			}
			for k, v := range tc.props {
				if !slices.Equal(m.Properties[k], v) {
					t.Errorf("%s = %q, want %q", k, m.Properties[k], v)
				}
			}
			var got []string
			for _, f := range out[1:] {
				got = append(got, f.Schema)
				if !strings.HasPrefix(f.ID, tc.id+"-"+strings.ToLower(f.Schema)+"-") {
					t.Errorf("derived id %s", f.ID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.derived) {
				t.Errorf("derived %v, want %v", got, tc.derived)
			}
			if tc.check != nil {
				tc.check(t, out)
			}
			// Deterministic: the same entity gives the same bytes.
			a, _ := json.Marshal(out)
			b, _ := json.Marshal(ftm.Convert(e))
			if string(a) != string(b) {
				t.Error("two conversions differ")
			}
		})
	}
}

package seco

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// nameLine prints a name as kind|value|script|lang|given/middle/family/patronymic.
func nameLine(n entity.Name) string {
	parts := ""
	if p := n.Parts; p != nil {
		parts = strings.Join([]string{p.Given, p.Middle, p.Family, p.Patronymic}, "/")
	}
	return strings.Join([]string{n.Kind, n.Value, n.Script, n.Lang, parts}, "|")
}

func idLine(id entity.Identifier) string {
	return strings.Join([]string{id.Type, id.Value, id.RawType, id.Country, id.CountryRaw}, "|")
}

// TestRecords: four real targets in force, field by field: an entity with
// a Cyrillic spelling, an alias, an address and labelled contact facts; a
// man with three spellings of each name part, documents and nationality;
// a vessel with its IMO number; a woman with a former (maiden) name, two
// aliases and a self-closed date.
func TestRecords(t *testing.T) {
	p := mustParse(t, readExcerpt(t))
	tests := []struct {
		ssid        string
		typ         entity.Type
		name        string
		names       []string
		gender      string
		dates       []string // value/precision/raw
		nats        []string // code/raw
		ids         []string
		addresses   []string // full|street|postal code
		programs    []string
		listedOn    string
		positions   []string
		remarksHave []string
		vesselIMO   string
	}{
		{
			ssid: "44348", typ: entity.Organization, name: "MZKT",
			names: []string{
				"primary|MZKT|Latn|en|",
				"alias|VOLAT|Latn|en|",
				"alias|МЗКТ - Минский завод колёсных тягачей|Cyrl|be|",
			},
			ids: []string{
				"email|link@mzkt.by|E-Mail||",
				"phone|+375 (17) 291-31-92|Fax||",
				"phone|+375 (17) 330-17-09|Phone||",
				"registration_number|100534485|Registration number||",
				"website|www.mzkt.by|Website||",
			},
			addresses: []string{"150 Partizansky Ave., 220021, place 319 (not in the list)|150 Partizansky Ave.|220021"},
			programs:  []string{"sanctions-set 4387"},
			// The listed modification's effective-date (enacted
			// 2021-03-19, published and effective 2021-03-22); the two
			// amendments since do not move it.
			listedOn: "2021-03-22",
			remarksHave: []string{
				"MZKT (a.k.a. VOLAT) is part of the Belarusian State Authority",
				"Lukashenka regime. Employees of MZKT who protested",
				"supply of military technology and equipment.",
			},
		},
		{
			ssid: "85396", typ: entity.Person, name: "Zamulevich Dzmitry Mihaylavych", gender: "male",
			names: []string{
				"primary|Zamulevich Dzmitry Mihaylavych|Latn|en|Dzmitry//Zamulevich/Mihaylavych",
				"alias|Zamulevich Dmitriy Mikhailovich|Latn|ru|Dmitriy//Zamulevich/Mikhailovich",
				// SECO prints a Latin I in ЗАМУЛЕВIЧ; kept as printed.
				"alias|ЗАМУЛЕВIЧ Дзмітрьій Міхайлавіч|Cyrl|be|Дзмітрьій//ЗАМУЛЕВIЧ/Міхайлавіч",
				"alias|ЗАМУЛЕВИЧ Дмитрий Михайлович|Cyrl|ru|Дмитрий//ЗАМУЛЕВИЧ/Михайлович",
			},
			dates: []string{"1974-05-07/day/1974-5-7"},
			nats:  []string{"BY/Belarus"},
			ids: []string{
				"national_id|3070574E057PB8|id-card|BY|Belarus",
				"passport|BM2229283|passport|BY|Belarus",
			},
			programs: []string{"sanctions-set 4387"},
			listedOn: "2024-12-24",
			remarksHave: []string{
				"Dzmitry Zamulevich is part-owner of Vlate Logistik LLC",
				"benefitting from the Lukashenka regime. Part-owner of Vlate Logistik LLC",
			},
		},
		{
			ssid: "34461", typ: entity.Vessel, name: "Hui Chon",
			names:     []string{"primary|Hui Chon|Latn|en|", "alias|Hwang Gum San 2|Latn|en|"},
			ids:       []string{"imo|8405270|IMO Number||"},
			programs:  []string{"sanctions-set 34422"},
			listedOn:  "2016-05-18",
			vesselIMO: "8405270",
		},
		{
			ssid: "52941", typ: entity.Person, name: "Vorontsova Maria Vladimirovna", gender: "female",
			names: []string{
				"primary|Vorontsova Maria Vladimirovna|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|Mariya Vorontsova|Latn|en|",
				"alias|ВОРОНЦОВА Мария Владимировна|Cyrl|ru|Мария//ВОРОНЦОВА/Владимировна",
				"former|Putina|Latn|en|//Putina/",
			},
			dates:     []string{"1985-04-28/day/1985-4-28"},
			nats:      []string{"RU/Russian Federation"},
			programs:  []string{"sanctions-set 27286"},
			listedOn:  "2022-04-13",
			positions: []string{"Co-owner of 20 % of the company Nomenko involved in Russia's largest private investment project in healthcare with an estimated cost of 40 billion roubles"},
			remarksHave: []string{
				"is the eldest daughter of President Vladimir Putin, listed under Decision 2014/145/CFSP. She is co-owner",
				"Associated individual: President Vladimir Putin (father)",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.ssid, func(t *testing.T) {
			e := p.Entity(t, tc.ssid)
			if e.ID != "ch_seco-"+tc.ssid || e.Source != Name || e.Type != tc.typ || e.Name != tc.name || e.Gender != tc.gender {
				t.Errorf("id %s source %s type %s name %q gender %q", e.ID, e.Source, e.Type, e.Name, e.Gender)
			}
			check := func(what string, got, want []string) {
				t.Helper()
				if !slices.Equal(got, want) {
					t.Errorf("%s:\n%s\nwant:\n%s", what, sourcetest.Join(got), sourcetest.Join(want))
				}
			}
			check("names", mapSlice(e.Names, nameLine), tc.names)
			check("birth dates", mapSlice(e.BirthDates, func(d entity.Date) string {
				return fmt.Sprintf("%s/%s/%s", d.Value, d.Precision, d.Raw)
			}), tc.dates)
			check("nationalities", mapSlice(e.Nationalities, func(c entity.Country) string { return c.Code + "/" + c.Raw }), tc.nats)
			check("identifiers", mapSlice(e.Identifiers, idLine), tc.ids)
			check("addresses", mapSlice(e.Addresses, func(a entity.Address) string {
				return strings.Join([]string{a.Full, a.Street, a.PostalCode}, "|")
			}), tc.addresses)
			check("programs", e.Programs, tc.programs)
			check("positions", e.Positions, tc.positions)
			if e.ListedOn != tc.listedOn {
				t.Errorf("listed_on %q, want %q", e.ListedOn, tc.listedOn)
			}
			for _, s := range tc.remarksHave {
				if !strings.Contains(e.Remarks, s) {
					t.Errorf("remarks lack %q:\n%s", s, e.Remarks)
				}
			}
			imo := ""
			if e.Vessel != nil {
				imo = e.Vessel.IMO
			}
			if imo != tc.vesselIMO {
				t.Errorf("vessel IMO %q, want %q", imo, tc.vesselIMO)
			}
			if len(e.Listings) != 0 || len(e.Relations) != 0 || len(e.BirthPlaces) != 0 || len(e.Titles) != 0 {
				t.Errorf("listings %v relations %v birth places %v titles %v", e.Listings, e.Relations, e.BirthPlaces, e.Titles)
			}
		})
	}
	// The de-listed targets, and the copies nested in any modification,
	// give no entity.
	for _, ssid := range []string{"5142", "5816", "5374"} {
		if e := p.BySourceID[ssid]; e != nil {
			t.Errorf("de-listed target %s gave an entity", ssid)
		}
	}
	if len(p.Emitted) != 4 {
		t.Errorf("%d entities, want 4", len(p.Emitted))
	}
}

func mapSlice[T any](s []T, f func(T) string) []string {
	var out []string
	for _, v := range s {
		out = append(out, f(v))
	}
	return out
}

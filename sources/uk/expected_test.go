package uk

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// The entities of the four designations of the 2026-08-14 excerpt, built
// by hand from the XML text: every element the excerpt prints is here.

func latin(value, kind, normalized string, parts *entity.NameParts) entity.Name {
	return entity.Name{Value: value, Kind: kind, Script: "Latn", Parts: parts, Normalized: normalized}
}

func parts(given, middle, family string) *entity.NameParts {
	return &entity.NameParts{Given: given, Middle: middle, Family: family}
}

func other(value, rawType string) entity.Identifier {
	return entity.Identifier{Type: "other", Value: value, Raw: value, RawType: rawType}
}

var valid = true

func expectedExcerpt() []*entity.Entity {
	return []*entity.Entity{
		{
			ID: "gb_fcdo-AFG0011", Source: "gb_fcdo", SourceID: "AFG0011", Type: entity.Person,
			Name: "ABDUL LATIF MANSUR",
			Names: []entity.Name{
				latin("ABDUL LATIF MANSUR", "primary", "abdul latif mansur", parts("ABDUL", "LATIF", "MANSUR")),
				latin("Abdul Latif MANSOOR", "alias", "abdul latif mansoor", parts("Abdul", "Latif", "MANSOOR")),
				latin("Wali MOHAMMAD", "alias", "wali mohammad", parts("Wali", "", "MOHAMMAD")),
				{Value: "عبد اللطيف منصور", Kind: "alias", Script: "Arab", Normalized: "عبد اللطيف منصور"},
			},
			// dd/mm/1968, then 12/11/1967 printed twice.
			BirthDates: []entity.Date{
				{Value: "1968", Precision: "year", Raw: "dd/mm/1968"},
				{Value: "1967-11-12", Precision: "day", Raw: "12/11/1967"},
			},
			BirthPlaces: []string{
				"Zurmat District, Paktia Province, Afghanistan",
				"Garda Saray District, Paktia Province, Afghanistan",
				"Afghanistan",
			},
			Nationalities: []entity.Country{{Raw: "Afghanistan"}},
			Titles:        []string{"Maulavi"},
			Positions:     []string{"Minister of Agriculture under the previous Taliban regime (1996-2001)"},
			Addresses: []entity.Address{
				{Full: "Darul Aman, Kabul, Afghanistan", Street: "Darul Aman, Kabul", CountryRaw: "Afghanistan"},
			},
			Identifiers: []entity.Identifier{
				other("7270", "OFSI Group ID"),
				other("TAi.007", "UN Reference Number"),
				{Type: "passport", Value: "D0009720", Raw: "D0009720", RawType: "Passport number",
					Note: "Afghanistan diplomatic passport number D0009720, issued on 12 Oct. 2021 issued in Kabul, Afghanistan, expires 12 Oct. 2026 (Name in Latin script: ABDUL LATIF MANSOOR)"},
				{Type: "passport", Value: "D0010442", Raw: "D0010442", RawType: "Passport number",
					Note: "Afghanistan diplomatic passport D0010442, issued on 13 Nov. 2024, expires 13 Nov. 2029"},
			},
			Programs: []string{"The Afghanistan (Sanctions) (EU Exit) Regulations 2020"},
			ListedOn: "2001-01-31",
			Remarks: "Designation source: UN; Sanctions imposed: Asset freeze|Travel Ban; Other information: " +
				"Taliban Shadow Governor for Logar Province as of late 2012. Belongs to Sahak tribe (Ghilzai). Height 170cm . " +
				"Review pursuant to Security Council resolution 1822 (2008) was concluded on 27 Jul. 2010. Photo available for " +
				"inclusion in the INTERPOL-UN Security Council Special Notice. INTERPOL-UN Security Council Special Notice web " +
				"link:https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals#2006-25913",
		},
		{
			ID: "gb_fcdo-AQD0128", Source: "gb_fcdo", SourceID: "AQD0128", Type: entity.Person,
			// NameType "Primary name" (lower-case n) is the primary name.
			Name: "AKRAM TURKI HISHAN AL-MAZIDIH",
			Names: []entity.Name{
				latin("AKRAM TURKI HISHAN AL-MAZIDIH", "primary", "akram turki hishan al mazidih", parts("AKRAM", "TURKI HISHAN", "AL-MAZIDIH")),
				latin("Abu Akram", "weak_alias", "abu akram", parts("Abu", "", "Akram")),
				latin("Akram Turki Al-Hishan", "alias", "akram turki al hishan", parts("Akram", "Turki", "Al-Hishan")),
				latin("Abu Jarrah", "weak_alias", "abu jarrah", parts("Abu", "", "Jarrah")),
				{Value: "أكرم تركي هاشم المزيده", Kind: "alias", Script: "Arab", Normalized: "أكرم تركي هاشم المزيده"},
			},
			// Partial dates keep their precision.
			BirthDates: []entity.Date{
				{Value: "1974", Precision: "year", Raw: "dd/mm/1974"},
				{Value: "1975", Precision: "year", Raw: "dd/mm/1975"},
				{Value: "1979", Precision: "year", Raw: "dd/mm/1979"},
				{Value: "1958-09", Precision: "month", Raw: "dd/09/1958"},
				{Value: "1985", Precision: "year", Raw: "1985"},
			},
			Addresses: []entity.Address{
				{Full: "Iraq", CountryRaw: "Iraq"},
				{Full: "Deir ez-Zor Governorate, Syria", Street: "Deir ez-Zor Governorate", CountryRaw: "Syria"},
			},
			Identifiers: []entity.Identifier{
				other("11050", "OFSI Group ID"),
				other("QDi.276", "UN Reference Number"),
				{Type: "national_id", Value: "0075258", Raw: "0075258", RawType: "National Identifier number", Note: "Ration card no."},
			},
			Programs: []string{"Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019"},
			ListedOn: "2010-03-11",
			Remarks: "Designation source: UN; Sanctions imposed: Asset freeze|Arms embargo|Travel Ban; Other information: " +
				"Other possible date of birth: 1979. He is a cousin of Ghazy Fezza Hishan Al Mazidih (QDi.277). Financial " +
				"facilitator of the Islamic State in Iraq and the Levant, listed as Al-Qaida in Iraq (AQI) (QDe.115) as of 2015. " +
				"Review pursuant to Security Council resolution 2253 (2015) was concluded on 21 Feb. 2019. INTERPOL-UN Security " +
				"Council Special Notice web link: https://www.interpol.int/en/notice/search/un/1605607",
		},
		{
			ID: "gb_fcdo-AQD0377", Source: "gb_fcdo", SourceID: "AQD0377", Type: entity.Organization,
			Name: "Khatiba al-Tawhid wal-Jihad (KTJ)",
			// Aliases without AliasStrength are aliases; an entity's names
			// have no parts.
			Names: []entity.Name{
				latin("Khatiba al-Tawhid wal-Jihad (KTJ)", "primary", "khatiba al tawhid wal jihad ktj", nil),
				latin("Jama'at al-Tawhid wal-Jihad", "alias", "jamaat al tawhid wal jihad", nil),
				latin("Jannat Oshiklari", "alias", "jannat oshiklari", nil),
				{Value: "Катиба ат-Таухид валь-Джихад", Kind: "alias", Script: "Cyrl", Normalized: "катиба ат таухид валь джихад"},
			},
			Identifiers: []entity.Identifier{
				other("14211", "OFSI Group ID"),
				other("QDe.168", "UN Reference Number"),
			},
			Programs: []string{"Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019"},
			ListedOn: "2022-03-07",
			Remarks: "Designation source: UN; Sanctions imposed: Asset freeze|Arms embargo; Other information: " +
				"Khatiba al-Tawhid wal-Jihad (formerly known as Jannat Oshiklari) is a terrorist organization operating under " +
				"the umbrella of the international terrorist organization Al-Nusrah Front for the People of the Levant (QDe.137). " +
				"The group mainly operates in the provinces of Hama, Idlib and Ladhiqiyah, in the Syrian Arab Republic, and also " +
				"conduct operations in Turkey, Kyrgyzstan, Uzbekistan, Russian Federation, Tajikistan, Kazakhstan, Egypt, " +
				"Afghanistan, Ukraine. The number of fighters of KTJ is about 500. KTJ also cooperates with such terrorist " +
				"organizations as Khatiba Imam al-Bukhari (QDe.158) and the Islamic Jihad Group (QDe.119).; " +
				"Type of entity: Terrorist Group",
		},
		{
			ID: "gb_fcdo-DPR0075", Source: "gb_fcdo", SourceID: "DPR0075", Type: entity.Vessel,
			Name: "Petrel 8",
			Names: []entity.Name{
				latin("Petrel 8", "primary", "petrel 8", nil),
				latin("Jal Vahini", "alias", "jal vahini", nil),
				latin("Jal_Vahini", "alias", "jal vahini", nil),
				latin("Tian Tai 36", "alias", "tian tai 36", nil),
			},
			// IMO 9562233: 9*7+5*6+6*5+2*4+2*3+3*2 = 143, check digit 3.
			Identifiers: []entity.Identifier{
				{Type: "imo", Value: "9562233", Raw: "IMO9562233", RawType: "IMO number", Valid: &valid},
			},
			Programs: []string{"The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019"},
			ListedOn: "2017-10-03",
			Vessel: &entity.VesselInfo{Type: "Bulk Carrier", Flag: "Comoros", Owner: "Global United Shipping India",
				Tonnage: "7078", IMO: "9562233", YearBuilt: "2011"},
			Remarks: "Designation source: UN; Sanctions imposed: Prohibition of port entry; Other information: " +
				"Pursuant to paragraph 6 of Security Council Resolution 2371 (2017) and paragraph 6 of Security Council " +
				"Resolution 2375 (2017); Previous flags: India; Length of ship: 134.5",
			Relations: []entity.Relation{{Type: "owner_operator", TargetName: "Global United Shipping India"}},
		},
	}
}

// TestExcerptEntities: both formats give exactly the hand-built entities.
func TestExcerptEntities(t *testing.T) {
	want := expectedExcerpt()
	for _, e := range want {
		e.Canonicalize()
	}
	for _, tc := range []struct {
		format string
		data   []byte
	}{{"xml", excerptXML(t)}, {"csv", renderedCSV(t)}} {
		t.Run(tc.format, func(t *testing.T) {
			p := mustParse(t, tc.format, tc.data)
			if len(p.Issues) > 0 {
				t.Errorf("issues: %v", p.Issues)
			}
			if len(p.Entities) != len(want) {
				t.Fatalf("%d entities, want %d", len(p.Entities), len(want))
			}
			for i, w := range want {
				got, exp := sourcetest.Canonical(p.Entities[i]), sourcetest.Canonical(w)
				if got != exp {
					t.Errorf("%s differs in %v\n got: %s\nwant: %s", w.ID, differingFields(t, got, exp), got, exp)
				}
			}
		})
	}
}

// differingFields names the top-level fields in which two canonical JSON
// lines differ.
func differingFields(t *testing.T, a, b string) []string {
	var ma, mb map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a), &ma); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &mb); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for k, v := range ma {
		if string(mb[k]) != string(v) {
			fields = append(fields, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			fields = append(fields, k)
		}
	}
	slices.Sort(fields)
	return fields
}

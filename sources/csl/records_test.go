package csl

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// find returns the one entity of p that match accepts.
func find(t *testing.T, p *sourcetest.Parsed, what string, match func(*entity.Entity) bool) *entity.Entity {
	t.Helper()
	var found []*entity.Entity
	for _, e := range p.Entities {
		if match(e) {
			found = append(found, e)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d entities", what, len(found))
	}
	return found[0]
}

func byID(id string) func(*entity.Entity) bool {
	return func(e *entity.Entity) bool { return e.SourceID == id }
}

func byName(name string) func(*entity.Entity) bool {
	return func(e *entity.Entity) bool { return e.Name == name }
}

// names lists "kind:value" of e's names.
func namesOf(e *entity.Entity) []string {
	var out []string
	for _, n := range e.Names {
		s := n.Kind + ":" + n.Value
		if n.Parts != nil {
			s += " [" + n.Parts.Family + "|" + n.Parts.Given + "]"
		}
		out = append(out, s)
	}
	return out
}

func eq(t *testing.T, e *entity.Entity, field string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s %s:\n got %#v\nwant %#v", e.ID, field, got, want)
	}
}

func listing(t *testing.T, e *entity.Entity) entity.Listing {
	t.Helper()
	if len(e.Listings) != 1 {
		t.Fatalf("%s: %d listings", e.ID, len(e.Listings))
	}
	return e.Listings[0]
}

// TestRecords2023 asserts real rows of the 2023-11-30 file field by
// field, chosen for the tricky cases.
func TestRecords2023(t *testing.T) {
	p := mustParse(t, "csv", whole2023(t))
	sdnURL := "https://www.treasury.gov/resource-center/sanctions/SDN-List/Pages/default.aspx"

	t.Run("SDN person: LAST, First names, passport, gender and a program note", func(t *testing.T) {
		e := find(t, p, "SDN-10584", byID("SDN-10584"))
		eq(t, e, "id", e.ID, "us_trade_csl-SDN-10584")
		eq(t, e, "type", e.Type, entity.Person)
		eq(t, e, "names", namesOf(e), []string{
			"primary:SALIMI, Hosein [SALIMI|Hosein]", "alias:SALAMI, Hoseyn [SALAMI|Hoseyn]",
			"alias:SALAMI, Hossein [SALAMI|Hossein]", "alias:SALAMI, Hussayn [SALAMI|Hussayn]",
		})
		eq(t, e, "birth dates", e.BirthDates, []entity.Date{{Value: "1960", Precision: "year", Raw: "1960"}})
		eq(t, e, "birth places", e.BirthPlaces, []string{"Golpayegan, Isfahan province, Iran"})
		eq(t, e, "nationalities", e.Nationalities, []entity.Country{{Raw: "IR"}})
		eq(t, e, "citizenships", e.Citizenships, []entity.Country{{Raw: "IR"}})
		eq(t, e, "gender", e.Gender, "male")
		eq(t, e, "titles", e.Titles, []string{"Commander-in-Chief of the Islamic Revolutionary Guard Corps"})
		eq(t, e, "addresses", e.Addresses, []entity.Address{{Full: "Tehran, IR", Street: "Tehran", CountryRaw: "IR"}})
		eq(t, e, "identifiers", e.Identifiers, []entity.Identifier{
			{Type: "other", Value: "10584", Raw: "10584", RawType: "OFAC entity number"},
			{Type: "passport", Value: "D08531177", Raw: "D08531177", RawType: "Passport", Country: "IR"},
		})
		eq(t, e, "programs", e.Programs, []string{"IFSR", "IRGC", "NPWMD", "SDGT"})
		eq(t, e, "listing", listing(t, e), entity.Listing{List: "SDN", ListName: "Specially Designated Nationals (SDN)",
			Authority: "Treasury Department", Programs: []string{"IFSR", "IRGC", "NPWMD", "SDGT"}, URL: sdnURL})
		eq(t, e, "remarks", e.Remarks, "Additional Sanctions Information: Subject to Secondary Sanctions")
	})

	t.Run("SDN person: a passport with issue and expiration dates, two dates of birth", func(t *testing.T) {
		e := find(t, p, "SDN-8808", byID("SDN-8808"))
		eq(t, e, "identifiers", e.Identifiers[1], entity.Identifier{Type: "passport", Value: "760620", Raw: "760620",
			RawType: "Passport", Issued: "1991-09-15", Expires: "1996-07-22"})
		eq(t, e, "birth dates", e.BirthDates, []entity.Date{
			{Value: "1957-01-31", Precision: "day", Raw: "1957-01-31"}, {Value: "1957-02-01", Precision: "day", Raw: "1957-02-01"}})
		eq(t, e, "aliases", len(e.Names), 11)
		eq(t, e, "titles", e.Titles, []string{"Doctor"})
	})

	t.Run("SDN vessel", func(t *testing.T) {
		e := find(t, p, "SDN-4238", byID("SDN-4238"))
		eq(t, e, "type", e.Type, entity.Vessel)
		eq(t, e, "vessel", *e.Vessel, entity.VesselInfo{CallSign: "CL2192", Type: "Tug", Flag: "Cuba",
			Owner: "Samir de Navegacion S.A.", GrossTons: "212"})
	})

	t.Run("one OFAC uid on SSI and NS-MBS: two entities, one listing each, the uid as cross-reference", func(t *testing.T) {
		ssi := find(t, p, "SSI-17014", byID("SSI-17014"))
		mbs := find(t, p, "NS-MBS-17014", byID("NS-MBS-17014"))
		eq(t, ssi, "name", ssi.Name, "JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK")
		eq(t, mbs, "name", mbs.Name, "Joint Stock Company Russian Agricultural Bank")
		eq(t, mbs, "listing", listing(t, mbs), entity.Listing{List: "NS-MBS", ListName: "Non-SDN Menu-Based Sanctions List (NS-MBS List)",
			Authority: "Treasury Department", Programs: []string{"RUSSIA-EO14024", "UKRAINE-EO13662"},
			URL: "https://www.treasury.gov/ofac/downloads/sanctions/1.0/cons_advanced.xml"})
		for _, e := range []*entity.Entity{ssi, mbs} {
			eq(t, e, "cross-reference", e.Identifiers[0], entity.Identifier{Type: "other", Value: "17014", Raw: "17014", RawType: "OFAC entity number"})
			// A date printed as an id's number stays the number: the note keeps it.
			if !strings.Contains(e.Remarks, "Listing Date (EO 14024 Directive 3): ") {
				t.Errorf("%s remarks %q", e.ID, e.Remarks)
			}
		}
	})

	t.Run("Entity List: several streets in one address, an alias after \"and\", licence terms", func(t *testing.T) {
		e := find(t, p, "Southwest Research Institute", byName("Southwest Research Institute of Electronics Technology"))
		eq(t, e, "type", e.Type, entity.Unknown)
		eq(t, e, "id", e.ID, "us_trade_csl-EL-6f7796a60ab66718")
		eq(t, e, "names", namesOf(e), []string{"primary:Southwest Research Institute of Electronics Technology",
			"alias:10th Research Institute of China Electronic Technology Group Corp (CETC)", "alias:CETC 10th Research Institute",
			"alias:Southwest Institute of Electronic Technology (SWIET)"})
		eq(t, e, "addresses", e.Addresses, []entity.Address{{
			Full:       "No. 6 Yong Xin Street, Chengdu; and No. 90 Babao Street, Chengdu; and 48 Chadianzi Street East, Jinniu District, Chengdu, 610036, CN",
			Street:     "No. 6 Yong Xin Street, Chengdu; and No. 90 Babao Street, Chengdu; and 48 Chadianzi Street East, Jinniu District, Chengdu, 610036",
			CountryRaw: "CN"}})
		eq(t, e, "listing", listing(t, e), entity.Listing{List: "EL", ListName: "Entity List (EL)", Authority: "Bureau of Industry and Security",
			Start: "2001-05-14", Notice: "66 FR 26267, 77 FR 58006 (no. 182); 81 FR 64694",
			LicenseRequirement: "For all items subject to the EAR.", LicensePolicy: "See §744.3(d) of this part",
			URL: "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list"})
		eq(t, e, "listed on", e.ListedOn, "2001-05-14")
		eq(t, e, "programs", len(e.Programs), 0)
	})

	t.Run("Entity List: the publisher's crimea (occupied) is UA", func(t *testing.T) {
		e := find(t, p, "Chernomorneftegaz", byName("Chernomorneftegaz"))
		eq(t, e, "addresses", e.Addresses, []entity.Address{
			{Full: "Kirova / per. Sovnarkomovskaya, 52/1, Simferopol, Crimea, 95000, UA", Street: "Kirova / per. Sovnarkomovskaya, 52/1, Simferopol, Crimea, 95000", CountryRaw: "UA"},
			{Full: "Kirova / per. Sovnarkomovskaya, 52/1, Simferopol, Crimea, 95000, crimea (occupied)", Street: "Kirova / per. Sovnarkomovskaya, 52/1, Simferopol, Crimea, 95000", Country: "UA", CountryRaw: "crimea (occupied)"},
		})
	})

	t.Run("Nonproliferation: one party, two notices, two entities", func(t *testing.T) {
		var starts []string
		for _, e := range p.Entities {
			if e.Name == "Government of Syria" {
				l := listing(t, e)
				starts = append(starts, l.Start+" "+l.Notice)
				eq(t, e, "programs", l.Programs, []string{"Chemical and Biological Weapons Act"})
			}
		}
		slices.Sort(starts)
		if !slices.Equal(starts, []string{"2013-09-10 Vol. 78, No. 175, 9/10/13", "2013-12-10 Vol. 78, No. 237, 12/10/13"}) {
			t.Errorf("Government of Syria listings %v", starts)
		}
	})

	t.Run("Military End User: an organization, Xi’an read from its Windows-1252 byte", func(t *testing.T) {
		e := find(t, p, "CAST Xi’an", byName("CAST Xi’an Spaceflight Engine Factory"))
		eq(t, e, "type", e.Type, entity.Organization)
		eq(t, e, "names", namesOf(e), []string{"primary:CAST Xi’an Spaceflight Engine Factory", "alias:7103 Factory"})
		eq(t, e, "list", listing(t, e).List, "MEU")
	})

	t.Run("Denied Persons: one of I. ASH's three rows (one per address), standard order, end date", func(t *testing.T) {
		e := find(t, p, "I. ASH, Audelia Road", func(e *entity.Entity) bool {
			return e.Name == "I. ASH" && len(e.Addresses) == 1 && strings.HasPrefix(e.Addresses[0].Full, "908 AUDELIA")
		})
		eq(t, e, "id", e.ID, "us_trade_csl-DPL-fb58f475a9ddf73d")
		eq(t, e, "type", e.Type, entity.Unknown)
		eq(t, e, "listing", listing(t, e), entity.Listing{List: "DPL", ListName: "Denied Persons List (DPL)", Authority: "Bureau of Industry and Security",
			Start: "2002-03-04", End: "2056-06-29", Notice: "67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02, 71 F.R. 38843 7/10/06",
			Measures: []string{"Standard order: Y"}, URL: "https://www.bis.doc.gov/index.php/the-denied-persons-list"})
		eq(t, e, "remarks", e.Remarks, "50 YEAR DENIAL")
		n := 0
		for _, x := range p.Entities {
			if x.Name == "I. ASH" {
				n++
			}
		}
		eq(t, e, "rows of I. ASH", n, 3)
	})

	t.Run("CMIC: ISINs and tickers are identifiers, issuer names and dates remarks", func(t *testing.T) {
		e := find(t, p, "CMIC-30882", byID("CMIC-30882"))
		types := map[string]int{}
		for _, id := range e.Identifiers {
			types[id.Type+"/"+id.RawType]++
		}
		eq(t, e, "identifier types", types, map[string]int{"isin/ISIN": 5, "other/Equity Ticker": 7, "other/OFAC entity number": 1,
			"registration_number/Unified Social Credit Code (USCC)": 1})
		eq(t, e, "remarks", e.Remarks, "Issuer Name: China Telecom Corporation Limited; Issuer Name: China Telecom Corp Ltd; "+
			"Issuer Name: China Telecom Co., Ltd; Issuer Name: China Telecom Corporation Limited.Co.Ltd; Target Type: Public Company; "+
			"Listing Date (CMIC): 2021-06-03; Purchase/Sales For Divestment Date (CMIC): 2022-06-03; Effective Date (CMIC): 2021-08-02")
	})
}

// TestRecords2025 asserts rows of the 2025-06-25 excerpt field by field.
func TestRecords2025(t *testing.T) {
	p := mustParse(t, "csv", sourcetest.ReadFile(t, excerpt2025))

	t.Run("SDN person", func(t *testing.T) {
		e := find(t, p, "SDN-52291", byID("SDN-52291"))
		eq(t, e, "names", namesOf(e), []string{"primary:RIM, Ryong Nam [RIM|Ryong Nam]"})
		eq(t, e, "birth dates", e.BirthDates, []entity.Date{{Value: "1978-12-05", Precision: "day", Raw: "1978-12-05"}})
		eq(t, e, "nationalities", e.Nationalities, []entity.Country{{Raw: "KP"}})
		eq(t, e, "addresses", e.Addresses, []entity.Address{{Full: "Pyongyang, KP", Street: "Pyongyang", CountryRaw: "KP"}, {Full: "Shenyang, CN", Street: "Shenyang", CountryRaw: "CN"}})
		eq(t, e, "gender", e.Gender, "male")
		eq(t, e, "remarks", e.Remarks, "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; "+
			"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214")
		eq(t, e, "listing url", listing(t, e).URL, "https://sanctionslist.ofac.treas.gov/Home/SdnList")
	})

	t.Run("Nonproliferation: the successor clause stays in the name, and an alias without it", func(t *testing.T) {
		e := find(t, p, "Sinobright", func(e *entity.Entity) bool { return strings.HasPrefix(e.Name, "Sinobright") })
		eq(t, e, "names", namesOf(e), []string{"primary:Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof",
			"alias:Sinobright Import and Export Company"})
		eq(t, e, "listing", listing(t, e), entity.Listing{List: "ISN", ListName: "Nonproliferation Sanctions (ISN)", Authority: "State Department",
			Programs: []string{"INKSNA"}, Start: "2023-07-19", Notice: "Vol. 88, No. 151, 08/08/2023",
			URL: "https://www.state.gov/key-topics-bureau-of-international-security-and-nonproliferation/nonproliferation-sanctions/"})
		eq(t, e, "type", e.Type, entity.Unknown)
	})

	t.Run("Entity List: one address of three streets, aliases \"...; and CETC Research Institute 13\"", func(t *testing.T) {
		e := find(t, p, "CETC 13", func(e *entity.Entity) bool { return strings.HasSuffix(e.Name, "(CETC 13)") })
		eq(t, e, "addresses", len(e.Addresses), 1)
		eq(t, e, "country", e.Addresses[0].CountryRaw, "CN")
		if !slices.Contains(namesOf(e), "alias:CETC Research Institute 13") || len(e.Names) != 7 {
			t.Errorf("names %v", namesOf(e))
		}
		eq(t, e, "license policy", strings.HasPrefix(listing(t, e).LicensePolicy, "Policy of denial for all items"), true)
	})

	t.Run("FSE person: a country alone is an address", func(t *testing.T) {
		e := find(t, p, "FSE-26182", byID("FSE-26182"))
		eq(t, e, "addresses", e.Addresses, []entity.Address{{Full: "TR", CountryRaw: "TR"}})
		eq(t, e, "citizenships", e.Citizenships, []entity.Country{{Raw: "TR"}})
		eq(t, e, "passport", e.Identifiers[1], entity.Identifier{Type: "passport", Value: "U00242309", Raw: "U00242309", RawType: "Passport", Country: "TR"})
	})

	t.Run("SSI: VAT and registration numbers with their country", func(t *testing.T) {
		e := find(t, p, "SSI-28603", byID("SSI-28603"))
		eq(t, e, "identifiers", e.Identifiers[1:], []entity.Identifier{
			{Type: "registration_number", Value: "CH660.0.559.0112", Raw: "CH-660.0.559.011-2", RawType: "Business Registration Number", Country: "CH"},
			{Type: "tax_id", Value: "CHE267.936.404", Raw: "CHE-267.936.404", RawType: "V.A.T. Number", Country: "CH"},
		})
		eq(t, e, "programs", e.Programs, []string{"UKRAINE-EO13662", "VENEZUELA-EO13850"})
	})
}

package sema

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// currentDoc is a file in the current layout, one record a line. The
// first four records are those other parsers quote as copied from the
// live file (testdata/ca_sema/README.md); the others are written after
// what OpenSanctions reports of it: ships with a build date printed as an
// Excel serial, an IMO number of white space only, an invalid IMO number,
// a ship without an IMO number, dates typed day or month first.
const currentDoc = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<data-set xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<record><Country>Russia / Russie</Country><LastName>AKIMOV</LastName><GivenName>Andrey Igorevich</GivenName><Aliases>Andrei </Aliases><DateOfBirthOrShipBuildDate>1953-09-22</DateOfBirthOrShipBuildDate><Schedule>1, Part 1</Schedule><Item>94</Item><DateOfListing>2019-03-15</DateOfListing></record>
<record><Country>Russia / Russie</Country><EntityOrShip>Balitiyskiy III</EntityOrShip><TitleOrShip>General Cargo/Multi Purpose | Cargo classique/navire polyvalent</TitleOrShip><ShipIMONumber>7612448</ShipIMONumber><Schedule>1.1</Schedule><Item>1</Item><DateOfListing>2025-02-21</DateOfListing></record>
<record><Country>Russia / Russie</Country><EntityOrShip>M/V Maria </EntityOrShip><TitleOrShip>General Cargo | Cargo classique</TitleOrShip><ShipIMONumber>8517839</ShipIMONumber><DateOfBirthOrShipBuildDate>1986</DateOfBirthOrShipBuildDate><Schedule>1.1</Schedule><Item>2</Item><DateOfListing>2025-06-13</DateOfListing></record>
<record><Country>Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)</Country><LastName>MADURO MOROS</LastName><GivenName>Nicolás</GivenName><Item>1</Item><DateOfListing>2017-11-03</DateOfListing></record>
<record><Country>Russia / Russie</Country><EntityOrShip>Serial Star</EntityOrShip><TitleOrShip>Oil Tanker | Navire-citerne</TitleOrShip><ShipIMONumber>IMO 9187629</ShipIMONumber><DateOfBirthOrShipBuildDate>19575</DateOfBirthOrShipBuildDate><Schedule>1.1</Schedule><Item>3</Item><DateOfListing>2025-06-13</DateOfListing></record>
<record><Country>Belarus / Bélarus</Country><EntityOrShip>Belaeronavigatsia Republican Unitary Air Navigation Services Enterprise</EntityOrShip><ShipIMONumber> </ShipIMONumber><Schedule>1, Part 2</Schedule><Item>1</Item><DateOfListing>2021-06-17</DateOfListing></record>
<record><Country>Russia / Russie</Country><EntityOrShip>Bad Number</EntityOrShip><ShipIMONumber>1234568</ShipIMONumber><Schedule>1.1</Schedule><Item>4</Item><DateOfListing>2025-06-13</DateOfListing></record>
<record><Country>Russia / Russie</Country><EntityOrShip>No Number</EntityOrShip><TitleOrShip>Bulk Carrier | Vraquier</TitleOrShip><DateOfBirthOrShipBuildDate>1963-1964</DateOfBirthOrShipBuildDate><Schedule>1.1</Schedule><Item>5</Item><DateOfListing>2025-06-13</DateOfListing></record>
<record><Country>Iran</Country><LastName>FIRST</LastName><GivenName>Month</GivenName><DateOfBirthOrShipBuildDate>09/30/1978</DateOfBirthOrShipBuildDate><Schedule>1</Schedule><Item>300</Item><DateOfListing>45000</DateOfListing></record>
<record><Country>Iran</Country><LastName>UNKNOWN</LastName><GivenName>Order</GivenName><TitleOrShip>Minister of Defence | Ministre de la Défense</TitleOrShip><DateOfBirthOrShipBuildDate>01/03/1976</DateOfBirthOrShipBuildDate><Schedule>1</Schedule><Item>301</Item><DateOfListing>2023-13-01</DateOfListing></record>
</data-set>
`

// bilingualOf renames a current-layout document's elements to the
// bilingual layout.
func bilingualOf(doc string) string {
	r := strings.NewReplacer(
		"Country>", "Country-Pays>", "LastName>", "LastName-NomDeFamille>", "GivenName>", "GivenName-Prenom>",
		"EntityOrShip>", "EntityOrShip-EntiteOuNavire>", "TitleOrShip>", "TitleOrShipType-TitreOuTypeDeNavire>",
		"ShipIMONumber>", "ShipIMONumber-NumeroOMIDuNavire>",
		"DateOfBirthOrShipBuildDate>", "DateOfBirthOrShipBuildDate-DateDeNaissanceOuDateDeConstructionDuNavire>",
		"Aliases>", "Aliases-Alias>", "Schedule>", "Schedule-Annexe>", "Item>", "Item-NumeroDarticle>",
		"DateOfListing>", "DateOfListing-DateDinscription>")
	return r.Replace(doc)
}

// TestCurrentLayout: ships (type, IMO number checked, build year, the
// build date the year cannot hold in remarks), listing dates, the dates of
// the current file and their issues, in the current and the bilingual
// layouts alike.
func TestCurrentLayout(t *testing.T) {
	valid, invalid := true, false
	imo := func(value, raw string, ok *bool) []entity.Identifier {
		return []entity.Identifier{{Type: "imo", Value: value, Raw: raw, RawType: "ShipIMONumber", Valid: ok}}
	}
	russia := func(schedule, item, listed string) []entity.Listing {
		l := listing("russia", "Russia / Russie", "Russia", schedule, item)
		l.Start = listed
		return []entity.Listing{l}
	}
	want := []entity.Entity{
		{SourceID: "russia-1-part-1-94", Type: entity.Person, Name: "Andrey Igorevich AKIMOV",
			Names: []entity.Name{
				name("Andrey Igorevich AKIMOV", entity.KindPrimary, person("Andrey Igorevich", "AKIMOV")),
				name("Andrei", entity.KindWeakAlias, nil),
			},
			BirthDates: []entity.Date{{Value: "1953-09-22", Precision: entity.PrecisionDay, Raw: "1953-09-22"}},
			ListedOn:   "2019-03-15", Listings: russia("1, Part 1", "94", "2019-03-15")},
		{SourceID: "russia-1-1-1", Type: entity.Vessel, Name: "Balitiyskiy III",
			Names:       []entity.Name{name("Balitiyskiy III", entity.KindPrimary, nil)},
			Identifiers: imo("7612448", "7612448", &valid),
			Vessel:      &entity.VesselInfo{Type: "General Cargo/Multi Purpose", IMO: "7612448"},
			ListedOn:    "2025-02-21", Listings: russia("1.1", "1", "2025-02-21")},
		{SourceID: "russia-1-1-2", Type: entity.Vessel, Name: "M/V Maria",
			Names:       []entity.Name{name("M/V Maria", entity.KindPrimary, nil)},
			Identifiers: imo("8517839", "8517839", &valid),
			Vessel:      &entity.VesselInfo{Type: "General Cargo", IMO: "8517839", YearBuilt: "1986"},
			ListedOn:    "2025-06-13", Listings: russia("1.1", "2", "2025-06-13")},
		{SourceID: "jvcfor-1", Type: entity.Person, Name: "Nicolás MADURO MOROS",
			Names:    []entity.Name{name("Nicolás MADURO MOROS", entity.KindPrimary, person("Nicolás", "MADURO MOROS"))},
			ListedOn: "2017-11-03",
			Listings: []entity.Listing{{List: "jvcfor", ListName: jvcfor + " / Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)",
				Authority: "Global Affairs Canada", Programs: []string{jvcfor}, Start: "2017-11-03", Notice: "item 1"}}},
		{SourceID: "russia-1-1-3", Type: entity.Vessel, Name: "Serial Star",
			Names:       []entity.Name{name("Serial Star", entity.KindPrimary, nil)},
			Identifiers: imo("9187629", "IMO 9187629", &valid),
			Vessel:      &entity.VesselInfo{Type: "Oil Tanker", IMO: "9187629", YearBuilt: "1953"},
			Remarks:     "Build date: 1953-08-04 (as printed: 19575)",
			ListedOn:    "2025-06-13", Listings: russia("1.1", "3", "2025-06-13")},
		{SourceID: "belarus-1-part-2-1", Type: entity.Organization, Name: "Belaeronavigatsia Republican Unitary Air Navigation Services Enterprise",
			Names:    []entity.Name{name("Belaeronavigatsia Republican Unitary Air Navigation Services Enterprise", entity.KindPrimary, nil)},
			ListedOn: "2021-06-17",
			Listings: []entity.Listing{{List: "belarus", ListName: "Belarus / Bélarus", Authority: "Global Affairs Canada",
				Programs: []string{"Belarus", "Belarus Schedule 1, Part 2"}, Start: "2021-06-17", Notice: "Schedule 1, Part 2, item 1"}}},
		{SourceID: "russia-1-1-4", Type: entity.Vessel, Name: "Bad Number",
			Names:       []entity.Name{name("Bad Number", entity.KindPrimary, nil)},
			Identifiers: imo("1234568", "1234568", &invalid),
			Vessel:      &entity.VesselInfo{},
			ListedOn:    "2025-06-13", Listings: russia("1.1", "4", "2025-06-13")},
		{SourceID: "russia-1-1-5", Type: entity.Vessel, Name: "No Number",
			Names:    []entity.Name{name("No Number", entity.KindPrimary, nil)},
			Vessel:   &entity.VesselInfo{Type: "Bulk Carrier"},
			Remarks:  "Build date: 1963 to 1964 (as printed: 1963-1964)",
			ListedOn: "2025-06-13", Listings: russia("1.1", "5", "2025-06-13")},
		{SourceID: "iran-1-300", Type: entity.Person, Name: "Month FIRST",
			Names:      []entity.Name{name("Month FIRST", entity.KindPrimary, person("Month", "FIRST"))},
			BirthDates: []entity.Date{{Value: "1978-09-30", Precision: entity.PrecisionDay, Raw: "09/30/1978"}},
			ListedOn:   "2023-03-15",
			Listings: []entity.Listing{{List: "iran", ListName: "Iran", Authority: "Global Affairs Canada",
				Programs: []string{"Iran", "Iran Schedule 1"}, Start: "2023-03-15", Notice: "Schedule 1, item 300"}}},
		{SourceID: "iran-1-301", Type: entity.Person, Name: "Order UNKNOWN",
			Names:      []entity.Name{name("Order UNKNOWN", entity.KindPrimary, person("Order", "UNKNOWN"))},
			Titles:     []string{"Minister of Defence"},
			BirthDates: []entity.Date{{Value: "1976", Precision: entity.PrecisionYear, Raw: "01/03/1976"}},
			Listings: []entity.Listing{{List: "iran", ListName: "Iran", Authority: "Global Affairs Canada",
				Programs: []string{"Iran", "Iran Schedule 1"}, Notice: "Schedule 1, item 301"}}},
	}
	wantIssues := []string{
		`sema-lmes.xml:7:russia-1-1-3: <DateOfBirthOrShipBuildDate> "19575" read as an Excel serial day number (1900 date system): 1953-08-04`,
		`sema-lmes.xml:9:russia-1-1-4: <ShipIMONumber> "1234568" is not a valid IMO number (IMO check digit is 8, want 7); kept, marked invalid`,
		`sema-lmes.xml:11:iran-1-300: <DateOfBirthOrShipBuildDate> "09/30/1978" read month first (30 is no month): 1978-09-30`,
		`sema-lmes.xml:11:iran-1-300: <DateOfListing> "45000" read as an Excel serial day number (1900 date system): 2023-03-15`,
		`sema-lmes.xml:12:iran-1-301: <DateOfBirthOrShipBuildDate> "01/03/1976" could be day/month or month/day; only the year 1976 is kept`,
		`sema-lmes.xml:12:iran-1-301: <DateOfListing> "2023-13-01" is not a date; kept as printed`,
	}
	plain := regexp.MustCompile(`<(Country|LastName|GivenName|EntityOrShip|TitleOrShip|ShipIMONumber|DateOfBirthOrShipBuildDate|Aliases|Schedule|Item|DateOfListing)>`)
	for _, layout := range []struct{ name, doc string }{{"current", currentDoc}, {"bilingual", bilingualOf(currentDoc)}} {
		t.Run(layout.name, func(t *testing.T) {
			p := mustParse(t, []byte(layout.doc))
			if len(p.Emitted) != len(want) {
				t.Fatalf("%d entities, want %d", len(p.Emitted), len(want))
			}
			for i := range want {
				w := want[i]
				w.ID, w.Source = "ca_sema-"+w.SourceID, "ca_sema"
				w.Programs = w.Listings[0].Programs
				w.Canonicalize()
				got, _ := json.Marshal(view(p.Emitted[i]))
				exp, _ := json.Marshal(&w)
				if string(got) != string(exp) {
					t.Errorf("record %d:\n got %s\nwant %s", i+1, got, exp)
				}
			}
			// As the pipeline normalizes them: the IMO numbers typed and
			// checked, every date of birth parsed.
			var cov normalize.Coverage
			for _, e := range p.Emitted {
				normalize.Entity(e, &cov)
			}
			if cov.Identifiers != 4 || cov.IdentifiersTyped != 4 || cov.IdentifiersValid != 3 || cov.IdentifiersInvalid != 1 || cov.Dates != 3 || cov.DatesUnparsed != 0 {
				t.Errorf("coverage %+v: want 4 IMO numbers (3 valid, 1 invalid), 3 dates of birth all parsed", cov)
			}
			var got []string
			for _, is := range p.Issues {
				s := sourcetest.IssueString(is)
				if layout.name == "bilingual" {
					// The bilingual names of the elements in the messages.
					s = strings.NewReplacer("<DateOfBirthOrShipBuildDate-DateDeNaissanceOuDateDeConstructionDuNavire>", "<DateOfBirthOrShipBuildDate>",
						"<ShipIMONumber-NumeroOMIDuNavire>", "<ShipIMONumber>", "<DateOfListing-DateDinscription>", "<DateOfListing>").Replace(s)
				}
				got = append(got, s)
			}
			if !slices.Equal(got, wantIssues) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(wantIssues))
			}
			if layout.name == "bilingual" && plain.MatchString(layout.doc) {
				t.Errorf("the bilingual document still has plain element names")
			}
		})
	}
}

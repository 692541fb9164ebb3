package dfat

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// record is what a test asserts of one real entity, each list in the
// canonical order. Countries are checked after normalize.Entity, as the
// pipeline runs it.
type record struct {
	ref, name    string
	typ          entity.Type
	names        []string // kind:value:script
	dates        []string // dateString
	places       []string
	citizenships []string // code:raw
	addresses    []string // full|country
	ids          []string // type:value:country:valid
	lists        []string // list|programs|notice|start|measures
	listedOn     string
	imo          string // vessel.imo
	titles       []string
	remarks      []string // pieces the remarks hold
}

func (r record) check(t *testing.T, e *entity.Entity) {
	t.Helper()
	var cov normalize.Coverage
	normalize.Entity(e, &cov)
	e.Canonicalize()
	eq := func(field string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s %s:\n got %q\nwant %q", r.ref, field, got, want)
		}
	}
	if e.Name != r.name || e.Type != r.typ || e.ListedOn != r.listedOn {
		t.Errorf("%s: name %q type %s listed_on %q, want %q %s %q", r.ref, e.Name, e.Type, e.ListedOn, r.name, r.typ, r.listedOn)
	}
	var names, dates, cits, addrs, ids, lists []string
	for _, n := range e.Names {
		names = append(names, n.Kind+":"+n.Value+":"+n.Script)
	}
	for _, d := range e.BirthDates {
		dates = append(dates, dateString(d))
	}
	for _, c := range e.Citizenships {
		cits = append(cits, c.Code+":"+c.Raw)
	}
	for _, a := range e.Addresses {
		addrs = append(addrs, a.Full+"|"+a.Country)
	}
	for _, id := range e.Identifiers {
		valid := ""
		if id.Valid != nil {
			valid = fmt.Sprint(*id.Valid)
		}
		ids = append(ids, strings.Join([]string{id.Type, id.Value, id.Country, valid}, ":"))
	}
	for _, l := range e.Listings {
		if l.Authority != authority {
			t.Errorf("%s: listing authority %q", r.ref, l.Authority)
		}
		lists = append(lists, strings.Join([]string{l.List, strings.Join(l.Programs, ";"), l.Notice, l.Start, strings.Join(l.Measures, ";")}, "|"))
	}
	eq("names", names, r.names)
	eq("birth dates", dates, r.dates)
	eq("birth places", e.BirthPlaces, r.places)
	eq("citizenships", cits, r.citizenships)
	eq("addresses", addrs, r.addresses)
	eq("identifiers", ids, r.ids)
	eq("listings", lists, r.lists)
	eq("titles", e.Titles, r.titles)
	imo := ""
	if e.Vessel != nil {
		imo = e.Vessel.IMO
	}
	if imo != r.imo {
		t.Errorf("%s: vessel imo %q, want %q", r.ref, imo, r.imo)
	}
	for _, piece := range r.remarks {
		if !strings.Contains(e.Remarks, piece) {
			t.Errorf("%s: remarks %q lack %q", r.ref, e.Remarks, piece)
		}
	}
}

const (
	taliban1988 = "1988 (Taliban)"
	russiaAuto  = "Autonomous (Russia)"
	rubiconAct  = "Autonomous Sanctions (Designated Persons and Entities and Declared Persons – Russia and Ukraine) Amendment (No. 1) Instrument 2026"
)

// TestRecords asserts real records field by field, chosen for the tricky
// cases of each layout.
func TestRecords(t *testing.T) {
	records := map[string][]record{
		"2024-12-17": {
			// Ranges with "Approximately", an Arabic original script, titles.
			{ref: "2", name: "MOHAMMAD HASSAN AKHUND", typ: entity.Person,
				names:        []string{"primary:MOHAMMAD HASSAN AKHUND:Latn", "alias:محمد حسن أخوند:Arab"},
				dates:        []string{"~1945..1950/range|Approximately 1945-1950", "~1955..1958/range|Approximately 1955- 1958"},
				places:       []string{"Pashmul village, Panjwai District, Kandahar Province, Afghanistan"},
				citizenships: []string{"AF:Afghanistan"},
				lists:        []string{"UNSC|" + taliban1988 + "|||"},
				listedOn:     "2001-01-25", titles: []string{"Haji", "Mullah"},
				remarks: []string{"Belongs to Kakar tribe.", "Listing information: Listed by UN 1267 Committee on 25 January 2001"}},
			// 34c1, 34f1: original scripts of aliases, under the group; an alias
			// printed "(previously listed as)", which goes to its note; two
			// passports of an a) b) list, after "na".
			{ref: "34", name: "Abdul Jalil Haqqani Wali Mohammad", typ: entity.Person,
				names: []string{"primary:Abdul Jalil Haqqani Wali Mohammad:Latn", "alias:Abdul Jalil Akhund:Latn",
					"alias:Abdul Jalil Haqqani:Latn", "alias:Akhter Mohmad son of Noor Mohmad:Latn",
					"alias:Haji Gulab Gul:Latn", "alias:Nazar Jan:Latn", "alias:اختر محمد ولد نور محمد:Arab",
					"alias:حاجی گلاب گل ولد حاجی حضرت گل:Arab", "alias:عبد الجليل حقانی ولی محمد:Arab"},
				dates: []string{"1955/year|1955", "~1963/year|Approximately 1963", "1965/year|1965"},
				places: []string{"Kandahar City, Kandahar Province, Afghanistan", "Kandahar, Afghanistan",
					"Khwaja Malik, Arghandab District, Kandahar Province, Afghanistan", "Logar, Afghanistan"},
				citizenships: []string{"AF:Afghanistan"},
				ids:          []string{"passport:OR1961825:AF:", "passport:TR024417:AF:"},
				lists:        []string{"UNSC|" + taliban1988 + "|||"},
				listedOn:     "2001-01-25", titles: []string{"Maulavi", "Mullah"}},
			// 2940j, 177 rows after the rest of its group, is one of its names.
			{ref: "2940", name: "Chernomorneftegaz", typ: entity.Organization,
				names: []string{"primary:Chernomorneftegaz:Latn", "alias:Chernomorneftegaz CJSC:Latn",
					"alias:Chornomornaftogaz State Joint Stock Company:Latn", "alias:Chornomornaftogaz of the Republic of Crimea:Latn",
					"alias:Crimean Oil and Gas Company:Latn", "alias:NJSC Chornomornaftogaz:Latn", "alias:PJSC Chornomornaftogaz:Latn",
					"alias:RC Chernomorneftegaz:Latn", "alias:SOUE RC Chernomorneftegaz:Latn",
					"alias:State Owned Unitary Enterprise of the Republic of Crimea Chernomorneftegaz:Latn",
					"alias:State Unitary Enterprise of the ‘Republic of Crimea’ ‘Chernomorneftegaz’:Latn"},
				addresses: []string{"Prospekt Kirov 52, Simferopol, Crimea, 295000; Zalki Street, 1/9, Simferopol, Crimea, 295053|"},
				lists:     []string{"Autonomous|" + russiaAuto + "|||"},
				listedOn:  "2017-06-16",
				remarks:   []string{"Registration ID: 1149102099717 (Russia)"}},
			// One date as text on one row and as a serial on another; an
			// alias's own citizenship in parentheses.
			{ref: "1267", name: "OTHMAN AHMED OTHMAN AL-GHAMDI", typ: entity.Person,
				names: []string{"primary:OTHMAN AHMED OTHMAN AL-GHAMDI:Latn", "alias:Al Umairah al-Ghamdi:Latn",
					"alias:Othman Ahmed Othman Al Omairah:Latn", "alias:Othman Ahmed Othman al-Omirah:Latn",
					"alias:Othman Bin Ahmed Bin Othman:Latn", "alias:Othman al-Ghamdi:Latn", "alias:Othman bin Ahmed bin Othman Alghamdi:Latn",
					"alias:Uthman Ahmad Uthman al-Ghamdi:Latn", "alias:Uthman al-Ghamdi:Latn", "alias:Uthman al-Ghamidi:Latn",
					"alias:عثمان أحمد عثمان الغامدي:Arab"},
				dates:        []string{"1973/year|1973", "1979-05-27/day|29002"},
				places:       []string{"Saudi Arabia", "Saudi Arabia (this aka only, alt POB Shabwa, Yemen)"},
				citizenships: []string{"SA:Saudi Arabian", "YE:Yemeni"},
				addresses:    []string{"Yemen|YE"},
				ids:          []string{"national_id:1089516791:SA:"},
				lists:        []string{"UNSC|1267/1989/2253 (ISIL (Da'esh) and Al-Qaida)|||"},
				listedOn:     "2011-06-16"},
			// "Congolese" (DRC, as the 2026 layout prints it); "March 16, 1972".
			{ref: "1230", name: "INNOCENT ZIMURINDA", typ: entity.Person,
				names:        []string{"primary:INNOCENT ZIMURINDA:Latn", "alias:Zimulinda:Latn"},
				dates:        []string{"1972-03-16/day|March 16, 1972"},
				places:       []string{"Masisi, DRC"},
				citizenships: []string{"CD:Congolese"},
				addresses:    []string{"Rubavu / Mudende, Rwanda; M23 Bde Comd; Rank: Colonel; Entered the Republic of Rwanda on 16 March 2013, at Gasizi / Rubavu|"},
				lists:        []string{"UNSC|1533 (Democratic Republic of the Congo)|||"},
				listedOn:     "2010-12-01"},
			// An IMO company number of a ship owner: the source marks it an
			// invalid ship number; normalize types it imo_company, valid by
			// the company check. No vessel.
			{ref: "3164", name: "CHONGCHONGANG SHIPPING COMPANY", typ: entity.Organization,
				names: []string{"primary:CHONGCHONGANG SHIPPING COMPANY:Latn", "alias:Chong Chon Gang Shipping Co. Ltd.:Latn", "alias:Chongchongang Shipping Co LTD:Latn"},
				addresses: []string{"817 Haeun, Donghung-dong, Central District, Pyongyang, Democratic People's Republic of Korea|KP",
					"817, Haeum, Tonghun-dong, Chung-gu, Pyongyang, Democratic People's Republic of Korea|KP"},
				ids:      []string{"imo_company:5342883::true"},
				lists:    []string{"UNSC|1718 (DPRK)|||"},
				listedOn: "2016-03-02"},
			// A date of birth stored as a serial (row 9486, which also has a
			// blank 13th cell without header).
			{ref: "7969", name: "Zvi Bar YOSEF", typ: entity.Person,
				names:        []string{"primary:Zvi Bar YOSEF:Latn", "alias:Zvi BAR JOSEPH:Latn", "alias:Zvi BAR YOSEPH:Latn"},
				dates:        []string{"1992-09-20/day|33867"},
				citizenships: []string{"IL:Israeli"},
				lists:        []string{"Autonomous|Autonomous (Thematic - Human Rights)|||"}},
		},
		"2026-02-24": {
			// The same party in the new layout: years as a list, the UN
			// reference number, the instrument and three measures.
			{ref: "2", name: "MOHAMMAD HASSAN AKHUND", typ: entity.Person,
				names: []string{"primary:MOHAMMAD HASSAN AKHUND:Latn", "alias:محمد حسن أخوند:Arab"},
				dates: []string{"1945/year|1945", "1946/year|1946", "1947/year|1947", "1948/year|1948", "1949/year|1949",
					"1950/year|1950", "1955/year|1955", "1956/year|1956", "1957/year|1957", "1958/year|1958"},
				places:       []string{"Pashmul village, Panjwai District, Kandahar Province, Afghanistan"},
				citizenships: []string{"AF:Afghanistan"},
				ids:          []string{"other:TAi.002::"},
				lists:        []string{"UNSC|" + taliban1988 + "|Charter of the United Nations (Sanctions—the Taliban) Regulation 2013||Arms Embargo;Targeted Financial Sanction;Travel Ban"},
				listedOn:     "2001-01-25", titles: []string{"Haji", "Mullah"}},
			// A four-digit date serial (25 Jan. 1925).
			{ref: "3253", name: "RI YONG MU", typ: entity.Person,
				names:        []string{"primary:RI YONG MU:Latn", "alias:Ri Yong-Mu:Latn"},
				dates:        []string{"1925-01-25/day|9157"},
				citizenships: []string{"KP:Democratic People's Republic of Korea"},
				addresses:    []string{"Democratic People's Republic of Korea|KP"},
				ids:          []string{"other:KPi.053::"},
				lists:        []string{"UNSC|1718 (DPRK)|Charter of the United Nations (Sanctions — Democratic People’s Republic of Korea) Regulations 2008||Targeted Financial Sanction;Travel Ban"},
				listedOn:     "2017-06-02"},
			// A weak alias; two UN reference numbers (1228c prints CDi.002).
			{ref: "1228", name: "Gaston Iyamuremye", typ: entity.Person,
				names: []string{"primary:Gaston Iyamuremye:Latn", "alias:Byiringiro Victor Rumuli:Latn", "alias:Michel Byiringiro:Latn",
					"alias:Victor Rumuri:Latn", "weak_alias:Rumuli:Latn"},
				dates:        []string{"1948/year|1948"},
				places:       []string{"Musanze District, Northern Province, Rwanda", "Ruhengeri, Rwanda"},
				citizenships: []string{"RW:Rwanda"},
				addresses:    []string{"North Kivu Province, Democratic Republic of the Congo (as of June 2016)|CD"},
				ids:          []string{"other:CDi.002::", "other:CDi.003::"},
				lists:        []string{"UNSC|1533 (Democratic Republic of the Congo)|Charter of the United Nations (Sanctions—Democratic Republic of the Congo) Regulations 2008||Targeted Financial Sanction;Travel Ban"},
				listedOn:     "2010-12-01"},
			// A date serial where the instrument should be.
			{ref: "6257", name: "The Taliban", typ: entity.Organization,
				names:    []string{"primary:The Taliban:Latn", "alias:Taliban:Latn"},
				lists:    []string{"UNSC|" + taliban1988 + "||1999-10-15|Arms Embargo;Targeted Financial Sanction"},
				listedOn: "1999-10-15", remarks: []string{"Listing information: 1999-10-15"}},
			// A vessel: IMO Number, Maritime Restriction.
			{ref: "8227", name: "ANDAMAN SKIES", typ: entity.Vessel,
				names: []string{"primary:ANDAMAN SKIES:Latn"},
				ids:   []string{"imo:9288693::true"},
				lists: []string{"Autonomous|Autonomous (Vessels)|Autonomous Sanctions (Sanctioned Vessels – Russia) Designation 2025||Maritime Restriction"},
				imo:   "9288693"},
			// The alias 8495b without its primary row.
			{ref: "8495", name: "Yahya Husseini Panjaki", typ: entity.Person,
				names:        []string{"primary:Yahya Husseini Panjaki:Latn"},
				dates:        []string{"1975-01-23/day|27417"},
				places:       []string{"Karaj, Iran"},
				citizenships: []string{"IR:Iran"},
				ids:          []string{"passport:T56344199::"},
				lists:        []string{"Autonomous|Autonomous (Iran)|Autonomous Sanctions (Designated Persons and Entities and Declared Persons – Iran) Amendment (No. 1) Instrument 2026||Targeted Financial Sanction;Travel Ban"}},
			// Two Primary Name rows.
			{ref: "8686", name: "Rubicon Center for Advanced Unmanned Technologies", typ: entity.Organization,
				names:     []string{"primary:Rubicon Center for Advanced Unmanned Technologies:Latn", "alias:Rubicon Unit:Latn"},
				addresses: []string{"Patriot Park, Kubinka, Moscow Oblast, Russia|RU"},
				lists:     []string{"Autonomous|" + russiaAuto + "|" + rubiconAct + "||Targeted Financial Sanction"}},
			// No Primary Name row: the Original Script row, first, is the name.
			{ref: "8720", name: "Joint Stock Company Exi Bank", typ: entity.Organization,
				names:     []string{"primary:Joint Stock Company Exi Bank:Latn", "alias:EKSI BANK AO:Latn"},
				addresses: []string{"Ulitsa Professora Popova 23, Saint Petersburg, 197376, Russia|RU"},
				lists:     []string{"Autonomous|" + russiaAuto + "|" + rubiconAct + "||Targeted Financial Sanction"},
				remarks:   []string{"Website: https://www.exibank.ru/"}},
		},
	}
	for _, pub := range publications {
		t.Run(pub.date, func(t *testing.T) {
			p := parseReal(t, pub)
			for _, r := range records[pub.date] {
				r.check(t, p.entity(t, r.ref))
			}
		})
	}
}

package ofac

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// realPublication is one real OFAC publication of testdata in one format.
type realPublication struct {
	name string
	src  sources.Source
	in   func(t testing.TB) *sources.Input
}

// realPublications lists every real OFAC publication in testdata, in every
// format it is there in. Files the completeness rules refuse as they are
// (§7 of docs/sources/ofac.md) are read with the evidence their copy lost
// put back: the re-saved 2019-01-15 set and the 2025-05-16 excerpt get
// the final 0x1A, the 2020-10-29 XML excerpt the Record_Count of its two
// entries. The empty 2024-05-04 capture has no entries and is left out.
func realPublications(t testing.TB) []realPublication {
	t.Helper()
	marked := func(dir string, files map[string]string) func(testing.TB) *sources.Input {
		return func(t testing.TB) *sources.Input {
			data := map[string][]byte{}
			for name, file := range files {
				data[name] = append(readTestdata(t, dir+"/"+file), 0x1a)
			}
			return sourcetest.InputOf(t, "csv", data)
		}
	}
	sdnSet := map[string]string{"SDN.CSV": "sdn.csv", "ADD.CSV": "add.csv", "ALT.CSV": "alt.csv", "SDN_COMMENTS.CSV": "sdn_comments.csv"}
	sdnSetGz := map[string]string{}
	for k, v := range sdnSet {
		sdnSetGz[k] = v + ".gz"
	}
	sdn, cons := NewSDN(Config{}), NewConsolidated(Config{})
	list := []realPublication{
		{"sdn 2019-01-15 csv", sdn, marked("us_ofac_sdn/2019-01-15", sdnSetGz)},
		{"sdn 2021-07-07 csv", sdn, func(t testing.TB) *sources.Input { return sdnCSV20210707(t) }},
		{"sdn excerpt-2020-10-29 xml", sdn, func(t testing.TB) *sources.Input {
			return sourcetest.InputOf(t, "xml", map[string][]byte{"SDN.XML": excerptCounted(t)})
		}},
		{"sdn excerpt-2025-05-16 csv", sdn, marked("us_ofac_sdn/excerpt-2025-05-16", sdnSet)},
		{"cons 2018-04-06 csv", cons, func(t testing.TB) *sources.Input { return cons20180406CSV(t) }},
		{"cons 2018-04-06 xml", cons, func(t testing.TB) *sources.Input { return cons20180406XML(t) }},
		{"cons 2020-03-17 advanced", cons, func(t testing.TB) *sources.Input { return cons20200317Advanced(t) }},
		{"cons 2020-03-17 xml", cons, func(t testing.TB) *sources.Input { return cons20200317XML(t) }},
		{"cons 2023-03-08 xml", cons, func(t testing.TB) *sources.Input {
			return testdataInput(t, "xml", map[string]string{"CONSOLIDATED.XML": "us_ofac_cons/2023-03-08/consolidated.xml.gz"})
		}},
		{"cons 2025-12-19 csv", cons, func(t testing.TB) *sources.Input {
			return testdataInput(t, "csv", map[string]string{
				"CONS_PRIM.CSV":     "us_ofac_cons/2025-12-19/cons_prim.csv.gz",
				"CONS_ADD.CSV":      "us_ofac_cons/2025-12-19/cons_add.csv.gz",
				"CONS_ALT.CSV":      "us_ofac_cons/2025-12-19/cons_alt.csv.gz",
				"CONS_COMMENTS.CSV": "us_ofac_cons/2025-12-19/cons_comments.csv.gz",
			})
		}},
	}
	history, _ := filepath.Glob(filepath.Join(testdata, "us_ofac_sdn", "history", "*_sdn.csv.gz"))
	for _, f := range history {
		if fi, err := os.Stat(f); err != nil || fi.Size() < 1000 {
			continue // the empty 2024-05-04 capture
		}
		rel, _ := filepath.Rel(testdata, f)
		list = append(list, realPublication{"sdn history " + strings.TrimSuffix(filepath.Base(f), "_sdn.csv.gz") + " csv", sdn, func(t testing.TB) *sources.Input {
			return testdataInput(t, "csv", map[string]string{"SDN.CSV": rel})
		}})
	}
	return list
}

// TestIdentifierPlaceNotCountry: OFAC prints, after some Colombian
// register numbers, the city of the chamber of commerce that keeps the
// register instead of a country ("Matricula Mercantil No 30401904
// (Medellin)"). Such a bracket is no country: it is kept, as printed, in
// the identifier's note, and the country is Colombia's, the one country
// whose register Matricula Mercantil is (registerCountry). Real records of
// SDN 2021-07-07; the expected values are read off the published rows.
func TestIdentifierPlaceNotCountry(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	for _, tc := range []struct {
		uid  string
		want []entity.Identifier
	}{
		// "NIT # 811035697-6 (Colombia); Matricula Mercantil No 30401904
		// (Medellin); alt. Matricula Mercantil No 37062402 (Medellin)."
		{"16352", []entity.Identifier{
			{Type: idTax, Value: "811035697-6", Raw: "811035697-6", RawType: "NIT #", Country: "Colombia"},
			{Type: idRegistration, Value: "30401904", Raw: "30401904", RawType: "Matricula Mercantil No", Country: "CO", Note: "Medellin"},
			{Type: idRegistration, Value: "37062402", Raw: "37062402", RawType: "Matricula Mercantil No", Country: "CO", Note: "Medellin"},
		}},
		// "Matricula Mercantil No 57622 (Uraba)."
		{"16471", []entity.Identifier{
			{Type: idRegistration, Value: "57622", Raw: "57622", RawType: "Matricula Mercantil No", Country: "CO", Note: "Uraba"},
		}},
	} {
		e := p.Entity(t, tc.uid)
		if !sameIdentifiers(e.Identifiers, tc.want) {
			t.Errorf("%s: identifiers\n got %+v\nwant %+v", tc.uid, e.Identifiers, tc.want)
		}
	}
}

// sameIdentifiers compares two lists in any order (the entity's canonical
// order is not what this file tests).
func sameIdentifiers(a, b []entity.Identifier) bool {
	key := func(x, y entity.Identifier) int {
		return strings.Compare(fmt.Sprintf("%+v", x), fmt.Sprintf("%+v", y))
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, key)
	slices.SortFunc(b, key)
	return slices.Equal(a, b)
}

// TestIdentifierPlaceXMLAgreesWithCSV: the legacy XML prints the same
// bracket as idCountry (the CSV's "(X)" is rendered from it), and the
// advanced XML's documents reach the same builder through that shape. The
// real rows 16352 and 16471 of SDN 2021-07-07, printed as SDN.XML prints
// an idList (no SDN.XML of that date is in testdata), give the same
// identifiers and remarks as the CSV.
func TestIdentifierPlaceXMLAgreesWithCSV(t *testing.T) {
	const doc = `<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>07/07/2021</Publish_Date><Record_Count>2</Record_Count></publshInformation>
  <sdnEntry><uid>16352</uid><lastName>PROMOTORA TURISTICA SOL PLAZA S.A.</lastName><sdnType>Entity</sdnType>
    <programList><program>SDNTK</program></programList>
    <idList>
      <id><uid>1</uid><idType>NIT #</idType><idNumber>811035697-6</idNumber><idCountry>Colombia</idCountry></id>
      <id><uid>2</uid><idType>Matricula Mercantil No</idType><idNumber>30401904</idNumber><idCountry>Medellin</idCountry></id>
      <id><uid>3</uid><idType>Matricula Mercantil No</idType><idNumber>37062402</idNumber><idCountry>Medellin</idCountry></id>
    </idList>
  </sdnEntry>
  <sdnEntry><uid>16471</uid><lastName>COMERCIALIZADORA J DURANGO</lastName><sdnType>Entity</sdnType>
    <programList><program>SDNTK</program></programList>
    <idList><id><uid>4</uid><idType>Matricula Mercantil No</idType><idNumber>57622</idNumber><idCountry>Uraba</idCountry></id></idList>
  </sdnEntry>
</sdnList>
`
	csv := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	xml := sourcetest.MustParse(t, NewSDN(Config{}), sourcetest.InputOf(t, "xml", map[string][]byte{"SDN.XML": []byte(doc)}))
	for _, uid := range []string{"16352", "16471"} {
		c, x := csv.Entity(t, uid), xml.Entity(t, uid)
		if !sameIdentifiers(c.Identifiers, x.Identifiers) || c.Remarks != x.Remarks {
			t.Errorf("%s: CSV %+v %q\nXML %+v %q", uid, c.Identifiers, c.Remarks, x.Identifiers, x.Remarks)
		}
	}
}

// TestIdentifierCountriesCorpus: over every real OFAC publication in
// testdata, in every format, each identifier country is a country text
// (normalize.CountryCode or CountryQualified maps it), and every bracket
// that is none is in a note; no typed identifier's value keeps such a
// bracket. -v lists the brackets moved, by text. The
// history captures are left out with -short.
func TestIdentifierCountriesCorpus(t *testing.T) {
	moved, inNumber, total := map[string]int{}, map[string]int{}, 0
	for _, pub := range realPublications(t) {
		if testing.Short() && strings.HasPrefix(pub.name, "sdn history") {
			continue
		}
		p := sourcetest.MustParse(t, pub.src, pub.in(t))
		n := 0
		for _, e := range p.Entities {
			for _, id := range e.Identifiers {
				if id.Country == "" {
					continue
				}
				total++
				if !isCountryText(id.Country) {
					n++
					t.Errorf("%s: %s: identifier %s %s: country %q is no country", pub.name, e.ID, id.RawType, id.Raw, id.Country)
				}
			}
			for _, id := range e.Identifiers {
				if id.Note != "" && id.Type != idCrypto && !strings.HasPrefix(id.Note, "as printed: ") {
					moved[id.Note]++
				}
				// A value that still ends with a bracket naming no
				// country: a place left in the number.
				if i := strings.LastIndex(id.Value, " ("); i >= 0 && strings.HasSuffix(id.Value, ")") && !isCountryText(id.Value[i+2:len(id.Value)-1]) {
					inNumber[id.RawType]++
					if id.Type != idOther {
						t.Errorf("%s: %s: identifier %s value %q keeps a place", pub.name, e.ID, id.RawType, id.Value)
					}
				}
			}
		}
		t.Logf("%s: %d entities, %d identifier countries that are none", pub.name, len(p.Entities), n)
	}
	var b strings.Builder
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range moved {
			if !yield(k) {
				return
			}
		}
	}) {
		fmt.Fprintf(&b, " %s %d;", k, moved[k])
	}
	t.Logf("%d identifier countries; places kept in notes:%s", total, b.String())
	t.Logf("values still ending in a bracket that is no country, by label (type other only): %v", inNumber)
}

// TestIdentifierPlaceInNumber: with a country bracket after it, the place
// bracket stays inside the number ("Registration Number HRB 770549
// (Stuttgart) (Germany)": the registry court's city; "Folio Mercantil No.
// 10328 (Jalisco) (Mexico)": the state's registry). The place is no part
// of the number: value is the number alone, raw keeps the published text,
// the place goes to the note. Real rows of SDN 2021-07-07 and the capture
// of 2024-05-02; expected values read off them.
func TestIdentifierPlaceInNumber(t *testing.T) {
	july := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	may := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20240502(t))
	for _, tc := range []struct {
		p    *sourcetest.Parsed
		uid  string
		want entity.Identifier
	}{
		{july, "21648", entity.Identifier{Type: idRegistration, Value: "10328", Raw: "10328 (Jalisco)", RawType: "Folio Mercantil No.", Country: "Mexico", Note: "Jalisco"}},
		{may, "44198", entity.Identifier{Type: idRegistration, Value: "HRB 770549", Raw: "HRB 770549 (Stuttgart)", RawType: "Registration Number", Country: "Germany", Note: "Stuttgart"}},
		{may, "30126", entity.Identifier{Type: idRegistration, Value: "3934472", Raw: "3934472 (New York)", RawType: "Company Number", Country: "United States", Note: "New York"}},
		{may, "40537", entity.Identifier{Type: idRegistration, Value: "0005657373", Raw: "0005657373 (North Dakota)", RawType: "Business Registration Number", Country: "United States", Note: "North Dakota"}},
	} {
		e := tc.p.Entity(t, tc.uid)
		if !slices.Contains(e.Identifiers, tc.want) {
			t.Errorf("%s: no identifier %+v in %+v", tc.uid, tc.want, e.Identifiers)
		}
	}
}

package un

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestRecords: every element of three rich real records of the
// 2026-02-27 publication reaches the entity. The expected entities are
// written by hand from the XML text (quoted above each).
func TestRecords(t *testing.T) {
	p := mustParse(t, readPublication(t, "2026-02-27"))
	if len(p.Issues) > 0 {
		t.Fatalf("issues: %v", p.Issues)
	}
	tests := []struct {
		id   string
		want entity.Entity
	}{
		// 112033 (QDi.068): four name parts, original script, a weak
		// alias, an alias with its own date and place of birth and a
		// NOTE, a passport with TYPE_OF_DOCUMENT2 repeating the type, an
		// identity number printed only in a NOTE, a fiscal code; six
		// LAST_DAY_UPDATED values (ignored).
		{"112033", entity.Entity{
			ID: "un_sc-112033", Source: "un_sc", SourceID: "112033", Type: entity.Person,
			Name: "ADEL BEN AL-AZHAR BEN YOUSSEF HAMDI",
			Names: []entity.Name{
				{Value: "ADEL BEN AL-AZHAR BEN YOUSSEF HAMDI", Kind: "primary", Script: "Latn", Normalized: "adel ben al azhar ben youssef hamdi"},
				{Value: "عادل بن الأزهر بن يوسف حمدي", Kind: "alias", Script: "Arab", Normalized: "عادل بن الأزهر بن يوسف حمدي"},
				{Value: "Zakariya", Kind: "weak_alias", Script: "Latn", Normalized: "zakariya"},
				{Value: "Adel ben al- Azhar ben Youssef ben Soltane", Kind: "alias", Script: "Latn", Normalized: "adel ben al azhar ben youssef ben soltane"},
			},
			BirthDates:    []entity.Date{{Value: "1970-07-14", Precision: "day", Raw: "EXACT 1970-07-14"}},
			BirthPlaces:   []string{"Tunis, Tunisia"},
			Nationalities: []entity.Country{{Raw: "Tunisia"}},
			Addresses:     []entity.Address{{Full: "Tunisia", CountryRaw: "Tunisia"}},
			Identifiers: []entity.Identifier{
				{Type: "other", Value: "QDi.068", RawType: "UN reference number"},
				{Type: "passport", Value: "M408665", Raw: "M408665", RawType: "Passport", Country: "Tunisia", Issued: "2000-10-04", Note: "expired 3 Oct. 2005"},
				// The number only in the NOTE fills the value; the label
				// before it types the document and names its country.
				{Type: "national_id", Value: "W334061", RawType: "National Identification Number / Tunisian national identity number", Country: "TN", CountryRaw: "Tunisian", Note: "Tunisian national identity number W334061 issued on 9 Mar. 2011"},
				// TYPE_OF_DOCUMENT2 says what the generic National
				// Identification Number is, and whose.
				{Type: "tax_id", Value: "BNSDLA70L14Z352B", Raw: "BNSDLA70L14Z352B", RawType: "National Identification Number / Italian Fiscal Code:", Country: "IT", CountryRaw: "Italian"},
			},
			Programs: []string{"Al-Qaida"},
			ListedOn: "2002-09-03",
			Remarks: "Deported from Italy to Tunisia on 28 February 2004. Serving a 12-year prison sentence in Tunisia " +
				"for membership in a terrorist organization abroad as at Jan. 2010. Arrested in Tunisia in 2013. " +
				"Legally changed family name from Ben Soltane to Hamdi in 2014. Review pursuant to Security Council " +
				"resolution 1822 (2008) was concluded on 21 Jun. 2010. Review pursuant to Security Council resolution " +
				"2368 (2017) was concluded on 4 Dec. 2019. Review pursuant to Security Council resolution 2610 (2021) " +
				"was concluded on 30 October 2023. INTERPOL-UN Security Council Special Notice web " +
				"link:https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals " +
				`[Alias "Adel ben al- Azhar ben Youssef ben Soltane": date of birth 1970-07-14; place of birth Tunis, Tunisia; formerly listed as]`,
		}},
		// 690726 (TAi.130): a title, a designation over two lines, two
		// years of birth, a place of birth with a province, an address
		// with a street, a passport with CITY_OF_ISSUE and a tazkira.
		{"690726", entity.Entity{
			ID: "un_sc-690726", Source: "un_sc", SourceID: "690726", Type: entity.Person,
			Name: "ABDUL GHAFAR QURISHI ABDUL GHANI",
			Names: []entity.Name{
				{Value: "ABDUL GHAFAR QURISHI ABDUL GHANI", Kind: "primary", Script: "Latn", Normalized: "abdul ghafar qurishi abdul ghani"},
				{Value: "Abdul Ghaffar Qureshi", Kind: "alias", Script: "Latn", Normalized: "abdul ghaffar qureshi"},
				{Value: "عبدالغفار قریشی عبد الغنی", Kind: "alias", Script: "Arab", Normalized: "عبدالغفار قریشی عبد الغنی"},
			},
			BirthDates: []entity.Date{
				{Value: "1970", Precision: "year", Raw: "EXACT 1970"},
				{Value: "1967", Precision: "year", Raw: "EXACT 1967"},
			},
			BirthPlaces:   []string{"Turshut village, Wursaj District, Takhar Province, Afghanistan"},
			Nationalities: []entity.Country{{Raw: "Afghanistan"}},
			Titles:        []string{"Maulavi"},
			Positions:     []string{"Repatriation Attache, Taliban Embassy, Islamabad, Pakistan"},
			Addresses: []entity.Address{{Full: "Khairkhana Section Number 3, Kabul, Afghanistan",
				Street: "Khairkhana Section Number 3", City: "Kabul", CountryRaw: "Afghanistan"}},
			Identifiers: []entity.Identifier{
				{Type: "other", Value: "TAi.130", RawType: "UN reference number"},
				{Type: "passport", Value: "D000933", Raw: "D 000933", RawType: "Passport", Country: "Afghanistan", Issued: "1998-09-13", Note: "city of issue: KABUL"},
				{Type: "national_id", Value: "55130", Raw: "55130", RawType: "National Identification Number", Country: "Afghanistan", Note: "tazkira"},
			},
			Programs: []string{"Taliban"},
			ListedOn: "2001-01-25",
			Remarks: "Involved in drug trafficking. Belongs to Tajik ethnic group. Review pursuant to Security " +
				"Council resolution 1822 (2008) was concluded on 29 Jul. 2010. INTERPOL-UN Security Council " +
				"Special Notice web link:https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals",
		}},
		// 6908599 (QDe.152): an organization with original script, a.k.a.
		// and f.k.a. aliases, and two addresses with a NOTE each.
		{"6908599", entity.Entity{
			ID: "un_sc-6908599", Source: "un_sc", SourceID: "6908599", Type: entity.Organization,
			Name: "JAMAAT-UL-AHRAR (JuA)",
			Names: []entity.Name{
				{Value: "JAMAAT-UL-AHRAR (JuA)", Kind: "primary", Script: "Latn", Normalized: "jamaat ul ahrar jua"},
				{Value: "جمات ال احرار", Kind: "alias", Script: "Arab", Normalized: "جمات ال احرار"},
				{Value: "Jamaat-e-Ahrar", Kind: "alias", Script: "Latn", Normalized: "jamaat e ahrar"},
				{Value: "Tehrik-e Taliban Pakistan Jamaat ul Ahrar", Kind: "alias", Script: "Latn", Normalized: "tehrik e taliban pakistan jamaat ul ahrar"},
				{Value: "Ahrar-ul-Hind", Kind: "former", Script: "Latn", Normalized: "ahrar ul hind"},
			},
			Addresses: []entity.Address{
				{Full: "Lalpura, Nangarhar Province, Afghanistan and Afghanistan-Pakistan border region (since Jun. 2015)",
					City: "Lalpura", Region: "Nangarhar Province, Afghanistan and Afghanistan-Pakistan border region"},
				{Full: "Mohmand Agency, Pakistan (as at Aug. 2014)", Region: "Mohmand Agency", CountryRaw: "Pakistan"},
			},
			Identifiers: []entity.Identifier{{Type: "other", Value: "QDe.152", RawType: "UN reference number"}},
			Programs:    []string{"Al-Qaida"},
			ListedOn:    "2017-07-06",
			Remarks: "Splinter group of the Tehrik-e Taliban Pakistan (QDe.132). Associated with Islamic State in " +
				"Iraq and the Levant, listed as Al-Qaida in Iraq (QDe.115). Formed in Aug. 2014 in Mohmand Agency, " +
				"Pakistan. Operates from Nangarhar Province, Afghanistan and Pakistan-Afghanistan border region. " +
				"Banned in Pakistan on 21 Nov. 2016. Review pursuant to Security Council resolution 2610 (2021) was " +
				"concluded on 8 November 2022. INTERPOL-UN Security Council Special Notice web " +
				"link:https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			want := tc.want
			want.Canonicalize()
			got, wantLine := sourcetest.Canonical(p.Entity(t, tc.id)), sourcetest.Canonical(&want)
			if got != wantLine {
				t.Errorf("entity %s\n got: %s\nwant: %s", tc.id, got, wantLine)
			}
		})
	}
}

// TestBirthDates: the forms of INDIVIDUAL_DATE_OF_BIRTH and of an alias's
// DATE_OF_BIRTH, on real records (each record has the dates listed, and
// may have others).
func TestBirthDates(t *testing.T) {
	tests := []struct {
		date, id string
		want     []entity.Date
	}{
		// BETWEEN keeps both years.
		{"2026-02-27", "6908021", []entity.Date{{Precision: "range", From: "1973", To: "1974", Raw: "BETWEEN 1973 1974"}}},
		// BETWEEN with NOTE "Approximately" (twice).
		{"2026-02-27", "110577", []entity.Date{
			{Precision: "range", From: "1945", To: "1950", Approximate: true, Raw: "BETWEEN 1945 1950 (Approximately)"},
			{Precision: "range", From: "1955", To: "1958", Approximate: true, Raw: "BETWEEN 1955 1958 (Approximately)"},
		}},
		// APPROXIMATELY with YEAR.
		{"2026-02-27", "6908006", []entity.Date{{Value: "1966", Precision: "year", Approximate: true, Raw: "APPROXIMATELY 1966"}}},
		// APPROXIMATELY with only a NOTE: no value, raw kept.
		{"2026-02-27", "6908703", []entity.Date{{Approximate: true, Raw: "APPROXIMATELY (30-35 years old)"}}},
		// EXACT with YEAR and a month in the NOTE.
		{"2026-02-27", "6908545", []entity.Date{{Value: "1958-09", Precision: "month", Raw: "EXACT 1958 (Sep.)"}}},
		{"2018-06-07", "6908545", []entity.Date{{Value: "1958-09", Precision: "month", Raw: "EXACT 1958 (Sep.)"}}},
		// A Hijri date in the NOTE: the Umm al-Qura day, which the UN
		// prints as a date of birth of its own beside it (1982-04-18).
		{"2026-02-27", "2962519", []entity.Date{{Value: "1982-04-18", Precision: "day", Calendar: "islamic-umalqura", Raw: "EXACT (24/06/1402 (Hijri Calendar))"}}},
		{"2018-06-07", "2962519", []entity.Date{{Value: "1982-04-18", Precision: "day", Calendar: "islamic-umalqura", Raw: "EXACT (24/06/1402 (Hijri Calendar))"}}},
		// An xsd:date with a time zone (2018 files).
		{"2018-06-07", "6908460", []entity.Date{{Value: "1960-01-01", Precision: "day", Raw: "EXACT 1960-01-01-05:00"}}},
		// 2024-11-30: an alias holding only DATE_OF_BIRTH "1958 - 1964".
		{"2024-11-30", "2960150", []entity.Date{{Precision: "range", From: "1958", To: "1964", Raw: "1958 - 1964"}}},
	}
	cache := map[string]*sourcetest.Parsed{}
	for _, tc := range tests {
		t.Run(tc.date+"/"+tc.id, func(t *testing.T) {
			p, ok := cache[tc.date]
			if !ok {
				p = mustParse(t, readPublication(t, tc.date))
				cache[tc.date] = p
			}
			e := p.Entity(t, tc.id)
			for _, want := range tc.want {
				if !slices.Contains(e.BirthDates, want) {
					t.Errorf("no birth date %s in %s", datesString([]entity.Date{want}), datesString(e.BirthDates))
				}
			}
			// The pipeline's normalize pass keeps what the source found
			// (it once re-parsed the raw text of APPROXIMATELY (30-35
			// years old) and lost approximate).
			n := *e
			n.BirthDates = slices.Clone(e.BirthDates)
			var cov normalize.Coverage
			normalize.Entity(&n, &cov)
			for _, want := range tc.want {
				if !slices.Contains(n.BirthDates, want) {
					t.Errorf("normalized: no birth date %s in %s", datesString([]entity.Date{want}), datesString(n.BirthDates))
				}
			}
		})
	}
}

func datesString(ds []entity.Date) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("{" + d.Value + " " + d.Precision + " " + d.From + "-" + d.To + " ")
		if d.Approximate {
			b.WriteString("approx ")
		}
		b.WriteString("raw=" + d.Raw + "} ")
	}
	return b.String()
}

// TestOriginalScript: NAME_ORIGINAL_SCRIPT becomes an alias whose text is
// the element's text as published (NFC, trimmed; an annotation in its
// note) and whose script is detected.
func TestOriginalScript(t *testing.T) {
	tests := []struct{ date, id, script string }{
		{"2026-02-27", "112033", "Arab"},  // عادل بن الأزهر بن يوسف حمدي
		{"2026-02-27", "6908599", "Arab"}, // an organization
		{"2026-02-27", "2960872", "Cyrl"}, // Умаров Доку Хаматович
		{"2023-03-09", "6908703", "Ethi"}, // ፍትዊ ዓብዱረዛቕ (Tigrinya)
		{"2018-06-07", "2854925", "Hani"}, // 阿不都·哈克
	}
	for _, tc := range tests {
		t.Run(tc.date+"/"+tc.id, func(t *testing.T) {
			data := readPublication(t, tc.date)
			printed := elementText(t, data, tc.id, "NAME_ORIGINAL_SCRIPT")
			p := mustParse(t, data)
			e := p.Entity(t, tc.id)
			var found *entity.Name
			for i, n := range e.Names {
				// An annotation ("(Tigrinya)") leaves the value for
				// the note: the name as printed is both.
				v := n.Value
				if n.Note != "" {
					v += " (" + n.Note + ")"
				}
				if v == norm.NFC.String(strings.TrimSpace(printed)) {
					found = &e.Names[i]
				}
			}
			if found == nil {
				t.Fatalf("no name %q in %+v", printed, e.Names)
			}
			if found.Kind != entity.KindAlias || found.Script != tc.script {
				t.Errorf("%q: kind %s script %s, want alias %s", found.Value, found.Kind, found.Script, tc.script)
			}
		})
	}
}

// elementText returns the text of the first <name> element of the record
// with DATAID id, by a byte scan.
func elementText(t *testing.T, data []byte, id, name string) string {
	t.Helper()
	s := string(data)
	i := strings.Index(s, "<DATAID>"+id+"</DATAID>")
	if i < 0 {
		t.Fatalf("no DATAID %s", id)
	}
	s = s[i:]
	// The record ends at its end tag.
	for _, tag := range []string{"</INDIVIDUAL>", "</ENTITY>"} {
		if k := strings.Index(s, tag); k >= 0 {
			s = s[:k]
		}
	}
	open, end := "<"+name+">", "</"+name+">"
	j := strings.Index(s, open)
	if j < 0 {
		t.Fatalf("%s: no %s", id, open)
	}
	rest := s[j+len(open):]
	return rest[:strings.Index(rest, end)]
}

// TestFields: single fields of real records.
func TestFields(t *testing.T) {
	p := mustParse(t, readPublication(t, "2026-02-27"))
	if e := p.Entity(t, "6908473"); e.Gender != "female" {
		t.Errorf("6908473 GENDER Female: gender %q", e.Gender)
	}
	if e := p.Entity(t, "112030"); e.Gender != "" {
		t.Errorf("112030 without GENDER: gender %q", e.Gender)
	}
	// 113474: addresses with ZIP_CODE.
	e := p.Entity(t, "113474")
	want := entity.Address{Full: "8820 Mobile Avenue, IA, Oak Lawn, Illinois, 60453, United States of America",
		Street: "8820 Mobile Avenue, IA", City: "Oak Lawn", Region: "Illinois", PostalCode: "60453", CountryRaw: "United States of America"}
	found := false
	for _, a := range e.Addresses {
		found = found || a == want
	}
	if !found {
		t.Errorf("113474: no address %+v in %+v", want, e.Addresses)
	}
	// 2975516: ALIAS_NAME "أبو بكر البغدادي الحسيني القريشي (Abu Bakr
	// al-Baghdadi al-Husayni al-Quraishi; Abu Bakr al-Baghdadi)": three
	// names.
	e = p.Entity(t, "2975516")
	for _, v := range []string{"أبو بكر البغدادي الحسيني القريشي", "Abu Bakr al-Baghdadi al-Husayni al-Quraishi", "Abu Bakr al-Baghdadi"} {
		if !hasName(e, v, entity.KindWeakAlias) {
			t.Errorf("2975516: no weak alias %q in %+v", v, e.Names)
		}
	}
	// LISTED_ON with a time zone (2018).
	p18 := mustParse(t, readPublication(t, "2018-06-07"))
	if e := p18.Entity(t, "6908455"); e.ListedOn != "2015-04-14" {
		t.Errorf("6908455 LISTED_ON 2015-04-14-04:00: listed_on %q", e.ListedOn)
	}
}

func hasName(e *entity.Entity, value, kind string) bool {
	for _, n := range e.Names {
		if n.Value == value && n.Kind == kind {
			return true
		}
	}
	return false
}

// TestSplitNames: the ALIAS_NAME forms of the publications.
func TestSplitNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Abu Ismail", []string{"Abu Ismail"}},
		{"Ansar al-Sharia (AAS)", []string{"Ansar al-Sharia (AAS)"}},
		{"Fazel Rahim; Fazil Rahim", []string{"Fazel Rahim", "Fazil Rahim"}},
		{"حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)", []string{"حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"}},
		{"Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hay’at Tahrir al-Sham; Tahrir al-Sham Hay’at)",
			[]string{"Hay’at Tahrir al-Sham (HTS)", "هيئة تحرير الشام (original script)", "Hay’at Tahrir al-Sham", "Tahrir al-Sham Hay’at"}},
		{"(a; b)", []string{"a", "b"}},
		{"A; ; B;", []string{"A", "B"}},
		{"unbalanced ) ; (x", []string{"unbalanced )", "(x"}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := splitNames(tc.in); strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("splitNames(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

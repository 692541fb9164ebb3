package dfat

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// The cells below are printed in the real workbooks (the reference and the
// layout year in the comment).

func TestSplitEnum(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Tehran, Iran", []string{"Tehran, Iran"}},
		{"a) Japan b) Russia", []string{"Japan", "Russia"}}, // 272, 2026
		{"a) Khwaja Malik, Arghandab District, Kandahar Province, Afghanistan  b) Kandahar City, Kandahar Province, Afghanistan",
			[]string{"Khwaja Malik, Arghandab District, Kandahar Province, Afghanistan", "Kandahar City, Kandahar Province, Afghanistan"}}, // 34
		// "a)" forgotten (7b, 2026).
		{"Zurmat District, Paktia Province, Afghanistan b) Garda Saray District, Paktia Province, Afghanistan",
			[]string{"Zurmat District, Paktia Province, Afghanistan", "Garda Saray District, Paktia Province, Afghanistan"}},
		{"a)1994 b)1993 c)1995 d)1992", []string{"1994", "1993", "1995", "1992"}},
		{"a) 28/04/1979; \nb) 28/04/1980; \nc) 28/04/1981", []string{"28/04/1979", "28/04/1980", "28/04/1981"}},
		// A non-breaking space before "b)" (1227, 2024).
		{"a) Approximately 1962\u00a0\u00a0b) 1961", []string{"Approximately 1962", "1961"}},
		// "c)" printed twice (2549, 2024).
		{"a) 1966 b) 1964 c) 1969 c) 1971", []string{"1966", "1964", "1969", "1971"}},
		// "(a)" form; a text before the first marker is an item.
		{"(a) Counterfeit Danish driving licence no. 20645897 b) Algerian birth certificate",
			[]string{"Counterfeit Danish driving licence no. 20645897", "Algerian birth certificate"}},
		{"na a) Afghan passport number OR1961825", []string{"na", "Afghan passport number OR1961825"}},
		// Out of order or inside a word: no marker.
		{"24/06/1402 (Hijri Calendar)", []string{"24/06/1402 (Hijri Calendar)"}},
		{"Section 5(b) of the Act c) other", []string{"Section 5(b) of the Act c) other"}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := splitEnum(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitEnum(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// dateString prints a date for comparison: value or from..to, precision,
// "~" when approximate, and the raw text.
func dateString(d entity.Date) string {
	v := d.Value
	if d.Precision == entity.PrecisionRange {
		v = d.From + ".." + d.To
	}
	approx := ""
	if d.Approximate {
		approx = "~"
	}
	return fmt.Sprintf("%s%s/%s|%s", approx, v, d.Precision, d.Raw)
}

func TestParseDOB(t *testing.T) {
	tests := []struct {
		in    string
		want  []string // dateString of each; precision "" marks an unparsed piece
		lossy bool
	}{
		{"1963", []string{"1963/year|1963"}, false},
		{"24473", []string{"1967-01-01/day|24473"}, false}, // 93c, 2026: 1 Jan. 1967 in 2024
		{"9157", []string{"1925-01-25/day|9157"}, false},   // 3253, 2026: 25 Jan. 1925 in 2024
		{"26969", []string{"1973-11-01/day|26969"}, false}, // 2557, 2026: "Nov. 1973" in 2024 (a month format the raw value loses)
		{"1945, 1946, 1958", []string{"1945/year|1945", "1946/year|1946", "1958/year|1958"}, false},
		{"Approximately 1963", []string{"~1963/year|Approximately 1963"}, false},
		{"a) Approximately 1955- 1958 b) Approximately 1945-1950", []string{"~1955..1958/range|Approximately 1955- 1958", "~1945..1950/range|Approximately 1945-1950"}, false},
		{"Between 1963 and 1968", []string{"1963..1968/range|Between 1963 and 1968"}, false},
		{"Between 1960 to 1962", []string{"1960..1962/range|Between 1960 to 1962"}, false},
		{"approximately 1959/1960", []string{"~1959..1960/range|approximately 1959/1960"}, false},
		{"Approximately 1955, or approximately 1957", []string{"~1955/year|Approximately 1955", "~1957/year|approximately 1957"}, false},
		// The qualifier belongs to the date it precedes (2024 prints "a)
		// Approximately 1960 b) 1966" for the same party, 11).
		{"Approximately 1960, 1966", []string{"~1960/year|Approximately 1960", "1966/year|1966"}, false},
		{"a) 9/05/1965 b) 12.03.1962", []string{"1965-05-09/day|9/05/1965", "1962-03-12/day|12.03.1962"}, false},
		{"09/11/ 1954", []string{"1954-11-09/day|09/11/ 1954"}, false},
		{"03/1965, 1967", []string{"1965-03/month|03/1965", "1967/year|1967"}, false},
		{"March 16, 1972", []string{"1972-03-16/day|March 16, 1972"}, false}, // 1230, 2024
		{"August, 1961", []string{"1961-08/month|August, 1961"}, false},
		{"29. Sep 1969; 1970", []string{"1969-09-29/day|29. Sep 1969", "1970/year|1970"}, false},
		{"1 Jan.1967", []string{"1967-01-01/day|1 Jan.1967"}, false},
		{"15-Dec-1978", []string{"1978-12-15/day|15-Dec-1978"}, false},
		{"29-Aprl-1967", []string{"1967-04-29/day|29-Aprl-1967"}, false},   // 319c, 2024
		{"1980.1981", []string{"1980/year|1980", "1981/year|1981"}, false}, // 1145d, 2026
		{"5/06/1953 15/06/1953", []string{"1953-06-05/day|5/06/1953", "1953-06-15/day|15/06/1953"}, false},
		{"22 Mar 1960 >> 1 Apr 1960", []string{"1960-03-22/day|22 Mar 1960", "1960-04-01/day|1 Apr 1960"}, false},
		{"1955, 01/01/1969", []string{"1955/year|1955", "1969-01-01/day|01/01/1969"}, false},
		{"Approximately 1955. For this aka only, alt DOB 01/01/1969", []string{"~1955/year|Approximately 1955", "1969-01-01/day|01/01/1969"}, false},
		// 339e, 2024: a note whose parenthesis is never closed.
		{"5 Feb. 1970\u00a0(this aka only, born 5 Feb. 1969 \u00a0", []string{"1970-02-05/day|5 Feb. 1970", "1969-02-05/day|born 5 Feb. 1969"}, false},
		{"8 Aug. 1980, (appears in false Indonesian passport number S335026)", []string{"1980-08-08/day|8 Aug. 1980"}, true},
		{"12 May 1965 (as Yasir Sabawi Ibrahim Hasan Al-Tikriti) 1966 (as Ali Thafir Abdallah)", []string{"1965-05-12/day|12 May 1965", "1966/year|1966"}, true},
		{"Approximately (30-35 years old)", nil, true},
		// 1254, 2024: a Hijri date, converted (the Umm al-Qura day the
		// publisher prints beside it, 18 Apr. 1982), and kept beside that
		// Gregorian date it equals.
		{"a) 19 Apr. 1982   b) 18 Apr. 1982   c) 24/06/1402 (Hijri Calendar) ", []string{"1982-04-19/day|19 Apr. 1982", "1982-04-18/day|18 Apr. 1982", "1982-04-18/day|24/06/1402 (Hijri Calendar)"}, false},
		// Not dates: kept raw, reported. 1254, 2026: the Hijri date
		// without its calendar is no Gregorian birth date.
		{"19/04/1982, 18/04/1982, 24/06/1402", []string{"1982-04-19/day|19/04/1982", "1982-04-18/day|18/04/1982", "/|24/06/1402"}, false},
		{"23-Apr-68", []string{"/|23-Apr-68"}, false},
		{"29 March", []string{"/|29 March"}, false},
		{"10/061962", []string{"/|10/061962"}, false},
		{"na", nil, false},
	}
	for _, tc := range tests {
		pieces, lossy := parseDOB(tc.in)
		var got []string
		for _, p := range pieces {
			got = append(got, dateString(p.date))
			if p.ok != (p.date.Precision != "") {
				t.Errorf("parseDOB(%q): piece %q ok=%v", tc.in, p.date.Raw, p.ok)
			}
		}
		if !slices.Equal(got, tc.want) || lossy != tc.lossy {
			t.Errorf("parseDOB(%q) = %q lossy=%v, want %q lossy=%v", tc.in, got, lossy, tc.want, tc.lossy)
		}
	}
}

func TestSerialDate(t *testing.T) {
	for in, want := range map[string]string{
		"1": "1900-01-01", "59": "1900-02-28", "61": "1900-03-01", "36448": "1999-10-15",
		"45303": "2024-01-12", "46077": "2026-02-24", "2958465": "9999-12-31",
		"60": "", "0": "", "2958466": "", "12a": "", "": "",
	} {
		got, ok := serialDate(in)
		if got != want || ok != (want != "") {
			t.Errorf("serialDate(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
}

func TestSplitCountries(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Russia", []string{"Russia"}},
		{"Russia, Ukraine", []string{"Russia", "Ukraine"}},
		{"Somalia: Sweden", []string{"Somalia", "Sweden"}},
		{"Chad\n, Central African Republic", []string{"Chad", "Central African Republic"}},
		{"Malian / Mauritanian", []string{"Malian", "Mauritanian"}},
		{"Russian and Ukrainian", []string{"Russian", "Ukrainian"}},
		{"Moldovan, Russian and Ukrainian", []string{"Moldovan", "Russian", "Ukrainian"}},
		{"Trinidad and Tobago", []string{"Trinidad and Tobago"}},
		{"Bosnia and Herzegovina", []string{"Bosnia and Herzegovina"}},
		{"United Kingdom of Great Britain and Northern Ireland", []string{"United Kingdom of Great Britain and Northern Ireland"}},
		{"a) Pakistani       b) Saudi Arabian", []string{"Pakistani", "Saudi Arabian"}},
		{"Indonesian (as at Dec. 2003)", []string{"Indonesian (as at Dec. 2003)"}},
		{"Saudi Arabian (this aka only, alt Citizenship Yemeni)", []string{"Saudi Arabian", "Yemeni"}},
		{"Moroccan;", []string{"Moroccan"}},
		{"Possibly Ethiopian", []string{"Possibly Ethiopian"}}, // left to normalize, which never guesses
		{"na", nil},
	}
	for _, tc := range tests {
		if got := splitCountries(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitCountries(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for raw, code := range map[string]string{"Congolese": "CD", "Guinea-Bisau": "GW", "Ukranian": "UA", "Türkiyish": "TR",
		"United Kingdom of Great Britain": "GB", "Slovak Republic": "SK", "Russian": ""} {
		if got := country(raw); got.Code != code || got.Raw != raw {
			t.Errorf("country(%q) = %+v, want code %q", raw, got, code)
		}
	}
}

func TestAddressOf(t *testing.T) {
	for in, want := range map[string]string{
		"Tehran, Iran": "Iran",
		"Ulitsa Professora Popova 23, Saint Petersburg, 197376, Russia":           "Russia",
		"Prospekt Kirov 52, Simferopol, Crimea, 295000":                           "",
		"North Kivu Province, Democratic Republic of the Congo (as of June 2016)": "Democratic Republic of the Congo (as of June 2016)",
	} {
		if got := addressOf(in); got.Full != in || got.CountryRaw != want {
			t.Errorf("addressOf(%q) = %+v, want country %q", in, got, want)
		}
	}
}

func TestLabelledFields(t *testing.T) {
	tests := []struct {
		in   string
		want []string // label=text
	}{
		{"TAi.002. Title: a) Mullah b) Haji. Designation: a) First Deputy b) Governor of Kandahar. A close associate",
			[]string{"Title=a) Mullah b) Haji", "Designation=a) First Deputy b) Governor of Kandahar"}},
		{"Title: a) Maulavi b) Mullah Designation: Deputy Minister", []string{"Title=a) Maulavi b) Mullah", "Designation=Deputy Minister"}},
		{"Passport no.: na a) Afghan passport number OR1961825 b) Afghan passport number TR024417 under the name of Haji Gulab Gul National identification no.:na Address: na",
			[]string{"Passport no.=na a) Afghan passport number OR1961825 b) Afghan passport number TR024417 under the name of Haji Gulab Gul", "National identification no.=na"}},
		{"Syrian Passport No: 3987189; National identification No: 13080011550; Syrian Identification Card No. 5877002 issued 25 May 2011; Leader of AL-NUSRAH",
			[]string{"Syrian Passport No=3987189", "National identification No=13080011550"}},
		// The text runs on: the mapper takes the first word.
		{"Gender: Male INTERPOL-UN Security Council Special Notice web link:https://www.interpol.int", []string{"Gender=Male INTERPOL-UN Security Council Special Notice web link:https://www.interpol.int"}},
		{"Passport No.: 00514146; Place of Issue: Sanaa, Yemen.", []string{"Passport No.=00514146"}},
	}
	for _, tc := range tests {
		var got []string
		for _, f := range labelledFields(tc.in) {
			got = append(got, f.label+"="+f.text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("labelledFields(%q) =\n%q, want\n%q", tc.in, got, tc.want)
		}
	}
}

func TestDocumentOf(t *testing.T) {
	tests := []struct {
		label, item string
		want        string // value|country, "" when none
	}{
		{"Passport no.", "Afghan passport number OR1961825 issued on 4 Feb. 2003 expired 2 Feb. 2006", "OR1961825|Afghan"},
		{"Passport no.", "Indian number A-333602, issued on 4 Jun. 1985, issued in Bombay, India", "A-333602|Indian"},
		{"Passport Number", "27082171 (United States of America, issued on 21 Jun. 1992 in Amman, Jordan)", "27082171|"},
		{"Passport number", "A 10472263", "A 10472263|"},
		{"Passport no", "Democratic Republic of the Congo number OB 0243318", "OB 0243318|Democratic Republic of the Congo"},
		{"Passport No", "Libya B/002210", "B/002210|Libya"},
		{"National identification no.", "Saudi Arabian national identity card number 1089516791", "1089516791|Saudi Arabian"},
		{"National identification no.", "National identification number 35202- 4135948-7", "35202-4135948-7|"},
		{"Tunisian passport number", "L851940, issued on 9 September 1998", "L851940|Tunisian"},
		{"Passport no.", "na", ""},
		{"Passport no.", "issued on 4 Jun. 1985", ""},
	}
	for _, tc := range tests {
		id, ok := documentOf("passport", tc.label, tc.item)
		got := ""
		if ok {
			got = id.Value + "|" + id.Country
			if id.Raw != id.Value || id.RawType != tc.label || id.Note != tc.item {
				t.Errorf("documentOf(%q): %+v", tc.item, id)
			}
		}
		if got != tc.want {
			t.Errorf("documentOf(%q, %q) = %q, want %q", tc.label, tc.item, got, tc.want)
		}
	}
}

func TestListedDate(t *testing.T) {
	for in, want := range map[string]string{
		"Listed by UN 1267 Committee on 25 January 2001 (amended on 20 December 2005)":                               "2001-01-25",
		"Listed on 16 June 2017, re-listed 10 Jun 2020":                                                              "2017-06-16",
		"Listed on: 17 Aug. 2017 (Relisted on 3 Aug. 2020 and 2 Aug. 2023)":                                          "2017-08-17",
		"Listed 11 May 2010 (amended  on 15 Apr. 2014)":                                                              "2010-05-11",
		"Designated under the Autonomous Sanctions Regulations 2011 on 2 March 2012 (F2012L00479)":                   "2012-03-02",
		"The Minister for Foreign Affairs listed this entity on 21 December 2001 under section 15(1) of the Charter": "2001-12-21",
		"Listed on 23/02/2001": "2001-02-23",
		"44112":                "2020-10-08",
		"Instrument of first designation: Autonomous Sanctions (Designated Persons) Amendment List 2014": "",
		"Listed by the 1518 Committee": "",
	} {
		if got := listedDate(in); got != want {
			t.Errorf("listedDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUNReference(t *testing.T) {
	for in, want := range map[string]string{
		"TAi.002. Title: a) Mullah":     "TAi.002",
		"QDe.137. Associated with":      "QDe.137",
		"SOe.001.  Also listed":         "SOe.001",
		"A close associate (TI.O.4.01)": "",
		"QDi.1234 no":                   "",
		"Member of the State Duma":      "",
	} {
		if got := unReference(in); got != want {
			t.Errorf("unReference(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestControlDate(t *testing.T) {
	for in, want := range map[string]string{"45303": "2024-01-12", "12/01/2024": "2024-01-12", "soon": "", "2024": ""} {
		got, ok := controlDate(in)
		if got != want || ok != (want != "") {
			t.Errorf("controlDate(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
}

func TestHeaderKey(t *testing.T) {
	for _, h := range []string{"Reference", " reference ", "REFERENCE", "Name of Individual  or Entity", "name type\n"} {
		if _, ok := columnByKey[headerKey(h)]; !ok {
			t.Errorf("header %q not known", h)
		}
	}
	if _, ok := columnByKey[headerKey("Reference No")]; ok {
		t.Error("an unknown header is known")
	}
	if got := strings.Join([]string{columnLetter(0), columnLetter(18), columnLetter(26)}, ","); got != "A,S,AA" {
		t.Errorf("column letters %s", got)
	}
}

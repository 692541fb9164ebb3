package dfat

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// splitEnum splits DFAT's enumerations, "a) one b) two c) three" (also
// "(a) one", "a)one", and lists whose "a)" was forgotten: "one b) two"),
// into their items, trimmed; text without enumeration is one item. A
// marker is a lower-case letter followed by ")" that does not end a word
// ("Hijri)" is none), and markers count only in order: a, b, c, ... so
// that a stray "d)" inside an item does not cut it.
func splitEnum(s string) []string {
	var cuts [][2]int // marker start, item start
	want := byte('a')
	for i := 0; i+1 < len(s); i++ {
		c := s[i]
		if s[i+1] != ')' || c < 'a' || c > 'z' {
			continue
		}
		// "(a)": the text before the parenthesis decides.
		before := strings.TrimSuffix(s[:i], "(")
		if r, _ := utf8.DecodeLastRuneInString(before); before != "" && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			continue
		}
		// The first marker may be "b)" when "a)" was left out, and a letter
		// may repeat ("a) 1966 b) 1964 c) 1969 c) 1971", 2024: 2549).
		if c != want && !(len(cuts) == 0 && c == 'b') && c != want-1 {
			continue
		}
		start := i
		if i > 0 && s[i-1] == '(' {
			start = i - 1
		}
		cuts = append(cuts, [2]int{start, i + 2})
		want = c + 1
	}
	if len(cuts) == 0 {
		return nonEmpty([]string{s})
	}
	var out []string
	if head := s[:cuts[0][0]]; strings.TrimSpace(head) != "" {
		out = append(out, head)
	}
	for k, c := range cuts {
		end := len(s)
		if k+1 < len(cuts) {
			end = cuts[k+1][0]
		}
		out = append(out, s[c[1]:end])
	}
	return nonEmpty(out)
}

// nonEmpty cleans every value with normalize.Text, trims the separators
// an enumeration leaves at an item's end, and drops empty ones.
func nonEmpty(items []string) []string {
	out := items[:0]
	for _, it := range items {
		it = strings.TrimRight(normalize.Text(it), " ;,")
		if it != "" {
			out = append(out, it)
		}
	}
	return out
}

// notApplicable is what DFAT prints for "nothing".
func notApplicable(s string) bool {
	switch strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), ".")) {
	case "", "na", "n/a", "n.a", "nil", "none", "not applicable", "-":
		return true
	}
	return false
}

// listItems splits a cell of places or addresses into its enumerated
// items, leaving out the "NA"s.
func listItems(cell string) []string {
	var out []string
	for _, it := range splitEnum(cell) {
		if !notApplicable(it) {
			out = append(out, it)
		}
	}
	return out
}

// Excel stores a date as the number of days since 1899-12-30 (its 1900
// date system, serial 60 being the 29 February 1900 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// maxSerial is 9999-12-31, the last date Excel has.
const maxSerial = 2958465

// serialDate returns the ISO date of an Excel date serial printed as a
// whole number ("45303" is 2024-01-12), or false.
func serialDate(s string) (string, bool) {
	if s == "" || len(s) > 7 || !allDigits(s) {
		return "", false
	}
	n, _ := strconv.Atoi(s)
	switch {
	case n < 1 || n == 60 || n > maxSerial:
		return "", false
	case n < 60:
		n++ // before the phantom 29 February 1900
	}
	return excelEpoch.AddDate(0, 0, n).Format("2006-01-02"), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// A whole-number cell in a date column is a year when it reads as one and
// an Excel date serial otherwise. The workbooks store "1963" as a number
// in General format and 1 Jan. 1967 as the serial 24473 in a date format;
// xlsxstream hands the raw value without its format, so the value decides.
// Years run from 1000 to maxYear; the serials 1000..2100 are dates in
// 1902..1905, which no date of birth of a listed party is.
const maxYear = 2100

// numberDate reads a whole-number date cell.
func numberDate(s string) (entity.Date, bool) {
	if !allDigits(s) {
		return entity.Date{}, false
	}
	if n, _ := strconv.Atoi(s); len(s) == 4 && n >= 1000 && n <= maxYear {
		return entity.Date{Value: s, Precision: entity.PrecisionYear, Raw: s}, true
	}
	if iso, ok := serialDate(s); ok {
		return entity.Date{Value: iso, Precision: entity.PrecisionDay, Raw: s}, true
	}
	return entity.Date{}, false
}

// datePiece is one date of a Date of Birth cell.
type datePiece struct {
	date entity.Date
	ok   bool   // parsed
	why  string // when not parsed: why, for the issue
}

var (
	// dateSeparators split a cell into its dates: list punctuation, "or",
	// DFAT's ">>" history arrows, and the phrases that introduce an
	// alias's own date. Parentheses hold notes ("(Hijri Calendar)",
	// "(as Ali Thafir Abdallah)", "(from false passport)") and separate
	// too; a note without a digit is left out of the dates.
	dateSeparators = regexp.MustCompile(`(?i)\s*(?:;|\n|,|>>|\(|\)|\bor\b|\balt\.?\s+(?:DOB|born)\s*:?|\bfor this aka only\b|\bthis aka only\b)\s*`)
	// "March 12, 1960", "August, 1961", "24 October, 2000": the comma of
	// an English date, not a list separator.
	monthDayComma = regexp.MustCompile(`\b([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})\b`)
	monthComma    = regexp.MustCompile(`\b([A-Za-z]{3,9})\.?, (\d{4})\b`)
	// "29. Sep 1969": a day with a stop.
	dayStop = regexp.MustCompile(`\b(\d{1,2})\. ([A-Za-z])`)
	// "1 Jan.1967": no space after the month.
	monthNoSpace = regexp.MustCompile(`\b([A-Za-z]{3,9}\.)(\d{4})\b`)
	// "15-Dec-1978", "04-Apr-1956".
	dayMonYear = regexp.MustCompile(`^(\d{1,2})-([A-Za-z]{3,9})-(\d{4})$`)
	// "9/05/1965", "1/1/1970", "12.03.1962": day-first numeric dates
	// (every real one with a part over 12 has it first).
	numericDMY = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$`)
	// "03/1965": month and year.
	numericMY = regexp.MustCompile(`^(\d{1,2})/(\d{4})$`)
	// "1955- 1958", "1955 -1958", "1959/1960": a range of years.
	yearRange = regexp.MustCompile(`^(\d{4})\s*[-–/]\s*(\d{4})$`)
	// "Between 1960 to 1962".
	betweenTo = regexp.MustCompile(`(?i)^between (.+) to (.+)$`)
	// Qualifiers normalize.ParseDate reads as approximate.
	approxWord = regexp.MustCompile(`(?i)^(approximately|approx\.?|circa|c\.|about|ca\.)\s*`)
	// "1980.1981": two years.
	yearDotYear = regexp.MustCompile(`\b(\d{4})\.(\d{4})\b`)
	// "09/11/ 1954".
	spacedSlash = regexp.MustCompile(`(\d)\s*/\s*(\d)`)
	// "born 5 Feb. 1969" (after "this aka only,").
	bornWord = regexp.MustCompile(`(?i)^born\s+`)
	// Words of the dates themselves; a part with two other words is a
	// note ("appears in false Indonesian passport number S335026",
	// "30-35 years old").
	dateWords = regexp.MustCompile(`(?i)^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|aprl|approximately|approx|circa|c|ca|about|between|and|to|born|dob)\.?$`)
)

// isNote reports whether a part of a Date of Birth cell is a note rather
// than a date: two words or more that no date has.
func isNote(part string) bool {
	n := 0
	for _, w := range strings.Fields(part) {
		if strings.ContainsAny(w, "0123456789") || dateWords.MatchString(w) {
			continue
		}
		if n++; n >= 2 {
			return true
		}
	}
	return false
}

// keptComma stands for a comma inside a date while a cell is cut into
// dates (a private-use character, which no real cell holds).
const keptComma = "\ue000"

// parseDOB reads a Date of Birth cell into its dates. lossy reports that
// the cell held more than dates (notes, a qualifier alone), which the
// caller keeps in remarks.
func parseDOB(cell string) (pieces []datePiece, lossy bool) {
	s := strings.TrimSpace(cell)
	if notApplicable(s) {
		return nil, false
	}
	if d, ok := numberDate(s); ok {
		return []datePiece{{date: d, ok: true}}, false
	}
	for _, item := range splitEnum(s) {
		// The comma of an English date is no separator: kept aside as
		// keptComma until the parts are cut.
		item = monthDayComma.ReplaceAllString(item, "$1 $2"+keptComma+" $3")
		item = monthComma.ReplaceAllString(item, "$1"+keptComma+" $2")
		item = yearDotYear.ReplaceAllString(item, "$1, $2")
		if strings.Contains(strings.ToLower(item), "hijri") {
			// "24/06/1402 (Hijri Calendar)" (2024-12-17, 1254): converted
			// to the Gregorian calendar, which Calendar names.
			raw := strings.TrimSpace(item)
			d := normalize.ParseDate(raw)
			if d.Precision == "" {
				pieces = append(pieces, datePiece{date: d, why: "a Hijri calendar date that is no day of the Umm al-Qura calendar"})
				continue
			}
			pieces = append(pieces, datePiece{date: d, ok: true})
			continue
		}
		approx := false
		for _, part := range dateSeparators.Split(item, -1) {
			part = strings.TrimRight(normalize.Text(strings.ReplaceAll(part, keptComma, ",")), " .,:")
			if part == "" {
				continue
			}
			if !strings.ContainsAny(part, "0123456789") {
				// "Approximately" before a list applies to its dates
				// ("Approximately 1955, or approximately 1957").
				if approxWord.MatchString(part + " ") {
					approx = true
					continue
				}
				lossy = true
				continue
			}
			if isNote(part) {
				lossy = true
				continue
			}
			for _, d := range datesOf(part) {
				if d.Precision == "" {
					pieces = append(pieces, datePiece{date: entity.Date{Raw: part}, why: "not a date"})
					continue
				}
				if !normalize.PlausibleBirthDate(d) {
					// "24/06/1402" (2026-02-24, 1254, printed "(Hijri
					// Calendar)" in 2024-12-17): no Gregorian birth date,
					// and its calendar is not printed.
					pieces = append(pieces, datePiece{date: entity.Date{Raw: part}, why: "no Gregorian birth date (a Hijri date printed without its calendar?)"})
					continue
				}
				if approx {
					d.Approximate = true
				}
				pieces = append(pieces, datePiece{date: d, ok: true})
			}
		}
	}
	return pieces, lossy
}

// datesOf reads one part: a date, or numeric dates printed side by side
// with spaces only ("5/06/1953 15/06/1953"). A part that is neither is
// one date without precision.
func datesOf(part string) []entity.Date {
	d := parseDatePart(part)
	if d.Precision != "" || !strings.Contains(part, " ") {
		return []entity.Date{d}
	}
	var out []entity.Date
	for _, f := range strings.Fields(part) {
		x := parseDatePart(f)
		if x.Precision == "" || !strings.ContainsAny(f, "/.") && len(f) != 4 {
			return []entity.Date{d}
		}
		out = append(out, x)
	}
	return out
}

// parseDatePart reads one date as printed; Raw keeps it.
func parseDatePart(raw string) entity.Date {
	s := raw
	approx := false
	if m := approxWord.FindString(s); m != "" {
		approx, s = true, s[len(m):]
	}
	if d, ok := numberDate(s); ok {
		d.Raw, d.Approximate = raw, approx
		return d
	}
	s = monthDayComma.ReplaceAllString(s, "$2 $1 $3")
	s = monthComma.ReplaceAllString(s, "$1 $2")
	s = bornWord.ReplaceAllString(s, "")
	s = spacedSlash.ReplaceAllString(s, "$1/$2")
	s = strings.Replace(s, "Aprl", "Apr", 1) // "29-Aprl-1967" (2024: 319c)
	s = dayStop.ReplaceAllString(s, "$1 $2")
	s = monthNoSpace.ReplaceAllString(s, "$1 $2")
	if m := betweenTo.FindStringSubmatch(s); m != nil {
		s = m[1] + " to " + m[2]
	}
	if m := yearRange.FindStringSubmatch(s); m != nil {
		s = m[1] + " to " + m[2]
	}
	if m := dayMonYear.FindStringSubmatch(s); m != nil {
		s = m[1] + " " + m[2] + " " + m[3]
	}
	if m := numericDMY.FindStringSubmatch(s); m != nil {
		s = pad2(m[1]) + "/" + pad2(m[2]) + "/" + m[3]
	}
	if m := numericMY.FindStringSubmatch(s); m != nil {
		s = m[2] + "-" + pad2(m[1])
	}
	d := normalize.ParseDate(s)
	d.Raw = raw
	if approx && d.Precision != "" {
		d.Approximate = true
	}
	return d
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// controlDate reads a Control Date cell (an Excel serial, or a date as
// text) into an ISO date.
func controlDate(cell string) (string, bool) {
	s := normalize.Text(cell)
	d := parseDatePart(s)
	if d.Precision == entity.PrecisionDay {
		return d.Value, true
	}
	return "", false
}

var (
	// countrySeparators split a citizenship cell: DFAT joins several with
	// ", ", "; ", ": " ("Somalia: Sweden"), " / " and line breaks.
	countrySeparators = regexp.MustCompile(`\s*[,;:/\n()]\s*`)
	andSeparator      = regexp.MustCompile(`\s+and\s+`)
	// Phrases before an alias's own citizenship: "Saudi Arabian (this aka
	// only, alt Citizenship Yemeni)" (2024: 1267f).
	aliasPhrase = regexp.MustCompile(`(?i)^(?:(?:for )?this aka only|alt\.? citizenship|alt\.?)\s*`)
)

// splitCountries splits a Citizenship cell into one text per country.
// "X and Y" is two countries only when the whole is none and both parts
// are ("Russian and Ukrainian"; "Trinidad and Tobago" is one). A part
// that names no country stays as printed: normalize counts it unmapped.
func splitCountries(cell string) []string {
	var out []string
	for _, item := range splitEnum(cell) {
		if notApplicable(item) {
			continue
		}
		if _, ok := countryCode(item); ok {
			out = append(out, item)
			continue
		}
		for _, part := range countrySeparators.Split(item, -1) {
			part = strings.TrimSpace(aliasPhrase.ReplaceAllString(strings.TrimSpace(part), ""))
			if notApplicable(part) {
				continue
			}
			out = append(out, splitAnd(part)...)
		}
	}
	return out
}

func splitAnd(s string) []string {
	if _, ok := countryCode(s); ok {
		return []string{s}
	}
	parts := andSeparator.Split(s, -1)
	if len(parts) < 2 {
		return []string{s}
	}
	for _, p := range parts {
		if _, ok := countryCode(p); !ok {
			return []string{s}
		}
	}
	return parts
}

// countryFixes are spellings of the real workbooks that normalize does
// not map, each with what it means; the printed text stays the raw value
// and the code is set here. "Congolese": the 2024 workbook gives it to
// parties of the 1533 (Democratic Republic of the Congo) regime, and the
// 2026 workbook prints "Democratic Republic of the Congo" for the same
// references (2560, 2564, ...), so DFAT's adjective is the DRC's.
var countryFixes = map[string]string{
	"congolese":    "CD",
	"guinea-bisau": "GW", // a typo of Guinea-Bissau (reference 8152, 2026)
	"ukranian":     "UA", // a typo of Ukrainian (2024)
	"türkiyish":    "TR", // DFAT's adjective for Türkiye (2024)
	// The name short of "and Northern Ireland" (2026: 3111 and nine more).
	"united kingdom of great britain": "GB",
	"slovak republic":                 "SK", // the official name of Slovakia (2026: 7893)
}

// countryCode maps a country text with normalize.CountryCode and the
// fixes above.
func countryCode(s string) (string, bool) {
	if c, ok := countryFixes[strings.ToLower(normalize.Text(s))]; ok {
		return c, true
	}
	return normalize.CountryCode(s)
}

// country builds a citizenship value.
func country(raw string) entity.Country {
	c := entity.Country{Raw: raw}
	if code, ok := countryFixes[strings.ToLower(normalize.Text(raw))]; ok {
		c.Code = code
	}
	return c
}

// addressOf builds an address from one item of an Address cell: full as
// printed, and the country when its last comma-separated part names one
// ("Tehran, Iran"); normalize maps country_raw to the code.
func addressOf(item string) entity.Address {
	a := entity.Address{Full: item}
	last := item
	if i := strings.LastIndexByte(item, ','); i >= 0 {
		last = strings.TrimSpace(item[i+1:])
	}
	if _, ok := countryCode(last); ok {
		a.CountryRaw = last
		if code, fixed := countryFixes[strings.ToLower(last)]; fixed {
			a.Country = code
		}
	}
	return a
}

package normalize

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// ParseDate reads the date forms sanctions publishers print and returns
// it with its precision. Raw is always kept; a form it does not know gives
// a Date with Raw only (the caller counts it as unparsed).
//
//	"13 May 1965", "May 1965", "1962"          day, month, year
//	"1965-05-13", "1965-05", "13/05/1965"      ISO and day-first numeric
//	"00/05/1965", "00/00/1965", "dd/mm/1965"   UK partial dates
//	"circa 1960", "approximately 1960", "c. 1960"   approximate
//	"1968 to 1970", "Between 1960 and 1962", "1979-1982", "1960 - 1962"   ranges
//	"24/06/1402 (Hijri Calendar)"   Hijri, in Gregorian, Calendar set (parseHijri)
func ParseDate(raw string) entity.Date {
	s := Text(raw)
	d := entity.Date{Raw: raw}
	lower := strings.ToLower(s)
	for _, p := range []string{"circa ", "approximately ", "approx. ", "approx ", "c. ", "about ", "ca. "} {
		if strings.HasPrefix(lower, p) {
			d.Approximate = true
			s, lower = s[len(p):], lower[len(p):]
			break
		}
	}
	if h, ok := parseHijri(s); ok {
		h.Raw, h.Approximate = raw, d.Approximate
		return h
	}
	if a, b, ok := cutRange(s, lower); ok {
		to, p2 := singleDate(b)
		from, p1 := singleDate(a)
		if p1 == "" && p2 != "" && len(to) >= 4 {
			// "Between Aug. and Sep. 1977": the year is printed once.
			from, p1 = singleDate(a + " " + to[:4])
		}
		if p1 == "" || p2 == "" || from > to {
			return entity.Date{Raw: raw, Approximate: d.Approximate}
		}
		d.Precision, d.From, d.To = entity.PrecisionRange, from, to
		return d
	}
	v, p := singleDate(s)
	if p == "" {
		// "APPROXIMATELY (30-35 years old)": no date, but the publisher
		// said it is approximate; that stays.
		return entity.Date{Raw: raw, Approximate: d.Approximate}
	}
	d.Value, d.Precision = v, p
	return d
}

// minBirthYear bounds the Gregorian birth years of living listed parties.
const minBirthYear = "1800"

// PlausibleBirthDate reports whether a parsed date can be a Gregorian date
// of birth: "24/06/1402" read as a Gregorian day is 1402-06-24, which no
// listed person was born on; it is a date of another calendar printed
// without its name (DFAT 2026-02-24 row 1254; its 2024-12-17 copy and the
// UN say "(Hijri Calendar)"). A date whose Calendar is set was converted.
func PlausibleBirthDate(d entity.Date) bool {
	y := d.Value + d.From
	return d.Calendar != "" || len(y) < 4 || y[:4] >= minBirthYear
}

// cutRange splits "A to B", "between A and B", "A - B" and "YYYY-YYYY".
func cutRange(s, lower string) (a, b string, ok bool) {
	if rest, found := strings.CutPrefix(lower, "between "); found {
		if i := strings.Index(rest, " and "); i >= 0 {
			off := len("between ")
			return strings.TrimSpace(s[off : off+i]), strings.TrimSpace(s[off+i+5:]), true
		}
	}
	for _, sep := range []string{" to ", " - ", " – "} {
		if i := strings.Index(lower, sep); i >= 0 {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
		}
	}
	if len(s) == 9 && s[4] == '-' && isDigits(s[:4]) && isDigits(s[5:]) {
		return s[:4], s[5:], true
	}
	return "", "", false
}

// singleDate parses one date and returns its ISO value and precision, or
// "" precision when s is not a date it knows.
func singleDate(s string) (value, precision string) {
	switch {
	case len(s) == 4 && isDigits(s):
		return s, entity.PrecisionYear
	case len(s) == 10 && s[4] == '-' && s[7] == '-': // 1965-05-13
		return ymd(s[:4], s[5:7], s[8:10])
	case len(s) == 7 && s[4] == '-': // 1965-05
		return ymd(s[:4], s[5:7], "")
	case len(s) == 10 && (s[2] == '/' || s[2] == '.') && s[5] == s[2]: // 13/05/1965, 00/00/1965, dd/mm/1965
		day, mon := s[:2], s[3:5]
		if strings.EqualFold(day, "dd") || day == "00" {
			day = ""
		}
		if strings.EqualFold(mon, "mm") || mon == "00" {
			mon = ""
			if day != "" {
				return "", "" // a day without a month means nothing
			}
		}
		return ymd(s[6:], mon, day)
	}
	f := strings.Fields(s)
	switch len(f) {
	case 2: // May 1965
		if m := monthNumber(f[0]); m != "" && len(f[1]) == 4 && isDigits(f[1]) {
			return f[1] + "-" + m, entity.PrecisionMonth
		}
	case 3: // 13 May 1965
		if m := monthNumber(f[1]); m != "" && len(f[2]) == 4 && isDigits(f[2]) && len(f[0]) <= 2 && isDigits(f[0]) {
			return ymd(f[2], m, fmt.Sprintf("%02s", f[0]))
		}
	}
	return "", ""
}

// ymd validates and formats a date whose month and day may be empty.
func ymd(y, m, d string) (string, string) {
	if len(y) != 4 || !isDigits(y) {
		return "", ""
	}
	if m == "" {
		return y, entity.PrecisionYear
	}
	mi, err := strconv.Atoi(m)
	if err != nil || len(m) != 2 || mi < 1 || mi > 12 {
		return "", ""
	}
	if d == "" {
		return y + "-" + m, entity.PrecisionMonth
	}
	di, err := strconv.Atoi(d)
	yi, _ := strconv.Atoi(y)
	if err != nil || len(d) != 2 || di < 1 || di > daysIn(yi, mi) {
		return "", ""
	}
	return y + "-" + m + "-" + d, entity.PrecisionDay
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

var months = map[string]string{
	"jan": "01", "feb": "02", "mar": "03", "apr": "04", "may": "05", "jun": "06",
	"jul": "07", "aug": "08", "sep": "09", "sept": "09", "oct": "10", "nov": "11", "dec": "12",
	"january": "01", "february": "02", "march": "03", "april": "04", "june": "06",
	"july": "07", "august": "08", "september": "09", "october": "10", "november": "11", "december": "12",
}

func monthNumber(s string) string {
	return months[strings.ToLower(strings.TrimSuffix(s, "."))]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// DateParts builds a date from separate year, month and day values as
// structured publications give them (UN YEAR, EU year/monthOfYear/
// dayOfMonth); empty or zero parts lower the precision. raw records what
// was published.
func DateParts(year, month, day int, raw string) entity.Date {
	d := entity.Date{Raw: raw}
	if year <= 0 {
		return d
	}
	y := fmt.Sprintf("%04d", year)
	m, dd := "", ""
	if month > 0 {
		m = fmt.Sprintf("%02d", month)
		if day > 0 {
			dd = fmt.Sprintf("%02d", day)
		}
	}
	v, p := ymd(y, m, dd)
	if p == "" {
		return d
	}
	d.Value, d.Precision = v, p
	return d
}

// YearRange builds a range of years (UN TYPE_OF_DATE BETWEEN).
func YearRange(from, to int, raw string) entity.Date {
	if from <= 0 || to < from {
		return entity.Date{Raw: raw}
	}
	return entity.Date{Precision: entity.PrecisionRange, From: fmt.Sprintf("%04d", from), To: fmt.Sprintf("%04d", to), Raw: raw}
}

// ISODate returns the ISO form of one date as publishers print it
// ("10 Jul 1991" -> "1991-07-10"), and false when s is not a single date.
func ISODate(s string) (string, bool) {
	v, p := singleDate(Text(s))
	return v, p != ""
}

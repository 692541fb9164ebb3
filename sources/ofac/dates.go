package ofac

import (
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// parseDate reads the date forms OFAC prints (XML dateOfBirth and the
// "DOB ..." remarks alike): "13 May 1965", "May 1965", "1962",
// "circa 1960", "1968 to 1970", "01 Jan 1953 to 31 Dec 1954",
// "circa 1979-1982". Raw is always kept; a form it does not know gives a
// Date with Raw only.
func parseDate(raw string) entity.Date {
	d := entity.Date{Raw: raw}
	s := raw
	if rest, ok := strings.CutPrefix(s, "circa "); ok {
		d.Approximate = true
		s = rest
	}
	a, b, isRange := strings.Cut(s, " to ")
	if !isRange && d.Approximate && len(s) == 9 && s[4] == '-' {
		// "circa 1979-1982"
		a, b, isRange = s[:4], s[5:], true
	}
	if isRange {
		from, p1 := simpleDate(a)
		to, p2 := simpleDate(b)
		if p1 == "" || p2 == "" {
			return entity.Date{Raw: raw}
		}
		d.Precision, d.From, d.To = entity.PrecisionRange, from, to
		return d
	}
	v, p := simpleDate(s)
	if p == "" {
		return entity.Date{Raw: raw}
	}
	d.Value, d.Precision = v, p
	return d
}

// isoDate returns the ISO form of a single date ("10 Jul 1991" ->
// "1991-07-10", "1991" -> "1991"), or raw when it is not one.
func isoDate(raw string) string {
	if v, p := simpleDate(raw); p != "" {
		return v
	}
	return raw
}

// simpleDate parses "02 Jan 2006", "Jan 2006" or "2006".
func simpleDate(s string) (value, precision string) {
	switch len(s) {
	case 4:
		if isDigits(s) {
			return s, entity.PrecisionYear
		}
	case 8: // "Jan 2006"
		if m := month(s[:3]); m != "" && s[3] == ' ' && isDigits(s[4:]) {
			return s[4:] + "-" + m, entity.PrecisionMonth
		}
	case 11: // "02 Jan 2006"
		if isDigits(s[:2]) && s[2] == ' ' && s[6] == ' ' && isDigits(s[7:]) {
			if m := month(s[3:6]); m != "" && s[:2] >= "01" && s[:2] <= "31" {
				return s[7:] + "-" + m + "-" + s[:2], entity.PrecisionDay
			}
		}
	}
	return "", ""
}

func month(s string) string {
	switch s {
	case "Jan":
		return "01"
	case "Feb":
		return "02"
	case "Mar":
		return "03"
	case "Apr":
		return "04"
	case "May":
		return "05"
	case "Jun":
		return "06"
	case "Jul":
		return "07"
	case "Aug":
		return "08"
	case "Sep":
		return "09"
	case "Oct":
		return "10"
	case "Nov":
		return "11"
	case "Dec":
		return "12"
	}
	return ""
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

// isPublishedDate reports whether s is a date as OFAC prints issue and
// expiry dates of documents.
func isPublishedDate(s string) bool {
	_, p := simpleDate(s)
	return p != ""
}

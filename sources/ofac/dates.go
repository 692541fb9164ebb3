package ofac

import (
	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// parseDate reads the date forms OFAC prints (XML dateOfBirth and the
// "DOB ..." remarks alike): "13 May 1965", "May 1965", "1962",
// "circa 1960", "1968 to 1970", "01 Jan 1953 to 31 Dec 1954",
// "circa 1979-1982". Raw is always kept.
func parseDate(raw string) entity.Date { return normalize.ParseDate(raw) }

// isoDate returns the ISO form of a single date ("10 Jul 1991" ->
// "1991-07-10", "1991" -> "1991"), or raw when it is not one.
func isoDate(raw string) string {
	if v, ok := normalize.ISODate(raw); ok {
		return v
	}
	return raw
}

// isPublishedDate reports whether s is a date as OFAC prints issue and
// expiry dates of documents.
func isPublishedDate(s string) bool {
	_, ok := normalize.ISODate(s)
	return ok
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

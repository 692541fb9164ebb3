package csl

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// record is one row of the list (one listing of one party), as either
// format prints it. The CSV joins what the JSON keeps apart: lists with
// "; ", an address's parts and an id's parts with ", "; csv.go splits
// them back (see splitAddresses and splitIDs), so that the mapper sees one
// shape. Values are cleaned by normalize.Text when they are read.
type record struct {
	id           string // _id (CSV) or id (JSON)
	source       string // the constituent list, as published
	entityNumber string // the OFAC uid, Treasury lists only
	typ          string // Individual, Entity, Vessel, Aircraft or empty
	programs     []string
	name         string
	titles       []string
	addresses    []address
	notice       string // federal_register_notice
	start, end   string // start_date, end_date
	order        string // standard_order (Denied Persons List: Y or N)
	licenseReq   string
	licensePol   string
	callSign     string
	vesselType   string
	tonnage      string // gross_tonnage
	grt          string // gross_registered_tonnage
	vesselFlag   string
	vesselOwner  string
	remarks      string
	listURL      string // source_list_url
	infoURL      string // source_information_url
	altNames     []string
	citizenships []string
	birthDates   []string
	nationality  []string
	birthPlaces  []string
	ids          []ident
	country      string // JSON only: a party's country printed beside its addresses

	line int // where the row starts, for issues
}

// address is one element of addresses. full is its parts joined by ", ",
// empty ones left out: the text the CSV prints for it, cleaned.
type address struct {
	street, city, state, postal, country string
	full                                 string
}

// ident is one element of ids. The CSV prints "type, number, country"
// and no dates.
type ident struct {
	typ, number, country, issued, expires string
}

// clean is normalize.Text of a published value, after reading C1 control
// characters (U+0080..U+009F) as the Windows-1252 characters whose bytes
// they are: the Entity List prints "Xi\u0092an" for "Xi’an", text that
// went through Windows-1252 as if it were Latin-1. normalize.Text would
// drop the control character and join the words. fixed says whether
// there was one to read.
func clean(s string) (_ string, fixed bool) {
	if !hasC1(s) {
		return normalize.Text(s), false
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0x80 && r <= 0x9f {
			if d := charmap.Windows1252.DecodeByte(byte(r)); !unicode.IsControl(d) && d != utf8.RuneError {
				r = d
			}
		}
		b.WriteRune(r)
	}
	return normalize.Text(b.String()), true
}

// c1Problem is the issue of a record with C1 controls read by clean.
const c1Problem = "C1 control characters read as the Windows-1252 characters they stand for (U+0092 as ’)"

// hasC1 reports whether s holds a C1 control character (UTF-8 C2 80..C2 9F).
func hasC1(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == 0xc2 && s[i+1] >= 0x80 && s[i+1] <= 0x9f {
			return true
		}
	}
	return false
}

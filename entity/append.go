package entity

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// AppendCanonical appends the entity's canonical JSON line (no trailing
// newline) to dst and returns the extended slice. The bytes are those
// encoding/json writes for e with HTML escaping off: fields in struct
// order, each omitted exactly when its tag says omitempty and it is empty.
// It allocates nothing but dst's growth, so callers encode into reused
// buffers. Call Canonicalize first.
func (e *Entity) AppendCanonical(dst []byte) []byte {
	return e.appendJSON(dst, true)
}

// AppendContent appends the canonical line without first_seen and
// last_changed: the published facts that ContentHash hashes.
func (e *Entity) AppendContent(dst []byte) []byte {
	return e.appendJSON(dst, false)
}

// appendJSON writes the entity; history says whether first_seen and
// last_changed are written. The leading fields have no omitempty, so every
// later field starts with a comma.
func (e *Entity) appendJSON(dst []byte, history bool) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, e.ID)
	dst = append(dst, `,"source":`...)
	dst = appendString(dst, e.Source)
	dst = append(dst, `,"source_id":`...)
	dst = appendString(dst, e.SourceID)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, string(e.Type))
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, e.Name)
	if len(e.Names) > 0 {
		dst = append(dst, `,"names":[`...)
		for i := range e.Names {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Names[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	if len(e.BirthDates) > 0 {
		dst = append(dst, `,"birth_dates":[`...)
		for i := range e.BirthDates {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.BirthDates[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = appendStrings(dst, `,"birth_places":[`, e.BirthPlaces)
	dst = appendCountries(dst, `,"nationalities":[`, e.Nationalities)
	dst = appendCountries(dst, `,"citizenships":[`, e.Citizenships)
	dst = optString(dst, 0, `"gender":`, e.Gender)
	dst = appendStrings(dst, `,"titles":[`, e.Titles)
	dst = appendStrings(dst, `,"positions":[`, e.Positions)
	if len(e.Addresses) > 0 {
		dst = append(dst, `,"addresses":[`...)
		for i := range e.Addresses {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Addresses[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	if len(e.Identifiers) > 0 {
		dst = append(dst, `,"identifiers":[`...)
		for i := range e.Identifiers {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Identifiers[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = appendStrings(dst, `,"programs":[`, e.Programs)
	if len(e.Listings) > 0 {
		dst = append(dst, `,"listings":[`...)
		for i := range e.Listings {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Listings[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = optString(dst, 0, `"listed_on":`, e.ListedOn)
	if e.Vessel != nil {
		dst = append(dst, `,"vessel":`...)
		dst = e.Vessel.appendJSON(dst)
	}
	if e.Aircraft != nil {
		dst = append(dst, `,"aircraft":`...)
		dst = e.Aircraft.appendJSON(dst)
	}
	dst = optString(dst, 0, `"remarks":`, e.Remarks)
	if len(e.Relations) > 0 {
		dst = append(dst, `,"relations":[`...)
		for i := range e.Relations {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Relations[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	dst = optString(dst, 0, `"cluster":`, e.Cluster)
	if len(e.Links) > 0 {
		dst = append(dst, `,"links":[`...)
		for i := range e.Links {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = e.Links[i].appendJSON(dst)
		}
		dst = append(dst, ']')
	}
	if history {
		dst = optString(dst, 0, `"first_seen":`, e.FirstSeen)
		dst = optString(dst, 0, `"last_changed":`, e.LastChanged)
	}
	return append(dst, '}')
}

func (n *Name) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"value":`...)
	dst = appendString(dst, n.Value)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, n.Kind)
	dst = optString(dst, 0, `"script":`, n.Script)
	dst = optString(dst, 0, `"lang":`, n.Lang)
	if p := n.Parts; p != nil {
		dst = append(dst, `,"parts":{`...)
		start := len(dst)
		dst = optString(dst, start, `"given":`, p.Given)
		dst = optString(dst, start, `"middle":`, p.Middle)
		dst = optString(dst, start, `"family":`, p.Family)
		dst = optString(dst, start, `"patronymic":`, p.Patronymic)
		dst = append(dst, '}')
	}
	dst = optString(dst, 0, `"ascii":`, n.ASCII)
	dst = optString(dst, 0, `"normalized":`, n.Normalized)
	dst = optString(dst, 0, `"note":`, n.Note)
	return append(dst, '}')
}

func (d *Date) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	start := len(dst)
	dst = optString(dst, start, `"value":`, d.Value)
	dst = optString(dst, start, `"precision":`, d.Precision)
	dst = optString(dst, start, `"from":`, d.From)
	dst = optString(dst, start, `"to":`, d.To)
	if d.Approximate {
		dst = comma(dst, start)
		dst = append(dst, `"approximate":true`...)
	}
	dst = optString(dst, start, `"calendar":`, d.Calendar)
	dst = optString(dst, start, `"raw":`, d.Raw)
	return append(dst, '}')
}

func (a *Address) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	start := len(dst)
	dst = optString(dst, start, `"full":`, a.Full)
	dst = optString(dst, start, `"street":`, a.Street)
	dst = optString(dst, start, `"city":`, a.City)
	dst = optString(dst, start, `"region":`, a.Region)
	dst = optString(dst, start, `"postal_code":`, a.PostalCode)
	dst = optString(dst, start, `"country":`, a.Country)
	dst = optString(dst, start, `"country_raw":`, a.CountryRaw)
	dst = optString(dst, start, `"country_former":`, a.CountryFormer)
	return append(dst, '}')
}

func (id *Identifier) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, id.Type)
	dst = append(dst, `,"value":`...)
	dst = appendString(dst, id.Value)
	dst = optString(dst, 0, `"raw":`, id.Raw)
	dst = optString(dst, 0, `"raw_type":`, id.RawType)
	dst = optString(dst, 0, `"country":`, id.Country)
	dst = optString(dst, 0, `"country_raw":`, id.CountryRaw)
	dst = optString(dst, 0, `"country_former":`, id.CountryFormer)
	dst = optString(dst, 0, `"issued":`, id.Issued)
	dst = optString(dst, 0, `"expires":`, id.Expires)
	if id.Valid != nil {
		if *id.Valid {
			dst = append(dst, `,"valid":true`...)
		} else {
			dst = append(dst, `,"valid":false`...)
		}
	}
	dst = optString(dst, 0, `"note":`, id.Note)
	return append(dst, '}')
}

func (v *VesselInfo) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	start := len(dst)
	dst = optString(dst, start, `"call_sign":`, v.CallSign)
	dst = optString(dst, start, `"type":`, v.Type)
	dst = optString(dst, start, `"flag":`, v.Flag)
	dst = optString(dst, start, `"owner":`, v.Owner)
	dst = optString(dst, start, `"tonnage":`, v.Tonnage)
	dst = optString(dst, start, `"gross_tons":`, v.GrossTons)
	dst = optString(dst, start, `"imo":`, v.IMO)
	dst = optString(dst, start, `"mmsi":`, v.MMSI)
	dst = optString(dst, start, `"year_built":`, v.YearBuilt)
	if len(v.FormerFlags) > 0 {
		dst = appendStrings(comma(dst, start), `"former_flags":[`, v.FormerFlags)
	}
	if len(v.OtherFlags) > 0 {
		dst = appendStrings(comma(dst, start), `"other_flags":[`, v.OtherFlags)
	}
	return append(dst, '}')
}

func (a *AircraftInfo) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	start := len(dst)
	dst = optString(dst, start, `"model":`, a.Model)
	dst = optString(dst, start, `"operator":`, a.Operator)
	dst = optString(dst, start, `"serial_number":`, a.SerialNumber)
	dst = optString(dst, start, `"tail_number":`, a.TailNumber)
	dst = optString(dst, start, `"built_date":`, a.BuiltDate)
	return append(dst, '}')
}

func (c *Country) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	start := len(dst)
	dst = optString(dst, start, `"code":`, c.Code)
	dst = optString(dst, start, `"former":`, c.Former)
	dst = optString(dst, start, `"qualifier":`, c.Qualifier)
	dst = optString(dst, start, `"raw":`, c.Raw)
	return append(dst, '}')
}

func (l *Listing) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"list":`...)
	dst = appendString(dst, l.List)
	dst = optString(dst, 0, `"list_name":`, l.ListName)
	dst = optString(dst, 0, `"authority":`, l.Authority)
	dst = appendStrings(dst, `,"programs":[`, l.Programs)
	dst = optString(dst, 0, `"start":`, l.Start)
	dst = optString(dst, 0, `"end":`, l.End)
	dst = optString(dst, 0, `"notice":`, l.Notice)
	dst = optString(dst, 0, `"license_requirement":`, l.LicenseRequirement)
	dst = optString(dst, 0, `"license_policy":`, l.LicensePolicy)
	dst = appendStrings(dst, `,"measures":[`, l.Measures)
	dst = optString(dst, 0, `"url":`, l.URL)
	return append(dst, '}')
}

func (r *Relation) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"type":`...)
	dst = appendString(dst, r.Type)
	dst = optString(dst, 0, `"target_id":`, r.TargetID)
	dst = optString(dst, 0, `"target_name":`, r.TargetName)
	return append(dst, '}')
}

func (l *LinkRef) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"id":`...)
	dst = appendString(dst, l.ID)
	dst = append(dst, `,"basis":`...)
	dst = appendString(dst, l.Basis)
	dst = append(dst, `,"score":`...)
	dst = appendFloat(dst, l.Score)
	return append(dst, '}')
}

// appendFloat writes f as encoding/json does: the shortest form that
// reads back as f, in exponent form only outside [1e-6, 1e21).
func appendFloat(dst []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// appendStrings writes an omitempty string array; open is its
// `,"key":[` prefix.
func appendStrings(dst []byte, open string, s []string) []byte {
	if len(s) == 0 {
		return dst
	}
	dst = append(dst, open...)
	for i, v := range s {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, v)
	}
	return append(dst, ']')
}

func appendCountries(dst []byte, open string, cs []Country) []byte {
	if len(cs) == 0 {
		return dst
	}
	dst = append(dst, open...)
	for i := range cs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = cs[i].appendJSON(dst)
	}
	return append(dst, ']')
}

// optString writes an omitempty string field: nothing when v is empty,
// else key (`"name":`) and v, after a comma unless dst ends where the
// object's first field would start. Objects whose first field is always
// written pass start 0: every optional field then follows a comma.
func optString(dst []byte, start int, key, v string) []byte {
	if v == "" {
		return dst
	}
	dst = comma(dst, start)
	dst = append(dst, key...)
	return appendString(dst, v)
}

// comma separates a field from the one before it; start is the offset
// just after the object's '{'.
func comma(dst []byte, start int) []byte {
	if len(dst) > start {
		dst = append(dst, ',')
	}
	return dst
}

// plain marks the bytes encoding/json copies unchanged with HTML escaping
// off: printable ASCII other than '"' and '\\'. Bytes from 0x80 start a
// UTF-8 sequence and are checked rune by rune.
var plain = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does with
// SetEscapeHTML(false): '"' and '\\' get a backslash, \b \f \n \r \t their
// short escapes, other control bytes \u00xx, each byte of invalid UTF-8
// becomes \ufffd, and U+2028 and U+2029 are escaped (JSONP safety);
// everything else, '<', '>' and '&' included, is copied. Runs of plain
// bytes are scanned eight at a time and copied with one append.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i, end := 0, 0; i < len(s); {
		if i >= end {
			if i+8 <= len(s) {
				i = skipPlainWords(s, i)
			}
			// exact checks up to the end of the word that failed
			end = i + 8
			if i == len(s) {
				break
			}
		}
		b := s[i]
		if plain[b] {
			i++
			continue
		}
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\u202`...)
				dst = append(dst, hexDigits[r&0xf])
			default:
				i += size
				continue
			}
			i += size
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		switch b {
		case '"', '\\':
			dst = append(dst, '\\', b)
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// skipPlainWords returns the offset of the first eight-byte word from i
// that holds a byte other than plain ones, or where fewer than eight bytes
// remain. Each word is tested at once: a byte has its high bit set after
// the test when it is non-ASCII, below 0x20, '"' or '\\' (the classic
// has-zero-byte and has-less-than tricks, exact for "some byte is").
func skipPlainWords(s string, i int) int {
	const ones = 0x0101010101010101
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		_ = w[7] // one bounds check for the eight loads
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		q, bs := x^(ones*'"'), x^(ones*'\\')
		if (x|(x-ones*0x20)&^x|(q-ones)&^q|(bs-ones)&^bs)&(ones*0x80) != 0 {
			break
		}
	}
	return i
}

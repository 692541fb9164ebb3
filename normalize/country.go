package normalize

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/biter777/countries"
	"golang.org/x/text/unicode/norm"
)

// CountryCode maps a country text as any publisher prints it to ISO 3166-1 alpha-2.
// ok=false means unmapped: the caller counts and lists it, never guesses.
//
// It accepts, in any case, spacing and punctuation:
//   - names: "Korea, North", "North Korea", "Iran (Islamic Republic of)",
//     "Congo, Democratic Republic of the", "Bahamas, The", "Côte d'Ivoire", "Türkiye";
//   - alpha-2 and alpha-3 codes, when the whole text is the code ("iq", "PAK",
//     "UK" → GB);
//   - nationality adjectives ("Afghan", "Saudi Arabian", "British"), alone or
//     followed by "passport", "citizenship", "national" or "nationality";
//   - regions OFAC prints as "Region: <name>" (Crimea → UA, Gaza → PS);
//   - a name followed by a parenthesis that only dates or places the fact
//     ("Indonesia (as at Dec. 2003)", "Libya (in custody)", "USSR (until 1991)").
//
// It does not map, and never guesses: texts that name no country or say it is
// unknown ("undetermined", "unknown", "stateless", "na", "-", "00"), more than one
// country ("Sudan/South Sudan"), a doubt or a denial ("Possibly Ethiopian",
// "Kuwaiti citizenship withdrawn in 2002", "Bahrain (citizenship revoked in
// Jan. 2015)"), parse leftovers ("Iran alt."), places below country level that
// are not in its tables (cities, disputed areas), and names whose code would be
// ambiguous ("Korea", "Congolese", "Czechoslovakia", "Serbia and Montenegro").
//
// Former states follow ISO 3166-3: where it names one successor that holds
// the whole former territory, the successor's code (Burma → MM, Zaire → CD,
// East Germany → DE); where the state dissolved, its former code if that code
// never denoted another state: AN (Netherlands Antilles), SU (USSR), YU
// (Yugoslavia); otherwise unmapped (CS was Czechoslovakia's and later Serbia
// and Montenegro's). It also returns XK (Kosovo), the user-assigned code the
// EU and the UK print. docs/countries.md lists the rules, country_overrides.go
// every override with its reason.
//
// A text is looked up whole in the override tables and the codes and names
// of github.com/biter777/countries; then the structural rules above (label,
// parenthesis, comma inversion, leading article, trailing "passport"...)
// split it and look the parts up the same way; a text no rule fits is asked
// of the library's alias list (ByName), which knows spelling variants.
func CountryCode(raw string) (code string, ok bool) {
	return countryTables().resolve(raw, 0)
}

// maxCountryDepth bounds how many structural rules one text goes through
// ("Bahamas, The" is inverted, then loses its article).
const maxCountryDepth = 3

// countryTabs holds the lookup tables CountryCode reads; built once.
type countryTabs struct {
	// codes maps an upper-case alpha-2 or alpha-3 code to alpha-2; "" marks a
	// code that must stay unmapped.
	codes map[string]string
	// names maps a countryKey to alpha-2; "" marks a known text that must
	// stay unmapped (and is not asked of the library).
	names map[string]string
	// regions maps the countryKey of a region OFAC prints after "Region:".
	regions map[string]string
	// valid holds every code CountryCode may return.
	valid map[string]bool
}

var countryTables = sync.OnceValue(func() *countryTabs {
	t, problems := buildCountryTables()
	if len(problems) > 0 {
		// The tables are static; TestCountryTables reports the same problems.
		panic("normalize: country tables: " + strings.Join(problems, "; "))
	}
	return t
})

// buildCountryTables builds the tables from the library and the overrides and
// returns the contradictions it found (an override giving two codes to one
// text, an override code nobody knows).
func buildCountryTables() (*countryTabs, []string) {
	t := &countryTabs{
		codes:   map[string]string{},
		names:   map[string]string{},
		regions: map[string]string{},
		valid:   map[string]bool{},
	}
	var problems []string
	for _, c := range countries.All() {
		a2, a3 := c.Alpha2(), c.Alpha3()
		if !isUpperCode(a2, 2) || !isUpperCode(a3, 3) {
			continue
		}
		t.valid[a2] = true
		t.codes[a2] = a2
		t.codes[a3] = a2
	}
	for _, c := range formerCodes() {
		t.valid[c] = true
	}
	for _, o := range codeOverrides() {
		if o.code != "" && !t.valid[o.code] {
			problems = append(problems, "code override "+o.text+" gives unknown code "+o.code)
		}
		t.codes[o.text] = o.code
	}
	seen := map[string]string{}
	for _, a := range nameOverrides() {
		for _, n := range a.names {
			k := string(countryKey(nil, n))
			if k == "" {
				problems = append(problems, "override "+n+" has an empty key")
				continue
			}
			if a.code != "" && !t.valid[a.code] {
				problems = append(problems, "override "+n+" gives unknown code "+a.code)
			}
			if prev, dup := seen[k]; dup && prev != a.code {
				problems = append(problems, "override "+n+" gives "+a.code+" and "+prev)
			}
			seen[k] = a.code
			t.names[k] = a.code
		}
	}
	for _, a := range regionOverrides() {
		for _, n := range a.names {
			k := string(countryKey(nil, n))
			if a.code != "" && !t.valid[a.code] {
				problems = append(problems, "region "+n+" gives unknown code "+a.code)
			}
			if prev, dup := seen[k]; dup && prev != a.code {
				problems = append(problems, "region "+n+" gives "+a.code+" and "+prev)
			}
			t.regions[k] = a.code
			// The same names printed alone ("West Bank", "Gaza").
			seen[k] = a.code
			t.names[k] = a.code
		}
	}
	// The library's own names come after the overrides, which win.
	for _, c := range countries.All() {
		a2 := c.Alpha2()
		if !t.valid[a2] {
			continue
		}
		k := string(countryKey(nil, c.String()))
		if _, done := t.names[k]; !done {
			t.names[k] = a2
		}
	}
	return t, problems
}

func isUpperCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// resolve maps one text; depth counts the structural rules applied so far.
func (t *countryTabs) resolve(raw string, depth int) (string, bool) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", false
	}
	if c, ok, known := t.code(s); known {
		return c, ok
	}
	var buf [64]byte
	key := countryKey(buf[:0], s)
	if len(key) == 0 {
		return "", false
	}
	// m[string(b)] does not allocate.
	if c, known := t.names[string(key)]; known {
		return c, c != ""
	}
	if depth < maxCountryDepth {
		if c, ok, applied := t.structure(s, depth); applied {
			return c, ok
		}
	}
	return t.library(key)
}

// code looks a text that is exactly two or three ASCII letters up as an
// alpha-2 or alpha-3 code; known=false sends it on to the name tables
// ("UAE" and "DRC" are abbreviations, not codes).
func (t *countryTabs) code(s string) (code string, ok, known bool) {
	if len(s) != 2 && len(s) != 3 {
		return "", false, false
	}
	var up [3]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		default:
			return "", false, false
		}
		up[i] = c
	}
	// The UN prints "na" for "not available"; only the upper-case code is
	// Namibia (the EU prints its codes in upper case).
	if len(s) == 2 && s != "NA" && (up[0] == 'N' && up[1] == 'A') {
		return "", false, true
	}
	c, known := t.codes[string(up[:len(s)])]
	return c, c != "", known
}

// library asks github.com/biter777/countries's alias list, which also knows
// spelling variants and some adjectives. Only for keys of letters (its
// textPrepare drops digits and everything after a parenthesis, which would
// turn "Singapore 188425" or "Bahrain (citizenship revoked)" into a name),
// of five letters or more (its short aliases are old and non-ISO codes), and
// of at most maxLibraryKey letters: its textPrepare costs about 100 ns a
// letter, and its longer aliases are names the tables hold already.
// Aliases it gets wrong or that are ambiguous are pinned in nameOverrides.
func (t *countryTabs) library(key []byte) (string, bool) {
	if len(key) < 5 || len(key) > maxLibraryKey {
		return "", false
	}
	for _, b := range key {
		if b < 'a' || b > 'z' {
			return "", false
		}
	}
	c := countries.ByName(strings.ToUpper(string(key)))
	if c == countries.Unknown {
		return "", false
	}
	a2 := c.Alpha2()
	if !t.valid[a2] {
		return "", false
	}
	return a2, true
}

// maxLibraryKey is the longest key asked of the library.
const maxLibraryKey = 32

// structure applies the first structural rule that fits s and looks the
// remaining text up; applied=false when no rule fits. A text a rule fits
// but whose parts do not map is unmapped: it is not asked of the library.
func (t *countryTabs) structure(s string, depth int) (code string, ok, applied bool) {
	// "Region: Crimea": OFAC's region notation; other labels are not read.
	if label, rest, found := strings.Cut(s, ":"); found {
		if !strings.EqualFold(strings.TrimSpace(label), "region") {
			return "", false, true
		}
		var buf [64]byte
		if c, known := t.regions[string(countryKey(buf[:0], rest))]; known {
			return c, c != "", true
		}
		code, ok = t.resolve(rest, depth+1)
		return code, ok, true
	}
	// "Indonesia (as at Dec. 2003)": a qualifier that dates or places the
	// fact; "Gambia (the)": ISO 3166's article.
	if i := strings.IndexByte(s, '('); i >= 0 {
		j := strings.LastIndexByte(s, ')')
		if j < i || strings.TrimRight(s[j+1:], ". ") != "" {
			return "", false, true
		}
		if q := strings.TrimSpace(s[i+1 : j]); !strings.EqualFold(q, "the") && !benignQualifier(q) {
			return "", false, true
		}
		code, ok = t.resolve(s[:i], depth+1)
		return code, ok, true
	}
	// "Korea, North", "Congo, Democratic Republic of the", "Bahamas, The".
	if a, b, found := strings.Cut(s, ","); found {
		if strings.Contains(b, ",") {
			return "", false, true
		}
		code, ok = t.resolve(strings.TrimSpace(b)+" "+strings.TrimSpace(a), depth+1)
		return code, ok, true
	}
	fields := strings.Fields(s)
	if len(fields) < 2 {
		return "", false, false
	}
	// "The Gambia".
	if strings.EqualFold(fields[0], "the") {
		code, ok = t.resolve(strings.Join(fields[1:], " "), depth+1)
		return code, ok, true
	}
	// "Indonesian passport", "Kuwaiti citizenship": the document or status
	// names the country. Only as the last word; the rest must map whole.
	switch strings.ToLower(strings.TrimRight(fields[len(fields)-1], ".")) {
	case "passport", "citizenship", "citizen", "national", "nationality":
		code, ok = t.resolve(strings.Join(fields[:len(fields)-1], " "), depth+1)
		return code, ok, true
	}
	return "", false, false
}

// benignQualifier reports whether a parenthesis after a country name only
// dates or places the fact ("as at Dec. 2003", "in custody", "until 1991").
// Doubts and denials ("possibly", "citizenship revoked ...") are not benign.
func benignQualifier(q string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if strings.ContainsAny(q, "()") {
		return false // "Kuwait (residence as at Mar 2009) (UN address)"
	}
	for _, p := range [...]string{
		"as at ", "as of ", "at time of listing", "in custody", "in detention",
		"in prison", "previous", "since ", "until ", "from ", "between ",
		// The former HMT list: where in the country, and when.
		"location as at ", "location as of ", "residence as at ", "residence as of ",
		"former location", "domicile", "headquarters", "head office", "branch",
	} {
		if strings.HasPrefix(q, p) || q == strings.TrimSpace(p) {
			return true
		}
	}
	return false
}

// countryKey appends to dst the match key of s: letters and digits only,
// lower case, accents removed (Côte → cote, Türkiye → turkiye), so that case,
// spacing and punctuation do not matter ("Guinea-Bissau" = "guineabissau",
// "Cote d Ivoire" = "Côte d’Ivoire").
func countryKey(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			dst = append(dst, c)
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		case c >= utf8.RuneSelf:
			return countryKeyUnicode(dst, s[i:])
		}
	}
	return dst
}

// countryKeyUnicode is countryKey's path for non-ASCII text: each rune is
// decomposed (NFD, from the normalization tables, without allocating) so
// that accents become marks, which are dropped.
func countryKeyUnicode(dst []byte, s string) []byte {
	for i, r := range s {
		if r < utf8.RuneSelf {
			dst = appendKeyRune(dst, r)
			continue
		}
		if d := norm.NFD.PropertiesString(s[i:]).Decomposition(); d != nil {
			for len(d) > 0 {
				dr, n := utf8.DecodeRune(d)
				d = d[n:]
				dst = appendKeyRune(dst, dr)
			}
			continue
		}
		dst = appendKeyRune(dst, r)
	}
	return dst
}

// appendKeyRune appends one decomposed rune to a key: ASCII letters and
// digits in lower case, other letters and digits folded, marks and
// everything else dropped.
func appendKeyRune(dst []byte, r rune) []byte {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return append(dst, byte(r))
	case r >= 'A' && r <= 'Z':
		return append(dst, byte(r)+'a'-'A')
	case r < utf8.RuneSelf, unicode.Is(unicode.Mn, r):
		return dst
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return appendFolded(dst, unicode.ToLower(r))
	}
	return dst
}

// appendFolded spells the Latin letters NFD does not decompose in ASCII
// and appends any other letter as it is.
func appendFolded(dst []byte, r rune) []byte {
	switch r {
	case 'ß':
		return append(dst, "ss"...)
	case 'æ':
		return append(dst, "ae"...)
	case 'œ':
		return append(dst, "oe"...)
	case 'ø':
		return append(dst, 'o')
	case 'đ', 'ð':
		return append(dst, 'd')
	case 'ł':
		return append(dst, 'l')
	case 'ı':
		return append(dst, 'i')
	case 'þ':
		return append(dst, "th"...)
	}
	return utf8.AppendRune(dst, r)
}

package normalize

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// SplitLastFirst splits OFAC's "LAST, First Middle" form. A value without
// a comma is returned whole as family. Organization names must not be
// split: "ACME, S.A." is one name.
func SplitLastFirst(s string) (family, given string) {
	family, given, ok := strings.Cut(s, ",")
	if !ok {
		return Text(s), ""
	}
	return Text(family), Text(given)
}

// Script returns the ISO 15924 code of the script most letters of s are
// written in ("Latn", "Cyrl", "Arab", ...), or "" when s has no letters.
func Script(s string) string {
	counts := map[string]int{}
	best, bestN := "", 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		code := scriptOf(r)
		counts[code]++
		if n := counts[code]; n > bestN || (n == bestN && code < best) {
			best, bestN = code, n
		}
	}
	return best
}

var scriptTables = []struct {
	code  string
	table *unicode.RangeTable
}{
	{"Latn", unicode.Latin},
	{"Cyrl", unicode.Cyrillic},
	{"Arab", unicode.Arabic},
	{"Grek", unicode.Greek},
	{"Hebr", unicode.Hebrew},
	{"Hang", unicode.Hangul},
	{"Hani", unicode.Han},
	{"Hira", unicode.Hiragana},
	{"Kana", unicode.Katakana},
	{"Thai", unicode.Thai},
	{"Geor", unicode.Georgian},
	{"Armn", unicode.Armenian},
	{"Deva", unicode.Devanagari},
	{"Beng", unicode.Bengali},
	{"Ethi", unicode.Ethiopic},
	{"Mymr", unicode.Myanmar},
	{"Khmr", unicode.Khmer},
	{"Tibt", unicode.Tibetan},
	{"Mong", unicode.Mongolian},
	{"Syrc", unicode.Syriac},
	{"Thaa", unicode.Thaana},
	{"Taml", unicode.Tamil},
	{"Sinh", unicode.Sinhala},
	{"Laoo", unicode.Lao},
}

func scriptOf(r rune) string {
	if r < 0x80 {
		return "Latn"
	}
	for _, st := range scriptTables {
		if unicode.Is(st.table, r) {
			return st.code
		}
	}
	return "Zyyy"
}

// foldMarks removes combining marks after canonical decomposition:
// "Müller" -> "Muller".
var foldMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// ASCII folds Latin text to ASCII by dropping diacritics and mapping the
// letters that do not decompose (ß, æ, ø, ł, đ, ...). Runes of other
// scripts are kept; it returns ok=false when any remain.
func ASCII(s string) (out string, ok bool) {
	if isASCII(s) {
		return s, true
	}
	folded, _, err := transform.String(foldMarks, s)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	ok = true
	for _, r := range folded {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		if rep, found := latinSpecial[r]; found {
			b.WriteString(rep)
			continue
		}
		if unicode.In(r, unicode.Pd) {
			b.WriteByte('-')
			continue
		}
		if unicode.In(r, unicode.Pi, unicode.Pf) {
			b.WriteByte('\'')
			continue
		}
		ok = false
		b.WriteRune(r)
	}
	return b.String(), ok
}

var latinSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "SS", 'æ': "ae", 'Æ': "AE", 'ø': "o", 'Ø': "O", 'œ': "oe", 'Œ': "OE",
	'ł': "l", 'Ł': "L", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th",
	'ı': "i", 'ħ': "h", 'Ħ': "H", 'ŋ': "ng", 'Ŋ': "NG", 'ʻ': "'", 'ʼ': "'", 'ʿ': "'", 'ʾ': "'",
	'‘': "'", '’': "'", '“': "\"", '”': "\"",
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// MatchKey is the comparison form of a name: ASCII where the script allows,
// lower case, punctuation folded to spaces, white space collapsed.
func MatchKey(s string) string {
	a, _ := ASCII(s)
	var b strings.Builder
	b.Grow(len(a))
	space := false
	for _, r := range a {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '.':
			// Apostrophes and dots join: "O'BRIEN" -> "obrien", "S.A." -> "sa".
		default:
			space = true
		}
	}
	return b.String()
}

// Name builds a name entry: the value cleaned, its script, its ASCII form
// when that differs from the value, and its match key.
func Name(value, kind string) entity.Name {
	v := Text(value)
	n := entity.Name{Value: v, Kind: kind, Script: Script(v), Normalized: MatchKey(v)}
	if a, ok := ASCII(v); ok && a != v {
		n.ASCII = a
	}
	return n
}

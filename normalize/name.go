package normalize

import (
	"strings"
	"unicode"

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
	// Counts by index into scriptTables; the last slot is Zyyy. A fixed
	// array: this runs for every name of every entity.
	var counts [len(scriptTables) + 1]int
	best, bestN := -1, 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		i := scriptIndex(r)
		counts[i]++
		if n := counts[i]; n > bestN || (n == bestN && scriptCode(i) < scriptCode(best)) {
			best, bestN = i, n
		}
	}
	if best < 0 {
		return ""
	}
	return scriptCode(best)
}

func scriptCode(i int) string {
	if i == len(scriptTables) {
		return "Zyyy"
	}
	return scriptTables[i].code
}

var scriptTables = [...]struct {
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

func scriptIndex(r rune) int {
	// The blocks of the lists' scripts whose letters are all of one
	// script, before the tables (Script runs for every name).
	switch {
	case r < 0x80, r >= 0x00C0 && r <= 0x024F:
		return 0 // Latn
	case r >= 0x0400 && r <= 0x052F:
		return 1 // Cyrl
	case r >= 0x0620 && r <= 0x06FF && r != 0x0640:
		return 2 // Arab (U+0640 tatweel is Common)
	case r >= 0x4E00 && r <= 0x9FFF:
		return 6 // Hani
	case r >= 0xAC00 && r <= 0xD7A3:
		return 5 // Hang
	}
	for i, st := range scriptTables {
		if unicode.Is(st.table, r) {
			return i
		}
	}
	return len(scriptTables)
}

// ASCII folds Latin text to ASCII by dropping diacritics and mapping the
// letters that do not decompose (ß, æ, ø, ł, đ, ...). Only Latin letters
// are folded: "й" is a letter of its own, not "и" with a mark. Runes of
// other scripts are kept; it returns ok=false when any remain.
func ASCII(s string) (out string, ok bool) {
	if isASCII(s) {
		return s, true
	}
	var b strings.Builder
	ok = true
	for _, r := range norm.NFC.String(s) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case latinSpecial[r] != "":
			b.WriteString(latinSpecial[r])
		case unicode.Is(unicode.Latin, r):
			base := foldLatin(r)
			if base == "" {
				ok = false
				b.WriteRune(r)
			} else {
				b.WriteString(base)
			}
		case unicode.In(r, unicode.Pd):
			b.WriteByte('-')
		case unicode.In(r, unicode.Pi, unicode.Pf):
			b.WriteByte('\'')
		case unicode.Is(unicode.Mn, r):
			// A mark left over after NFC on a Latin base: drop it.
		default:
			ok = false
			b.WriteRune(r)
		}
	}
	return b.String(), ok
}

// foldLatin returns the ASCII letters a Latin rune decomposes to ("é" ->
// "e"), or "" when it has no ASCII base.
func foldLatin(r rune) string {
	var out []byte
	for _, d := range norm.NFD.String(string(r)) {
		if d < 0x80 {
			out = append(out, byte(d))
		} else if !unicode.Is(unicode.Mn, d) {
			return ""
		}
	}
	return string(out)
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
// lower case, punctuation folded to spaces, white space collapsed. Other
// scripts are kept as they are ("сергей шойгу"); MatchKeyFor transliterates
// them and folds legal forms and honorifics.
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
// when that differs from the value (Latin text only), and its match key
// (MatchKey). NameFor is the same with transliteration of every script and
// the typed match key; Name keeps the forms the sources' own tests expect.
func Name(value, kind string) entity.Name {
	an := splitAnnotations(Text(value))
	v := an.value
	n := entity.Name{Value: v, Kind: kind, Script: Script(v), Normalized: MatchKey(v)}
	applyAnnotations(&n, an)
	if a, ok := ASCII(v); ok && a != v {
		n.ASCII = a
	}
	return n
}

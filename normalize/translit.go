package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode/table"
	"golang.org/x/text/unicode/norm"
)

// Transliterate returns a Latin-ASCII form of s, for display and matching;
// the original stays the name's value. By script:
//
//   - Latin: diacritics dropped and the letters that do not decompose
//     mapped (ß -> ss, ł -> l), as ASCII does, and ə -> a (Azerbaijani);
//   - Cyrillic: ICAO Doc 9303 Part 3, the system of the visual zone of
//     passports (Щ -> SHCH, Ж -> ZH, Й -> I, Х -> KH, Ц -> TS, Ъ -> IE,
//     Ь dropped, Ю -> IU, Я -> IA; Є -> IE, Ї -> I, Ґ -> G, Ў -> U), in the
//     multinational form of the table; see TransliterateLang for the
//     language remarks. Apostrophes between Cyrillic letters are dropped;
//   - Greek: ELOT 743 (ISO 843 type 2), the system of Greek passports;
//   - every other script: the unidecode tables (github.com/mozillazg/
//     go-unidecode), with the fixes of unidecodeFixes: Arabic and Hebrew
//     as consonant skeletons ("عبد اللطيف" -> "`bd alltyf"), Armenian,
//     Thai, kana, Ethiopic and Indic scripts letter by letter;
//   - Han: Hanyu Pinyin without tones, syllable by syllable, in the
//     common reading of each character (github.com/mozillazg/go-pinyin)
//     with the word readings of han.go ("沈忠" -> "Shen Zhong", "朝鲜" ->
//     "Chao Xian", "金正恩" -> "Jin Zheng En");
//   - Georgian: the national system of 2002 without its apostrophes, as
//     Georgian passports print it ("ბიძინა" -> "bidzina");
//   - Hangul: McCune-Reischauer without diacritics and apostrophes, as
//     the lists print DPRK names, syllable by syllable ("최룡해" -> "choe
//     ryong hae", "조선" -> "cho son"; in a person's name, which only
//     NameFor and MatchKeyFor know, "김정은" -> "kim jong un"): hangul.go.
//
// Han and Hangul syllables are separated by spaces, as the lists print
// Chinese and Korean names; letters of caseless scripts come out in small
// letters.
//
// Capitals stay capitals: "ШОЙГУ" -> "SHOIGU", "Шойгу" -> "Shoigu". ok is
// false when a letter or digit could not be transliterated; it is then left
// in the result as it is. ASCII input is returned unchanged, so the result
// of a successful call transliterates to itself.
func Transliterate(s string) (ascii string, ok bool) {
	return transliterate(s, icaoDefault)
}

// TransliterateLang is Transliterate with the language remarks of the ICAO
// Doc 9303 Cyrillic table for the language of s: Ukrainian И -> Y;
// Belarusian Г -> H, Ё -> IO; Bulgarian Щ -> SHT; Serbian Г -> H, Ж -> Z,
// Х -> H, Ц -> C, Ч -> C, Ш -> S; Macedonian Х -> H, Ц -> C, Ѓ -> GJ,
// Ќ -> KJ, Џ -> DJ. lang is an ISO 639-1 or 639-2 code or an English
// language name, as EU nameLanguage ("UK") and UK NonLatinScriptLanguage
// ("Ukrainian") print it; any other language gives Transliterate(s).
func TransliterateLang(s, lang string) (ascii string, ok bool) {
	return transliterate(s, cyrillicFor(lang))
}

func transliterate(s string, cyr cyrillicTable) (string, bool) {
	if isASCII(s) {
		return s, true
	}
	return transliterateNFC(norm.NFC.String(s), cyr)
}

// transliterateNFC is transliterate for s already in NFC (as Text returns it).
func transliterateNFC(s string, cyr cyrillicTable) (string, bool) {
	return transliterateName(s, cyr, false)
}

// transliterateName is transliterateNFC for a name; person says it is a
// person's, whose first Han character is read as a surname (han.go).
func transliterateName(s string, cyr cyrillicTable, person bool) (string, bool) {
	if isASCII(s) {
		return s, true
	}
	rs := []rune(s)
	w := tw{buf: make([]byte, 0, len(s)+len(s)/2)}
	ok := true
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case isApostrophe(r) && i > 0 && i+1 < len(rs) && isCyrillicLetter(rs[i-1]) && isCyrillicLetter(rs[i+1]):
			// Ukrainian and Belarusian apostrophe: not transliterated.
		case r < utf8.RuneSelf:
			w.writeByte(byte(r))
		case isGreek(r) && unicode.IsLetter(r):
			j := i + 1
			for j < len(rs) && ((isGreek(rs[j]) && unicode.IsLetter(rs[j])) || unicode.Is(unicode.Mn, rs[j])) {
				j++
			}
			var g strings.Builder
			if !appendGreek(&g, rs[i:j]) {
				ok = false
			}
			w.write(g.String())
			i = j
			continue
		case isCyrillicLetter(r):
			if !w.cyrillic(rs, i, cyr) && !w.generic(r, cyr) {
				ok = false
			}
		case latinSpecial[r] != "":
			w.write(latinSpecial[r])
		case latinExtra[r] != "":
			w.write(latinExtra[r])
		case unicode.Is(unicode.Latin, r):
			if base := foldLatinFast(r); base != "" {
				w.write(base)
			} else if !w.generic(r, cyr) {
				ok = false
			}
		case r >= hangulFirst && r <= hangulLast:
			w.syllable(hangulMR(r, person))
		case unicode.Is(unicode.Han, r):
			i = w.han(rs, i, person && !w.hanSeen)
			w.hanSeen = true
			continue
		case unicode.Is(unicode.Mn, r):
			// A mark on a Latin, Cyrillic or Greek base is dropped (NFC has
			// composed what it could); vowel signs of abjads and Indic
			// scripts are transliterated.
			if i > 0 && !droppedMarkBase(rs[i-1]) {
				w.write(unidecodeRune(r))
			}
		case isMiddleDot(r):
			w.writeByte(' ')
		case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
			w.writeByte(' ')
		case unicode.Is(unicode.Pd, r):
			w.writeByte('-')
		case r == '«' || r == '»' || r == '„' || r == '‟':
			w.writeByte('"')
		case unicode.In(r, unicode.Pi, unicode.Pf):
			w.writeByte('\'')
		case unicode.In(r, unicode.Cc, unicode.Cf):
			// Controls and format characters (ZWNJ, RLM, BOM): dropped.
		case r == utf8.RuneError:
			// U+FFFD: the publisher's encoding lost a character. Nothing
			// is there to transliterate; the rest is, and the pipeline
			// reports where in the file it stands
			// (sources.ReportReplacementChars).
		default:
			if !w.generic(r, cyr) {
				ok = false
			}
		}
		i++
	}
	return string(w.buf), ok && !w.failed
}

// tw accumulates a transliteration. Han and Hangul syllables are written
// with a space between them and next to Latin letters and digits.
type tw struct {
	buf           []byte
	afterSyllable bool
	hanSeen       bool // a run of Han characters was written
	failed        bool // a Han character had no reading
}

func (w *tw) writeByte(c byte) {
	if w.afterSyllable && startsWord(c) {
		w.buf = append(w.buf, ' ')
	}
	w.afterSyllable = false
	w.buf = append(w.buf, c)
}

func (w *tw) write(s string) {
	if s == "" {
		return
	}
	if w.afterSyllable && startsWord(s[0]) {
		w.buf = append(w.buf, ' ')
	}
	w.afterSyllable = false
	w.buf = append(w.buf, s...)
}

func (w *tw) syllable(s string) {
	if n := len(w.buf); n > 0 && endsWord(w.buf[n-1]) {
		w.buf = append(w.buf, ' ')
	}
	w.buf = append(w.buf, s...)
	w.afterSyllable = true
}

func startsWord(c byte) bool {
	return isAlnum(c) || c == '(' || c == '[' || c == '{' || c >= utf8.RuneSelf
}

func endsWord(c byte) bool {
	return isAlnum(c) || c == ')' || c == ']' || c == '}' || c >= utf8.RuneSelf
}

func isAlnum(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// cyrillic writes the ICAO form of rs[i]; false when the table does not
// have the letter.
func (w *tw) cyrillic(rs []rune, i int, cyr cyrillicTable) bool {
	e := cyr.lookup(rs[i])
	switch {
	case !e.found:
		return false
	case !e.capital:
		w.write(e.lower)
	case len(e.upper) <= 1 || capitalsAround(rs, i):
		w.write(e.upper)
	default:
		w.write(e.title)
	}
	return true
}

// capitalsAround reports whether the letter after rs[i] (or, when none
// follows, the one before it) is a capital: "ШОЙГУ" -> "SHOIGU" but
// "Шойгу" -> "Shoigu" and "Щ." -> "Shch.".
func capitalsAround(rs []rune, i int) bool {
	if i+1 < len(rs) && unicode.IsLetter(rs[i+1]) {
		return unicode.IsUpper(rs[i+1])
	}
	if i > 0 && unicode.IsLetter(rs[i-1]) {
		return unicode.IsUpper(rs[i-1])
	}
	return false
}

// generic writes the unidecode form of r, trying its small letter and its
// compatibility decomposition (presentation forms, ligatures, full-width
// forms) when r itself has none. It reports false, and writes r as is, for
// a letter or digit it cannot transliterate; other runes without a form
// (symbols, modifier letters such as the Arabic tatweel) are dropped.
func (w *tw) generic(r rune, cyr cyrillicTable) bool {
	v := lookupRune(r)
	if v == "" {
		if l := unicode.ToLower(r); l != r {
			v = lookupRune(l)
		}
	}
	if v == "" {
		// Only runes with a compatibility decomposition; their NFKC form
		// has none, so this recurses once at most.
		src := string(r)
		if k := norm.NFKC.String(src); k != src && norm.NFKD.String(src) != norm.NFD.String(src) {
			if a, ok := transliterate(k, cyr); ok {
				v = a
			}
		}
	}
	if v == "" {
		if (unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r)) || unicode.IsNumber(r) {
			w.write(string(r))
			return false
		}
		return true
	}
	if unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsLower(r) && !unicode.IsTitle(r) {
		v = strings.ToLower(v) // caseless script: unidecode's capitals mark emphatics
	}
	w.write(v)
	return true
}

// unidecodeFixes replaces the unidecode entries that are empty or wrong
// for letters of the lists' scripts. Arabic follows the ASCII form of
// BGN/PCGN: alif a (unidecode: nothing), alif with hamza a / i, hamza ',
// alif maqsura a (unidecode "~"), ta marbuta a (unidecode "@"), ghayn gh;
// Persian keheh k (unidecode "kh") and zhe zh (unidecode "j"). Ethiopic ኢ
// follows its row ('a, 'u, 'ee, ...).
var unidecodeFixes = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'ٱ': "a", 'ء': "'", 'ى': "a", 'ة': "a",
	'غ': "gh", 'ک': "k", 'ژ': "zh", 'ـ': "",
	'ኢ': "'i",
	// Cyrillic letters of minority languages unidecode lacks: the letter
	// they are built on. Schwa is a, as for the Latin ə.
	'Ә': "A", 'ә': "a", 'Ӛ': "A", 'ӛ': "a", 'Ҋ': "I", 'ҋ': "i", 'Ӆ': "L", 'ӆ': "l",
	'Ӊ': "N", 'ӊ': "n", 'Ӎ': "M", 'ӎ': "m", 'ӏ': "`", 'Ӷ': "G", 'ӷ': "g",
	'Ӻ': "G", 'ӻ': "g", 'Ӽ': "Kh", 'ӽ': "kh", 'Ӿ': "Kh", 'ӿ': "kh",
	// Georgian, national system (2002) without apostrophes; unidecode
	// writes ძ z', წ c, ხ x, ღ g'.
	'ა': "a", 'ბ': "b", 'გ': "g", 'დ': "d", 'ე': "e", 'ვ': "v", 'ზ': "z",
	'თ': "t", 'ი': "i", 'კ': "k", 'ლ': "l", 'მ': "m", 'ნ': "n", 'ო': "o",
	'პ': "p", 'ჟ': "zh", 'რ': "r", 'ს': "s", 'ტ': "t", 'უ': "u", 'ფ': "p",
	'ქ': "k", 'ღ': "gh", 'ყ': "q", 'შ': "sh", 'ჩ': "ch", 'ც': "ts", 'ძ': "dz",
	'წ': "ts", 'ჭ': "ch", 'ხ': "kh", 'ჯ': "j", 'ჰ': "h",
}

// lookupRune returns the fixed or the unidecode form of r.
func lookupRune(r rune) string {
	if v, ok := unidecodeFixes[r]; ok {
		return v
	}
	return unidecodeRune(r)
}

// unidecodeRune returns the unidecode table entry for r, "" when it has none.
func unidecodeRune(r rune) string {
	if r > 0xeffff {
		return ""
	}
	tb, ok := table.Tables[r>>8]
	if !ok {
		return ""
	}
	if i := int(r & 0xff); i < len(tb) {
		return tb[i]
	}
	return ""
}

func isCyrillicLetter(r rune) bool {
	switch {
	case r < 0x0400:
		return false
	case r <= 0x052F: // Cyrillic and Cyrillic Supplement: all Cyrillic script
		return r < 0x0482 || r > 0x0489 // U+0482..0489: a sign and combining marks
	}
	return unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ'
}

func isMiddleDot(r rune) bool {
	return r == '·' || r == '・' || r == '‧' || r == '･'
}

// droppedMarkBase reports whether combining marks after r are dropped.
func droppedMarkBase(r rune) bool {
	return r < utf8.RuneSelf || unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek)
}

// latinExtra maps Latin letters that ASCII leaves alone (it keeps the
// existing ASCII contract) but that names from the lists use.
var latinExtra = map[rune]string{
	'ə': "a", 'Ə': "A", // Azerbaijani: "Əliyev" is printed ALIYEV in passports
	'ɨ': "i", 'ʔ': "'", 'ꞌ': "'", 'Ꞌ': "'",
}

// latinFold caches foldLatin for Latin-1 Supplement to Latin Extended-B.
var latinFold = func() (t [0x250 - 0xC0]string) {
	for r := rune(0xC0); r < 0x250; r++ {
		if unicode.Is(unicode.Latin, r) {
			t[r-0xC0] = foldLatin(r)
		}
	}
	return t
}()

func foldLatinFast(r rune) string {
	if r >= 0xC0 && r < 0x250 {
		return latinFold[r-0xC0]
	}
	return foldLatin(r)
}

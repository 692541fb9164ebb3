package normalize

import (
	"strings"
	"unicode"
)

// icaoCyrillic is the transliteration of Cyrillic letters of ICAO Doc 9303
// ("Machine Readable Travel Documents", Part 3, section 6, "Transliteration
// of multinational Cyrillic characters"): the system Russian, Belarusian and
// other passports print in their visual zone. Keys are capital letters;
// small letters use the same entry in lower case.
//
// The table's own remarks give other values for some languages; they are in
// icaoLang and apply only through TransliterateLang. Two entries need a
// word:
//   - Ь (soft sign) is not in the table: it is not transliterated.
//   - The table lists Һ (U+04BA) as C and has no Ћ (U+040B); the Serbian
//     line of the same table transliterates Ћ as C, so Ћ is C here too.
//     Һ keeps the table's C, even though Bashkir, Tatar and Kazakh read it
//     as h.
//
// Letters outside the table (Kazakh Қ, Tajik Ҷ, ...) fall back to the
// unidecode tables.
var icaoCyrillic = map[rune]string{
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Д': "D", 'Е': "E", 'Ё': "E",
	'Ж': "ZH", 'З': "Z", 'И': "I", 'Й': "I", 'К': "K", 'Л': "L", 'М': "M",
	'Н': "N", 'О': "O", 'П': "P", 'Р': "R", 'С': "S", 'Т': "T", 'У': "U",
	'Ф': "F", 'Х': "KH", 'Ц': "TS", 'Ч': "CH", 'Ш': "SH", 'Щ': "SHCH",
	'Ъ': "IE", 'Ы': "Y", 'Ь': "", 'Э': "E", 'Ю': "IU", 'Я': "IA",
	'І': "I",  // U+0406, Ukrainian and Belarusian
	'Ї': "I",  // U+0407, Ukrainian
	'Є': "IE", // U+0404, Ukrainian
	'Ґ': "G",  // U+0490, Ukrainian
	'Ў': "U",  // U+040E, Belarusian
	'Ѵ': "Y",  // U+0474
	'Ѫ': "U",  // U+046A
	'Ѓ': "G",  // U+0403, Macedonian
	'Ђ': "D",  // U+0402, Serbian
	'Ѕ': "DZ", // U+0405, Macedonian
	'Ј': "J",  // U+0408, Serbian and Macedonian
	'Ќ': "K",  // U+040C, Macedonian
	'Љ': "LJ", // U+0409
	'Њ': "NJ", // U+040A
	'Һ': "C",  // U+04BA, as the table prints it
	'Џ': "DZ", // U+040F
	'Ћ': "C",  // U+040B, not in the table; its Serbian line has C
}

// icaoLang holds the language remarks of the ICAO Doc 9303 Cyrillic table:
// the values that replace the multinational ones for a language. The
// Serbian Г -> H is the table's (Serbian Latin writes G); it is kept as
// published.
var icaoLang = map[string]map[rune]string{
	"be": {'Г': "H", 'Ё': "IO"},
	"bg": {'Щ': "SHT"},
	"mk": {'Х': "H", 'Ц': "C", 'Ѓ': "GJ", 'Ќ': "KJ", 'Џ': "DJ"},
	"sr": {'Г': "H", 'Ж': "Z", 'Х': "H", 'Ц': "C", 'Ч': "C", 'Ш': "S"},
	"uk": {'И': "Y"},
}

// langCode reduces the language forms publishers print (ISO 639-1 "uk",
// ISO 639-2 "ukr", English "Ukrainian") to the ISO 639-1 code icaoLang
// uses; "" when the language has no remarks in the table.
func langCode(lang string) string {
	switch strings.ToLower(strings.TrimSpace(lang)) {
	case "be", "bel", "belarusian", "belorussian", "byelorussian":
		return "be"
	case "bg", "bul", "bulgarian":
		return "bg"
	case "mk", "mkd", "mac", "macedonian":
		return "mk"
	case "sr", "srp", "scc", "serbian":
		return "sr"
	case "uk", "ukr", "ukrainian":
		return "uk"
	}
	return ""
}

// cased holds a transliteration in the three forms a letter's case and
// its neighbours call for: "SHCH" in a word in capitals, "Shch" for a
// capital in a small word, "shch" for a small letter.
type cased struct{ upper, title, lower string }

func newCased(v string) cased {
	c := cased{upper: v, lower: strings.ToLower(v)}
	if v != "" {
		c.title = v[:1] + strings.ToLower(v[1:])
	}
	return c
}

// cyrillicTable is icaoCyrillic with one language's remarks applied, in
// cased forms, indexed by rune - 0x400 for capitals and small letters (the
// table's letters are all in the Cyrillic block); built once per language.
type cyrillicTable struct{ letters *[0x100]cyrillicEntry }

type cyrillicEntry struct {
	cased
	found   bool
	capital bool // the entry of the capital letter
}

func newCyrillicTable(lang map[rune]string) cyrillicTable {
	var t [0x100]cyrillicEntry
	set := func(r rune, v string) {
		c := newCased(v)
		t[r-0x400] = cyrillicEntry{cased: c, found: true, capital: true}
		t[unicode.ToLower(r)-0x400] = cyrillicEntry{cased: c, found: true}
	}
	for r, v := range icaoCyrillic {
		set(r, v)
	}
	for r, v := range lang {
		set(r, v)
	}
	return cyrillicTable{&t}
}

// lookup returns the entry of a Cyrillic letter.
func (t cyrillicTable) lookup(r rune) cyrillicEntry {
	if r < 0x400 || r >= 0x500 {
		return cyrillicEntry{}
	}
	return t.letters[r-0x400]
}

var (
	icaoDefault = newCyrillicTable(nil)
	icaoByLang  = func() map[string]cyrillicTable {
		m := map[string]cyrillicTable{}
		for code, remarks := range icaoLang {
			m[code] = newCyrillicTable(remarks)
		}
		return m
	}()
)

// cyrillicFor returns the table for a language (ISO 639 code or English
// name); the multinational one for a language without remarks.
func cyrillicFor(lang string) cyrillicTable {
	if t, ok := icaoByLang[langCode(lang)]; ok {
		return t
	}
	return icaoDefault
}

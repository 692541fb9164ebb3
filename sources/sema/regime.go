package sema

import (
	"strings"
	"unicode"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// regime is what a record's Country says: the regulation it is listed
// under, named by the country it targets ("Burma / Birmanie") or by itself
// ("Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)
// / Règlement ..."). It names the regime, not the party's nationality.
type regime struct {
	raw     string // as printed, white space collapsed
	english string // the part before the French one
	key     string // the stable key of ids and listings ("burma", "jvcfor")
	known   bool   // the key comes from knownRegimes
}

// knownRegimes maps the slug of a regulation's English name to its key.
// Every Country of the 2020 file is here, and those other parsers report
// from the current file (Belarus to Extremist Settler Violence). A table,
// so that a name the publisher changes keeps its key where the change is
// known ("Burma" became "Myanmar (Burma)": both are burma, and the ids of
// the 89 Burma listings stay), and so that a regulation never seen is
// reported once.
var knownRegimes = map[string]string{
	"burma":                      "burma",
	"myanmar-burma":              "burma",
	"myanmar":                    "burma",
	"iran":                       "iran",
	"nicaragua":                  "nicaragua",
	"russia":                     "russia",
	"south-sudan":                "south-sudan",
	"syria":                      "syria",
	"ukraine":                    "ukraine",
	"venezuela":                  "venezuela",
	"zimbabwe":                   "zimbabwe",
	"belarus":                    "belarus",
	"haiti":                      "haiti",
	"china":                      "china",
	"moldova":                    "moldova",
	"guatemala":                  "guatemala",
	"sri-lanka":                  "sri-lanka",
	"sudan":                      "sudan",
	"hamas-terrorist-attacks":    "hamas-terrorist-attacks",
	"extremist-settler-violence": "extremist-settler-violence",
	"justice-for-victims-of-corrupt-foreign-officials-regulations-jvcfor": "jvcfor",
	"justice-for-victims-of-corrupt-foreign-officials-regulations":        "jvcfor",
	"jvcfor": "jvcfor",
}

// parseRegime reads a Country value.
func parseRegime(raw string) regime {
	r := regime{raw: normalize.Text(raw)}
	r.english = englishPart(r.raw, " / ")
	s := slug(r.english)
	if k, ok := knownRegimes[s]; ok {
		r.key, r.known = k, true
	} else {
		r.key = s
	}
	return r
}

// englishPart is the English half of a bilingual "English <sep> French"
// value: the text before the first sep, or, when sep is not there, before
// the first sep without its spaces ("Major General/major-général"); the
// whole text when neither is, or when either half would be empty.
func englishPart(s, sep string) string {
	for _, cut := range []string{sep, strings.TrimSpace(sep)} {
		if en, fr, ok := strings.Cut(s, cut); ok {
			en, fr = strings.TrimSpace(en), strings.TrimSpace(fr)
			if en != "" && fr != "" {
				return en
			}
		}
	}
	return s
}

// slug is s in lower-case ASCII, runs of anything but letters and digits
// one hyphen, none at either end: "Russia" and "RUSSIA " give "russia",
// "1, Part 2" gives "1-part-2", "1.1" gives "1-1" (not "11", which is
// another schedule). Letters without an ASCII form are kept, lower-cased.
func slug(s string) string {
	a, _ := normalize.ASCII(normalize.Text(s))
	var b strings.Builder
	b.Grow(len(a))
	gap := false
	for _, r := range strings.ToLower(a) {
		if isAlnum(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			gap = false
			b.WriteRune(r)
			continue
		}
		gap = true
	}
	return b.String()
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r > 0x7f && (unicode.IsLetter(r) || unicode.IsDigit(r)))
}

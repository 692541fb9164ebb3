package normalize

import (
	"slices"
	"strings"
	"unicode"
)

// FormerCountry gives the ISO 3166-3 code of a code CountryCode returns for
// a state that dissolved without one successor holding its whole territory
// (AN Netherlands Antilles → ANHH: Curaçao, Sint Maarten and the BES
// islands; SU USSR → SUHH: fifteen states; YU Yugoslavia → YUCS). Such a
// code is not a current ISO 3166-1 code: callers keep the text, leave the
// current code empty and record the former one, so that no consumer reads
// "SU" as a country of today.
func FormerCountry(code string) (iso3166_3 string, ok bool) {
	iso3166_3, ok = formerStates[code]
	return iso3166_3, ok
}

var formerStates = map[string]string{"AN": "ANHH", "SU": "SUHH", "YU": "YUCS"}

// CountryQualified maps a country text whose country CountryCode finds
// only once qualifying words are set aside: a doubt ("Possibly Ethiopian"),
// how the status was acquired or lost ("Sudanese by birth", "Bahrain
// (citizenship revoked in Jan. 2015)", "Kuwaiti citizenship withdrawn in
// 2002"), an alternative that names no country ("Iran / unknown"). It
// returns the country's code and the words set aside; ok=false when the
// text maps whole (use CountryCode) or does not map this way.
//
// The words set aside must all be qualifier vocabulary (qualifierWord):
// "Guinea Bisau" does not become Guinea, "Sudan/South Sudan" and "United
// States. Also believed to hold Syrian nationality" (two countries) stay
// unmapped. Of the splits that work, the shortest country part wins, so the
// qualifier keeps "citizenship" in "citizenship withdrawn in 2002".
//
// Written here because no country library reads qualified texts; the
// vocabulary is what the real lists print (docs/countries.md).
func CountryQualified(raw string) (code, qualifier string, ok bool) {
	if _, whole := CountryCode(raw); whole {
		return "", "", false
	}
	words := qualifierTokens(raw)
	if len(words) < 2 || len(words) > maxQualifiedWords {
		return "", "", false
	}
	for n := 1; n < len(words); n++ {
		// The country first, the qualifier after it.
		if allQualifierWords(words[n:]) {
			if c, ok := CountryCode(strings.Join(words[:n], " ")); ok && c != "" {
				return c, qualifierText(words[n:]), true
			}
		}
		// The qualifier first ("possibly Palestinian").
		if allQualifierWords(words[:len(words)-n]) {
			if c, ok := CountryCode(strings.Join(words[len(words)-n:], " ")); ok && c != "" {
				return c, qualifierText(words[:len(words)-n]), true
			}
		}
	}
	return "", "", false
}

// maxQualifiedWords bounds the texts CountryQualified tries (each split is
// a CountryCode lookup).
const maxQualifiedWords = 16

// qualifierTokens splits s into words, with '(', ')' and '/' as words of
// their own.
func qualifierTokens(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		for f != "" {
			i := strings.IndexAny(f, "()/")
			if i < 0 {
				out = append(out, f)
				break
			}
			if i > 0 {
				out = append(out, f[:i])
			}
			out = append(out, f[i:i+1])
			f = f[i+1:]
		}
	}
	return out
}

func allQualifierWords(words []string) bool {
	for _, w := range words {
		if !qualifierWord(w) {
			return false
		}
	}
	return len(words) > 0
}

// qualifierWord reports whether w may stand beside a country as a
// qualifier: a doubt, how citizenship was held or lost, when, or "unknown".
func qualifierWord(w string) bool {
	w = strings.ToLower(strings.TrimRight(w, ".,;"))
	if w == "" || w == "(" || w == ")" || w == "/" {
		return true
	}
	if strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return true // a year or a day
	}
	if monthNumber(w) != "" {
		return true
	}
	return qualifierVocabulary[w]
}

var qualifierVocabulary = map[string]bool{
	"possibly": true, "probably": true, "reportedly": true, "allegedly": true, "believed": true,
	"to": true, "be": true, "likely": true, "unconfirmed": true, "unknown": true, "or": true,
	"by": true, "birth": true, "descent": true, "origin": true, "naturalized": true, "naturalised": true,
	"citizenship": true, "nationality": true, "citizen": true, "national": true,
	"revoked": true, "withdrawn": true, "stripped": true, "renounced": true, "lost": true, "cancelled": true,
	"in": true, "since": true, "until": true, "on": true, "of": true, "as": true, "at": true,
}

// qualifierText joins the words set aside, without the punctuation that
// only separated them from the country.
func qualifierText(words []string) string {
	s := strings.Join(words, " ")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "( ", "("), " )", ")")
	return strings.Trim(s, "()/ .,;")
}

// formerSuccessors are the states ISO 3166-3 names as the successors of
// each dissolved state FormerCountry knows.
var formerSuccessors = map[string][]string{
	"ANHH": {"CW", "SX", "BQ"},
	"SUHH": {"AM", "AZ", "BY", "EE", "GE", "KZ", "KG", "LV", "LT", "MD", "RU", "TJ", "TM", "UA", "UZ"},
	"YUCS": {"BA", "HR", "ME", "MK", "RS", "SI", "XK"},
}

// FormerSuccessor gives the successor of a dissolved state that one of
// parts (an address's comma-separated parts) names: "Curacao" in
// "Willemstad, Curacao, Netherlands Antilles" makes ANHH certain as CW.
// Parts naming two successors, or none, give ok=false.
func FormerSuccessor(former string, parts []string) (code string, ok bool) {
	for _, p := range parts {
		c, found := CountryCode(p)
		if !found || !slices.Contains(formerSuccessors[former], c) {
			continue
		}
		if code != "" && code != c {
			return "", false
		}
		code = c
	}
	return code, code != ""
}

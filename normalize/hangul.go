package normalize

// Hangul is romanized in McCune-Reischauer (1939) without its diacritics
// and apostrophes, the way the lists print DPRK names (KIM JONG UN, CHOE
// RYONG HAE, PAK PONG JU, RI PYONG CHOL) and DPRK usage has it: ŏ and ŭ
// are o and u, the aspirates k' t' p' ch' are k t p ch. No Go library for
// Korean romanization is served here (github.com/suapapa/go_hangul and
// github.com/go-ego/gpy were refused by the module proxy), so the jamo
// tables are written out below; syllables are decomposed by the Unicode
// algorithm (The Unicode Standard, chapter 3.12: S = 0xAC00 + (L*21 + V)*28
// + T).
//
// Choices, measured on the Latin names of the DPRK entries of OFAC SDN
// 2021-07-07, UN 2026-02-27 and DFAT 2026-02-24 (the corpus has no Hangul
// to measure them on directly):
//   - syllable by syllable, each read as at the start of a word, without
//     the voicing McCune-Reischauer applies inside a word: the lists print
//     given names one syllable a word (PONG 10 times, BONG 6; KYONG 22,
//     GYONG 0; TONG 22, DONG 0);
//   - ㄹ at the start of a syllable is r, as DPRK usage keeps it (RI 80
//     times, LI 6, YI 0; RYONG, RYU); at its end l;
//   - ㅈ is j in persons' names (JONG 21, CHONG 12; JANG, JO, JU) and ch in
//     others' (CHOSON 7, JOSON 0: 조선, the DPRK's name for Korea);
//   - ㅓ o (JONG, CHOL, YONG, HYON: no EO or U spelling), ㅡ u (UN 20, EUN
//     3), ㅚ oe (CHOE 19, CHOI 1), 박 pak (PAK 52, PARK 3).
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
)

var (
	// Initials in order: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ; ㅈ and ㅉ
	// are mrInitialJ's in persons' names.
	mrInitial = [19]string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"}
	// Medials: ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ.
	mrMedial = [21]string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	// Finals, as they sound at the end of a syllable: none, ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ
	// ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ.
	mrFinal = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

const (
	jamoJ  = 12 // ㅈ
	jamoJJ = 13 // ㅉ
)

// hangulMR writes one syllable; person selects the j of persons' names.
func hangulMR(r rune, person bool) string {
	i := int(r - hangulFirst)
	l, v, t := i/(21*28), i/28%21, i%28
	initial := mrInitial[l]
	if person {
		switch l {
		case jamoJ:
			initial = "j"
		case jamoJJ:
			initial = "jj"
		}
	}
	return initial + mrMedial[v] + mrFinal[t]
}

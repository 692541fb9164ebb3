package normalize

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Greek is transliterated by ELOT 743 (ISO 843 type 2, the system of Greek
// passports): η -> i, υ -> y, χ -> ch, ου -> ou; αυ, ευ, ηυ -> av, ev, iv
// before vowels and voiced consonants and af, ef, if elsewhere; γγ -> ng,
// γκ -> gk, γξ -> nx, γχ -> nch; μπ -> b at the start or end of a word and
// mp inside it. Accents are dropped; a diaeresis (or an accent on the first
// vowel) keeps two vowels apart.

// greekLetters maps the small letters to their Latin form.
var greekLetters = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i",
	'θ': "th", 'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x",
	'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y",
	'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
	// Symbol forms of the same letters.
	'ϐ': "v", 'ϑ': "th", 'ϕ': "f", 'ϖ': "p", 'ϰ': "k", 'ϱ': "r", 'ϲ': "s", 'ϵ': "e",
}

// gLetter is one Greek letter of a word with its marks.
type gLetter struct {
	src        rune // as written
	base       rune // small letter without marks
	upper      bool
	accent     bool // tonos, oxia, varia or perispomeni
	diaeresis  bool
	translated bool // base is in greekLetters
}

// isGreek reports whether r belongs to the Greek blocks ELOT 743 covers.
func isGreek(r rune) bool {
	return (r >= 0x0370 && r <= 0x03FF) || (r >= 0x1F00 && r <= 0x1FFF)
}

// greekWord splits a Greek word (letters and combining marks) into letters.
func greekWord(word []rune) []gLetter {
	out := make([]gLetter, 0, len(word))
	for _, r := range word {
		if unicode.Is(unicode.Mn, r) {
			if len(out) > 0 {
				markGreek(&out[len(out)-1], r)
			}
			continue
		}
		l, ok := greekDecomposed[r]
		if !ok {
			l = decomposeGreek(r)
		}
		l.src = r
		out = append(out, l)
	}
	return out
}

// greekDecomposed holds decomposeGreek of the Greek blocks' letters.
var greekDecomposed = func() map[rune]gLetter {
	m := map[rune]gLetter{}
	for _, b := range [][2]rune{{0x0370, 0x03FF}, {0x1F00, 0x1FFF}} {
		for r := b[0]; r <= b[1]; r++ {
			if unicode.IsLetter(r) {
				m[r] = decomposeGreek(r)
			}
		}
	}
	return m
}()

func decomposeGreek(r rune) gLetter {
	l := gLetter{src: r}
	for i, d := range []rune(norm.NFD.String(string(r))) {
		if i == 0 {
			l.upper = unicode.IsUpper(d)
			l.base = unicode.ToLower(d)
			continue
		}
		markGreek(&l, d)
	}
	_, l.translated = greekLetters[l.base]
	return l
}

func markGreek(l *gLetter, m rune) {
	switch m {
	case 0x0308: // diaeresis
		l.diaeresis = true
	case 0x0301, 0x0300, 0x0342: // tonos/oxia, varia, perispomeni
		l.accent = true
	}
}

func greekVowel(r rune) bool {
	return strings.ContainsRune("αεηιουω", r)
}

// greekVoiced lists what makes αυ, ευ, ηυ read av, ev, iv: vowels and the
// voiced consonants.
func greekVoiced(r rune) bool {
	return greekVowel(r) || strings.ContainsRune("βγδζλμνρ", r)
}

// appendGreek writes the ELOT 743 form of one Greek word (a run of Greek
// letters and marks); ok is false when a letter has no Latin form (it is
// then written as is).
func appendGreek(b *strings.Builder, word []rune) (ok bool) {
	ls := greekWord(word)
	ok = true
	for i := 0; i < len(ls); {
		l := ls[i]
		if !l.translated {
			ok = false
			b.WriteRune(l.src)
			i++
			continue
		}
		if i+1 < len(ls) && ls[i+1].translated {
			if two, found := greekPair(ls, i); found {
				writeCased(b, two, l.upper, l.upper && ls[i+1].upper)
				i += 2
				continue
			}
		}
		writeCased(b, greekLetters[l.base], l.upper, l.upper && neighbourUpper(ls, i, 1))
		i++
	}
	return ok
}

// greekPair returns the Latin form of the two letters at i when ELOT 743
// reads them together.
func greekPair(ls []gLetter, i int) (string, bool) {
	l, n := ls[i], ls[i+1]
	switch {
	case (l.base == 'α' || l.base == 'ε' || l.base == 'η') && n.base == 'υ' && !n.diaeresis && !l.accent:
		v := "f"
		if i+2 < len(ls) && greekVoiced(ls[i+2].base) {
			v = "v"
		}
		return greekLetters[l.base] + v, true
	case l.base == 'ο' && n.base == 'υ' && !n.diaeresis && !l.accent:
		return "ou", true
	case l.base == 'γ':
		switch n.base {
		case 'γ':
			return "ng", true
		case 'κ':
			return "gk", true
		case 'ξ':
			return "nx", true
		case 'χ':
			return "nch", true
		}
	case l.base == 'μ' && n.base == 'π':
		if i == 0 || i+2 == len(ls) {
			return "b", true
		}
		return "mp", true
	}
	return "", false
}

// neighbourUpper reports whether the letter after the n letters at i (or,
// at the end of the word, the one before them) is a capital.
func neighbourUpper(ls []gLetter, i, n int) bool {
	if j := i + n; j < len(ls) {
		return ls[j].upper
	}
	if i > 0 {
		return ls[i-1].upper
	}
	return false
}

// writeCased writes lower-case v in the case of its source: as is for a
// small letter, in capitals inside a word in capitals ("SHCH"),
// capitalized otherwise ("Shch").
func writeCased(b *strings.Builder, v string, upper, allUpper bool) {
	switch {
	case v == "" || !upper:
		b.WriteString(v)
	case allUpper || len(v) == 1:
		b.WriteString(strings.ToUpper(v))
	default:
		b.WriteString(strings.ToUpper(v[:1]))
		b.WriteString(v[1:])
	}
}

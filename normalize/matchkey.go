package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// MatchKeyFor is the comparison form of a name of an entity of type t:
// Transliterate(s) in lower case, dots, apostrophes and backticks joined
// ("O'BRIEN" -> "obrien", "S.A." -> "sa"), "&" read as "and", any other
// punctuation a word break, white space collapsed. Then, by type:
//
//   - organization: runs of one-letter words joined ("S. A." -> "sa"), and
//     legal forms folded to one token each: LLC, OOO, "Limited Liability
//     Company", "Obshchestvo s Ogranichennoi Otvetstvennostyu" -> llc; JSC,
//     AO, OAO, ZAO, PAO, OJSC, CJSC, PJSC, "Open Joint Stock Company",
//     "Aktsionernoe Obshchestvo" -> jsc; "Sociedad Anonima" -> sa; "S.A.
//     de C.V." -> sadecv; Limited -> ltd; Company -> co; "Co., Ltd.",
//     "Company Limited" -> coltd; Corporation -> corp; Incorporated -> inc;
//     "Pvt. Ltd.", "Pte. Ltd." -> pvtltd; FZ-LLC -> fzllc; and the others
//     of legalform.go;
//   - person: honorifics dropped (Mr, Dr, Sheikh, Haji, Mullah, Maulavi,
//     General, Colonel, ...), as whole words, unless nothing else is left;
//   - vessel, aircraft, unknown: nothing more.
//
// Names of more than 64 words are not folded (see maxFoldWords).
//
// The result is ASCII when Transliterate(s) succeeds; letters it could not
// transliterate are kept in lower case. MatchKeyFor(MatchKeyFor(s, t), t)
// == MatchKeyFor(s, t).
func MatchKeyFor(s string, t entity.Type) string {
	a, _ := Transliterate(s)
	return matchKey(a, t)
}

// NameFor builds the names[] entry for value, a name of an entity of type
// t: the value as published (NFC, white space collapsed), its script, its
// Latin-ASCII transliteration when that differs from the value, and its
// match key (MatchKeyFor).
func NameFor(value, kind string, t entity.Type) entity.Name {
	v := Text(value)
	n := entity.Name{Value: v, Kind: kind, Script: Script(v)}
	a, ok := transliterateNFC(v, icaoDefault)
	if ok && a != v {
		n.ASCII = Text(a)
	}
	n.Normalized = matchKey(a, t)
	return n
}

func matchKey(a string, t entity.Type) string {
	var stack [192]byte
	k := appendMatchKey(stack[:0], a)
	switch t {
	case entity.Organization:
		if hasLegalForm(k) {
			return fixpoint(string(k), true)
		}
	case entity.Person:
		if hasHonorific(k) {
			return fixpoint(string(k), false)
		}
	}
	return string(k)
}

// appendMatchKey appends the type-independent match key of a to dst.
func appendMatchKey(dst []byte, a string) []byte {
	start := len(dst)
	space := false // a word break is pending
	word := func() {
		if space && len(dst) > start {
			dst = append(dst, ' ')
		}
		space = false
	}
	for i := 0; i < len(a); {
		c := a[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				word()
				dst = append(dst, c)
			case 'A' <= c && c <= 'Z':
				word()
				dst = append(dst, c+'a'-'A')
			case c == '\'' || c == '.' || c == '`':
				// Joined: "O'BRIEN" -> "obrien", "S.A." -> "sa", "`bd" -> "bd".
			case c == '&':
				space = true
				word()
				dst = append(dst, "and"...)
				space = true
			default:
				space = true
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(a[i:])
		i += n
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			word()
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
			// Marks left on letters that were not transliterated.
		default:
			space = true
		}
	}
	return dst
}

// maxFoldWords bounds the names fixpoint folds. A pass may enable another
// ("open open joint stock company"), so the passes of a name of n words
// cost O(n²); the longest name of the corpus has 25 words. A longer name is
// left as it is, which keeps MatchKeyFor idempotent: folding only shortens.
const maxFoldWords = 64

// fixpoint applies foldLegalForms (org) or dropHonorifics until the key no
// longer changes, so that the result is a fixed point (MatchKeyFor is
// idempotent). A pass that would leave nothing keeps the key it was given.
// Every pass that changes the key removes at least one word, so this ends.
func fixpoint(key string, org bool) string {
	var a, b [32]string
	for {
		toks := appendFields(a[:0], key)
		if len(toks) > maxFoldWords {
			return key
		}
		var out []string
		if org {
			out = foldLegalForms(toks, b[:0])
		} else {
			out = dropHonorifics(toks, b[:0])
		}
		if len(out) == 0 {
			return key
		}
		next := strings.Join(out, " ")
		if next == key {
			return key
		}
		key = next
	}
}

func appendFields(dst []string, key string) []string {
	for key != "" {
		w, rest, _ := strings.Cut(key, " ")
		if w != "" {
			dst = append(dst, w)
		}
		key = rest
	}
	return dst
}

// hasLegalForm reports whether the key of an organization name has a word
// that foldLegalForms may change; the common case is answered without
// allocating.
func hasLegalForm(k []byte) bool {
	prevOne := false
	for len(k) > 0 {
		w := k
		if i := indexByte(k, ' '); i >= 0 {
			w, k = k[:i], k[i+1:]
		} else {
			k = nil
		}
		one := len(w) == 1 && w[0] >= 'a' && w[0] <= 'z'
		if one && prevOne {
			return true
		}
		prevOne = one
		if _, ok := legalWords[string(w)]; ok {
			return true
		}
		if _, ok := legalTable[string(w)]; ok {
			return true
		}
	}
	return false
}

func hasHonorific(k []byte) bool {
	for len(k) > 0 {
		w := k
		if i := indexByte(k, ' '); i >= 0 {
			w, k = k[:i], k[i+1:]
		} else {
			k = nil
		}
		if honorifics[string(w)] {
			return true
		}
		if _, ok := honorificTable[string(w)]; ok {
			return true
		}
	}
	return false
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// foldLegalForms is one pass over the words of an organization name: runs
// of one-letter words joined, legalWords applied, legalPhrases folded
// (longest first).
func foldLegalForms(toks, out []string) []string {
	// Join runs of one-letter words: "s a de c v" -> "sa de cv".
	var buf [32]string
	merged := buf[:0]
	for i := 0; i < len(toks); {
		j := i
		for j < len(toks) && isOneLetter(toks[j]) {
			j++
		}
		if j-i >= 2 {
			merged = append(merged, strings.Join(toks[i:j], ""))
			i = j
			continue
		}
		merged = append(merged, toks[i])
		i++
	}
	for i, w := range merged {
		if c, ok := legalWords[w]; ok {
			merged[i] = c
		}
	}
	for i := 0; i < len(merged); {
		if p, ok := legalTable.match(merged, i); ok {
			out = append(out, p.token)
			i += 1 + len(p.rest)
			continue
		}
		out = append(out, merged[i])
		i++
	}
	return out
}

func isOneLetter(w string) bool {
	return len(w) == 1 && w[0] >= 'a' && w[0] <= 'z'
}

// dropHonorifics is one pass over the words of a person's name.
func dropHonorifics(toks, out []string) []string {
	for i := 0; i < len(toks); {
		if p, ok := honorificTable.match(toks, i); ok {
			i += 1 + len(p.rest)
			continue
		}
		if !honorifics[toks[i]] {
			out = append(out, toks[i])
		}
		i++
	}
	return out
}

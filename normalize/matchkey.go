package normalize

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"golang.org/x/text/unicode/norm"
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
	k := keyText(s, t)
	if isASCII(k) {
		return matchKey(k, t)
	}
	a, _ := transliterateName(norm.NFC.String(k), icaoDefault, t == entity.Person)
	return matchKey(a, t)
}

// NameFor builds the names[] entry for value, a name of an entity of type
// t: the value as published (NFC, white space collapsed), its script, its
// Latin-ASCII transliteration when that differs from the value, and its
// match key (MatchKeyFor).
func NameFor(value, kind string, t entity.Type) entity.Name {
	an := splitAnnotations(Text(value))
	v := an.value
	n := entity.Name{Value: v, Kind: kind, Script: Script(v)}
	applyAnnotations(&n, an)
	person := t == entity.Person
	a, ok := transliterateName(v, icaoDefault, person)
	if ok && a != v {
		n.ASCII = Text(a)
	}
	if k := keyText(v, t); k != v {
		a, _ = transliterateName(k, icaoDefault, person)
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
		if _, ok := orgWords[string(w)]; ok {
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
		} else if c, ok := orgWords[w]; ok {
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

// keyText is the part of value a match key is built from: value without
// the parenthesized groups that are not part of the name. Those are the
// annotations the lists print inside names (see nameAnnotations) and, in
// an organization's name, an acronym of the words before it ("GENERAL
// BUREAU OF ATOMIC ENERGY (GBAE)", UN KPe.007, is "GENERAL BUREAU OF
// ATOMIC ENERGY" in DFAT). The name's value keeps them; only its key
// drops them, so that the spellings with and without meet. A group that
// would leave nothing is kept. A key has no parentheses, so this changes
// nothing on a key and MatchKeyFor stays idempotent.
func keyText(value string, t entity.Type) string {
	if strings.IndexByte(value, '(') < 0 {
		return value
	}
	var b strings.Builder
	rest := value
	changed := false
	for {
		open := strings.IndexByte(rest, '(')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], ')')
		if end < 0 {
			break
		}
		end += open
		group := rest[open+1 : end]
		before := b.String() + rest[:open]
		if isAnnotation(group) || (t == entity.Organization && isAcronymOf(group, before)) {
			b.WriteString(rest[:open])
			b.WriteByte(' ')
			changed = true
		} else {
			b.WriteString(rest[:end+1])
		}
		rest = rest[end+1:]
	}
	if !changed {
		return value
	}
	b.WriteString(rest)
	out := b.String()
	if strings.TrimSpace(out) == "" {
		return value
	}
	return out
}

// nameAnnotations are what the lists print in parentheses inside a name
// to say what the name is, not part of it, as the group's first words:
// "هيئة تحرير الشام (original script)" and "Abu Muhammad (original
// script: Абу Мухаммад)" (UN), "Abdul Baqi (previously listed as)",
// "Yassin Sywal (formerly listed as)", "Abu Bakr al-Jaziri (Previously
// listed as. In Arabic: ...)", "El Para (combat name)", "Encep Nurjaman
// (birth name)", "Romeo (Call sign)", "AA (initials)", "Hilarion Santos,
// III (third)", "Abdel Ilah Sabri (false identity related to ...)", the
// language label of "ኤርሚኣስ ግርማይ (Tigrinya)" (DFAT 2026-02-24) and
// another name of the party, "(f.k.a. ...)", "(a.k.a. ...)" (trade.gov
// CSL). splitAnnotations takes them out of the name's value.
var nameAnnotations = []string{
	"original script", "previously listed as", "formerly listed as",
	"combat name", "birth name", "call sign", "initials", "third",
	"false identity", "tigrinya", "f.k.a.", "a.k.a.",
}

func isAnnotation(group string) bool {
	g := strings.ToLower(strings.TrimSpace(group))
	for _, a := range nameAnnotations {
		if rest, ok := strings.CutPrefix(g, a); ok && (rest == "" || !isASCIILetter(rest[0])) {
			return true
		}
	}
	return false
}

func isASCIILetter(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// isAcronymOf reports whether group is an acronym of the words of before:
// one word of 2 to 8 Latin letters (dots, hyphens, slashes and ampersands
// allowed: "M.S.P.", "ISIL-GS", "LRM/A"), capitalized with at least two
// capitals ("JuA"), whose letters occur in order in before, the first as a
// word's initial. That takes initials ("ATOMIC ENERGY (GBAE)") and the
// syllable acronyms the lists use ("NAFTIRAN INTERTRADE CO. (NICO)",
// "BUTEMBO AIRLINES (BAL)", "Vnesheconombank (VEB)"). Kept, as part of the
// name: a word of before repeated ("PASDARAN-E ENGHELAB-E ISLAMI
// (PASDARAN)"), a country ("(HK)", "(U.K.)", "(USA)") and a legal form
// ("(PVT.) LTD", "(PTY) LTD", "(GMBH)"), which the key folds instead.
func isAcronymOf(group, before string) bool {
	g := strings.TrimSpace(group)
	var letters []byte
	capitals := 0
	for i := 0; i < len(g); i++ {
		c := g[i]
		switch {
		case 'A' <= c && c <= 'Z':
			capitals++
			letters = append(letters, c)
		case 'a' <= c && c <= 'z':
			letters = append(letters, c-'a'+'A')
		case c == '.' || c == '-' || c == '/' || c == '&':
		default:
			return false
		}
	}
	if len(letters) < 2 || len(letters) > 8 || capitals < 2 || g[0] < 'A' || g[0] > 'Z' {
		return false
	}
	lower := strings.ToLower(string(letters))
	if _, ok := legalWords[lower]; ok || legalTokens[lower] {
		return false
	}
	if _, ok := CountryCode(g); ok {
		return false
	}
	words := strings.FieldsFunc(strings.ToUpper(before), func(r rune) bool { return r > unicode.MaxASCII || !isASCIILetter(byte(r)) })
	if slices.Contains(words, string(letters)) {
		return false
	}
	for i, w := range words {
		if w[0] != letters[0] {
			continue
		}
		j := 0
		for _, x := range words[i:] {
			for k := 0; k < len(x) && j < len(letters); k++ {
				if x[k] == letters[j] {
					j++
				}
			}
		}
		if j == len(letters) {
			return true
		}
	}
	return false
}

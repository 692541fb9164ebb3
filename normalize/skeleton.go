package normalize

import (
	"strings"
	"unicode"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"golang.org/x/text/unicode/norm"
)

// SkeletonKey is a looser key than MatchKeyFor, for comparing a name
// across scripts, Arabic with its Latin spellings above all: unvocalized
// Arabic writes no short vowels, so "عبد اللطيف" and "Abdul Latif" cannot
// share a match key, but they share a skeleton ("bdltf"). It is not stored
// in entities: different parties share skeletons far more often than keys
// ("Ali", "Aly" and "Ola" are all "l"), so a linker uses it only together
// with a second agreeing fact (birth date, nationality, an identifier).
//
// The skeleton is built word by word from the Latin words of
// MatchKeyFor(value, t), or, for a word in Arabic script, from the word
// with its article (ال) taken off ("اللطيف", "عبدالرحمن", "نورالدين") and
// then transliterated; the titles حاجی, الحاج, ملا, مولوی, الشيخ are left
// out as MatchKeyFor leaves Haji, Mullah, Maulavi, Sheikh out of Latin
// names. In a Latin word the article al, el, il, ul is dropped ("al-Latif")
// and abdul, abdel, abdol, abdal read as abd ("Abdul Rahman" = عبد
// الرحمن). Of each word only the consonants stay: the vowels a e i o u
// go, and w and y too (in Arabic they write the long vowels ū and ī:
// يوسف is "ywsf", Yusuf "ysf"), and a final h (ة, the feminine ending:
// "Fatimah" = فاطمة, not the h of "Tantoush"). Of what is left, so that
// both scripts read alike:
//   - doubled letters single ("Mohammed" / "Muhamad");
//   - kh, sh, th, gh one consonant each (written K, S, T, G); ch and the
//     French dj read as sh and j ("Alouche" = علوش, "Djermane" = جرمان),
//     dh and zh as z (ذ, ظ: "Dahir" / "Zahir" = ظاهر), ph as f;
//   - q as k ("Qaeda" / "Kaeda"), g as j (the Egyptian "Gamal" = جمال), c
//     as k.
//
// Then the words are joined without spaces ("Abdullah" is one word, عبد
// الله two) and doubled letters made single again (the sun letters of
// "ad-Dawa" / الدعوة).
//
// The result is lower-case ASCII apart from K, S, T and G, when
// Transliterate succeeds on value. It is a comparison value, not a name:
// SkeletonKey of a skeleton is not in general the skeleton.
func SkeletonKey(value string, t entity.Type) string {
	v := keyText(Text(value), t)
	var cons []byte
	if !hasArabic(v) {
		for _, w := range strings.Fields(MatchKeyFor(v, t)) {
			cons = appendLatinWord(cons, w)
		}
	} else {
		words := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) })
		for _, w := range words {
			if !hasArabic(w) {
				for _, lw := range strings.Fields(MatchKeyFor(w, t)) {
					cons = appendLatinWord(cons, lw)
				}
				continue
			}
			w = arabicWord(norm.NFKC.String(w))
			if w == "" {
				continue
			}
			a, _ := Transliterate(w)
			cons = appendWord(cons, strings.ToLower(a), false)
		}
	}
	return string(single(cons))
}

func hasArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// arabicTitles are the Arabic-script forms of the honorifics MatchKeyFor
// drops from Latin names, as the UN and DFAT print them.
var arabicTitles = map[string]bool{
	"حاجی": true, "حاجي": true, "حاجى": true, "الحاج": true, "ملا": true, "الملا": true,
	"مولوی": true, "مولوي": true, "شيخ": true, "الشيخ": true, "قاري": true, "قاری": true,
}

// arabicWord returns an Arabic word without its article, or "" for a title.
func arabicWord(w string) string {
	if arabicTitles[w] {
		return ""
	}
	const al = "ال"
	rs := []rune(w)
	if strings.HasPrefix(w, al) && len(rs) > 3 {
		w = strings.TrimPrefix(w, al)
	}
	// عبدال... (عبدالرحمن written as one word), ...الدين, ...الله.
	if rest, ok := strings.CutPrefix(w, "عبد"+al); ok && rest != "" {
		w = "عبد" + rest
	}
	for _, suffix := range []string{al + "دين", al + "دین", al + "له"} {
		if head, ok := strings.CutSuffix(w, suffix); ok && head != "" {
			w = head + strings.TrimPrefix(suffix, al)
		}
	}
	// A final ه or ح, as a Latin word's final h is dropped ("Salih" =
	// صالح, "Abdullah" = عبد الله); not the h of a final ش or خ.
	for _, h := range []string{"ه", "ح"} {
		if head, ok := strings.CutSuffix(w, h); ok && head != "" {
			w = head
			break
		}
	}
	return w
}

// appendLatinWord appends the skeleton of one word of a Latin match key.
func appendLatinWord(dst []byte, w string) []byte {
	switch w {
	case "al", "el", "il", "ul":
		return dst
	}
	for _, p := range []string{"abdul", "abdel", "abdol", "abdal"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			w = "abd" + rest
			break
		}
	}
	return appendWord(dst, w, true)
}

// appendWord appends the skeleton of one word: its letters and digits but
// the vowels, w and y, and, when finalH, a final h that does not end a
// digraph ("Salih", not "Tantoush"), with its digraphs folded (see
// SkeletonKey). A transliterated Arabic word has lost its final ه and ح
// in arabicWord; its final h is that of sh, kh, ....
func appendWord(dst []byte, w string, finalH bool) []byte {
	var buf [64]byte
	c := buf[:0]
	for i := 0; i < len(w); i++ {
		x := w[i]
		switch {
		case x == 'a' || x == 'e' || x == 'i' || x == 'o' || x == 'u' || x == 'w' || x == 'y':
		case 'a' <= x && x <= 'z', '0' <= x && x <= '9', x >= 0x80:
			c = append(c, x)
		}
	}
	if n := len(c); finalH && n > 1 && c[n-1] == 'h' && w[len(w)-1] == 'h' && !strings.ContainsRune("kstgzcdp", rune(c[n-2])) {
		c = c[:n-1]
	}
	c = single(c)
	for i := 0; i < len(c); i++ {
		x := c[i]
		var next byte
		if i+1 < len(c) {
			next = c[i+1]
		}
		switch {
		case next == 'h' && (x == 'k' || x == 's' || x == 't' || x == 'g'):
			dst = append(dst, x-'a'+'A')
			i++
		case next == 'h' && x == 'c':
			dst = append(dst, 'S')
			i++
		case next == 'h' && (x == 'd' || x == 'z'):
			dst = append(dst, 'z')
			i++
		case next == 'h' && x == 'p':
			dst = append(dst, 'f')
			i++
		case next == 'j' && x == 'd':
			dst = append(dst, 'j')
			i++
		case x == 'q' || x == 'c':
			dst = append(dst, 'k')
		case x == 'g':
			dst = append(dst, 'j')
		default:
			dst = append(dst, x)
		}
	}
	return dst
}

// single makes doubled letters single, in place.
func single(c []byte) []byte {
	out := c[:0]
	for i, x := range c {
		if i > 0 && x == c[i-1] {
			continue
		}
		out = append(out, x)
	}
	return out
}

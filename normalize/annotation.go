package normalize

import (
	"slices"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// annotated is a name with the parenthesized groups the list printed
// inside it about it taken out (splitAnnotations).
type annotated struct {
	value  string   // the name alone
	groups []string // the groups taken out, as printed
	lang   string   // the language a group names ("Tigrinya": ti)
}

// annotationLangs are the languages the lists name as a name's annotation,
// by ISO 639-1 code.
var annotationLangs = map[string]string{"tigrinya": "ti"}

// splitAnnotations takes out of value the parenthesized groups that are
// not part of the name: the annotations of nameAnnotations ("El Para
// (combat name)", "Abdul Baqi (previously listed as)", "Abu Muhammad
// (original script: Абу Мухаммад)") and a copy of the name in another
// script ("Ibrahim Hassan Tali Asiri (إبراهيم حسن طالع عسيري)", UN
// 2962519; "عبدالله السندي (Abdullah Sindhi)", UN 2983651). A group that
// is part of the name ("(HK)", an acronym, "(BRANCH LOCATED IN ...)")
// stays, and a value that would be left empty is kept whole.
func splitAnnotations(value string) annotated {
	a := annotated{value: value}
	if strings.IndexByte(value, '(') < 0 {
		return a
	}
	var b strings.Builder
	rest := value
	for {
		open := strings.IndexByte(rest, '(')
		if open < 0 {
			break
		}
		end := closing(rest, open)
		if end < 0 {
			break
		}
		group := strings.TrimSpace(rest[open+1 : end])
		b.WriteString(rest[:open])
		switch {
		case isAnnotation(group):
			a.annotation(group)
		case otherScript(group, b.String()+rest[end+1:]):
			a.groups = append(a.groups, group)
		default:
			b.WriteString(rest[open : end+1])
		}
		b.WriteByte(' ')
		rest = rest[end+1:]
	}
	b.WriteString(rest)
	v := strings.Trim(Text(b.String()), " ,;")
	if v == "" || len(a.groups) == 0 {
		return annotated{value: value}
	}
	a.value = v
	return a
}

// StripAnnotations is value, cleaned by Text, without the annotations
// splitAnnotations takes out: the value of the names[] entry Name and
// NameFor build from it, so that a reader of an entity's name as
// published ("Gazprom Telekom, OOO (f.k.a. ...)") can find that entry.
func StripAnnotations(value string) string {
	return splitAnnotations(Text(value)).value
}

// annotation records one annotation group and the language it names. The
// kind stays: "previously listed as" says the list once printed that
// spelling as the primary name, not that the party no longer uses it
// (docs/sources/un_sc.md); the note says it.
func (a *annotated) annotation(group string) {
	a.groups = append(a.groups, group)
	label, _ := annotationName(group)
	lower := strings.ToLower(label)
	if a.lang == "" {
		a.lang = annotationLangs[lower] // "ኤርሚኣስ ግርማይ (Tigrinya)"
	}
}

// closing is the index of the ')' that closes the '(' at open, nested
// groups counted ("أنصار الشريعة بليبيا (Ansar al Charia in Libya
// (ASL))", UN 6908438), or -1.
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// akaPrefixes introduce another name of the party inside a name (trade.gov
// CSL: "Gazprom Telekom, OOO (f.k.a. Zakrytoe Aktsionernoe Obshchestvo
// Gaztelekom)", "PEARL (A.K.A. NEI-CHIEN CHU) LI").
var akaPrefixes = []string{"f.k.a.", "a.k.a."}

// annotationName splits an annotation into its label and the name it
// carries: after a colon ("original script: Абу Мухаммад", "Previously
// listed as. In Arabic: رياض محمد حسن محمد الحجازي") or an a.k.a.
func annotationName(group string) (label, name string) {
	for _, p := range akaPrefixes {
		if len(group) > len(p) && strings.EqualFold(group[:len(p)], p) {
			return p, strings.Trim(Text(group[len(p):]), " ,;")
		}
	}
	if i := strings.LastIndexByte(group, ':'); i >= 0 {
		if n := strings.TrimSpace(group[i+1:]); Script(n) != "" {
			return strings.Trim(Text(group[:i]), " .,;"), n
		}
	}
	return strings.Trim(Text(group), " .,;"), ""
}

// otherScript reports whether group is the name written in another
// script than the rest, one of them Latin: a copy, not a part.
func otherScript(group, outside string) bool {
	g, o := Script(group), Script(outside)
	return g != "" && o != "" && g != o && (g == "Latn" || o == "Latn") && g != "Zyyy" && o != "Zyyy"
}

// noteSep joins the groups of a Note.
const noteSep = "; "

// applyAnnotations sets on n what a says: the value alone, the groups as
// its note (so that nothing printed is lost), the language.
func applyAnnotations(n *entity.Name, a annotated) {
	n.Value = a.value
	if len(a.groups) > 0 {
		n.Note = strings.Join(a.groups, noteSep)
	}
	if n.Lang == "" {
		n.Lang = a.lang
	}
}

// annotatedNames are the names a name's note carries (the name of
// "original script: Абу Мухаммад", the copy "إبراهيم حسن طالع عسيري") that
// e does not list already, of the kind of the name they were in and with
// the annotation's label as their note; the name of an "f.k.a." is former.
func annotatedNames(e *entity.Entity) []entity.Name {
	var out []entity.Name
	has := func(v string) bool {
		same := func(x entity.Name) bool { return x.Value == v }
		return slices.ContainsFunc(e.Names, same) || slices.ContainsFunc(out, same)
	}
	for _, n := range e.Names {
		if n.Note == "" {
			continue
		}
		for _, g := range strings.Split(n.Note, noteSep) {
			label, v := annotationName(g)
			if !isAnnotation(g) {
				label, v = "", g
				if !otherScript(g, n.Value) {
					continue
				}
				// "شبكة أنصار المجاهدين (Ansar al-Mujahideen Network -
				// sub-unit name)" (UN 6908429).
				if s, ok := cutSuffixFold(v, " - sub-unit name"); ok {
					label, v = "sub-unit name", s
				}
			}
			v = Text(v)
			if v == "" || has(v) {
				continue
			}
			kind := n.Kind
			switch {
			case label == "f.k.a.":
				kind = entity.KindFormer
			case kind == entity.KindPrimary:
				kind = entity.KindAlias // one primary name per entity
			}
			out = append(out, entity.Name{Value: v, Kind: kind, Note: label})
		}
	}
	return out
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

package sema

import (
	"strings"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// alias is one name read from an Aliases text.
type alias struct {
	value string
	lang  string // ISO 639-1 where a label says it ("Russian: ...")
}

// splitAliases reads the free text of an Aliases element into names, and
// says which ones it kept whole although they may hold two (doubts). It
// stops past most names (the caller refuses the file then).
//
// Measured on the 2020 file (99 Aliases): names are separated by ", "
// (58 of them hold one) and never by ";"; one is wrapped in parentheses
// ("(Rosselkhozbank)"); English/French pairs are joined by "/"
// ("GORT/ORTAS", "Syrian Company for ... Products/Entreprise syrienne
// ..."); two French lists end in " et " ("..., Gardiens de la Révolution
// iranienne, Sepah-e Pasdaran-e Enghelab-e Eslami et Pasdaran"). The
// current file also prints ";", "a.k.a." and "also known as" and language
// labels ("Russian: ...", per OpenSanctions' crawler). So:
//
//   - ";" and ", " separate names, outside parentheses, except a comma
//     followed by a legal form alone ("Co., Ltd.", "Technodinamica
//     Holding, JSC", "М Инвест, ООО"), which belongs to the name before it;
//   - "NAME (a.k.a. OTHER)" and "NAME (also known as OTHER)" give both;
//     a leading "a.k.a.", "also known as" or "ALIAS:" is dropped;
//   - a known language label is dropped and sets the name's language;
//   - parentheses around the whole name are dropped;
//   - "/" and " et " are never cut: the name is kept whole, and where "/"
//     joins two names of two words or more each (an English name and its
//     French one) both halves are added (slashHalves); otherwise the name
//     is a doubt, reported by the caller.
func splitAliases(text string, most int) (out []alias, doubts []string) {
	s := normalize.Text(text)
	for _, piece := range splitOutside(s) {
		if len(out) > most {
			break
		}
		for _, name := range akaSplit(piece) {
			a := alias{value: name}
			a.value, a.lang = dropLabel(a.value)
			a.value = unwrap(a.value)
			if a.value == "" {
				continue
			}
			out = append(out, a)
			halves, slashes := cutSlash(a.value)
			for _, h := range halves {
				out = append(out, alias{value: h, lang: a.lang})
			}
			// Where the halves were taken, " et " is part of the French
			// name ("Entreprise syrienne en charge du stockage et de la
			// distribution ...").
			if halves == nil && (slashes > 0 || strings.Contains(a.value, " et ")) {
				doubts = append(doubts, a.value)
			}
		}
	}
	return out, doubts
}

// splitOutside cuts s at ";" and ", " outside parentheses, keeping a
// legal form after a comma with the name before it.
func splitOutside(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' || c == '[':
			depth++
		case (c == ')' || c == ']') && depth > 0:
			depth--
		case depth == 0 && (c == ';' || (c == ',' && i+1 < len(s) && s[i+1] == ' ')):
			if c == ',' && legalFormNext(s[i+1:]) {
				continue
			}
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + 1
		}
	}
	parts = append(parts, strings.TrimSpace(s[start:]))
	return parts
}

// legalFormNext reports whether rest, the text after a comma, starts with
// a legal form that ends there: at the end of the text or before the next
// separator.
func legalFormNext(rest string) bool {
	end := len(rest)
	if i := strings.IndexAny(rest, ",;("); i >= 0 {
		end = i
	}
	words := strings.Fields(rest[:end])
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !legalForms[strings.ToLower(strings.Trim(w, ".,"))] {
			return false
		}
	}
	return true
}

// legalForms are the legal forms, lower case and without dots, that a
// publisher prints after a comma ("Ruselectronics, JSC" in the 2020 file;
// "Co., Ltd." and the Russian forms after a comma in the current one). A
// list here because normalize keeps its own legal-form tables unexported;
// it only decides where a comma does not separate two names.
var legalForms = map[string]bool{
	"ltd": true, "limited": true, "llc": true, "inc": true, "co": true, "corp": true,
	"jsc": true, "ojsc": true, "cjsc": true, "pjsc": true, "pjs": true, "plc": true, "llp": true,
	"sa": true, "s.a": true, "ag": true, "gmbh": true, "bv": true, "nv": true, "spa": true, "srl": true,
	"tov": true, "ooo": true, "oao": true, "zao": true, "pao": true, "ao": true, "fze": true, "fzco": true,
	"ооо": true, "оао": true, "зао": true, "пао": true, "ао": true, "тов": true, "пат": true, "прат": true,
}

// akaSplit cuts "NAME (a.k.a. OTHER)" into NAME and OTHER and drops a
// leading "a.k.a." or "also known as".
func akaSplit(s string) []string {
	var out []string
	for _, mark := range []string{" (a.k.a. ", " (a.k.a ", " (also known as "} {
		if i := strings.Index(strings.ToLower(s), mark); i > 0 && strings.HasSuffix(s, ")") {
			out = append(out, strings.TrimSpace(s[:i]))
			s = strings.TrimSpace(s[i+len(mark) : len(s)-1])
			break
		}
	}
	lower := strings.ToLower(s)
	for _, p := range []string{"a.k.a. ", "a.k.a ", "also known as ", "alias: ", "alias "} {
		if strings.HasPrefix(lower, p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	return append(out, s)
}

// labels are the language labels the current file prints before a name,
// with the language they name.
var labels = map[string]string{
	"russian": "ru", "belarusian": "be", "belarussian": "be", "ukrainian": "uk",
	"hebrew": "he", "arabic": "ar", "chinese": "zh", "persian": "fa", "farsi": "fa",
}

// dropLabel drops a leading "Russian:" (any spacing before the colon).
func dropLabel(s string) (string, string) {
	head, rest, ok := strings.Cut(s, ":")
	if !ok {
		return s, ""
	}
	if lang, known := labels[strings.ToLower(strings.TrimSpace(head))]; known {
		return strings.TrimSpace(rest), lang
	}
	return s, ""
}

// unwrap drops parentheses around the whole of s: "(Rosselkhozbank)".
func unwrap(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && !strings.ContainsAny(s[1:len(s)-1], "()") {
		return strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// slashHalves returns the two names a "/" joins when it is the only "/"
// outside parentheses and each side has two words or more: "Aerospace
// Research Institute/Institut de recherche aérospatiale" (an English name
// and its French one), never "GORT/ORTAS", "Victory/Pobeda Political Bloc"
// (one name) or "MEC Steel Mills (Hmaw Bi/Pyi/Ywama)"; nil otherwise.
func slashHalves(s string) []string {
	halves, _ := cutSlash(s)
	return halves
}

// cutSlash returns slashHalves(s) and the number of "/" outside
// parentheses.
func cutSlash(s string) (halves []string, slashes int) {
	at, depth := -1, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case '/':
			if depth == 0 {
				slashes++
				at = i
			}
		}
	}
	if slashes != 1 {
		return nil, slashes
	}
	a, b := strings.TrimSpace(s[:at]), strings.TrimSpace(s[at+1:])
	if len(strings.Fields(a)) < 2 || len(strings.Fields(b)) < 2 {
		return nil, slashes
	}
	return []string{a, b}, slashes
}

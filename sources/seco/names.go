package seco

import (
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// A <name> is printed as name-parts in order, each with its value and its
// spelling variants, every variant labelled with a language and a script
// (lang="RUS" script="CYRL"). The name is the values joined in order; each
// language-and-script of the variants gives one more name, the parts'
// variants in that language and script joined in the same order.

// partField says which field of entity.NameParts a name-part-type fills;
// types without one ("whole-name", "title", ...) are in the name's value
// only.
var partField = map[string]func(*entity.NameParts) *string{
	"given-name":         func(p *entity.NameParts) *string { return &p.Given },
	"further-given-name": func(p *entity.NameParts) *string { return &p.Middle },
	"family-name":        func(p *entity.NameParts) *string { return &p.Family },
	"maiden-name":        func(p *entity.NameParts) *string { return &p.Family },
	"father-name":        func(p *entity.NameParts) *string { return &p.Patronymic },
}

// otherPartTypes are the other name-part-type values SECO prints: the
// part stays in the name's value, and no NameParts field says what it is
// (a grandfather's name is not the patronymic; a tribal name is not the
// family name).
var otherPartTypes = map[string]bool{
	"whole-name": true, "title": true, "grand-father-name": true, "tribal-name": true, "suffix": true, "other": true,
}

// maxVariantNames bounds the names one <name> gives from its spelling
// variants: a part with two variants in one language and script doubles
// them (every combination is a spelling).
const maxVariantNames = 16

// spelling is one name built from a <name>.
type spelling struct {
	value        string
	parts        *entity.NameParts
	lang, script string // as published; "" for the name from the values
	variant      bool
}

// spellings builds the names of nm: from the values first, then one per
// language and script of the variants, in the order they first appear.
func (p *parser) spellings(nm *name) ([]spelling, []string) {
	parts := slices.Clone(nm.parts)
	ordered := true
	for _, pt := range parts {
		ordered = ordered && pt.order > 0
	}
	if ordered {
		slices.SortStableFunc(parts, func(a, b namePart) int { return a.order - b.order })
	}
	var titles []string
	type key struct{ lang, script string }
	var keys []key
	for _, pt := range parts {
		if partField[pt.typ] == nil && !otherPartTypes[pt.typ] {
			p.issue(pt.n, "unknown name-part-type %q; the part stays in the name, not in its parts", pt.typ)
		}
		if pt.value == "" {
			p.issue(pt.n, "name-part without a value; left out of the name")
		}
		if pt.typ == "title" && pt.value != "" {
			titles = append(titles, pt.value)
		}
		for _, v := range pt.variants {
			if v.typ != "" && v.typ != "not-defined" {
				p.issue(v.n, "unknown spelling-variant-type %q; the variant is mapped all the same", v.typ)
			}
			if k := (key{v.lang, v.script}); !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	values := make([][]string, len(parts))
	for i, pt := range parts {
		values[i] = []string{pt.value}
	}
	out := []spelling{assemble(parts, values, "", "", false)}
	for _, k := range keys {
		for i, pt := range parts {
			values[i] = values[i][:0]
			for _, v := range pt.variants {
				if v.lang == k.lang && v.script == k.script {
					values[i] = append(values[i], v.value)
				}
			}
			if len(values[i]) == 0 {
				// The part has no spelling in this language and script:
				// its value stands in, as the publisher prints one name.
				values[i] = append(values[i], pt.value)
			}
		}
		combos := 1
		for _, vs := range values {
			combos *= len(vs)
		}
		if combos > maxVariantNames {
			p.issue(nm.n, "spelling variants lang=%q script=%q combine into %d names; the first %d are mapped", k.lang, k.script, combos, maxVariantNames)
		}
		idx := make([]int, len(parts))
		for n := 0; n < min(combos, maxVariantNames); n++ {
			pick := make([][]string, len(parts))
			for i := range parts {
				pick[i] = values[i][idx[i] : idx[i]+1]
			}
			out = append(out, assemble(parts, pick, k.lang, k.script, true))
			for i := len(idx) - 1; i >= 0; i-- { // the next combination
				if idx[i]++; idx[i] < len(values[i]) {
					break
				}
				idx[i] = 0
			}
		}
	}
	return out, titles
}

// assemble joins one value per part, in order, into a name with its
// parts.
func assemble(parts []namePart, values [][]string, lang, script string, variant bool) spelling {
	var words []string
	var np entity.NameParts
	typed := false
	for i, pt := range parts {
		v := values[i][0]
		if v == "" {
			continue
		}
		words = append(words, v)
		if f := partField[pt.typ]; f != nil {
			dst := f(&np)
			*dst = normalize.JoinNonEmpty(" ", *dst, v)
			typed = true
		}
	}
	s := spelling{value: normalize.Text(strings.Join(words, " ")), lang: lang, script: script, variant: variant}
	if typed {
		s.parts = &np
	}
	return s
}

// langTag is the BCP 47 form of a published ISO 639 code ("RUS" -> "ru",
// "eng" -> "en"), by golang.org/x/text/language.
func langTag(raw string) (string, bool) {
	if raw == "" {
		return "", true
	}
	b, err := language.ParseBase(raw)
	if err != nil {
		return "", false
	}
	return b.String(), true
}

// scriptCode is the ISO 15924 form of a published script ("CYRL" ->
// "Cyrl").
func scriptCode(raw string) (string, bool) {
	if raw == "" {
		return "", true
	}
	s, err := language.ParseScript(raw)
	if err != nil {
		return "", false
	}
	return s.String(), true
}

package normalize_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/uk"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// corpus lists the real publications the name tests read.
var corpus = []struct {
	src sources.Source
	dir string
}{
	{ofac.NewSDN(ofac.Config{}), "../testdata/us_ofac_sdn/2021-07-07"},
	{un.New(un.Config{}), "../testdata/un_sc/2026-02-27"},
	{eu.New(eu.Config{}), "../testdata/eu_fsf/excerpt-2026-08-05"},
	{uk.New(uk.Config{}), "../testdata/gb_fcdo/excerpt-2026-08-14"},
}

// untransliterable are the non-Latin names of the corpus that Transliterate
// cannot turn into ASCII, and why.
// (none since U+FFFD is dropped: UN 111076 prints two in an Arabic name,
// which the pipeline reports by byte position).
var untransliterable = map[string]string{}

// TestCorpusNames runs NameFor over every name of the four publications.
func TestCorpusNames(t *testing.T) {
	byScript := map[string]int{}
	failed := map[string]bool{}
	type pair struct{ exact, tokens, total int }
	agree := map[string]*pair{}
	for _, c := range corpus {
		p, err := sourcetest.Parse(t, c.src, c.dir)
		if err != nil {
			t.Fatalf("%s: %v", c.dir, err)
		}
		for _, e := range p.Entities {
			var latin []string
			for _, n := range e.Names {
				nf := normalize.NameFor(n.Value, n.Kind, e.Type)
				if nf.Value != n.Value || nf.Script != n.Script || nf.Kind != n.Kind {
					t.Errorf("%s: NameFor(%q) = %+v; the source has %+v", e.ID, n.Value, nf, n)
				}
				if again := normalize.MatchKeyFor(nf.Normalized, e.Type); again != nf.Normalized {
					t.Errorf("%s: MatchKeyFor(%q) = %q, then %q", e.ID, n.Value, nf.Normalized, again)
				}
				byScript[nf.Script]++
				a, ok := normalize.Transliterate(n.Value)
				if !ok && nf.Script != "Latn" {
					failed[n.Value] = true
					if _, listed := untransliterable[n.Value]; !listed {
						t.Errorf("%s: %s name %q not transliterated: %q", e.ID, nf.Script, n.Value, a)
					}
				}
				if ok && !isASCII(nf.Normalized) {
					t.Errorf("%s: %q transliterated but its key %q is not ASCII", e.ID, n.Value, nf.Normalized)
				}
				if nf.Script == "Latn" {
					latin = append(latin, nf.Normalized)
				}
			}
			// Agreement: the transliteration of an original-script name
			// against the Latin names of the same record.
			for _, n := range e.Names {
				if n.Script == "Latn" || n.Script == "" || len(latin) == 0 {
					continue
				}
				a, _ := normalize.TransliterateLang(n.Value, n.Lang)
				k := normalize.MatchKeyFor(a, e.Type)
				g := agree[n.Script]
				if g == nil {
					g = &pair{}
					agree[n.Script] = g
				}
				g.total++
				if slices.Contains(latin, k) {
					g.exact++
				}
				for _, l := range latin {
					if sameTokens(k, l) {
						g.tokens++
						break
					}
				}
			}
		}
	}
	for v, why := range untransliterable {
		if !failed[v] {
			t.Errorf("listed as untransliterable but transliterated: %q (%s)", v, why)
		}
	}
	scripts := make([]string, 0, len(byScript))
	for s := range byScript {
		scripts = append(scripts, s)
	}
	sort.Strings(scripts)
	for _, s := range scripts {
		label := s
		if s == "" {
			label = "none" // no letters: "1", "39"
		}
		t.Logf("script %-4s %6d names", label, byScript[s])
	}
	for _, s := range scripts {
		if g := agree[s]; g != nil {
			t.Logf("agreement %s: %d of %d original-script names equal a Latin name of their record (match key); %d of %d in any word order",
				s, g.exact, g.total, g.tokens, g.total)
		}
	}
}

func sameTokens(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

type benchName struct {
	value, kind string
	typ         entity.Type
}

func ofacNames(b *testing.B) (all, latin []benchName) {
	p, err := sourcetest.Parse(b, ofac.NewSDN(ofac.Config{}), "../testdata/us_ofac_sdn/2021-07-07")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range p.Entities {
		for _, n := range e.Names {
			bn := benchName{n.Value, n.Kind, e.Type}
			all = append(all, bn)
			if isASCII(n.Value) {
				latin = append(latin, bn)
			}
		}
	}
	return all, latin
}

// BenchmarkNameFor runs NameFor over the names of the OFAC SDN list of
// 2021-07-07, one name per operation.
func BenchmarkNameFor(b *testing.B) {
	all, latin := ofacNames(b)
	run := func(names []benchName) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				n := names[i%len(names)]
				normalize.NameFor(n.value, n.kind, n.typ)
				i++
			}
		}
	}
	b.Logf("%d names, %d of them ASCII", len(all), len(latin))
	b.Run("all", run(all))
	b.Run("ascii", run(latin))
	b.Run("cyrillic", run([]benchName{
		{"Айрат Насимович Вахитов", "alias", entity.Person},
		{"Общество с ограниченной ответственностью «Вектор»", "alias", entity.Organization},
	}))
}

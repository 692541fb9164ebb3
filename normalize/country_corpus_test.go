package normalize_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/uk"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// maxUnmappedCountryShare is the share of country values per publisher group that
// may stay unmapped.
const maxUnmappedCountryShare = 0.005

// countryPublication is one real test publication and its publisher group.
type countryPublication struct {
	group, dir string
	src        sources.Source
}

func countryPublications() []countryPublication {
	return []countryPublication{
		{"OFAC", "us_ofac_sdn/2021-07-07", ofac.NewSDN(ofac.Config{})},
		{"OFAC", "us_ofac_cons/2023-03-08", ofac.NewConsolidated(ofac.Config{})},
		{"OFAC", "us_ofac_cons/2018-04-06", ofac.NewConsolidated(ofac.Config{})},
		{"UN", "un_sc/2026-02-27", un.New(un.Config{})},
		{"UN", "un_sc/2018-06-07", un.New(un.Config{})},
		{"EU+UK", "eu_fsf/excerpt-2026-08-05", eu.New(eu.Config{})},
		{"EU+UK", "gb_fcdo/excerpt-2026-08-14", uk.New(uk.Config{})},
	}
}

// countryCorpus counts the country texts of each group.
type countryCorpus struct {
	groups []string                  // in publication order
	counts map[string]map[string]int // group → text → occurrences
	// mismatches lists published EU codes CountryCode contradicts.
	mismatches []string
}

// collectCountryTexts parses the publications and collects every country
// text the entities carry: nationalities, citizenships, address countries
// and identifier countries, and the codes the EU publishes beside them.
func collectCountryTexts(tb testing.TB) *countryCorpus {
	tb.Helper()
	c := &countryCorpus{counts: map[string]map[string]int{}}
	for _, p := range countryPublications() {
		parsed, err := sourcetest.Parse(tb, p.src, filepath.Join("..", "testdata", p.dir))
		if err != nil {
			tb.Fatalf("%s: %v", p.dir, err)
		}
		m := c.counts[p.group]
		if m == nil {
			m = map[string]int{}
			c.counts[p.group] = m
			c.groups = append(c.groups, p.group)
		}
		add := func(s string) {
			if s != "" {
				m[s]++
			}
		}
		// published checks a code the publisher printed beside its text.
		published := func(id, code, raw string) {
			add(code)
			if got, ok := normalize.CountryCode(raw); code != "" && ok && got != code {
				c.mismatches = append(c.mismatches, fmt.Sprintf("%s: %q gives %s, the publisher says %s", id, raw, got, code))
			}
		}
		for _, e := range parsed.Entities {
			for _, n := range append(slices.Clip(e.Nationalities), e.Citizenships...) {
				add(n.Raw)
				published(e.ID, n.Code, n.Raw)
			}
			for _, a := range e.Addresses {
				add(a.CountryRaw)
				published(e.ID, a.Country, a.CountryRaw)
			}
			for _, id := range e.Identifiers {
				add(id.Country)
			}
		}
	}
	return c
}

// TestCountryCorpus: the country texts of the real publications map, all
// but a small share per publisher group, and the codes the EU prints agree.
// Run with -v for the table of every distinct text and its code.
func TestCountryCorpus(t *testing.T) {
	c := collectCountryTexts(t)
	for _, m := range c.mismatches {
		t.Error(m)
	}
	for _, g := range c.groups {
		texts := sortedCountryTexts(c.counts[g])
		total, unmapped, distinctUnmapped, qualified, former := 0, 0, 0, 0, 0
		var table, missing strings.Builder
		for _, s := range texts {
			n := c.counts[g][s]
			total += n
			code, kind := countryOf(s)
			switch kind {
			case "":
				unmapped += n
				distinctUnmapped++
				code = "-"
				fmt.Fprintf(&missing, "\n\t%5d  %q", n, s)
			case "qualified":
				qualified += n
			case "former":
				former += n
			}
			fmt.Fprintf(&table, "\n\t%5d  %-50q %s", n, s, code)
		}
		share := float64(unmapped) / float64(total)
		t.Logf("%s: %d country values (%d distinct), %d unmapped (%d distinct) = %.3f%%, %d qualified, %d former states; unmapped:%s",
			g, total, len(texts), unmapped, distinctUnmapped, 100*share, qualified, former, missing.String())
		t.Logf("%s: text → code:%s", g, table.String())
		if share >= maxUnmappedCountryShare {
			t.Errorf("%s: %.3f%% of country values unmapped, want < %.1f%%", g, 100*share, 100*maxUnmappedCountryShare)
		}
	}
}

// TestCountryCorpusHMTLegacy reports, without asserting, how the country
// texts of the former HMT/OFSI Consolidated List (retired in 2026; no source
// reads it) map: they show the UK's older habits (adjectives, qualifiers,
// numbered lists) that the two UK and EU excerpts are too small to show.
// It needs the shared corpus next to the project and skips without it.
func TestCountryCorpusHMTLegacy(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "gb_hmt_ofsi", "*", "sanctionsconlist.csv"))
	if len(files) == 0 {
		t.Skip("shared corpus not found")
	}
	// "(1)-(2) Tunisia (3) Libya", "1) Uzbek 2) Afghan", "(a) Iraq (b) Iran".
	marker := regexp.MustCompile(`(\(\d{1,2}\)|\b\d{1,2}\)|\([a-h]\)|\b[a-h]\))(\s*(-|to|,|and)?\s*(\(\d{1,2}\)|\b\d{1,2}\)))*`)
	counts := map[string]int{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(charmap.Windows1252.NewDecoder().Reader(fh))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true // the 2014 file has bare quotes inside fields
		rows, err := r.ReadAll()
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var cols []int
		for i, row := range rows {
			if len(row) > 0 && strings.TrimSpace(row[0]) == "Name 6" {
				for j, h := range row {
					switch h {
					case "Country of Birth", "Nationality", "Country":
						cols = append(cols, j)
					}
				}
				rows = rows[i+1:]
				break
			}
		}
		if len(cols) != 3 {
			t.Fatalf("%s: no header", f)
		}
		for _, row := range rows {
			for _, j := range cols {
				if j >= len(row) {
					continue
				}
				for _, part := range strings.Split(marker.ReplaceAllString(row[j], "\x00"), "\x00") {
					if part = strings.TrimSpace(part); part != "" {
						counts[part]++
					}
				}
			}
		}
	}
	total, unmapped, qualified := 0, 0, 0
	var missing strings.Builder
	for _, s := range sortedCountryTexts(counts) {
		total += counts[s]
		switch _, kind := countryOf(s); kind {
		case "":
			unmapped += counts[s]
			fmt.Fprintf(&missing, "\n\t%5d  %q", counts[s], s)
		case "qualified":
			qualified += counts[s]
		}
	}
	t.Logf("HMT legacy (%d files): %d country values (%d distinct), %d unmapped = %.2f%%, %d qualified; unmapped:%s",
		len(files), total, len(counts), unmapped, 100*float64(unmapped)/float64(total), qualified, missing.String())
}

// countryOf is what the normalize pass makes of a country text: its code
// and kind "current", "qualified" (the code and the words set aside) or
// "former" (the ISO 3166-3 code), or kind "" when it does not map.
func countryOf(s string) (code, kind string) {
	code, ok := normalize.CountryCode(s)
	kind = "current"
	if !ok {
		c, q, ok := normalize.CountryQualified(s)
		if !ok {
			return "", ""
		}
		return c + " (" + q + ")", "qualified"
	}
	if f, ok := normalize.FormerCountry(code); ok {
		return "former " + f, "former"
	}
	return code, kind
}

func sortedCountryTexts(m map[string]int) []string {
	texts := make([]string, 0, len(m))
	for s := range m {
		texts = append(texts, s)
	}
	slices.Sort(texts)
	return texts
}

// BenchmarkCountryCode maps every distinct country text of the real
// publications once per iteration; ns/text is the cost of one call.
func BenchmarkCountryCode(b *testing.B) {
	c := collectCountryTexts(b)
	var texts []string
	for _, g := range c.groups {
		texts = append(texts, sortedCountryTexts(c.counts[g])...)
	}
	normalize.CountryCode("") // build the tables outside the timer
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, s := range texts {
			normalize.CountryCode(s)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
}

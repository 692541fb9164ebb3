package seco

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// The independent reading: regular expressions over the raw bytes, no XML
// parser and no code of the package. It relies on two facts of the real
// file: modifications do not nest (a <modification> ends at the first
// </modification> after it), and SECO prints a target's modifications
// newest first, so the first one printed says whether it is de-listed (the
// parser compares their dates instead).
var (
	modSpan      = regexp.MustCompile(`(?s)<modification\b[^>]*?(?:/>|>.*?</modification>)`)
	targetStart  = regexp.MustCompile(`<target ssid="([^"]+)"`)
	firstModType = regexp.MustCompile(`<modification modification-type="([^"]+)"`)
	nameElem     = regexp.MustCompile(`(?s)<name [^>]*>.*?</name>`)
	variantAttrs = regexp.MustCompile(`<spelling-variant lang="([^"]*)" script="([^"]*)"`)
	variantTag   = regexp.MustCompile(`<spelling-variant `)
	bodyTag      = regexp.MustCompile(`<(individual|entity|object)[ >]`)
	objectType   = regexp.MustCompile(`<object object-type="([^"]+)"`)
	documentTag  = regexp.MustCompile(`<identification-document `)
	nationTag    = regexp.MustCompile(`<nationality `)
	dateTag      = regexp.MustCompile(`<day-month-year `)
)

// counts are what the regular expressions find.
type counts struct {
	targets, delisted               int
	byType                          map[entity.Type]int
	names, variants, variantNames   int // of targets in force: <name>s, spelling variants, names they give
	documents, nationalities, dates int
	ids                             []string // ssids of targets in force
}

func countRaw(data []byte) counts {
	c := counts{byType: map[entity.Type]int{}}
	mods := modSpan.FindAllIndex(data, -1)
	inMod := func(at int) bool {
		for _, m := range mods {
			if at >= m[0] && at < m[1] {
				return true
			}
		}
		return false
	}
	var starts [][]int
	for _, m := range targetStart.FindAllSubmatchIndex(data, -1) {
		if !inMod(m[0]) {
			starts = append(starts, m)
		}
	}
	end := bytes.LastIndex(data, []byte("</swiss-sanctions-list>"))
	for i, m := range starts {
		to := end
		if i+1 < len(starts) {
			to = starts[i+1][0]
		}
		chunk := data[m[0]:to]
		c.targets++
		if f := firstModType.FindSubmatch(chunk); f != nil && string(f[1]) == "de-listed" {
			c.delisted++
			continue
		}
		c.ids = append(c.ids, string(data[m[2]:m[3]]))
		own := modSpan.ReplaceAll(chunk, nil) // the target without its history
		switch b := bodyTag.FindSubmatch(own); string(b[1]) {
		case "individual":
			c.byType[entity.Person]++
		case "entity":
			c.byType[entity.Organization]++
		default:
			c.byType[entity.Type(objectType.FindSubmatch(own)[1])]++
		}
		for _, n := range nameElem.FindAll(own, -1) {
			c.names++
			c.variants += len(variantTag.FindAll(n, -1))
			seen := map[string]bool{}
			for _, v := range variantAttrs.FindAllSubmatch(n, -1) {
				seen[string(v[1])+"/"+string(v[2])] = true
			}
			c.variantNames += len(seen)
		}
		c.documents += len(documentTag.FindAll(own, -1))
		c.nationalities += len(nationTag.FindAll(own, -1))
		c.dates += len(dateTag.FindAll(own, -1))
	}
	return c
}

// TestIndependentCount: the parser's totals on the real excerpt equal the
// regular expressions': targets in force and de-listed, entities by type,
// names (one per <name>, one more per language and script of its spelling
// variants), identification documents, nationalities and dates.
func TestIndependentCount(t *testing.T) {
	data := readExcerpt(t)
	want := countRaw(data)
	// What the regular expressions see in the excerpt, by eye: 7 targets,
	// 3 de-listed, so that a broken expression cannot pass unnoticed.
	if want.targets != 7 || want.delisted != 3 || len(want.ids) != 4 || want.names != 9 || want.variants != 13 {
		t.Fatalf("regexp count %+v", want)
	}
	p := mustParse(t, data)
	if got := len(p.Emitted) + p.Meta.Delisted; got != want.targets {
		t.Errorf("%d entities + %d de-listed, the file has %d top-level targets", len(p.Emitted), p.Meta.Delisted, want.targets)
	}
	if p.Meta.Delisted != want.delisted {
		t.Errorf("Meta.Delisted %d, the file de-lists %d", p.Meta.Delisted, want.delisted)
	}
	byType := map[entity.Type]int{}
	names, variantNames, docs, nats, dates := 0, 0, 0, 0, 0
	for _, e := range p.Emitted {
		byType[e.Type]++
		for _, n := range e.Names {
			names++
			if n.Lang != "en" {
				variantNames++ // the names themselves are lang="eng"
			}
		}
		for _, id := range e.Identifiers {
			if id.RawType == "passport" || id.RawType == "id-card" {
				docs++
			}
		}
		nats += len(e.Nationalities)
		dates += len(e.BirthDates)
	}
	for _, typ := range entity.Types {
		if byType[typ] != want.byType[typ] {
			t.Errorf("%s: %d entities, the file has %d", typ, byType[typ], want.byType[typ])
		}
	}
	if names != want.names+want.variantNames || variantNames != want.variantNames {
		t.Errorf("%d names (%d from spelling variants); the file has %d <name> and %d languages and scripts of variants",
			names, variantNames, want.names, want.variantNames)
	}
	if docs != want.documents || nats != want.nationalities || dates != want.dates {
		t.Errorf("%d documents, %d nationalities, %d dates; the file has %d, %d, %d", docs, nats, dates, want.documents, want.nationalities, want.dates)
	}
	for _, id := range want.ids {
		if e := p.BySourceID[id]; e == nil || e.ID != "ch_seco-"+id {
			t.Errorf("target %s in force: no entity ch_seco-%s", id, id)
		}
	}
}

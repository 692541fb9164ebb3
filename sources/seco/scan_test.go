package seco

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// TestScannerFindsTopLevel: the first pass collects the places and
// programs that are children of the root and the ssids of top-level
// targets only: not what comments, CDATA sections, processing
// instructions, declarations or attribute values hold, nor the copies
// nested in a target's history. Each document is also read one byte at a
// time, so that every construct is cut between blocks.
func TestScannerFindsTopLevel(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		places  []string
		sets    []string
		targets []string
	}{
		{"the real excerpt", string(readExcerpt(t)), nil, nil, []string{"34461", "44348", "5142", "52941", "5374", "5816", "85396"}},
		{"the test-made lookups, before and after", string(withLookups(t, testPrograms, testPlaces)), []string{"319"}, []string{"34422", "4387"},
			[]string{"34461", "44348", "5142", "52941", "5374", "5816", "85396"}},
		{"markup that is not elements", `<?xml version="1.0"?>` + "\n" +
			`<!DOCTYPE swiss-sanctions-list [ <!ENTITY x "<place ssid='d'/>"> <!-- ] > <x> --> ]>` + "\n" +
			`<swiss-sanctions-list list-type="whole-list" note="a > b /> <place ssid='a'/>">` + "\n" +
			`<!-- <place ssid="c"/> --><![CDATA[ <place ssid="e"/> ]]><?pi <place ssid="f"/> ?>` + "\n" +
			`<target ssid="1" note="x/>"><entity><identity><name note=">"/></identity></entity>` +
			`<modification><added><target ssid="2"/><place ssid="g"/></added></modification></target>` + "\n" +
			`<place ssid="b" note='">'><location>In <!-- a comment --> town</location></place>` + "\n" +
			`<target ssid="3"/>` + "\n" +
			`</swiss-sanctions-list>` + "\n",
			[]string{"b"}, nil, []string{"1", "3"}},
	}
	for _, tc := range tests {
		for _, oneByte := range []bool{false, true} {
			name := tc.name
			if oneByte {
				name += ", byte by byte"
			}
			t.Run(name, func(t *testing.T) {
				var issues sources.Issues
				r := strings.NewReader(tc.doc)
				var lk *lookups
				var err error
				if oneByte {
					lk, err = readLookups(context.Background(), iotest.OneByteReader(r), &issues)
				} else {
					lk, err = readLookups(context.Background(), r, &issues)
				}
				if err != nil {
					t.Fatal(err)
				}
				got := func(m map[string]struct{}) []string { return slices.Sorted(maps.Keys(m)) }
				places, sets := map[string]struct{}{}, map[string]struct{}{}
				for k := range lk.places {
					places[k] = struct{}{}
				}
				for k := range lk.sets {
					sets[k] = struct{}{}
				}
				if p := got(places); !slices.Equal(p, tc.places) {
					t.Errorf("places %v, want %v", p, tc.places)
				}
				if s := got(sets); !slices.Equal(s, tc.sets) {
					t.Errorf("sets %v, want %v", s, tc.sets)
				}
				if tg := got(lk.targets); !slices.Equal(tg, tc.targets) {
					t.Errorf("targets %v, want %v", tg, tc.targets)
				}
			})
		}
	}
}

// TestScannerPlaceText: a place kept across blocks reads whole, with the
// line of its start tag.
func TestScannerPlaceText(t *testing.T) {
	doc := string(withLookups(t, "", testPlaces))
	var issues sources.Issues
	lk, err := readLookups(context.Background(), iotest.OneByteReader(strings.NewReader(doc)), &issues)
	if err != nil {
		t.Fatal(err)
	}
	p := lk.places["319"]
	if p == nil || *p != (place{line: 10, location: "Test city A", area: "Test area A", countryCode: "BY", country: "Belarus"}) {
		t.Errorf("place %+v", p)
	}
}

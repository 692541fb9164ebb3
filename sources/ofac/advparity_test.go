package ofac

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// advancedPair parses the 2020-03-17 consolidated list in both XML formats
// and normalizes the entities as the pipeline does.
func advancedPair(t *testing.T) (adv, legacy *sourcetest.Parsed) {
	t.Helper()
	src := NewConsolidated(Config{})
	adv = sourcetest.MustParse(t, src, cons20200317Advanced(t))
	legacy = sourcetest.MustParse(t, src, cons20200317XML(t))
	for _, p := range []*sourcetest.Parsed{adv, legacy} {
		if len(p.Issues) > 0 {
			t.Errorf("%s: issues: %v", p.Input.Format, sourcetest.IssueStrings(p.Issues))
		}
		var c normalize.Coverage
		for _, e := range p.Emitted {
			normalize.Entity(e, &c)
			e.Canonicalize()
		}
	}
	if adv.Meta.PublicationDate != "2020-03-17" {
		t.Errorf("advanced publication date %q, want 2020-03-17", adv.Meta.PublicationDate)
	}
	return adv, legacy
}

// lessThanAdvanced returns a copy of e without what only the advanced XML
// carries (docs/sources/ofac.md, "Advanced XML against legacy"): listings
// and the listing date, the region of an address whose REGION part the
// legacy XML prints only as the country "Region: X", relation types.
// Relations keep their target ids (the legacy formats resolve them by
// name, links.go) and names. City, postal code and the region from a
// state or province are in both XMLs and compared.
func lessThanAdvanced(e *entity.Entity) *entity.Entity {
	c := *e
	c.Listings, c.ListedOn = nil, ""
	c.Addresses = slices.Clone(e.Addresses)
	for i := range c.Addresses {
		if a := &c.Addresses[i]; strings.HasPrefix(a.CountryRaw, "Region: ") {
			a.Region = ""
		}
	}
	c.Relations = nil
	for _, r := range e.Relations {
		c.Relations = append(c.Relations, entity.Relation{Type: "linked_to", TargetID: r.TargetID, TargetName: r.TargetName})
	}
	c.Canonicalize()
	return &c
}

// The same publication in the advanced and the legacy XML gives the same
// ids and primary names, and entity lines that differ only where the
// advanced format carries more. The per-field agreement rates are logged
// and asserted.
func TestAdvancedAgreesWithLegacy20200317(t *testing.T) {
	adv, legacy := advancedPair(t)
	if len(adv.ByID) != 375 || len(legacy.ByID) != 375 {
		t.Fatalf("advanced gives %d entities, legacy %d, want 375 each", len(adv.ByID), len(legacy.ByID))
	}
	fields := map[string]func(*entity.Entity) any{
		"name":        func(e *entity.Entity) any { return e.Name },
		"type":        func(e *entity.Entity) any { return e.Type },
		"names":       func(e *entity.Entity) any { return e.Names },
		"identifiers": func(e *entity.Entity) any { return e.Identifiers },
		"birth_dates": func(e *entity.Entity) any { return e.BirthDates },
		"programs":    func(e *entity.Entity) any { return e.Programs },
		"remarks":     func(e *entity.Entity) any { return e.Remarks },
		// Full text, street, city, region, postal code and country; the
		// advanced XML adds the region of "Region: X" (us_ofac_cons-9659,
		// "Region: Gaza").
		"addresses": func(e *entity.Entity) any { return lessThanAdvanced(e).Addresses },
		// By target id and name; the advanced XML adds the type.
		"relations": func(e *entity.Entity) any { return lessThanAdvanced(e).Relations },
	}
	// Every field must agree on every entity of this publication: the
	// legacy XML is flattened from the advanced one.
	floors := map[string]float64{"name": 100, "type": 100, "names": 100, "identifiers": 100, "birth_dates": 100,
		"programs": 100, "remarks": 100, "addresses": 100, "relations": 100}
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		get := fields[f]
		agree := 0
		for _, le := range legacy.Emitted {
			ae := adv.ByID[le.ID]
			if ae == nil {
				continue
			}
			if jsonOf(t, get(le)) == jsonOf(t, get(ae)) {
				agree++
			} else if f != "remarks" {
				t.Logf("%s %s:\n  legacy   %s\n  advanced %s", le.ID, f, jsonOf(t, get(le)), jsonOf(t, get(ae)))
			}
		}
		rate := 100 * float64(agree) / float64(len(legacy.Emitted))
		t.Logf("%-12s agree on %d of %d entities (%.1f%%)", f, agree, len(legacy.Emitted), rate)
		if rate < floors[f] {
			t.Errorf("%s agree on %.1f%%, want at least %.1f%%", f, rate, floors[f])
		}
	}
	// Whole lines, once the advanced format's extras are taken off.
	same := 0
	for _, le := range legacy.Emitted {
		ae := adv.ByID[le.ID]
		if ae == nil {
			t.Errorf("%s: only in the legacy XML", le.ID)
			continue
		}
		if a, l := sourcetest.Canonical(lessThanAdvanced(ae)), sourcetest.Canonical(lessThanAdvanced(le)); a == l {
			same++
		} else {
			t.Errorf("%s differs beyond what the advanced XML adds, in %v", le.ID, differingFields(t, a, l))
		}
	}
	t.Logf("entity lines equal but for the advanced format's extras: %d of %d", same, len(legacy.Emitted))
}

// What only the advanced XML carries is there and consistent: every
// relation names an entity of the file by id, with that entity's name;
// every entity has a listing with a start date, listed_on is the earliest,
// and "Consolidated List" never stands beside a more specific list.
func TestAdvancedExtras20200317(t *testing.T) {
	adv, _ := advancedPair(t)
	rels, withParts, listings := 0, 0, map[string]int{}
	for _, e := range adv.Emitted {
		for _, r := range e.Relations {
			rels++
			target := adv.ByID[r.TargetID]
			if target == nil {
				t.Errorf("%s: relation %s to %q, which is not an entity of the file", e.ID, r.Type, r.TargetID)
				continue
			}
			if target.Name != r.TargetName {
				t.Errorf("%s: relation target %s is named %q, the relation says %q", e.ID, r.TargetID, target.Name, r.TargetName)
			}
			if r.Type == "" || r.Type == "linked_to" {
				t.Errorf("%s: relation without its published type: %+v", e.ID, r)
			}
		}
		for _, a := range e.Addresses {
			if a.City != "" || a.Region != "" || a.PostalCode != "" {
				withParts++
			}
			if a.City != "" && !strings.Contains(a.Full, a.City) || a.PostalCode != "" && !strings.Contains(a.Full, a.PostalCode) {
				t.Errorf("%s: address parts %+v are not in its full text %q", e.ID, a, a.Full)
			}
		}
		if len(e.Listings) == 0 {
			t.Errorf("%s: no listing", e.ID)
		}
		earliest := ""
		for _, l := range e.Listings {
			listings[l.List]++
			if l.Start == "" || l.Authority == "" || len(l.Programs) == 0 {
				t.Errorf("%s: listing without start, authority or program: %+v", e.ID, l)
			}
			if l.List == "CONS" && len(e.Listings) > 1 {
				t.Errorf("%s: the Consolidated List beside a more specific list", e.ID)
			}
			if earliest == "" || l.Start < earliest {
				earliest = l.Start
			}
		}
		if e.ListedOn != earliest {
			t.Errorf("%s: listed_on %q, earliest listing %q", e.ID, e.ListedOn, earliest)
		}
	}
	t.Logf("relations with target ids: %d; addresses with parts: %d; listings by list: %v", rels, withParts, listings)
	if rels != 276 {
		t.Errorf("%d relations, want the file's 276 ProfileRelationship", rels)
	}
	if withParts == 0 {
		t.Error("no address has city, region or postal code")
	}
}

// A second reading of the advanced file, with regular expressions and no
// code of the parser: the number of parties, persons, names, documents,
// relationships and sanctions entries by list must equal what the parser
// gives.
func TestAdvancedCountsByHand20200317(t *testing.T) {
	data := string(readTestdata(t, "us_ofac_cons/2020-03-17/cons_advanced.xml.gz"))
	count := func(re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(data, -1)) }
	table := func(elem string) map[string]string {
		m := map[string]string{}
		for _, s := range regexp.MustCompile(`<`+elem+` ID="(\d+)"[^>]*>([^<]*)</`+elem+`>`).FindAllStringSubmatch(data, -1) {
			m[s[1]] = s[2]
		}
		return m
	}
	lists := table("List")
	subtypes := map[string]string{} // PartySubType ID -> PartyTypeID
	for _, s := range regexp.MustCompile(`<PartySubType ID="(\d+)" PartyTypeID="(\d+)"`).FindAllStringSubmatch(data, -1) {
		subtypes[s[1]] = s[2]
	}
	persons := 0
	for _, s := range regexp.MustCompile(`<Profile ID="\d+" PartySubTypeID="(\d+)"`).FindAllStringSubmatch(data, -1) {
		if table("PartyType")[subtypes[s[1]]] == "Individual" {
			persons++
		}
	}
	// Sanctions entries by profile and list, the Consolidated List counted
	// only where it stands alone.
	byProfile := map[string][]string{}
	for _, s := range regexp.MustCompile(`<SanctionsEntry ID="\d+" ProfileID="(\d+)" ListID="(\d+)"`).FindAllStringSubmatch(data, -1) {
		byProfile[s[1]] = append(byProfile[s[1]], lists[s[2]])
	}
	wantListings := map[string]int{}
	for _, ls := range byProfile {
		for _, l := range ls {
			if l != consolidatedList || len(ls) == 1 {
				wantListings[listCodes[l]]++
			}
		}
	}

	adv, _ := advancedPair(t)
	var got struct{ parties, persons, names, docs, rels int }
	gotListings := map[string]int{}
	for _, e := range adv.Emitted {
		got.parties++
		if e.Type == entity.Person {
			got.persons++
		}
		got.names += len(e.Names)
		got.rels += len(e.Relations)
		for _, id := range e.Identifiers {
			// Documents carry the IDRegDocType's text as raw type.
			if slices.Contains(slices.Collect(maps.Values(table("IDRegDocType"))), id.RawType) {
				got.docs++
			}
		}
		for _, l := range e.Listings {
			gotListings[l.List]++
		}
	}
	// Names: the distinct documented names of each party (18769 prints
	// the alias VYSOKOTOCHNYE KOMPLEKSY twice; the entity holds it once).
	names := 0
	aliasRE := regexp.MustCompile(`(?s)<Alias [^>]*AliasTypeID="(\d+)"[^>]*>(.*?)</Alias>`)
	docNameRE := regexp.MustCompile(`(?s)<DocumentedName .*?</DocumentedName>`)
	partRE := regexp.MustCompile(`>([^<]*)</NamePartValue>`)
	for _, party := range regexp.MustCompile(`(?s)<DistinctParty .*?</DistinctParty>`).FindAllString(data, -1) {
		seen := map[string]bool{}
		for _, a := range aliasRE.FindAllStringSubmatch(party, -1) {
			for _, dn := range docNameRE.FindAllString(a[2], -1) {
				key := a[1]
				for _, p := range partRE.FindAllStringSubmatch(dn, -1) {
					key += "|" + p[1]
				}
				seen[key] = true
			}
		}
		names += len(seen)
	}
	want := struct{ parties, persons, names, docs, rels int }{
		parties: count(`<DistinctParty `), persons: persons, names: names,
		docs: count(`<IDRegDocument `), rels: count(`<ProfileRelationship `),
	}
	t.Logf("by hand %+v, listings %v", want, wantListings)
	if got != want {
		t.Errorf("parser %+v, by hand %+v", got, want)
	}
	if jsonOf(t, gotListings) != jsonOf(t, wantListings) {
		t.Errorf("listings by list: parser %v, by hand %v", gotListings, wantListings)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The spill file goes where Config.TempDir says (cmd/ passes the run's
// scratch folder, which a later run sweeps if this one is killed), and is
// gone when Parse returns.
func TestAdvancedSpillsIntoTempDir(t *testing.T) {
	dir := t.TempDir()
	in := cons20200317Advanced(t)
	spills := -1
	var issues sources.Issues
	_, err := NewConsolidated(Config{TempDir: dir}).Parse(t.Context(), in, func(*entity.Entity) error {
		if spills < 0 {
			m, _ := filepath.Glob(filepath.Join(dir, "spill-*"))
			spills = len(m)
		}
		return nil
	}, &issues)
	if err != nil {
		t.Fatal(err)
	}
	if spills != 1 {
		t.Errorf("%d spill files in TempDir during the parse, want 1", spills)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("left after Parse: %v", left)
	}
}

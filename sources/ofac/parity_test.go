package ofac

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestParityConsolidated20180406 parses the same publication in both
// formats: the consolidated list of 2018-04-06 as CONSOLIDATED.XML and as
// CONS_PRIM/CONS_ADD/CONS_ALT.CSV (that archive has no comments file).
func TestParityConsolidated20180406(t *testing.T) {
	src := NewConsolidated(Config{})
	x := sourcetest.MustParse(t, src, cons20180406XML(t))
	c := sourcetest.MustParse(t, src, cons20180406CSV(t))
	for _, p := range []*sourcetest.Parsed{x, c} {
		if len(p.Issues) > 0 {
			t.Errorf("issues: %v", p.Issues)
		}
	}

	// Hard requirement: the same 639 ids with the same primary names.
	if len(x.ByID) != 639 || len(c.ByID) != 639 {
		t.Fatalf("XML gives %d entities, CSV %d, want 639 each", len(x.ByID), len(c.ByID))
	}
	identical := 0
	for _, xe := range x.Emitted {
		ce := c.ByID[xe.ID]
		if ce == nil {
			t.Errorf("%s: only in the XML", xe.ID)
			continue
		}
		if xe.Name != ce.Name {
			t.Errorf("%s: primary name XML %q, CSV %q", xe.ID, xe.Name, ce.Name)
		}
		// The XML's city, region and postal code, which the CSV joins
		// into full, are compared with full below; everything else
		// both carry is compared here.
		xj, cj := sourcetest.Canonical(withoutAddressParts(xe)), sourcetest.Canonical(ce)
		if xj == cj {
			identical++
			continue
		}
		t.Logf("%s differs in %v", xe.ID, differingFields(t, xj, cj))
	}
	t.Logf("identical entities: %d of 639", identical)
	// Both formats count the remarks fragments no label reads. The CSV
	// counts a few more: it reads every fragment of its line, the XML only
	// those its <remarks> element and idList render into it.
	t.Logf("unparsed remarks fragments: XML %d, CSV %d", x.Meta.RemarksUnparsed, c.Meta.RemarksUnparsed)
	if x.Meta.RemarksUnparsed == 0 || c.Meta.RemarksUnparsed == 0 {
		t.Errorf("unparsed remarks fragments not counted: XML %d, CSV %d", x.Meta.RemarksUnparsed, c.Meta.RemarksUnparsed)
	}
	// The two that differ: the legacy CSV prints every " as ' (11625's
	// street "Maker Tower "F"", 22391's alias "...PIPELINES 'DRUZHBA'"").
	const floor = 637
	if identical < floor {
		t.Errorf("identical entities %d, want at least %d", identical, floor)
	}

	// What the XML carries more: its <city>, <stateOrProvince> and
	// <postalCode> elements, counted in the file itself (677, 151 and 478
	// in 711 addresses), are city, region and postal_code, and joined as
	// the CSV prints its City/State/Province/Postal Code column they give
	// the CSV's full text.
	raw := string(readTestdata(t, "us_ofac_cons/2018-04-06/consolidated.xml.gz"))
	want := map[string]int{"city": strings.Count(raw, "<city>"), "region": strings.Count(raw, "<stateOrProvince>"), "postal_code": strings.Count(raw, "<postalCode>")}
	if want["city"] != 677 || want["region"] != 151 || want["postal_code"] != 478 {
		t.Fatalf("elements in the file: %v", want)
	}
	got := map[string]int{}
	for _, xe := range x.Emitted {
		ce := c.ByID[xe.ID]
		if len(xe.Addresses) != len(ce.Addresses) {
			t.Errorf("%s: %d addresses in the XML, %d in the CSV", xe.ID, len(xe.Addresses), len(ce.Addresses))
			continue
		}
		for i, a := range xe.Addresses {
			for f, v := range map[string]string{"city": a.City, "region": a.Region, "postal_code": a.PostalCode} {
				if v != "" {
					got[f]++
				}
			}
			cityLine := a.City
			if a.Region != "" {
				cityLine = strings.TrimPrefix(cityLine+", "+a.Region, ", ")
			}
			if a.PostalCode != "" {
				cityLine = strings.TrimPrefix(cityLine+" "+a.PostalCode, " ")
			}
			var full []string
			for _, p := range []string{a.Street, cityLine, a.CountryRaw} {
				if p != "" {
					full = append(full, p)
				}
			}
			// 11625's street: the CSV prints the XML's " as '.
			if f := strings.Join(full, ", "); f != strings.ReplaceAll(ce.Addresses[i].Full, "'", `"`) && f != ce.Addresses[i].Full {
				t.Errorf("%s address %d: the XML's parts %+v join to %q, the CSV prints %q", xe.ID, i, a, f, ce.Addresses[i].Full)
			}
			if ca := ce.Addresses[i]; ca.City != "" || ca.Region != "" || ca.PostalCode != "" {
				t.Errorf("%s: the CSV split its city line: %+v", ce.ID, ca)
			}
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("XML addresses with city, region, postal code: %v; the file has %v", got, want)
	}
}

// withoutAddressParts returns a copy of e without its addresses' city,
// region and postal code, which only the XMLs carry apart.
func withoutAddressParts(e *entity.Entity) *entity.Entity {
	c := *e
	c.Addresses = slices.Clone(e.Addresses)
	for i := range c.Addresses {
		a := &c.Addresses[i]
		a.City, a.Region, a.PostalCode = "", "", ""
	}
	return &c
}

// differingFields names the top-level fields in which two canonical JSON
// lines differ.
func differingFields(t *testing.T, a, b string) []string {
	var ma, mb map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a), &ma); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &mb); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for k, v := range ma {
		if string(mb[k]) != string(v) {
			fields = append(fields, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			fields = append(fields, k)
		}
	}
	slices.Sort(fields)
	return fields
}

// TestRemarksFactsMatchXML: the identifiers and dates of birth the CSV
// prints only inside remarks agree with the XML's structured elements,
// after the normalization pass, for at least 95% of the entities of the
// same publication. Every mismatch is in the test output.
func TestRemarksFactsMatchXML(t *testing.T) {
	src := NewConsolidated(Config{})
	x := sourcetest.MustParse(t, src, cons20180406XML(t))
	c := sourcetest.MustParse(t, src, cons20180406CSV(t))
	var cx, cc normalize.Coverage
	agree, withFacts := 0, 0
	for _, xe := range x.Emitted {
		ce := c.ByID[xe.ID]
		if ce == nil {
			t.Fatalf("%s only in the XML", xe.ID)
		}
		normalize.Entity(xe, &cx)
		normalize.Entity(ce, &cc)
		xe.Canonicalize()
		ce.Canonicalize()
		if len(xe.Identifiers)+len(xe.BirthDates) > 0 {
			withFacts++
		}
		xf, _ := json.Marshal([]any{xe.Identifiers, xe.BirthDates})
		cf, _ := json.Marshal([]any{ce.Identifiers, ce.BirthDates})
		if string(xf) == string(cf) {
			agree++
			continue
		}
		t.Logf("mismatch %s:\n  xml %s\n  csv %s", xe.ID, xf, cf)
	}
	share := 100 * float64(agree) / float64(len(x.Emitted))
	t.Logf("identifiers and dates of birth agree for %d of %d entities (%.1f%%); %d carry such facts", agree, len(x.Emitted), share, withFacts)
	if share < 95 {
		t.Errorf("agreement %.1f%%, want at least 95%%", share)
	}
}

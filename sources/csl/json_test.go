package csl

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// structuredJSON is consolidated.json in its full shape (addresses with
// city, state and postal code apart, ids with dates, an entity_number as
// a JSON number, alt_names as one string, a result's own country, an
// envelope with sources_used and search_performed_at), one field per
// line. Its values are those of real rows (SDN-10584, the Entity List's
// Southwest Research Institute, an ISN row) spread into the parts the CSV
// joins; the split of the Entity List address is ours.
const structuredJSON = `{
  "total": 3,
  "search_performed_at": "2025-06-25T10:00:00+00:00",
  "sources_used": [
    {"source": "Specially Designated Nationals (SDN) - Treasury Department", "source_last_updated": "2025-06-24T14:07:33+00:00", "import_rate": "Hourly"},
    {"source": "Sectoral Sanctions Identifications List (SSI) - Treasury Department", "source_last_updated": "2025-06-24T14:07:35+00:00", "import_rate": "Hourly"}
  ],
  "results": [
    {
      "id": "10584",
      "source": "Specially Designated Nationals (SDN) - Treasury Department",
      "entity_number": 10584,
      "type": "Individual",
      "programs": ["IFSR", "NPWMD"],
      "name": "SALIMI, Hosein",
      "title": "Commander-in-Chief of the Islamic Revolutionary Guard Corps",
      "addresses": [{"address": null, "city": "Tehran", "state": null, "postal_code": null, "country": "IR"}],
      "alt_names": "SALAMI, Hossein; SALAMI, Hoseyn",
      "dates_of_birth": ["1960"],
      "ids": [
        {"type": "Passport", "number": "D08531177", "country": "IR", "issue_date": "2001-03-27", "expiration_date": "2011-03-26"},
        {"type": "Gender", "number": "Male", "country": null, "issue_date": null, "expiration_date": null}
      ],
      "source_list_url": "https://sanctionslist.ofac.treas.gov/Home/SdnList"
    },
    {
      "id": "a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e",
      "source": "Entity List (EL) - Bureau of Industry and Security",
      "entity_number": null,
      "type": null,
      "name": "Southwest Research Institute of Electronics Technology",
      "addresses": [{"address": "48 Chadianzi Street East, Jinniu District", "city": "Chengdu", "state": "Sichuan", "postal_code": "610036", "country": "CN", "floor": "2"}],
      "country": "CN",
      "federal_register_notice": "66 FR 26267, 77 FR 58006 (no. 182); 81 FR 64694",
      "start_date": "2001-05-14",
      "license_requirement": "For all items subject to the EAR.",
      "alt_names": ["CETC 10th Research Institute; and Southwest Institute of Electronic Technology (SWIET)"],
      "x_extra": 1
    },
    {
      "id": "233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b",
      "source": "Nonproliferation Sanctions (ISN) - State Department",
      "name": "Sinobright Import and Export Company",
      "country": "CN",
      "x_extra": 2
    }
  ]
}
`

// TestJSONStructured: every part of the JSON shape lands where it should,
// and the envelope's facts are checked.
func TestJSONStructured(t *testing.T) {
	p := mustParse(t, "json", []byte(structuredJSON))
	if len(p.Entities) != 3 || p.Meta.DeclaredCount != 3 || p.Meta.PublicationDate != "2025-06-25" || p.Meta.Unproven != "" {
		t.Fatalf("%d entities, meta %+v", len(p.Entities), p.Meta)
	}
	sdn := find(t, p, "SDN-10584", byID("SDN-10584"))
	eq(t, sdn, "names", namesOf(sdn), []string{"primary:SALIMI, Hosein [SALIMI|Hosein]", "alias:SALAMI, Hoseyn [SALAMI|Hoseyn]", "alias:SALAMI, Hossein [SALAMI|Hossein]"})
	eq(t, sdn, "addresses", sdn.Addresses, []entity.Address{{Full: "Tehran, IR", City: "Tehran", CountryRaw: "IR"}})
	eq(t, sdn, "identifiers", sdn.Identifiers, []entity.Identifier{
		{Type: "other", Value: "10584", Raw: "10584", RawType: "OFAC entity number"},
		{Type: "passport", Value: "D08531177", Raw: "D08531177", RawType: "Passport", Country: "IR", Issued: "2001-03-27", Expires: "2011-03-26"},
	})
	eq(t, sdn, "gender", sdn.Gender, "male")
	eq(t, sdn, "titles", sdn.Titles, []string{"Commander-in-Chief of the Islamic Revolutionary Guard Corps"})

	el := find(t, p, "EL", byName("Southwest Research Institute of Electronics Technology"))
	eq(t, el, "type", el.Type, entity.Unknown)
	eq(t, el, "addresses", el.Addresses, []entity.Address{{
		Full:   "48 Chadianzi Street East, Jinniu District, Chengdu, Sichuan, 610036, CN",
		Street: "48 Chadianzi Street East, Jinniu District", City: "Chengdu", Region: "Sichuan", PostalCode: "610036", CountryRaw: "CN"}})
	eq(t, el, "names", namesOf(el), []string{"primary:Southwest Research Institute of Electronics Technology",
		"alias:CETC 10th Research Institute", "alias:Southwest Institute of Electronic Technology (SWIET)"})

	isn := find(t, p, "ISN", byName("Sinobright Import and Export Company"))
	eq(t, isn, "addresses", isn.Addresses, []entity.Address{{Full: "CN", CountryRaw: "CN"}})

	got := sourcetest.IssueStrings(p.Issues)
	want := []string{
		`consolidated.json:26:a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e: unknown field "floor" in addresses; not mapped`,
		`consolidated.json:26:a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e: unknown field "x_extra" in results; not mapped`,
		`consolidated.json:0:: sources_used names "Sectoral Sanctions Identifications List (SSI) - Treasury Department", but results hold no row of it`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
	}
}

// TestJSONBadInput: files that cannot be trusted are refused naming the
// file and the line; broken results are issues with their line, and the
// other results are kept.
func TestJSONBadInput(t *testing.T) {
	doc := []byte(structuredJSON)
	derived := sourcetest.ReadFile(t, derivedJSON)
	cut := func(data []byte, at int) []byte { return data[:at] }
	lineAt := func(data []byte, off int) int { return 1 + bytes.Count(data[:off], []byte("\n")) }
	half := len(derived) / 2
	results := bytes.Index(doc, []byte(`"results": [`)) + len(`"results": [`)
	closing := bytes.LastIndex(doc, []byte("]"))
	cases := []struct {
		name     string
		data     []byte
		err      string
		is       error
		line     int
		entities int
		issues   []string
	}{
		{name: "empty", data: nil, err: "empty file"},
		{name: "HTML page", data: []byte("\n<!DOCTYPE html>\n<html><body>504 Gateway Time-out</body></html>"), err: "an HTML page, not the JSON list", line: 2},
		{name: "XML", data: []byte(`<?xml version="1.0"?><error/>`), err: "an XML document, not the JSON list", line: 1},
		{name: "CSV", data: sourcetest.ReadFile(t, excerpt2025), err: "not a JSON object", line: 1},
		{name: "UTF-16", data: []byte{0xFE, 0xFF, 0, '{'}, err: "UTF-16", line: 1},
		{name: "cut after the results array opens", data: cut(doc, results), err: "truncated", is: sources.ErrIncomplete, line: lineAt(doc, results)},
		{name: "cut in the middle of the derived file", data: cut(derived, half), err: "truncated", is: sources.ErrIncomplete, line: lineAt(derived, half)},
		{name: "cut after the results array closes", data: cut(doc, closing+1), err: "truncated", is: sources.ErrIncomplete, line: lineAt(doc, closing+1)},
		{name: "a second document after the first", data: append(bytes.Clone(doc), "{}"...), err: "after the end of the document", is: sources.ErrIncomplete, line: 49},
		{name: "no results", data: []byte(`{"total": 0}`), err: `no "results" array`, is: sources.ErrIncomplete, line: 1},
		{name: "empty results", data: []byte(`{"results": []}`), err: `"results" array is empty`, is: sources.ErrIncomplete, line: 1},
		{name: "results not an array", data: []byte(`{"results": {"a": 1}}`), err: `{ where "[" was expected`, line: 1},
		{name: "total over the results", data: bytes.Replace(doc, []byte(`"total": 3`), []byte(`"total": 5`), 1), err: "total declares 5 results, the file holds 3", is: sources.ErrIncomplete, line: 48},
		{name: "total not a count", data: bytes.Replace(doc, []byte(`"total": 3`), []byte(`"total": "many"`), 1), err: `field "total"`, line: 2},
		{name: "a syntax error", data: bytes.Replace(doc, []byte(`"name": "SALIMI, Hosein",`), []byte(`"name": "SALIMI, Hosein",,`), 1), err: "not valid JSON", is: sources.ErrIncomplete, line: 15},
		{name: "a result over 1 MiB", data: bytes.Replace(doc, []byte(`"IFSR"`), []byte(`"`+strings.Repeat("x", 2<<20)+`"`), 1), err: "a JSON value longer than 1048576 bytes", is: sources.ErrLimit, line: 14},
		{
			name: "an element that is not an object, a field of the wrong type", entities: 2,
			data: bytes.Replace(bytes.Replace(doc, []byte(`"results": [`), []byte(`"results": [ "oops",`), 1),
				[]byte(`"programs": ["IFSR", "NPWMD"]`), []byte(`"programs": {"IFSR": 1}`), 1),
			err: "total declares 3 results, the file holds 4", is: sources.ErrIncomplete, line: 48,
		},
		{
			name: "an element that is not an object, a field of the wrong type (no total)", entities: 3,
			data: bytes.Replace(bytes.Replace(bytes.Replace(doc, []byte(`"results": [`), []byte(`"results": [ "oops",`), 1),
				[]byte(`"programs": ["IFSR", "NPWMD"]`), []byte(`"programs": {"IFSR": 1}`), 1), []byte(`"total": 3,`), nil, 1),
			issues: []string{
				`consolidated.json:8:: element 1 of results is a string, not an object; skipped`,
				`consolidated.json:9:10584: field "programs": {"IFSR": 1} is not a string; not mapped`,
				`consolidated.json:26:a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e: unknown field "floor" in addresses; not mapped`,
				`consolidated.json:26:a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e: unknown field "x_extra" in results; not mapped`,
				`consolidated.json:0:: sources_used names "Sectoral Sanctions Identifications List (SSI) - Treasury Department", but results hold no row of it`,
			},
		},
		{
			name: "a byte order mark, bad UTF-8, an unknown top-level field", entities: 3,
			data: append([]byte("\xEF\xBB\xBF"), bytes.Replace(bytes.Replace(doc, []byte("Sinobright"), []byte("Sino\xffbright"), 1),
				[]byte(`"total": 3,`), []byte(`"total": 3, "meta": {"a": 1},`), 1)...),
			issues: []string{
				"consolidated.json:1:: UTF-8 byte order mark at the start; dropped",
				`consolidated.json:2:: unknown top-level field "meta"; not mapped`,
				`consolidated.json:26:a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e: unknown field "floor" in addresses; not mapped`,
				`consolidated.json:26:a2a54ca4cc82fa16feb03339e80fa805b74d90b0ffb6ad38fc92b25e: unknown field "x_extra" in results; not mapped`,
				"consolidated.json:40:: invalid UTF-8; the bad bytes are replaced",
				`consolidated.json:0:: sources_used names "Sectoral Sanctions Identifications List (SSI) - Treasury Department", but results hold no row of it`,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(t, "json", tc.data)
			if tc.err != "" {
				checkRefusal(t, p.Err, JSONFile, tc.err, tc.is, tc.line)
				return
			}
			if p.Err != nil {
				t.Fatalf("err %v", p.Err)
			}
			if len(p.Entities) != tc.entities {
				t.Errorf("%d entities, want %d", len(p.Entities), tc.entities)
			}
			got := sourcetest.IssueStrings(p.Issues)
			if !reflect.DeepEqual(got, tc.issues) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.issues))
			}
		})
	}
}

// TestJSONListDropped is the 2024-05-06 case: trade.gov's file lost its
// Treasury rows for a day while sources_used still named the lists. The
// parser says so; the pipeline's guard refuses it (pipeline_test.go).
func TestJSONListDropped(t *testing.T) {
	doc := strings.Replace(structuredJSON, `"total": 3,`, "", 1)
	p := mustParse(t, "json", []byte(doc))
	found := false
	for _, is := range p.Issues {
		found = found || strings.Contains(is.Problem, `sources_used names "Sectoral Sanctions Identifications List (SSI) - Treasury Department", but results hold no row of it`)
	}
	if !found {
		t.Errorf("no issue for the list without rows: %v", p.Issues)
	}
	if !errors.Is(parse(t, "json", []byte(`{"results": [{"name": "x", "source": "Specially Designated Nationals (SDN) - Treasury Department"}], "total": 2}`)).Err, sources.ErrIncomplete) {
		t.Error("a total over the results is not refused")
	}
}

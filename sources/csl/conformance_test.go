package csl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// publications are the real files in testdata (the 2023 one without its
// cut last row), and the derived JSON, by format.
func publications(t *testing.T) map[string]struct {
	format string
	data   []byte
} {
	return map[string]struct {
		format string
		data   []byte
	}{
		"2023-11-30 csv":          {"csv", whole2023(t)},
		"excerpt-2025-06-25 csv":  {"csv", sourcetest.ReadFile(t, excerpt2025)},
		"derived-2023-11-30 json": {"json", sourcetest.ReadFile(t, derivedJSON)},
	}
}

// TestConformance runs the shared suite on every publication.
func TestConformance(t *testing.T) {
	for name, pub := range publications(t) {
		t.Run(name, func(t *testing.T) {
			file := CSVFile
			if pub.format == "json" {
				file = JSONFile
			}
			p := sourcetest.Run(t, New(Config{}), sourcetest.Dir(t, map[string][]byte{file: pub.data}))
			if p.Input.Format != pub.format {
				t.Errorf("format %s, want %s", p.Input.Format, pub.format)
			}
		})
	}
}

// TestRealFileCut: the 2023-11-30 file as archived ends inside a quoted
// field of its 4,227th row (line 4,233): refused as truncated, naming the
// file and the line where the broken row starts.
func TestRealFileCut(t *testing.T) {
	p := parse(t, "csv", sourcetest.ReadFile(t, real2023))
	if !errors.Is(p.Err, sources.ErrIncomplete) {
		t.Fatalf("err %v, want ErrIncomplete", p.Err)
	}
	var re *sources.RecordError
	if !errors.As(p.Err, &re) || re.File != CSVFile || re.Line != 4233 {
		t.Errorf("err %v, want a RecordError for %s line 4233", p.Err, CSVFile)
	}
	if !strings.Contains(p.Err.Error(), "truncated") {
		t.Errorf("err %q does not say truncated", p.Err)
	}
}

// TestPublications: entities per list and type, the publication's meta
// and the only issues the files deserve.
func TestPublications(t *testing.T) {
	cases := []struct {
		name, format string
		data         []byte
		lists        map[string]int
		types        map[entity.Type]int
		emptyType    int // rows whose type column is empty
		declared     int
		unproven     bool
		issues       []string
	}{
		{
			name: "2023-11-30", format: "csv", data: whole2023(t),
			lists: map[string]int{"SDN": 1737, "EL": 919, "DPL": 577, "SSI": 288, "UVL": 186, "ISN": 144, "DTC": 142,
				"PLC": 78, "MEU": 71, "CMIC": 68, "NS-MBS": 14, "FSE": 1, "CAP": 1},
			// 1,124 Individual, 1,060 Entity (+71 MEU), 3 Vessel, and the
			// 2,039 rows without a type less MEU's.
			types:     map[entity.Type]int{entity.Person: 1124, entity.Organization: 1131, entity.Vessel: 3, entity.Unknown: 1968},
			emptyType: 2039, unproven: true,
			issues: issues2023("consolidated.csv", 2, 20, 24, 878, 923, 926, 995, 1223, 1494, 1598, 1921),
		},
		{
			name: "excerpt-2025-06-25", format: "csv", data: sourcetest.ReadFile(t, excerpt2025),
			lists:     map[string]int{"SSI": 3, "PLC": 2, "ISN": 1, "UVL": 1, "MEU": 1, "SDN": 1, "DTC": 1, "DPL": 1, "FSE": 1, "EL": 1},
			types:     map[entity.Type]int{entity.Person: 4, entity.Organization: 4, entity.Unknown: 5},
			emptyType: 6, unproven: true,
		},
		{
			name: "derived-2023-11-30", format: "json", data: sourcetest.ReadFile(t, derivedJSON),
			lists: map[string]int{"SDN": 1737, "EL": 919, "DPL": 577, "SSI": 288, "UVL": 186, "ISN": 144, "DTC": 142,
				"PLC": 78, "MEU": 71, "CMIC": 68, "NS-MBS": 14, "FSE": 1, "CAP": 1},
			types:     map[entity.Type]int{entity.Person: 1124, entity.Organization: 1131, entity.Vessel: 3, entity.Unknown: 1968},
			emptyType: 2039, declared: 4226,
			issues: issues2023("consolidated.json", 0, 19, 23, 877, 918, 921, 990, 1218, 1489, 1593, 1916),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, tc.format, tc.data)
			lists := map[string]int{}
			types := map[entity.Type]int{}
			for _, e := range p.Entities {
				if len(e.Listings) != 1 {
					t.Fatalf("%s: %d listings", e.ID, len(e.Listings))
				}
				lists[e.Listings[0].List]++
				types[e.Type]++
			}
			if !maps.Equal(lists, tc.lists) {
				t.Errorf("entities by list %v, want %v", lists, tc.lists)
			}
			if !maps.Equal(types, tc.types) {
				t.Errorf("entities by type %v, want %v", types, tc.types)
			}
			if n := emptyTypeRows(t, tc.format, tc.data); n != tc.emptyType {
				t.Errorf("%d rows without a type, want %d", n, tc.emptyType)
			}
			if p.Meta.DeclaredCount != tc.declared || (p.Meta.Unproven != "") != tc.unproven || p.Meta.PublicationDate != "" {
				t.Errorf("meta %+v", p.Meta)
			}
			got := sourcetest.IssueStrings(p.Issues)
			if !slices.Equal(got, tc.issues) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.issues))
			}
		})
	}
}

// issues2023 are the issues the 2023 rows deserve, at their lines in
// file (header 0: the file has no header line to repeat).
func issues2023(file string, header, isin1, isin2, c1a, c1b, c1c, und1, email, und2, und3, und4 int) []string {
	at := func(line int, record, problem string) string {
		return fmt.Sprintf("%s:%d:%s: %s", file, line, record, problem)
	}
	const undetermined = `address country "undetermined" is not a known country; kept as published`
	var out []string
	if header > 0 {
		out = append(out, at(header, "", "the header line repeated; skipped"))
	}
	return append(out,
		// Three ISINs of CMIC rows fail their check digit or shape.
		at(isin1, "30926", `ISIN "BRC1EODR004" is invalid (ISIN must be 2 letters, 9 letters or digits and a check digit); kept`),
		at(isin2, "30930", `ISIN "CND10002K094" is invalid (ISIN check digit is 4, want 7); kept`),
		at(isin2, "30930", `ISIN "CND10002G601" is invalid (ISIN check digit is 1, want 8); kept`),
		// Three Military End User names print Xi’an as "Xi\u0092an".
		at(c1a, "b8f67f26ea5e4120a2792841d8c4c82a", c1Problem),
		at(c1b, "57c295ecff064b5784d9e0a2ecd26b78", c1Problem),
		at(c1c, "f664b048a0ad4dae9f400f53032ff44b", c1Problem),
		// OFAC's "undetermined" country (Gaza Strip, Kashmir, ...).
		at(und1, "2691", undetermined),
		at(email, "19468", `Email Address "PRIYEMNAYA@YGDU" is invalid (e-mail domain "ygdu" is not a host name with a dot); kept`),
		at(und2, "7116", undetermined),
		at(und3, "7270", undetermined),
		at(und3, "7270", undetermined),
		at(und4, "7915", undetermined),
	)
}

// emptyTypeRows counts the rows whose type is empty, by a plain reading:
// the CSV's fourth field, the JSON's "type": null.
func emptyTypeRows(t *testing.T, format string, data []byte) int {
	t.Helper()
	if format == "json" {
		return bytes.Count(data, []byte(`"type":null`))
	}
	n := 0
	for _, row := range independentRows(t, data) {
		if row["type"] == "" {
			n++
		}
	}
	return n
}

// TestFormatsAgree: the JSON and the CSV of the same rows give the same
// entity lines, the JSON pretty-printed or on one line.
func TestFormatsAgree(t *testing.T) {
	want := mustParse(t, "csv", whole2023(t)).Lines
	data := sourcetest.ReadFile(t, derivedJSON)
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string][]byte{"one result per line": data, "one line": compact.Bytes()} {
		got := mustParse(t, "json", d).Lines
		if len(got) != len(want) {
			t.Fatalf("%s: %d entities from the JSON, %d from the CSV", name, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: entity %d differs:\njson %s\ncsv  %s", name, i, got[i], want[i])
			}
		}
	}
}

// TestIDsAcrossPublications: the rows the 2023 file and the 2025 excerpt
// share keep their entity ids, also the Military End User and ITAR
// Debarred rows whose _id the publisher renewed.
func TestIDsAcrossPublications(t *testing.T) {
	a := mustParse(t, "csv", whole2023(t))
	b := mustParse(t, "csv", sourcetest.ReadFile(t, excerpt2025))
	var common []string
	for _, e := range b.Entities {
		if a.ByID[e.ID] != nil {
			common = append(common, e.SourceID)
		}
	}
	want := []string{"DPL-c8e39dc37163b2ca", "DTC-3db141e0f66fcea9", "FSE-26182", "ISN-7a07049203dc73d6",
		"MEU-7ab6cd5a91231216", "PLC-9651", "PLC-9673", "SSI-18283", "SSI-18300", "SSI-28603", "UVL-0d1cf426d7b3be6e"}
	if !slices.Equal(common, want) {
		t.Errorf("ids in both files:\n%s\nwant:\n%s", sourcetest.Join(common), sourcetest.Join(want))
	}
	// The two rows the 2025 excerpt adds: the SDN's RIM, Ryong Nam and the
	// Entity List's CETC 13.
	if len(b.Entities)-len(common) != 2 || b.ByID["us_trade_csl-SDN-52291"] == nil {
		t.Errorf("%d of %d 2025 rows are new", len(b.Entities)-len(common), len(b.Entities))
	}
	// The publisher's _id of the MEU and DTC rows changed between the two.
	for _, r := range [][2]string{{"dcc742038bcb47f1bf9e805ef279484d", "66f6ab3f26234b75a9093fce79ef0ce0"}, {"e0621257094740e0b49e16bc396ce231", "34d6611355974b0ba70eba9a096971f8"}} {
		if !bytes.Contains(whole2023(t), []byte(`"`+r[0]+`"`)) || !bytes.Contains(sourcetest.ReadFile(t, excerpt2025), []byte(`"`+r[1]+`"`)) {
			t.Errorf("_id %s (2023) / %s (2025) not found", r[0], r[1])
		}
	}
}

// TestInfo: the registry entry.
func TestInfo(t *testing.T) {
	info := New(Config{}).Info()
	if info.Name != "us_trade_csl" || info.Publisher != "US International Trade Administration" ||
		info.Title != "Consolidated Screening List" || info.Schedule != "25 */2 * * *" {
		t.Errorf("info %+v", info)
	}
	want := []sources.FileSet{
		{Format: "json", Files: []sources.FileSpec{{Name: "consolidated.json", URL: "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"}}},
		{Format: "csv", Files: []sources.FileSpec{{Name: "consolidated.csv", URL: "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"}}},
	}
	if !slices.EqualFunc(info.Formats, want, func(a, b sources.FileSet) bool { return a.Format == b.Format && slices.Equal(a.Files, b.Files) }) {
		t.Errorf("formats %+v", info.Formats)
	}
	cfg := Config{URLs: map[string]string{CSVFile: "http://127.0.0.1:8080/c.csv"}}
	if f := New(cfg).Info().Formats; f[1].Files[0].URL != "http://127.0.0.1:8080/c.csv" || f[0].Files[0].URL != JSONURL {
		t.Errorf("URL override: %+v", f)
	}
}

package csl

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

var update = flag.Bool("update", false, "rewrite the derived JSON fixture")

// The derived JSON fixture: the rows of the real 2023-11-30 CSV (without
// its cut last row) in the shape of consolidated.json, so that the JSON
// reader runs on real values (no real consolidated.json is archived
// anywhere we could find). deriveJSON is the derivation; the README beside
// the fixture describes it in words. It reads the CSV with encoding/csv
// and writes with encoding/json, sharing no code with the parser.

// jsonAddress and jsonID are the objects of addresses and ids.
type jsonAddress struct {
	Address    *string `json:"address"`
	City       *string `json:"city"`
	State      *string `json:"state"`
	PostalCode *string `json:"postal_code"`
	Country    *string `json:"country"`
}

type jsonID struct {
	Type           *string `json:"type"`
	Number         *string `json:"number"`
	Country        *string `json:"country"`
	IssueDate      *string `json:"issue_date"`
	ExpirationDate *string `json:"expiration_date"`
}

// jsonResult is one element of results, its fields in the CSV's column
// order.
type jsonResult struct {
	ID                     *string       `json:"id"`
	Source                 *string       `json:"source"`
	EntityNumber           *string       `json:"entity_number"`
	Type                   *string       `json:"type"`
	Programs               []string      `json:"programs"`
	Name                   *string       `json:"name"`
	Title                  *string       `json:"title"`
	Addresses              []jsonAddress `json:"addresses"`
	FederalRegisterNotice  *string       `json:"federal_register_notice"`
	StartDate              *string       `json:"start_date"`
	EndDate                *string       `json:"end_date"`
	StandardOrder          *string       `json:"standard_order"`
	LicenseRequirement     *string       `json:"license_requirement"`
	LicensePolicy          *string       `json:"license_policy"`
	CallSign               *string       `json:"call_sign"`
	VesselType             *string       `json:"vessel_type"`
	GrossTonnage           *string       `json:"gross_tonnage"`
	GrossRegisteredTonnage *string       `json:"gross_registered_tonnage"`
	VesselFlag             *string       `json:"vessel_flag"`
	VesselOwner            *string       `json:"vessel_owner"`
	Remarks                *string       `json:"remarks"`
	SourceListURL          *string       `json:"source_list_url"`
	AltNames               []string      `json:"alt_names"`
	Citizenships           []string      `json:"citizenships"`
	DatesOfBirth           []string      `json:"dates_of_birth"`
	Nationalities          []string      `json:"nationalities"`
	PlacesOfBirth          []string      `json:"places_of_birth"`
	SourceInformationURL   *string       `json:"source_information_url"`
	IDs                    []jsonID      `json:"ids"`
}

// deriveJSON renders the CSV's rows as consolidated.json: {"total": n,
// "results": [...]}, one result per line.
func deriveJSON(t testing.TB, csvData []byte) []byte {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(csvData))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var results [][]byte
	for _, rec := range recs[1:] {
		if strings.Join(rec, "\x00") == strings.Join(header, "\x00") {
			continue // the repeated header line
		}
		get := func(name string) *string {
			v := strings.TrimSpace(rec[col[name]])
			if v == "" {
				return nil
			}
			return &v
		}
		parts := func(name string) []string {
			out := []string{}
			if v := get(name); v != nil {
				out = strings.Split(*v, "; ")
			}
			return out
		}
		res := jsonResult{
			ID: get("_id"), Source: get("source"), EntityNumber: get("entity_number"), Type: get("type"),
			Programs: parts("programs"), Name: get("name"), Title: get("title"),
			Addresses: deriveAddresses(get("addresses")), FederalRegisterNotice: get("federal_register_notice"),
			StartDate: get("start_date"), EndDate: get("end_date"), StandardOrder: get("standard_order"),
			LicenseRequirement: get("license_requirement"), LicensePolicy: get("license_policy"),
			CallSign: get("call_sign"), VesselType: get("vessel_type"), GrossTonnage: get("gross_tonnage"),
			GrossRegisteredTonnage: get("gross_registered_tonnage"), VesselFlag: get("vessel_flag"),
			VesselOwner: get("vessel_owner"), Remarks: get("remarks"), SourceListURL: get("source_list_url"),
			AltNames: parts("alt_names"), Citizenships: parts("citizenships"), DatesOfBirth: parts("dates_of_birth"),
			Nationalities: parts("nationalities"), PlacesOfBirth: parts("places_of_birth"),
			SourceInformationURL: get("source_information_url"), IDs: deriveIDs(get("ids")),
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res); err != nil {
			t.Fatal(err)
		}
		results = append(results, bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	var out bytes.Buffer
	out.WriteString(`{"total": `)
	out.WriteString(strings.TrimSpace(string(mustJSON(t, len(results)))))
	out.WriteString(`, "results": [` + "\n")
	out.Write(bytes.Join(results, []byte(",\n")))
	out.WriteString("\n]}\n")
	return out.Bytes()
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deriveAddresses splits the addresses column: at "; " except before
// "and ", a trailing "," dropped, the last ", "-part the country when it
// is two capitals or lower-case letters, spaces and parentheses, the rest
// the address. City, state and postal code stay null: the CSV joins them
// into the address without saying which is which.
func deriveAddresses(v *string) []jsonAddress {
	out := []jsonAddress{}
	if v == nil {
		return out
	}
	var segs []string
	for i, s := range strings.Split(*v, "; ") {
		if i > 0 && strings.HasPrefix(s, "and ") {
			segs[len(segs)-1] += "; " + s
			continue
		}
		segs = append(segs, s)
	}
	for _, s := range segs {
		s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ","))
		a := jsonAddress{Address: &s}
		if i := strings.LastIndex(s, ", "); i >= 0 && countryWord(s[i+2:]) {
			street, country := s[:i], s[i+2:]
			a.Address, a.Country = &street, &country
		} else if len(s) == 2 && countryWord(s) {
			a.Address, a.Country = nil, &s
		}
		out = append(out, a)
	}
	return out
}

// dateWord: "19 Jun 1987", "May 2006", "1968", "2021-06-03".
func dateWord(s string) bool {
	for _, layout := range []string{"02 Jan 2006", "Jan 2006", "2006", "2006-01-02"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

func countryWord(s string) bool {
	if len(s) == 2 && strings.ToUpper(s) == s && strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
		return true
	}
	return s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz ()") == "" && strings.Trim(s, " ()") != ""
}

// deriveIDs splits the ids column: at "; ", each "type, number[,
// country][, issue date][, expiration date]": the first ", "-part the
// type; up to two trailing dates (while a part is left for the number)
// the issue and the expiration date, a lone one the issue date; then the
// last part the country when a part is left and it is two capitals; the
// rest the number.
func deriveIDs(v *string) []jsonID {
	out := []jsonID{}
	if v == nil {
		return out
	}
	for _, s := range strings.Split(*v, "; ") {
		p := strings.Split(s, ", ")
		typ := p[0]
		id := jsonID{Type: &typ}
		rest := p[1:]
		var dates []string
		for len(dates) < 2 && len(rest) >= 2 && dateWord(rest[len(rest)-1]) {
			dates = append([]string{rest[len(rest)-1]}, dates...)
			rest = rest[:len(rest)-1]
		}
		if len(dates) > 0 {
			id.IssueDate = &dates[0]
		}
		if len(dates) > 1 {
			id.ExpirationDate = &dates[1]
		}
		if len(rest) >= 2 {
			if c := rest[len(rest)-1]; len(c) == 2 && countryWord(c) && strings.ToUpper(c) == c {
				id.Country = &c
				rest = rest[:len(rest)-1]
			}
		}
		if len(rest) > 0 {
			n := strings.Join(rest, ", ")
			id.Number = &n
		}
		out = append(out, id)
	}
	return out
}

// TestDerivedJSONFixture: the committed fixture is what deriveJSON makes
// of the real rows (go test -run TestDerivedJSONFixture -update rewrites
// it).
func TestDerivedJSONFixture(t *testing.T) {
	want := deriveJSON(t, whole2023(t))
	if *update {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(want)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(derivedJSON), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(derivedJSON, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := sourcetest.ReadFile(t, derivedJSON); !bytes.Equal(got, want) {
		t.Fatalf("%s is not the derivation of the real rows (%d bytes, want %d); rerun with -update", derivedJSON, len(got), len(want))
	}
}

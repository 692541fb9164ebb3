package bigfile_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const consAdvanced = "../../testdata/us_ofac_cons/2020-03-17/cons_advanced.xml.gz"

// advScan is what encoding/xml finds in an advanced publication: the
// root's grandchildren by the root's child holding them and, in the
// sections after ReferenceValueSets, every attribute ending in "ID" or
// named FixedRef, as "element attribute value" with its count.
type advScan struct {
	records map[string]int
	attrs   map[string]int
}

func scanAdvanced(t *testing.T, data []byte) advScan {
	t.Helper()
	s := advScan{records: map[string]int{}, attrs: map[string]int{}}
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, section := 0, ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				section = tok.Name.Local
			}
			if depth == 3 {
				s.records[section]++
			}
			if section == "ReferenceValueSets" || section == "DateOfIssue" {
				continue
			}
			for _, a := range tok.Attr {
				if strings.HasSuffix(a.Name.Local, "ID") || a.Name.Local == "FixedRef" {
					s.attrs[tok.Name.Local+" "+a.Name.Local+" "+a.Value]++
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Fatalf("root left open at depth %d", depth)
	}
	return s
}

// instanceAttrs are the attributes the generator renumbers, written out
// again here so that the test does not take the list from the code it
// checks.
var instanceAttrs = map[string]bool{
	"ID": true, "FixedRef": true, "IdentityID": true, "ProfileID": true, "From-ProfileID": true, "To-ProfileID": true,
	"LocationID": true, "IssuedIn-LocationID": true, "NamePartGroupID": true, "FeatureVersionID": true,
	"DocumentedNameID": true, "IDRegDocumentID": true, "SanctionsEntryID": true,
}

// Three copies of the 2020-03-17 consolidated list hold every id attribute
// of the real file three times: instance ids moved on by k*Base in copy k,
// code-table ids unchanged; the code tables once; every record three
// times.
func TestWriteOFACAdvanced(t *testing.T) {
	pub := sourcetest.Gunzip(t, consAdvanced)
	o, err := bigfile.ParseOFACAdvanced(pub)
	if err != nil {
		t.Fatal(err)
	}
	if o.Parties() != 375 || o.Base != 1e9 {
		t.Fatalf("%d parties, base %d; want 375, 1e9 (the largest id, SanctionsMeasure 110153139, has 9 digits)", o.Parties(), o.Base)
	}
	var buf bytes.Buffer
	st, err := o.Write(&buf, 3)
	if err != nil {
		t.Fatal(err)
	}
	orig, got := scanAdvanced(t, pub), scanAdvanced(t, buf.Bytes())
	wantRecords, total := map[string]int{}, 0
	for sect, n := range orig.records {
		if sect != "ReferenceValueSets" && sect != "DateOfIssue" {
			n *= 3
		}
		wantRecords[sect] = n
		total += n
	}
	if !maps.Equal(got.records, wantRecords) {
		t.Errorf("records by section %v, want %v (the code tables and the date once)", got.records, wantRecords)
	}
	if st.Bytes != int64(buf.Len()) || st.Parties != 3*375 || st.Copies != 3 || st.Records != total {
		t.Errorf("stats %+v; wrote %d bytes with %d records, want 1125 parties", st, buf.Len(), total)
	}
	want := map[string]int{}
	for key, n := range orig.attrs {
		f := strings.Fields(key)
		if !instanceAttrs[f[1]] {
			want[key] += 3 * n
			continue
		}
		v, err := strconv.ParseUint(f[2], 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		for k := range uint64(3) {
			want[f[0]+" "+f[1]+" "+strconv.FormatUint(v+k*o.Base, 10)] += n
		}
	}
	if !maps.Equal(got.attrs, want) {
		var diff []string
		for _, k := range slices.Sorted(maps.Keys(want)) {
			if got.attrs[k] != want[k] {
				diff = append(diff, k+": "+strconv.Itoa(got.attrs[k])+" want "+strconv.Itoa(want[k]))
			}
		}
		for k := range got.attrs {
			if _, ok := want[k]; !ok {
				diff = append(diff, k+": unexpected")
			}
		}
		t.Errorf("%d id attributes differ, e.g. %q", len(diff), diff[:min(len(diff), 5)])
	}

	// Copies: the least number of copies reaching the size.
	size := func(n int) int64 {
		st, err := o.Write(io.Discard, n)
		if err != nil {
			t.Fatal(err)
		}
		return st.Bytes
	}
	for _, minBytes := range []int64{0, 5e6, 20e6} {
		n := o.Copies(minBytes)
		if size(n) < minBytes || (n > 1 && size(n-1) >= minBytes) {
			t.Errorf("Copies(%d) = %d: %d bytes, %d with one fewer", minBytes, n, size(n), size(n-1))
		}
	}
}

// What a renumbering cannot rely on is refused.
func TestParseOFACAdvancedRefuses(t *testing.T) {
	pub := sourcetest.Gunzip(t, consAdvanced)
	rep := func(old, new string) []byte {
		if bytes.Count(pub, []byte(old)) != 1 {
			t.Fatalf("%q is not once in the file", old)
		}
		return bytes.Replace(pub, []byte(old), []byte(new), 1)
	}
	refs := bytes.Index(pub, []byte("  <ReferenceValueSets>"))
	locs := bytes.Index(pub, []byte("  <Locations>"))
	for name, data := range map[string][]byte{
		"no code tables":          append(bytes.Clone(pub[:refs]), pub[locs:]...),
		"section before the refs": append(append(bytes.Clone(pub[:refs]), "<Locations />"...), pub[refs:]...),
		"unknown id attribute":    rep(`<Location ID="12812">`, `<Location ID="12812" OtherID="1">`),
		"leading zero":            rep(`<Location ID="12812">`, `<Location ID="012812">`),
		"not digits":              rep(`<DistinctParty FixedRef="9639">`, `<DistinctParty FixedRef="A9639">`),
		"id in single quotes":     rep(`<Location ID="12812">`, `<Location ID='12812'>`),
		"cut":                     pub[:len(pub)/2],
	} {
		if _, err := bigfile.ParseOFACAdvanced(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

package ofac

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		raw  string
		want entity.Date
	}{
		{"13 May 1965", entity.Date{Value: "1965-05-13", Precision: "day"}},
		{"Mar 1978", entity.Date{Value: "1978-03", Precision: "month"}},
		{"1962", entity.Date{Value: "1962", Precision: "year"}},
		{"circa 1960", entity.Date{Value: "1960", Precision: "year", Approximate: true}},
		{"circa 01 Jan 1960", entity.Date{Value: "1960-01-01", Precision: "day", Approximate: true}},
		{"1968 to 1970", entity.Date{Precision: "range", From: "1968", To: "1970"}},
		{"01 Jan 1953 to 31 Dec 1954", entity.Date{Precision: "range", From: "1953-01-01", To: "1954-12-31"}},
		{"circa 1979-1982", entity.Date{Precision: "range", From: "1979", To: "1982", Approximate: true}},
		{"Jan 1970 to Dec 1971", entity.Date{Precision: "range", From: "1970-01", To: "1971-12"}},
		// Unknown forms keep only the raw text.
		{"1979-1982", entity.Date{Precision: "range", From: "1979", To: "1982"}},
		{"32 Jan 1970", entity.Date{}},
		{"13 Foo 1965", entity.Date{}},
		{"circa", entity.Date{}},
	}
	for _, tc := range tests {
		tc.want.Raw = tc.raw
		if got := parseDate(tc.raw); got != tc.want {
			t.Errorf("parseDate(%q) = %+v, want %+v", tc.raw, got, tc.want)
		}
	}
}

func TestSplitRemarks(t *testing.T) {
	line := "DOB 1962; Additional Sanctions Information - Not on the SDN List and Not Subject to Secondary Sanctions; " +
		"U.S. Persons Must Continue to Block the Property; all offices worldwide; U.S. Persons are free text here."
	want := []string{"DOB 1962",
		"Additional Sanctions Information - Not on the SDN List and Not Subject to Secondary Sanctions; U.S. Persons Must Continue to Block the Property",
		"all offices worldwide", "U.S. Persons are free text here."}
	if got := splitRemarks(line, nil); !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
}

// TestRemarkFragment reads single fragments as they occur in real Remarks.
func TestRemarkFragment(t *testing.T) {
	tests := []struct {
		frag string
		last bool
		want entity.Entity
	}{
		{"alt. DOB 13 Apr 1968", false, entity.Entity{BirthDates: []entity.Date{{Value: "1968-04-13", Precision: "day", Raw: "13 Apr 1968"}}}},
		{"POB Medellin, Colombia.", true, entity.Entity{BirthPlaces: []string{"Medellin, Colombia"}}},
		{"POB Washington, D.C.", true, entity.Entity{BirthPlaces: []string{"Washington, D.C."}}},
		{"nationality Korea, North", false, entity.Entity{Nationalities: []entity.Country{{Raw: "Korea, North"}}}},
		{"citizen Iran.", true, entity.Entity{Citizenships: []entity.Country{{Raw: "Iran"}}}},
		{"Gender Male", false, entity.Entity{Gender: "male"}},
		{"Passport AL720622 (Colombia) issued 15 Apr 2008 expires 14 Apr 2013.", true, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "passport", Value: "AL720622", Raw: "AL720622", RawType: "Passport", Country: "Colombia", Issued: "2008-04-15", Expires: "2013-04-14"}}}},
		{"Cedula No. 7548733 (Colombia)", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "national_id", Value: "7548733", Raw: "7548733", RawType: "Cedula No.", Country: "Colombia"}}}},
		{"Passport Booklet: A6169832 (Pakistan)", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "passport", Value: "A6169832", Raw: "A6169832", RawType: "Passport Booklet:", Country: "Pakistan"}}}},
		{"SWIFT/BIC BTEJ IR TH", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "swift_bic", Value: "BTEJIRTH", Raw: "BTEJ IR TH", RawType: "SWIFT/BIC"}}}},
		{"Vessel Registration Identification IMO 9187629.", true, entity.Entity{
			Identifiers: []entity.Identifier{{Type: "imo", Value: "9187629", Raw: "IMO 9187629", RawType: "Vessel Registration Identification"}},
			Vessel:      &entity.VesselInfo{IMO: "9187629"}}},
		{"Vessel Registration Identification 9187629", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "other", Value: "9187629", Raw: "9187629", RawType: "Vessel Registration Identification"}}}},
		{"Digital Currency Address - XBT 1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "crypto_wallet", Value: "1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V", Raw: "1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V",
			RawType: "Digital Currency Address - XBT", Note: "XBT"}}}},
		{"Digital Currency Address - XYZ abc123", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "crypto_wallet", Value: "abc123", Raw: "abc123", RawType: "Digital Currency Address - XYZ", Note: "XYZ"}}}},
		{"Email Address Info@Example.com", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "email", Value: "info@example.com", Raw: "Info@Example.com", RawType: "Email Address"}}}},
		{"Aircraft Manufacturer's Serial Number (MSN) 1023409321", false, entity.Entity{
			Identifiers: []entity.Identifier{{Type: "aircraft_serial", Value: "1023409321", Raw: "1023409321", RawType: "Aircraft Manufacturer's Serial Number (MSN)"}},
			Aircraft:    &entity.AircraftInfo{SerialNumber: "1023409321"}}},
		{"Aircraft Model IL76-TD", false, entity.Entity{Aircraft: &entity.AircraftInfo{Model: "IL76-TD"}}},
		{"Aircraft Manufacture Date 01 Dec 1992.", true, entity.Entity{Aircraft: &entity.AircraftInfo{BuiltDate: "1992-12-01"}}},
		{"a.k.a. 'SHAHIN CO.'.", true, entity.Entity{Names: []entity.Name{{Value: "SHAHIN CO.", Kind: "weak_alias", Script: "Latn", Normalized: "shahin co"}}}},
		{"Linked To: HIZBALLAH.", true, entity.Entity{Relations: []entity.Relation{{Type: "linked_to", TargetName: "HIZBALLAH"}}}},
		{"Linked To: R D I S.A.", true, entity.Entity{Relations: []entity.Relation{{Type: "linked_to", TargetName: "R D I S.A."}}}},
		{"Linked To: SHAHIN CO.", true, entity.Entity{Relations: []entity.Relation{{Type: "linked_to", TargetName: "SHAHIN CO."}}}},
		{"Organization Type: Activities of holding companies.", true, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "other", Value: "Activities of holding companies", Raw: "Activities of holding companies", RawType: "Organization Type:"}}}},
		{"Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209.", true, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "other", Value: "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209",
			Raw: "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201 and/or 589.209", RawType: "Secondary sanctions risk:"}}}},
		// A sentence after a label that starts with a number: the number,
		// with the sentence as its note (a labelled fact is never dropped;
		// the second number of the sentence stays in its note).
		{"Passport OR801168 and Kuwaiti National ID No. 281020505755 issued under the name Said Jan 'Abd al-Salam", false, entity.Entity{Identifiers: []entity.Identifier{{
			Type: "passport", Value: "OR801168", Raw: "OR801168", RawType: "Passport",
			Note: "as printed: Passport OR801168 and Kuwaiti National ID No. 281020505755 issued under the name Said Jan 'Abd al-Salam"}}}},
		// Free text that starts like a label but holds no number gives
		// nothing.
		{"Passport issued in Sarajevo, Bosnia-Herzegovina", false, entity.Entity{}},
		{"all offices worldwide", false, entity.Entity{}},
		{"Telephone Number: (971) (4) (3248000).", true, entity.Entity{}},
		{"a.k.a. unquoted", false, entity.Entity{}},
	}
	for _, tc := range tests {
		b := newBuilder("s", "1", entity.Organization)
		b.remarkFragment(tc.frag, tc.last)
		got := b.finish("")
		got.ID, got.Source, got.SourceID, got.Type = "", "", "", ""
		if g, w := sourcetest.Canonical(got), sourcetest.Canonical(&tc.want); g != w {
			t.Errorf("%q:\n got  %s\n want %s", tc.frag, g, w)
		}
	}
}

func TestLegacyLine(t *testing.T) {
	var l legacyLine
	l.item(labels.rank["Passport"], "Passport", "20", "B2 (Iran)")
	l.item(labels.rank["Passport"], "Passport", "10", "A1 (Iran)")
	l.item(labels.rank["DOB"], "DOB", "5", "1962")
	l.item(labels.rank["Website"], "Website", "7", "www.example.com")
	l.remarks("all offices worldwide; (Linked To: ACME (LONDON) LTD.)")
	l.weak = append(l.weak, "a.k.a. 'AC'")
	line := l.render("Director")
	want := "DOB 1962; Website www.example.com; Passport A1 (Iran); alt. Passport B2 (Iran); Director; all offices worldwide; a.k.a. 'AC'; Linked To: ACME (LONDON) LTD."
	if line != want {
		t.Errorf("got  %q\nwant %q", line, want)
	}
	b := newBuilder("s", "1", entity.Organization)
	l.remarkFacts(b, line)
	if e := b.finish(line); !slices.Equal(e.Relations, []entity.Relation{{Type: "linked_to", TargetName: "ACME (LONDON) LTD."}}) ||
		len(e.Identifiers) != 0 || len(e.Names) != 0 {
		t.Errorf("facts from the remarks element: %+v", e)
	}
}

func TestRemarkOrderLabels(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range remarkOrder {
		if seen[l.text] {
			t.Errorf("duplicate label %q", l.text)
		}
		seen[l.text] = true
		if (l.kind == factID) != (l.idType != "") {
			t.Errorf("%q: kind %d, idType %q", l.text, l.kind, l.idType)
		}
	}
}

func TestParseStops(t *testing.T) {
	stop := errors.New("stop")
	var issues sources.Issues
	n := 0
	_, err := NewSDN(Config{}).Parse(context.Background(), sdnCSV20210707(t), func(*entity.Entity) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	}, &issues)
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("emit error: err %v after %d entities", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, in := range []*sources.Input{sdnCSV20210707(t), cons20180406XML(t)} {
		src := NewSDN(Config{})
		if in.Format == "xml" {
			src = NewConsolidated(Config{})
		}
		if _, err := src.Parse(ctx, in, func(*entity.Entity) error { return nil }, &issues); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled context gives %v", in.Format, err)
		}
	}
}

// FuzzRemarks: any remarks line, read as the CSV parser reads it, never
// panics, gives the same entity twice, keeps the remarks whole, and every
// fragment is either read or counted as unparsed.
func FuzzRemarks(f *testing.F) {
	for _, s := range []string{
		"DOB 13 May 1965; alt. DOB 13 Apr 1968; POB Medellin, Colombia; Cedula No. 7548733 (Colombia); Passport AL720622 (Colombia); Linked To: BIO FORESTAL S.A.S.",
		"Digital Currency Address - XBT 1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V; Email Address info@example.com; Website www.example.com; Phone Number 8613314257947.",
		"a.k.a. 'BNC'.",
		"Vessel Registration Identification IMO 9187629; MMSI 123456789; Former Vessel Flag Panama.",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		read := func() (*entity.Entity, int) {
			var stats remarkStats
			b := newBuilder("us_ofac_sdn", "1", entity.Person)
			b.unparsed = &stats
			text := normalize.Text(line)
			frags := splitRemarks(text, nil)
			for i, fr := range frags {
				b.remarkFragment(fr, i == len(frags)-1)
			}
			e := b.finish(text)
			e.Canonicalize()
			return e, stats.count
		}
		a, na := read()
		b, nb := read()
		ja, err := a.MarshalCanonical()
		if err != nil {
			t.Fatal(err)
		}
		jb, _ := b.MarshalCanonical()
		if string(ja) != string(jb) || na != nb {
			t.Fatalf("two reads differ:\n%s\n%s", ja, jb)
		}
		if a.Remarks != normalize.Text(line) {
			t.Fatalf("remarks changed: %q", a.Remarks)
		}
		if na > len(splitRemarks(normalize.Text(line), nil)) {
			t.Fatalf("%d unparsed of fewer fragments", na)
		}
	})
}

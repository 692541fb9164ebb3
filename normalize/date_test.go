package normalize

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Forms printed by OFAC, the UN, the EU and the UK.
func TestParseDate(t *testing.T) {
	tests := []struct {
		raw  string
		want entity.Date
	}{
		{"13 May 1965", entity.Date{Value: "1965-05-13", Precision: "day"}},
		{"3 May 1965", entity.Date{Value: "1965-05-03", Precision: "day"}},
		{"Mar 1978", entity.Date{Value: "1978-03", Precision: "month"}},
		{"1962", entity.Date{Value: "1962", Precision: "year"}},
		{"circa 1960", entity.Date{Value: "1960", Precision: "year", Approximate: true}},
		{"1968 to 1970", entity.Date{Precision: "range", From: "1968", To: "1970"}},
		{"01 Jan 1953 to 31 Dec 1954", entity.Date{Precision: "range", From: "1953-01-01", To: "1954-12-31"}},
		{"circa 1979-1982", entity.Date{Precision: "range", From: "1979", To: "1982", Approximate: true}},
		{"Between 1960 and 1962", entity.Date{Precision: "range", From: "1960", To: "1962"}},
		{"Between Aug. and Sep. 1977", entity.Date{Precision: "range", From: "1977-08", To: "1977-09"}},
		{"1965-05-13", entity.Date{Value: "1965-05-13", Precision: "day"}},
		{"13/05/1965", entity.Date{Value: "1965-05-13", Precision: "day"}},
		{"00/05/1965", entity.Date{Value: "1965-05", Precision: "month"}},
		{"00/00/1980", entity.Date{Value: "1980", Precision: "year"}},
		{"dd/mm/1945", entity.Date{Value: "1945", Precision: "year"}},
		{"29/02/1999", entity.Date{}}, // no such day
		{"31 Apr 1970", entity.Date{}},
		{"1970 to 1968", entity.Date{}},
		{"12/00/1970", entity.Date{}},
		{"unknown", entity.Date{}},
		// Real UN birth dates (2018-06-07): an age, no date, but
		// approximate as printed.
		{"APPROXIMATELY (30-35 years old)", entity.Date{Approximate: true}},
		{"circa 1970 to 1968", entity.Date{Approximate: true}},
		{"", entity.Date{}},
	}
	for _, tc := range tests {
		tc.want.Raw = tc.raw
		got := ParseDate(tc.raw)
		if got != tc.want {
			t.Errorf("ParseDate(%q) = %+v, want %+v", tc.raw, got, tc.want)
		}
	}
}

func TestDateParts(t *testing.T) {
	if got := DateParts(1971, 0, 0, "1971"); got.Value != "1971" || got.Precision != "year" {
		t.Errorf("year only: %+v", got)
	}
	if got := DateParts(1971, 2, 30, "x"); got.Precision != "" || got.Raw != "x" {
		t.Errorf("30 Feb: %+v", got)
	}
	if got := YearRange(1960, 1962, "BETWEEN 1960 1962"); got.From != "1960" || got.To != "1962" || got.Precision != "range" {
		t.Errorf("range: %+v", got)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"13 May 1965", "circa 1979-1982", "Between 1960 and 1962", "00/00/1980", "1965-05"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := ParseDate(s)
		if d.Raw != s {
			t.Fatalf("raw not kept")
		}
		if d.Precision == "" && (d.Value != "" || d.From != "") {
			t.Fatalf("value without precision: %+v", d)
		}
		if d.Precision == entity.PrecisionRange && d.From > d.To {
			t.Fatalf("inverted range %+v", d)
		}
	})
}

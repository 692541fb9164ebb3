package normalize

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Hijri dates as the UN and DFAT print them. The Gregorian days are the
// publishers' own where they print one beside the Hijri date (UN
// un_sc-2962519: DOB 1982-04-18 beside 24/06/1402; its passport "expired
// on 7 Mar. 2010 ... Expiry date in Hijri Calendar 21/03/1431"), else R. H.
// van Gent's Umm al-Qura table (1 Muharram 1431 = 2009-12-18, 30 Dhu
// al-Hijja 1431 = 2010-12-06, 1 and 30 Rabi' I 1431 = 2010-02-15 and
// 2010-03-16).
func TestParseDateHijri(t *testing.T) {
	uq := CalendarUmmAlQura
	tests := []struct {
		raw  string
		want entity.Date
	}{
		{"24/06/1402 (Hijri Calendar)", entity.Date{Value: "1982-04-18", Precision: "day", Calendar: uq}},
		{"24.6.1402 (Hijri Calendar)", entity.Date{Value: "1982-04-18", Precision: "day", Calendar: uq}},
		{"in Hijri Calendar 21/03/1431.", entity.Date{Value: "2010-03-07", Precision: "day", Calendar: uq}},
		{"Hijri Calendar 24/06/1426", entity.Date{Value: "2005-07-30", Precision: "day", Calendar: uq}},
		{"03/1431 (Hijri Calendar)", entity.Date{Precision: "range", From: "2010-02-15", To: "2010-03-16", Calendar: uq}},
		{"1431 (Hijri Calendar)", entity.Date{Precision: "range", From: "2009-12-18", To: "2010-12-06", Calendar: uq}},
		{"circa 1431 (Hijri)", entity.Date{Precision: "range", From: "2009-12-18", To: "2010-12-06", Approximate: true, Calendar: uq}},
		// Not a day of the calendar: raw and calendar kept, no value.
		{"31/03/1431 (Hijri Calendar)", entity.Date{Calendar: uq}},
		{"30/04/1431 (Hijri Calendar)", entity.Date{Calendar: uq}}, // Rabi' II 1431 has 29 days
		{"24/13/1402 (Hijri Calendar)", entity.Date{Calendar: uq}},
		{"24/06/1300 (Hijri Calendar)", entity.Date{Calendar: uq}}, // before the table
		{"24/06-1402 (Hijri Calendar)", entity.Date{Calendar: uq}},
		{"(Hijri Calendar)", entity.Date{Calendar: uq}},
	}
	for _, tc := range tests {
		tc.want.Raw = tc.raw
		if got := ParseDate(tc.raw); got != tc.want {
			t.Errorf("ParseDate(%q) = %+v, want %+v", tc.raw, got, tc.want)
		}
	}
}

func TestPlausibleBirthDate(t *testing.T) {
	for _, tc := range []struct {
		d    entity.Date
		want bool
	}{
		{ParseDate("24/06/1402"), false}, // DFAT 2026-02-24 row 1254
		{ParseDate("24/06/1402 (Hijri Calendar)"), true},
		{ParseDate("1402 to 1404"), false},
		{ParseDate("1965"), true},
		{ParseDate("unknown"), true},
	} {
		if got := PlausibleBirthDate(tc.d); got != tc.want {
			t.Errorf("PlausibleBirthDate(%+v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}

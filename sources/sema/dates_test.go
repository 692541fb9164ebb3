package sema

import (
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// TestParseDates: the date forms of the 2020 file and those reported of
// the current one (OpenSanctions' lookups for ca_dfatd_sema_sanctions:
// Excel serials such as 19575, "23/11/1973", "09/30/1978", "01/03/1976",
// "1975-19-25", "born in the early 1970s", "1963-1964").
func TestParseDates(t *testing.T) {
	day := func(v, raw string) entity.Date {
		return entity.Date{Value: v, Precision: entity.PrecisionDay, Raw: raw}
	}
	tests := []struct {
		raw   string
		want  []entity.Date
		notes int
		bad   []string
	}{
		{"1955-10-23", []entity.Date{day("1955-10-23", "1955-10-23")}, 0, nil},
		{"1964-03", []entity.Date{{Value: "1964-03", Precision: entity.PrecisionMonth, Raw: "1964-03"}}, 0, nil},
		{"1969", []entity.Date{{Value: "1969", Precision: entity.PrecisionYear, Raw: "1969"}}, 0, nil},
		{"1972-08-10 or 1972-08-11", []entity.Date{day("1972-08-10", "1972-08-10"), day("1972-08-11", "1972-08-11")}, 0, nil},
		{"1963-1964", []entity.Date{{Precision: entity.PrecisionRange, From: "1963", To: "1964", Raw: "1963-1964"}}, 0, nil},
		// Excel's 1900 system: 19575 is 1953-08-04 (OpenSanctions'
		// conversion of the same value), 25569 is 1970-01-01.
		{"19575", []entity.Date{day("1953-08-04", "19575")}, 1, nil},
		{"25569", []entity.Date{day("1970-01-01", "25569")}, 1, nil},
		{"73050", []entity.Date{day("2099-12-31", "73050")}, 1, nil},
		{"99999", []entity.Date{{Raw: "99999"}}, 0, []string{"99999"}},
		{"23/11/1973", []entity.Date{day("1973-11-23", "23/11/1973")}, 0, nil},
		{"09/30/1978", []entity.Date{day("1978-09-30", "09/30/1978")}, 1, nil},
		{"05/05/1970", []entity.Date{day("1970-05-05", "05/05/1970")}, 0, nil},
		{"01/03/1976", []entity.Date{{Value: "1976", Precision: entity.PrecisionYear, Raw: "01/03/1976"}}, 1, nil},
		{"31/02/1970", []entity.Date{{Raw: "31/02/1970"}}, 0, []string{"31/02/1970"}},
		{"1975-19-25", []entity.Date{{Raw: "1975-19-25"}}, 0, []string{"1975-19-25"}},
		{"born in the early 1970s", []entity.Date{{Raw: "born in the early 1970s"}}, 0, []string{"born in the early 1970s"}},
		{"1960 or about 1962", []entity.Date{{Value: "1960", Precision: entity.PrecisionYear, Raw: "1960"}, {Value: "1962", Precision: entity.PrecisionYear, Approximate: true, Raw: "about 1962"}}, 0, nil},
		{"", nil, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			got, notes, bad := parseDates(tc.raw)
			if !slices.Equal(got, tc.want) || len(notes) != tc.notes || !slices.Equal(bad, tc.bad) {
				t.Errorf("parseDates(%q) = %+v, notes %q, bad %q; want %+v, %d notes, bad %q", tc.raw, got, notes, bad, tc.want, tc.notes, tc.bad)
			}
		})
	}
}

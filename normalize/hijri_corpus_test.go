package normalize_test

import (
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/dfat"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// TestCorpusHijriBirthDates follows the one Hijri date of birth of the
// corpus (Ibrahim Hassan Tali al-Asiri, UN QDi.291, DFAT 1254) through its
// source and the normalize pass. The UN prints it as "24/06/1402 (Hijri
// Calendar)" beside 1982-04-18 and 1982-04-19 in eight of its nine files
// (2024-11-30 lacks it), DFAT 2024-12-17 as "c) 24/06/1402 (Hijri
// Calendar)" and DFAT 2026-02-24 as a bare "24/06/1402", which once became
// the Gregorian 1402-06-24.
func TestCorpusHijriBirthDates(t *testing.T) {
	hijri := entity.Date{Value: "1982-04-18", Precision: entity.PrecisionDay, Calendar: normalize.CalendarUmmAlQura}
	for _, tc := range []struct {
		src       sources.Source
		dir, id   string
		raw       string
		converted bool
	}{
		{un.New(un.Config{}), "../testdata/un_sc/2018-06-07", "un_sc-2962519", "EXACT (24/06/1402 (Hijri Calendar))", true},
		{un.New(un.Config{}), "../testdata/un_sc/2023-03-09", "un_sc-2962519", "EXACT (24/06/1402 (Hijri Calendar))", true},
		{un.New(un.Config{}), "../testdata/un_sc/2026-02-27", "un_sc-2962519", "EXACT (24/06/1402 (Hijri Calendar))", true},
		{dfat.New(dfat.Config{}), "../testdata/au_dfat/2024-12-17", "au_dfat-1254", "24/06/1402 (Hijri Calendar)", true},
		{dfat.New(dfat.Config{}), "../testdata/au_dfat/2026-02-24", "au_dfat-1254", "24/06/1402", false},
	} {
		p, err := sourcetest.Parse(t, tc.src, tc.dir)
		if err != nil {
			t.Fatalf("%s: %v", tc.dir, err)
		}
		e := p.ByID[tc.id]
		if e == nil {
			t.Fatalf("%s: no %s", tc.dir, tc.id)
		}
		var cov normalize.Coverage
		normalize.Entity(e, &cov)
		found := false
		for _, d := range e.BirthDates {
			if strings.HasPrefix(d.Value+d.From, "1402") {
				t.Errorf("%s %s: Hijri year read as Gregorian: %+v", tc.dir, tc.id, d)
			}
			if d.Raw != tc.raw {
				continue
			}
			found = true
			want := entity.Date{Raw: tc.raw}
			if tc.converted {
				want = hijri
				want.Raw = tc.raw
			}
			if d != want {
				t.Errorf("%s %s: %+v, want %+v", tc.dir, tc.id, d, want)
			}
		}
		if !found {
			t.Errorf("%s %s: no birth date with raw %q in %+v", tc.dir, tc.id, tc.raw, e.BirthDates)
		}
	}
}

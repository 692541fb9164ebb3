package ofac

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// remarkView keeps the fields the CSV can only learn from Remarks.
func remarkView(t testing.TB, e *entity.Entity) string {
	v := entity.Entity{
		ID: e.ID, BirthDates: e.BirthDates, BirthPlaces: e.BirthPlaces, Nationalities: e.Nationalities,
		Citizenships: e.Citizenships, Gender: e.Gender, Identifiers: e.Identifiers,
		Aircraft: e.Aircraft,
	}
	// A relation's target id comes from the whole list (links.go), not
	// from the remarks.
	for _, r := range e.Relations {
		v.Relations = append(v.Relations, entity.Relation{Type: r.Type, TargetName: r.TargetName})
	}
	for _, n := range e.Names {
		if n.Kind == entity.KindWeakAlias {
			v.Names = append(v.Names, n)
		}
	}
	if e.Vessel != nil && (e.Vessel.IMO != "" || e.Vessel.MMSI != "") {
		v.Vessel = &entity.VesselInfo{IMO: e.Vessel.IMO, MMSI: e.Vessel.MMSI}
	}
	v.Canonicalize()
	return sourcetest.Canonical(&v)
}

// TestXMLRemarksRoundTrip reads every XML entity's rebuilt remarks line the
// way the CSV parser reads its Remarks column and compares the facts with
// those the XML elements gave: an estimate of XML/CSV parity for the XML
// publications that have no CSV twin in testdata.
func TestXMLRemarksRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		date  string
		floor int // entities whose remark facts agree, measured
	}{
		{"2018-04-06", 639},
		{"2020-03-17", 375},
		{"2023-03-08", 443}, // 2 lose the final "." of a sentence-like value: see dropLineDot
	} {
		t.Run(tc.date, func(t *testing.T) {
			p := sourcetest.MustParse(t, NewConsolidated(Config{}), testdataInput(t, "xml", map[string]string{
				"CONSOLIDATED.XML": "us_ofac_cons/" + tc.date + "/consolidated.xml.gz"}))
			agree := 0
			for _, e := range p.Emitted {
				b := newBuilder(e.Source, e.SourceID, e.Type)
				frags := splitRemarks(e.Remarks, nil)
				for i, f := range frags {
					b.remarkFragment(f, i == len(frags)-1)
				}
				r := b.finish(e.Remarks)
				if got, want := remarkView(t, r), remarkView(t, e); got != want {
					t.Logf("%s\n  xml     %s\n  remarks %s", e.ID, want, got)
					continue
				}
				agree++
			}
			t.Logf("%d of %d entities: remark facts agree", agree, len(p.Emitted))
			if agree < tc.floor {
				t.Errorf("agree = %d, want at least %d", agree, tc.floor)
			}
		})
	}
}

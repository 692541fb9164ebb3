package ftm_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/ftm"
)

// TestValidateCatches damages the real conversion of us_ofac_sdn-11786
// one way at a time: the validator reports each class, and nothing on the
// undamaged export.
func TestValidateCatches(t *testing.T) {
	ss, err := ftm.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := realEntity(t, "us_ofac_sdn/2021-07-07", "us_ofac_sdn-11786")
	base := func() []ftm.Entity {
		out := ftm.Convert(e)
		// The UnknownLinks' objects are other entities of the list.
		for _, id := range []string{"us_ofac_sdn-10465", "us_ofac_sdn-10481"} {
			out = append(out, ftm.Entity{ID: id, Schema: "Organization", Properties: map[string][]string{"name": {id}}})
		}
		return out
	}
	if p := ss.Validate(slices.Values(base())); len(p) != 0 {
		t.Fatalf("undamaged: %v", p)
	}
	set := func(schema, prop string, v ...string) func([]ftm.Entity) {
		return func(out []ftm.Entity) {
			for i := range out {
				if out[i].Schema == schema {
					out[i].Properties[prop] = v
					return
				}
			}
		}
	}
	tests := []struct {
		name, class string
		damage      func([]ftm.Entity)
	}{
		{"a property of another schema", ftm.ProblemProperty, set("Person", "imoNumber", "9187629")},
		{"a property of no schema", ftm.ProblemProperty, set("Passport", "colour", "red")},
		{"a dangling reference", ftm.ProblemReference, set("Sanction", "entity", "us_ofac_sdn-0")},
		{"a wrong range", ftm.ProblemRange, set("Passport", "holder", "us_ofac_sdn-11786-sanction-22126b887e")},
		{"a bad date", ftm.ProblemDate, set("Person", "birthDate", "22 May 1964")},
		{"an impossible date", ftm.ProblemDate, set("Person", "birthDate", "1964-02-30")},
		{"a bad country", ftm.ProblemCountry, set("Person", "nationality", "IR")},
		{"a retired code FtM spells otherwise", ftm.ProblemCountry, set("Person", "nationality", "su")},
		{"a missing required property", ftm.ProblemRequired, func(out []ftm.Entity) {
			for i := range out {
				if out[i].Schema == "Passport" {
					delete(out[i].Properties, "number")
				}
			}
		}},
		{"an abstract schema", ftm.ProblemSchema, func(out []ftm.Entity) { out[len(out)-1].Schema = "Thing" }},
		{"an unknown schema", ftm.ProblemSchema, func(out []ftm.Entity) { out[len(out)-1].Schema = "Company2" }},
		{"a bad gender", ftm.ProblemValue, set("Person", "gender", "Male")},
		{"a duplicate id", ftm.ProblemDuplicate, func(out []ftm.Entity) { out[len(out)-1].ID = out[len(out)-2].ID }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := base()
			tc.damage(out)
			ps := ss.Validate(slices.Values(out))
			if len(ps) == 0 {
				t.Fatal("no problem reported")
			}
			if !slices.ContainsFunc(ps, func(p ftm.Problem) bool { return p.Class == tc.class }) {
				t.Errorf("problems %v, want class %s", ps, tc.class)
			}
		})
	}
}

// TestRelations: with the export's types at hand, relations become
// Family, Associate or Ownership where both schemata fit; without, or to
// an organization, UnknownLink; to an id the export lacks, notes.
func TestRelations(t *testing.T) {
	types := map[string]entity.Type{"x-2": entity.Person, "x-3": entity.Vessel, "x-4": entity.Organization}
	c := ftm.Converter{Target: func(id string) (entity.Type, bool) { ty, ok := types[id]; return ty, ok }}
	e := &entity.Entity{ID: "x-1", Source: "x", SourceID: "1", Type: entity.Person, Name: "A", Relations: []entity.Relation{
		{Type: "family_member_of", TargetID: "x-2"},
		{Type: "associate_of", TargetID: "x-2"},
		{Type: "owns_or_controls", TargetID: "x-3"},
		{Type: "former_owns_or_controls", TargetID: "x-4"},
		{Type: "linked_to", TargetID: "x-9", TargetName: "GONE LTD"},
		{Type: "linked_to", TargetName: "NAMED ONLY"},
	}}
	var got []string
	for _, f := range c.Convert(e)[1:] {
		if f.Schema != "Sanction" {
			got = append(got, f.Schema)
		}
	}
	slices.Sort(got)
	if want := []string{"Associate", "Family", "Ownership", "UnknownLink"}; !slices.Equal(got, want) {
		t.Errorf("relations as %v, want %v", got, want)
	}
	notes := c.Convert(e)[0].Properties["notes"]
	if want := []string{"Related (linked to): GONE LTD", "Related (linked to): NAMED ONLY"}; !slices.Equal(notes, want) {
		t.Errorf("notes %q", notes)
	}
	var z ftm.Converter
	for _, f := range z.Convert(e)[1:] {
		if f.Schema != "Sanction" && f.Schema != "UnknownLink" {
			t.Errorf("without types: %s", f.Schema)
		}
	}
}

// TestReferents: each member of a combined cluster lists the others.
func TestReferents(t *testing.T) {
	e := *realEntity(t, "us_ofac_sdn/2021-07-07", "us_ofac_sdn-11786")
	e.Cluster = "gb_fcdo-IRN0001"
	c := ftm.Converter{Members: func(string) []string { return []string{"gb_fcdo-IRN0001", "us_ofac_sdn-11786", "un_sc-1"} }}
	if got := c.Convert(&e)[0].Referents; !slices.Equal(got, []string{"gb_fcdo-IRN0001", "un_sc-1"}) {
		t.Errorf("referents %v", got)
	}
	c.Members = func(string) []string { return []string{"us_ofac_sdn-11786"} }
	if got := c.Convert(&e)[0].Referents; got != nil {
		t.Errorf("a cluster of one: referents %v", got)
	}
}

// TestDeltaOfOneChange: a program added to a real record is a MOD of the
// main entity and an ADD of its Sanction, the rest untouched; removed, a
// MOD and a DEL; the record removed, a DEL of each of its entities.
func TestDeltaOfOneChange(t *testing.T) {
	prev := realEntity(t, "us_ofac_sdn/2021-07-07", "us_ofac_sdn-36")
	next := *prev
	next.Programs = []string{"CUBA", "SDGT"}
	ops := func(from, to []*entity.Entity) []string {
		var a, b, d bytes.Buffer
		runExportTo(t, from, &a)
		runExportTo(t, to, &b)
		if _, err := ftm.WriteDelta(&a, &b, &d); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, line := range bytes.Split(bytes.TrimSuffix(d.Bytes(), []byte("\n")), []byte("\n")) {
			var op struct {
				Op     string
				Entity ftm.Entity
			}
			if err := json.Unmarshal(line, &op); err != nil {
				t.Fatal(err)
			}
			out = append(out, op.Op+" "+op.Entity.Schema)
		}
		return out
	}
	one := func(e *entity.Entity) []*entity.Entity { return []*entity.Entity{e} }
	if got := ops(one(prev), one(&next)); !slices.Equal(got, []string{"MOD Organization", "ADD Sanction"}) {
		t.Errorf("add a program: %v", got)
	}
	if got := ops(one(&next), one(prev)); !slices.Equal(got, []string{"MOD Organization", "DEL Sanction"}) {
		t.Errorf("remove a program: %v", got)
	}
	if got := ops(one(prev), nil); !slices.Equal(got, []string{"DEL Organization", "DEL Address", "DEL Sanction"}) {
		t.Errorf("remove: %v", got)
	}
}

// BenchmarkConvertSDN20210707 converts the 8,976 entities of the SDN
// list of 2021-07-07.
func BenchmarkConvertSDN20210707(b *testing.B) {
	var ents []*entity.Entity
	for _, p := range publications(b) {
		if p.name == "us_ofac_sdn/2021-07-07" {
			ents = parse(b, p)
		}
	}
	if len(ents) == 0 {
		b.Fatal("no SDN 2021-07-07")
	}
	for b.Loop() {
		n := 0
		for _, e := range ents {
			n += len(ftm.Convert(e))
		}
		b.ReportMetric(float64(n), "ftm-entities")
	}
}

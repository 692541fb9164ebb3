package ftm

import (
	"slices"
	"testing"
)

func TestLoad(t *testing.T) {
	ss, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ss.Names()); n != 69 {
		t.Errorf("%d schemata, want the 69 YAML files", n)
	}
	for _, c := range []struct {
		schema, ancestor string
		want             bool
	}{
		{"Person", "LegalEntity", true},
		{"Person", "Thing", true},
		{"Vessel", "Asset", true},
		{"Airplane", "Vehicle", true},
		{"Organization", "Asset", false}, // why Ownership of a company is an UnknownLink
		{"Passport", "Identification", true},
		{"Sanction", "Interval", true},
		{"Thing", "Person", false},
	} {
		if got := ss.IsA(c.schema, c.ancestor); got != c.want {
			t.Errorf("IsA(%s, %s) = %v", c.schema, c.ancestor, got)
		}
	}
	for _, c := range []struct{ schema, prop, typ, rng string }{
		{"Person", "name", "name", ""},        // Thing's
		{"Person", "firstName", "string", ""}, // no type: string
		{"Person", "nationality", "country", ""},
		{"Sanction", "entity", "entity", "Thing"},
		{"Passport", "holder", "entity", "LegalEntity"}, // Identification's
		{"Vessel", "tonnage", "number", ""},
		{"Sanction", "startDate", "date", ""}, // Interval's
	} {
		p := ss.Property(c.schema, c.prop)
		if p == nil || p.Type != c.typ || p.Range != c.rng {
			t.Errorf("Property(%s, %s) = %+v, want type %s range %q", c.schema, c.prop, p, c.typ, c.rng)
		}
	}
	if ss.Property("Person", "imoNumber") != nil {
		t.Error("Person has imoNumber; only Organization and Vessel do")
	}
	for _, a := range []string{"Thing", "Interval", "Value", "Interest"} {
		if !ss.Get(a).Abstract {
			t.Errorf("%s not abstract", a)
		}
	}
	if ss.Get("LegalEntity").Abstract {
		t.Error("LegalEntity abstract")
	}
	if got := ss.Get("Identification").Required; !slices.Equal(got, []string{"holder", "number"}) {
		t.Errorf("Identification requires %v", got)
	}
	if got := ss.Get("Address").Required; len(got) != 0 {
		t.Errorf("Address requires %v; FtM does not inherit Thing's name", got)
	}
}

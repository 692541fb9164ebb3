package entity

import (
	"strings"
	"testing"
)

func sample() *Entity {
	valid := false
	return &Entity{
		ID: "us_ofac_sdn-306", Source: "us_ofac_sdn", SourceID: "306", Type: Organization,
		Name: "BANCO NACIONAL DE CUBA",
		Names: []Name{
			{Value: "NATIONAL BANK OF CUBA", Kind: KindAlias},
			{Value: "BNC", Kind: KindWeakAlias},
			{Value: "BANCO NACIONAL DE CUBA", Kind: KindPrimary},
			{Value: "NATIONAL BANK OF CUBA", Kind: KindAlias},
		},
		Addresses: []Address{
			{Full: "Zweierstrasse 35, Zurich CH-8022, Switzerland", CountryRaw: "Switzerland"},
			{Full: "Avenida de Concha Espina 8, Madrid E-28036, Spain", CountryRaw: "Spain"},
		},
		Identifiers: []Identifier{{Type: "swift_bic", Value: "BNCUCUHH", Valid: &valid}},
		Programs:    []string{"CUBA", "CUBA"},
		Remarks:     "a.k.a. 'BNC'.",
	}
}

func TestCanonicalizeSortsAndDedupes(t *testing.T) {
	e := sample()
	e.Canonicalize()
	kinds := []string{}
	for _, n := range e.Names {
		kinds = append(kinds, n.Kind+":"+n.Value)
	}
	want := "primary:BANCO NACIONAL DE CUBA alias:NATIONAL BANK OF CUBA weak_alias:BNC"
	if got := strings.Join(kinds, " "); got != want {
		t.Fatalf("names %q, want %q", got, want)
	}
	if len(e.Programs) != 1 || e.Addresses[0].CountryRaw != "Spain" {
		t.Fatalf("programs %v, first address %+v", e.Programs, e.Addresses[0])
	}
}

// Order of input arrays must not change the bytes.
func TestMarshalCanonicalIsDeterministic(t *testing.T) {
	a, b := sample(), sample()
	b.Names[0], b.Names[2] = b.Names[2], b.Names[0]
	b.Addresses[0], b.Addresses[1] = b.Addresses[1], b.Addresses[0]
	a.Canonicalize()
	b.Canonicalize()
	la, err := a.MarshalCanonical()
	if err != nil {
		t.Fatal(err)
	}
	lb, _ := b.MarshalCanonical()
	if string(la) != string(lb) {
		t.Fatalf("lines differ:\n%s\n%s", la, lb)
	}
	if !strings.HasPrefix(string(la), `{"id":"us_ofac_sdn-306","source":"us_ofac_sdn","source_id":"306","type":"organization","name":`) {
		t.Fatalf("field order: %s", la)
	}
	if strings.Contains(string(la), `"gender"`) || strings.Contains(string(la), `"titles"`) {
		t.Fatalf("empty fields written: %s", la)
	}
	if strings.Contains(string(la), `\u0026`) {
		t.Fatal("HTML escaping on")
	}
}

func TestContentHashIgnoresHistory(t *testing.T) {
	a, b := sample(), sample()
	a.Canonicalize()
	b.Canonicalize()
	b.FirstSeen, b.LastChanged = "20260101T000000Z", "20260102T000000Z"
	ha, _ := a.ContentHash()
	hb, _ := b.ContentHash()
	if ha != hb || len(ha) != 64 {
		t.Fatalf("hashes %s %s", ha, hb)
	}
	b.Remarks = "changed"
	if hc, _ := b.ContentHash(); hc == ha {
		t.Fatal("hash ignores remarks")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		mutate func(*Entity)
		ok     bool
	}{
		{func(*Entity) {}, true},
		{func(e *Entity) { e.SourceID = "" }, false},
		{func(e *Entity) { e.ID = "us_ofac_sdn-307" }, false},
		{func(e *Entity) { e.Name = "  " }, false},
		{func(e *Entity) { e.Type = "company" }, false},
	}
	for i, tc := range tests {
		e := sample()
		tc.mutate(e)
		if err := e.Validate(); (err == nil) != tc.ok {
			t.Errorf("case %d: Validate() = %v", i, err)
		}
	}
}

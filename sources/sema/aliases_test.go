package sema

import (
	"slices"
	"testing"
)

// TestSplitAliases: the separators of the 2020 file and those reported of
// the current one; names that a separator would cut wrongly stay whole.
func TestSplitAliases(t *testing.T) {
	a := func(v ...string) []alias {
		var out []alias
		for _, s := range v {
			out = append(out, alias{value: s})
		}
		return out
	}
	tests := []struct {
		text   string
		want   []alias
		doubts []string
	}{
		{"Air Bagan Holdings Pte. Ltd., Air Bagan Limited", a("Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"), nil},
		{"Shenzhen Trading Co., Ltd., Eastern Star Co., Ltd.", a("Shenzhen Trading Co., Ltd.", "Eastern Star Co., Ltd."), nil},
		{"Technodinamica Holding, JSC", a("Technodinamica Holding, JSC"), nil},
		{`Завод "Дагдизель", АО; М Инвест, ООО`, a(`Завод "Дагдизель", АО`, "М Инвест, ООО"), nil},
		{"Alpha Industries, S.A., Beta", a("Alpha Industries, S.A.", "Beta"), nil},
		{" Andrei ", a("Andrei"), nil},
		{"(Rosselkhozbank)", a("Rosselkhozbank"), nil},
		{"ZAO Interavtomatika (IA)", a("ZAO Interavtomatika (IA)"), nil},
		{"Myaing Galay (Rhino, Brand), Other", a("Myaing Galay (Rhino, Brand)", "Other"), nil},
		{"Alexei, Aleksei ", a("Alexei", "Aleksei"), nil},
		{"A One; B Two", a("A One", "B Two"), nil},
		{"First Bank (a.k.a. Second Bank)", a("First Bank", "Second Bank"), nil},
		{"First Bank (also known as Second Bank)", a("First Bank", "Second Bank"), nil},
		{"a.k.a. Third Bank; also known as Fourth Bank", a("Third Bank", "Fourth Bank"), nil},
		{"Russian: Олег Мищенко, Belarusian : Алег Мішчанка", []alias{{"Олег Мищенко", "ru"}, {"Алег Мішчанка", "be"}}, nil},
		{"Note: not a label", a("Note: not a label"), nil},
		{"Syrian Company for the Storage and Distribution of Petroleum Products/Entreprise syrienne en charge du stockage et de la distribution des produits pétroliers",
			a("Syrian Company for the Storage and Distribution of Petroleum Products/Entreprise syrienne en charge du stockage et de la distribution des produits pétroliers",
				"Syrian Company for the Storage and Distribution of Petroleum Products",
				"Entreprise syrienne en charge du stockage et de la distribution des produits pétroliers"), nil},
		{"GORT/ORTAS", a("GORT/ORTAS"), []string{"GORT/ORTAS"}},
		{"Victory/Pobeda Political Bloc", a("Victory/Pobeda Political Bloc"), []string{"Victory/Pobeda Political Bloc"}},
		{"MEC Steel Mills (Hmaw Bi/Pyi/Ywama)", a("MEC Steel Mills (Hmaw Bi/Pyi/Ywama)"), nil},
		{"the Basij, Gardiens de la Révolution et Pasdaran", a("the Basij", "Gardiens de la Révolution et Pasdaran"), []string{"Gardiens de la Révolution et Pasdaran"}},
		{"", nil, nil},
		{", ;", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, doubts := splitAliases(tc.text, maxAliases)
			if !slices.Equal(got, tc.want) || !slices.Equal(doubts, tc.doubts) {
				t.Errorf("splitAliases(%q) = %q, doubts %q; want %q, doubts %q", tc.text, got, doubts, tc.want, tc.doubts)
			}
		})
	}
}

// TestSourceID: the parts of an id are slugs, so that spacing, case and
// accents do not change it; a known new name of a regulation keeps its
// key; N/A and no schedule are the same.
func TestSourceID(t *testing.T) {
	tests := []struct {
		country, schedule, item string
		want                    string
		known                   bool
	}{
		{"Burma / Birmanie", "1", "12", "burma-1-12", true},
		{"BURMA  /  Birmanie ", " 1 ", "12", "burma-1-12", true},
		{"Myanmar (Burma) / Myanmar (Birmanie)", "1", "12", "burma-1-12", true},
		{"Russia / Russie", "1, Part 2", "5", "russia-1-part-2-5", true},
		{"Russia / Russie", "1.1", "2", "russia-1-1-2", true},
		{"Russia / Russie", "11", "2", "russia-11-2", true},
		{"Venezuela ", "N/A", "7", "venezuela-7", true},
		{"Venezuela", "", "7", "venezuela-7", true},
		{"South Sudan / Soudan du sud", "N/A", "1", "south-sudan-1", true},
		{"Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) /  Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)", "1", "54", "jvcfor-1-54", true},
		{"Belarus / Bélarus", "1, Part 1", "1", "belarus-1-part-1-1", true},
		{"Hamas Terrorist Attacks / Attaques terroristes du Hamas", "1", "3", "hamas-terrorist-attacks-1-3", true},
		{"Côte d'Ivoire / Côte d’Ivoire", "1", "3", "cote-d-ivoire-1-3", false},
		{"", "1", "3", "", false},
		{"Iran", "1", " ", "", true},
	}
	for _, tc := range tests {
		reg := parseRegime(tc.country)
		got, ok := sourceID(reg, tc.schedule, tc.item)
		if got != tc.want || ok != (tc.want != "") || (reg.key != "" && reg.known != tc.known) {
			t.Errorf("sourceID(%q, %q, %q) = %q, %v (known %v); want %q (known %v)", tc.country, tc.schedule, tc.item, got, ok, reg.known, tc.want, tc.known)
		}
	}
}

// TestEnglishPart: bilingual values keep their English part.
func TestEnglishPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Major General/major-général", "Major General"},
		{"Lt. General/lieutenant-général", "Lt. General"},
		{"Brig. Gen.", "Brig. Gen."},
		{"General Cargo | Cargo classique", "General Cargo"},
		{"General Cargo/Multi Purpose | Cargo classique/navire polyvalent", "General Cargo/Multi Purpose"},
		{"Oil Tanker|Navire-citerne", "Oil Tanker"},
		{"/général", "/général"},
	}
	for _, tc := range tests {
		if got := bilingual(tc.in); got != tc.want {
			t.Errorf("bilingual(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package sema

import (
	"encoding/json"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// view is what a record test compares: the entity without the derived
// forms of its names (ASCII, match key), which are normalize's.
func view(e *entity.Entity) *entity.Entity {
	c := *e
	c.Names = nil
	for _, n := range e.Names {
		n.ASCII, n.Normalized = "", ""
		c.Names = append(c.Names, n)
	}
	c.Canonicalize()
	return &c
}

func person(given, family string) *entity.NameParts {
	return &entity.NameParts{Given: given, Family: family}
}

func name(v, kind string, parts *entity.NameParts) entity.Name {
	return entity.Name{Value: v, Kind: kind, Script: "Latn", Parts: parts}
}

func listing(key, raw, english, schedule, item string) entity.Listing {
	l := entity.Listing{List: key, ListName: raw, Authority: "Global Affairs Canada", Programs: []string{english}, Notice: "item " + item}
	if schedule != "" {
		l.Programs = append(l.Programs, english+" Schedule "+schedule)
		l.Notice = "Schedule " + schedule + ", item " + item
	}
	return l
}

const jvcfor = "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)"

// TestRecords: real records chosen for their tricky parts, field by field,
// in the real file and in both derived layouts.
func TestRecords(t *testing.T) {
	tests := []struct {
		why  string
		want entity.Entity
	}{
		{"an organization whose aliases hold a legal form before the comma that separates them (Burma, schedule 1, item 1)", entity.Entity{
			SourceID: "burma-1-1", Type: entity.Organization, Name: "Air Bagan",
			Names: []entity.Name{
				name("Air Bagan", entity.KindPrimary, nil),
				name("Air Bagan Holdings Pte. Ltd.", entity.KindAlias, nil),
				name("Air Bagan Limited", entity.KindAlias, nil),
			},
			Listings: []entity.Listing{listing("burma", "Burma / Birmanie", "Burma", "1", "1")},
		}},
		{"two dates of birth joined by \"or\"; the JVCFOR regulation named by itself; a double space collapsed", entity.Entity{
			SourceID: "jvcfor-1-54", Type: entity.Person, Name: "Mansour Othman ABAHUSSAIN",
			Names: []entity.Name{name("Mansour Othman ABAHUSSAIN", entity.KindPrimary, person("Mansour Othman", "ABAHUSSAIN"))},
			BirthDates: []entity.Date{
				{Value: "1972-08-10", Precision: entity.PrecisionDay, Raw: "1972-08-10"},
				{Value: "1972-08-11", Precision: entity.PrecisionDay, Raw: "1972-08-11"},
			},
			Listings: []entity.Listing{listing("jvcfor", jvcfor+" / Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)", jvcfor, "1", "54")},
		}},
		{"a month of birth", entity.Entity{
			SourceID: "jvcfor-1-53", Type: entity.Person, Name: "Maung Maung Soe",
			Names:      []entity.Name{name("Maung Maung Soe", entity.KindPrimary, person("Maung Maung", "Soe"))},
			BirthDates: []entity.Date{{Value: "1964-03", Precision: entity.PrecisionMonth, Raw: "1964-03"}},
			Listings:   []entity.Listing{listing("jvcfor", jvcfor+" / Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)", jvcfor, "1", "53")},
		}},
		{"an English/French name cut in its halves; aliases kept whole where \"/\" or \" et \" may join two names", entity.Entity{
			SourceID: "iran-1-136", Type: entity.Organization, Name: "Islamic Revolutionary Guard Corps/Corps des Gardiens de la Révolution islamique",
			Names: []entity.Name{
				name("Islamic Revolutionary Guard Corps/Corps des Gardiens de la Révolution islamique", entity.KindPrimary, nil),
				name("Army of the Guardians of the Islamic Revolution", entity.KindAlias, nil),
				name("CGRI", entity.KindAlias, nil),
				name("Corps des Gardiens de la Révolution islamique", entity.KindAlias, nil),
				name("Gardiens de la Révolution iranienne", entity.KindAlias, nil),
				name("IRG", entity.KindAlias, nil),
				name("IRGC", entity.KindAlias, nil),
				name("Iranian Revolutionary Guards", entity.KindAlias, nil),
				name("Islamic Revolutionary Guard Corps", entity.KindAlias, nil),
				name("Sepah-e Pasdaran-e Enghelab-e Eslami et Pasdaran", entity.KindAlias, nil),
				name("Sepah-e Pasdaran-e Enghelab-e Eslami/GRI", entity.KindAlias, nil),
				name("l'Armée des Gardiens de la Révolution islamique", entity.KindAlias, nil),
			},
			Listings: []entity.Listing{listing("iran", "Iran", "Iran", "1", "136")},
		}},
		{"a family name with another spelling in parentheses; schedule 2", entity.Entity{
			SourceID: "syria-2-44", Type: entity.Person, Name: "Munir Adanov",
			Names: []entity.Name{
				name("Munir Adanov", entity.KindPrimary, person("Munir", "Adanov")),
				name("Munir Adnuf", entity.KindAlias, person("Munir", "Adnuf")),
			},
			Listings: []entity.Listing{listing("syria", "Syria / Syrie", "Syria", "2", "44")},
		}},
		{"a person's one-word aliases are weak (a given name, a family name), a two-word one is not", entity.Entity{
			SourceID: "russia-1-112", Type: entity.Person, Name: "Aleksey Mikhailovich SALYAEV",
			Names: []entity.Name{
				name("Aleksey Mikhailovich SALYAEV", entity.KindPrimary, person("Aleksey Mikhailovich", "SALYAEV")),
				name("Oleksii SALYAYEV", entity.KindAlias, nil),
				name("Aleksei", entity.KindWeakAlias, nil),
				name("SALIAIEV", entity.KindWeakAlias, nil),
			},
			BirthDates: []entity.Date{{Value: "1975-12-04", Precision: entity.PrecisionDay, Raw: "1975-12-04"}},
			Listings:   []entity.Listing{listing("russia", "Russia / Russie", "Russia", "1", "112")},
		}},
		{"a bilingual title: the English part", entity.Entity{
			SourceID: "syria-2-60", Type: entity.Person, Name: "Jumah Al-Ahmad",
			Names:    []entity.Name{name("Jumah Al-Ahmad", entity.KindPrimary, person("Jumah", "Al-Ahmad"))},
			Titles:   []string{"Major General"},
			Listings: []entity.Listing{listing("syria", "Syria / Syrie", "Syria", "2", "60")},
		}},
		{"an alias in parentheses; a trailing space in the name", entity.Entity{
			SourceID: "russia-2-5", Type: entity.Organization, Name: "Russian Agricultural Bank",
			Names: []entity.Name{
				name("Russian Agricultural Bank", entity.KindPrimary, nil),
				name("Rosselkhozbank", entity.KindAlias, nil),
			},
			Listings: []entity.Listing{listing("russia", "Russia / Russie", "Russia", "2", "5")},
		}},
		{"a comma before a legal form in the name: one name; schedule \"1, Part 2\"", entity.Entity{
			SourceID: "russia-1-part-2-52", Type: entity.Organization, Name: "Technodinamica Holding, JSC",
			Names:    []entity.Name{name("Technodinamica Holding, JSC", entity.KindPrimary, nil)},
			Listings: []entity.Listing{listing("russia", "Russia / Russie", "Russia", "1, Part 2", "52")},
		}},
		{"no Schedule (Venezuela, items 55 to 97): keyed as N/A; a trailing space in Country", entity.Entity{
			SourceID: "venezuela-55", Type: entity.Person, Name: "Manuel Gregorio BERNAL MARTÍNEZ",
			Names:    []entity.Name{name("Manuel Gregorio BERNAL MARTÍNEZ", entity.KindPrimary, person("Manuel Gregorio", "BERNAL MARTÍNEZ"))},
			Listings: []entity.Listing{listing("venezuela", "Venezuela", "Venezuela", "", "55")},
		}},
		{"Schedule N/A; a year of birth", entity.Entity{
			SourceID: "zimbabwe-55", Type: entity.Person, Name: "Bright Matonga",
			Names:      []entity.Name{name("Bright Matonga", entity.KindPrimary, person("Bright", "Matonga"))},
			BirthDates: []entity.Date{{Value: "1969", Precision: entity.PrecisionYear, Raw: "1969"}},
			Listings:   []entity.Listing{listing("zimbabwe", "Zimbabwe", "Zimbabwe", "", "55")},
		}},
	}
	for _, dir := range publications {
		p := mustParse(t, readPublication(t, dir))
		for _, tc := range tests {
			t.Run(dir+"/"+tc.want.SourceID, func(t *testing.T) {
				want := tc.want
				want.ID, want.Source = "ca_sema-"+want.SourceID, "ca_sema"
				want.Programs = want.Listings[0].Programs
				want.Canonicalize()
				got, _ := json.Marshal(view(p.Entity(t, want.SourceID)))
				exp, _ := json.Marshal(&want)
				if string(got) != string(exp) {
					t.Errorf("%s:\n got %s\nwant %s", tc.why, got, exp)
				}
			})
		}
	}
}

package link

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// The entities below carry the values the real publications print for
// these parties (ids and numbers as published: UN 2026-02-27, OFAC SDN
// 2024-05-02, DFAT 2026-02-24, the 2023-11-30 CSL); only the fields a
// test needs are filled.

func person(id, name string, births []entity.Date, nations ...string) *entity.Entity {
	src, _, _ := strings.Cut(id, "-")
	e := &entity.Entity{ID: id, Source: src, SourceID: strings.TrimPrefix(id, src+"-"), Type: entity.Person, Name: name,
		Names: []entity.Name{normalize.NameFor(name, entity.KindPrimary, entity.Person)}, BirthDates: births}
	for _, n := range nations {
		e.Nationalities = append(e.Nationalities, entity.Country{Code: n})
	}
	return e
}

func org(id, name string, countries ...string) *entity.Entity {
	src, _, _ := strings.Cut(id, "-")
	e := &entity.Entity{ID: id, Source: src, SourceID: strings.TrimPrefix(id, src+"-"), Type: entity.Organization, Name: name,
		Names: []entity.Name{normalize.NameFor(name, entity.KindPrimary, entity.Organization)}}
	for _, c := range countries {
		e.Addresses = append(e.Addresses, entity.Address{Country: c})
	}
	return e
}

func day(v string) entity.Date  { return entity.Date{Value: v, Precision: entity.PrecisionDay} }
func year(v string) entity.Date { return entity.Date{Value: v, Precision: entity.PrecisionYear} }

func withID(e *entity.Entity, ids ...entity.Identifier) *entity.Entity {
	e.Identifiers = append(e.Identifiers, ids...)
	return e
}

func unRef(v string) entity.Identifier {
	return entity.Identifier{Type: "other", Value: v, RawType: "UN reference number"}
}

// build links es (in any order) and returns the links and the result.
func build(t *testing.T, es ...*entity.Entity) ([]Link, *Result) {
	t.Helper()
	b := NewBuilder(Config{TempDir: t.TempDir()})
	for _, e := range es {
		if err := b.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	res, err := b.Finish(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Close() })
	var out []Link
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var l Link
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out, res
}

func TestLinks(t *testing.T) {
	kimDOB := []entity.Date{day("1958-08-25")}
	cases := []struct {
		name  string
		es    []*entity.Entity
		want  []string // "a b basis score"
		cited []string
	}{
		{
			name: "UN reference number cited by DFAT and UK",
			es: []*entity.Entity{
				withID(org("un_sc-6908555", "KOREA MINING DEVELOPMENT TRADING CORPORATION"), unRef("KPe.001")),
				withID(org("au_dfat-3358", "Korea Mining Development Trading Corporation"), unRef("KPe.001")),
				withID(org("gb_fcdo-DPR0001", "KOREA MINING DEVELOPMENT TRADING CORPORATION (KOMID)"), entity.Identifier{Type: "other", Value: "KPe.001", RawType: "UN Reference Number"}),
			},
			// The two citers join through the UN record; names agree too.
			want: []string{
				"au_dfat-3358 gb_fcdo-DPR0001 name 0.65",
				"au_dfat-3358 un_sc-6908555 reference 1",
				"gb_fcdo-DPR0001 un_sc-6908555 reference 1",
			},
		},
		{
			name: "a UN reference number the UN list no longer has: cited, not found",
			es: []*entity.Entity{
				withID(person("eu_fsf-13", "Saddam Hussein Al-Tikriti", nil), unRef("IQi.001")),
				withID(person("au_dfat-600", "Saddam Hussein al-Tikriti", nil), unRef("IQi.001")),
			},
			want:  []string{"au_dfat-600 eu_fsf-13 reference 0.95"},
			cited: []string{"un:IQI.001 au_dfat-600 eu_fsf-13"},
		},
		{
			name: "a record citing two UN numbers: only the one whose name agrees clusters",
			es: []*entity.Entity{
				withID(person("au_dfat-1228", "Gaston Iyamuremye", []entity.Date{year("1948")}, "RW"), unRef("CDi.002"), unRef("CDi.003")),
				withID(person("un_sc-6907994", "FRANK KAKOLELE BWAMBALE", nil, "CD"), unRef("CDi.002")),
				withID(person("un_sc-6907995", "GASTON IYAMUREMYE", []entity.Date{year("1948")}, "RW"), unRef("CDi.003")),
			},
			want: []string{
				"au_dfat-1228 un_sc-6907994 reference 0.6",
				"au_dfat-1228 un_sc-6907995 name_and_birth 0.92",
			},
		},
		{
			name: "a person citing an organization's UN number",
			es: []*entity.Entity{
				withID(person("au_dfat-6253", "Maalim Ayman", nil), unRef("SOe.001")),
				withID(org("un_sc-6908033", "AL-SHABAAB"), unRef("SOe.001")),
			},
			want: []string{"au_dfat-6253 un_sc-6908033 reference 0.6"},
		},
		{
			name: "CSL cites the OFAC uid",
			es: []*entity.Entity{
				org("us_ofac_sdn-9647", "KOREA KWANGSON BANKING CORP."),
				withID(org("us_trade_csl-SDN-9647", "KOREA KWANGSON BANKING CORP."), entity.Identifier{Type: "other", Value: "9647", RawType: "OFAC entity number"}),
			},
			want: []string{"us_ofac_sdn-9647 us_trade_csl-SDN-9647 reference 1"},
		},
		{
			name: "passport with country",
			es: []*entity.Entity{
				withID(person("un_sc-110429", "MOHSEN HOJATI", nil), entity.Identifier{Type: normalize.IDPassport, Value: "G4506013", Country: "IR"}),
				withID(person("us_ofac_sdn-10856", "HOJATI, Mohsen", nil), entity.Identifier{Type: normalize.IDPassport, Value: "G4506013", Country: "IR"}),
			},
			want: []string{"un_sc-110429 us_ofac_sdn-10856 identifier 0.95"},
		},
		{
			name: "passport without a country on one side links nothing",
			es: []*entity.Entity{
				withID(person("un_sc-110429", "MOHSEN HOJATI", nil), entity.Identifier{Type: normalize.IDPassport, Value: "G4506013", Country: "IR"}),
				withID(person("us_ofac_sdn-10856", "HOJATI, Mohsen", nil), entity.Identifier{Type: normalize.IDPassport, Value: "G4506013"}),
			},
		},
		{
			name: "invalid identifier and cut fragments link nothing",
			es: []*entity.Entity{
				withID(org("us_ofac_sdn-42496", "A", "KP"), entity.Identifier{Type: normalize.IDCryptoWallet, Value: "1Gq"}),
				withID(org("au_dfat-1", "B", "KP"), entity.Identifier{Type: normalize.IDCryptoWallet, Value: "1Gq"}),
			},
		},
		{
			name: "name and birth date, names in another order",
			es: []*entity.Entity{
				person("un_sc-113440", "MOHAMMED TUFAIL", []entity.Date{day("1930-05-05")}, "PK"),
				person("us_ofac_sdn-7138", "TUFAIL, Mohammed", []entity.Date{day("1930-05-05")}, "PK"),
			},
			want: []string{"un_sc-113440 us_ofac_sdn-7138 name_and_birth 0.95"},
		},
		{
			name: "birth dates that disagree block the name",
			es: []*entity.Entity{
				person("un_sc-1", "KIM JONG SIK", []entity.Date{day("1967-07-20")}),
				person("us_ofac_sdn-2", "KIM, Jong Sik", []entity.Date{day("1969-07-20")}),
			},
		},
		{
			name: "a two-word name and a birth year only is shown, not clustered",
			es: []*entity.Entity{
				person("au_dfat-1274", "Abdul Samad", []entity.Date{year("1977")}),
				person("un_sc-2973988", "ABDUL SAMAD", []entity.Date{{Value: "1977", Precision: entity.PrecisionYear, Approximate: true}}),
			},
			want: []string{"au_dfat-1274 un_sc-2973988 name_and_birth 0.65"},
		},
		{
			name: "a name alone never links two persons",
			es: []*entity.Entity{
				person("un_sc-1", "KIM JONG UN", nil),
				person("us_ofac_sdn-2", "KIM, Jong Un", kimDOB),
			},
		},
		{
			name: "never across types",
			es: []*entity.Entity{
				person("un_sc-1", "TANCHON COMMERCIAL BANK", nil, "KP"),
				org("us_ofac_sdn-2", "TANCHON COMMERCIAL BANK", "KP"),
			},
		},
		{
			name: "organization name and country",
			es: []*entity.Entity{
				org("un_sc-6908558", "TANCHON COMMERCIAL BANK", "KP"),
				org("us_ofac_sdn-12301", "TANCHON COMMERCIAL BANK", "KP"),
			},
			want: []string{"un_sc-6908558 us_ofac_sdn-12301 name 0.75"},
		},
		{
			name: "organization countries that disagree block the name",
			es: []*entity.Entity{
				org("un_sc-1", "GREEN PINE ASSOCIATED CORPORATION", "KP"),
				org("us_ofac_sdn-2", "GREEN PINE ASSOCIATED CORPORATION", "MY"),
			},
		},
		{
			name: "a name two records of one list share says not which one another list means",
			es: []*entity.Entity{
				org("un_sc-1", "GREEN PINE ASSOCIATED CORPORATION", "KP"),
				org("us_ofac_sdn-2", "GREEN PINE ASSOCIATED CORPORATION", "KP"),
				org("us_ofac_sdn-3", "GREEN PINE ASSOCIATED CORPORATION", "KP"),
			},
		},
		{
			name: "a record whose names meet two records of another list joins neither",
			es: []*entity.Entity{
				func() *entity.Entity {
					e := org("us_ofac_sdn-7149", "AFGHAN SUPPORT COMMITTEE", "PK")
					e.Names = append(e.Names, normalize.NameFor("AL-FURQAN FOUNDATION WELFARE TRUST", entity.KindAlias, entity.Organization))
					return e
				}(),
				org("un_sc-113226", "AFGHAN SUPPORT COMMITTEE (ASC)", "PK"),
				org("un_sc-113994", "Al-Furqan Foundation Welfare Trust", "PK"),
			},
			want: []string{
				"un_sc-113226 us_ofac_sdn-7149 name 0.6",
				"un_sc-113994 us_ofac_sdn-7149 name 0.6",
			},
		},
		{
			name: "never within one source",
			es: []*entity.Entity{
				withID(person("us_ofac_sdn-1", "A B", nil), entity.Identifier{Type: normalize.IDPassport, Value: "G4506013", Country: "IR"}),
				withID(person("us_ofac_sdn-2", "C D", nil), entity.Identifier{Type: normalize.IDPassport, Value: "G4506013", Country: "IR"}),
			},
		},
		{
			name: "a tax id alone: OFAC prints VEB's on its subsidiary BelVEB",
			es: []*entity.Entity{
				withID(org("us_ofac_cons-17015", "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK"), entity.Identifier{Type: normalize.IDTax, Value: "7750004150", Country: "RU"}),
				withID(org("us_ofac_sdn-18291", "BANK BELVEB OJSC"), entity.Identifier{Type: normalize.IDTax, Value: "7750004150", Country: "RU"}),
			},
			want: []string{"us_ofac_cons-17015 us_ofac_sdn-18291 identifier 0.6"},
		},
		{
			name: "a registration number and the name add up",
			es: []*entity.Entity{
				withID(org("us_ofac_sdn-36409", "SOVREMENNYE TEKHNOLOGII LIMITED LIABILITY COMPANY"), entity.Identifier{Type: normalize.IDRegistration, Value: "1037708040468", Country: "RU"}),
				withID(org("us_trade_csl-SSI-18745", "LLC SOVREMENNYE TEKHNOLOGII"), entity.Identifier{Type: normalize.IDRegistration, Value: "1037708040468", Country: "RU"}),
			},
			want: []string{"us_ofac_sdn-36409 us_trade_csl-SSI-18745 name 0.86"},
		},
		{
			name: "vessel IMO number from the vessel details",
			es: []*entity.Entity{
				{ID: "un_sc-1", Source: "un_sc", Type: entity.Vessel, Name: "HUI CHON", Vessel: &entity.VesselInfo{IMO: "8405270"}},
				{ID: "ch_seco-34461", Source: "ch_seco", Type: entity.Vessel, Name: "Hui Chon", Identifiers: []entity.Identifier{{Type: normalize.IDIMO, Value: "8405270"}}},
			},
			want: []string{"ch_seco-34461 un_sc-1 identifier 0.95"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			links, res := build(t, c.es...)
			var got []string
			for _, l := range links {
				got = append(got, strings.Join([]string{l.A, l.B, l.Basis, jsonNumber(l.Score)}, " "))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			var cited []string
			for _, ct := range res.CitedNotFound {
				cited = append(cited, ct.Reference+" "+strings.Join(ct.CitedBy, " "))
			}
			if strings.Join(cited, "\n") != strings.Join(c.cited, "\n") {
				t.Errorf("cited, not found: %q, want %q", cited, c.cited)
			}
		})
	}
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// TestClusters checks the cluster ids: the smallest member id of each
// component of links at or above the threshold, and the entities' links in
// id order.
func TestClusters(t *testing.T) {
	es := []*entity.Entity{
		withID(org("un_sc-6908555", "KOREA MINING DEVELOPMENT TRADING CORPORATION", "KP"), unRef("KPe.001")),
		withID(org("au_dfat-3358", "Korea Mining Development Trading Corporation", "KP"), unRef("KPe.001")),
		org("us_ofac_sdn-11090", "KOREA MINING DEVELOPMENT TRADING CORPORATION", "KP"),
		person("us_ofac_sdn-1", "SOMEONE ELSE ENTIRELY", nil),
		// a 0.65 link (no country): shown, joins no cluster
		org("ca_sema-1", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
	}
	_, res := build(t, es...)
	want := map[string]string{
		"au_dfat-3358": "au_dfat-3358", "un_sc-6908555": "au_dfat-3358", "us_ofac_sdn-11090": "au_dfat-3358",
		"us_ofac_sdn-1": "us_ofac_sdn-1", "ca_sema-1": "ca_sema-1",
	}
	ids := []string{"au_dfat-3358", "ca_sema-1", "un_sc-6908555", "us_ofac_sdn-1", "us_ofac_sdn-11090"}
	for _, id := range ids {
		e := &entity.Entity{ID: id}
		if err := res.Annotate(e); err != nil {
			t.Fatal(err)
		}
		if e.Cluster != want[id] {
			t.Errorf("%s: cluster %s, want %s", id, e.Cluster, want[id])
		}
		if id == "ca_sema-1" && len(e.Links) != 3 {
			t.Errorf("ca_sema-1: %d links, want 3 (below the threshold, still listed): %v", len(e.Links), e.Links)
		}
	}
	if c := res.Counts; c.Clusters != 1 || c.Clustered != 3 || c.Largest != 3 {
		t.Errorf("counts %+v, want 1 cluster of 3", c)
	}
	if err := res.Annotate(&entity.Entity{ID: "a"}); err == nil {
		t.Error("an entity out of id order was annotated")
	}
}

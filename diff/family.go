package diff

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// A program family groups the program tags of all publishers that concern
// one country or theme, so that a reviewer finds every DPRK change in one
// place whether OFAC tags it DPRK3, the UN DPRK, Australia "1718 (DPRK)"
// or the EU PRK.
type programFamily struct {
	Name string
	// Exact tags (upper case) that belong to the family: short codes that
	// would match too much as substrings (CAR, ISA, EU's three letters).
	Exact []string
	// Contains: a tag (upper case) holding any of these belongs.
	Contains []string
}

// programFamilies is the one table of families. The first family that
// matches a tag wins, so specific entries come before broad ones (Somalia
// before Mali, whose "MALI" is inside "SOMALIA"). The order is also the
// order of the report's sections: the main regimes first. A tag no family
// matches is a family of its own, under its own name; an entity without a
// program falls under noFamily.
var programFamilies = []programFamily{
	{"Russia/Ukraine", []string{"RUS", "UKR"}, []string{"RUSSIA", "UKRAINE", "CRIMEA", "PEESA"}},
	{"Belarus", []string{"BLR"}, []string{"BELARUS"}},
	{"DPRK (North Korea)", []string{"PRK"}, []string{"DPRK", "KOREA", "NKSPEA"}},
	{"Iran", []string{"IRN", "IFSR", "IFCA", "ISA"}, []string{"IRAN", "IRGC", "HRIT-IR", "FSE-IR", "561-RELATED"}},
	{"Syria", []string{"SYR"}, []string{"SYRIA", "HRIT-SY", "FSE-SY"}},
	{"Terrorism", []string{"SDGT", "SDT", "FTO", "TERR", "TAQA"}, []string{"QAIDA", "QAEDA", "ISIL", "DA'ESH", "DAESH", "TERROR", "SHABAAB", "HIZBALLAH", "HIFPAA", "1267", "1373"}},
	{"Afghanistan/Taliban", []string{"AFG"}, []string{"TALIBAN", "AFGHANISTAN", "1988"}},
	{"Proliferation", []string{"CHEM"}, []string{"NPWMD", "13382", "INKSNA", "PROLIFERATION", "MISSILE", "CHEMICAL AND BIOLOGICAL", "LETHAL MILITARY"}},
	{"Narcotics/organized crime", []string{"TCO"}, []string{"SDNT", "ILLICIT-DRUGS", "NARCOTIC", "KINGPIN"}},
	{"Cyber", []string{"CYB"}, []string{"CYBER"}},
	{"Human rights/corruption", []string{"HR", "GHR"}, []string{"GLOMAG", "MAGNIT", "HUMAN RIGHTS", "CORRUPT", "JVCFOR", "UHRPA", "HK-EO", "HOSTAGES"}},
	{"Venezuela", []string{"VEN"}, []string{"VENEZUELA"}},
	{"Cuba", []string{"CUB"}, []string{"CUBA"}},
	{"Balkans", nil, []string{"BALKANS", "FFRY"}},
	{"Burma/Myanmar", []string{"MMR"}, []string{"BURMA", "MYANMAR"}},
	{"Iraq", []string{"IRQ"}, []string{"IRAQ", "1518"}},
	{"Libya", []string{"LBY"}, []string{"LIBYA", "1970"}},
	{"Lebanon", []string{"LBN"}, []string{"LEBANON"}},
	{"Yemen", []string{"YEM"}, []string{"YEMEN", "2140"}},
	{"Somalia", []string{"SOM"}, []string{"SOMALIA"}},
	{"Sudan/South Sudan", []string{"SDN", "SSD"}, []string{"SUDAN", "DARFUR", "SSIDES"}},
	{"DR Congo", []string{"DRC", "COD"}, []string{"CONGO", "1533"}},
	{"Central African Republic", []string{"CAR", "CAF"}, []string{"CENTRAL AFRICAN", "2127"}},
	{"Mali", []string{"MALI", "MLI"}, []string{"MALI-"}},
	{"Zimbabwe", []string{"ZWE"}, []string{"ZIMBABWE"}},
	{"Nicaragua", []string{"NIC"}, []string{"NICARAGUA"}},
	{"Haiti", []string{"HTI"}, []string{"HAITI", "2653"}},
	// The UN's tag for its Guinea-Bissau committee is "GB".
	{"Guinea-Bissau", []string{"GB", "GNB"}, []string{"GUINEA-BISSAU", "2048"}},
	{"Chinese military companies", nil, []string{"CMIC"}},
}

// noFamily is the family of entities without any program.
const noFamily = "(no program)"

// Family ranks order the sections: the table's families by position, then
// families of unknown tags by name, then noFamily.
const (
	rankUnknown = 0xfffe
	rankNone    = 0xffff
)

// familyOf returns the family of one program tag and its rank.
func familyOf(program string) (string, int) {
	up := strings.ToUpper(strings.TrimSpace(program))
	for i, f := range programFamilies {
		for _, e := range f.Exact {
			if up == e {
				return f.Name, i
			}
		}
		for _, c := range f.Contains {
			if strings.Contains(up, c) {
				return f.Name, i
			}
		}
	}
	return program, rankUnknown
}

func familyRank(name string) int {
	if name == noFamily {
		return rankNone
	}
	for i, f := range programFamilies {
		if f.Name == name {
			return i
		}
	}
	return rankUnknown
}

// familySlug is a family's name in anchors and filter values: the table's
// families by their name, others by their name and a hash, since two tags
// can share a sanitized name.
func familySlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	switch familyRank(name) {
	case rankNone:
		return "none"
	case rankUnknown:
		h := fnv.New32a()
		h.Write([]byte(name))
		return fmt.Sprintf("p-%s-%06x", s, h.Sum32()&0xffffff)
	}
	return s
}

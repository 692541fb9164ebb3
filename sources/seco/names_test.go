package seco

import (
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestNameRules: the rules docs/sources/ch_seco.md gives for names, each
// on target 52941 with one edit (test-made values say so).
func TestNameRules(t *testing.T) {
	const line = 9 // target 52941
	other := `<identity ssid="1" main="false"><name ssid="2" name-type="primary-name" quality="good" lang="eng">` +
		`<name-part order="1" name-part-type="whole-name"><value>Test Other Identity</value></name-part></name>` +
		`<nationality ssid="3"><country iso-code="CH">Switzerland</country></nationality></identity>`
	tests := []struct {
		name   string
		edit   func(string) string
		names  []string // nameLine, of every name
		issues []string
	}{
		{
			"another identity's names are aliases",
			func(s string) string {
				return strings.Replace(s, `<justification ssid="52942">`, other+`<justification ssid="52942">`, 1)
			},
			[]string{
				"primary|Vorontsova Maria Vladimirovna|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|Mariya Vorontsova|Latn|en|",
				"alias|Test Other Identity|Latn|en|",
				"alias|ВОРОНЦОВА Мария Владимировна|Cyrl|ru|Мария//ВОРОНЦОВА/Владимировна",
				"former|Putina|Latn|en|//Putina/",
			}, nil,
		},
		{
			"quality low makes an alias weak, not a former name",
			func(s string) string {
				s = strings.Replace(s, `name-type="alias" quality="good"`, `name-type="alias" quality="low"`, 1)
				return strings.Replace(s, `name-type="formerly-known-as" quality="good"`, `name-type="formerly-known-as" quality="low"`, 1)
			},
			[]string{
				"primary|Vorontsova Maria Vladimirovna|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|ВОРОНЦОВА Мария Владимировна|Cyrl|ru|Мария//ВОРОНЦОВА/Владимировна",
				"weak_alias|Mariya Vorontsova|Latn|en|",
				"former|Putina|Latn|en|//Putina/",
			}, nil,
		},
		{
			"two variants of a part in one script give two names; a part without one keeps its value",
			func(s string) string {
				s = strings.Replace(s, `Мария</spelling-variant>`, `Мария</spelling-variant><spelling-variant lang="RUS" script="CYRL" spelling-variant-type="not-defined">Марья</spelling-variant>`, 1)
				return strings.Replace(s, `<spelling-variant lang="RUS" script="CYRL" spelling-variant-type="not-defined">Владимировна</spelling-variant>`, "", 1)
			},
			[]string{
				"primary|Vorontsova Maria Vladimirovna|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|Mariya Vorontsova|Latn|en|",
				"alias|ВОРОНЦОВА Мария Vladimirovna|Cyrl|ru|Мария//ВОРОНЦОВА/Vladimirovna",
				"alias|ВОРОНЦОВА Марья Vladimirovna|Cyrl|ru|Марья//ВОРОНЦОВА/Vladimirovna",
				"former|Putina|Latn|en|//Putina/",
			}, nil,
		},
		{
			"parts are joined by order, not as printed",
			func(s string) string {
				return strings.Replace(strings.Replace(s, `order="1" name-part-type="family-name"`, `order="3" name-part-type="family-name"`, 1),
					`order="3" name-part-type="father-name"`, `order="1" name-part-type="father-name"`, 1)
			},
			[]string{
				"primary|Vladimirovna Maria Vorontsova|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|Mariya Vorontsova|Latn|en|",
				"alias|Владимировна Мария ВОРОНЦОВА|Cyrl|ru|Мария//ВОРОНЦОВА/Владимировна",
				"former|Putina|Latn|en|//Putina/",
			}, nil,
		},
		{
			"without a primary-name the main identity's first name is the primary",
			func(s string) string {
				return strings.Replace(s, `<name ssid="52946" name-type="primary-name"`, `<name ssid="52946" name-type="alias"`, 1)
			},
			[]string{
				"primary|Vorontsova Maria Vladimirovna|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|Mariya Vorontsova|Latn|en|",
				"alias|ВОРОНЦОВА Мария Владимировна|Cyrl|ru|Мария//ВОРОНЦОВА/Владимировна",
				"former|Putina|Latn|en|//Putina/",
			},
			[]string{`consolidated-list.xml:9:52941: no primary-name in the main identity; its first name "Vorontsova Maria Vladimirovna" is taken as the primary`},
		},
		{
			"a script and a language that are no codes",
			func(s string) string {
				return strings.Replace(s, `<spelling-variant lang="RUS" script="CYRL"`, `<spelling-variant lang="RUSSIAN" script="KYRILLISCH"`, 1)
			},
			[]string{
				"primary|Vorontsova Maria Vladimirovna|Latn|en|Maria//Vorontsova/Vladimirovna",
				"alias|Maria Faassen|Latn|en|",
				"alias|Mariya Vorontsova|Latn|en|",
				// The other parts have no variant labelled like it: the
				// values stand in, and the script is the letters' majority.
				"alias|Vorontsova Мария Владимировна|Cyrl|ru|Мария//Vorontsova/Владимировна",
				"alias|ВОРОНЦОВА Maria Vladimirovna|Latn||Maria//ВОРОНЦОВА/Vladimirovna",
				"former|Putina|Latn|en|//Putina/",
			},
			[]string{
				`consolidated-list.xml:9:52941: lang "RUSSIAN" is not an ISO 639 code; not set`,
				`consolidated-list.xml:9:52941: script "KYRILLISCH" is not an ISO 15924 code; the script is detected`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, replaceLine(t, line, tc.edit))
			e := p.Entity(t, "52941")
			if got := mapSlice(e.Names, nameLine); !slices.Equal(got, tc.names) {
				t.Errorf("names:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.names))
			}
			var got []string
			for _, is := range p.Issues {
				if is.Record == "52941" && !strings.Contains(is.Problem, "resolves to no") {
					got = append(got, sourcetest.IssueString(is))
				}
			}
			if !slices.Equal(got, tc.issues) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.issues))
			}
		})
	}
}

// TestOtherIdentityFacts: what another identity prints (its nationality
// here) is the party's too.
func TestOtherIdentityFacts(t *testing.T) {
	other := `<identity ssid="1" main="false"><name ssid="2" name-type="primary-name" quality="good" lang="eng">` +
		`<name-part order="1" name-part-type="whole-name"><value>Test Other Identity</value></name-part></name>` +
		`<nationality ssid="3"><country iso-code="CH">Switzerland</country></nationality></identity>`
	p := mustParse(t, replaceLine(t, 9, func(s string) string {
		return strings.Replace(s, `<justification ssid="52942">`, other+`<justification ssid="52942">`, 1)
	}))
	got := mapSlice(p.Entity(t, "52941").Nationalities, func(c entity.Country) string { return c.Code + "/" + c.Raw })
	if want := []string{"CH/Switzerland", "RU/Russian Federation"}; !slices.Equal(got, want) {
		t.Errorf("nationalities %v, want %v", got, want)
	}
}

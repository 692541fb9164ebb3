package normalize

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"ACME", "ACME"},
		{"  AL-QAIDA \t\r\n IN  IRAQ ", "AL-QAIDA IN IRAQ"},
		{"Jose\u0301 Marti\u0301", "José Martí"}, // NFC composes
		{"a\u00a0b", "a b"},
		{"A\x00\u030c", "Ǎ"}, // a control between a letter and its mark
		{"  \u030c", "\u030c"},
	}
	for _, tc := range tests {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Text(Text(tc.in)); got != Text(tc.in) {
			t.Errorf("Text not idempotent on %q", tc.in)
		}
	}
}

func TestSplitLastFirst(t *testing.T) {
	tests := []struct{ in, family, given string }{
		{"CIFUENTES VILLA, Jorge Milton", "CIFUENTES VILLA", "Jorge Milton"},
		{"AEROCARIBBEAN AIRLINES", "AEROCARIBBEAN AIRLINES", ""},
		{"AL-AKHRAS, Firas", "AL-AKHRAS", "Firas"},
	}
	for _, tc := range tests {
		f, g := SplitLastFirst(tc.in)
		if f != tc.family || g != tc.given {
			t.Errorf("SplitLastFirst(%q) = %q, %q", tc.in, f, g)
		}
	}
}

// Names as the UN and OFAC publications print them.
func TestScriptAndMatchKey(t *testing.T) {
	tests := []struct{ in, script, key string }{
		{"BANCO NACIONAL DE CUBA", "Latn", "banco nacional de cuba"},
		{"CECOEX, S.A.", "Latn", "cecoex sa"},
		{"O'BRIEN, José", "Latn", "obrien jose"},
		{"عبد الرحمن", "Arab", "عبد الرحمن"},
		{"Сергей Шойгу", "Cyrl", "сергей шойгу"},
		{"金正恩", "Hani", "金正恩"},
		{"김정은", "Hang", "김정은"},
		{"123", "", "123"},
	}
	for _, tc := range tests {
		if got := Script(tc.in); got != tc.script {
			t.Errorf("Script(%q) = %q, want %q", tc.in, got, tc.script)
		}
		if got := MatchKey(tc.in); got != tc.key {
			t.Errorf("MatchKey(%q) = %q, want %q", tc.in, got, tc.key)
		}
	}
}

func TestASCII(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Müller Straße", "Muller Strasse", true},
		{"ŁÓDŹ", "LODZ", true},
		{"Сергей", "Сергей", false},
	}
	for _, tc := range tests {
		got, ok := ASCII(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ASCII(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestEntityNormalizesTheSourcesValue: a source that took the number out
// of its printed label (UN 2026-02-27) keeps it through normalization; the
// raw stays as printed. Before, the value was derived from raw again and
// the label came back ("AFGHANPASSPORTNUMBERSE012820").
func TestEntityNormalizesTheSourcesValue(t *testing.T) {
	cases := []struct{ raw, rawType, value, want string }{
		{"Afghan passport number SE 012820", "Passport / Afghan passport number", "SE 012820", "SE012820"},
		{"SE012820", "Passport", "SE012820", "SE012820"}, // already normalized
	}
	for _, c := range cases {
		e := &entity.Entity{ID: "un_sc-1", Type: entity.Person, Identifiers: []entity.Identifier{{Raw: c.raw, RawType: c.rawType, Value: c.value}}}
		var cov Coverage
		Entity(e, &cov)
		if got := e.Identifiers[0]; got.Value != c.want || got.Raw != c.raw {
			t.Errorf("%q / %q: value %q raw %q, want %q and the raw as printed", c.raw, c.value, got.Value, got.Raw, c.want)
		}
	}
}

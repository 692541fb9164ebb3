package normalize

import "testing"

func TestCountryQualified(t *testing.T) {
	for _, tc := range []struct {
		raw, code, qualifier string
	}{
		// The qualified texts of the real corpus (TestCountryCorpus lists them).
		{"Possibly Ethiopian", "ET", "Possibly"},                                                       // UN 2026-02-27
		{"possibly Palestinian", "PS", "possibly"},                                                     // OFAC SDN 2021-07-07
		{"Sudanese by birth", "SD", "by birth"},                                                        // UN
		{"Iran / unknown", "IR", "unknown"},                                                            // UN
		{"Bahrain (citizenship revoked in Jan. 2015)", "BH", "citizenship revoked in Jan. 2015"},       // UN
		{"Bahrain (citizenship revoked in January 2015)", "BH", "citizenship revoked in January 2015"}, // HMT legacy
		{"Kuwaiti citizenship withdrawn in 2002", "KW", "citizenship withdrawn in 2002"},               // UN
		// Not qualified: two countries, a misspelling, a label, a whole match.
		{"Sudan/South Sudan", "", ""},
		{"United States. Also believed to hold Syrian nationality", "", ""},
		{"Guinea Bisau", "", ""},
		{"Branch Office 11: Iran", "", ""},
		{"unknown", "", ""},
		{"possibly", "", ""},
		{"Iran", "", ""},
		{"USSR (until 1991)", "", ""},
		{"Medellin", "", ""},
	} {
		code, q, ok := CountryQualified(tc.raw)
		if code != tc.code || q != tc.qualifier || ok != (tc.code != "") {
			t.Errorf("CountryQualified(%q) = %q, %q, %v; want %q, %q", tc.raw, code, q, ok, tc.code, tc.qualifier)
		}
	}
}

func TestFormerCountry(t *testing.T) {
	for _, tc := range []struct{ raw, former string }{
		{"USSR", "SUHH"}, {"former Soviet Union", "SUHH"}, {"Netherlands Antilles", "ANHH"},
		{"Yugoslavia", "YUCS"}, {"Burma", ""}, {"Russia", ""},
	} {
		code, _ := CountryCode(tc.raw)
		if got, ok := FormerCountry(code); got != tc.former || ok != (tc.former != "") {
			t.Errorf("FormerCountry(CountryCode(%q) = %q) = %q, want %q", tc.raw, code, got, tc.former)
		}
	}
}

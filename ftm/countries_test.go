package ftm_test

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/ftm"
)

// TestValidCountry checks facts read from FtM's country type
// (alephdata/followthemoney@c70a89ff, followthemoney/types/country.py and
// tests/types/test_countries.py) and the is_ftm territories of
// opensanctions/rigour v0.13.0 (rigour/data/territories/data.py).
func TestValidCountry(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool
		why  string
	}{
		{"de", true, "ISO 3166-1; FtM test: clean(DE) == de"},
		{"gb", true, "ISO 3166-1"},
		{"ps", true, "ISO 3166-1"},
		{"aq", true, "ISO 3166-1, is_ftm though not a country"},
		{"zz", true, "rigour zz.yml: Global"},
		{"eu", true, "FtM test: validate(EU)"},
		{"un", true, "rigour un.yml: United Nations"},
		{"xk", true, "FtM test: validate(XK)"},
		{"ac", true, "rigour ac.yml: Ascension Island"},
		{"cp", true, "rigour cp.yml: Clipperton Island"},
		{"cq", true, "rigour cq.yml: Sark"},
		{"dg", true, "rigour dg.yml: Diego Garcia"},
		{"ic", true, "rigour ic.yml: Canary Islands"},
		{"ta", true, "rigour ta.yml: Tristan da Cunha"},
		{"dd", true, "rigour dd.yml: East Germany"},
		{"zr", true, "rigour zr.yml: Zaire"},
		{"suhh", true, "rigour suhh.yml: Soviet Union"},
		{"yucs", true, "rigour yucs.yml: Yugoslavia"},
		{"csxx", true, "rigour csxx.yml: Serbia and Montenegro"},
		{"cshh", true, "rigour cshh.yml: Czechoslovakia"},
		{"ge-ab", true, "rigour ge_ab.yml: Abkhazia"},
		{"x-so", true, "rigour x_so.yml: South Ossetia"},
		{"ua-lpr", true, "rigour ua_lpr.yml"},
		{"ua-dpr", true, "rigour ua_dpr.yml"},
		{"ua-cri", true, "rigour ua_cri.yml: Crimea"},
		{"so-som", true, "rigour so_som.yml: Somaliland"},
		{"cy-trnc", true, "rigour cy_trnc.yml: Northern Cyprus"},
		{"az-nk", true, "rigour az_nk.yml: Artsakh"},
		{"cn-xz", true, "rigour cn_xz.yml: Tibet"},
		{"iq-kr", true, "rigour iq_kr.yml: Kurdistan"},
		{"md-pmr", true, "rigour md_pmr.yml: Transnistria"},
		{"pk-km", true, "rigour pk_km.yml: Kashmir"},
		{"gb-wls", true, "rigour gb_wls.yml: Wales"},
		{"gb-sct", true, "rigour gb_sct.yml: Scotland"},
		{"gb-nir", true, "rigour gb_nir.yml: Northern Ireland"},
		{"su", false, "FtM test: not validate(SU); only an other code of suhh"},
		{"gg-srk", false, "only an other code of cq"},
		{"us-pr", false, "only an other code of pr"},
		{"cs", false, "only an other code of cshh"},
		{"an", false, "rigour an.yml has no is_ftm"},
		{"anhh", false, "only an other code of an"},
		{"ae-du", false, "rigour ae_du.yml (Dubai) has no is_ftm"},
		{"deu", false, "FtM test: not validate(DEU)"},
		{"uk", false, "no rigour territory"},
		{"", false, "FtM test: not validate(\"\")"},
		{"DE", false, "Validate sees FtM's lower-case values only"},
	} {
		if got := ftm.ValidCountry(tc.code); got != tc.want {
			t.Errorf("ValidCountry(%q) = %v, want %v (%s)", tc.code, got, tc.want, tc.why)
		}
	}
}

// TestCountry checks that our codes, retired ones included, become the
// code FtM itself gives the same state, or are dropped where FtM has none.
func TestCountry(t *testing.T) {
	for _, tc := range []struct {
		code, want string
		ok         bool
	}{
		{"DE", "de", true},
		{"XK", "xk", true},
		{"SU", "suhh", true}, // rigour: su is an other code of suhh
		{"YU", "yucs", true}, // countrynames: YU -> YUCS
		{"DD", "dd", true},   // an FtM code as it stands
		{"ZR", "zr", true},   // an FtM code as it stands
		{"AN", "", false},    // no FtM code for the Netherlands Antilles
		// The ISO 3166-3 codes normalize gives a dissolved state (former).
		{"SUHH", "suhh", true},
		{"YUCS", "yucs", true},
		{"ANHH", "", false},
		{"CS", "", false}, // Czechoslovakia or Serbia and Montenegro
		{"UK", "", false},
	} {
		got, ok := ftm.Country(tc.code)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("Country(%q) = %q, %v; want %q, %v", tc.code, got, ok, tc.want, tc.ok)
		}
	}
}

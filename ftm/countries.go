package ftm

import "strings"

// The codes FtM's country type accepts. Source: alephdata/followthemoney
// @c70a89ff (3.8.4, the commit of schema/), followthemoney/types/country.py:
// CountryType.validate accepts exactly the codes of rigour's
// territories.get_ftm_countries(), the territories flagged is_ftm. Read from
// opensanctions/rigour v0.13.0 (a19c2d1, the release FtM's "rigour >=
// 0.11.1" resolved to on 2025-06-27), rigour/data/territories/data.py
// (generated from resources/territories/*.yml; code = file name, "_" read as
// "-"): 280 codes, the same in every rigour release from v0.11.1 to v0.14.3.
// A territory's other_codes (su, cs, gg-srk, us-pr...) are not accepted:
// FtM's own test asserts validate("SU") is false.

// isoCodes are the 249 officially assigned ISO 3166-1 alpha-2 codes, lower
// case as FtM writes them; every one is an FtM code.
const isoCodes = "ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg eh er es et fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw"

// ftmOwnCodes are the 31 other is_ftm territories: the world (zz), the EU and
// the UN; Kosovo; ISO 3166-1 exceptionally reserved codes (ac Ascension, cp
// Clipperton, dg Diego Garcia, ic Canary Islands, ta Tristan da Cunha) and
// cq (Sark, whose other code gg-srk FtM does not accept); former states (dd
// East Germany, zr Zaire, and the ISO 3166-3 codes of the USSR, Yugoslavia,
// Serbia and Montenegro, Czechoslovakia); disputed or sub-national
// territories.
const ftmOwnCodes = "zz eu un xk ac cp cq dg ic ta dd zr suhh yucs csxx cshh" +
	" ge-ab x-so ua-lpr ua-dpr ua-cri so-som cy-trnc az-nk cn-xz iq-kr md-pmr pk-km" +
	" gb-wls gb-sct gb-nir"

var validCountries = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(isoCodes + " " + ftmOwnCodes) {
		m[c] = true
	}
	return m
}()

// formerCodes maps the retired codes normalize keeps that are not FtM codes
// once lower-cased to FtM's code for the same state. FtM reads them the
// same way: rigour lists su as an other code of suhh, and countrynames
// (which FtM's clean_text asks next) maps YU to YUCS. DD and ZR need no
// entry: dd and zr are FtM codes themselves.
//
// Left out, so dropped (counted): AN, the Netherlands Antilles, is a rigour
// territory without is_ftm, and FtM has no code for it (its clean_text
// would fold it into its parent, nl). CS denoted Czechoslovakia and later
// Serbia and Montenegro; normalize leaves it unmapped for that reason,
// and FtM's reading (rigour: cs is an other code of cshh) is only one of
// the two.
var formerCodes = map[string]string{"SU": "suhh", "YU": "yucs"}

// ValidCountry reports whether code is an FtM country code.
func ValidCountry(code string) bool { return validCountries[code] }

// Country returns the FtM code of our ISO 3166-1 alpha-2 code (upper
// case, or a retired code normalize keeps), and false when FtM has none.
func Country(code string) (string, bool) {
	if c, ok := formerCodes[code]; ok {
		return c, true
	}
	c := strings.ToLower(strings.TrimSpace(code))
	return c, validCountries[c]
}

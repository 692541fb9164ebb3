package normalize

import (
	"slices"
	"strings"
)

// Legal forms and honorifics, as match-key tokens (lower-case ASCII, dots
// and apostrophes joined: "S.A." is "sa", "Co.," is "co").
//
// The lists come from the organization and person names of the OFAC SDN
// (2021-07-07), UN (2026-02-27), EU and UK test publications. Entries
// marked "not in the corpus" are the brief's (FZ-LLC), spelled-out or
// sibling forms of one that occurs (public limited company for PLC), or
// what Transliterate makes of an original-script form (Общество с
// ограниченной ответственностью, 有限公司, 주식회사).

// legalWords folds single words to the token their legal form uses: the
// spelled-out word to its abbreviation, a national abbreviation to the form
// the brief groups it with, and spelling variants to one spelling.
var legalWords = map[string]string{
	"limited":            "ltd",
	"company":            "co",
	"corporation":        "corp",
	"incorporated":       "inc",
	"limitada":           "ltda",
	"compania":           "cia",
	"aktiengesellschaft": "ag",
	"ooo":                "llc", // Russian ООО
	"tov":                "llc", // Ukrainian ТОВ
	"ojsc":               "jsc",
	"cjsc":               "jsc",
	"pjsc":               "jsc",
	"oao":                "jsc", // Russian ОАО, open
	"zao":                "jsc", // ЗАО, closed
	"pao":                "jsc", // ПАО, public
	"ao":                 "jsc", // АО
	"pat":                "jsc", // Ukrainian ПАТ
	"prat":               "jsc", // Ukrainian ПрАТ; not in the corpus
	// Spelling variants of the Russian forms (BGN/PCGN, ICAO, the lists' own).
	"obschestvo":       "obshchestvo",
	"aktsionernoye":    "aktsionernoe",
	"otkrytoye":        "otkrytoe",
	"zakrytoye":        "zakrytoe",
	"publichnoye":      "publichnoe",
	"nepublichnoye":    "nepublichnoe",
	"ogranichennoy":    "ogranichennoi",
	"ogranichennoj":    "ogranichennoi",
	"otvetstvennostiu": "otvetstvennostyu",
	"otvetstvennostju": "otvetstvennostyu",
	"tovarystvo":       "tovaristvo",
}

// orgWords fold abbreviations of organization names to the word they
// abbreviate, as the lists spell it in full elsewhere: "KOREA ANSAN SHPG
// CO" (OFAC SDN 2021-07-07 23708, DFAT 2026-02-24 3565) is the KOREA
// ANSAN SHIPPING COMPANY of other records. Found in the OFAC, UN and DFAT
// organization names; each is the only reading it has there. Not folded:
// DEV (the Turkish "Dev Sol", "Dev Genç"), TECH, CHEM, INT (names in
// their own right: "Sigma Tech", "INTRA CHEM", "INT LTD EOOD"), ELEC
// (electric or electronics), SERV (service or services) and TDG ("TDG
// Ltd." is a name). KOREAN is read as KOREA: the DPRK companies are
// listed as "KOREAN BUYON SHIPPING CO LTD" and "KOREA BUYON SHIPPING CO"
// (OFAC 19587) alike; so are IRANIAN and SYRIAN, which one record each
// spells both ways ("IRANIAN ALUMINUM COMPANY" / "IRAN ALUMINUM COMPANY",
// OFAC 28305; "SYRIAN INTERNATIONAL ISLAMIC BANK" / "SYRIA ...", OFAC
// 13122). Folding these merges no two organizations of OFAC SDN 2021-07-07,
// UN 2026-02-27 or DFAT 2026-02-24 (TestOrgWordsMergeNothing). Other
// demonyms (RUSSIAN, CHINESE) are left: no record spells a name both ways.
var orgWords = map[string]string{
	"shpg":    "shipping",      // OFAC 23708, 19580; DFAT 3565, 3568
	"shp":     "shipping",      // OFAC 27465 COSCO SHIPPING SEAMAN SHP MGMT
	"intl":    "international", // UN 114112, OFAC 8224, DFAT 507 AL TAIBAH, INTL.
	"natl":    "national",      // not in the corpus
	"trdg":    "trading",       // OFAC 23520 KOREA MARINE & INDUSTRIAL TRDG
	"mgmt":    "management",    // OFAC 27465
	"bros":    "brothers",      // OFAC 20820, KATRANGI BROS.
	"bro":     "brothers",      // OFAC 20820 AL-OMAGI & BRO. MONEY EXCHANGE
	"devt":    "development",   // OFAC 23332 DEV'T
	"equip":   "equipment",     // OFAC 25967
	"eng":     "engineering",   // OFAC 18997, 22943
	"ind":     "industries",    // OFAC 11445 SHAHID SAYYED SHIRAZI IND., DFAT 2024
	"inds":    "industries",    // OFAC 11444 IND'S
	"assn":    "association",   // not in the corpus
	"mfg":     "manufacturing", // not in the corpus
	"korean":  "korea",
	"iranian": "iran",
	"syrian":  "syria",
}

// legalTokens are the tokens legal forms fold to, and the words of legal
// forms that the key keeps as they are; a parenthesized one is not an
// acronym ("SHER MATCH INDUSTRIES (PVT.) LIMITED").
var legalTokens = func() map[string]bool {
	m := map[string]bool{"pvt": true, "pty": true, "pte": true, "private": true, "gmbh": true, "ltd": true, "llc": true, "llp": true, "sa": true}
	for _, p := range legalPhrases {
		m[p.token] = true
	}
	for _, v := range legalWords {
		m[v] = true
	}
	return m
}()

// legalPhrases fold a legal form of several words to one token. Written in
// plain words; legalWords is applied to them when the table is built.
var legalPhrases = []struct{ phrase, token string }{
	{"limited liability company", "llc"},
	{"limited liability co", "llc"},
	{"obshchestvo s ogranichennoi otvetstvennostyu", "llc"},
	{"tovaristvo z obmezhenoiu vidpovidalnistiu", "llc"}, // not in the corpus
	{"fz llc", "fzllc"},                                  // not in the corpus
	{"limited liability partnership", "llp"},             // not in the corpus

	{"joint stock company", "jsc"},
	{"open joint stock company", "jsc"},
	{"closed joint stock company", "jsc"},
	{"public joint stock company", "jsc"},
	{"private joint stock company", "jsc"},
	{"publichnoe joint stock company", "jsc"},
	{"open jsc", "jsc"},
	{"closed jsc", "jsc"},
	{"public jsc", "jsc"},
	{"private jsc", "jsc"},
	{"aktsionernoe obshchestvo", "jsc"},
	{"otkrytoe aktsionernoe obshchestvo", "jsc"},
	{"zakrytoe aktsionernoe obshchestvo", "jsc"},
	{"publichnoe aktsionernoe obshchestvo", "jsc"},
	{"nepublichnoe aktsionernoe obshchestvo", "jsc"}, // not in the corpus

	{"sociedad anonima", "sa"},
	{"societe anonyme", "sa"},   // not in the corpus
	{"sociedade anonima", "sa"}, // not in the corpus
	{"sa de cv", "sadecv"},
	{"sociedad anonima de capital variable", "sadecv"},
	{"sapi de cv", "sapidecv"},
	{"sab de cv", "sabdecv"}, // not in the corpus
	{"s de rl", "srl"},
	{"sociedad de responsabilidad limitada", "srl"},
	{"s de rl de cv", "srldecv"},
	{"srl de cv", "srldecv"},
	{"sociedad de responsabilidad limitada de capital variable", "srldecv"},
	{"spr de rl", "sprderl"},
	{"spr de rl de cv", "sprderldecv"},
	{"s en c", "senc"},
	{"s en cs", "scs"},
	{"cia ltda", "ltda"},
	{"societe a responsabilite limitee", "sarl"}, // not in the corpus

	{"company limited", "coltd"},
	{"private limited", "pvtltd"},
	{"pvt ltd", "pvtltd"},
	{"pte ltd", "pvtltd"},
	{"public limited company", "plc"}, // not in the corpus
	{"sdn bhd", "sdnbhd"},
	{"ltd sti", "ltdsti"},
	{"limited sirketi", "ltdsti"},
	{"anonim sirketi", "as"},
	{"gmbh co kg", "gmbhcokg"},
	{"gmbh and co kg", "gmbhcokg"},
	{"co kg", "cokg"},
	{"gesellschaft mit beschrankter haftung", "gmbh"}, // not in the corpus
	{"free zone establishment", "fze"},                // not in the corpus
	{"free zone company", "fzco"},                     // not in the corpus
	{"fz co", "fzco"},                                 // not in the corpus

	// Han and Hangul, as Transliterate spells them: 有限公司 (UN:
	// 長安海連技術有限公司), and, not in the corpus, 有限责任公司,
	// 股份有限公司, 주식회사.
	{"you xian gong si", "coltd"},
	{"you xian ze ren gong si", "llc"},
	{"gu fen you xian gong si", "coltd"},
	{"chu sik hoe sa", "jsc"},
}

// honorifics are dropped from person names. Only titles: words that are
// also names in the lists (Sayed, Hafiz, Amir, Sultan, Imam, Abu, Cheikh,
// Major, Gen) are kept. Not in the corpus: mrs, ms (the brief's), prof,
// alhajj, mulla, mawlavi, maulvi, ustaz (spellings of ones that are),
// ayatollah and captain; brigadier and lieutenant occur in OFAC titles.
var honorifics = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "doctor": true, "prof": true, "professor": true,
	"sheikh": true, "shaykh": true, "shaikh": true, "sheik": true,
	"haji": true, "hajji": true, "hadji": true, "haj": true, "hajj": true, "alhaj": true, "alhaji": true, "alhajj": true,
	"mullah": true, "mulla": true, "maulana": true, "mawlana": true,
	"maulavi": true, "maulawi": true, "mawlawi": true, "mawlavi": true, "moulavi": true, "maulvi": true, "molvi": true, "molavi": true,
	"mufti": true, "qari": true, "ustad": true, "ustadh": true, "ustaz": true, "ustadz": true,
	"hojjatoleslam": true, "ayatollah": true, "engineer": true,
	"general": true, "colonel": true, "col": true, "commander": true, "brigadier": true, "lieutenant": true, "captain": true,
}

// honorificPhrases are titles of several words whose words are not all
// honorifics on their own.
var honorificPhrases = []string{
	"major general",
	"lt col",
	"lt gen",
}

// phrase is one entry of a phrase table: the words after the first and the
// token that replaces them all ("" drops them).
type phrase struct {
	rest  []string
	token string
}

// phraseTable indexes phrases by their first word, longest first.
type phraseTable map[string][]phrase

func newPhraseTable(words map[string]string) phraseTable {
	t := phraseTable{}
	add := func(text, token string) {
		f := strings.Fields(text)
		for i, w := range f {
			if c, ok := words[w]; ok {
				f[i] = c
			}
		}
		t[f[0]] = append(t[f[0]], phrase{rest: f[1:], token: token})
	}
	if words != nil {
		for _, p := range legalPhrases {
			add(p.phrase, p.token)
		}
	} else {
		for _, p := range honorificPhrases {
			add(p, "")
		}
	}
	for _, ps := range t {
		slices.SortStableFunc(ps, func(a, b phrase) int { return len(b.rest) - len(a.rest) })
	}
	return t
}

var (
	legalTable     = newPhraseTable(legalWords)
	honorificTable = newPhraseTable(nil)
)

// match returns the phrase that starts at toks[i], longest first.
func (t phraseTable) match(toks []string, i int) (phrase, bool) {
	for _, p := range t[toks[i]] {
		if i+1+len(p.rest) > len(toks) {
			continue
		}
		if slices.Equal(toks[i+1:i+1+len(p.rest)], p.rest) {
			return p, true
		}
	}
	return phrase{}, false
}

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
	{"ju sik hoe sa", "jsc"},
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

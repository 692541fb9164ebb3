package normalize_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

type translitCase struct {
	in, want string
	where    string // where the name is published, or why it is here
}

func checkTranslit(t *testing.T, cases []translitCase) {
	t.Helper()
	for _, tc := range cases {
		got, ok := normalize.Transliterate(tc.in)
		if got != tc.want || !ok {
			t.Errorf("Transliterate(%q) = %q, %v; want %q, true (%s)", tc.in, got, ok, tc.want, tc.where)
		}
		if again, ok := normalize.Transliterate(got); again != got || !ok {
			t.Errorf("Transliterate(%q) = %q, %v: not a fixed point", got, again, ok)
		}
	}
}

// Every letter of the ICAO Doc 9303 Part 3 Cyrillic table, capital and
// small.
func TestTransliterateICAOTable(t *testing.T) {
	table := []struct{ cyr, lat string }{
		{"А", "A"}, {"Б", "B"}, {"В", "V"}, {"Г", "G"}, {"Д", "D"}, {"Е", "E"}, {"Ё", "E"},
		{"Ж", "ZH"}, {"З", "Z"}, {"И", "I"}, {"Й", "I"}, {"К", "K"}, {"Л", "L"}, {"М", "M"},
		{"Н", "N"}, {"О", "O"}, {"П", "P"}, {"Р", "R"}, {"С", "S"}, {"Т", "T"}, {"У", "U"},
		{"Ф", "F"}, {"Х", "KH"}, {"Ц", "TS"}, {"Ч", "CH"}, {"Ш", "SH"}, {"Щ", "SHCH"},
		{"Ъ", "IE"}, {"Ы", "Y"}, {"Ь", ""}, {"Э", "E"}, {"Ю", "IU"}, {"Я", "IA"},
		{"І", "I"}, {"Ї", "I"}, {"Є", "IE"}, {"Ґ", "G"}, {"Ў", "U"}, {"Ѵ", "Y"}, {"Ѫ", "U"},
		{"Ѓ", "G"}, {"Ђ", "D"}, {"Ѕ", "DZ"}, {"Ј", "J"}, {"Ќ", "K"}, {"Љ", "LJ"}, {"Њ", "NJ"},
		{"Һ", "C"}, {"Џ", "DZ"}, {"Ћ", "C"},
	}
	for _, e := range table {
		// Inside a word in capitals, and in a small word.
		if got, ok := normalize.Transliterate("А" + e.cyr + "А"); got != "A"+e.lat+"A" || !ok {
			t.Errorf("%s in capitals: %q, %v; want %q", e.cyr, got, ok, "A"+e.lat+"A")
		}
		small := strings.ToLower(e.cyr)
		if got, ok := normalize.Transliterate("а" + small + "а"); got != "a"+strings.ToLower(e.lat)+"a" || !ok {
			t.Errorf("%s small: %q, %v; want %q", small, got, ok, "a"+strings.ToLower(e.lat)+"a")
		}
	}
}

// Cyrillic names as the lists publish them. Expected values computed by
// hand from the ICAO table; the comment gives the Latin form the same
// record prints (UN NAME and ALIAS_NAME, UK and EU Latin names).
func TestTransliterateCyrillic(t *testing.T) {
	checkTranslit(t, []translitCase{
		// UN 2026-02-27 NAME_ORIGINAL_SCRIPT.
		{"Умаров Доку Хаматович", "Umarov Doku Khamatovich", "UN 2960872: DOKU KHAMATOVICH UMAROV"},
		{"Эмират Кавказ", "Emirat Kavkaz", "UN 2971893: EMARAT KAVKAZ"},
		{"Абдурахманов Магомед Магомедзакирович", "Abdurakhmanov Magomed Magomedzakirovich", "UN 6908487: MAGHOMED MAGHOMEDZAKIROVICH ABDURAKHMANOV"},
		{"Ислам Сеит-Умарович Атабиев", "Islam Seit-Umarovich Atabiev", "UN 6908488: ISLAM SEIT-UMAROVICH ATABIEV"},
		{"Ахмед Ражапович Чатаев", "Akhmed Razhapovich Chataev", "UN 6908489: AKHMED RAJAPOVICH CHATAEV"},
		{"Тархан Исмаилович Газиев", "Tarkhan Ismailovich Gaziev", "UN 6908490: TARKHAN ISMAILOVICH GAZIEV"},
		{"Заурбек Салимович Гучаев", "Zaurbek Salimovich Guchaev", "UN 6908492: ZAURBEK SALIMOVICH GUCHAEV"},
		{"Шамиль Магомедович Измайлов", "Shamil Magomedovich Izmailov", "UN 6908493: SHAMIL MAGOMEDOVICH ISMAILOV"},
		{"Аслан Авгазарович Бютукаев", "Aslan Avgazarovich Biutukaev", "UN 6908547: ASLAN AVGAZAROVICH BYUTUKAEV (BGN/PCGN Ю -> YU)"},
		{"Айрат Насимович Вахитов", "Airat Nasimovich Vakhitov", "UN 6908548: AYRAT NASIMOVICH VAKHITOV (BGN/PCGN Й -> Y)"},
		{"Рустам Магомедович Асельдеров", "Rustam Magomedovich Aselderov", "UN 6908574: RUSTAM MAGOMEDOVICH ASELDEROV"},
		// UN 2026-02-27 ALIAS_NAME with the original script in brackets.
		{"Abubakar (original script: Абубакар)", "Abubakar (original script: Abubakar)", "UN 6908547"},
		{"Amir Khazmat (original script: Амир Хазмат)", "Amir Khazmat (original script: Amir Khazmat)", "UN 6908547"},
		// UN and UK: the Cyrillic name of the KTJ.
		{"Катиба ат-Таухид валь-Джихад", "Katiba at-Taukhid val-Dzhikhad", "UN 6908877, UK AQD0377: KHATIBA AL-TAWHID WAL-JIHAD"},
		// EU 2026-08-05, nameLanguage BG.
		{"Организация за подпомагане на Ulema, Пакистан", "Organizatsiia za podpomagane na Ulema, Pakistan", "EU 330: Aid Organisation of the Ulema, Pakistan"},
		// The example (EU prints "Sergei Kuzhugetovich SHOIGU").
		{"Сергей Шойгу", "Sergei Shoigu", "issue 4"},
		// Capitals: a word in capitals stays in capitals.
		{"СЕРГЕЙ ШОЙГУ", "SERGEI SHOIGU", "capitals"},
		{"ЮЛИЯ Щеглова", "IULIIA Shcheglova", "mixed"},
		{"Щ.", "Shch.", "an initial"},
		// Apostrophe between Cyrillic letters (Ukrainian, Belarusian): dropped.
		{"Дар'я", "Daria", "apostrophe"},
		{"Мар’яна", "Mariana", "typographic apostrophe"},
		// A Latin I inside a Cyrillic word, as SECO publishes ЗАМУЛЕВIЧ.
		{"ЗАМУЛЕВIЧ", "ZAMULEVICH", "mixed scripts"},
		// Decomposed й (и + U+0306) is composed first.
		{"Шои\u0306гу", "Shoigu", "NFD input"},
	})
}

// The language remarks of the ICAO table, through TransliterateLang.
func TestTransliterateLang(t *testing.T) {
	tests := []struct{ in, lang, want string }{
		// Belarusian: Г -> H, Ё -> IO. The EU prints "Aliaksandr Ryhoravich
		// LUKASHENKA" and "Siarhei".
		{"Аляксандр Рыгоравіч Лукашэнка", "be", "Aliaksandr Ryhoravich Lukashenka"},
		{"Аляксандр Рыгоравіч Лукашэнка", "", "Aliaksandr Rygoravich Lukashenka"},
		{"Сяргей", "Belarusian", "Siarhei"},
		{"Сёмуха", "BE", "Siomukha"},
		// Ukrainian: И -> Y.
		{"Віктор Федорович Янукович", "uk", "Viktor Fedorovych Ianukovych"},
		{"Віктор Федорович Янукович", "Ukrainian", "Viktor Fedorovych Ianukovych"},
		{"Віктор Федорович Янукович", "ru", "Viktor Fedorovich Ianukovich"},
		// Bulgarian: Щ -> SHT.
		{"Щит", "bg", "Shtit"},
		{"Щит", "ru", "Shchit"},
		// Serbian: Ж Z, Х H, Ц C, Ч C, Ш S, Г H (as the table prints it).
		{"Вучић Шешељ Жарко Цвијан Хаџић", "sr", "Vucic Seselj Zarko Cvijan Hadzic"},
		{"Горан", "srp", "Horan"},
		// Macedonian: Ѓ GJ, Ќ KJ, Џ DJ, Х H, Ц C.
		{"Ѓорѓи Ќосе Џафер Хаџи Цветко", "mk", "Gjorgji Kjose Djafer Hadji Cvetko"},
	}
	for _, tc := range tests {
		got, ok := normalize.TransliterateLang(tc.in, tc.lang)
		if got != tc.want || !ok {
			t.Errorf("TransliterateLang(%q, %q) = %q, %v; want %q", tc.in, tc.lang, got, ok, tc.want)
		}
	}
}

// Arabic-script names of the UN and UK lists: unidecode's consonant
// skeleton, with alif and hamza forms, ta marbuta, keheh (unidecodeFixes).
func TestTransliterateArabic(t *testing.T) {
	checkTranslit(t, []translitCase{
		{"عبد اللطيف منصور", "`bd alltyf mnswr", "UK AFG0011: ABDUL LATIF MANSOOR"},
		{"أكرم تركي هاشم المزيده", "akrm trky hashm almzydh", "UK AQD0128"},
		{"عادل بن الأزهر بن يوسف حمدي", "`adl bn alazhr bn ywsf hmdy", "UN 112033: ADEL BEN AL-AZHAR BEN YOUSSEF HAMDI"},
		{"عبدالغفار قریشی عبد الغنی", "`bdalghfar qryshy `bd alghny", "UN: ABDUL GHAFAR QURISHI ABDUL GHANI (Persian yeh)"},
		{"جمات ال احرار", "jmat al ahrar", "UN 6908599: JAMAAT-UL-AHRAR"},
		{"صدام حسين التكريتي", "sdam hsyn altkryty", "UN 6908048: SADDAM HUSSEIN AL-TIKRITI"},
		{"إبراهيم حسن طالع العسيري", "ibrahym hsn tal` al`syry", "UN 2962519"},
		{"محمد حمزة زبيدي", "mhmd hmza zbydy", "UN 6908056 (ta marbuta)"},
		{"مصطفى كمال مصطفى ابراهيم", "mstfa kmal mstfa abrahym", "UN 112166 (alif maqsura)"},
		{"عبد الکبیر محمد جان", "`bd alkbyr mhmd jan", "UN 110578 (keheh)"},
		{"هيئة تحرير الشام (original script)", "hyy'a thryr alsham (original script)", "UN 6908429"},
		{"رودي سليــوة", "rwdy slywa", "UN 6908126 (tatweel)"},
		{"سید محمد عظیم ﺁغا", "syd mhmd `zym agha", "UN 111072 (a presentation form)"},
	})
}

// Han names of the UN list: pinyin syllables, separated.
func TestTransliterateHan(t *testing.T) {
	checkTranslit(t, []translitCase{
		{"長安海連技術有限公司", "Chang An Hai Lian Ji Shu You Xian Gong Si", "UN 6908691: CHANG AN SHIPPING & TECHNOLOGY"},
		{"華信船務(香港)有限公司", "Hua Xin Chuan Wu (Xiang Gang) You Xian Gong Si", "UN 6908693: HUAXIN SHIPPING HONGKONG LTD"},
		// The common readings (go-pinyin), where unidecode read 沈 chen, 朝
		// zhao, 械 jie.
		{"沈忠國際海運有限公司", "Shen Zhong Guo Ji Hai Yun You Xian Gong Si", "UN 6908696: SHEN ZHONG INTERNATIONAL SHIPPING"},
		{"朝鲜联合机械贸易会社", "Chao Xian Lian He Ji Xie Mao Yi Hui She", "UN 690767: KOREA RYONHA MACHINERY JOINT VENTURE CORPORATION"},
		{"阿不都·哈克", "A Bu Du Ha Ke", "UN 2854925 (2018-06-07), the middle dot of foreign names"},
		{"Jin Tiesan (金铁三)", "Jin Tiesan (Jin Tie San)", "UN 2026-02-27 ALIAS_NAME"},
	})
}

// Han readings that depend on the word or on the name being a person's
// (han.go), in keys.
func TestMatchKeyForHan(t *testing.T) {
	checkKeys(t, entity.Organization, []keyCase{
		{"長安海連技術有限公司", "chang an hai lian ji shu coltd"},  // UN 6908691 CHANG AN SHIPPING; go-pinyin alone reads 長 zhang
		{"沈忠國際海運有限公司", "shen zhong guo ji hai yun coltd"}, // UN 6908696 SHEN ZHONG
		{"朝鲜联合机械贸易会社", "chao xian lian he ji xie mao yi hui she"},
		{"中国银行", "zhong guo yin hang"}, // not in the corpus: 行 is xing alone
	})
	checkKeys(t, entity.Person, []keyCase{
		{"阿不都·哈克", "a bu du ha ke"},                    // DFAT 1112 ABUDU HAKE; go-pinyin reads 都 dou
		{"Jin Tiesan (金铁三)", "jin tiesan jin tie san"}, // UN 6908566
		// Surname readings, first character of a person's name only (not in
		// the corpus: no Chinese person's name there begins with one).
		{"曾庆红", "zeng qing hong"},
		{"单", "shan"},
	})
	checkKeys(t, entity.Organization, []keyCase{{"曾庆红", "ceng qing hong"}})
}

// Hangul: McCune-Reischauer without diacritics, syllable by syllable (ㅈ
// ch outside persons' names). The corpus has no Hangul; the names are
// those OFAC prints as KIM, Jong Un; CHOE, Ryong Hae; KOREA KWANGSON
// BANKING CORP (SDN 2021-07-07), written in Hangul.
func TestTransliterateHangul(t *testing.T) {
	checkTranslit(t, []translitCase{
		{"김정은", "kim chong un", "OFAC 20157: KIM, Jong Un (as a person's name: TestMatchKeyForHangul)"},
		{"최룡해", "choe ryong hae", "OFAC 23213: CHOE, Ryong Hae"},
		{"조선광선은행", "cho son kwang son un haeng", "OFAC 11581: KOREA KWANGSON BANKING CORP"},
		{"주식회사", "chu sik hoe sa", "joint stock company"},
	})
}

// The Latin names of DPRK persons of the lists, and the same names in
// Hangul, written for this test (the corpus prints none): their keys are
// equal. With Revised Romanization (the earlier table) 1 of these 8 was
// ("choe ryong hae"); PAEK SE BONG stays apart (the list voices the ㅂ of
// 봉 inside the given name; most given names in the lists do not).
func TestMatchKeyForHangul(t *testing.T) {
	cases := []struct{ id, latin, hangul string }{
		{"OFAC 20157", "KIM, Jong Un", "김정은"},
		{"OFAC 23213", "CHOE, Ryong Hae", "최룡해"},
		{"OFAC 23215", "RI, Pyong Chol", "리병철"},
		{"OFAC 20124", "JO, Yon Jun", "조연준"},
		{"UN KPi.024", "KIM YONG CHOL", "김영철"},
		{"UN KPi.050", "PAK TO CHUN", "박도춘"},
		{"OFAC 12211", "KIM, Yong Chol", "김영철"},
	}
	for _, c := range cases {
		l, h := normalize.MatchKeyFor(c.latin, entity.Person), normalize.MatchKeyFor(c.hangul, entity.Person)
		if l != h {
			t.Errorf("%s: MatchKeyFor(%q) = %q, MatchKeyFor(%q) = %q", c.id, c.latin, l, c.hangul, h)
		}
	}
	if l, h := normalize.MatchKeyFor("PAEK SE BONG", entity.Person), normalize.MatchKeyFor("백세봉", entity.Person); l == h || h != "paek se pong" {
		t.Errorf("UN KPi.048: %q, %q; want paek se bong, paek se pong", l, h)
	}
	// ㅈ is ch outside persons' names: 조선 is CHOSON in the lists' names.
	if got := normalize.MatchKeyFor("조선", entity.Organization); got != "cho son" {
		t.Errorf("MatchKeyFor(조선, organization) = %q, want cho son", got)
	}
	if got := normalize.MatchKeyFor("주식회사 조선", entity.Organization); got != "jsc cho son" {
		t.Errorf("MatchKeyFor(주식회사 조선, organization) = %q, want jsc cho son", got)
	}
}

// Greek: ELOT 743. The corpus has no Greek; these are well-known names and
// places with the spelling Greek passports and road signs use.
func TestTransliterateGreek(t *testing.T) {
	checkTranslit(t, []translitCase{
		{"Κυριάκος Μητσοτάκης", "Kyriakos Mitsotakis", "η i, υ y"},
		{"ΑΛΈΞΗΣ ΤΣΊΠΡΑΣ", "ALEXIS TSIPRAS", "capitals with tonos"},
		{"Ευάγγελος Βενιζέλος", "Evangelos Venizelos", "ευ before a vowel, γγ"},
		{"Ντόρα Μπακογιάννη", "Ntora Bakogianni", "μπ at the start of a word"},
		{"Μπουμπουλίνα", "Boumpoulina", "μπ inside a word"},
		{"Ναύπλιο", "Nafplio", "αυ before a voiceless consonant"},
		{"Παύλος", "Pavlos", "αυ before a voiced consonant"},
		{"Λευκάδα", "Lefkada", "ευ before κ"},
		{"Εύβοια", "Evvoia", "ευ before β"},
		{"Γκίκας", "Gkikas", "γκ"},
		{"Θεσσαλονίκη", "Thessaloniki", "θ"},
		{"ΘΕΣΣΑΛΟΝΙΚΗ", "THESSALONIKI", "θ in capitals"},
		{"Χανιά Ψαρά Ξάνθη", "Chania Psara Xanthi", "χ ψ ξ"},
		{"Σεργκέι Σοϊγκού", "Sergkei Soigkou", "diaeresis, ου"},
		{"άυλος", "aylos", "accent on the first vowel: no diphthong"},
		{"Μωυσής", "Moysis", "ωυ is no diphthong"},
		{"Ἀθῆναι", "Athinai", "polytonic"},
	})
}

// Other scripts: unidecode (Armenian, Hebrew, Thai, Ethiopic) or the
// Georgian national system. Only the Ethiopic names are in the corpus.
func TestTransliterateOtherScripts(t *testing.T) {
	checkTranslit(t, []translitCase{
		{"ኤርሚኣስ ግርማይ (Tigrinya)", "'eeremi'aase geremaaye (Tigrinya)", "UN 6908702 (2018-06-07)"},
		{"ፍትዊ ዓብዱረዛቕ (Tigrinya)", "fetewi `aabedurazaaqhe (Tigrinya)", "UN 6908703 (2018-06-07)"},
		{"ბიძინა ივანიშვილი", "bidzina ivanishvili", "Georgian"},
		{"ᲑᲘᲫᲘᲜᲐ", "bidzina", "Georgian Mtavruli capitals"},
		{"Սերժ Սարգսյան", "Serzh Sargsyan", "Armenian"},
		{"בנימין נתניהו", "bnymyn ntnyhv", "Hebrew"},
		{"שלום", "shlvm", "Hebrew: unidecode's capitals for ש are lowered"},
		{"ทักษิณ ชินวัตร", "thaksin chinwatr", "Thai"},
		{"ミサイル", "misairu", "katakana"},
	})
}

func TestTransliterateLatin(t *testing.T) {
	checkTranslit(t, []translitCase{
		{"CIFUENTES VILLA, Jorge Milton", "CIFUENTES VILLA, Jorge Milton", "ASCII is returned as is"},
		{"Müller Straße", "Muller Strasse", "as ASCII"},
		{"ŁÓDŹ", "LODZ", "as ASCII"},
		{"Əliyev İlham", "Aliyev Ilham", "Azerbaijani schwa, as passports print it"},
		{"ＡＢＣ ﬁnance", "ABC finance", "compatibility forms"},
		{"AL-QA‘IDA – “THE BASE”", "AL-QA'IDA - \"THE BASE\"", "quotes and dashes"},
		{"ООО «Деловая сеть»", "OOO \"Delovaia set\"", "guillemets"},
	})
}

// ok is false, and the rune kept, when something cannot be transliterated.
func TestTransliterateNotOK(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ݐ", "ݐ"}, // Arabic Supplement letter without a form
		{"𪛖", "𪛖"}, // CJK Extension B without a reading (go-pinyin has 𠀀)
	}
	for _, tc := range tests {
		got, ok := normalize.Transliterate(tc.in)
		if got != tc.want || ok {
			t.Errorf("Transliterate(%q) = %q, %v; want %q, false", tc.in, got, ok, tc.want)
		}
	}
	// UN 111076 (2026-02-27) prints two U+FFFD: its encoding lost two
	// letters. They are dropped; the rest is transliterated.
	if got, ok := normalize.Transliterate("محمد الل\ufffd\ufffd مطيع"); got != "mhmd all mty`" || !ok {
		t.Errorf("U+FFFD: %q, %v", got, ok)
	}
	// Symbols and format characters are dropped without failing.
	if got, ok := normalize.Transliterate("A\u200dB\u200f ★"); got != "AB " || !ok {
		t.Errorf("format characters: %q, %v", got, ok)
	}
}

func FuzzTransliterate(f *testing.F) {
	for _, s := range []string{"Сергей Шойгу", "Щ.", "ΑΛΈΞΗΣ ΤΣΊΠΡΑΣ", "Μπουμπουλίνα", "華信船務(香港)有限公司", "김정은",
		"عبد اللطيف منصور", "Дар'я", "Müller", "\ufffd", "ᲑᲘᲫᲘᲜᲐ", "a\u0301", "ﻋﺒﺪ", "Jin Tiesan (金铁三)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := normalize.Transliterate(s)
		if b, ok2 := normalize.Transliterate(s); a != b || ok != ok2 {
			t.Fatalf("not deterministic: %q", s)
		}
		if !ok {
			return
		}
		for i := 0; i < len(a); i++ {
			if a[i] >= utf8.RuneSelf {
				t.Fatalf("Transliterate(%q) = %q: ok but not ASCII", s, a)
			}
		}
		if b, ok := normalize.Transliterate(a); b != a || !ok {
			t.Fatalf("Transliterate(%q) = %q, then %q", s, a, b)
		}
	})
}

// isCyrillicLetter's fast path: in U+0400..U+052F only U+0482..U+0489 are
// not letters. Every letter of the Cyrillic block (U+0400..U+04FF)
// transliterates; the Cyrillic Supplement (Komi, Abkhaz, ...) need not.
func TestCyrillicBlocks(t *testing.T) {
	for r := rune(0x0400); r <= 0x052F; r++ {
		letter := r < 0x0482 || r > 0x0489
		if letter != unicode.IsLetter(r) {
			t.Errorf("%U: letter %v, unicode says %v", r, letter, unicode.IsLetter(r))
		}
		if r > 0x04FF {
			continue
		}
		if got, ok := normalize.Transliterate("А" + string(r)); !ok {
			t.Errorf("Transliterate(%U) = %q, not ok", r, got)
		}
	}
}

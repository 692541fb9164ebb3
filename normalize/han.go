package normalize

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Han characters are read in Hanyu Pinyin without tones, as Chinese
// passports and the lists print Chinese names ("沈忠" SHEN ZHONG, UN
// 6908696). The readings are github.com/mozillazg/go-pinyin's (its
// default reading of each character: the most frequent one, where the
// unidecode tables, which Transliterate uses for the other scripts, give
// the first listed, often a rare one: 沈 chen, 朝 zhao, 械 jie). go-pinyin
// v0.21.0 has no phrase dictionary, so the readings that depend on the
// word are in hanPhrases, and the readings of surnames, which differ from
// the character's common one, in hanSurnames: no Go library is served
// with such a table. ü is written u, as the lists print it (吕 LU).

// hanPhrases are words whose characters are read otherwise in them than
// alone, in names of the lists: 朝鲜 chao xian (Korea; 朝 alone is zhao,
// "morning", in go-pinyin chao already), 長安/长安 chang an (UN 6908691
// CHANG AN SHIPPING; go-pinyin reads 長 zhang), 银行/銀行 yin hang (bank;
// go-pinyin reads 行 xing), 重庆/重慶 chong qing.
var hanPhrases = map[string][]string{
	"長安": {"chang", "an"}, "长安": {"chang", "an"},
	"银行": {"yin", "hang"}, "銀行": {"yin", "hang"},
	"重庆": {"chong", "qing"}, "重慶": {"chong", "qing"},
}

// hanSurnames are the surname readings of characters whose common reading
// differs, for the first Han character of a person's name (Chinese names
// put the family name first): 沈 shen (the list's SHEN), 曾 zeng, 单 shan,
// 解 xie, 仇 qiu, 朴 piao, 区 ou, 查 zha, 盖 ge, 翟 zhai, 覃 qin, 乐 yue,
// 秘 bi, 种 chong, 长/長 chang, 都 du.
var hanSurnames = map[rune]string{
	'沈': "shen", '曾': "zeng", '单': "shan", '單': "shan", '解': "xie", '仇': "qiu",
	'朴': "piao", '区': "ou", '區': "ou", '查': "zha", '盖': "ge", '蓋': "ge",
	'翟': "zhai", '覃': "qin", '乐': "yue", '樂': "yue", '秘': "bi", '种': "chong",
	'长': "chang", '長': "chang", '都': "du",
}

// hanCharFixes are characters whose go-pinyin default is not the reading
// names use: 都 du (成都 Chengdu, 阿不都 Abudu, DFAT 1112 "ABUDU HAKE";
// go-pinyin dou, "all").
var hanCharFixes = map[rune]string{'都': "du"}

var pinyinArgs = pinyin.NewArgs() // Normal style: no tones, ü as v

// han writes the pinyin of the run of Han characters rs[i:j] and
// returns j. surname is true for the first run of a person's name.
func (w *tw) han(rs []rune, i int, surname bool) int {
	j := i
	for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
		j++
	}
	for k := i; k < j; {
		// Two-character words first.
		if k+1 < j {
			if p, ok := hanPhrases[string(rs[k:k+2])]; ok {
				for _, s := range p {
					w.syllable(capitalize(s))
				}
				k += 2
				continue
			}
		}
		r := rs[k]
		var s string
		if v, ok := hanSurnames[r]; ok && surname && k == i {
			s = v
		} else {
			s = hanReading(r)
		}
		if s == "" {
			if !w.generic(r, icaoDefault) {
				w.failed = true
			}
		} else {
			w.syllable(capitalize(s))
		}
		k++
	}
	return j
}

// hanReading is the pinyin of one character, "" when none is known.
func hanReading(r rune) string {
	if v, ok := hanCharFixes[r]; ok {
		return v
	}
	if p := pinyin.SinglePinyin(r, pinyinArgs); len(p) > 0 && p[0] != "" {
		return strings.ReplaceAll(p[0], "v", "u")
	}
	return strings.ToLower(strings.TrimSpace(unidecodeRune(r)))
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

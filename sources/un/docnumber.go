package un

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// docNumber is a document number found in a text the UN prints around it:
// the label before it ("Afghan passport number"), the number itself
// ("SE 012820", the tokens joined by single spaces), what follows it
// ("(Expired 25 Jan. 2016)", ", South Sudan"), and the country the label
// or the tail names, as an ISO code with the words that named it.
type docNumber struct {
	label, number, tail string
	country, countryRaw string
}

// noPrefix is "number" glued to the digits it labels ("N°235/MISPAT/...",
// "No34409/129", "no.:31/2013/20/003140"). Only "No" and "no", never "NO":
// an upper-case prefix can be the document's own letters.
var noPrefix = regexp.MustCompile(`^(?:N°|[Nn]o\.?:?)([0-9].*)$`)

// labelAcronyms are upper-case label words that must not be taken for a
// number's letter prefix ("SSN 156-92-9858") nor, as ISO codes, for a
// country ("ID", "NO").
var labelAcronyms = map[string]bool{"SSN": true, "NIF": true, "CAR": true, "ID": true, "NO": true, "NIN": true}

// unCountryWords are the abbreviations the UN writes for a country inside a
// document number that normalize.CountryCode does not know: the list's own
// name for the Central African Republic regime ("CAR diplomatic passport
// no. D00000898").
var unCountryWords = map[string]string{"CAR": "CF"}

// splitNumber finds the document number in s, a cleaned text. The number
// starts at the first word with a digit, with the short upper-case letter
// groups printed before it ("SE 012820", "TR-P 614 166", "DE- 473900"), and
// runs over the words with digits that follow; a "No." between two of them
// ("8208 No. 555627", a Russian passport's series and number) is a label,
// not part of it. ok is false when s has no word with a digit.
func splitNumber(s string) (d docNumber, ok bool) {
	words := strings.Fields(s)
	first := -1
	for i, w := range words {
		if strings.ContainsFunc(w, unicode.IsDigit) {
			first = i
			break
		}
	}
	if first < 0 {
		return docNumber{}, false
	}
	start := first
	head := words[first]
	if m := noPrefix.FindStringSubmatch(head); m != nil {
		head = m[1]
	} else {
		for start > 0 && isLetterPrefix(words[start-1]) {
			start--
		}
	}
	num := append([]string{}, words[start:first]...)
	end := first + 1
	tail := ""
	if w, rest, cut := cutTrailingComma(head); cut {
		num = append(num, w)
		tail = rest
	} else {
		num = append(num, head)
		for end < len(words) {
			w := words[end]
			if (w == "No." || w == "no.") && end+1 < len(words) && isNumberWord(words[end+1]) {
				end++
				continue
			}
			if !isNumberWord(w) {
				break
			}
			w, rest, cut := cutTrailingComma(w)
			num = append(num, w)
			end++
			if cut {
				tail = rest
				break
			}
		}
	}
	d.label = strings.Join(words[:start], " ")
	d.number = strings.Join(num, " ")
	d.tail = strings.TrimSpace(normalize.JoinNonEmpty(" ", tail, strings.Join(words[end:], " ")))
	d.country, d.countryRaw = labelCountry(d.label)
	if d.country == "" {
		d.country, d.countryRaw = tailCountry(d.tail)
		if d.country != "" {
			d.tail = ""
		}
	}
	return d, true
}

// cutTrailingComma splits "R00012098," into the number and an empty rest:
// a comma ends the number ("R00012098, South Sudan").
func cutTrailingComma(w string) (string, string, bool) {
	if t, found := strings.CutSuffix(w, ","); found && t != "" {
		return t, "", true
	}
	return w, "", false
}

// isLetterPrefix reports whether w is a document's letter series printed
// apart from its digits: one to three upper-case letters, maybe with a
// dash ("SE", "OA", "D", "TR-P", "DE-"), and not a label acronym.
func isLetterPrefix(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case r >= 'A' && r <= 'Z':
			letters++
		case r == '-':
		default:
			return false
		}
	}
	return letters >= 1 && letters <= 3 && !labelAcronyms[strings.Trim(w, "-")]
}

// isNumberWord reports whether w continues a number: it has a digit and no
// lower-case letter ("464086", "4135948-7", "166"; not "(Expired").
func isNumberWord(w string) bool {
	return strings.ContainsFunc(w, unicode.IsDigit) && !strings.ContainsFunc(w, unicode.IsLower) &&
		!strings.ContainsAny(w, "()")
}

// docWords name a document, never a country: a run of capitalized words
// stops at them ("Libyan Passport No." names Libya, not "Libyan Passport").
var docWords = map[string]bool{
	"passport": true, "number": true, "no": true, "card": true, "identity": true, "identification": true,
	"national": true, "document": true, "code": true, "id": true,
}

// labelCountry finds the country a label names: the longest run of
// capitalized words that normalize.CountryCode maps ("Afghan", "Central
// African Republic", "Danish" in "Counterfeit Danish driving licence
// number"). Words of up to three letters count only in upper case and when
// they are no label acronym ("No." is not Norway).
func labelCountry(label string) (code, raw string) {
	words := strings.Fields(label)
	for i := range words {
		words[i] = strings.Trim(words[i], ":,.()\"“”")
	}
	capital := func(w string) bool {
		r := []rune(w)
		if len(r) == 0 || !unicode.IsUpper(r[0]) || docWords[strings.ToLower(w)] {
			return false
		}
		if len(r) <= 3 && (strings.ToUpper(w) != w || labelAcronyms[w] && unCountryWords[w] == "") {
			return false
		}
		return true
	}
	best := ""
	for i := range words {
		for j := i + 1; j <= len(words) && capital(words[j-1]); j++ {
			cand := strings.Join(words[i:j], " ")
			if len(cand) <= len(raw) {
				continue
			}
			if c, ok := unCountryWords[cand]; ok {
				best, raw = c, cand
			} else if c, ok := normalize.CountryCode(cand); ok {
				best, raw = c, cand
			}
		}
	}
	return best, raw
}

// tailCountry maps what follows a number when it is a country alone:
// "(US)", "(Iraqi)", "South Sudan", "(United States of America)".
func tailCountry(tail string) (code, raw string) {
	t := strings.TrimSpace(tail)
	if inner, found := strings.CutPrefix(t, "("); found {
		if inner, found = strings.CutSuffix(inner, ")"); !found {
			return "", ""
		}
		t = inner
	}
	if t == "" || strings.ContainsAny(t, "()") {
		return "", ""
	}
	if c, ok := normalize.CountryCode(t); ok && len(t) > 1 && (len(t) > 3 || strings.ToUpper(t) == t) && !labelAcronyms[t] {
		return c, t
	}
	return "", ""
}

// numberWords end a label that announces a number ("... number", "No.",
// "Code:").
var numberWords = []string{"number", "no", "no.", "n°", "#", "code", "code:", "number:", "no.:"}

// announcesNumber reports whether label, the text before a number found in
// a NOTE or TYPE_OF_DOCUMENT2, says that a document number follows: it is
// empty (the text opens with the number: "04643632 issued on 18 Jun.
// 1999"), names an identifier type ("Italian Fiscal Code:", "SSN") or
// ends in a word for number ("Residential card number"). "issued in 1974"
// and "born on 25 Sep. 1973" do not: their digits are dates.
func announcesNumber(label string) bool {
	if label == "" {
		return true
	}
	if typ, _ := normalize.IdentifierType(label); typ != "" && typ != normalize.IDOther {
		return true
	}
	words := strings.Fields(strings.ToLower(label))
	last := words[len(words)-1]
	for _, w := range numberWords {
		if last == w {
			return true
		}
	}
	return false
}

// typeLabel is the part of a label that says what the document is, or ""
// when the label says only the country or "number" ("Libya 428720",
// "British number 094629366", "No. H0044232").
func typeLabel(d docNumber) string {
	rest := d.label
	if d.countryRaw != "" {
		rest = strings.Replace(rest, d.countryRaw, "", 1)
	}
	for _, w := range strings.Fields(strings.ToLower(rest)) {
		w = strings.Trim(w, ":,.()\"“”")
		if len([]rune(w)) >= 3 && w != "number" && strings.ContainsFunc(w, unicode.IsLetter) {
			return d.label
		}
	}
	return ""
}

package dfat

import (
	"regexp"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Additional Information is free text. What it labels is read into
// fields; the whole text stays in remarks, so nothing of it is lost when a
// label is missed:
//
//   - the entity's UN reference number, which the 2026 layout prints first
//     ("TAi.002. Title: ...");
//   - "Passport no.: ...", "National identification no.: ..." and their
//     spellings: one identifier per enumerated item, its number being the
//     first token with digits that is not part of a date;
//   - "IMO number: 9187629" (vessels listed as entities in 2024);
//   - for individuals, "Gender: Male", "Title: ...", "Designation: ..."
//     (positions); on an entity "Designation:" gives the listing's grounds.

// unRefLead is a UN reference number at the start of the text: two capital
// letters of the regime, i (individual) or e (entity), three digits.
var unRefLead = regexp.MustCompile(`^([A-Z]{2}[ie]\.\d{3})\b\.?`)

// unReference returns the UN reference number that opens info, or "".
func unReference(info string) string {
	if m := unRefLead.FindStringSubmatch(info); m != nil {
		return m[1]
	}
	return ""
}

// A label: up to five words before a colon, the first capitalized, none
// with a stop but "no." or a parenthesis but "(ft/in)". fieldLabel finds
// the labels this parser reads, anywhere; anyLabel any label that opens a
// sentence. A segment ends at the next of either (so that "Title: a)
// Maulavi b) Mullah Designation: ..." has two), or at the end of its
// sentence. A label inside a sentence that this parser does not read
// cannot be told from words before a colon ("under the name of Haji Gulab
// Gul National identification no.:na" is read right only because the
// label is known), unless it is one capitalized word ("na Address: na").
var (
	fieldLabel = regexp.MustCompile(`(?i)\b((?:[A-Z][a-z]+ )?passport(?: (?:no\.?|number|information))?|national identification(?: (?:no\.?|number))?|national id(?: (?:no\.?|number|card))?|imo(?: identification)?(?: (?:no\.?|number))?|gender|title|designation)\s*:`)
	anyLabel   = regexp.MustCompile(`(?:^|[.;]\s+|\n\s*)([A-Z][A-Za-z'’/-]*(?: (?:[A-Za-z'’/-]+|[Nn][or]\.|\([a-z/]+\))){0,4})\s*:|\s([A-Z][A-Za-z'’-]+):\s`)
	// A sentence ends at a stop followed by a capital, unless the stop
	// ends an abbreviation ("No. 28642163", "4 Jun. 1985").
	sentenceEnd = regexp.MustCompile(`([A-Za-z0-9)]+)[.;]\s+[A-Z(]`)
)

// abbreviations end with a stop that does not end a sentence.
var abbreviations = map[string]bool{
	"no": true, "nr": true, "nos": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true,
	"dec": true, "st": true, "mr": true, "dr": true, "co": true, "ltd": true, "inc": true,
	"exp": true, "approx": true, "tel": true, "ph": true, "prov": true, "dist": true,
}

// labelled is one labelled segment of the text.
type labelled struct {
	label string // as printed
	key   string // lower case, white space collapsed
	text  string
}

// labelledFields returns the segments the text labels with a label the
// parser reads: from after the colon to the next label or the end of the
// sentence.
func labelledFields(info string) []labelled {
	// Every label ends with a colon: a text without one has none (1,519
	// of the 2,580 distinct texts of 2026-02-24), and the regexes below
	// are the dearest part of a parse.
	if !strings.Contains(info, ":") {
		return nil
	}
	var out []labelled
	for _, m := range fieldLabel.FindAllStringSubmatchIndex(info, -1) {
		start := m[1]
		end := len(info)
		if loc := anyLabel.FindStringSubmatchIndex(info[start:]); loc != nil {
			at := loc[2]
			if at < 0 {
				at = loc[4] // a one-word label inside a sentence: "na Address: na"
			}
			end = start + at
		}
		if loc := fieldLabel.FindStringSubmatchIndex(info[start:]); loc != nil && start+loc[2] < end {
			end = start + loc[2]
		}
		for _, s := range sentenceEnd.FindAllStringSubmatchIndex(info[start:end], -1) {
			word := strings.ToLower(info[start+s[2] : start+s[3]])
			if abbreviations[word] || len(word) == 1 {
				continue
			}
			end = start + s[3]
			break
		}
		label := info[m[2]:m[3]]
		out = append(out, labelled{label: label, key: strings.ToLower(normalize.Text(label)), text: strings.TrimRight(strings.TrimSpace(info[start:end]), " .;,")})
	}
	return out
}

// identifier kinds of the labels.
func labelKind(key string) string {
	switch {
	case strings.Contains(key, "passport"):
		return "passport"
	case strings.HasPrefix(key, "national id"):
		return "national_id"
	case strings.HasPrefix(key, "imo"):
		return "imo"
	}
	return key
}

var (
	// Dates inside an identifier's item, taken out before its number is
	// looked for.
	itemDate = regexp.MustCompile(`(?i)\b\d{1,2}\.?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|\b(?:in|since|until|as at) \d{4}\b`)
	idToken  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9/\-.]*$`)
	// Words between a country and the number ("Afghan passport number",
	// "Libya number", "Indonesia, number").
	numberWords = regexp.MustCompile(`(?i)(?:[\s,:]*\b(?:passport|travel document|national|identity|identification|id|card|civil|number|no\.?|nr\.?))+[\s,.:]*$`)
)

// documentOf reads one item of a passport or national identification
// segment: its number, the country printed before it, and the item as
// the note. False when the item holds no number ("na").
func documentOf(typ, label, item string) (entity.Identifier, bool) {
	if notApplicable(item) {
		return entity.Identifier{}, false
	}
	masked := itemDate.ReplaceAllStringFunc(item, func(s string) string { return strings.Repeat(" ", len(s)) })
	fields := strings.FieldsFunc(masked, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' || r == '\u00a0' })
	offset := 0
	for i, f := range fields {
		tok := strings.TrimRight(f, ".:")
		at := strings.Index(masked[offset:], f) + offset
		offset = at + len(f)
		if digitCount(tok) < 3 || !idToken.MatchString(tok) {
			continue
		}
		raw := tok
		// "35202- 4135948-7": one number broken after a hyphen.
		if strings.HasSuffix(tok, "-") && i+1 < len(fields) && fields[i+1] != "" && fields[i+1][0] >= '0' && fields[i+1][0] <= '9' {
			raw = tok + strings.TrimRight(fields[i+1], ".:")
		}
		// "A 10472263", "OB 0243318": a letter prefix printed apart.
		if i > 0 && isUpperLetters(fields[i-1], 2) && allDigits(tok) {
			prev := fields[i-1]
			if j := strings.LastIndex(masked[:at], prev); j >= 0 {
				at = j
			}
			raw = prev + " " + tok
		}
		id := entity.Identifier{Type: typ, Value: raw, Raw: raw, RawType: label, Note: item}
		before := strings.TrimSpace(numberWords.ReplaceAllString(item[:at], ""))
		if before != "" {
			if _, ok := countryCode(before); ok {
				id.Country = before
			}
		}
		if id.Country == "" {
			// "Tunisian passport number: ..." puts the country in the label.
			if w, _, ok := strings.Cut(label, " "); ok {
				if _, ok := countryCode(w); ok && !strings.EqualFold(w, "passport") {
					id.Country = w
				}
			}
		}
		return id, true
	}
	return entity.Identifier{}, false
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func isUpperLetters(s string, most int) bool {
	if s == "" || len(s) > most {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// imoInText finds IMO numbers the text labels ("IMO number: 9187629",
// "IMO Identification Number 9187629", "IMO 9187629").
var imoInText = regexp.MustCompile(`(?i)\bIMO(?: identification)?(?: (?:number|no\.?))?\s*:?\s*(\d{7})\b`)

// listedDate returns the first date the text gives for a listing
// ("Listed on 16 June 2017", "Listed by UN 1267 Committee on 25 January
// 2001", "Designated under ... on 2 March 2012", "listed this entity on
// 21 December 2001") as an ISO date, or "".
var listedAt = regexp.MustCompile(`(?i)\b(?:listed|designated|listing)\b(?:[^.;()]{0,80}?\bon\b)?:?\s*(\d{1,2}\.?\s*[A-Za-z]{3,9}\.?,?\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})`)

func listedDate(text string) string {
	s := normalize.Text(text)
	if iso, ok := serialDate(s); ok {
		return iso
	}
	m := listedAt.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	d := parseDatePart(m[1])
	if d.Precision != entity.PrecisionDay {
		return ""
	}
	return d.Value
}

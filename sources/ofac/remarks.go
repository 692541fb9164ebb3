package ofac

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// The legacy CSV has columns for names, programs, title and vessel data
// only. Everything else the XML gives as elements (dates and places of
// birth, nationalities, citizenships, the idList, weak a.k.a.s) the CSV
// prints inside its Remarks column, which is a rendering of the XML entry:
//
//	<items>; <title>; <XML remarks without "(Linked To: X)">; <weak a.k.a.s>; <Linked To: X>...
//
// items are "DOB <date>", "POB <place>", "nationality <country>",
// "citizen <country>" and "<idType> <idNumber> (<idCountry>) issued <date>
// expires <date>", in remarkOrder's label order and by uid within a label,
// with "alt. " before a repeated label; weak a.k.a.s are "a.k.a. 'X'" in
// the XML's order; the line ends with "." unless it already does, and is
// cut after 1,000 characters, the rest going to the comments file.
//
// Both parsers therefore give remarks in this legacy form: the CSV as
// published, the XML rebuilt from its elements (for the 2018-04-06
// consolidated list the rebuilt line equals the CSV's for all 639 entries).
// The CSV parser reads the facts back from the fragments with known labels;
// the XML parser takes them from the elements and reads only the fragments
// of its own remarks element (where "Linked To" lives), so both arrive at
// the same facts. A fragment no label matches is free text: it is kept in
// remarks and nowhere else.

// splitRemarks cuts a Remarks line into its "; "-separated fragments,
// appending them to dst. A ";" between two letters ends a fragment too:
// OFAC sometimes drops the space ("nationality possibly
// Palestinian;arrested 23 Apr 2002", SDN 2021-07-07 uids 7940, 7942,
// 7945), and no value in the real files holds such a ";".
func splitRemarks(line string, dst []string) []string {
	for line != "" {
		frag, rest := cutFragment(line)
		line = rest
		if n := len(dst); n > 0 && continues(dst[n-1], frag) {
			dst[n-1] += "; " + frag
			continue
		}
		dst = append(dst, frag)
	}
	return dst
}

// cutFragment cuts line at its first "; ", or ";" between two letters.
func cutFragment(line string) (frag, rest string) {
	for i := 0; i < len(line); i++ {
		if line[i] != ';' {
			continue
		}
		if i+1 < len(line) && line[i+1] == ' ' {
			return line[:i], line[i+2:]
		}
		if i > 0 && i+1 < len(line) && isLetter(line[i-1]) && isLetter(line[i+1]) {
			return line[:i], line[i+1:]
		}
	}
	return line, ""
}

func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// continues reports whether frag is the second half of a value that itself
// contains "; ". The only such value seen in the XML idList is
// "Not on the SDN List and Not Subject to Secondary Sanctions; U.S. Persons
// Must Continue to Block ...".
func continues(prev, frag string) bool {
	prev = strings.TrimPrefix(prev, "alt. ")
	return strings.HasPrefix(prev, "Additional Sanctions Information - ") && strings.HasPrefix(frag, "U.S. Persons ")
}

// remarkFragment reads the fact one remarks fragment prints, if it starts
// with a known label. last marks the line's final fragment, whose trailing
// "." may be the line's terminator rather than part of the value.
func (b *builder) remarkFragment(frag string, last bool) {
	frag = strings.TrimPrefix(frag, "alt. ")
	l, v, ok := labels.match(frag)
	if !ok {
		b.unparsed.add(frag, b.e.ID)
		return
	}
	if last {
		v = dropLineDot(v, namesLike(l))
	}
	switch l.kind {
	case factID:
		number, country, issued, expires := splitIDValue(v)
		if l.idType == idWebsite || l.idType == idEmail {
			// "Website www.alturath.org. Revival of Islamic Heritage
			// Society Offices Worldwide." (uid 10923): the address is the
			// first word; the sentence after it stays in remarks.
			if first, _, cut := strings.Cut(number, " "); cut && strings.Contains(first, ".") {
				number = strings.TrimSuffix(first, ".")
			}
		}
		if !plausibleNumber(l.idType, number) {
			// A sentence after the label. When it starts with a number
			// ("Passport 4117921 issued under the name Dilawar Khan Zain
			// Khan", uid 12562), the number is the fact and the sentence
			// its note; otherwise the fragment stays free text.
			code, ok := leadingCode(number)
			if !ok || l.idType == idOther {
				b.unparsed.add(frag, b.e.ID)
				return
			}
			n := len(b.e.Identifiers)
			b.fact(l, code, country, issued, expires)
			if len(b.e.Identifiers) > n {
				b.e.Identifiers[n].Note = "as printed: " + frag
			}
			return
		}
		b.fact(l, number, country, issued, expires)
	case factWeakAlias:
		if len(v) >= 3 && v[0] == '\'' && v[len(v)-1] == '\'' {
			b.fact(l, v[1:len(v)-1], "", "", "")
		}
	default:
		b.fact(l, v, "", "", "")
	}
}

// namesLike reports whether a label's values are names or free text, which
// may end with an abbreviation's dot.
func namesLike(l label) bool {
	switch l.kind {
	case factPOB, factLinkedTo, factAircraftModel, factAircraftOperator, factWeakAlias:
		return true
	case factID:
		return l.idType == idOther
	}
	return false
}

// dropLineDot removes the "." the CSV adds at the end of a Remarks line.
// The CSV adds none when the value already ends with ".", so for names and
// free text the dot stays when it closes an abbreviation ("S.A.", "CO.",
// "S. EN C.", "n.e.c."). A sentence's own final dot cannot be told from the
// terminator ("... Executive Order 14024."): it is dropped, which the real
// files show to be the commoner case ("Organization Type: Activities of
// holding companies" in the XML, with the line's "." in the CSV).
func dropLineDot(v string, names bool) string {
	s, ok := strings.CutSuffix(v, ".")
	if !ok || (names && keepsDot(s)) {
		return v
	}
	return s
}

func keepsDot(s string) bool {
	w := s[strings.LastIndexByte(s, ' ')+1:]
	if w == "" {
		return false
	}
	letters, dots := 0, 0
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c == '.':
			dots++
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			letters++
		default:
			return false
		}
	}
	if dots > 0 || letters == 1 {
		return true // "S.A", "n.e.c", "C"
	}
	switch strings.ToUpper(w) {
	case "LTD", "LTDA", "INC", "CORP", "CO", "CIA", "BHD", "PTE", "PVT", "JR", "SR", "ST":
		return true
	}
	return false
}

// splitIDValue cuts "<number> (<country>) issued <date> expires <date>".
func splitIDValue(v string) (number, country, issued, expires string) {
	if i := strings.LastIndex(v, " expires "); i >= 0 && isPublishedDate(v[i+len(" expires "):]) {
		v, expires = v[:i], v[i+len(" expires "):]
	}
	if i := strings.LastIndex(v, " issued "); i >= 0 && isPublishedDate(v[i+len(" issued "):]) {
		v, issued = v[:i], v[i+len(" issued "):]
	}
	v, country = splitCountry(v)
	return v, country, issued, expires
}

// splitCountry cuts "<number> (<country>)", and "<number> (<country>.
// <note>.)": "Passport I066302 (Cabo Verde. Previously Cape Verde.)"
// (uid 16713) gives the country; its note stays in remarks.
func splitCountry(v string) (number, country string) {
	if strings.HasSuffix(v, ")") {
		if i := strings.LastIndex(v, " ("); i >= 0 {
			inner := v[i+2 : len(v)-1]
			if looksLikeCountry(inner) {
				return v[:i], inner
			}
			if first, note, ok := strings.Cut(inner, ". "); ok && looksLikeCountry(first) && strings.HasSuffix(note, ".") && note[0] >= 'A' && note[0] <= 'Z' {
				return v[:i], first
			}
		}
	}
	return v, ""
}

// looksLikeCountry accepts "Iran", "Korea, North", "Congo, Democratic
// Republic of the": a capital first, no digits, brackets or final dot.
func looksLikeCountry(c string) bool {
	if c == "" || c[0] < 'A' || c[0] > 'Z' || c[len(c)-1] == '.' {
		return false
	}
	return !strings.ContainsAny(c, "0123456789()")
}

// plausibleNumber rejects free text that merely starts like a label
// ("Passport OR801168 and Kuwaiti National ID No. 281020505755 issued under
// the name ..."): document numbers have few words and no lower-case words.
func plausibleNumber(idType, n string) bool {
	switch idType {
	case "":
		return false
	case idOther:
		return n != ""
	case idEmail, idWebsite, idCrypto:
		return n != "" && !strings.Contains(n, " ")
	}
	if n == "" {
		return false
	}
	// Many words are a sentence, unless every word is a code: "1 63 08 4
	// 01 001 005E" (uid 27583) is a Malian national ID.
	if strings.Count(n, " ") > 4 && strings.ContainsFunc(n, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
		return false
	}
	for w := range strings.FieldsSeq(n) {
		lower := 0
		for i := 0; i < len(w); i++ {
			if w[i] >= 'a' && w[i] <= 'z' {
				lower++
			}
		}
		if lower >= 2 && lower == len(w) {
			return false
		}
	}
	return true
}

// leadingCode returns the first word of a sentence when it is a document
// number: four or more characters, a digit, no lower-case letter.
func leadingCode(s string) (string, bool) {
	first, _, _ := strings.Cut(s, " ")
	first = strings.TrimRight(first, ",;:")
	if len(first) < 4 || !strings.ContainsAny(first, "0123456789") || strings.ContainsFunc(first, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
		return "", false
	}
	return first, true
}

// remarkItem is one XML element rendered as the CSV prints it in Remarks.
type remarkItem struct {
	rank  int
	label string
	uid   int
	text  string // without "alt. "
}

// legacyLine rebuilds an XML entry's Remarks as the legacy CSV prints
// them. It is reused from entry to entry.
type legacyLine struct {
	items  []remarkItem
	weak   []string // "a.k.a. 'X'"
	own    []string // fragments of the remarks element
	linked []string // "Linked To: X", from "(Linked To: X)" in the remarks element
	buf    strings.Builder
}

func (l *legacyLine) reset() {
	l.items, l.weak, l.own, l.linked = l.items[:0], l.weak[:0], l.own[:0], l.linked[:0]
}

// item adds "<label> <text>" for the element with the given uid.
func (l *legacyLine) item(rank int, lbl, uid, text string) {
	n, _ := strconv.Atoi(uid)
	l.items = append(l.items, remarkItem{rank: rank, label: lbl, uid: n, text: lbl + " " + text})
}

// idText renders an idList/id's number, country and dates.
func idText(number, country, issued, expires string) string {
	s := number
	if country != "" {
		s += " (" + country + ")"
	}
	if issued != "" {
		s += " issued " + issued
	}
	if expires != "" {
		s += " expires " + expires
	}
	return s
}

// remarks takes the XML remarks element apart: "(Linked To: X)" fragments
// move to the end of the line, without their brackets.
func (l *legacyLine) remarks(text string) {
	start := len(l.own)
	l.own = splitRemarks(text, l.own)
	kept := l.own[:start]
	for _, f := range l.own[start:] {
		if inner, ok := strings.CutPrefix(f, "(Linked To: "); ok && strings.HasSuffix(inner, ")") {
			l.linked = append(l.linked, linkedLabel+" "+inner[:len(inner)-1])
			continue
		}
		kept = append(kept, f)
	}
	l.own = kept
}

// render returns the line. title is the entry's title element.
func (l *legacyLine) render(title string) string {
	slices.SortStableFunc(l.items, func(a, b remarkItem) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.label, b.label), cmp.Compare(a.uid, b.uid))
	})
	b := &l.buf
	b.Reset()
	sep := func() {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
	}
	for i, it := range l.items {
		sep()
		if i > 0 && l.items[i-1].label == it.label {
			b.WriteString("alt. ")
		}
		b.WriteString(it.text)
	}
	if title != "" {
		sep()
		b.WriteString(title)
	}
	for _, group := range [...][]string{l.own, l.weak, l.linked} {
		for _, f := range group {
			sep()
			b.WriteString(f)
		}
	}
	if b.Len() > 0 && !strings.HasSuffix(b.String(), ".") {
		b.WriteByte('.')
	}
	return b.String()
}

// remarkFacts reads the facts of the remarks element's fragments, as the
// CSV parser reads them from the same fragments of its line.
func (l *legacyLine) remarkFacts(b *builder, line string) {
	// Which group, if any, holds the line's final fragment.
	lastInOwn := len(l.linked) == 0 && len(l.weak) == 0
	lastInLinked := len(l.linked) > 0
	read := func(group []string, holdsLast bool) {
		for i, f := range group {
			last := holdsLast && i == len(group)-1
			if last && strings.HasSuffix(line, ".") && !strings.HasSuffix(f, ".") {
				f += "." // the line's terminator, as the CSV prints it
			}
			b.remarkFragment(f, last)
		}
	}
	read(l.own, lastInOwn)
	read(l.linked, lastInLinked)
}

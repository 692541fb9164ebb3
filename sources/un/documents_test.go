package un

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// TestDocumentNumbers: real INDIVIDUAL_DOCUMENTs of the 2026-02-27
// publication whose number is printed with its label, or outside NUMBER.
// The value is the number alone, the label's words type the document and
// name its country, raw keeps NUMBER as printed and note keeps NOTE.
func TestDocumentNumbers(t *testing.T) {
	p := mustParse(t, readPublication(t, "2026-02-27"))
	tests := []struct {
		id   string
		want entity.Identifier // found by Raw and Note
	}{
		// <NUMBER>Afghan passport number SE 012820</NUMBER>
		{"111179", entity.Identifier{Type: "passport", Value: "SE012820", Raw: "Afghan passport number SE 012820",
			RawType: "Passport / Afghan passport number", Country: "AF", CountryRaw: "Afghan", Issued: "2000-11-04"}},
		// "CAR" is the list's own name for the Central African Republic.
		{"6908466", entity.Identifier{Type: "passport", Value: "D00000898", Raw: "CAR diplomatic passport no. D00000898",
			RawType: "Passport / CAR diplomatic passport no.", Country: "CF", CountryRaw: "CAR", Issued: "2013-04-11", Note: "valid until 10 April 2018"}},
		// A Russian passport's series and number, "No." between them.
		{"6908574", entity.Identifier{Type: "passport", Value: "8208555627", Raw: "Russian passport number 8208 No. 555627",
			RawType: "Passport / Russian passport number", Country: "RU", CountryRaw: "Russian",
			Note: "issued by Leninskiy Office, Directorate of the Federal Migration Service of the Russian Federation for the Republic of Dagestan"}},
		// What follows the number inside NUMBER is a note, or a country.
		{"6908498", entity.Identifier{Type: "passport", Value: "381110042", Raw: "381110042 (Expired 25 Jan. 2016)",
			RawType: "Passport", Note: "Expired 25 Jan. 2016"}},
		{"6908461", entity.Identifier{Type: "passport", Value: "R00012098", Raw: "R00012098, South Sudan",
			RawType: "Passport", Country: "SS", CountryRaw: "South Sudan"}},
		{"6908042", entity.Identifier{Type: "national_id", Value: "423313021", Raw: "Social Security Number 423-31-3021 (US)",
			RawType: "National Identification Number / Social Security Number", Country: "US", CountryRaw: "US"}},
		// "N°" glued to the number; the slashes are the number's.
		{"6908845", entity.Identifier{Type: "passport", Value: "235/MISPAT/DIRCAB/DGPC/DGAEI/SI/SP",
			Raw: "Laissez-passer no. N°235/MISPAT/DIRCAB/DGPC/DGAEI/SI/SP", RawType: "Passport / Laissez-passer no.", Issued: "2019-03-15",
			Note: "issued by the Minister of Interior of the Central African Republic"}},
		{"6908072", entity.Identifier{Type: "passport", Value: "34409/129", Raw: "No34409/129", RawType: "Passport", Note: "(July 1997)"}},
		// A military ID: other, as "military identification number:" is;
		// an other's value keeps its dashes.
		{"6908496", entity.Identifier{Type: "other", Value: "911-10-77",
			Raw:     "Central African Republic armed forces (FACA) Military identification number 911-10-77",
			RawType: "National Identification Number / Central African Republic armed forces (FACA) Military identification number",
			Country: "CF", CountryRaw: "Central African Republic"}},
		// The state the number names issued the passport; COUNTRY_OF_ISSUE
		// is where its consulate did.
		{"6908493", entity.Identifier{Type: "passport", Value: "514448632", Raw: "Russian foreign travel passport number 514448632",
			RawType: "Passport / Russian foreign travel passport number", Country: "RU", CountryRaw: "Russian", Issued: "2010-09-08",
			Note: "issued by Consulate General of the Russian Federation; city of issue: Alexandria; country of issue: Egypt"}},
		// A driving licence, filed under National Identification Number:
		// other, as "Driver's Permit" is.
		{"112379", entity.Identifier{Type: "other", Value: "20645897", Raw: "Counterfeit Danish driving licence number 20645897",
			RawType: "National Identification Number / Counterfeit Danish driving licence number", Country: "DK", CountryRaw: "Danish",
			Note: "made out to Ali Barkani, born on 22 Aug. 1973 in Morocco"}},

		// Empty NUMBER, the number in the NOTE: the note stays whole.
		{"112483", entity.Identifier{Type: "national_id", Value: "DE473900",
			RawType: "National Identification Number / Moroccan national identity card", Country: "MA", CountryRaw: "Moroccan",
			Note: "Moroccan national identity card DE- 473900"}},
		{"113328", entity.Identifier{Type: "national_id", Value: "156929858", RawType: "National Identification Number / SSN",
			Country: "US", CountryRaw: "United States of America", Note: "SSN 156-92-9858 (United States of America)"}},
		{"111735", entity.Identifier{Type: "tax_id", Value: "DAOMMD74T11Z352Z", RawType: "National Identification Number / Italian Fiscal Code:",
			Country: "IT", CountryRaw: "Italian", Note: "Italian Fiscal Code: DAOMMD74T11Z352Z"}},
		{"111735", entity.Identifier{Type: "national_id", Value: "04643632", RawType: "National Identification Number",
			Note: "04643632 issued on 18 Jun. 1999"}},
		{"111735", entity.Identifier{Type: "passport", Value: "L191609", RawType: "Passport / Tunisian passport number",
			Country: "TN", CountryRaw: "Tunisian", Note: "Tunisian passport number L 191609 issued on 28 Feb. 1996, expired on 27 Feb. 2001"}},
		{"2983638", entity.Identifier{Type: "national_id", Value: "1127083101740003",
			RawType: "National Identification Number / Indonesian National Identity Card number", Country: "ID", CountryRaw: "Indonesian",
			Note: "Indonesian National Identity Card number 1127083101740003 under name Abdul Rosyid Ridho Ba’asyir"}},
		// Empty NUMBER, the number at the end of TYPE_OF_DOCUMENT2; the
		// NOTE's year is not a number.
		{"111078", entity.Identifier{Type: "national_id", Value: "545167",
			RawType: "National Identification Number / Afghan national identification card (tazkira) number 545167",
			Country: "AF", CountryRaw: "Afghan", Note: "issued in 1974"}},
		{"3000509", entity.Identifier{Type: "other", Value: "665", RawType: "National Identification Number / Residential card number 665",
			Note: "Ayno Maina, Kandahar Province, Afghanistan"}},
		// No number printed anywhere: kept with its note, no value.
		{"3026942", entity.Identifier{Type: "passport", RawType: "Passport", Country: "Egypt",
			Note: "issued in 1993, under name Muhammad Jamal Abd-Al Rahim Ahmad Al-Kashif"}},
		{"112379", entity.Identifier{Type: "other", RawType: "National Identification Number / Birth certificate", Country: "Algeria",
			Note: "issued for Djamel Mostefa, born on 25 Sep. 1973 in Mehdia, Tiaret province, Algeria"}},

		// TYPE_OF_DOCUMENT2 types a generic National Identification Number.
		{"112033", entity.Identifier{Type: "tax_id", Value: "BNSDLA70L14Z352B", Raw: "BNSDLA70L14Z352B",
			RawType: "National Identification Number / Italian Fiscal Code:", Country: "IT", CountryRaw: "Italian"}},
		// A passport filed under National Identification Number is the
		// Russian internal passport, printed beside the holder's "Russian
		// foreign travel passport" under Passport.
		{"6908487", entity.Identifier{Type: "national_id", Value: "8200203535", Raw: "8200203535",
			RawType: "National Identification Number / national passport number", Country: "Russian Federation"}},
		// The NOTE says what the document is: a type text, as
		// TYPE_OF_DOCUMENT2 would be; the note keeps it.
		{"111806", entity.Identifier{Type: "tax_id", Value: "SSDSBN68B10Z352F", Raw: "SSDSBN68B10Z352F",
			RawType: "National Identification Number / Italian Fiscal Code", Country: "IT", CountryRaw: "Italian", Note: "Italian Fiscal Code"}},
		{"6908700", entity.Identifier{Type: "other", Value: "73320881AG1191MAM20000", Raw: "73320881AG1191MAM20000",
			RawType: "National Identification Number / Voter ID"}},
	}
	for _, tc := range tests {
		e := p.Entity(t, tc.id)
		var got *entity.Identifier
		for i, id := range e.Identifiers {
			if id.Raw == tc.want.Raw && id.Note == tc.want.Note && id.RawType != refRawType {
				got = &e.Identifiers[i]
			}
		}
		if got == nil {
			t.Errorf("%s: no identifier with raw %q and note %q in %+v", tc.id, tc.want.Raw, tc.want.Note, e.Identifiers)
			continue
		}
		if *got != tc.want {
			t.Errorf("%s %q:\n got %+v\nwant %+v", tc.id, tc.want.Raw, *got, tc.want)
		}
	}
}

// xmlDocument is an INDIVIDUAL_DOCUMENT read by encoding/xml's tokens: the
// text of each child, white space collapsed.
type xmlDocument struct {
	dataID string
	fields map[string]string
}

// empty reports whether the document prints nothing (<INDIVIDUAL_DOCUMENT/>).
func (d xmlDocument) empty() bool {
	for _, v := range d.fields {
		if v != "" {
			return false
		}
	}
	return true
}

// readDocuments reads every INDIVIDUAL_DOCUMENT of data with encoding/xml,
// sharing no code with the parser (xmlstream and xmlquery).
func readDocuments(t *testing.T, data []byte) []xmlDocument {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var docs []xmlDocument
	var cur *xmlDocument
	dataID, field := "", ""
	var text strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			switch name := tk.Name.Local; {
			case name == "INDIVIDUAL_DOCUMENT":
				cur = &xmlDocument{dataID: dataID, fields: map[string]string{}}
			case name == "DATAID" || cur != nil:
				field = name
				text.Reset()
			}
		case xml.CharData:
			if field != "" {
				text.Write(tk)
			}
		case xml.EndElement:
			switch name := tk.Name.Local; {
			case name == "INDIVIDUAL_DOCUMENT":
				docs = append(docs, *cur)
				cur = nil
			case name == field && field == "DATAID":
				dataID = strings.TrimSpace(text.String())
				field = ""
			case name == field:
				cur.fields[name] = strings.Join(strings.Fields(text.String()), " ")
				field = ""
			}
		}
	}
}

var (
	// labelWord is a word of the label printed in NUMBER: two letters or
	// more with a lower-case one ("Afghan", "number", "No" of
	// "No34409/129"); document numbers print their letters in upper case.
	labelWord = regexp.MustCompile(`\p{L}*\p{Ll}\p{L}*`)
	// numberToken is a word with three digits or more ("665", "156-92-9858").
	numberToken = regexp.MustCompile(`[^\s,;()]*(?:\d[^\s,;()]*){3,}`)
	// yearOrDate is a numberToken that is a date: a year, 1999-12-31, 24/06/1402.
	yearOrDate = regexp.MustCompile(`^(?:(?:19|20)\d\d\.?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d\d-\d\d)$`)
)

// keepsLabel reports whether value, the identifier value of a NUMBER
// printed with label words, is empty or still holds one of the words or a
// parenthesis or comma.
func keepsLabel(number, value string) bool {
	bad := strings.ContainsAny(value, "(,") || value == ""
	for _, w := range labelWord.FindAllString(number, -1) {
		bad = bad || len([]rune(w)) >= 2 && strings.Contains(value, strings.ToUpper(w))
	}
	return bad
}

// TestDocumentCounts reads the real 2026-02-27 file a second way
// (encoding/xml tokens, regular expressions) and checks that the parser's
// identifiers account for every document: one identifier per document;
// for an empty NUMBER whose NOTE or TYPE_OF_DOCUMENT2 holds a number, that
// number as the value and the NOTE as the note; for a NUMBER printed with
// label words, a value without them, raw as printed.
func TestDocumentCounts(t *testing.T) {
	data := readPublication(t, "2026-02-27")
	docs := readDocuments(t, data)
	p := mustParse(t, data)

	byRecord, parsed := documentsByRecord(p.Entities)
	byPair := checkDocumentTypes(t, "2026-02-27", docs, byRecord)
	squeeze := func(s string) string {
		return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
	}
	// The same identifiers after the pipeline's normalize pass, which
	// derives the value again from raw.
	again := mustParse(t, data)
	normalized := map[string][]entity.Identifier{}
	for _, e := range again.Entities {
		var cov normalize.Coverage
		normalize.Entity(e, &cov)
		normalized[e.SourceID] = e.Identifiers
	}
	printed, emptyWithNote, emptyWithNumber, labelled := 0, 0, 0, 0
	labelledAfterNormalize := 0
	labelledValues, emptyValues := 0, 0
	for _, d := range docs {
		if d.empty() {
			continue
		}
		f := d.fields
		printed++
		ids := byRecord[d.dataID]
		number, note := f["NUMBER"], f["NOTE"]
		var match *entity.Identifier
		for i := range ids {
			if ids[i].Raw == number && (number != "" || strings.HasPrefix(ids[i].Note, note)) {
				match = &ids[i]
				break
			}
		}
		if match == nil {
			t.Errorf("%s: document %v has no identifier", d.dataID, f)
			continue
		}
		if match.Value == "" {
			emptyValues++
		}
		switch {
		case number == "" && note != "":
			emptyWithNote++
			if match.Note == "" || !strings.HasPrefix(match.Note, note) {
				t.Errorf("%s: NOTE %q not kept: note %q", d.dataID, note, match.Note)
			}
			var want string
			for _, tok := range numberToken.FindAllString(f["TYPE_OF_DOCUMENT2"]+" "+note, -1) {
				if !yearOrDate.MatchString(tok) {
					want = squeeze(tok)
					break
				}
			}
			if want != "" {
				emptyWithNumber++
			}
			if want == "" && match.Value != "" || !strings.HasSuffix(match.Value, want) {
				t.Errorf("%s: empty NUMBER, NOTE %q, TYPE_OF_DOCUMENT2 %q: value %q, want one ending in %q",
					d.dataID, note, f["TYPE_OF_DOCUMENT2"], match.Value, want)
			}
		case labelWord.MatchString(number) || strings.ContainsAny(number, "(,"):
			labelled++
			if keepsLabel(number, match.Value) {
				labelledValues++
				t.Errorf("%s: NUMBER %q gives value %q, with its label words", d.dataID, number, match.Value)
			}
			for _, id := range normalized[d.dataID] {
				if id.Raw == number && keepsLabel(number, id.Value) {
					labelledAfterNormalize++
					break
				}
			}
		}
	}
	t.Logf("2026-02-27: %d documents, %d identifiers; %d with an empty NUMBER and a NOTE (%d with a number in NOTE or TYPE_OF_DOCUMENT2); "+
		"%d NUMBERs with label words, %d values still with them; %d empty values",
		printed, parsed, emptyWithNote, emptyWithNumber, labelled, labelledValues, emptyValues)
	t.Logf("documents by type, TYPE_OF_DOCUMENT and TYPE_OF_DOCUMENT2 (\"\" when absent or the same):\n%s", formatPairs(byPair))
	t.Logf("after normalize.Entity (which derives value from raw again), %d of the %d values have label words back",
		labelledAfterNormalize, labelled)
	if parsed != printed {
		t.Errorf("%d identifiers for %d documents", parsed, printed)
	}
	// The independent reading's figures, so that a change of either
	// reading shows.
	if printed != 468 || emptyWithNote != 14 || emptyWithNumber != 12 || labelled != 53 {
		t.Errorf("independent counts %d, %d, %d, %d; want 468, 14, 12, 53", printed, emptyWithNote, emptyWithNumber, labelled)
	}
	if emptyValues != 2 {
		t.Errorf("%d empty values, want 2 (3026942 and 112379: no number printed)", emptyValues)
	}
}

// TestDocumentTypesAsNormalized: the type the parser gives every document
// of the 9 publications is the one the pipeline's normalize pass gives it
// again, so that this package's documentation of the types is the output's.
// normalize.IdentifierType keeps a composite type in the class its first
// part names, as documentType does, so the 5 Russian internal passports
// ("National Identification Number / national passport") are national_id
// in both.
func TestDocumentTypesAsNormalized(t *testing.T) {
	for _, date := range publications {
		data := readPublication(t, date)
		p, again := mustParse(t, data), mustParse(t, data)
		byT2 := map[string]int{}
		for i, e := range p.Entities {
			n := again.Entities[i]
			var cov normalize.Coverage
			normalize.Entity(n, &cov)
			if len(n.Identifiers) != len(e.Identifiers) {
				t.Fatalf("%s %s: normalize dropped identifiers: %+v", date, e.ID, n.Identifiers)
			}
			for j, id := range e.Identifiers {
				if got := n.Identifiers[j].Type; got != id.Type {
					t.Errorf("%s %s %q (%s): parser types %s, normalize %s", date, e.ID, id.Raw, id.RawType, id.Type, got)
				}
				if strings.Contains(id.RawType, " / ") {
					byT2[id.Type]++
				}
			}
		}
		t.Logf("%s: documents with a second type text, by type: %v", date, byT2)
	}
}

package un

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// documentTypes is the identifier type of an INDIVIDUAL_DOCUMENT by its
// TYPE_OF_DOCUMENT and TYPE_OF_DOCUMENT2 ("" when absent or equal), for
// every pair printed in the 9 publications: the table of
// docs/sources/un_sc.md, written out by hand from what the publisher
// prints rather than derived, so that the parser is checked against the
// decision and not against itself. TYPE_OF_DOCUMENT is the class (the UN
// files every document that is not a passport under National
// Identification Number); TYPE_OF_DOCUMENT2 says what the document is
// inside it.
var documentTypes = map[[2]string]string{
	{"Passport", ""}:                 "passport",
	{"Numéro de passeport", ""}:      "passport",
	{"Número de pasaporte", ""}:      "passport",
	{"Passport", "Service passport"}: "passport",
	{"Passport", "number:"}:          "passport",

	{"National Identification Number", ""}:                                                            "national_id",
	{"National identification no.", ""}:                                                               "national_id",
	{"National Identification Number", "05258253"}:                                                    "national_id", // the number alone, printed as the type
	{"National Identification Number", "Afghan national identification card (tazkira) number"}:        "national_id",
	{"National Identification Number", "Afghan national identification card (tazkira) number 1136"}:   "national_id",
	{"National Identification Number", "Afghan national identification card (tazkira) number 19657"}:  "national_id",
	{"National Identification Number", "Afghan national identification card (tazkira) number 44323"}:  "national_id",
	{"National Identification Number", "Afghan national identification card (tazkira) number 545167"}: "national_id",
	{"National Identification Number", "Afghan national identification card (tazkira) number 57388"}:  "national_id",
	{"National Identification Number", "Alternate national identification number"}:                    "national_id",
	{"National Identification Number", "BPA"}:                                                         "national_id", // Bundespersonalausweis
	{"National Identification Number", "Civil Identification number"}:                                 "national_id",
	{"National Identification Number", "civil identification number"}:                                 "national_id",
	{"National Identification Number", "federal identity card number"}:                                "national_id",
	{"National Identification Number", "Identification Card No."}:                                     "national_id",
	{"National Identification Number", "Identification number"}:                                       "national_id",
	{"National Identification Number", "identity card"}:                                               "national_id",
	{"National Identification Number", `Identity document ("Bundespersonalausweis")`}:                 "national_id",
	{"National Identification Number", "Indonesia National Identity Card"}:                            "national_id",
	{"National Identification Number", "Indonesian national identity card number"}:                    "national_id",
	{"National Identification Number", "Jordanian national number:"}:                                  "national_id",
	{"National Identification Number", "national identification"}:                                     "national_id",
	{"National Identification Number", "National Identification Card"}:                                "national_id",
	{"National Identification Number", "national identification card"}:                                "national_id",
	{"National Identification Number", "National identification no:"}:                                 "national_id",
	{"National Identification Number", "National Identity Card"}:                                      "national_id",
	{"National Identification Number", "national identity card"}:                                      "national_id",
	{"National Identification Number", "national identity card no."}:                                  "national_id",
	{"National Identification Number", "National Identity Card number"}:                               "national_id",
	{"National Identification Number", "National Identity number"}:                                    "national_id",
	{"National Identification Number", "Personal Identification Card no:"}:                            "national_id",
	{"National Identification Number", "Personal identification no.:"}:                                "national_id",
	{"National Identification Number", "United States Social Security Number:"}:                       "national_id",
	{"National Identification Number", "Yemeni identity card number"}:                                 "national_id",
	// The Russian internal passport, the domestic identity document: the
	// UN files it under National Identification Number, beside each
	// holder's "Russian foreign travel passport" under Passport (UK OFSI
	// prints 8200203535 as "National identification No: ... (Russian
	// national passport number)" too).
	{"National Identification Number", "national passport"}:        "national_id",
	{"National Identification Number", "national passport number"}: "national_id",

	{"National Identification Number", "Italian Fiscal Code:"}: "tax_id",

	{"National Identification Number", "Birth Certificate"}:                                 "other",
	{"National Identification Number", "Birth certificate"}:                                 "other",
	{"National Identification Number", "Certificate of Iraqi Nationality"}:                  "other",
	{"National Identification Number", "Certificate of Nationality"}:                        "other",
	{"National Identification Number", "Certificate of nationality acquired through birth"}: "other",
	{"National Identification Number", "Driver's Permit"}:                                   "other",
	{"National Identification Number", "Ex-serviceman’s identification card"}:               "other",
	{"National Identification Number", "FARDC ID"}:                                          "other", // Congolese armed forces
	{"National Identification Number", "military identification number:"}:                   "other",
	{"National Identification Number", "Other ID"}:                                          "other",
	{"National Identification Number", "Ration Card no"}:                                    "other",
	{"National Identification Number", "Ration card no."}:                                   "other",
	{"National Identification Number", "Ration card number:"}:                               "other",
	{"National Identification Number", "Residential card number 665"}:                       "other",
	{"National Identification Number", "Student ID"}:                                        "other",
	{"National Identification Number", "Voter ID"}:                                          "other",
}

// labelTypes type a National Identification Number without a
// TYPE_OF_DOCUMENT2 whose NUMBER or NOTE names what it is ("Italian Fiscal
// Code: DAOMMD74T11Z352Z", un_sc-111735; the NOTE "NIF - Haiti", Haiti's
// tax number, of 6908911).
var labelTypes = []struct{ label, typ string }{
	{"Fiscal Code", "tax_id"},
	{"NIF - Haiti", "tax_id"},
	{"driving licence", "other"},                // 112379, like Driver's Permit
	{"Military identification number", "other"}, // 6908496, like military identification number:
	{"alien registration number", "other"},      // 6908478, a resident permit issued by Saudi Arabia
}

// documentPair is a document's (TYPE_OF_DOCUMENT, TYPE_OF_DOCUMENT2) key
// of documentTypes.
func documentPair(f map[string]string) [2]string {
	t2 := f["TYPE_OF_DOCUMENT2"]
	if strings.EqualFold(t2, f["TYPE_OF_DOCUMENT"]) {
		t2 = ""
	}
	return [2]string{f["TYPE_OF_DOCUMENT"], t2}
}

// checkDocumentTypes checks that every document of docs (read by
// readDocuments, without the parser) has in p the type documentTypes gives
// its pair, and a raw_type that starts with TYPE_OF_DOCUMENT and
// TYPE_OF_DOCUMENT2 as printed. It returns the parser's types by pair.
func checkDocumentTypes(t *testing.T, date string, docs []xmlDocument, byRecord map[string][]entity.Identifier) map[[2]string]map[string]int {
	t.Helper()
	got := map[[2]string]map[string]int{}
	used := map[*entity.Identifier]bool{}
	for _, d := range docs {
		if d.empty() {
			continue
		}
		f := d.fields
		pair := documentPair(f)
		prefix := pairRawType(pair)
		var match *entity.Identifier
		ids := byRecord[d.dataID]
		for i := range ids {
			id := &ids[i]
			if !used[id] && id.Raw == f["NUMBER"] && strings.HasPrefix(id.Note, f["NOTE"]) &&
				(id.RawType == prefix || strings.HasPrefix(id.RawType, prefix+" / ")) {
				match = id
				break
			}
		}
		if match == nil {
			t.Errorf("%s %s: document %v has no identifier with raw_type %q...", date, d.dataID, f, prefix)
			continue
		}
		used[match] = true
		if got[pair] == nil {
			got[pair] = map[string]int{}
		}
		got[pair][match.Type]++
		want, ok := documentTypes[pair]
		if !ok {
			t.Errorf("%s %s: TYPE_OF_DOCUMENT %q, TYPE_OF_DOCUMENT2 %q is in no row of the table: decide its type in docs/sources/un_sc.md and documentTypes",
				date, d.dataID, pair[0], pair[1])
			continue
		}
		if pair[1] == "" && want == "national_id" {
			for _, l := range labelTypes {
				if strings.Contains(f["NUMBER"]+" "+f["NOTE"], l.label) {
					want = l.typ
				}
			}
		}
		if match.Type != want {
			t.Errorf("%s %s: %q / %q (NUMBER %q, raw_type %q): type %s, want %s",
				date, d.dataID, pair[0], pair[1], f["NUMBER"], match.RawType, match.Type, want)
		}
	}
	return got
}

// pairRawType is the raw_type a pair starts with: TYPE_OF_DOCUMENT, then
// TYPE_OF_DOCUMENT2 when printed and different.
func pairRawType(pair [2]string) string {
	if pair[1] == "" {
		return pair[0]
	}
	return pair[0] + " / " + pair[1]
}

// documentsByRecord returns the parser's document identifiers (not the
// UN reference number) by DATAID.
func documentsByRecord(entities []*entity.Entity) (map[string][]entity.Identifier, int) {
	byRecord := map[string][]entity.Identifier{}
	n := 0
	for _, e := range entities {
		for _, id := range e.Identifiers {
			if id.RawType != refRawType {
				byRecord[e.SourceID] = append(byRecord[e.SourceID], id)
				n++
			}
		}
	}
	return byRecord, n
}

// formatPairs prints got, one pair a line, in the order of the table's
// types then pairs.
func formatPairs(got map[[2]string]map[string]int) string {
	var lines []string
	for pair, types := range got {
		for typ, n := range types {
			lines = append(lines, fmt.Sprintf("%-11s %-32q %-62q %d", typ, pair[0], pair[1], n))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestDocumentTypesByPair: every document of the 8 publications before
// 2026-02-27 has the type its (TYPE_OF_DOCUMENT, TYPE_OF_DOCUMENT2) pair
// has in documentTypes (TestDocumentCounts checks 2026-02-27).
func TestDocumentTypesByPair(t *testing.T) {
	for _, date := range publications {
		if date == "2026-02-27" {
			continue
		}
		data := readPublication(t, date)
		byRecord, _ := documentsByRecord(mustParse(t, data).Entities)
		checkDocumentTypes(t, date, readDocuments(t, data), byRecord)
	}
}

package normalize_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// unNINPassport finds, in the UN XML, the TYPE_OF_DOCUMENT2 of a document
// filed under National Identification Number (a second reading of the
// file, sharing no code with the parser).
var unNINPassport = regexp.MustCompile(`<TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>\s*<TYPE_OF_DOCUMENT2>([^<]*)</TYPE_OF_DOCUMENT2>`)

// TestUNDocumentTypesAfterNormalize: the pipeline's normalize pass types
// each document of the real UN 2026-02-27 file, from its raw_type, as the
// UN prints it (issue 17): inside its TYPE_OF_DOCUMENT class, by what
// TYPE_OF_DOCUMENT2, the number's label or a NOTE that names the document
// say (docs/sources/un_sc.md, "Type").
func TestUNDocumentTypesAfterNormalize(t *testing.T) {
	const dir = "../testdata/un_sc/2026-02-27"
	p, err := sourcetest.Parse(t, un.New(un.Config{}), dir)
	if err != nil {
		t.Fatal(err)
	}
	var cov normalize.Coverage
	bySource := map[string][]entity.Identifier{}
	for _, e := range p.Entities {
		normalize.Entity(e, &cov)
		bySource[e.SourceID] = e.Identifiers
	}
	tests := []struct {
		id, raw, want, why string
	}{
		// <TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>
		// <TYPE_OF_DOCUMENT2>national passport number</TYPE_OF_DOCUMENT2>:
		// the Russian internal passport; the holder's foreign travel
		// passport is printed beside it under Passport.
		{"6908487", "8200203535", normalize.IDNationalID, "internal passport under National Identification Number"},
		{"6908493", "Russian foreign travel passport number 514448632", normalize.IDPassport, "printed as Passport / Russian foreign travel passport number"},
		// NUMBER "Counterfeit Danish driving licence number 20645897".
		{"112379", "Counterfeit Danish driving licence number 20645897", normalize.IDOther, "a driving licence, like Driver's Permit"},
		// NUMBER "Central African Republic armed forces (FACA) Military
		// identification number 911-10-77".
		{"6908496", "Central African Republic armed forces (FACA) Military identification number 911-10-77", normalize.IDOther, "a military ID, like military identification number:"},
		// NUMBER "alien registration number 2054275397", ISSUING_COUNTRY
		// Saudi Arabia: a resident permit, no company's register. (The
		// record is 6908478, MU'TASSIM YAHYA; 6908479 follows it.)
		{"6908478", "alien registration number 2054275397", normalize.IDOther, "a foreign resident's permit"},
		// NUMBER 001-843-989-7, NOTE "NIF - Haiti": Haiti's tax number.
		{"6908911", "001-843-989-7", normalize.IDTax, "Haiti's Numéro d'Identification Fiscale"},
		// TYPE_OF_DOCUMENT2 "Italian Fiscal Code:".
		{"112033", "BNSDLA70L14Z352B", normalize.IDTax, "Italian Fiscal Code"},
	}
	for _, tc := range tests {
		var got []string
		for _, id := range bySource[tc.id] {
			if id.Raw == tc.raw {
				got = append(got, id.Type+" ("+id.RawType+")")
			}
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], tc.want+" ") {
			t.Errorf("un_sc-%s %q (%s): after normalize %v, want %s", tc.id, tc.raw, tc.why, got, tc.want)
		}
	}

	// Every document the UN files under National Identification Number
	// with a TYPE_OF_DOCUMENT2 naming a passport is national_id, none a
	// passport; the count is read from the XML itself.
	printed := 0
	for _, m := range unNINPassport.FindAllSubmatch(sourcetest.Gunzip(t, dir+"/consolidated.xml.gz"), -1) {
		if strings.Contains(strings.ToLower(string(m[1])), "passport") {
			printed++
		}
	}
	internal := 0
	byType := map[string]int{}
	for _, ids := range bySource {
		for _, id := range ids {
			if id.RawType != "UN reference number" {
				byType[id.Type]++
			}
			first, rest, composite := strings.Cut(id.RawType, " / ")
			if first != "National Identification Number" || !composite || !strings.Contains(strings.ToLower(rest), "passport") {
				continue
			}
			if id.Type != normalize.IDNationalID {
				t.Errorf("%q (%s) is %s after normalize, want national_id", id.Raw, id.RawType, id.Type)
			}
			internal++
		}
	}
	t.Logf("documents after normalize, by type: %v", byType)
	if printed != 5 || internal != printed {
		t.Errorf("%d documents under National Identification Number with a passport TYPE_OF_DOCUMENT2 in the XML (want 5: un_sc-6908487, 6908488, 6908489, 6908492, 6908493), %d such identifiers", printed, internal)
	}
}

package normalize

import (
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// IMO company numbers by their own check. The valid ones are real: OFAC
// SDN (testdata/us_ofac_sdn/2021-07-07) prints them as "Vessel
// Registration Identification IMO ..." on DPRK shipping companies, DFAT
// (testdata/au_dfat) in Additional Information.
var companyIMOCases = []struct {
	raw, value, validity, problem string
}{
	{"IMO 5878589", "5878589", "valid", ""}, // OFAC 19569 CHONGBONG SHIPPING CO LTD
	{"IMO 1267131", "1267131", "valid", ""}, // OFAC 19580 KOREAN POLISH SHPG CO LTD
	{"IMO 4199470", "4199470", "valid", ""}, // OFAC 19571 OCEAN BUNKERING JV CO
	{"5342883", "5342883", "valid", ""},     // DFAT 3164, "IMO Number: 5342883"
	{"6183435", "6183435", "valid", ""},     // DFAT 7964, "IMO Identification Number: 6183435"
	{"(5777731)", "5777731", "valid", ""},   // OFAC 24899 NASCO POLYMERS, "International Maritime Organization No. (5777731)"
	// 5878589 with its last digit changed, and a ship's number (OFAC 15036
	// ARTAVIL), which the company check rejects.
	{"IMO 5878588", "5878588", "invalid", "check digit is 8, want 9"},
	{"IMO 9187629", "9187629", "invalid", "check digit is 9, want 6"},
	{"IMO 587858", "587858", "invalid", "7 digits"},
}

func TestCheckIMOCompany(t *testing.T) {
	for _, tc := range companyIMOCases {
		value, valid, problem := NormalizeIdentifier(IDIMOCompany, "", tc.raw)
		if value != tc.value || validity(valid) != tc.validity || !strings.Contains(problem, tc.problem) || (tc.problem == "") != (problem == "") {
			t.Errorf("NormalizeIdentifier(imo_company, %q) = %q, %s, %q; want %q, %s, %q", tc.raw, value, validity(valid), problem, tc.value, tc.validity, tc.problem)
		}
		checkStable(t, IDIMOCompany, "", tc.raw)
	}
}

// IdentifierOf on real identifiers where the entity's type or the value
// says more than the label, and on the cases around them.
func TestIdentifierOf(t *testing.T) {
	org, vessel := entity.Organization, entity.Vessel
	const vri, lenLabel = "Vessel Registration Identification", "Legal Entity Number"
	tests := []struct {
		et                       entity.Type
		rawType, typ, raw        string
		outType, value, validity string
		problem                  string
	}{
		// OFAC SDN 19569 CHONGBONG SHIPPING CO LTD and DFAT 3164: company
		// numbers of companies.
		{org, vri, IDIMO, "IMO 5878589", IDIMOCompany, "5878589", "valid", ""},
		{org, "IMO number", IDIMO, "5342883", IDIMOCompany, "5342883", "valid", ""},
		// DFAT 3621h has no Type: an unknown entity is not a vessel either.
		{entity.Unknown, "IMO number", IDIMO, "5342883", IDIMOCompany, "5342883", "valid", ""},
		// A ship's number (OFAC 15036 ARTAVIL) on a vessel, and on an
		// organization, where it stays a ship's number.
		{vessel, vri, IDIMO, "IMO 9187629", IDIMO, "9187629", "valid", ""},
		{org, vri, IDIMO, "IMO 9187629", IDIMO, "9187629", "valid", ""},
		// A vessel's number is checked as a ship's only: DFAT 8631's bad
		// check digit, and a company number on a vessel.
		{vessel, "IMO Number", IDIMO, "9434980", IDIMO, "9434980", "invalid", "IMO check digit is 0, want 1"},
		{vessel, vri, IDIMO, "IMO 5878589", IDIMO, "5878589", "invalid", "IMO check digit is 9, want 1"},
		// On an organization, a number that fails both checks says so.
		{org, vri, IDIMO, "IMO 5878588", IDIMO, "5878588", "invalid", "IMO check digit is 8, want 1; as an IMO company number, check digit is 8, want 9"},
		// OFAC SDN 23424 GALAXY, a Libyan registry number: no IMO number
		// of either kind.
		{vessel, vri, IDIMO, "IMO 15411", IDIMO, "15411", "invalid", "7 digits"},
		{org, vri, IDIMO, "IMO 15411", IDIMO, "15411", "invalid", "7 digits"},
		// Typed imo_company by a source: checked as one.
		{org, "", IDIMOCompany, "5878589", IDIMOCompany, "5878589", "valid", ""},
		// OFAC "Legal Entity Number": the Dutch registration number of
		// 23257 FLEURETTE HOLDINGS NETHERLANDS B.V. ...
		{org, lenLabel, IDLEI, "851683897", IDRegistration, "851683897", "none", ""},
		// ... the LEI of 38219 CHLODWIG ENTERPRISES AG (history captures of
		// 2024) ...
		{org, lenLabel, IDLEI, "213800HY3Z8VE6A5MX68", IDLEI, "213800HY3Z8VE6A5MX68", "valid", ""},
		// ... and two LEIs OFAC mistyped (history captures of 2024): 40781
		// VELES AKTIV OOO's with wrong check digits, 41502 WINDFEL
		// PROPERTIES LIMITED's 21380068XRFK54K3Z159 without its "3".
		{org, lenLabel, IDLEI, "253400VTMXV2UE7XNN67", IDLEI, "253400VTMXV2UE7XNN67", "invalid", "MOD 97-10"},
		{org, lenLabel, IDLEI, "2180068XRFK54K3Z159", IDLEI, "2180068XRFK54K3Z159", "invalid", "18 letters or digits"},
		// Only OFAC's label is read so: a 9-digit value under "LEI" is an
		// LEI that fails.
		{org, "LEI", IDLEI, "851683897", IDLEI, "851683897", "invalid", "18 letters or digits"},
		// Other types pass through.
		{org, "Registration Number", IDRegistration, "55389694", IDRegistration, "55389694", "none", ""},
	}
	for _, tc := range tests {
		typ, value, valid, problem := IdentifierOf(tc.et, tc.rawType, tc.typ, "", tc.raw)
		if typ != tc.outType || value != tc.value || validity(valid) != tc.validity || !strings.Contains(problem, tc.problem) || (tc.problem == "") != (problem == "") {
			t.Errorf("IdentifierOf(%s, %q, %s, %q) = %s, %q, %s, %q; want %s, %q, %s, %q",
				tc.et, tc.rawType, tc.typ, tc.raw, typ, value, validity(valid), problem, tc.outType, tc.value, tc.validity, tc.problem)
			continue
		}
		// Idempotent: the outcome gives itself again.
		typ2, value2, valid2, _ := IdentifierOf(tc.et, tc.rawType, typ, "", value)
		if typ2 != typ || value2 != value || validity(valid2) != validity(valid) {
			t.Errorf("IdentifierOf(%s, %q, %s, %q) = %s, %q, %s: not stable", tc.et, tc.rawType, typ, value, typ2, value2, validity(valid2))
		}
	}
}

// Entity retypes a company's IMO number and OFAC's Dutch registration
// number, counts them valid or unchecked, and normalizing again changes
// nothing. The identifiers are OFAC SDN 19569's and 23257's as the ofac
// source emits them (testdata/us_ofac_sdn/2021-07-07).
func TestEntityRetypesIdentifiers(t *testing.T) {
	e := entity.Entity{ID: "us_ofac_sdn-19569", Type: entity.Organization, Identifiers: []entity.Identifier{
		{Type: IDIMO, Value: "5878589", Raw: "IMO 5878589", RawType: "Vessel Registration Identification"},
		{Type: IDRegistration, Value: "851683897", Raw: "851683897", RawType: "Legal Entity Number", Country: "Netherlands"},
	}}
	var c Coverage
	Entity(&e, &c)
	ids := e.Identifiers
	if ids[0].Type != IDIMOCompany || validity(ids[0].Valid) != "valid" || ids[1].Type != IDRegistration || ids[1].Valid != nil || ids[1].Country != "NL" {
		t.Errorf("identifiers %+v", ids)
	}
	if c.IdentifiersInvalid != 0 || c.IdentifiersValid != 1 || c.IdentifiersUnchecked != 1 || len(c.InvalidIdentifiers) != 0 {
		t.Errorf("coverage %+v", c)
	}
	before := append([]entity.Identifier(nil), ids...)
	Entity(&e, &Coverage{})
	for i := range before {
		if a, b := before[i], e.Identifiers[i]; a.Type != b.Type || a.Value != b.Value || validity(a.Valid) != validity(b.Valid) {
			t.Errorf("normalized again: %+v, was %+v", b, a)
		}
	}
}

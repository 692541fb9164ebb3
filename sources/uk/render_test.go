package uk

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/antchfx/xmlquery"
)

// The CSV fixture is the real XML excerpt rendered into the CSV layout
// (no real UK-Sanctions-List.csv could be found in public repositories;
// see testdata/gb_fcdo/rendered-2026-08-14/README.md). The renderer reads
// the XML as a plain tree, independently of the parser, and fails on an
// element it has no column for.

var update = flag.Bool("update", false, "rewrite the rendered CSV fixture")

// renderScalars maps the designation's single elements to columns.
var renderScalars = map[string]int{
	"LastUpdated": colLastUpdated, "UniqueID": colUniqueID, "OFSIGroupID": colGroupID,
	"UNReferenceNumber": colUNRef, "RegimeName": colRegime, "IndividualEntityShip": colDesignationType,
	"DesignationSource": colDesignationSource, "SanctionsImposed": colSanctionsImposed,
	"OtherInformation": colOtherInformation, "UKStatementofReasons": colStatementOfReasons,
	"DateDesignated": colDateDesignated,
}

// renderGroups maps a repeated element (by path under <Designation>) to the
// columns of its children, or to one column when it is a value itself
// (child ""). The k-th element of a group goes on the k-th row.
var renderGroups = []struct {
	path     string
	children map[string]int
}{
	{"Names/Name", map[string]int{"Name1": colName1, "Name2": colName2, "Name3": colName3, "Name4": colName4,
		"Name5": colName5, "Name6": colName6, "NameType": colNameType, "AliasStrength": colAliasStrength}},
	{"NonLatinNames/NonLatinName", map[string]int{"NameNonLatinScript": colNonLatin,
		"NonLatinScriptType": colNonLatinType, "NonLatinScriptLanguage": colNonLatinLang}},
	{"Titles/Title", map[string]int{"": colTitle}},
	{"Addresses/Address", map[string]int{"AddressLine1": colAddress1, "AddressLine2": colAddress2,
		"AddressLine3": colAddress3, "AddressLine4": colAddress4, "AddressLine5": colAddress5,
		"AddressLine6": colAddress6, "AddressPostalCode": colPostalCode, "AddressCountry": colAddressCountry}},
	{"PhoneNumbers/PhoneNumber", map[string]int{"": colPhone}},
	{"EmailAddresses/EmailAddress", map[string]int{"": colEmail}},
	{"Websites/Website", map[string]int{"": colWebsite}},
	{"IndividualDetails/Individual/DOBs/DOB", map[string]int{"": colDOB}},
	{"IndividualDetails/Individual/Nationalities/Nationality", map[string]int{"": colNationality}},
	{"IndividualDetails/Individual/Positions/Position", map[string]int{"": colPosition}},
	{"IndividualDetails/Individual/Genders/Gender", map[string]int{"": colGender}},
	{"IndividualDetails/Individual/BirthDetails/Location", map[string]int{"TownOfBirth": colTownOfBirth, "CountryOfBirth": colCountryOfBirth}},
	{"IndividualDetails/Individual/PassportDetails/Passport", map[string]int{"PassportNumber": colPassport, "PassportAdditionalInformation": colPassportInfo}},
	{"IndividualDetails/Individual/NationalIdentifierDetails/NationalIdentifier", map[string]int{
		"NationalIdentifierNumber": colNationalID, "NationalIdentifierAdditionalInformation": colNationalIDInfo}},
	{"EntityDetails/Entity/TypeOfEntities/TypeOfEntity", map[string]int{"": colTypeOfEntity}},
	{"EntityDetails/Entity/Subsidiaries/Subsidiary", map[string]int{"": colSubsidiaries}},
	{"EntityDetails/Entity/ParentCompanies/ParentCompany", map[string]int{"": colParentCompany}},
	{"EntityDetails/Entity/BusinessRegistrationNumbers/BusinessRegistrationNumber", map[string]int{"": colRegNumber}},
	{"ShipDetails/Ship/IMONumbers/IMONumber", map[string]int{"": colIMO}},
	{"ShipDetails/Ship/CurrentOwnerOperators/CurrentOwnerOperator", map[string]int{"": colCurrentOwner}},
	{"ShipDetails/Ship/PreviousOwnerOperators/PreviousOwnerOperator", map[string]int{"": colPreviousOwner}},
	{"ShipDetails/Ship/CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip", map[string]int{"": colCurrentFlag}},
	{"ShipDetails/Ship/PreviousFlags/PreviousFlag", map[string]int{"": colPreviousFlags}},
	{"ShipDetails/Ship/TypeOfShipDetails/TypeOfShip", map[string]int{"": colTypeOfShip}},
	{"ShipDetails/Ship/TonnageOfShipDetails/TonnageOfShip", map[string]int{"": colTonnage}},
	{"ShipDetails/Ship/LengthOfShipDetails/LengthOfShip", map[string]int{"": colLength}},
	{"ShipDetails/Ship/YearsBuilt/YearBuilt", map[string]int{"": colYearBuilt}},
	{"ShipDetails/Ship/HullIdentificationNumbers/HullIdentificationNumber", map[string]int{"": colHIN}},
}

// renderSkipped are the XML elements the CSV has no column for.
var renderSkipped = []string{"SanctionsImposedIndicators"}

// renderCSV renders an XML publication into the CSV layout: line 1 the
// report date, line 2 the 58-column header, then for every designation as
// many rows as its longest repeated element, each row carrying the
// designation's single values.
func renderCSV(xmlData []byte) ([]byte, error) {
	doc, err := xmlquery.Parse(bytes.NewReader(xmlData))
	if err != nil {
		return nil, err
	}
	root := xmlquery.FindOne(doc, "/Designations")
	generated, err := time.Parse("02/01/2006", strings.TrimSpace(xmlquery.FindOne(root, "DateGenerated").InnerText()))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "Report Date: %s\r\n", generated.Format("02-Jan-2006"))
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(columns[:]); err != nil {
		return nil, err
	}
	for _, d := range xmlquery.Find(root, "Designation") {
		if err := checkRendered(d, ""); err != nil {
			return nil, err
		}
		var single [numCols]string
		for name, col := range renderScalars {
			if n := xmlquery.FindOne(d, name); n != nil {
				single[col] = n.InnerText()
			}
		}
		var rows [][numCols]string
		row := func(k int) *[numCols]string {
			for len(rows) <= k {
				rows = append(rows, single)
			}
			return &rows[k]
		}
		row(0)
		for _, g := range renderGroups {
			for k, item := range xmlquery.Find(d, g.path) {
				r := row(k)
				if col, ok := g.children[""]; ok {
					r[col] = item.InnerText()
					continue
				}
				for c := item.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == xmlquery.ElementNode {
						r[g.children[c.Data]] = c.InnerText()
					}
				}
			}
		}
		for _, r := range rows {
			if err := w.Write(r[:]); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// checkRendered fails on an element under n (path prefix) that the
// renderer has no column for.
func checkRendered(n *xmlquery.Node, prefix string) error {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != xmlquery.ElementNode {
			continue
		}
		if err := checkPath(c, prefix+c.Data); err != nil {
			return err
		}
	}
	return nil
}

func checkPath(n *xmlquery.Node, path string) error {
	if _, ok := renderScalars[path]; ok {
		return nil
	}
	for _, s := range renderSkipped {
		if path == s {
			return nil
		}
	}
	for _, g := range renderGroups {
		if path != g.path {
			continue
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != xmlquery.ElementNode {
				continue
			}
			if _, ok := g.children[c.Data]; !ok || c.Data == "" {
				return fmt.Errorf("no column for <%s/%s>", path, c.Data)
			}
		}
		return nil
	}
	for _, g := range renderGroups {
		if strings.HasPrefix(g.path, path+"/") {
			return checkRendered(n, path+"/")
		}
	}
	return fmt.Errorf("no column for <%s>", path)
}

// TestRenderedCSVFixture: the CSV fixture is exactly the rendering of the
// XML excerpt (go test -run TestRenderedCSVFixture -update rewrites it).
func TestRenderedCSVFixture(t *testing.T) {
	got, err := renderCSV(excerptXML(t))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(csvDir, csvFile)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := renderedCSV(t); !bytes.Equal(got, want) {
		t.Errorf("%s is not the rendering of the XML excerpt; run go test -run TestRenderedCSVFixture -update", path)
	}
}

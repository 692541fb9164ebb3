package eu

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

var update = flag.Bool("update", false, "rewrite the derived CSV fixture")

// renderCSV renders an FSF XML publication in the layout of
// csvFullSanctionsList_1_1.csv, as far as it is known (see the fixture's
// README): a UTF-8 byte order mark, the 118-column header, then for each
// sanctionEntity one row per part (nameAlias, birthdate, citizenship,
// identification, address, in document order), each row repeating the
// entity's columns and its first regulation; a further regulation gets a
// row of its own. fileGenerationDate is printed dd/mm/yyyy; Entity_SubjectType
// holds the letter and Entity_SubjectType_ClassificationCode the word;
// remarks are wrapped in parentheses; a part's X_Regulation_* columns come
// from its regulationSummary (which has no organisation type, entry into
// force date or programme); contactInfo elements are printed
// "KEY: value", joined by " | ".
func renderCSV(t testing.TB, xmlData []byte) []byte {
	t.Helper()
	doc, err := xmlquery.Parse(bytes.NewReader(xmlData))
	if err != nil {
		t.Fatal(err)
	}
	root := xmlquery.FindOne(doc, "/*")
	gen := root.SelectAttr("generationDate")
	genDate := gen[8:10] + "/" + gen[5:7] + "/" + gen[0:4]
	var buf bytes.Buffer
	buf.Write(bomUTF8)
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.Write(columnNames[:]); err != nil {
		t.Fatal(err)
	}
	paren := func(s string) string {
		if s == "" {
			return ""
		}
		return "(" + s + ")"
	}
	for _, e := range xmlquery.Find(root, "*[local-name()='sanctionEntity']") {
		var base [numColumns]string
		base[cFileGenerationDate] = genDate
		base[cEntityLogicalID] = e.SelectAttr("logicalId")
		base[cEntityEURef] = e.SelectAttr("euReferenceNumber")
		base[cEntityUNID] = e.SelectAttr("unitedNationId")
		base[cEntityDesignationDate] = e.SelectAttr("designationDate")
		base[cEntityDesignationDetails] = e.SelectAttr("designationDetails")
		var remarks []string
		var regs [][7]string
		var parts []*xmlquery.Node
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != xmlquery.ElementNode {
				continue
			}
			switch c.Data {
			case "remark":
				remarks = append(remarks, paren(c.InnerText()))
			case "subjectType":
				base[cEntitySubjectType] = c.SelectAttr("classificationCode")
				base[cEntitySubjectTypeClass] = c.SelectAttr("code")
			case "regulation":
				url := ""
				if u := xmlquery.FindOne(c, "*[local-name()='publicationUrl']"); u != nil {
					url = u.InnerText()
				}
				regs = append(regs, [7]string{c.SelectAttr("regulationType"), c.SelectAttr("organisationType"),
					c.SelectAttr("publicationDate"), c.SelectAttr("entryIntoForceDate"), c.SelectAttr("numberTitle"),
					c.SelectAttr("programme"), url})
			default:
				parts = append(parts, c)
			}
		}
		base[cEntityRemark] = strings.Join(remarks, " ")
		if len(regs) > 0 {
			copy(base[cEntityRegType:cNameLast], regs[0][:])
		}
		write := func(row [numColumns]string) {
			if err := w.Write(row[:]); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range parts {
			row := base
			renderPart(c, &row, paren)
			write(row)
		}
		if len(parts) == 0 {
			write(base)
		}
		for _, g := range regs[min(1, len(regs)):] {
			row := base
			copy(row[cEntityRegType:cNameLast], g[:])
			write(row)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// renderPart fills the columns of one part of a sanctionEntity.
func renderPart(c *xmlquery.Node, row *[numColumns]string, paren func(string) string) {
	a := c.SelectAttr
	var lid int // the part's LogicalId column
	set := func(col int, v string) { row[col] = v }
	switch c.Data {
	case "nameAlias":
		lid = cNameLogicalID
		set(cNameLast, a("lastName"))
		set(cNameFirst, a("firstName"))
		set(cNameMiddle, a("middleName"))
		set(cNameWhole, a("wholeName"))
		set(cNameLanguage, a("nameLanguage"))
		set(cNameGender, a("gender"))
		set(cNameTitle, a("title"))
		set(cNameFunction, a("function"))
	case "address":
		lid = cAddrLogicalID
		set(cAddrCity, a("city"))
		set(cAddrStreet, a("street"))
		set(cAddrPoBox, a("poBox"))
		set(cAddrZip, a("zipCode"))
		set(cAddrRegion, a("region"))
		set(cAddrPlace, a("place"))
		set(cAddrAsAt, a("asAtListingTime"))
		set(cAddrCode, a("countryIso2Code"))
		set(cAddrDesc, a("countryDescription"))
		var contacts []string
		for _, ci := range xmlquery.Find(c, "*[local-name()='contactInfo']") {
			contacts = append(contacts, ci.SelectAttr("key")+": "+ci.SelectAttr("value"))
		}
		set(cAddrContact, strings.Join(contacts, " | "))
	case "birthdate":
		lid = cBirthLogicalID
		set(cBirthDate, a("birthdate"))
		set(cBirthDay, a("dayOfMonth"))
		set(cBirthMonth, a("monthOfYear"))
		set(cBirthYear, a("year"))
		set(cBirthRangeFrom, a("yearRangeFrom"))
		set(cBirthRangeTo, a("yearRangeTo"))
		set(cBirthCirca, a("circa"))
		set(cBirthCalendar, a("calendarType"))
		set(cBirthZip, a("zipCode"))
		set(cBirthRegion, a("region"))
		set(cBirthPlace, a("place"))
		set(cBirthCity, a("city"))
		set(cBirthCode, a("countryIso2Code"))
		set(cBirthDesc, a("countryDescription"))
	case "identification":
		lid = cIDLogicalID
		set(cIDNumber, a("number"))
		set(cIDDiplomatic, a("diplomatic"))
		set(cIDKnownExpired, a("knownExpired"))
		set(cIDKnownFalse, a("knownFalse"))
		set(cIDReportedLost, a("reportedLost"))
		set(cIDRevoked, a("revokedByIssuer"))
		set(cIDIssuedBy, a("issuedBy"))
		set(cIDIssuedDate, a("issueDate"))
		set(cIDValidFrom, a("validFrom"))
		set(cIDValidTo, a("validTo"))
		set(cIDLatinNumber, a("latinNumber"))
		set(cIDNameOnDocument, a("nameOnDocument"))
		set(cIDTypeCode, a("identificationTypeCode"))
		set(cIDTypeDesc, a("identificationTypeDescription"))
		set(cIDRegion, a("region"))
		set(cIDCode, a("countryIso2Code"))
		set(cIDDesc, a("countryDescription"))
	case "citizenship":
		lid = cCitLogicalID
		set(cCitRegion, a("region"))
		set(cCitCode, a("countryIso2Code"))
		set(cCitDesc, a("countryDescription"))
	default:
		panic("renderPart: unexpected element " + c.Data)
	}
	set(lid, a("logicalId"))
	set(lid+1, a("regulationLanguage"))
	var remarks []string
	for _, r := range xmlquery.Find(c, "*[local-name()='remark']") {
		remarks = append(remarks, paren(r.InnerText()))
	}
	set(lid+2, strings.Join(remarks, " "))
	if s := xmlquery.FindOne(c, "*[local-name()='regulationSummary']"); s != nil {
		// Type, OrganisationType, PublicationDate, EntryIntoForceDate,
		// NumberTitle, Programme, PublicationUrl.
		set(lid+3, s.SelectAttr("regulationType"))
		set(lid+5, s.SelectAttr("publicationDate"))
		set(lid+7, s.SelectAttr("numberTitle"))
		set(lid+9, s.SelectAttr("publicationUrl"))
	}
}

// TestDerivedFixture: the committed CSV fixture is the rendering of the
// committed XML excerpt (go test -run TestDerivedFixture -update rewrites
// it).
func TestDerivedFixture(t *testing.T) {
	got := renderCSV(t, excerptXML(t))
	path := filepath.Join(derivedDir, CSVFile)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := sourcetest.ReadFile(t, path); !bytes.Equal(got, want) {
		t.Errorf("%s is not the rendering of the excerpt; run go test -run TestDerivedFixture -update", path)
	}
}

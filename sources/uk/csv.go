package uk

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// UK-Sanctions-List.csv: line 1 is "Report Date: 14-Aug-2026", line 2 the
// header, then one row per name of a designation. A designation's other
// values (addresses, dates of birth, passports, ...) are spread over its
// rows and repeated between them; the rows of one Unique ID follow each
// other. The parser reads every row's values into the designation and
// drops repeats, so it does not depend on how the publisher spreads them.
// It holds only the current designation: rows of a Unique ID after
// another designation's make a second designation of the same id, which
// the pipeline drops after sorting (keeping the one parsed first).
// Columns are found by header name (letter case and spacing ignored).

// Columns the parser maps, in the order of the published header.
const (
	colLastUpdated = iota
	colUniqueID
	colGroupID
	colUNRef
	colName6
	colName1
	colName2
	colName3
	colName4
	colName5
	colNameType
	colAliasStrength
	colTitle
	colNonLatin
	colNonLatinType
	colNonLatinLang
	colRegime
	colDesignationType
	colDesignationSource
	colSanctionsImposed
	colOtherInformation
	colStatementOfReasons
	colAddress1
	colAddress2
	colAddress3
	colAddress4
	colAddress5
	colAddress6
	colPostalCode
	colAddressCountry
	colPhone
	colWebsite
	colEmail
	colDateDesignated
	colDOB
	colNationality
	colNationalID
	colNationalIDInfo
	colPassport
	colPassportInfo
	colPosition
	colGender
	colTownOfBirth
	colCountryOfBirth
	colTypeOfEntity
	colSubsidiaries
	colParentCompany
	colRegNumber
	colIMO
	colCurrentOwner
	colPreviousOwner
	colCurrentFlag
	colPreviousFlags
	colTypeOfShip
	colTonnage
	colLength
	colYearBuilt
	colHIN
	numCols
)

// columns names every column as the header prints it (58 columns, the
// header of the file as published in 2026).
var columns = [numCols]string{
	"Last Updated", "Unique ID", "OFSI Group ID", "UN Reference Number",
	"Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name type", "Alias strength",
	"Title", "Name non-latin script", "Non-latin script type", "Non-latin script language",
	"Regime Name", "Designation Type", "Designation source", "Sanctions Imposed",
	"Other Information", "UK Statement of Reasons",
	"Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
	"Address Line 6", "Address Postal Code", "Address Country",
	"Phone number", "Website", "Email address", "Date Designated", "D.O.B", "Nationality(/ies)",
	"National Identifier number", "National Identifier additional information",
	"Passport number", "Passport additional information", "Position", "Gender",
	"Town of birth", "Country of birth", "Type of entity", "Subsidiaries", "Parent company",
	"Business registration number (s)", "IMO number", "Current owner/operator (s)",
	"Previous owner/operator (s)", "Current believed flag of ship", "Previous flags",
	"Type of ship", "Tonnage of ship", "Length of ship", "Year Built",
	"Hull identification number (HIN)",
}

// columnAliases are other names seen for a column in descriptions of the
// file.
var columnAliases = map[string]int{
	"individual, entity, ship": colDesignationType,
}

// requiredColumns cannot be missing: without them no entity can be made.
var requiredColumns = []int{colUniqueID, colName6, colNameType, colDesignationType}

// headerKey is the form header names are compared in.
func headerKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

var columnByKey = func() map[string]int {
	m := map[string]int{}
	for i, c := range columns {
		m[headerKey(c)] = i
	}
	for k, i := range columnAliases {
		m[k] = i
	}
	return m
}()

const reportDatePrefix = "report date:"

func (s *source) parseCSV(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	meta := sources.Meta{Unproven: "the UK CSV file has no end mark and no record count, so a cut between rows cannot be told from removals"}
	f, br, base, err := openCSV(in, issues)
	if err != nil {
		return meta, err
	}
	defer f.Close()
	bound := sources.NewCSVBound(br, sources.MaxCSVRecordBytes, sourceName, csvFile, base)

	// LazyQuotes stays off: the publisher quotes a field that holds a
	// comma, a quote or a line break and doubles quotes inside it, so a
	// stray quote is a broken row, reported as an issue.
	r := csv.NewReader(bound)
	r.FieldsPerRecord = -1 // line 1 has one field, the header many
	r.ReuseRecord = true
	first, err := r.Read()
	bound.NextRecord()
	if err != nil {
		return meta, recordError(csvFile, 1, err)
	}
	header := first
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(first[0])), reportDatePrefix) {
		raw := strings.TrimSpace(first[0][len(reportDatePrefix):])
		if d, ok := reportDate(raw); ok {
			meta.PublicationDate = d
		} else {
			issues.Addf(csvFile, 1, "", "Report Date %q is not a date", raw)
		}
		header, err = r.Read()
		bound.NextRecord()
		if err == io.EOF {
			return meta, recordError(csvFile, 2, errors.New("no header line after the report date"))
		}
		if err != nil {
			return meta, recordError(csvFile, 2, err)
		}
	} else if _, ok := columnByKey[headerKey(first[0])]; ok {
		issues.Addf(csvFile, 1, "", "no \"Report Date:\" line; line 1 is the header")
	} else {
		return meta, recordError(csvFile, 1, fmt.Errorf("line 1 is neither \"Report Date: ...\" nor the header: %q", shorten(strings.Join(first, ","), 60)))
	}
	headerLine, _ := r.FieldPos(0)
	idx, err := headerIndex(header, headerLine, issues)
	if err != nil {
		return meta, err
	}
	r.FieldsPerRecord = len(header)

	p := &csvParser{issues: issues, idx: idx}
	rows := sources.NewCSVRows(r, bound, sourceName, csvFile, issues, p.rowRecord)
	for rows.Next(ctx) {
		if e := p.row(rows.Row(), rows.Line()); e != nil {
			if err := emit(e); err != nil {
				return meta, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return meta, err
	}
	if rows.Rows() == 0 {
		return meta, recordError(csvFile, headerLine, errors.New("no designation rows after the header"))
	}
	if e := p.flush(); e != nil {
		if err := emit(e); err != nil {
			return meta, err
		}
	}
	return meta, nil
}

// reportDate reads the date of line 1: "14-Aug-2026" (as published) or
// "14/08/2026".
func reportDate(s string) (string, bool) {
	d, ok := normalize.ISODate(strings.ReplaceAll(s, "-", " "))
	if !ok {
		d, ok = normalize.ISODate(s)
	}
	return d, ok && len(d) == len("2006-01-02")
}

// headerIndex maps the header to column positions: idx[col] is the
// position of col, -1 when absent. A missing required column makes the
// file unusable; a missing optional one, or an unknown one, is an issue.
func headerIndex(header []string, line int, issues *sources.Issues) (*[numCols]int, error) {
	var idx [numCols]int
	for i := range idx {
		idx[i] = -1
	}
	for i, h := range header {
		c, ok := columnByKey[headerKey(h)]
		switch {
		case !ok:
			issues.Addf(csvFile, line, "", "unknown column %q; not mapped", h)
		case idx[c] >= 0:
			issues.Addf(csvFile, line, "", "column %q appears twice; the first is used", h)
		default:
			idx[c] = i
		}
	}
	for _, c := range requiredColumns {
		if idx[c] < 0 {
			return nil, recordError(csvFile, line, fmt.Errorf("header lacks the column %q", columns[c]))
		}
	}
	for c, i := range idx {
		if i < 0 {
			issues.Addf(csvFile, line, "", "no column %q; its values are absent from this version", columns[c])
		}
	}
	return &idx, nil
}

// csvParser groups rows by Unique ID.
type csvParser struct {
	issues *sources.Issues
	idx    *[numCols]int
	rec    []string
	line   int
	d      designation
	open   bool // d holds a designation not yet mapped
}

func (p *csvParser) get(col int) string {
	if i := p.idx[col]; i >= 0 {
		return normalize.Text(p.rec[i])
	}
	return ""
}

func (p *csvParser) uidOf(rec []string) string {
	if i := p.idx[colUniqueID]; i < len(rec) {
		return normalize.Text(rec[i])
	}
	return ""
}

// rowRecord identifies a rejected row: its Unique ID when it has one, its
// text otherwise.
func (p *csvParser) rowRecord(rec []string) string {
	if uid := p.uidOf(rec); uid != "" {
		return uid
	}
	return strings.Join(rec, ",")
}

// row reads one row into the designation of its Unique ID, and returns
// the previous designation mapped when this row starts another one.
func (p *csvParser) row(rec []string, line int) *entity.Entity {
	p.rec, p.line = rec, line
	for _, v := range rec {
		if !utf8.ValidString(v) {
			p.issues.Addf(csvFile, line, p.uidOf(rec), "invalid UTF-8; the bad bytes are replaced")
			for i := range rec {
				rec[i] = strings.ToValidUTF8(rec[i], "\uFFFD")
			}
			break
		}
	}
	uid := p.get(colUniqueID)
	if uid == "" {
		p.issues.Addf(csvFile, line, strings.Join(rec, ","), "row without a Unique ID; skipped")
		return nil
	}
	var done *entity.Entity
	if !p.open || uid != p.d.uid {
		done = p.flush()
		p.d.reset()
		p.d.uid, p.d.line, p.open = uid, line, true
	}
	p.fill()
	return done
}

// flush maps the open designation.
func (p *csvParser) flush() *entity.Entity {
	if !p.open {
		return nil
	}
	p.open = false
	d := &p.d
	return d.entity(func(format string, args ...any) {
		p.issues.Addf(csvFile, d.line, d.uid, format, args...)
	})
}

// single sets a designation's value from a column every row repeats; a
// row with another value is a problem and the first value is kept.
func (p *csvParser) single(col int, dst *string) {
	v := p.get(col)
	switch {
	case v == "":
	case *dst == "":
		*dst = v
	case *dst != v:
		p.issues.Addf(csvFile, p.line, p.d.uid, "column %q is %q here, %q on an earlier row of %s; the first is kept", columns[col], v, *dst, p.d.uid)
	}
}

// fill adds the current row's values to the designation.
func (p *csvParser) fill() {
	d := &p.d
	p.single(colGroupID, &d.groupID)
	p.single(colUNRef, &d.unRef)
	p.single(colDateDesignated, &d.designated)
	p.single(colRegime, &d.regime)
	p.single(colDesignationType, &d.kind)
	p.single(colDesignationSource, &d.origin)
	p.single(colSanctionsImposed, &d.imposed)
	p.single(colOtherInformation, &d.other)
	p.single(colStatementOfReasons, &d.reasons)
	// Last Updated is not mapped (see xml.go, LastUpdated).

	n := nameRec{
		parts: [6]string{p.get(colName1), p.get(colName2), p.get(colName3), p.get(colName4), p.get(colName5), p.get(colName6)},
		typ:   p.get(colNameType), strength: p.get(colAliasStrength),
	}
	if n.parts != ([6]string{}) {
		add(&d.names, n)
	}
	if v := p.get(colNonLatin); v != "" {
		add(&d.nonLatin, nonLatinRec{value: v, script: p.get(colNonLatinType), lang: p.get(colNonLatinLang)})
	}
	add(&d.titles, p.get(colTitle))
	add(&d.addresses, addressRec{
		lines: [6]string{p.get(colAddress1), p.get(colAddress2), p.get(colAddress3),
			p.get(colAddress4), p.get(colAddress5), p.get(colAddress6)},
		postal: p.get(colPostalCode), country: p.get(colAddressCountry),
	})
	add(&d.phones, p.get(colPhone))
	add(&d.websites, p.get(colWebsite))
	add(&d.emails, p.get(colEmail))
	add(&d.dobs, p.get(colDOB))
	add(&d.nationalities, p.get(colNationality))
	p.document(&d.nationalIDs, colNationalID, colNationalIDInfo)
	p.document(&d.passports, colPassport, colPassportInfo)
	add(&d.positions, p.get(colPosition))
	add(&d.genders, p.get(colGender))
	add(&d.births, birthRec{town: p.get(colTownOfBirth), country: p.get(colCountryOfBirth)})
	add(&d.entityTypes, p.get(colTypeOfEntity))
	add(&d.subsidiaries, p.get(colSubsidiaries))
	add(&d.parents, p.get(colParentCompany))
	add(&d.regNumbers, p.get(colRegNumber))
	add(&d.imos, p.get(colIMO))
	add(&d.owners, p.get(colCurrentOwner))
	add(&d.prevOwners, p.get(colPreviousOwner))
	add(&d.flags, p.get(colCurrentFlag))
	add(&d.prevFlags, p.get(colPreviousFlags))
	add(&d.shipTypes, p.get(colTypeOfShip))
	add(&d.tonnages, p.get(colTonnage))
	add(&d.lengths, p.get(colLength))
	add(&d.yearsBuilt, p.get(colYearBuilt))
	add(&d.hulls, p.get(colHIN))
}

func (p *csvParser) document(dst *[]docRec, number, info int) {
	r := docRec{number: p.get(number), info: p.get(info)}
	if r.number == "" && r.info != "" {
		p.issues.Addf(csvFile, p.line, p.d.uid, "%q without %q: %q; not mapped", columns[info], columns[number], r.info)
	}
	add(dst, r)
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

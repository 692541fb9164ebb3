package csl

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// consolidated.csv: a header line, then one row per listing, every field
// quoted. Columns are found by header name (case and spacing ignored), so
// that a reordered or extended layout is read; the 2023-11-30 and
// 2025-06-25 files have the same 29 columns. The 2023 file prints its
// header line twice: a row equal to the header is skipped with an issue.

// Columns the parser maps, in the order of the published header.
const (
	colID = iota
	colSource
	colEntityNumber
	colType
	colPrograms
	colName
	colTitle
	colAddresses
	colNotice
	colStart
	colEnd
	colOrder
	colLicenseReq
	colLicensePol
	colCallSign
	colVesselType
	colTonnage
	colGRT
	colVesselFlag
	colVesselOwner
	colRemarks
	colListURL
	colAltNames
	colCitizenships
	colBirthDates
	colNationalities
	colBirthPlaces
	colInfoURL
	colIDs
	numCols
)

// columns names every column as the header prints it.
var columns = [numCols]string{
	"_id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
	"federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
	"license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
	"vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
	"dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
}

// requiredColumns cannot be missing: without them no entity can be made.
var requiredColumns = []int{colSource, colName}

// headerKey is the form header names are compared in.
func headerKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

var columnByKey = func() map[string]int {
	m := make(map[string]int, numCols)
	for i, c := range columns {
		m[headerKey(c)] = i
	}
	return m
}()

func parseCSV(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	meta := sources.Meta{Unproven: "the CSL CSV has no end mark and no record count, so a cut between rows cannot be told from removals"}
	f, err := in.Open(CSVFile)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, bufSize)
	base, err := sources.CheckStart(br, Name, CSVFile, issues)
	if err != nil {
		return meta, err
	}
	if err := sources.RefuseMarkup(br, Name, CSVFile); err != nil {
		return meta, err
	}
	bound := sources.NewCSVBound(br, sources.MaxCSVRecordBytes, Name, CSVFile, base)

	// LazyQuotes stays off: the publisher quotes every field and doubles
	// quotes inside one ("IHSAN MEDHAT ""SAMMY"" ELASHI"), so a stray quote
	// is a broken row, reported as an issue.
	r := csv.NewReader(bound)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	bound.NextRecord()
	if err != nil {
		return meta, recordError(CSVFile, 1, 0, fmt.Errorf("no header line: %w", err))
	}
	header = append([]string(nil), header...) // ReuseRecord: keep it past the next Read
	idx, err := headerIndex(header, issues)
	if err != nil {
		return meta, err
	}
	r.FieldsPerRecord = len(header)
	p := &csvParser{idx: idx, issues: issues, mapper: newMapper(CSVFile, issues)}
	rows := sources.NewCSVRows(r, bound, Name, CSVFile, issues, p.rowRecord)
	headers := 0 // the header line repeated among the rows
	for rows.Next(ctx) {
		rec, line := rows.Row(), rows.Line()
		if isHeader(rec, header) {
			issues.Addf(CSVFile, line, "", "the header line repeated; skipped")
			headers++
			continue
		}
		if e := p.row(rec, line); e != nil {
			if err := emit(e); err != nil {
				return meta, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return meta, err
	}
	if rows.Rows() == headers {
		return meta, recordError(CSVFile, 1, 0, errors.New("no rows after the header"))
	}
	return meta, nil
}

// headerIndex maps the header to column positions: idx[col] is the
// position of col, -1 when absent. A missing required column makes the
// file unusable; a missing optional one, or an unknown one, is an issue.
func headerIndex(header []string, issues *sources.Issues) (*[numCols]int, error) {
	var idx [numCols]int
	for i := range idx {
		idx[i] = -1
	}
	for i, h := range header {
		c, ok := columnByKey[headerKey(h)]
		switch {
		case !ok:
			issues.Addf(CSVFile, 1, "", "unknown column %q; not mapped", h)
		case idx[c] >= 0:
			issues.Addf(CSVFile, 1, "", "column %q appears twice; the first is used", h)
		default:
			idx[c] = i
		}
	}
	for _, c := range requiredColumns {
		if idx[c] < 0 {
			return nil, recordError(CSVFile, 1, 0, fmt.Errorf("header lacks the column %q (header %q)", columns[c], shorten(strings.Join(header, ","), 80)))
		}
	}
	for c, i := range idx {
		if i < 0 {
			issues.Addf(CSVFile, 1, "", "no column %q; its values are absent from this version", columns[c])
		}
	}
	return &idx, nil
}

// isHeader reports whether rec repeats the header line.
func isHeader(rec, header []string) bool {
	for i, v := range rec {
		if headerKey(v) != headerKey(header[i]) {
			return false
		}
	}
	return true
}

// csvParser reads rows into records.
type csvParser struct {
	idx    *[numCols]int
	issues *sources.Issues
	mapper *mapper
	rec    []string
	r      record
	fixed  bool // a value of the row had C1 controls read as Windows-1252
}

func (p *csvParser) get(col int) string {
	if i := p.idx[col]; i >= 0 {
		v, fixed := clean(p.rec[i])
		p.fixed = p.fixed || fixed
		return v
	}
	return ""
}

// list is a column that joins a list with "; ": one element, split by the
// mapper as it splits a JSON element.
func (p *csvParser) list(col int) []string {
	if v := p.get(col); v != "" {
		return []string{v}
	}
	return nil
}

// rowRecord identifies a rejected row: its _id when it has one, its text
// otherwise.
func (p *csvParser) rowRecord(rec []string) string {
	if i := p.idx[colID]; i >= 0 && i < len(rec) && rec[i] != "" {
		return normalize.Text(rec[i])
	}
	return strings.Join(rec, ",")
}

// row maps one row.
func (p *csvParser) row(rec []string, line int) *entity.Entity {
	p.rec = rec
	for _, v := range rec {
		if !utf8.ValidString(v) {
			p.issues.Addf(CSVFile, line, p.rowRecord(rec), "invalid UTF-8; the bad bytes are replaced")
			for i := range rec {
				rec[i] = strings.ToValidUTF8(rec[i], "\uFFFD")
			}
			break
		}
	}
	p.fixed = false
	p.r = record{
		id: p.get(colID), source: p.get(colSource), entityNumber: p.get(colEntityNumber), typ: p.get(colType),
		programs: p.list(colPrograms), name: p.get(colName), titles: p.list(colTitle),
		notice: p.get(colNotice), start: p.get(colStart), end: p.get(colEnd), order: p.get(colOrder),
		licenseReq: p.get(colLicenseReq), licensePol: p.get(colLicensePol),
		callSign: p.get(colCallSign), vesselType: p.get(colVesselType), tonnage: p.get(colTonnage), grt: p.get(colGRT),
		vesselFlag: p.get(colVesselFlag), vesselOwner: p.get(colVesselOwner), remarks: p.get(colRemarks),
		listURL: p.get(colListURL), infoURL: p.get(colInfoURL), altNames: p.list(colAltNames),
		citizenships: p.list(colCitizenships), birthDates: p.list(colBirthDates),
		nationality: p.list(colNationalities), birthPlaces: p.list(colBirthPlaces),
		line: line,
	}
	issue := func(format string, args ...any) { p.issues.Addf(CSVFile, line, p.r.id, format, args...) }
	p.r.addresses = splitAddresses(p.get(colAddresses), issue)
	p.r.ids = splitIDs(p.get(colIDs), issue)
	if p.fixed {
		issue(c1Problem)
	}
	return p.mapper.entity(&p.r)
}

// splitAddresses splits the addresses column. The CSV prints each JSON
// address as its address, city, state, postal_code and country joined by
// ", " with empty parts left out, and the addresses joined by "; ":
//
//   - addresses are split at "; ", except before "and ": the Entity List
//     writes several streets into one address ("No. 6 Yong Xin Street,
//     Chengdu; and No. 90 Babao Street, Chengdu; and ..., Chengdu, 610036,
//     CN"), which stays one address;
//   - the last part is the country when it is an ISO code (two capitals)
//     or one of the publisher's lower-case country words ("crimea
//     (occupied)", "undetermined"); the rest is the street, which also
//     holds city, state and postal code: with empty parts left out, they
//     cannot be told apart ("Shenyang, CN" is a city, "Tulkarim, West
//     Bank, PS" a city and a region, "Komitas 26/114, Yerevan, Armenia,
//     AM" a street, a city and a region);
//   - white space and trailing commas (left by empty parts) are trimmed;
//   - an empty address ("A; ; B") is an issue.
//
// full joins street and country again: the address's text, cleaned.
func splitAddresses(s string, issue issuef) []address {
	if s == "" {
		return nil
	}
	var segs []string
	for i, seg := range strings.Split(s, "; ") {
		if i > 0 && strings.HasPrefix(seg, "and ") {
			segs[len(segs)-1] += "; " + seg
			continue
		}
		segs = append(segs, seg)
	}
	var out []address
	for _, seg := range segs {
		seg = addressPart(seg)
		if strings.Trim(seg, " ,;") == "" {
			issue("empty address in %q; skipped", shorten(s, 80))
			continue
		}
		a := address{street: seg}
		head, last, found := cutLast(seg, ", ")
		switch {
		case found && isCountryPart(last):
			a.street, a.country = addressPart(head), last
		case !found && isCode(seg):
			a.street, a.country = "", seg
		}
		a.full = normalize.JoinNonEmpty(", ", a.street, a.country)
		out = append(out, a)
	}
	return out
}

// addressPart cleans a part of an address, in both formats: white space
// and trailing commas (what an empty part leaves in the CSV) trimmed.
func addressPart(s string) string {
	return strings.TrimRight(normalize.Text(s), " ,")
}

// isCode reports whether s is two capital letters (ISO 3166-1 alpha-2, as
// the publisher prints countries).
func isCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// isCountryPart reports whether the last part of an address is its
// country: a code, or a text in lower-case letters, spaces and
// parentheses (the publisher's "crimea (occupied)" and "undetermined";
// street and city parts are never all lower case).
func isCountryPart(s string) bool {
	if isCode(s) {
		return true
	}
	hasLetter := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			hasLetter = true
		case r == ' ' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return hasLetter
}

// splitIDs splits the ids column: ids joined by "; ", each the JSON id's
// type, number, country, issue_date and expiration_date joined by ", "
// with empty parts left out ("Passport, E590976, TN, 19 Jun 1987, 18 Jun
// 1992"; "Secondary sanctions risk:, North Korea Sanctions Regulations,
// sections 510.201 and 510.210"). Read from both ends:
//
//   - the first part is the type;
//   - up to two trailing parts that are dates ("19 Jun 1987", "May 2006",
//     "1968") are the issue and expiration dates, as long as a part is
//     left for the number; a lone date is taken as the issue date (of the
//     seven lone dates looked up in OFAC's SDN.CSV of 2022-03-24, six are
//     "issued", a Thai national id's "expires"), since the CSV does not
//     say which;
//   - then the last part is the country when it is a code and a part is
//     left for the number;
//   - the rest, joined again by ", ", is the number (which may hold ", ").
//
// A part without ", " has no type: it is kept as the number of an id
// without a type, which the mapper reports.
func splitIDs(s string, issue issuef) []ident {
	if s == "" {
		return nil
	}
	var out []ident
	for part := range strings.SplitSeq(s, "; ") {
		part = strings.TrimSpace(part)
		if part == "" {
			issue("empty id in %q; skipped", shorten(s, 80))
			continue
		}
		pieces := strings.Split(part, ", ")
		if len(pieces) == 1 {
			out = append(out, ident{number: part}) // the mapper reports it
			continue
		}
		id := ident{typ: strings.TrimSpace(pieces[0])}
		rest := pieces[1:]
		var dates []string
		for len(dates) < 2 && len(rest) >= 2 && idDate.MatchString(rest[len(rest)-1]) {
			dates = append([]string{rest[len(rest)-1]}, dates...)
			rest = rest[:len(rest)-1]
		}
		if len(dates) > 0 {
			id.issued = dates[0]
		}
		if len(dates) > 1 {
			id.expires = dates[1]
		}
		if len(rest) >= 2 && isCode(rest[len(rest)-1]) {
			id.country = rest[len(rest)-1]
			rest = rest[:len(rest)-1]
		}
		id.number = strings.TrimSpace(strings.Join(rest, ", "))
		out = append(out, id)
	}
	return out
}

// idDate is how the CSV prints an id's dates: OFAC's "19 Jun 1987", "May
// 2006", "1968", or ISO.
var idDate = regexp.MustCompile(`^(?:\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4}|\d{4}|\d{4}-\d\d-\d\d)$`)

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

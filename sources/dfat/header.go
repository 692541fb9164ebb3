package dfat

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Columns the parser maps.
const (
	colRef = iota
	colName
	colType
	colNameType
	colStrength
	colDOB
	colPOB
	colCitizenship
	colAddress
	colInfo
	colListing
	colIMO
	colCommittees
	colControl
	colInstrument
	colFinancial
	colTravel
	colArms
	colMaritime
	numCols
)

// columnNames are the headers as the 2026 layout prints them; the 2024
// layout prints the first twelve of them, without Alias Strength and IMO
// Number, in another order.
var columnNames = [numCols]string{
	colRef: "Reference", colName: "Name of Individual or Entity", colType: "Type",
	colNameType: "Name Type", colStrength: "Alias Strength", colDOB: "Date of Birth",
	colPOB: "Place of Birth", colCitizenship: "Citizenship", colAddress: "Address",
	colInfo: "Additional Information", colListing: "Listing Information",
	colIMO: "IMO Number", colCommittees: "Committees", colControl: "Control Date",
	colInstrument: "Instrument of Designation", colFinancial: "Targeted Financial Sanction",
	colTravel: "Travel Ban", colArms: "Arms Embargo", colMaritime: "Maritime Restriction",
}

// measureColumns are the four flags (0 or 1) of the 2026 layout, each the
// name of a measure the listing imposes.
var measureColumns = []int{colFinancial, colTravel, colArms, colMaritime}

// requiredColumns cannot be missing: without them no entity can be made.
var requiredColumns = []int{colRef, colName, colType, colNameType}

// headerKey is the form header texts are compared in: trimmed, white space
// collapsed, lower case.
func headerKey(s string) string {
	return strings.ToLower(normalize.Text(s))
}

var columnByKey = func() map[string]int {
	m := make(map[string]int, numCols)
	for i, c := range columnNames {
		m[headerKey(c)] = i
	}
	return m
}()

// header maps the sheet's column positions to the columns above.
type header struct {
	row   int    // sheet row of the header
	pos   []int  // pos[sheet column] = column, or -1 when not mapped
	text  []bool // the sheet column has a header text (mapped or reported)
	has   [numCols]bool
	noted []bool // a sheet column without header whose content was reported
}

// readHeader maps the header row's cells. A missing required column
// refuses the file; an unknown or repeated header is an issue and its
// cells are not mapped.
func readHeader(cells []string, row int, issues *sources.Issues, file string) (*header, error) {
	h := &header{row: row, pos: make([]int, len(cells)), text: make([]bool, len(cells))}
	for i, c := range cells {
		h.pos[i] = -1
		text := normalize.Text(c)
		if text == "" {
			continue
		}
		h.text[i] = true
		col, ok := columnByKey[headerKey(text)]
		switch {
		case !ok:
			issues.Addf(file, row, "", "unknown column %q (column %s of the header); its cells are not mapped", shorten(text), columnLetter(i))
		case h.has[col]:
			issues.Addf(file, row, "", "column %q repeated (column %s of the header); the first is used, the cells of this one are not mapped", text, columnLetter(i))
		default:
			h.has[col] = true
			h.pos[i] = col
		}
	}
	var missing []string
	for _, col := range requiredColumns {
		if !h.has[col] {
			missing = append(missing, fmt.Sprintf("%q", columnNames[col]))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("row %d, the header, has no %s column (header: %q): not the consolidated list's layout",
			row, strings.Join(missing, ", "), shorten(strings.Join(cells, " | ")))
	}
	return h, nil
}

// named reports whether sheet column i has a header text: an unknown or
// repeated header was reported once, with the header.
func (h *header) named(i int) bool { return i < len(h.text) && h.text[i] }

// unnamed reports, once per sheet column, content in a column the header
// does not name (beyond the header's last cell, or under an empty one).
func (h *header) unnamed(i, row int, value string, issues *sources.Issues, file, ref string) {
	for len(h.noted) <= i {
		h.noted = append(h.noted, false)
	}
	if h.noted[i] {
		return
	}
	h.noted[i] = true
	issues.Addf(file, row, ref, "cell %s%d holds %q in a column without header; the column's cells are not mapped", columnLetter(i), row, shorten(value))
}

// columnLetter is the spreadsheet name of the 0-based column i ("A", "AB").
func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprintf("#%d", i+1)
	}
	return name
}

// shorten cuts s for an issue message.
func shorten(s string) string {
	s = normalize.Text(s)
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

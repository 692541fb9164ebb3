package eu

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// The CSV is semicolon-separated, UTF-8, with a header row naming the
// columns of columns.go. Each row repeats the entity's columns (fileGeneration
// Date, Entity_*) and carries one or more of its parts: a name, an address,
// a birth date, an identification, a citizenship (NameAlias_*, Address_*,
// BirthDate_*, Identification_*, Citizenship_*), each with its own
// logicalId. The rows of one entity are contiguous. The parser groups them,
// keeps each part once (by its logicalId), and holds only the current
// entity: rows of an entity after another entity's make a second record
// of the same id, which the pipeline drops after sorting (keeping the
// record parsed first).
//
// Columns are found by name, so added or reordered columns do not break
// the parse: an unknown column is an issue, a missing one is an issue
// (its field is absent), and a missing required one makes the file
// unusable.

// requiredColumns must be in the header; one of requiredOneOf too.
var (
	requiredColumns = []int{cEntityLogicalID, cNameWhole}
	requiredOneOf   = []int{cEntitySubjectType, cEntitySubjectTypeClass}
)

func (s *source) parseCSV(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	meta := sources.Meta{Unproven: "the EU CSV file has no end mark and no record count, so a cut between rows cannot be told from removals"}
	f, err := in.Open(CSVFile)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	base, err := csvPreamble(br, issues) // the file offset after a byte order mark
	if err != nil {
		return meta, err
	}
	bound := sources.NewCSVBound(br, sources.MaxCSVRecordBytes, Name, CSVFile, base)
	cr := csv.NewReader(bound)
	cr.Comma = ';'
	// LazyQuotes: public parsers of the real file had to allow a bare "
	// inside an unquoted field (names such as Foo "Bar"). A quote that
	// swallows separators or line ends then shows as a row with a wrong
	// column count: an issue with its line, the row skipped.
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	header, err := cr.Read()
	bound.NextRecord()
	if err != nil {
		return meta, recordError(CSVFile, 1, fmt.Errorf("header: %w", err))
	}
	p := &csvParser{issues: issues, m: newMapper(CSVFile, issues), meta: &meta, parts: map[string]string{}}
	if err := p.readHeader(header); err != nil {
		return meta, err
	}
	// The header fixed the column count (FieldsPerRecord 0 takes the
	// first record's).
	rows := sources.NewCSVRows(cr, bound, Name, CSVFile, issues, func(rec []string) string { return rowText(rec, p.col[cEntityLogicalID]) })
	for rows.Next(ctx) {
		if err := p.row(rows.Row(), rows.Line(), emit); err != nil {
			return meta, err
		}
	}
	if err := rows.Err(); err != nil {
		return meta, err
	}
	if err := p.flush(emit); err != nil {
		return meta, err
	}
	// Without an error the last row read was good: no rows, no good rows.
	if rows.Rows() == 0 {
		issues.Addf(CSVFile, 0, "", "no data rows after the header")
	}
	return meta, nil
}

// csvPreamble checks the start of the file (sources.CheckStart) and
// refuses an HTML page served in place of the CSV. base is the file offset
// br is left at.
func csvPreamble(br *bufio.Reader, issues *sources.Issues) (base int64, err error) {
	if base, err = sources.CheckStart(br, Name, CSVFile, issues); err != nil {
		return base, err
	}
	return base, sources.RefuseMarkup(br, Name, CSVFile)
}

// csvParser groups rows into records.
type csvParser struct {
	issues *sources.Issues
	m      *mapper
	meta   *sources.Meta
	col    [numColumns]int // column -> index in a row, -1 when absent
	// the entity being read
	rec     record
	cur     int  // its logicalId, 0 before the first
	pending bool // rec holds rows not yet emitted
	// parts seen in the current entity: section and key -> its values,
	// to keep each part once and notice conflicting repeats.
	parts    map[string]string
	genDate  string // the first fileGenerationDate as printed
	genDiff  bool   // an issue about a differing one was recorded
	conflict map[string]bool
}

func (p *csvParser) readHeader(header []string) error {
	for i := range p.col {
		p.col[i] = -1
	}
	byName := map[string]int{}
	for i, n := range columnNames {
		byName[n] = i
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		c, ok := byName[h]
		switch {
		case !ok:
			p.issues.Addf(CSVFile, 1, "", "unknown column %q (column %d); not mapped", h, i+1)
		case p.col[c] >= 0:
			p.issues.Addf(CSVFile, 1, "", "column %q appears twice; column %d ignored", h, i+1)
		default:
			p.col[c] = i
		}
	}
	var missing []string
	for _, c := range requiredColumns {
		if p.col[c] < 0 {
			missing = append(missing, columnNames[c])
		}
	}
	if p.col[requiredOneOf[0]] < 0 && p.col[requiredOneOf[1]] < 0 {
		missing = append(missing, columnNames[requiredOneOf[0]]+" or "+columnNames[requiredOneOf[1]])
	}
	if len(missing) > 0 {
		return recordError(CSVFile, 1, fmt.Errorf("header lacks required column(s) %s", strings.Join(missing, ", ")))
	}
	for c, i := range p.col {
		if i < 0 {
			p.issues.Addf(CSVFile, 1, "", "column %s missing from the header; its field is absent", columnNames[c])
		}
	}
	return nil
}

// get returns column c of rec, "" when the header lacks it.
func (p *csvParser) get(rec []string, c int) string {
	if i := p.col[c]; i >= 0 && i < len(rec) {
		return rec[i]
	}
	return ""
}

// rowText identifies a rejected row: its logicalId when it has one, its
// text otherwise.
func rowText(rec []string, idCol int) string {
	if idCol >= 0 && idCol < len(rec) {
		if _, err := strconv.Atoi(strings.TrimSpace(rec[idCol])); err == nil {
			return strings.TrimSpace(rec[idCol])
		}
	}
	return strings.Join(rec, ";")
}

func (p *csvParser) row(rec []string, line int, emit func(*entity.Entity) error) error {
	raw := p.get(rec, cEntityLogicalID)
	lid, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || lid <= 0 {
		p.issues.Addf(CSVFile, line, rowText(rec, p.col[cEntityLogicalID]), "Entity_LogicalId %q is not a positive integer; row skipped", raw)
		return nil
	}
	if lid != p.cur {
		if err := p.flush(emit); err != nil {
			return err
		}
		p.start(lid, line)
	}
	p.generation(rec, line)
	p.entityColumns(rec, line)
	p.sections(rec, line)
	return nil
}

// start begins the record of entity lid at line.
func (p *csvParser) start(lid, line int) {
	p.rec.reset()
	p.rec.line = line
	p.rec.logicalID = strconv.Itoa(lid)
	p.cur = lid
	p.pending = true
	clear(p.parts)
	p.conflict = nil
}

// flush maps and emits the current record.
func (p *csvParser) flush(emit func(*entity.Entity) error) error {
	if !p.pending {
		return nil
	}
	p.pending = false
	if e := p.m.build(&p.rec); e != nil {
		return emit(e)
	}
	return nil
}

// generation reads fileGenerationDate, printed on every row.
func (p *csvParser) generation(rec []string, line int) {
	g := strings.TrimSpace(p.get(rec, cFileGenerationDate))
	switch {
	case g == "":
	case p.genDate == "":
		p.genDate = g
		if v, ok := normalize.ISODate(g); ok {
			p.meta.PublicationDate = v
		} else {
			p.issues.Addf(CSVFile, line, "", "fileGenerationDate %q is not a date", g)
		}
	case g != p.genDate && !p.genDiff:
		p.genDiff = true
		p.issues.Addf(CSVFile, line, p.rec.logicalID, "fileGenerationDate %q differs from the first row's %q; the first is kept", g, p.genDate)
	}
}

// entityColumns reads the Entity_* columns, repeated on each row of the
// entity.
func (p *csvParser) entityColumns(rec []string, line int) {
	r := &p.rec
	for _, f := range [...]struct {
		c   int
		dst *string
	}{
		{cEntityEURef, &r.euRef}, {cEntityUNID, &r.unID},
		{cEntityDesignationDate, &r.designationDate}, {cEntityDesignationDetails, &r.designationDetails},
	} {
		p.single(rec, f.c, f.dst, line)
	}
	// The CSV prints subjectType the other way round from the XML:
	// Entity_SubjectType holds the letter (P, E) and
	// Entity_SubjectType_ClassificationCode the word (person, enterprise).
	// Each value goes where its form says.
	for _, c := range [...]int{cEntitySubjectType, cEntitySubjectTypeClass} {
		v := strings.TrimSpace(p.get(rec, c))
		if v == "" {
			continue
		}
		r.hasSubject = true
		dst := &r.subjectCode
		if len(v) == 1 {
			dst = &r.subjectClass
		}
		if *dst == "" {
			*dst = v
		} else if *dst != v {
			p.conflictIssue(columnNames[c], line, "%s %q differs from an earlier row's %q; the first is kept", columnNames[c], v, *dst)
		}
	}
	if t := unparen(p.get(rec, cEntityRemark)); t != "" && !contains(r.remarks, t) {
		r.remarks = append(r.remarks, t)
	}
	if p.any(rec, entityRegs) {
		g := regulation{
			line:         line,
			typ:          p.get(rec, cEntityRegType),
			organisation: p.get(rec, cEntityRegOrg),
			published:    p.get(rec, cEntityRegPublished),
			inForce:      p.get(rec, cEntityRegInForce),
			numberTitle:  p.get(rec, cEntityRegNumberTitle),
			programme:    p.get(rec, cEntityRegProgramme),
			pubURL:       p.get(rec, cEntityRegURL),
		}
		if p.newPart("regulation", p.values(rec, entityRegs), "", line) {
			r.regulations = append(r.regulations, g)
		}
	}
}

// single keeps the first non-empty value of an entity column; a different
// later one is an issue.
func (p *csvParser) single(rec []string, c int, dst *string, line int) {
	v := p.get(rec, c)
	switch {
	case strings.TrimSpace(v) == "":
	case *dst == "":
		*dst = v
	case *dst != v:
		p.conflictIssue(columnNames[c], line, "%s %q differs from an earlier row's %q; the first is kept", columnNames[c], v, *dst)
	}
}

// conflictIssue records an issue about a column once per entity.
func (p *csvParser) conflictIssue(column string, line int, format string, args ...any) {
	if p.conflict == nil {
		p.conflict = map[string]bool{}
	}
	if p.conflict[column] {
		return
	}
	p.conflict[column] = true
	p.issues.Addf(CSVFile, line, p.rec.logicalID, format, args...)
}

// any reports whether a column range has a value in rec.
func (p *csvParser) any(rec []string, cols [2]int) bool {
	for c := cols[0]; c < cols[1]; c++ {
		if strings.TrimSpace(p.get(rec, c)) != "" {
			return true
		}
	}
	return false
}

// values joins a column range of rec.
func (p *csvParser) values(rec []string, cols [2]int) string {
	var b strings.Builder
	for c := cols[0]; c < cols[1]; c++ {
		b.WriteString(p.get(rec, c))
		b.WriteByte(0)
	}
	return b.String()
}

// newPart reports whether the part (section, logicalId or values) is new
// in the current entity. A repeated logicalId with other values is an
// issue; the first values are kept.
func (p *csvParser) newPart(section, values, logicalID string, line int) bool {
	key := section + "\x00" + strings.TrimSpace(logicalID)
	if strings.TrimSpace(logicalID) == "" {
		key += "\x00" + values
	}
	prev, seen := p.parts[key]
	if !seen {
		p.parts[key] = values
		return true
	}
	if prev != values {
		p.issues.Addf(CSVFile, line, p.rec.logicalID, "%s logicalId %s repeats with other values; the first row's are kept", section, logicalID)
	}
	return false
}

// common reads the columns every part has, starting at its LogicalId
// column: LogicalId, RegulationLanguage, Remark, then the regulation's
// Type, OrganisationType, PublicationDate.
func (p *csvParser) common(rec []string, logicalIDCol, line int) common {
	c := common{
		line:      line,
		logicalID: strings.TrimSpace(p.get(rec, logicalIDCol)),
		regLang:   p.get(rec, logicalIDCol+1),
	}
	if t := unparen(p.get(rec, logicalIDCol+2)); t != "" {
		c.remarks = []string{t}
	}
	if d := strings.TrimSpace(p.get(rec, logicalIDCol+5)); d != "" {
		c.regDates = []string{d}
	}
	return c
}

// sections reads the parts a row carries.
func (p *csvParser) sections(rec []string, line int) {
	r := &p.rec
	g := func(c int) string { return p.get(rec, c) }
	if p.any(rec, nameColumns) {
		c := p.common(rec, cNameLogicalID, line)
		if p.newPart("NameAlias", p.values(rec, nameColumns), c.logicalID, line) {
			r.names = append(r.names, nameAlias{
				common: c,
				first:  g(cNameFirst), middle: g(cNameMiddle), last: g(cNameLast), whole: g(cNameWhole),
				lang: g(cNameLanguage), gender: g(cNameGender), title: g(cNameTitle), fn: g(cNameFunction),
			})
		}
	}
	if p.any(rec, addrColumns) {
		c := p.common(rec, cAddrLogicalID, line)
		if p.newPart("Address", p.values(rec, addrColumns), c.logicalID, line) {
			r.addresses = append(r.addresses, address{
				common: c,
				city:   g(cAddrCity), street: g(cAddrStreet), poBox: g(cAddrPoBox), zip: g(cAddrZip),
				region: g(cAddrRegion), place: g(cAddrPlace), asAt: g(cAddrAsAt),
				code: g(cAddrCode), desc: g(cAddrDesc), contactText: g(cAddrContact),
			})
		}
	}
	if p.any(rec, birthColumns) {
		c := p.common(rec, cBirthLogicalID, line)
		if p.newPart("BirthDate", p.values(rec, birthColumns), c.logicalID, line) {
			r.births = append(r.births, birthdate{
				common: c,
				date:   g(cBirthDate), day: g(cBirthDay), month: g(cBirthMonth), year: g(cBirthYear),
				rangeFrom: g(cBirthRangeFrom), rangeTo: g(cBirthRangeTo), circa: g(cBirthCirca),
				calendar: g(cBirthCalendar), zip: g(cBirthZip), region: g(cBirthRegion), place: g(cBirthPlace),
				city: g(cBirthCity), code: g(cBirthCode), desc: g(cBirthDesc),
			})
		}
	}
	if p.any(rec, idColumns) {
		c := p.common(rec, cIDLogicalID, line)
		if p.newPart("Identification", p.values(rec, idColumns), c.logicalID, line) {
			r.ids = append(r.ids, identification{
				common:     c,
				number:     g(cIDNumber),
				diplomatic: g(cIDDiplomatic), knownExpired: g(cIDKnownExpired), knownFalse: g(cIDKnownFalse),
				reportedLost: g(cIDReportedLost), revoked: g(cIDRevoked), issuedBy: g(cIDIssuedBy),
				issued: g(cIDIssuedDate), validFrom: g(cIDValidFrom), validTo: g(cIDValidTo),
				latinNumber: g(cIDLatinNumber), nameOnDocument: g(cIDNameOnDocument), typeCode: g(cIDTypeCode),
				typeDesc: g(cIDTypeDesc), region: g(cIDRegion), code: g(cIDCode), desc: g(cIDDesc),
			})
		}
	}
	if p.any(rec, citColumns) {
		c := p.common(rec, cCitLogicalID, line)
		if p.newPart("Citizenship", p.values(rec, citColumns), c.logicalID, line) {
			r.citizenships = append(r.citizenships, citizenship{
				common: c,
				region: g(cCitRegion), code: g(cCitCode), desc: g(cCitDesc),
			})
		}
	}
}

// unparen returns a remark without the parentheses the CSV wraps remarks
// in: the real file prints Entity_Remark "(UNSC RESOLUTION 1483)" where
// the XML prints "UNSC RESOLUTION 1483". Only a pair that encloses the
// whole text is removed.
func unparen(s string) string {
	t := strings.TrimSpace(s)
	if len(t) < 2 || t[0] != '(' || t[len(t)-1] != ')' {
		return t
	}
	depth := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i < len(t)-1 {
				return t // the first ( closes before the end
			}
		}
	}
	if depth != 0 {
		return t
	}
	return strings.TrimSpace(t[1 : len(t)-1])
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

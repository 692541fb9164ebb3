package ofac

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// The legacy CSV files have no header. Their columns:
//
//	main:     ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
//	          Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
//	add:      ent_num, Add_num, Address, City/State/Province/Postal Code,
//	          Country, Add_remarks
//	alt:      ent_num, alt_num, alt_type, alt_name, alt_remarks
//	comments: ent_num, Remarks continued (the main Remarks is cut after
//	          1,000 characters; the rest follows here, to be appended as is)
//
// Null is "-0- "; lines end with CRLF; the file ends with a 0x1A byte (see
// csvfile.go for what its absence means); the text is Windows-1252.
var csvFields = [4]int{12, 6, 5, 2}

// Main file columns.
const (
	colEnt = iota
	colName
	colType
	colProgram
	colTitle
	colCallSign
	colVessType
	colTonnage
	colGRT
	colVessFlag
	colVessOwner
	colRemarks
)

// companion holds one companion file, read whole before the main file
// streams (they are small), by ent_num.
type companion struct {
	file   string
	rows   []companionRow
	fields []string // every row's fields after ent_num, back to back
	byEnt  map[int][]int
	end    *endMark
	// unmarked: a comments file without its end mark, proven complete
	// only against the main file (checkComments).
	unmarked bool
}

type companionRow struct {
	line int
	ent  int
	off  int // into fields
	used bool
}

func (c *companion) fieldsOf(i int, n int) []string {
	off := c.rows[i].off
	return c.fields[off : off+n]
}

func (s *source) parseCSV(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	// The main file is opened first, so that a missing or unusable one is
	// the error; it streams once the companions are read.
	name := s.files.csv[csvMain]
	f, err := s.openCSV(in, csvMain, issues)
	if err != nil {
		return meta, err
	}
	defer f.c.Close()
	var comps [4]*companion
	for i := csvAdd; i <= csvComments; i++ {
		c, err := s.readCompanion(ctx, in, i, issues)
		if err != nil {
			return meta, err
		}
		comps[i] = c
	}
	lk := s.newLinker()
	defer lk.close()
	rows := 0
	var frags []string
	var stats remarkStats
	var cuts []cutRemark
	for {
		rec, err := f.read()
		if err == io.EOF {
			break
		}
		rows++
		if err != nil {
			if !rowIssue(issues, name, rec, err) {
				return meta, s.fail(f, err)
			}
			continue
		}
		if rows%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		line, _ := f.r.FieldPos(colEnt)
		ent, ok := entNum(rec[colEnt])
		if ok && utf8.RuneCountInString(rec[colRemarks]) == remarksCut {
			cuts = append(cuts, cutRemark{ent: ent, line: line})
		}
		// A repeated ent_num is left to the pipeline, which drops
		// repeated ids after sorting and keeps the row parsed first.
		if !ok {
			issues.Addf(name, line, recordText(rec), "ent_num %q is not a positive integer", rec[colEnt])
			continue
		}
		e := s.csvEntity(ent, rec, line, &comps, issues, &frags, &stats)
		if e == nil {
			continue
		}
		if err := lk.put(e, emit); err != nil {
			return meta, err
		}
	}
	if _, err := s.checkEnd(f); err != nil {
		return meta, err
	}
	if rows == 0 {
		return meta, s.recordError(name, 0, errors.New("no records (empty file)"))
	}
	if c := comps[csvComments]; c != nil && c.unmarked {
		if err := s.checkComments(c, cuts); err != nil {
			return meta, err
		}
	}
	for _, c := range comps {
		if c == nil {
			continue
		}
		for _, row := range c.rows {
			if !row.used {
				issues.Addf(c.file, row.line, strconv.Itoa(row.ent), "ent_num %d is not in %s; row ignored", row.ent, name)
			}
		}
	}
	if err := lk.finish(ctx, name, emit, issues); err != nil {
		return meta, err
	}
	stats.fill(&meta)
	return meta, nil
}

// csvEntity maps one main row with its companion rows; nil when the row
// cannot make an entity (the issue is recorded).
func (s *source) csvEntity(ent int, rec []string, line int, comps *[4]*companion, issues *sources.Issues, frags *[]string, stats *remarkStats) *entity.Entity {
	main := s.files.csv[csvMain]
	uid := strconv.Itoa(ent)
	typ, ok := entityType(field(rec[colType]))
	if !ok {
		issues.Addf(main, line, uid, "unknown SDN_Type %q", rec[colType])
	}
	name := field(rec[colName])
	if normalize.Text(name) == "" {
		issues.Addf(main, line, uid, "entry without a name; row skipped")
		return nil
	}
	b := newBuilder(s.files.name, uid, typ)
	b.unparsed = stats
	family, given := "", ""
	if typ == entity.Person {
		family, given = normalize.SplitLastFirst(name)
	}
	b.primaryName(name, family, given)
	for p := range strings.SplitSeq(field(rec[colProgram]), "] [") {
		b.program(p)
	}
	b.titles(field(rec[colTitle]))
	b.vesselColumns(field(rec[colCallSign]), field(rec[colVessType]), field(rec[colTonnage]),
		field(rec[colGRT]), field(rec[colVessFlag]), field(rec[colVessOwner]))

	if c := comps[csvAlt]; c != nil {
		for _, i := range c.byEnt[ent] {
			c.rows[i].used = true
			f := c.fieldsOf(i, csvFields[csvAlt]-1) // alt_num, alt_type, alt_name, alt_remarks
			kind, ok := aliasKind(field(f[1]))
			if !ok {
				issues.Addf(c.file, c.rows[i].line, uid, "unknown alt_type %q; taken as a.k.a.", f[1])
			}
			value := field(f[2])
			family, given := "", ""
			if typ == entity.Person {
				family, given = normalize.SplitLastFirst(value)
			}
			b.alias(value, kind, family, given)
			if r := field(f[3]); normalize.Text(r) != "" {
				issues.Addf(c.file, c.rows[i].line, uid, "alt_remarks %q not mapped", r)
			}
		}
	}
	if c := comps[csvAdd]; c != nil {
		for _, i := range c.byEnt[ent] {
			c.rows[i].used = true
			f := c.fieldsOf(i, csvFields[csvAdd]-1) // add_num, address, city..., country, add_remarks
			b.address(field(f[1]), field(f[2]), field(f[3]))
			if r := field(f[4]); normalize.Text(r) != "" {
				issues.Addf(c.file, c.rows[i].line, uid, "Add_remarks %q not mapped", r)
			}
		}
	}
	remarks := field(rec[colRemarks])
	continued := false
	if c := comps[csvComments]; c != nil {
		for _, i := range c.byEnt[ent] {
			c.rows[i].used = true
			continued = true
			// Appended as is: the cut may fall inside a word.
			remarks += field(c.fieldsOf(i, 1)[0])
		}
	}
	cut := !continued && utf8.RuneCountInString(rec[colRemarks]) == remarksCut
	remarks = normalize.Text(remarks)
	*frags = splitRemarks(remarks, (*frags)[:0])
	read := *frags
	if cut && len(read) > 0 {
		read = s.readCut(read, uid, line, comps[csvComments] == nil, issues)
	}
	for i, f := range read {
		// A cut line has no final "." of its own.
		b.remarkFragment(f, !cut && i == len(read)-1)
	}
	return b.finish(remarks)
}

// readCut handles the fragments of a Remarks cut at remarksCut
// characters that nothing continues (the comments file is absent, or has
// no row for the entry): the last fragment is what the cut left of a
// value, an issue and no fact ("Digital Currency Address - XBT 1Gq",
// uid 30518 in every capture without SDN_COMMENTS.CSV). When the cut falls
// right after a fragment's "; " separator began ("... XBT
// 18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa;", uid 42496), that fragment is
// whole and read without the ";"; only what followed is lost. It returns
// the fragments to read; the remarks keep the text as published.
func (s *source) readCut(frags []string, uid string, line int, noComments bool, issues *sources.Issues) []string {
	main := s.files.csv[csvMain]
	why := fmt.Sprintf("%s has no row for it", s.files.csv[csvComments])
	if noComments {
		why = s.files.csv[csvComments] + " is absent"
	}
	n := len(frags) - 1
	if whole, ok := strings.CutSuffix(frags[n], ";"); ok {
		frags[n] = whole
		issues.Addf(main, line, uid, "Remarks cut at 1,000 characters and not continued (%s): the cut fell after the fragment %q, which is read; the fragments after it are lost", why, whole)
		return frags
	}
	issues.Addf(main, line, uid, "Remarks cut at 1,000 characters and not continued (%s): the last fragment %q is incomplete; kept in remarks only, no fact read from it", why, frags[n])
	return frags[:n]
}

// readCompanion reads companion file which, or returns nil when the input
// lacks it (the acquisition recorded that as an issue).
func (s *source) readCompanion(ctx context.Context, in *sources.Input, which int, issues *sources.Issues) (*companion, error) {
	name := s.files.csv[which]
	if in.File(name) == nil {
		return nil, nil
	}
	f, err := s.openCSV(in, which, issues)
	if err != nil {
		return nil, err
	}
	defer f.c.Close()
	c := &companion{file: name, byEnt: map[int][]int{}, end: f.end}
	for n := 1; ; n++ {
		rec, err := f.read()
		if err == io.EOF {
			if c.unmarked, err = s.checkEnd(f); err != nil {
				return nil, err
			}
			return c, nil
		}
		if err != nil {
			if !rowIssue(issues, name, rec, err) {
				return nil, s.fail(f, err)
			}
			continue
		}
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		line, _ := f.r.FieldPos(0)
		ent, ok := entNum(rec[0])
		if !ok {
			issues.Addf(name, line, recordText(rec), "ent_num %q is not a positive integer", rec[0])
			continue
		}
		c.byEnt[ent] = append(c.byEnt[ent], len(c.rows))
		c.rows = append(c.rows, companionRow{line: line, ent: ent, off: len(c.fields)})
		c.fields = append(c.fields, rec[1:]...)
	}
}

// rowIssue records a row encoding/csv rejected (wrong field count, bad
// quoting) and reports whether parsing can go on: it cannot after an I/O
// or decoding error. After a quote error encoding/csv resumes at the next
// line, except for an unclosed quoted field, which runs to the end of the
// file (the entities lost then trip the pipeline's drop guard).
func rowIssue(issues *sources.Issues, file string, rec []string, err error) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return false
	}
	problem := "row skipped: " + pe.Error()
	if pe.Line > pe.StartLine {
		// A quote left open swallows the lines up to the next quote: say
		// that every row in between is lost, not just the first.
		problem = fmt.Sprintf("rows on lines %d to %d skipped (an open quote spans them): %v", pe.StartLine, pe.Line, pe)
	}
	issues.Add(sources.Issue{File: file, Line: pe.StartLine, Record: recordText(rec), Problem: problem})
	return true
}

// recordText identifies a rejected row: its ent_num when it has one, its
// text otherwise.
func recordText(rec []string) string {
	if len(rec) == 0 {
		return ""
	}
	if _, ok := entNum(rec[0]); ok {
		return rec[0]
	}
	return strings.Join(rec, ",")
}

func entNum(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil && n > 0
}

// field returns a column's value, "" for OFAC's null "-0- ". Two damaged
// nulls occur in real files: "-0-" without its space (ALT 2019-01-15) and
// "-0" (ADD 2019-01-15).
func field(s string) string {
	switch strings.TrimSpace(s) {
	case "-0-", "-0":
		return ""
	}
	return s
}

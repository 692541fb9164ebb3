package bigfile

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// An OFAC advanced XML publication (SDN_ADVANCED.XML, CONS_ADVANCED.XML)
// grown for measurement: its DateOfIssue and ReferenceValueSets (the code
// tables) once, then each section (Locations, IDRegDocuments,
// DistinctParties, ...) with its records written n times. Copy k > 0 adds
// k*Base to every instance id, so that ids stay unique and every
// reference between records still resolves within its copy; code-table
// references are left alone, since every copy shares the one set of
// tables.

// OFACConsAdvancedFile is the official name of the consolidated list's
// advanced XML (sources/ofac's; not imported, as UNFile).
const OFACConsAdvancedFile = "CONS_ADVANCED.XML"

// ofacInstanceAttrs are the attributes that hold an instance id: a
// record's own ("ID", "FixedRef") or a reference to another record.
var ofacInstanceAttrs = []string{
	"ID", "FixedRef", "IdentityID", "ProfileID", "From-ProfileID", "To-ProfileID",
	"LocationID", "IssuedIn-LocationID", "NamePartGroupID", "FeatureVersionID",
	"DocumentedNameID", "IDRegDocumentID", "SanctionsEntryID",
}

// ofacCodeAttrs are the id attributes outside ReferenceValueSets that
// name a code-table entry. An attribute ending in "ID" in neither list is
// refused: renumbering it or not would be a guess, and a wrong guess
// leaves references dangling.
var ofacCodeAttrs = []string{
	"AliasTypeID", "AreaCodeID", "AreaCodeTypeID", "CalendarTypeID", "CountryID", "CountryRelevanceID",
	"DetailReferenceID", "DetailTypeID", "DocNameStatusID", "EntryEventTypeID", "FeatureTypeID",
	"IDRegDocDateTypeID", "IDRegDocTypeID", "IdentityFeatureLinkTypeID", "IssuedBy-CountryID",
	"LegalBasisID", "ListID", "LocPartTypeID", "LocPartValueStatusID", "LocPartValueTypeID",
	"NamePartTypeID", "PartySubTypeID", "RelationQualityID", "RelationTypeID", "ReliabilityID",
	"SanctionsProgramID", "SanctionsTypeID", "ScriptID", "ScriptStatusID", "ValidityID",
}

// ofacIDAttr finds an instance id attribute's digits. Its matches are
// checked against the attributes encoding/xml reads (ParseOFACAdvanced),
// so text that merely looks like an attribute would be caught.
var ofacIDAttr = func() *regexp.Regexp {
	alt := ""
	for i, a := range ofacInstanceAttrs {
		if i > 0 {
			alt += "|"
		}
		alt += regexp.QuoteMeta(a)
	}
	return regexp.MustCompile(`\s(?:` + alt + `)="([0-9]+)"`)
}()

// OFACAdvanced is a real advanced XML publication cut for repetition.
type OFACAdvanced struct {
	head     []byte // through </ReferenceValueSets>
	sections []ofacSection
	tail     []byte // after the last section
	// Base is what copy k adds, times k, to every instance id: a power
	// of ten above the largest id.
	Base         uint64
	headRecords  int // grandchildren of the root in head
	perCopy      int // records of the sections in one copy
	partiesCopy  int // DistinctParty records in one copy
	sectionNames []string
}

// ofacSection is one root child after ReferenceValueSets: its start tag
// (with the whitespace before it), its body cut before each instance id
// and the ids, and its end tag.
type ofacSection struct {
	open, close []byte
	parts       [][]byte // len(ids)+1
	ids         []uint64
	records     int
}

// OFACStats says what a built advanced publication holds.
type OFACStats struct {
	Bytes   int64
	Copies  int
	Parties int // DistinctParty records: the entities a parse emits
	// Records are the grandchildren of the root, what TokenFloor and
	// XMLQueryFloor count: the code-table sets and DateOfIssue's parts
	// once, and every section's records.
	Records int
}

// ParseOFACAdvanced cuts a real advanced XML publication (uncompressed)
// for repetition. It checks what the copies rely on: a ReferenceValueSets
// before every section, instance ids of digits without a leading zero,
// and no id attribute it cannot tell as instance or code-table.
func ParseOFACAdvanced(pub []byte) (*OFACAdvanced, error) {
	d := xml.NewDecoder(bytes.NewReader(pub))
	o := &OFACAdvanced{}
	depth := 0
	var (
		inRefs, refsSeen bool
		cur              *ofacSection
		sectStart        int64 // where the current section's start tag begins
		afterOpen        int64 // where its body begins
		lastEnd          int64 // where the previous root child ended
		maxID            uint64
		attrs            int // instance id attributes in the current section
	)
	for {
		before := d.InputOffset()
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("bigfile: OFAC advanced publication: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && tok.Name.Local == "ReferenceValueSets":
				if refsSeen {
					return nil, errors.New("bigfile: OFAC advanced publication: a second <ReferenceValueSets>")
				}
				inRefs, refsSeen = true, true
			case depth == 2 && refsSeen:
				o.sections = append(o.sections, ofacSection{})
				cur = &o.sections[len(o.sections)-1]
				o.sectionNames = append(o.sectionNames, tok.Name.Local)
				sectStart, afterOpen, attrs = lastEnd, d.InputOffset(), 0
			case depth == 2 && tok.Name.Local != "DateOfIssue":
				return nil, fmt.Errorf("bigfile: OFAC advanced publication: <%s> before <ReferenceValueSets>", tok.Name.Local)
			case depth == 3 && cur != nil:
				cur.records++
				if tok.Name.Local == "DistinctParty" {
					o.partiesCopy++
				}
			case depth == 3:
				o.headRecords++
			}
			if inRefs || depth < 3 {
				continue
			}
			for _, a := range tok.Attr {
				switch {
				case contains(ofacInstanceAttrs, a.Name.Local):
					id, err := strconv.ParseUint(a.Value, 10, 64)
					if err != nil || a.Value[0] == '0' {
						return nil, fmt.Errorf("bigfile: OFAC advanced publication: <%s %s=%q>: want digits without a leading zero", tok.Name.Local, a.Name.Local, a.Value)
					}
					maxID = max(maxID, id)
					attrs++
				case len(a.Name.Local) > 2 && a.Name.Local[len(a.Name.Local)-2:] == "ID" && !contains(ofacCodeAttrs, a.Name.Local):
					return nil, fmt.Errorf("bigfile: OFAC advanced publication: <%s> attribute %s is neither a known instance id nor a code-table id", tok.Name.Local, a.Name.Local)
				}
			}
		case xml.EndElement:
			depth--
			switch {
			case depth == 1 && inRefs:
				inRefs = false
				o.head = pub[:d.InputOffset()]
			case depth == 1 && cur != nil:
				// A self-closing section's end tag takes no bytes.
				end := d.InputOffset()
				cur.open, cur.close = pub[sectStart:afterOpen], pub[before:end]
				cur.parts, cur.ids = splitIDs(pub[afterOpen:before])
				if len(cur.ids) != attrs {
					return nil, fmt.Errorf("bigfile: OFAC advanced publication: <%s> has %d instance id attributes but %d matched in its bytes", o.sectionNames[len(o.sectionNames)-1], attrs, len(cur.ids))
				}
				o.perCopy += cur.records
				cur = nil
			}
			if depth == 1 {
				lastEnd = d.InputOffset()
			}
		}
	}
	if !refsSeen || o.head == nil {
		return nil, errors.New("bigfile: OFAC advanced publication: no <ReferenceValueSets>")
	}
	if len(o.sections) == 0 || o.partiesCopy == 0 {
		return nil, errors.New("bigfile: OFAC advanced publication: no <DistinctParty> after <ReferenceValueSets>")
	}
	o.tail = pub[lastEnd:]
	o.Base = 1
	for o.Base <= maxID {
		o.Base *= 10
	}
	return o, nil
}

// splitIDs cuts body before each instance id's digits.
func splitIDs(body []byte) (parts [][]byte, ids []uint64) {
	last := 0
	for _, m := range ofacIDAttr.FindAllSubmatchIndex(body, -1) {
		id, _ := strconv.ParseUint(string(body[m[2]:m[3]]), 10, 64)
		parts = append(parts, body[last:m[2]])
		ids = append(ids, id)
		last = m[3]
	}
	return append(parts, body[last:]), ids
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Parties is the number of DistinctParty records of one copy.
func (o *OFACAdvanced) Parties() int { return o.partiesCopy }

// PerCopy is the number of records (children of the sections) of one
// copy.
func (o *OFACAdvanced) PerCopy() int { return o.perCopy }

// copyBytes is the size of copy k of every section's body.
func (o *OFACAdvanced) copyBytes(k int) int64 {
	var n int64
	var buf [20]byte
	for _, s := range o.sections {
		for _, p := range s.parts {
			n += int64(len(p))
		}
		for _, id := range s.ids {
			n += int64(len(strconv.AppendUint(buf[:0], id+uint64(k)*o.Base, 10)))
		}
	}
	return n
}

// Copies is the number of copies a publication of at least minBytes
// needs (at least one).
func (o *OFACAdvanced) Copies(minBytes int64) int {
	size := int64(len(o.head) + len(o.tail))
	for _, s := range o.sections {
		size += int64(len(s.open) + len(s.close))
	}
	n := 0
	for n == 0 || size < minBytes {
		size += o.copyBytes(n)
		n++
	}
	return n
}

// Write writes the publication of copies 0 .. n-1.
func (o *OFACAdvanced) Write(w io.Writer, n int) (OFACStats, error) {
	if n < 1 {
		return OFACStats{}, fmt.Errorf("bigfile: %d copies", n)
	}
	cw := &countWriter{w: bufio.NewWriterSize(w, 1<<20)}
	cw.write(o.head)
	var num []byte
	for _, s := range o.sections {
		cw.write(s.open)
		for k := range n {
			for i, id := range s.ids {
				cw.write(s.parts[i])
				num = strconv.AppendUint(num[:0], id+uint64(k)*o.Base, 10)
				cw.write(num)
			}
			cw.write(s.parts[len(s.ids)])
		}
		cw.write(s.close)
	}
	cw.write(o.tail)
	if cw.err == nil {
		cw.err = cw.w.Flush()
	}
	st := OFACStats{Bytes: cw.n, Copies: n, Parties: n * o.partiesCopy, Records: o.headRecords + n*o.perCopy}
	if cw.err != nil {
		return st, fmt.Errorf("bigfile: write: %w", cw.err)
	}
	return st, nil
}

// WriteOFACAdvanced writes to w an advanced publication of at least
// minBytes built from the real one pub.
func WriteOFACAdvanced(w io.Writer, pub []byte, minBytes int64) (OFACStats, error) {
	o, err := ParseOFACAdvanced(pub)
	if err != nil {
		return OFACStats{}, err
	}
	return o.Write(w, o.Copies(minBytes))
}

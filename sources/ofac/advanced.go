package ofac

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/spill"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// The advanced XML (SDN_ADVANCED.XML, CONS_ADVANCED.XML) is OFAC's own
// format, from which the legacy XML and CSV are flattened. Its sections
// come in this order: code tables (ReferenceValueSets), Locations,
// IDRegDocuments, DistinctParties, ProfileRelationships, SanctionsEntries.
// A party refers by id to locations and documents before it and to
// relationships and sanctions entries after it, so no entity is complete
// until the whole file is read.
//
// One pass reads every record into a spill store on disk (internal/spill),
// keyed by the id it is looked up by; memory holds the code tables and an
// offset per key. A join then builds each party's entity from its records.
// A party is rendered into the legacy XML's shape and mapped by the same
// buildEntry, so that both XML formats give equal values where both carry
// them; what only the advanced format carries is added after (finish).
// docs/sources/ofac.md lists the differences.

// nsAdvanced is the namespace of <Sanctions>.
const nsAdvanced = "http://www.un.org/sanctions/1.0"

// advContainers are the sections whose children are the records.
var advContainers = []string{"Locations", "IDRegDocuments", "DistinctParties", "ProfileRelationships", "SanctionsEntries", "SanctionsEntryLinks"}

// Spill tables.
const (
	tLocation uint8 = iota + 1 // by Location ID
	tDocument                  // by the IdentityID the document belongs to
	tParty                     // by Profile ID
	tIdentity                  // marks the Identity IDs parties have
	tRelation                  // by From-ProfileID
	tEntry                     // by ProfileID
	tTarget                    // by Profile ID: what a relation needs of its target
)

// The records as spilled (JSON). Lines are the record's, for issues raised
// at the join.
type (
	advLocation struct {
		Line                                    int
		A1, A2, A3, City, State, Postal, Region string
		Country, ISO                            string
		Undetermined                            bool // the country is OFAC's "undetermined"
		Unknown                                 string
	}
	advDocument struct {
		Line                                       int
		ID, Type, Number, Country, Issued, Expires string
		Authority, Validity                        string
	}
	advName struct {
		Primary   bool // the Latin form of the primary name
		AliasType string
		Low       bool
		Script    string
		Parts     [][2]string // name part type, value
	}
	advFeature struct {
		Line        int // of the <VersionLocation>, for an issue if it is undefined
		ID, Type    string
		Value, Date string
		Location    uint64
	}
	advParty struct {
		Line       int
		Profile    uint64
		FixedRef   string
		Type       string // the legacy sdnType: Individual, Entity, Vessel, Aircraft
		Comment    string
		Identities []uint64
		Names      []advName
		Features   []advFeature
	}
	advTarget struct {
		FixedRef, Name string
		Type           entity.Type
	}
	advRelation struct {
		Line     int
		ID       string
		From, To uint64
		Type     string
		Former   bool
	}
	advEntry struct {
		Line     int
		ID       string
		List     string
		Date     string
		Basis    []string
		Programs []string
		Measures []string
	}
)

func (s *source) parseAdvanced(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	var meta sources.Meta
	name := s.files.advanced
	st, closeAll, err := s.openXML(in, xmlstream.Options{
		File: name, Root: "Sanctions",
		Namespaces:     []string{nsAdvanced},
		BlankNamespace: true,
		Containers:     advContainers,
	}, issues)
	if err != nil {
		return meta, err
	}
	defer closeAll()
	store, err := spill.New(s.cfg.TempDir)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", s.files.name, err)
	}
	defer store.Close()
	p := &advParser{s: s, file: name, issues: issues, st: st, store: store, stats: &remarkStats{}}
	records := 0
	for {
		n, err := st.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return meta, err
		}
		p.cur = n
		if records++; records%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return meta, err
			}
		}
		if p.refs == nil && n.Data != "DateOfIssue" && n.Data != "ReferenceValueSets" {
			return meta, s.recordError(name, st.LineOf(n, nil),
				fmt.Errorf("<%s> comes before <ReferenceValueSets>: the code tables every record refers to are missing: %w", n.Data, sources.ErrIncomplete))
		}
		switch n.Data {
		case "DateOfIssue":
			if d, ok := ymd(n); ok {
				meta.PublicationDate = d
			} else {
				p.issue(n, nil, "", "<DateOfIssue> is not a whole date")
			}
		case "ReferenceValueSets":
			if p.refs != nil {
				p.issue(n, nil, "", "a second <ReferenceValueSets>; ignored")
				continue
			}
			refs, err := readRefs(n, func(elem *xmlquery.Node, format string, args ...any) { p.issue(n, elem, "", format, args...) })
			if err != nil {
				return meta, s.recordError(name, st.LineOf(n, nil), fmt.Errorf("%w: %w", err, sources.ErrIncomplete))
			}
			p.refs = refs
		case "Location":
			err = p.location(n)
		case "IDRegDocument":
			err = p.document(n)
		case "DistinctParty":
			err = p.party(n)
		case "ProfileRelationship":
			err = p.relation(n)
		case "SanctionsEntry":
			err = p.sanctionsEntry(n)
		default:
			p.issue(n, nil, "", "unknown element <%s> in <%s>; not mapped", n.Data, n.Parent.Data)
		}
		if err != nil {
			return meta, err
		}
	}
	if p.refs == nil {
		return meta, s.recordError(name, st.Line(), fmt.Errorf("no <ReferenceValueSets>: %w", sources.ErrIncomplete))
	}
	if err := p.join(ctx, emit); err != nil {
		return meta, err
	}
	p.stats.fill(&meta)
	return meta, nil
}

// advParser reads the records of one advanced XML file.
type advParser struct {
	s      *source
	file   string
	issues *sources.Issues
	st     *xmlstream.Stream
	store  *spill.Store
	refs   refTables
	stats  *remarkStats
	cur    *xmlquery.Node
	order  []uint64 // profile ids in file order
	buf    []byte
	ent    xmlEntry
	line   legacyLine
}

// issue records a problem with record n (the one just read) at elem.
func (p *advParser) issue(n, elem *xmlquery.Node, record, format string, args ...any) {
	line := 0
	if n == p.cur {
		line = p.st.LineOf(n, elem)
	}
	p.issues.Addf(p.file, line, record, format, args...)
}

// put spills v under key.
func (p *advParser) put(table uint8, id uint64, v any) error {
	var err error
	p.buf, err = json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", p.s.files.name, err)
	}
	return p.store.Put(spill.Key{Table: table, ID: id}, p.buf)
}

// each decodes every record of key into a fresh T and calls fn. All are
// decoded before the first call, so that fn may read the store itself.
func each[T any](p *advParser, table uint8, id uint64, fn func(T)) error {
	var vs []T
	err := p.store.Get(spill.Key{Table: table, ID: id}, func(b []byte) error {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		vs = append(vs, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", p.s.files.name, err)
	}
	for _, v := range vs {
		fn(v)
	}
	return nil
}

// ref resolves a code-table attribute of elem; a missing or unknown id is
// an issue naming the element, the attribute and the id.
func (p *advParser) ref(n, elem *xmlquery.Node, record, table, attr string) (refValue, bool) {
	id := elem.SelectAttr(attr)
	if id == "" {
		p.issue(n, elem, record, "<%s> has no %s", elem.Data, attr)
		return refValue{}, false
	}
	v, ok := p.refs.lookup(table, id)
	if !ok {
		p.issue(n, elem, record, "<%s> %s=%q is not in <%sValues>", elem.Data, attr, id, table)
	}
	return v, ok
}

// id reads a numeric id attribute; a missing or malformed one is an issue.
func (p *advParser) id(n, elem *xmlquery.Node, record, attr string) (uint64, bool) {
	s := elem.SelectAttr(attr)
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		p.issue(n, elem, record, "<%s> %s=%q is not a number", elem.Data, attr, s)
		return 0, false
	}
	return v, true
}

// children calls fn for each child element of n.
func children(n *xmlquery.Node, fn func(c *xmlquery.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode {
			fn(c)
		}
	}
}

// child returns n's first child element named name, or nil.
func child(n *xmlquery.Node, name string) *xmlquery.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode && c.Data == name {
			return c
		}
	}
	return nil
}

func (p *advParser) location(n *xmlquery.Node) error {
	id, ok := p.id(n, n, "", "ID")
	if !ok {
		return nil
	}
	rec := "Location " + n.SelectAttr("ID")
	loc := advLocation{Line: p.st.LineOf(n, nil)}
	children(n, func(c *xmlquery.Node) {
		switch c.Data {
		case "LocationCountry":
			if v, ok := p.ref(n, c, rec, "Country", "CountryID"); ok {
				p.country(&loc, v)
			}
		case "LocationAreaCode":
			if v, ok := p.ref(n, c, rec, "AreaCode", "AreaCodeID"); ok && loc.Country == "" && !loc.Undetermined {
				// An area code names the country where no LocationCountry
				// does.
				if cv, ok := p.refs.lookup("Country", v.attr("CountryID")); ok {
					p.country(&loc, cv)
				}
			}
		case "LocationPart":
			typ, ok := p.ref(n, c, rec, "LocPartType", "LocPartTypeID")
			if !ok {
				return
			}
			var value string
			children(c, func(v *xmlquery.Node) {
				if v.Data == "LocationPartValue" && (value == "" || v.SelectAttr("Primary") == "true") {
					if val := child(v, "Value"); val != nil {
						value = text(val)
					}
				}
			})
			switch typ.text {
			case "ADDRESS1":
				loc.A1 = value
			case "ADDRESS2":
				loc.A2 = value
			case "ADDRESS3":
				loc.A3 = value
			case "CITY":
				loc.City = value
			case "STATE/PROVINCE":
				loc.State = value
			case "POSTAL CODE":
				loc.Postal = value
			case "REGION":
				loc.Region = value
			default:
				loc.Unknown = value
			}
		case "FeatureVersionReference", "IDRegDocumentReference", "Comment":
			// Back references to the features and documents that use the
			// location.
		default:
			p.issue(n, c, rec, "unknown element <%s> in <Location>; not mapped", c.Data)
		}
	})
	return p.put(tLocation, id, &loc)
}

func (p *advParser) country(loc *advLocation, v refValue) {
	if v.text == "undetermined" && v.attr("ISO2") == "" {
		loc.Undetermined = true
		return
	}
	loc.Country, loc.ISO = v.text, v.attr("ISO2")
}

func (p *advParser) document(n *xmlquery.Node) error {
	rec := "IDRegDocument " + n.SelectAttr("ID")
	identity, ok := p.id(n, n, rec, "IdentityID")
	if !ok {
		return nil
	}
	d := advDocument{Line: p.st.LineOf(n, nil), ID: n.SelectAttr("ID")}
	if v, ok := p.ref(n, n, rec, "IDRegDocType", "IDRegDocTypeID"); ok {
		d.Type = v.text
	}
	if n.SelectAttr("IssuedBy-CountryID") != "" {
		if v, ok := p.ref(n, n, rec, "Country", "IssuedBy-CountryID"); ok {
			d.Country = v.text
		}
	}
	if n.SelectAttr("ValidityID") != "" {
		if v, ok := p.ref(n, n, rec, "Validity", "ValidityID"); ok && v.text != "Valid" {
			d.Validity = v.text
		}
	}
	children(n, func(c *xmlquery.Node) {
		switch c.Data {
		case "IDRegistrationNo":
			d.Number = text(c)
		case "IssuingAuthority":
			d.Authority = text(c)
		case "DocumentDate":
			typ, ok := p.ref(n, c, rec, "IDRegDocDateType", "IDRegDocDateTypeID")
			period := child(c, "DatePeriod")
			if !ok || period == nil {
				return
			}
			date := p.period(n, period, rec, "<DocumentDate>")
			switch typ.text {
			case "Issue Date":
				d.Issued = date
			case "Expiration Date":
				d.Expires = date
			default:
				p.issue(n, c, rec, "document date of type %q; not mapped", typ.text)
			}
		case "Comment", "DocumentedNameReference", "IDRegDocumentMention":
		default:
			p.issue(n, c, rec, "unknown element <%s> in <IDRegDocument>; not mapped", c.Data)
		}
	})
	return p.put(tDocument, identity, &d)
}

func (p *advParser) party(n *xmlquery.Node) error {
	fixed := n.SelectAttr("FixedRef")
	rec := fixed
	pa := advParty{Line: p.st.LineOf(n, nil), FixedRef: fixed}
	var profile *xmlquery.Node
	children(n, func(c *xmlquery.Node) {
		switch c.Data {
		case "Comment":
			pa.Comment = text(c)
		case "Profile":
			if profile != nil {
				p.issue(n, c, rec, "a second <Profile> in <DistinctParty>; ignored")
				return
			}
			profile = c
		default:
			p.issue(n, c, rec, "unknown element <%s> in <DistinctParty>; not mapped", c.Data)
		}
	})
	if profile == nil {
		p.issue(n, nil, rec, "<DistinctParty> without <Profile>; skipped")
		return nil
	}
	pid, ok := p.id(n, profile, rec, "ID")
	if !ok {
		return nil
	}
	pa.Profile = pid
	if sub, ok := p.ref(n, profile, rec, "PartySubType", "PartySubTypeID"); ok {
		pt, ok := p.refs.lookup("PartyType", sub.attr("PartyTypeID"))
		if !ok {
			p.issue(n, profile, rec, "<PartySubType> %s names PartyTypeID=%q, which is not in <PartyTypeValues>", profile.SelectAttr("PartySubTypeID"), sub.attr("PartyTypeID"))
		}
		switch {
		case pt.text == "Transport":
			pa.Type = sub.text // Vessel, Aircraft
		default:
			pa.Type = pt.text // Individual, Entity
		}
	}
	children(profile, func(c *xmlquery.Node) {
		switch c.Data {
		case "Identity":
			p.identity(n, c, rec, &pa)
		case "Feature":
			p.feature(n, c, rec, &pa)
		case "Comment", "ProfileMention", "SanctionsEntryReference", "ExternalReference":
		default:
			p.issue(n, c, rec, "unknown element <%s> in <Profile>; not mapped", c.Data)
		}
	})
	if p.store.Has(spill.Key{Table: tParty, ID: pid}) {
		p.issue(n, nil, rec, "Profile ID %d is repeated; this party skipped", pid)
		return nil
	}
	p.order = append(p.order, pid)
	t := advTarget{FixedRef: fixed}
	if typ, ok := entityType(pa.Type); ok {
		t.Type = typ
	}
	for _, nm := range pa.Names {
		if nm.Primary {
			last, first := nameParts(nm)
			t.Name = lastFirst(last, first)
			break
		}
	}
	for _, id := range pa.Identities {
		// Marks the identity as a party's, for the documents that name
		// one no party has (orphans).
		if err := p.store.Put(spill.Key{Table: tIdentity, ID: id}, nil); err != nil {
			return fmt.Errorf("%s: %w", p.s.files.name, err)
		}
	}
	if err := p.put(tTarget, pid, &t); err != nil {
		return err
	}
	return p.put(tParty, pid, &pa)
}

func (p *advParser) identity(n, idn *xmlquery.Node, rec string, pa *advParty) {
	if id, ok := p.id(n, idn, rec, "ID"); ok {
		pa.Identities = append(pa.Identities, id)
	}
	// Name part groups first: the parts of every name refer to them.
	groups := map[string]string{}
	if g := child(idn, "NamePartGroups"); g != nil {
		children(g, func(m *xmlquery.Node) {
			children(m, func(grp *xmlquery.Node) {
				if grp.Data != "NamePartGroup" {
					return
				}
				if v, ok := p.ref(n, grp, rec, "NamePartType", "NamePartTypeID"); ok {
					groups[grp.SelectAttr("ID")] = v.text
				}
			})
		})
	}
	children(idn, func(a *xmlquery.Node) {
		switch a.Data {
		case "Alias":
			p.alias(n, a, rec, groups, pa)
		case "NamePartGroups", "Comment":
		default:
			p.issue(n, a, rec, "unknown element <%s> in <Identity>; not mapped", a.Data)
		}
	})
}

func (p *advParser) alias(n, a *xmlquery.Node, rec string, groups map[string]string, pa *advParty) {
	typ, _ := p.ref(n, a, rec, "AliasType", "AliasTypeID")
	primary := a.SelectAttr("Primary") == "true"
	low := a.SelectAttr("LowQuality") == "true"
	var names []advName
	latin := -1
	children(a, func(dn *xmlquery.Node) {
		if dn.Data != "DocumentedName" {
			if dn.Data != "Comment" {
				p.issue(n, dn, rec, "unknown element <%s> in <Alias>; not mapped", dn.Data)
			}
			return
		}
		nm := advName{AliasType: typ.text, Low: low}
		if st, ok := p.ref(n, dn, rec, "DocNameStatus", "DocNameStatusID"); ok && st.text == "Primary Latin" && latin < 0 {
			latin = len(names)
		}
		children(dn, func(part *xmlquery.Node) {
			if part.Data != "DocumentedNamePart" {
				return
			}
			v := child(part, "NamePartValue")
			if v == nil {
				return
			}
			g := v.SelectAttr("NamePartGroupID")
			ptype, ok := groups[g]
			if !ok {
				p.issue(n, v, rec, "<NamePartValue> NamePartGroupID=%q is not a <NamePartGroup> of its identity", g)
			}
			if sc, ok := p.ref(n, v, rec, "Script", "ScriptID"); ok {
				nm.Script = sc.attr("ScriptCode")
			}
			nm.Parts = append(nm.Parts, [2]string{ptype, text(v)})
		})
		names = append(names, nm)
	})
	if primary && len(names) > 0 {
		// The Latin form is the name as published; others (original
		// scripts) are aliases.
		if latin < 0 {
			latin = 0
		}
		names[latin].Primary = true
	}
	pa.Names = append(pa.Names, names...)
}

func (p *advParser) feature(n, f *xmlquery.Node, rec string, pa *advParty) {
	typ, ok := p.ref(n, f, rec, "FeatureType", "FeatureTypeID")
	if !ok {
		return
	}
	children(f, func(v *xmlquery.Node) {
		if v.Data != "FeatureVersion" {
			if v.Data != "IdentityReference" && v.Data != "Comment" {
				p.issue(n, v, rec, "unknown element <%s> in <Feature>; not mapped", v.Data)
			}
			return
		}
		ft := advFeature{ID: f.SelectAttr("ID"), Type: typ.text}
		children(v, func(c *xmlquery.Node) {
			switch c.Data {
			case "VersionDetail":
				if c.SelectAttr("DetailReferenceID") != "" {
					if d, ok := p.ref(n, c, rec, "DetailReference", "DetailReferenceID"); ok {
						ft.Value = d.text
					}
				} else if t := text(c); t != "" {
					ft.Value = t
				}
			case "DatePeriod":
				ft.Date = p.period(n, c, rec, "<Feature> %s (%s)", ft.ID, ft.Type)
			case "VersionLocation":
				if id, ok := p.id(n, c, rec, "LocationID"); ok {
					ft.Location, ft.Line = id, p.st.LineOf(n, c)
				}
			case "Comment", "VersionReference":
			default:
				p.issue(n, c, rec, "unknown element <%s> in <FeatureVersion>; not mapped", c.Data)
			}
		})
		pa.Features = append(pa.Features, ft)
	})
}

func (p *advParser) relation(n *xmlquery.Node) error {
	rec := "ProfileRelationship " + n.SelectAttr("ID")
	from, ok1 := p.id(n, n, rec, "From-ProfileID")
	to, ok2 := p.id(n, n, rec, "To-ProfileID")
	typ, ok3 := p.ref(n, n, rec, "RelationType", "RelationTypeID")
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	r := advRelation{Line: p.st.LineOf(n, nil), ID: n.SelectAttr("ID"), From: from, To: to, Type: typ.text, Former: n.SelectAttr("Former") == "true"}
	return p.put(tRelation, from, &r)
}

func (p *advParser) sanctionsEntry(n *xmlquery.Node) error {
	rec := "SanctionsEntry " + n.SelectAttr("ID")
	profile, ok := p.id(n, n, rec, "ProfileID")
	if !ok {
		return nil
	}
	e := advEntry{Line: p.st.LineOf(n, nil), ID: n.SelectAttr("ID")}
	if v, ok := p.ref(n, n, rec, "List", "ListID"); ok {
		e.List = v.text
	}
	children(n, func(c *xmlquery.Node) {
		switch c.Data {
		case "EntryEvent":
			if d := child(c, "Date"); d != nil {
				if iso, ok := ymd(d); ok && (e.Date == "" || iso < e.Date) {
					e.Date = iso
				}
			}
			if c.SelectAttr("LegalBasisID") != "" {
				if v, ok := p.ref(n, c, rec, "LegalBasis", "LegalBasisID"); ok && v.text != "Unknown" {
					e.Basis = append(e.Basis, v.text)
				}
			}
		case "SanctionsMeasure":
			typ, ok := p.ref(n, c, rec, "SanctionsType", "SanctionsTypeID")
			if !ok {
				return
			}
			// Program tags sit in the comment of the measure of type
			// "Program"; other measures name what the listing imposes.
			if typ.text == "Program" {
				if cm := child(c, "Comment"); cm != nil && text(cm) != "" {
					e.Programs = append(e.Programs, text(cm))
				} else {
					p.issue(n, c, rec, "program measure without a program tag")
				}
				return
			}
			e.Measures = append(e.Measures, typ.text)
		case "Comment":
		default:
			p.issue(n, c, rec, "unknown element <%s> in <SanctionsEntry>; not mapped", c.Data)
		}
	})
	return p.put(tEntry, profile, &e)
}

// period renders dp as periodText does. A period with bounds but no date
// in them is an issue, not a date silently left out; an empty one says
// nothing.
func (p *advParser) period(n, dp *xmlquery.Node, rec, of string, args ...any) string {
	s, ok := periodText(dp)
	if !ok && (child(dp, "Start") != nil || child(dp, "End") != nil) {
		p.issue(n, dp, rec, "<DatePeriod> of "+of+" is not a date; not mapped", args...)
	}
	return s
}

// ymd reads a <Year><Month><Day> element into an ISO date.
func ymd(n *xmlquery.Node) (string, bool) {
	y, m, d, ok := dateParts(n)
	if !ok || m == 0 || d == 0 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// dateParts reads Year, Month and Day (month and day may be absent: 0).
func dateParts(n *xmlquery.Node) (y, m, d int, ok bool) {
	get := func(name string) (int, bool) {
		c := child(n, name)
		if c == nil {
			return 0, true
		}
		v, err := strconv.Atoi(strings.TrimSpace(c.InnerText()))
		return v, err == nil
	}
	y, ok1 := get("Year")
	m, ok2 := get("Month")
	d, ok3 := get("Day")
	return y, m, d, ok1 && ok2 && ok3 && y > 0 && m >= 0 && m <= 12 && d >= 0 && d <= 31
}

package ofac

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// Bad input for the advanced XML: every case is the real 2020-03-17
// CONS_ADVANCED.XML with one edit made here, so that the parser meets the
// damage among the records it really reads. Expected lines are computed
// from the edited bytes.

const (
	advFile     = "CONS_ADVANCED.XML"
	advTestdata = "us_ofac_cons/2020-03-17/cons_advanced.xml.gz"
	// advParties is the number of <DistinctParty> in the file.
	advParties = 375
)

func parseAdvancedBytes(t testing.TB, data []byte) *sourcetest.Parsed {
	t.Helper()
	return sourcetest.ParseInput(t, NewConsolidated(Config{TempDir: t.TempDir()}),
		sourcetest.InputOf(t, "advanced", map[string][]byte{advFile: data}))
}

// lineAt is the line of byte off of data.
func lineAt(data []byte, off int) int { return 1 + bytes.Count(data[:off], []byte("\n")) }

// indexOnce is the offset of s in data, which must hold it exactly once.
func indexOnce(t testing.TB, data []byte, s string) int {
	t.Helper()
	if n := bytes.Count(data, []byte(s)); n != 1 {
		t.Fatalf("%q occurs %d times in %s, want once", s, n, advFile)
	}
	return bytes.Index(data, []byte(s))
}

// without removes data[from:to].
func without(data []byte, from, to int) []byte {
	return append(bytes.Clone(data[:from]), data[to:]...)
}

// TestAdvancedRefused: a file whose code tables are missing or cut, a
// file cut anywhere, an HTML page and an empty file are refused with an
// error naming the file and the line, and nothing is emitted.
func TestAdvancedRefused(t *testing.T) {
	data := readTestdata(t, advTestdata)
	rvs := indexOnce(t, data, "  <ReferenceValueSets>")
	locs := indexOnce(t, data, "  <Locations>")
	noRefs := without(data, rvs, locs)
	// The records the file then holds start with the first <Location>.
	noRefsLine := lineAt(noRefs, bytes.Index(noRefs, []byte("<Location ")))
	// Nothing but <DateOfIssue>: no record stands where the code tables
	// should, so the parser learns they are missing only at the end.
	bare := without(data, rvs, indexOnce(t, data, "</Sanctions>"))
	emptyRefs := slices.Concat(data[:rvs], []byte("  <ReferenceValueSets />\r\n"), data[locs:])
	cutRefs := data[:indexOnce(t, data, "<NamePartTypeValues>")]
	// Inside the text of a name of the first party.
	cutParty := data[:indexOnce(t, data, "Abdul Salah</NamePartValue>")]
	cutEnd := data[:indexOnce(t, data, "</Sanctions>")]
	html := []byte("<!DOCTYPE html>\r\n<html>\r\n<head><title>503 Service Unavailable</title></head>\r\n<body><h1>Service Unavailable</h1></body>\r\n</html>\r\n")
	for _, c := range []struct {
		name       string
		data       []byte
		line       int
		want       string
		incomplete bool
	}{
		{"ReferenceValueSets removed", noRefs, noRefsLine, "<Location> comes before <ReferenceValueSets>", true},
		{"ReferenceValueSets and every record removed", bare, lineAt(bare, len(bare)), "no <ReferenceValueSets>", true},
		{"ReferenceValueSets empty", emptyRefs, lineAt(emptyRefs, rvs), "<ReferenceValueSets> has no <AliasTypeValues>", true},
		{"cut in ReferenceValueSets", cutRefs, lineAt(cutRefs, len(cutRefs)), "inside <ReferenceValueSets> (from line 8)", true},
		{"cut in DistinctParties", cutParty, lineAt(cutParty, len(cutParty)), fmt.Sprintf("inside <DistinctParty> (from line %d)", lineAt(data, indexOnce(t, data, `<DistinctParty FixedRef="9639">`))), true},
		{"cut before </Sanctions>", cutEnd, lineAt(cutEnd, len(cutEnd)), "before the </Sanctions> that ends the document: truncated", true},
		{"HTML error page", html, lineAt(html, bytes.Index(html, []byte("<html>"))), "root element <html> (an HTML page, not the list)", false},
		{"empty file", nil, 0, "empty file", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := parseAdvancedBytes(t, c.data)
			checkRefusal(t, p, c.line, c.want, c.incomplete)
		})
	}
}

// checkRefusal asserts a *sources.RecordError naming the file at line,
// holding want, wrapping sources.ErrIncomplete where incomplete, and no
// entity emitted.
func checkRefusal(t *testing.T, p *sourcetest.Parsed, line int, want string, incomplete bool) {
	t.Helper()
	sourcetest.CheckRecordError(t, p.Err, advFile, want)
	var re *sources.RecordError
	errors.As(p.Err, &re)
	if re.Line != line {
		t.Errorf("error at line %d, want %d: %v", re.Line, line, p.Err)
	}
	if got := errors.Is(p.Err, sources.ErrIncomplete); got != incomplete {
		t.Errorf("errors.Is(err, ErrIncomplete) = %v, want %v: %v", got, incomplete, p.Err)
	}
	if len(p.Emitted) != 0 {
		t.Errorf("%d entities emitted from a refused file", len(p.Emitted))
	}
}

// TestAdvancedMissingTable: a <ReferenceValueSets> without one of the code
// tables the mapping reads is refused at its own line, naming the table.
func TestAdvancedMissingTable(t *testing.T) {
	data := readTestdata(t, advTestdata)
	for _, name := range requiredTables {
		t.Run(name, func(t *testing.T) {
			open := indexOnce(t, data, "    <"+name+"Values>")
			end := indexOnce(t, data, "</"+name+"Values>\r\n") + len("</"+name+"Values>\r\n")
			edited := without(data, open, end)
			p := parseAdvancedBytes(t, edited)
			line := lineAt(edited, indexOnce(t, edited, "<ReferenceValueSets>"))
			checkRefusal(t, p, line, "<ReferenceValueSets> has no <"+name+"Values>", true)
		})
	}
}

// TestAdvancedUnresolved: a reference to an id the file does not define is
// one issue naming the element, the attribute and the id at the edited
// element's line; the rest of the file parses as before.
func TestAdvancedUnresolved(t *testing.T) {
	data := readTestdata(t, advTestdata)
	base := parseAdvancedBytes(t, data)
	if base.Err != nil || len(base.Entities) != advParties || base.IssuesTotal != 0 {
		t.Fatalf("unedited file: err %v, %d entities, %d issues; want nil, %d, 0:\n%s",
			base.Err, len(base.Entities), base.IssuesTotal, advParties, sourcetest.Join(sourcetest.IssueStrings(base.Issues)))
	}
	relatedTo := func(e *entity.Entity, fixedRef string) bool {
		return slices.ContainsFunc(e.Relations, func(r entity.Relation) bool { return r.TargetID == entity.MakeID("us_ofac_cons", fixedRef) })
	}
	hasID := func(e *entity.Entity, value string) bool {
		return slices.ContainsFunc(e.Identifiers, func(id entity.Identifier) bool { return strings.Contains(id.Value, value) })
	}
	for _, c := range []struct {
		name string
		// context is unique in the file; old, inside it, becomes new, and
		// the issue's line is that of new.
		context, old, new string
		want              []string // in the issue's text
		record            string   // the issue's record
		changed           string   // the one party whose entity changes
		// check compares the changed party's entity with the unedited one.
		check func(was, got *entity.Entity) string
	}{
		{
			name:    "FeatureTypeID",
			context: `<Feature ID="4696" FeatureTypeID="8">`, old: `"8"`, new: `"999999"`,
			want: []string{"<Feature>", `FeatureTypeID="999999"`, "<FeatureTypeValues>"}, record: "9639", changed: "9639",
			check: func(was, got *entity.Entity) string {
				if len(was.BirthDates) != 1 || len(got.BirthDates) != 0 {
					return fmt.Sprintf("birth dates %v, were %v: want the one of the unknown feature gone", got.BirthDates, was.BirthDates)
				}
				return ""
			},
		},
		{
			name:    "VersionLocation LocationID",
			context: `<VersionLocation LocationID="12128" />`, old: `"12128"`, new: `"99999999"`,
			want: []string{"<VersionLocation>", "99999999"}, record: "9641", changed: "9641",
			check: func(was, got *entity.Entity) string {
				if len(got.Addresses) >= len(was.Addresses) {
					return fmt.Sprintf("addresses %v, were %v: want the undefined location's gone", got.Addresses, was.Addresses)
				}
				return ""
			},
		},
		{
			name:    "IDRegDocument IdentityID",
			context: `<IDRegDocument ID="9477" IDRegDocTypeID="1585" IdentityID="8757"`, old: `"8757"`, new: `"99999999"`,
			want: []string{"IDRegDocument 9477", "IdentityID", "99999999"}, changed: "17013",
			check: func(was, got *entity.Entity) string {
				if !hasID(was, "1027739609391") || hasID(got, "1027739609391") {
					return "want document 1027739609391 gone from party 17013"
				}
				return ""
			},
		},
		{
			name:    "ProfileRelationship To-ProfileID",
			context: `<ProfileRelationship ID="2211" From-ProfileID="18267" To-ProfileID="17022"`, old: `"17022"`, new: `"99999999"`,
			want: []string{"ProfileRelationship 2211", "To-ProfileID", "99999999"}, record: "18267", changed: "18267",
			check: func(was, got *entity.Entity) string {
				if !relatedTo(was, "17022") || relatedTo(got, "17022") {
					return fmt.Sprintf("relations %v, were %v: want the one to 17022 gone", got.Relations, was.Relations)
				}
				return ""
			},
		},
		{
			name:    "ProfileRelationship From-ProfileID",
			context: `<ProfileRelationship ID="2211" From-ProfileID="18267"`, old: `"18267"`, new: `"99999999"`,
			want: []string{"ProfileRelationship 2211", "From-ProfileID", "99999999"}, changed: "18267",
			check: func(was, got *entity.Entity) string {
				if !relatedTo(was, "17022") || relatedTo(got, "17022") {
					return fmt.Sprintf("relations %v, were %v: want the one to 17022 gone", got.Relations, was.Relations)
				}
				return ""
			},
		},
		{
			name:    "SanctionsEntry ProfileID",
			context: `<SanctionsEntry ID="10009639" ProfileID="9639"`, old: `"9639"`, new: `"99999999"`,
			want: []string{"SanctionsEntry 10009639", "ProfileID", "99999999"}, changed: "9639",
			check: func(was, got *entity.Entity) string {
				// The party keeps its other entry, on the Consolidated List.
				if len(was.Listings) != 1 || was.Listings[0].List != "PLC" || len(got.Listings) != 1 || got.Listings[0].List != "CONS" {
					return fmt.Sprintf("listings %v, were %v: want PLC replaced by CONS", got.Listings, was.Listings)
				}
				return ""
			},
		},
		{
			name:    "NamePartGroupID",
			context: `<NamePartValue NamePartGroupID="38252"`, old: `"38252"`, new: `"99999999"`,
			want: []string{"<NamePartValue>", `NamePartGroupID="99999999"`, "<NamePartGroup>"}, record: "9639", changed: "9639",
			check: func(was, got *entity.Entity) string {
				// The part of unknown type is kept, not dropped.
				if !strings.Contains(strings.ToUpper(got.Name), "ISMAIL ABDUL SALAH") {
					return fmt.Sprintf("name %q, was %q: want the part kept", got.Name, was.Name)
				}
				return ""
			},
		},
		{
			name:    "LocationCountry CountryID",
			context: "<Location ID=\"12128\">\r\n      <LocationAreaCode AreaCodeID=\"91021\" />\r\n      <LocationCountry CountryID=\"91021\"", old: `CountryID="91021"`, new: `CountryID="99999999"`,
			want: []string{"<LocationCountry>", `CountryID="99999999"`, "<CountryValues>"}, record: "Location 12128",
			// Party 9641's place of birth keeps its country: the
			// location's area code names the same one.
		},
		{
			name:    "IDRegDocument IssuedBy-CountryID",
			context: `<IDRegDocument ID="9477" IDRegDocTypeID="1585" IdentityID="8757" IssuedBy-CountryID="11171"`, old: `"11171"`, new: `"99999999"`,
			want: []string{"<IDRegDocument>", `IssuedBy-CountryID="99999999"`, "<CountryValues>"}, record: "IDRegDocument 9477", changed: "17013",
			check: func(was, got *entity.Entity) string {
				country := func(e *entity.Entity) string {
					for _, id := range e.Identifiers {
						if id.Value == "1027739609391" {
							return id.Country + "/" + id.CountryRaw
						}
					}
					return "none"
				}
				if country(was) == "/" || country(got) != "/" {
					return fmt.Sprintf("document 1027739609391 country %q, was %q: want it blank, the document kept", country(got), country(was))
				}
				return ""
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			at := indexOnce(t, data, c.context)
			i := strings.LastIndex(c.context, c.old)
			edited := slices.Concat(data[:at+i], []byte(c.new), data[at+i+len(c.old):])
			line := lineAt(edited, at+i)
			p := parseAdvancedBytes(t, edited)
			if p.Err != nil {
				t.Fatalf("parse: %v", p.Err)
			}
			issues := sourcetest.IssueStrings(p.Issues)
			if p.IssuesTotal != 1 {
				t.Fatalf("%d issues, want 1:\n%s", p.IssuesTotal, sourcetest.Join(issues))
			}
			is := p.Issues[0]
			if is.File != advFile || is.Line != line || is.Record != c.record {
				t.Errorf("issue %s, want it at %s:%d, record %q", issues[0], advFile, line, c.record)
			}
			for _, w := range c.want {
				if !strings.Contains(is.Problem, w) {
					t.Errorf("issue %q does not name %s", is.Problem, w)
				}
			}
			// Every party is still an entity: a broken reference loses
			// the fact it carries, never the party.
			if len(p.Entities) != advParties {
				t.Errorf("%d entities, want %d", len(p.Entities), advParties)
			}
			var changed []string
			for _, e := range p.Entities {
				was := base.ByID[e.ID]
				if was == nil || sourcetest.Canonical(was) != sourcetest.Canonical(e) {
					changed = append(changed, e.SourceID)
				}
			}
			want := []string(nil)
			if c.changed != "" {
				want = []string{c.changed}
			}
			if !slices.Equal(changed, want) {
				t.Fatalf("entities changed: %v, want %v", changed, want)
			}
			if c.check != nil {
				if msg := c.check(base.BySourceID[c.changed], p.BySourceID[c.changed]); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// TestAdvancedNoSanctionsEntry: a party whose every <SanctionsEntry> names
// another profile is still an entity, listed nowhere, with an issue for
// it and one for each entry.
func TestAdvancedNoSanctionsEntry(t *testing.T) {
	data := readTestdata(t, advTestdata)
	edited := data
	var lines []int
	for _, entry := range []string{"70009639", "10009639"} {
		old := `<SanctionsEntry ID="` + entry + `" ProfileID="9639"`
		at := indexOnce(t, edited, old)
		edited = slices.Concat(edited[:at], []byte(`<SanctionsEntry ID="`+entry+`" ProfileID="99999999"`), edited[at+len(old):])
		lines = append(lines, lineAt(edited, at))
	}
	p := parseAdvancedBytes(t, edited)
	if p.Err != nil {
		t.Fatalf("parse: %v", p.Err)
	}
	party := lineAt(edited, indexOnce(t, edited, `<DistinctParty FixedRef="9639">`))
	want := []string{
		fmt.Sprintf("%s:%d:9639: party 9639 has no <SanctionsEntry>: listed under no list or program", advFile, party),
		fmt.Sprintf("%s:%d:: SanctionsEntry 70009639 ProfileID names 99999999, which no party of the file has; not mapped", advFile, lines[0]),
		fmt.Sprintf("%s:%d:: SanctionsEntry 10009639 ProfileID names 99999999, which no party of the file has; not mapped", advFile, lines[1]),
	}
	if got := sourcetest.IssueStrings(p.Issues); !slices.Equal(got, want) {
		t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
	}
	if len(p.Entities) != advParties {
		t.Errorf("%d entities, want %d", len(p.Entities), advParties)
	}
	if e := p.Entity(t, "9639"); len(e.Listings) != 0 || len(e.Programs) != 0 {
		t.Errorf("9639: listings %v, programs %v; want none", e.Listings, e.Programs)
	}
}

// TestAdvancedRepeatedProfile: a party whose Profile ID an earlier party
// has is the one case of the file's references that loses a party: it is
// skipped with an issue (which of the two the relations and entries of
// that id mean cannot be told), and its own entries, naming its
// FixedRef's profile 9640 that no party now has, are issues too.
func TestAdvancedRepeatedProfile(t *testing.T) {
	data := readTestdata(t, advTestdata)
	base := parseAdvancedBytes(t, data)
	at := indexOnce(t, data, `<Profile ID="9640"`)
	edited := slices.Concat(data[:at], []byte(`<Profile ID="9639"`), data[at+len(`<Profile ID="9640"`):])
	p := parseAdvancedBytes(t, edited)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	want := []string{
		fmt.Sprintf("%s:%d:9640: Profile ID 9639 is repeated; this party skipped", advFile, lineAt(edited, indexOnce(t, edited, `<DistinctParty FixedRef="9640">`))),
		fmt.Sprintf("%s:%d:: SanctionsEntry 70009640 ProfileID names 9640, which no party of the file has; not mapped", advFile, lineAt(edited, indexOnce(t, edited, `<SanctionsEntry ID="70009640"`))),
		fmt.Sprintf("%s:%d:: SanctionsEntry 10009640 ProfileID names 9640, which no party of the file has; not mapped", advFile, lineAt(edited, indexOnce(t, edited, `<SanctionsEntry ID="10009640"`))),
	}
	if got := sourcetest.IssueStrings(p.Issues); !slices.Equal(got, want) {
		t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(want))
	}
	if len(p.Entities) != advParties-1 || p.BySourceID["9640"] != nil {
		t.Errorf("%d entities (9640 among them: %v), want %d without 9640", len(p.Entities), p.BySourceID["9640"] != nil, advParties-1)
	}
	if sourcetest.Canonical(p.Entity(t, "9639")) != sourcetest.Canonical(base.Entity(t, "9639")) {
		t.Errorf("9639 changed:\n%s\nwas:\n%s", sourcetest.Canonical(p.Entity(t, "9639")), sourcetest.Canonical(base.Entity(t, "9639")))
	}
}

// datePeriod parses a <DatePeriod> snippet; a bound is "" (absent), "Y",
// "Y-M" or "Y-M-D".
func datePeriod(t *testing.T, startFrom, startTo, endFrom, endTo string, approximate bool) *xmlquery.Node {
	t.Helper()
	date := func(tag, v string) string {
		if v == "" {
			return ""
		}
		s := "<" + tag + ">"
		for i, p := range strings.Split(v, "-") {
			name := []string{"Year", "Month", "Day"}[i]
			s += "<" + name + ">" + p + "</" + name + ">"
		}
		return s + "</" + tag + ">"
	}
	bound := func(tag, from, to string) string {
		if from == "" && to == "" {
			return ""
		}
		return fmt.Sprintf(`<%s Approximate="%v">%s%s</%s>`, tag, approximate, date("From", from), date("To", to), tag)
	}
	doc, err := xmlquery.Parse(strings.NewReader(`<DatePeriod CalendarTypeID="1">` +
		bound("Start", startFrom, startTo) + bound("End", endFrom, endTo) + `</DatePeriod>`))
	if err != nil {
		t.Fatal(err)
	}
	return xmlquery.FindOne(doc, "//DatePeriod")
}

func TestPeriodText(t *testing.T) {
	for _, c := range []struct {
		name                               string
		startFrom, startTo, endFrom, endTo string
		approximate                        bool
		want                               string
		ok                                 bool
	}{
		{name: "exact day", startFrom: "1966-2-13", startTo: "1966-2-13", endFrom: "1966-2-13", endTo: "1966-2-13", want: "13 Feb 1966", ok: true},
		// OFAC's way of saying only the year is known (party 9639).
		{name: "whole year", startFrom: "1962-1-1", startTo: "1962-1-1", endFrom: "1962-12-31", endTo: "1962-12-31", want: "1962", ok: true},
		{name: "whole month", startFrom: "1966-2-1", endTo: "1966-2-28", want: "Feb 1966", ok: true},
		{name: "whole month, leap year", startFrom: "1964-2-1", endTo: "1964-2-29", want: "Feb 1964", ok: true},
		{name: "month less its last day", startFrom: "1964-2-1", endTo: "1964-2-28", want: "01 Feb 1964 to 28 Feb 1964", ok: true},
		{name: "year range", startFrom: "1960-1-1", startTo: "1960-1-1", endFrom: "1962-12-31", endTo: "1962-12-31", want: "1960 to 1962", ok: true},
		// Whole years, though written as days.
		{name: "1 Jan to 31 Dec of another year", startFrom: "1953-1-1", endTo: "1954-12-31", want: "1953 to 1954", ok: true},
		{name: "day range", startFrom: "1953-3-5", endTo: "1954-7-9", want: "05 Mar 1953 to 09 Jul 1954", ok: true},
		{name: "approximate", startFrom: "1962-1-1", endTo: "1962-12-31", approximate: true, want: "circa 1962", ok: true},
		{name: "approximate day", startFrom: "1970-6-2", endTo: "1970-6-2", approximate: true, want: "circa 02 Jun 1970", ok: true},
		// A bound without month or day is the first (last) of its year
		// or month.
		{name: "missing month and day", startFrom: "1975", endTo: "1975", want: "1975", ok: true},
		{name: "missing day", startFrom: "1975-4", endTo: "1975-4", want: "Apr 1975", ok: true},
		{name: "years without month or day", startFrom: "1970", endTo: "1972", want: "1970 to 1972", ok: true},
		{name: "Start only, From and To", startFrom: "1980", startTo: "1980", want: "1980", ok: true},
		{name: "End only", endFrom: "1981-5-6", endTo: "1981-5-6", want: "06 May 1981", ok: true},
		{name: "reversed range", startFrom: "1970-1-1", endTo: "1960-1-1", ok: false},
		{name: "31 Feb", startFrom: "1970-2-31", endTo: "1970-2-31", ok: false},
		{name: "month 13", startFrom: "1970-13-1", endTo: "1970-13-1", ok: false},
		{name: "year not a number", startFrom: "19x0", endTo: "19x0", ok: false},
		{name: "neither Start nor End", ok: false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, ok := periodText(datePeriod(t, c.startFrom, c.startTo, c.endFrom, c.endTo, c.approximate))
			if got != c.want || ok != c.ok {
				t.Errorf("periodText = %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestRelationType(t *testing.T) {
	const person, org = entity.Person, entity.Organization
	for _, c := range []struct {
		published string
		from, to  entity.Type
		want      string
	}{
		// Names OFAC publishes in <RelationTypeValues>.
		{"Owned or Controlled By", org, org, "owned_or_controlled_by"},
		{"Owned or Controlled By", entity.Vessel, org, "owned_or_controlled_by"},
		{"Owned or Controlled By", person, person, "owned_or_controlled_by"},
		{"Associate Of", person, person, "associate_of"},
		{"Providing support to", org, org, "providing_support_to"},
		{"Acting for or on behalf of", person, org, "acting_for_or_on_behalf_of"},
		{"Family member of", person, person, "family_member_of"},
		{"playing a significant role in", person, org, "playing_a_significant_role_in"},
		{"Leader or official of", person, org, "leader_or_official_of"},
		{"Principal Executive Officer", person, org, "principal_executive_officer"},
		{"Linked To", org, org, "linked_to"},
		// Separators and spacing.
		{"Agent/Proxy of", person, org, "agent_proxy_of"},
		{"Co-owner, Former.", org, org, "co_owner_former"},
		{"  Associate   Of ", person, person, "associate_of"},
		// Recorded the wrong way round: named as the facts read.
		{"Owned or Controlled By", person, org, "owns_or_controls"},
		{"Owned or Controlled By", person, entity.Vessel, "owns_or_controls"},
		{"Leader or official of", org, person, "led_by"},
	} {
		if got := relationType(c.published, c.from, c.to); got != c.want {
			t.Errorf("relationType(%q, %s, %s) = %q, want %q", c.published, c.from, c.to, got, c.want)
		}
	}
}

// TestAdvancedBadDatePeriod: a <DatePeriod> that is no date (31 Feb, a
// range that ends before it starts) is an issue at its line, not a date
// silently left blank.
func TestAdvancedBadDatePeriod(t *testing.T) {
	data := readTestdata(t, advTestdata)
	// A document date is read where the file has one (this publication
	// has none: one is added to document 9477).
	docDate := func(day string) string {
		return "      <DocumentDate IDRegDocDateTypeID=\"1480\">\r\n" +
			"        <DatePeriod CalendarTypeID=\"1\"><Start><From><Year>2010</Year><Month>2</Month><Day>" + day + "</Day></From></Start></DatePeriod>\r\n" +
			"      </DocumentDate>\r\n"
	}
	const number = "      <IDRegistrationNo>1027739609391</IDRegistrationNo>\r\n"
	issued := func(p *sourcetest.Parsed) string {
		for _, id := range p.Entity(t, "17013").Identifiers {
			if id.Value == "1027739609391" {
				return id.Issued
			}
		}
		t.Fatal("party 17013 lost document 1027739609391")
		return ""
	}
	at := indexOnce(t, data, number) + len(number)
	good := parseAdvancedBytes(t, slices.Concat(data[:at], []byte(docDate("13")), data[at:]))
	if good.Err != nil || good.IssuesTotal != 0 || issued(good) != "2010-02-13" {
		t.Fatalf("document dated 13 Feb 2010: err %v, issues %v, issued %q", good.Err, sourcetest.IssueStrings(good.Issues), issued(good))
	}
	bad := slices.Concat(data[:at], []byte(docDate("31")), data[at:])
	p := parseAdvancedBytes(t, bad)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	if issued(p) != "" {
		t.Errorf("31 Feb 2010 issued as %q", issued(p))
	}
	want := fmt.Sprintf("%s:%d:IDRegDocument 9477: <DatePeriod> of <DocumentDate> is not a date; not mapped",
		advFile, lineAt(bad, at+bytes.Index([]byte(docDate("31")), []byte("<DatePeriod"))))
	if got := sourcetest.IssueStrings(p.Issues); !slices.Equal(got, []string{want}) {
		t.Errorf("issues:\n%s\nwant:\n\t%s", sourcetest.Join(got), want)
	}

	// A birth date whose End lies before its Start.
	feature := indexOnce(t, data, `<Feature ID="4696" FeatureTypeID="8">`)
	period := feature + bytes.Index(data[feature:], []byte("<DatePeriod"))
	end := feature + bytes.Index(data[feature:], []byte("</DatePeriod>"))
	reversed := slices.Concat(data[:period], bytes.ReplaceAll(data[period:end], []byte("<Year>1962</Year>\r\n                  <Month>12</Month>"), []byte("<Year>1952</Year>\r\n                  <Month>12</Month>")), data[end:])
	p = parseAdvancedBytes(t, reversed)
	if p.Err != nil {
		t.Fatal(p.Err)
	}
	want = fmt.Sprintf("%s:%d:9639: <DatePeriod> of <Feature> 4696 (Birthdate) is not a date; not mapped", advFile, lineAt(reversed, period))
	if got := sourcetest.IssueStrings(p.Issues); !slices.Contains(got, want) {
		t.Errorf("issues:\n%s\nwant among them:\n\t%s", sourcetest.Join(got), want)
	}
	if e := p.Entity(t, "9639"); len(e.BirthDates) != 0 {
		t.Errorf("reversed period read as birth dates %v", e.BirthDates)
	}
}

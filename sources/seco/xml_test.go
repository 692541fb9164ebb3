package seco

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// excerptLines are the excerpt's lines: 1 the declaration, 2 the root,
// 3-9 the targets 5142, 5816, 5374, 44348, 85396, 34461, 52941, 10 the
// root's end.
func excerptLines(t testing.TB) []string {
	t.Helper()
	lines := strings.SplitAfter(string(readExcerpt(t)), "\n")
	if len(lines) < 10 || !strings.HasPrefix(lines[8], `<target ssid="52941">`) {
		t.Fatalf("the excerpt is not as testdata/ch_seco/README.md says")
	}
	return lines
}

// replaceLine returns the excerpt with line n (1-based) passed through f.
func replaceLine(t testing.TB, n int, f func(string) string) []byte {
	t.Helper()
	lines := excerptLines(t)
	lines[n-1] = f(lines[n-1])
	return []byte(strings.Join(lines, ""))
}

// TestBrokenFiles: a file that cannot be a whole list is refused with a
// *sources.RecordError naming the file and the line, wrapping
// sources.ErrIncomplete or sources.ErrLimit where the reason is one.
func TestBrokenFiles(t *testing.T) {
	whole := readExcerpt(t)
	cut := bytes.Index(whole, []byte(`<target ssid="85396">`)) + 300 // inside target 85396, line 7
	tests := []struct {
		name string
		data []byte
		want string // in the error text
		line int    // RecordError.Line (0: not checked)
		is   error  // wrapped, when set
	}{
		{"truncated inside a target", whole[:cut], "truncated", 7, sources.ErrIncomplete},
		{"truncated after a target", whole[:bytes.Index(whole, []byte(`<target ssid="34461">`))], "truncated", 8, sources.ErrIncomplete},
		{"empty", nil, "empty file", 0, nil},
		{"HTML error page", []byte("<!DOCTYPE html>\n<html lang=\"de\"><head><title>SESAM</title></head><body>Fehler</body></html>\n"),
			"root element <html> (an HTML page, not the list)", 2, nil},
		{"a list of changes", replaceLine(t, 2, func(s string) string { return strings.Replace(s, "whole-list", "delta-list", 1) }),
			`list-type "delta-list", not "whole-list": a snapshot needs the whole list`, 2, sources.ErrIncomplete},
		{"no list-type", replaceLine(t, 2, func(s string) string { return strings.Replace(s, ` list-type="whole-list"`, "", 1) }),
			`no list-type, not "whole-list"`, 2, sources.ErrIncomplete},
		{"a broken tag inside a target", replaceLine(t, 7, func(s string) string { return strings.Replace(s, "</name-part>", "</name-prt>", 1) }),
			"name-prt", 7, nil},
		{"no target", []byte(excerptLines(t)[0] + excerptLines(t)[1] + excerptLines(t)[9]), "no <target> in <swiss-sanctions-list>", 2, sources.ErrIncomplete},
		// The first pass keeps a place whole, up to the second's bound on
		// a record; the second refuses a text past its own bound.
		{"a 2 MiB text in a place", withLookups(t, `<place ssid="1"><location>`+strings.Repeat("x", 2<<20)+"</location></place>\n", ""),
			"a text of over 1048576 bytes", 3, sources.ErrLimit},
		{"a place of 9 MiB", withLookups(t, `<place ssid="1">`+strings.Repeat("<location>x</location>", 9<<20/22)+"</place>\n", ""),
			"a <place> longer than 8388608 bytes", 3, sources.ErrLimit},
		{"places nested past the depth bound", withLookups(t, `<place ssid="1">`+strings.Repeat("<a>", 70)+strings.Repeat("</a>", 70)+"</place>\n", ""),
			"past a size limit", 3, sources.ErrLimit},
		{"more places than any list", withLookups(t, strings.Repeat(`<place ssid="1"/>`, 10)+manyPlaces(maxPlaces+1), ""),
			fmt.Sprintf("more than %d places", maxPlaces), 3, sources.ErrLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parseBytes(t, tc.data)
			if p.Err == nil {
				t.Fatalf("no error (%d entities)", len(p.Emitted))
			}
			msg := p.Err.Error()
			if !strings.Contains(msg, FileName) || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not name %s and say %q", msg, FileName, tc.want)
			}
			var re *sources.RecordError
			if !errors.As(p.Err, &re) {
				t.Fatalf("error %v (%T) is not a *sources.RecordError", p.Err, p.Err)
			}
			if tc.line > 0 && (re.Line != tc.line || !strings.Contains(msg, fmt.Sprintf("line %d", tc.line))) {
				t.Errorf("line %d (%q), want %d", re.Line, msg, tc.line)
			}
			if tc.is != nil && !errors.Is(p.Err, tc.is) {
				t.Errorf("error %q does not wrap %v", msg, tc.is)
			}
		})
	}
}

// manyPlaces is n self-closed places with distinct ssids, one line.
func manyPlaces(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<place ssid="p%d"/>`, i)
	}
	return b.String() + "\n"
}

// TestMalformedTargets: a target that cannot be mapped, or an element or
// value that is not known, is an issue naming the line and the target;
// the rest of the file is mapped.
func TestMalformedTargets(t *testing.T) {
	tests := []struct {
		name     string
		line     int
		edit     func(string) string
		entities int      // of the 4 in force
		want     []string // issues other than the excerpt's own (TestIssues)
	}{
		{"target without ssid", 7, func(s string) string { return strings.Replace(s, `<target ssid="85396">`, `<target>`, 1) }, 3,
			[]string{`consolidated-list.xml:7:: <target> without ssid; skipped`}},
		{"target without body", 8, func(s string) string {
			return regexp.MustCompile(`<object .*</object>`).ReplaceAllString(s, "")
		}, 3, []string{`consolidated-list.xml:8:34461: <target> without <individual>, <entity> or <object>; skipped`}},
		{"target without name", 8, func(s string) string {
			return regexp.MustCompile(`<name .*</name>`).ReplaceAllString(s, "")
		}, 3, []string{`consolidated-list.xml:8:34461: <object> without a name; skipped`}},
		{"unknown element, attribute and value", 7, func(s string) string {
			s = strings.Replace(s, `<nationality ssid="85401">`, `<remark>Test</remark><nationality ssid="85401" kind="x">`, 1)
			s = strings.Replace(s, `sex="male"`, `sex="m"`, 1)
			return strings.Replace(s, `document-type="id-card"`, `document-type="residence-permit"`, 1)
		}, 4, []string{
			`consolidated-list.xml:7:85396: unknown element <remark> in <identity> with text "Test"; not mapped`,
			`consolidated-list.xml:7:85396: unknown attribute kind="x" on <nationality>; not mapped`,
			`consolidated-list.xml:7:85396: sex "m" is not male or female; not mapped`,
			`consolidated-list.xml:7:85396: unknown document-type "residence-permit"; identifier type other`,
		}},
		{"unknown name-type, quality and part type", 9, func(s string) string {
			s = strings.Replace(s, `name-type="formerly-known-as"`, `name-type="nickname"`, 1)
			s = strings.Replace(s, `<name ssid="52948" name-type="alias" quality="good"`, `<name ssid="52948" name-type="alias" quality="fair"`, 1)
			return strings.Replace(s, `name-part-type="maiden-name"`, `name-part-type="clan-name"`, 1)
		}, 4, []string{
			`consolidated-list.xml:9:52941: unknown name-type "nickname"; mapped as an alias`,
			`consolidated-list.xml:9:52941: unknown name-part-type "clan-name"; the part stays in the name, not in its parts`,
			`consolidated-list.xml:9:52941: name quality "fair" is not good or low; taken as good`,
		}},
		{"unknown modification-type", 8, func(s string) string {
			return strings.Replace(s, `modification-type="listed"`, `modification-type="corrected"`, 1)
		}, 4,
			[]string{
				`consolidated-list.xml:8:34461: unknown modification-type "corrected"; taken as an amendment (the target stays listed)`,
				`consolidated-list.xml:8:34461: no <modification modification-type="listed">; no listing date`,
			}},
		{"a calendar other than Gregorian", 9, func(s string) string { return strings.Replace(s, `calendar="Gregorian"`, `calendar="Islamic"`, 1) }, 4,
			[]string{`consolidated-list.xml:9:52941: date 1985-4-28 in calendar "Islamic"; kept as raw text only`}},
		{"a day without a month", 9, func(s string) string { return strings.Replace(s, ` month="4"`, ``, 1) }, 4,
			[]string{`consolidated-list.xml:9:52941: day-month-year 1985-??-28 is not a date; kept as raw text`}},
		{"a month that is no month", 9, func(s string) string { return strings.Replace(s, `month="4"`, `month="14"`, 1) }, 4,
			[]string{`consolidated-list.xml:9:52941: day-month-year 1985-14-28 is not a date; kept as raw text`}},
		{"text inside a date", 7, func(s string) string {
			return strings.Replace(s, `quality="good"></day-month-year>`, `quality="good">circa</day-month-year>`, 1)
		}, 4, []string{`consolidated-list.xml:7:85396: text "circa" directly inside <day-month-year>; not mapped`}},
		{"text directly in a target", 8, func(s string) string { return strings.Replace(s, `<sanctions-set-id>`, `stray<sanctions-set-id>`, 1) }, 4,
			[]string{`consolidated-list.xml:8:34461: text "stray" directly inside <target>; not mapped`}},
		{"unknown element in the root", 10, func(s string) string { return `<note>Test</note>` + s }, 4,
			[]string{`consolidated-list.xml:10:: unknown element <note> in <swiss-sanctions-list> with text "Test"; not mapped`}},
		{"a de-listed target is not read", 3, func(s string) string {
			return strings.Replace(s, `<justification ssid="29512">`, `<bogus/><justification ssid="29512" x="1">`, 1)
		}, 4, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, replaceLine(t, tc.line, tc.edit))
			var got []string
			for _, is := range p.Issues {
				if !strings.Contains(is.Problem, "resolves to no") {
					got = append(got, sourcetest.IssueString(is))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("issues:\n%s\nwant:\n%s", sourcetest.Join(got), sourcetest.Join(tc.want))
			}
			if len(p.Emitted) != tc.entities || p.Meta.Delisted != 3 {
				t.Errorf("%d entities, %d de-listed; want %d, 3", len(p.Emitted), p.Meta.Delisted, tc.entities)
			}
		})
	}
}

// TestCalendarNotParsed: a date in another calendar keeps its raw text,
// which the pipeline's date pass does not read as a Gregorian date.
func TestCalendarNotParsed(t *testing.T) {
	p := mustParse(t, replaceLine(t, 9, func(s string) string { return strings.Replace(s, `calendar="Gregorian"`, `calendar="Islamic"`, 1) }))
	e := p.Entity(t, "52941")
	var cov normalize.Coverage
	normalize.Entity(e, &cov)
	if len(e.BirthDates) != 1 || e.BirthDates[0].Raw != "1985-4-28 (Islamic calendar)" || e.BirthDates[0].Precision != "" || cov.DatesUnparsed != 1 {
		t.Errorf("birth dates %+v, coverage %+v", e.BirthDates, cov)
	}
}

// TestDayWithoutMonth: a day printed without its month is kept raw in a
// form nobody reads as a month ("1985-5" reads as May 1985), and the
// pipeline's date pass leaves it unparsed.
func TestDayWithoutMonth(t *testing.T) {
	p := mustParse(t, replaceLine(t, 9, func(s string) string {
		return strings.Replace(strings.Replace(s, ` month="4"`, ``, 1), `day="28"`, `day="5"`, 1)
	}))
	e := p.Entity(t, "52941")
	var cov normalize.Coverage
	normalize.Entity(e, &cov)
	if len(e.BirthDates) != 1 || e.BirthDates[0].Precision != "" || e.BirthDates[0].Raw != "1985-??-5" || cov.DatesUnparsed != 1 {
		t.Errorf("birth dates %+v", e.BirthDates)
	}
}

// TestMembership: whether a target is in force follows its latest
// modification by date, whatever the order printed; the copies of targets
// inside modifications never become entities.
func TestMembership(t *testing.T) {
	const mzkt = 6 // target 44348, in force in the excerpt
	tests := []struct {
		name     string
		edit     func(string) string
		inForce  bool
		listedOn string
	}{
		{"as published", func(s string) string { return s }, true, "2021-03-22"},
		{"de-listed, printed last but dated latest", func(s string) string {
			return replaceLast(s, `</target>`, `<modification modification-type="de-listed" enactment-date="2026-08-01" publication-date="2026-08-02" effective-date="2026-08-03"/></target>`)
		}, false, ""},
		{"de-listed, then listed again", func(s string) string {
			return strings.Replace(s, `<modification `, `<modification modification-type="listed" effective-date="2026-08-10"/><modification modification-type="de-listed" effective-date="2026-08-01"/><modification `, 1)
		}, true, "2026-08-10"},
		{"a de-listing without a date does not outrank a dated amendment", func(s string) string {
			return replaceLast(s, `</target>`, `<modification modification-type="de-listed"/></target>`)
		}, true, "2021-03-22"},
		{"a nested copy with its own ssid", func(s string) string {
			return strings.Replace(s, `<added><target ssid="44348">`, `<added><target ssid="777"><sanctions-set-id>1</sanctions-set-id><entity><identity ssid="1" main="true"><name ssid="2" name-type="primary-name"><name-part order="1" name-part-type="whole-name"><value>Test copy</value></name-part></name></identity></entity></target><target ssid="44348">`, 1)
		}, true, "2021-03-22"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, replaceLine(t, mzkt, tc.edit))
			e := p.BySourceID["44348"]
			if (e != nil) != tc.inForce {
				t.Fatalf("in force %v, want %v", e != nil, tc.inForce)
			}
			wantDelisted := 3
			if !tc.inForce {
				wantDelisted = 4
			}
			if p.Meta.Delisted != wantDelisted || len(p.Emitted)+p.Meta.Delisted != 7 || p.BySourceID["777"] != nil {
				t.Errorf("%d entities, %d de-listed, copy mapped: %v", len(p.Emitted), p.Meta.Delisted, p.BySourceID["777"] != nil)
			}
			if e != nil && e.ListedOn != tc.listedOn {
				t.Errorf("listed_on %q, want %q", e.ListedOn, tc.listedOn)
			}
		})
	}
}

// replaceLast replaces the last old in s (the top-level target's end tag
// comes after those of its nested copies).
func replaceLast(s, old, new string) string {
	i := strings.LastIndex(s, old)
	return s[:i] + new + s[i+len(old):]
}

// TestStartOfFile: a UTF-8 byte order mark is dropped with an issue; a
// document in another declared encoding is read through it by both passes.
func TestStartOfFile(t *testing.T) {
	bom := mustParse(t, append([]byte("\xef\xbb\xbf"), readExcerpt(t)...))
	if len(bom.Emitted) != 4 || len(bom.Issues) == 0 || bom.Issues[0].Problem != "UTF-8 byte order mark at the start; dropped" {
		t.Errorf("%d entities, issues %v", len(bom.Emitted), sourcetest.IssueStrings(bom.Issues))
	}
	lines := excerptLines(t)
	// The vessel target is ASCII; as Latin-1 it is the same bytes. A test-
	// made place gives the first pass something to decode.
	latin1 := strings.Replace(lines[0], "UTF-8", "ISO-8859-1", 1) + lines[1] + lines[7] +
		"<place ssid=\"1\"><location>Z\xfcrich</location></place>\n" + lines[9]
	p := mustParse(t, []byte(latin1))
	if len(p.Emitted) != 1 || p.Entity(t, "34461").Name != "Hui Chon" || p.Meta.PublicationDate != "2026-08-15" {
		t.Errorf("%d entities, meta %+v", len(p.Emitted), p.Meta)
	}
	if p.Err != nil || len(p.Issues) != 1 {
		t.Errorf("issues %v", sourcetest.IssueStrings(p.Issues))
	}
}

// TestTruncatedEverywhere: the excerpt cut at every target boundary and
// inside every target is refused, never parsed as a shorter list.
func TestTruncatedEverywhere(t *testing.T) {
	whole := readExcerpt(t)
	end := bytes.LastIndex(whole, []byte("</swiss-sanctions-list>"))
	for cut := 0; cut < end; cut += 997 {
		p := parseBytes(t, whole[:cut])
		if p.Err == nil || !strings.Contains(p.Err.Error(), FileName) {
			t.Fatalf("cut at byte %d: error %v, %d entities", cut, p.Err, len(p.Emitted))
		}
	}
	sourcetest.Run(t, New(Config{}), excerptDir) // the whole one still parses
}

// TestRootDate: the publication date is the root's date; one that is not
// an ISO date is an issue, and the list is read without one.
func TestRootDate(t *testing.T) {
	p := mustParse(t, replaceLine(t, 2, func(s string) string { return strings.Replace(s, `date="2026-08-15"`, `date="15.08.2026"`, 1) }))
	want := `consolidated-list.xml:2:: date "15.08.2026" on <swiss-sanctions-list> is not an ISO date; no publication date`
	if p.Meta.PublicationDate != "" || len(p.Issues) == 0 || sourcetest.IssueString(p.Issues[0]) != want || len(p.Emitted) != 4 {
		t.Errorf("meta %+v, issues %v", p.Meta, sourcetest.IssueStrings(p.Issues))
	}
}

// TestCancel: a cancelled context stops the parse with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var issues sources.Issues
	_, err := New(Config{}).Parse(ctx, inputOf(t, readExcerpt(t)), func(*entity.Entity) error { return nil }, &issues)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

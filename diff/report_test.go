package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// collect runs Compare into a new ReportBuilder.
func collect(t *testing.T, limit int, old, cur []*entity.Entity) (*ReportBuilder, Counts) {
	t.Helper()
	c := NewReportBuilder(limit)
	counts, err := Compare(SliceSnapshot(old), SliceSnapshot(cur), c.Add)
	if err != nil {
		t.Fatal(err)
	}
	return c, counts
}

func reports(t *testing.T, in ReportInput) (md, html string) {
	t.Helper()
	var m, h bytes.Buffer
	if err := WriteMarkdown(&m, in); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&h, in); err != nil {
		t.Fatal(err)
	}
	return m.String(), h.String()
}

func people(from, n int, mods ...func(*entity.Entity)) []*entity.Entity {
	var ents []*entity.Entity
	for i := from; i < from+n; i++ {
		ents = append(ents, person(fmt.Sprintf("%04d", i), mods...))
	}
	return ents
}

func TestReportLimit(t *testing.T) {
	male := func(e *entity.Entity) { e.Gender = "male" }
	// old: 0000-0009; new: 0000-0004 changed, 0005-0009 gone, 0010-0016 new.
	old := people(0, 10)
	cur := append(people(0, 5, male), people(10, 7)...)
	for _, tc := range []struct {
		name                 string
		collectLimit, limit  int
		added, removed, chgd int    // rows shown
		more                 string // expected "more" lines, joined
	}{
		{"no cap reached", 0, 0, 7, 5, 5, ""},
		{"report limit", 0, 3, 3, 3, 3, "4 more not shown; see delta.jsonl.gz|2 more not shown; see delta.jsonl.gz|2 more not shown; see delta.jsonl.gz"},
		{"collector limit", 2, 0, 2, 2, 2, "5 more not shown; see delta.jsonl.gz|3 more not shown; see delta.jsonl.gz|3 more not shown; see delta.jsonl.gz"},
		{"unlimited", -1, -1, 7, 5, 5, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, counts := collect(t, tc.collectLimit, old, cur)
			if c.Totals() != (Counts{Added: 7, Removed: 5, Changed: 5}) {
				t.Fatalf("totals %+v", c.Totals())
			}
			md, html := reports(t, ReportInput{Source: "us_ofac_sdn", Version: "v2", Counts: counts, Ops: c, Limit: tc.limit})
			for _, s := range []struct {
				title string
				rows  int
			}{{"Added (7)", tc.added}, {"Removed (5)", tc.removed}, {"Changed (5)", tc.chgd}} {
				section := md[strings.Index(md, "## "+s.title):]
				section = section[:strings.Index(section[3:], "## ")+3]
				if got := strings.Count(section, "| us_ofac_sdn-"); got != s.rows {
					t.Errorf("%s: %d rows in report.md, want %d", s.title, got, s.rows)
				}
			}
			gotMore := regexp.MustCompile(`\d+ more not shown; see delta.jsonl.gz`).FindAllString(md, -1)
			if strings.Join(gotMore, "|") != tc.more {
				t.Errorf("report.md more lines %q, want %q", gotMore, tc.more)
			}
			gotMore = regexp.MustCompile(`\d+ more not shown; see delta.jsonl.gz`).FindAllString(html, -1)
			if strings.Join(gotMore, "|") != tc.more {
				t.Errorf("report.html more lines %q, want %q", gotMore, tc.more)
			}
			if got := strings.Count(html, `<td class="id">`); got != tc.added+tc.removed+tc.chgd {
				t.Errorf("report.html: %d rows, want %d", got, tc.added+tc.removed+tc.chgd)
			}
		})
	}
}

func TestReportWithoutOps(t *testing.T) {
	// Counts without a ReportBuilder: nothing listed, nothing hidden silently.
	md, html := reports(t, ReportInput{Source: "s", Version: "v2", PreviousVersion: "v1",
		Counts: Counts{Added: 2, Removed: 0, Changed: 1, Unchanged: 5}, Issues: []Issue{{File: "SDN.CSV", Line: 4, Problem: "bad"}}, IssueTotal: 3, Limit: 1})
	for _, want := range []string{"2 more not shown; see delta.jsonl.gz", "1 more not shown; see delta.jsonl.gz", "2 more not shown; see manifest.json", "## Removed (0)\n\nNone."} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
		if want = strings.ReplaceAll(want, "## Removed (0)\n\n", "Removed (0)</h2>\n<p>"); !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// cells splits a Markdown table row on its unescaped pipes.
func cells(row string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row):
			cur.WriteByte(row[i])
			cur.WriteByte(row[i+1])
			i++
		case row[i] == '|':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return append(out, cur.String())
}

func TestMarkdownEscaping(t *testing.T) {
	odd := func(e *entity.Entity) {
		e.Name = "A|B\nC <script>alert(1)</script> *x* [y](z) `c` \\"
		e.Programs = []string{"P|1"}
	}
	old := []*entity.Entity{person("1"), person("2")}
	cur := []*entity.Entity{person("1", odd), person("3", odd)}
	c, counts := collect(t, 0, old, cur)
	md, _ := reports(t, ReportInput{Source: "s|x", Title: "T|<b>", Version: "v2", Counts: counts, Ops: c,
		Issues: []Issue{{File: "a|b.csv", Line: 7, Record: "r|1", Problem: "two\r\nlines"}}})
	checked := 0
	escaped := `A\|B<br>C \<script\>alert(1)\</script\> \*x\* \[y\](z) \` + "`c\\` " + `\\`
	for _, row := range strings.Split(md, "\n") {
		if !strings.HasPrefix(row, "| us_ofac_sdn-") && !strings.HasPrefix(row, "| a\\|") {
			continue
		}
		checked++
		if n := len(cells(row)); n != 6 { // 4 cells between 5 pipes
			t.Errorf("row has %d cells: %s", n-2, row)
		}
		if strings.HasPrefix(row, "| us_ofac_sdn-3") && !strings.Contains(row, "| "+escaped+" |") {
			t.Errorf("added row %s\nlacks %s", row, escaped)
		}
	}
	if checked != 5 { // added, removed, two changed fields, issue
		t.Errorf("%d rows checked, want 5:\n%s", checked, md)
	}
	for _, want := range []string{"# Sanctions list changes: T\\|\\<b\\> (s\\|x)", "| a\\|b.csv | 7 | r\\|1 | two<br>lines |", "| P\\|1 |", "+ P\\|1"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if regexp.MustCompile(`(^|[^\\])<script`).MatchString(md) {
		t.Error("report.md holds an unescaped <script")
	}
}

func TestHTMLEscapes(t *testing.T) {
	evil := func(e *entity.Entity) {
		e.Name = `<script>alert("x")</script> & Sons`
		e.Programs = []string{"<b>P</b>"}
		e.Remarks = "</td><script>bad()</script>"
	}
	old := []*entity.Entity{person("1"), person("2")}
	cur := []*entity.Entity{person("1", evil), person("3", evil)}
	c, counts := collect(t, 0, old, cur)
	_, html := reports(t, ReportInput{Source: "s", Title: "<script>t</script>", Version: "v2", PublicationDate: "<i>", Counts: counts, Ops: c,
		Issues: []Issue{{File: "<x>", Record: "<script>", Problem: "<script>"}}})
	if n := strings.Count(strings.ToLower(html), "<script"); n != 0 {
		t.Errorf("report.html holds %d raw <script", n)
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons", "&lt;b&gt;P&lt;/b&gt;", "&lt;/td&gt;&lt;script&gt;bad()&lt;/script&gt;", "<title>Sanctions list changes: &lt;script&gt;t&lt;/script&gt; (s)</title>"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Self-contained: no script, no external asset.
	for _, banned := range []string{"<script", "<link", "src=", "href=", "url(", "@import", "http:", "https:"} {
		if strings.Contains(strings.ToLower(html), banned) {
			t.Errorf("report.html holds %q", banned)
		}
	}
}

func TestReportDeterministic(t *testing.T) {
	progs := func(ps ...string) func(*entity.Entity) { return func(e *entity.Entity) { e.Programs = ps } }
	old := []*entity.Entity{person("1", progs("SDGT", "IRGC")), person("2", progs("CUBA")), vessel("4", progs("IRAN"))}
	cur := []*entity.Entity{
		person("1", progs("SDGT", "RUSSIA-EO14024")),
		vessel("4", progs("IRAN"), func(e *entity.Entity) { e.Vessel.Flag = "Iran" }),
		person("5", progs()), person("6", progs("ZIMBABWE", "BALKANS")),
	}
	c, counts := collect(t, 0, old, cur)
	in := ReportInput{Source: "us_ofac_sdn", Title: "SDN", Version: "v2", PreviousVersion: "v1", PublicationDate: "03/12/2024",
		PublishedAt: time.Date(2024, 3, 12, 18, 43, 0, 0, time.FixedZone("EST", -5*3600)),
		EntityCount: 4, CountsByType: map[string]int{"person": 3, "vessel": 1, "zeppelin": 0}, Counts: counts, Ops: c}
	md0, html0 := reports(t, in)
	for range 20 {
		if md, html := reports(t, in); md != md0 || html != html0 {
			t.Fatal("reports differ between writes")
		}
	}
	wantProgramRows := "| BALKANS | 1 | 0 | 0 |\n| CUBA | 0 | 1 | 0 |\n| IRAN | 0 | 0 | 1 |\n| IRGC | 0 | 0 | 1 |\n| RUSSIA-EO14024 | 0 | 0 | 1 |\n| SDGT | 0 | 0 | 1 |\n| ZIMBABWE | 1 | 0 | 0 |\n| (none) | 1 | 0 | 0 |\n"
	wantTypeRows := "| person | 3 | 2 | 1 | 1 |\n| organization | 0 | 0 | 0 | 0 |\n| vessel | 1 | 0 | 0 | 1 |\n| aircraft | 0 | 0 | 0 | 0 |\n| unknown | 0 | 0 | 0 | 0 |\n| zeppelin | 0 | 0 | 0 | 0 |\n"
	for _, want := range []string{
		"- **Published at:** 2024-03-12T23:43:00Z\n",
		"- **Publication date:** 03/12/2024\n",
		"| 4 | +2 | -1 | ~2 | 0 |\n",
		wantProgramRows, wantTypeRows,
		"| us_ofac_sdn-1 | DOE, John 1 | programs | − IRGC<br>+ RUSSIA-EO14024 |\n",
		"| us_ofac_sdn-4 | SEA STAR 4 | vessel | flag: Panama → Iran |\n",
		"| us_ofac_sdn-6 | person | DOE, John 6 | BALKANS, ZIMBABWE |\n",
	} {
		if !strings.Contains(md0, want) {
			t.Errorf("report.md lacks\n%s\nin\n%s", want, md0)
		}
	}
}

func TestDescribeChange(t *testing.T) {
	long := "DOB 01 Jan 1970; POB Paris, France; nationality France; Gender Male; Passport 12AB34567 (France); Linked To: SOME TRADING COMPANY LIMITED."
	longNoParts := strings.Repeat("word ", 30) + "OLD" + strings.Repeat(" tail", 30)
	for _, tc := range []struct {
		field, before, after, want string
	}{
		{"name", `"A"`, `"B"`, "A → B"},
		{"gender", ``, `"male"`, "(none) → male"},
		{"gender", `"male"`, ``, "male → (none)"},
		{"programs", `["A","B"]`, `["B","C"]`, "− A\n+ C"},
		{"programs", ``, `["A"]`, "+ A"},
		{"programs", `["A","B"]`, `["B","A"]`, "(same elements, new order)"},
		{"names", `[{"value":"X","kind":"primary"}]`, `[{"value":"X","kind":"primary"},{"value":"Y","kind":"alias"}]`, "+ Y (alias)"},
		{"names", `[{"value":"X","kind":"alias","normalized":"x"}]`, `[{"value":"X","kind":"alias","normalized":"x2"}]`,
			"− {\"value\":\"X\",\"kind\":\"alias\",\"normalized\":\"x\"}\n+ {\"value\":\"X\",\"kind\":\"alias\",\"normalized\":\"x2\"}"},
		{"identifiers", `[]`, `[{"type":"passport","value":"12AB","country":"FR"}]`, "+ passport: 12AB (FR)"},
		{"nationalities", `[{"code":"FR","raw":"France"}]`, `[{"code":"DE","raw":"Germany"}]`, "− France (FR)\n+ Germany (DE)"},
		{"birth_dates", ``, `[{"value":"1970","precision":"year","approximate":true}]`, "+ circa 1970"},
		{"relations", ``, `[{"type":"linked_to","target_id":"x-1","target_name":"ACME"}]`, "+ linked_to: ACME (x-1)"},
		{"addresses", ``, `[{"city":"Paris","country":"FR"}]`, "+ Paris, FR"},
		{"listings", `[{"list":"SDN","programs":["IRAN"],"start":"2019-01-01"}]`, `[{"list":"SDN","programs":["IRAN"],"start":"2019-01-01","end":"2026-01-01","notice":"88 FR 1234"}]`,
			"− SDN: IRAN 2019-01-01\n+ SDN: IRAN 2019-01-01 – 2026-01-01 (88 FR 1234)"},
		{"vessel", `{"flag":"Panama","imo":"1"}`, `{"flag":"Iran","owner":"X"}`, "flag: Panama → Iran\nowner: (none) → X\nimo: 1 → (none)"},
		{"vessel", ``, `{"flag":"Iran"}`, "flag: (none) → Iran"},
		{"remarks", `"` + long + `"`, `"` + strings.TrimSuffix(strings.Replace(long, "Gender Male; ", "", 1), ".") + `; a.k.a. 'X'."`, "− Gender Male\n+ a.k.a. 'X'"},
		{"remarks", `"` + longNoParts + `"`, `"` + strings.Replace(longNoParts, "OLD", "NEW", 1) + `"`,
			"…word word word word word word OLD tail tail tail tail tail tail… → …word word word word word word NEW tail tail tail tail tail tail…"},
	} {
		got := describeChange(Change{Field: tc.field, Before: json.RawMessage(tc.before), After: json.RawMessage(tc.after)})
		if got != tc.want {
			t.Errorf("%s %s → %s:\n got %q\nwant %q", tc.field, tc.before, tc.after, got, tc.want)
		}
	}
}

func FuzzDescribeText(f *testing.F) {
	f.Add("DOB 1970; POB Paris; nationality France; Gender Male", "DOB 1970; POB Lyon; nationality France", 40)
	f.Add(strings.Repeat("é", 80), strings.Repeat("é", 79)+"è", 0)
	f.Add(strings.Repeat("日本 ", 50), strings.Repeat("日本 ", 49)+"中国", 3)
	f.Fuzz(func(t *testing.T, before, after string, pad int) {
		pad = min(max(pad, 0), 200)
		before, after = strings.Repeat("x ", pad)+before, strings.Repeat("x ", pad)+after
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(after)
		got := describeChange(Change{Field: "remarks", Before: b, After: a})
		if utf8.ValidString(before) && utf8.ValidString(after) && !utf8.ValidString(got) {
			t.Errorf("invalid UTF-8 from %q → %q: %q", before, after, got)
		}
		if before != after && got == "" {
			t.Error("empty description")
		}
	})
}

package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
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
	c := NewReportBuilderIn(t.TempDir(), limit)
	t.Cleanup(func() { c.Close() })
	counts, err := Compare(SliceSnapshot(old), SliceSnapshot(cur), c.Add)
	if err != nil {
		t.Fatal(err)
	}
	return c, counts
}

// reports writes both reports; in.Ops can write report.html once.
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

// section is the Markdown from "## title" to the next "## ".
func section(md, title string) string {
	i := strings.Index(md, "## "+title)
	if i < 0 {
		return ""
	}
	s := md[i:]
	if j := strings.Index(s[3:], "\n## "); j >= 0 {
		s = s[:j+4]
	}
	return s
}

var cardID = regexp.MustCompile(`<article class="card k-(add|remove|change)" id="([^"]+)"`)

// cardIDs lists the ids of report.html's cards in page order.
func cardIDs(html string) []string {
	var ids []string
	for _, m := range cardID.FindAllStringSubmatch(html, -1) {
		ids = append(ids, m[2])
	}
	return ids
}

func TestReportLimit(t *testing.T) {
	male := func(e *entity.Entity) { e.Gender = "male" }
	// old: 0000-0009; new: 0000-0004 changed, 0005-0009 gone, 0010-0016 new.
	old := people(0, 10)
	cur := append(people(0, 5, male), people(10, 7)...)
	for _, tc := range []struct {
		name                 string
		collectLimit, limit  int
		added, removed, chgd int    // rows report.md shows
		more                 string // expected "more" lines, joined
	}{
		{"default", 0, 0, 7, 5, 5, ""},
		{"report limit", 0, 3, 3, 3, 3, "4 more in report.html and delta.jsonl.gz|2 more in report.html and delta.jsonl.gz|2 more in report.html and delta.jsonl.gz"},
		{"collector limit", 2, 0, 2, 2, 2, "5 more in report.html and delta.jsonl.gz|3 more in report.html and delta.jsonl.gz|3 more in report.html and delta.jsonl.gz"},
		{"unlimited", -1, -1, 7, 5, 5, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, counts := collect(t, tc.collectLimit, old, cur)
			if c.Totals() != (Counts{Added: 7, Removed: 5, Changed: 5}) {
				t.Fatalf("totals %+v", c.Totals())
			}
			md, html := reports(t, ReportInput{Source: "us_ofac_sdn", Version: "v2", PreviousVersion: "v1", Counts: counts, Ops: c, Limit: tc.limit})
			for _, s := range []struct {
				title string
				rows  int
			}{{"Added (7)", tc.added}, {"Removed (5)", tc.removed}, {"Changed (5)", tc.chgd}} {
				if got := strings.Count(section(md, s.title), "| us_ofac_sdn-"); got != s.rows {
					t.Errorf("%s: %d rows in report.md, want %d", s.title, got, s.rows)
				}
			}
			gotMore := regexp.MustCompile(`\d+ more in report.html and delta.jsonl.gz`).FindAllString(md, -1)
			if strings.Join(gotMore, "|") != tc.more {
				t.Errorf("report.md more lines %q, want %q", gotMore, tc.more)
			}
			// report.html has no cap: every entity, once.
			ids := cardIDs(html)
			if len(ids) != 17 || len(setOf(ids...)) != 17 {
				t.Errorf("report.html: %d cards (%d ids), want 17", len(ids), len(setOf(ids...)))
			}
			if strings.Contains(html, "more not shown") {
				t.Error("report.html leaves entities out")
			}
		})
	}
}

func TestReportWithoutOps(t *testing.T) {
	// Counts without a ReportBuilder: nothing listed, nothing hidden silently.
	md, html := reports(t, ReportInput{Source: "s", Version: "v2", PreviousVersion: "v1",
		Counts: Counts{Added: 2, Removed: 0, Changed: 1, Unchanged: 5}, Issues: []Issue{{File: "SDN.CSV", Line: 4, Problem: "bad"}}, IssueTotal: 3, Limit: 1})
	for _, want := range []string{"2 more not shown; see delta.jsonl.gz", "1 more not shown; see delta.jsonl.gz", "2 more not shown; see manifest.json", "## Removed (0)\n\nNone.", "| 0 | +2 | 0 | ~1 | 5 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
	for _, want := range []string{"this report was written from counts only", "2 more issues were counted but not kept", `<td class="n n-add">&#43;2</td>`} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if n := len(cardIDs(html)); n != 0 {
		t.Errorf("%d cards without ops", n)
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
	md, _ := reports(t, ReportInput{Source: "s|x", Title: "T|<b>", Version: "v2", PreviousVersion: "v1", Counts: counts, Ops: c,
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
	if checked != 4 { // added, removed, changed, issue
		t.Errorf("%d rows checked, want 4:\n%s", checked, md)
	}
	for _, want := range []string{"# Sanctions list changes: T\\|\\<b\\> (s\\|x)", "| a\\|b.csv | 7 | r\\|1 | two<br>lines |", "| P\\|1 |", "| P\\|1, SDGT | name, programs |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q in\n%s", want, md)
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
		e.Identifiers = []entity.Identifier{{Type: "passport", Value: `"><img src=x onerror=alert(1)>`}}
	}
	old := []*entity.Entity{person("1"), person("2")}
	cur := []*entity.Entity{person("1", evil), person("3", evil)}
	c, counts := collect(t, 0, old, cur)
	_, html := reports(t, ReportInput{Source: "s", Title: "<script>t</script>", Version: "v2", PreviousVersion: "v1", PublicationDate: "<i>", Counts: counts, Ops: c,
		Issues: []Issue{{File: "<x>", Record: "<script>", Problem: "<script>"}}})
	if n := strings.Count(strings.ToLower(html), "<script"); n != 1 {
		t.Errorf("report.html holds %d <script, want the page's own one", n)
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons",
		"&lt;b&gt;P&lt;/b&gt;", "&lt;/td&gt;&lt;script&gt;bad()&lt;/script&gt;",
		"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;",
		"<title>Sanctions list changes: &lt;script&gt;t&lt;/script&gt; (s)</title>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// The family of "<b>P</b>" is an unknown tag: its slug is safe in ids.
	if !regexp.MustCompile(`data-fam="p-b-p-b-[0-9a-f]{6}"`).MatchString(html) {
		t.Error("no sanitized family slug for <b>P</b>")
	}
	// Self-contained: links only inside the page, no asset loaded.
	for _, banned := range []string{"<link", "src=\"", "<img", "url(", "@import", "http:", "https:", "//"} {
		if strings.Contains(strings.ToLower(strings.ReplaceAll(html, "&lt;img", "")), banned) {
			t.Errorf("report.html holds %q", banned)
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("link out of the page: %s", m[0])
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
	write := func() (string, string) {
		c, counts := collect(t, 0, old, cur)
		in := ReportInput{Source: "us_ofac_sdn", Title: "SDN", Version: "v2", PreviousVersion: "v1", PublicationDate: "03/12/2024",
			PublishedAt: time.Date(2024, 3, 12, 18, 43, 0, 0, time.FixedZone("EST", -5*3600)),
			EntityCount: 4, CountsByType: map[string]int{"person": 3, "vessel": 1, "zeppelin": 0}, Counts: counts, Ops: c}
		return reports(t, in)
	}
	md0, html0 := write()
	for range 3 {
		if md, html := write(); md != md0 || html != html0 {
			t.Fatal("reports of the same comparison differ")
		}
	}
	// Families in table order, then unknown tags, then none: an entity
	// counts under each family of its programs before and after.
	wantFamilyRows := "| Russia/Ukraine | 0 | 0 | 1 |\n| Iran | 0 | 0 | 2 |\n| Terrorism | 0 | 0 | 1 |\n| Cuba | 0 | 1 | 0 |\n| Balkans | 1 | 0 | 0 |\n| Zimbabwe | 1 | 0 | 0 |\n| (no program) | 1 | 0 | 0 |\n"
	wantTypeRows := "| person | 3 | 2 | 1 | 1 |\n| organization | 0 | 0 | 0 | 0 |\n| vessel | 1 | 0 | 0 | 1 |\n| aircraft | 0 | 0 | 0 | 0 |\n| unknown | 0 | 0 | 0 | 0 |\n| zeppelin | 0 | 0 | 0 | 0 |\n"
	for _, want := range []string{
		"- **Published at:** 2024-03-12T23:43:00Z\n",
		"- **Publication date:** 03/12/2024\n",
		"| 4 | +2 | -1 | ~2 | 0 |\n",
		wantFamilyRows, wantTypeRows,
		"| us_ofac_sdn-1 | DOE, John 1 | IRGC, RUSSIA-EO14024, SDGT | programs |\n",
		"| us_ofac_sdn-4 | SEA STAR 4 | IRAN | vessel |\n",
		"| us_ofac_sdn-6 | person | DOE, John 6 | BALKANS, ZIMBABWE |\n",
		"[report.html](report.html)",
	} {
		if !strings.Contains(md0, want) {
			t.Errorf("report.md lacks\n%s\nin\n%s", want, md0)
		}
	}
	// Sections: each card under its first family, kinds in order.
	want := []string{"us_ofac_sdn-1", "us_ofac_sdn-4", "us_ofac_sdn-2", "us_ofac_sdn-6", "us_ofac_sdn-5"}
	if got := cardIDs(html0); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("cards in order %v, want %v", got, want)
	}
	for _, want := range []string{`<section class="fam" id="fam-russia-ukraine">`, `<div class="kind" id="fam-iran-change"><h3>Changed (1)</h3>`,
		`<div class="kind" id="fam-cuba-remove"><h3>Removed (1)</h3>`, `id="fam-none"`,
		`data-fam="russia-ukraine iran terrorism"`, `<div class="f">vessel.flag</div><div class="b"><del>Panama</del></div><div class="a"><ins>Iran</ins></div>`} {
		if !strings.Contains(html0, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
}

// A first version lists every entity in both reports' terms, and says so;
// it pointed at delta.jsonl.gz, which is empty for a first version.
func TestFirstVersionReport(t *testing.T) {
	ents := ofacEntities(ofacRows(t, sdnDay1))
	c := NewReportBuilderIn(t.TempDir(), 0)
	defer c.Close()
	if _, err := CarryCompare(nil, ents, "20240311T184300Z", c.Add); err != nil {
		t.Fatal(err)
	}
	n := len(ents)
	// As the pipeline does: the first version's delta and counts are empty.
	md, html := reports(t, ReportInput{Source: "us_ofac_sdn", Version: "20240311T184300Z", EntityCount: n, Counts: Counts{}, Ops: c})
	for _, want := range []string{
		fmt.Sprintf("First version: %s entities, all added.", thousands(n)),
		fmt.Sprintf("| %d | 0 | 0 | 0 | 0 |", n),
		fmt.Sprintf("## Entities of the first version (%d)", n),
		fmt.Sprintf("*%d more in report.html*", n-DefaultLimit),
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(md, "## Removed") || strings.Contains(md, "## Changed") {
		t.Error("report.md of a first version has removed or changed sections")
	}
	if strings.Contains(md, "more not shown") || strings.Contains(md, "more in report.html and delta") {
		t.Error("report.md sends the reader of a first version to its empty delta")
	}
	if got := strings.Count(section(md, "Entities of the first version"), "| us_ofac_sdn-"); got != DefaultLimit {
		t.Errorf("report.md lists %d entities, want %d", got, DefaultLimit)
	}
	ids := cardIDs(html)
	if len(ids) != n || len(setOf(ids...)) != n {
		t.Fatalf("report.html: %d cards, want %d", len(ids), n)
	}
	listed := setOf(ids...)
	for _, e := range ents {
		if !listed[e.ID] {
			t.Fatalf("report.html lacks %s", e.ID)
		}
	}
	for _, want := range []string{fmt.Sprintf("First version: %d entities, all added", n), `<p class="banner first" id="first">`} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

func TestReprocessBanner(t *testing.T) {
	c, counts := collect(t, 0, people(0, 2), people(1, 2))
	md, html := reports(t, ReportInput{Source: "s", Version: "v3", PreviousVersion: "v2", Reason: ReasonReprocess, ReprocessedFrom: "v2", Counts: counts, Ops: c})
	const says = "This version was made by sanctions-etl from the raw files of version v2 (reprocess), not from a new publication"
	if !strings.Contains(md, "> **"+says) || !strings.Contains(html, `<p class="banner" id="reprocess">`+says) {
		t.Errorf("no reprocess banner:\n%s", md)
	}
	c2, counts2 := collect(t, 0, people(0, 2), people(1, 2))
	md, html = reports(t, ReportInput{Source: "s", Version: "v2", PreviousVersion: "v1", Reason: "publication", Counts: counts2, Ops: c2})
	if strings.Contains(md, "reprocess") || strings.Contains(html, `id="reprocess"`) {
		t.Error("a publication's report says reprocess")
	}
}

// The cards spill to the builder's folder, are read back once by
// WriteHTML and removed; Close removes them when no page is written.
func TestCardsSpillToDisk(t *testing.T) {
	files := func(dir string) int {
		des, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(des)
	}
	old := people(0, 300)
	cur := people(100, 300, func(e *entity.Entity) { e.Gender = "female" })
	for _, write := range []bool{true, false} {
		dir := t.TempDir()
		c := NewReportBuilderIn(dir, 0)
		c.budget = 16 << 10
		counts, err := Compare(SliceSnapshot(old), SliceSnapshot(cur), c.Add)
		if err != nil {
			t.Fatal(err)
		}
		if n := files(dir); n < 5 {
			t.Fatalf("%d run files for %d cards in 16 KiB runs", n, counts.Added+counts.Removed+counts.Changed)
		}
		if write {
			var page bytes.Buffer
			if err := c.WriteHTML(&page, ReportInput{Source: "us_ofac_sdn", Version: "v2", PreviousVersion: "v1", Counts: counts}); err != nil {
				t.Fatal(err)
			}
			if ids := cardIDs(page.String()); len(ids) != 400 || len(setOf(ids...)) != 400 {
				t.Errorf("%d cards from disk, want 400", len(ids))
			}
			if err := c.WriteHTML(&page, ReportInput{}); !errors.Is(err, ErrCardsWritten) {
				t.Errorf("second WriteHTML: %v", err)
			}
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if n := files(dir); n != 0 {
			t.Errorf("write %v: %d files left", write, n)
		}
		var md bytes.Buffer // report.md needs no card
		if err := c.WriteMarkdown(&md, ReportInput{Source: "s", PreviousVersion: "v1", Counts: counts}); err != nil || !strings.Contains(md.String(), "## Changed (200)") {
			t.Errorf("report.md after Close: %v\n%s", err, md.String())
		}
	}
}

func TestFamilyOf(t *testing.T) {
	for _, tc := range []struct{ tag, family string }{
		// OFAC
		{"DPRK3", "DPRK (North Korea)"}, {"DPRK-NKSPEA", "DPRK (North Korea)"},
		{"RUSSIA-EO14024", "Russia/Ukraine"}, {"UKRAINE-EO13662", "Russia/Ukraine"}, {"CAATSA - RUSSIA", "Russia/Ukraine"}, {"PEESA-EO14039", "Russia/Ukraine"},
		{"IRAN-EO13846", "Iran"}, {"IRGC", "Iran"}, {"IFSR", "Iran"}, {"CAATSA - IRAN", "Iran"}, {"FSE-IR", "Iran"}, {"ISA", "Iran"},
		{"SDGT", "Terrorism"}, {"FTO", "Terrorism"}, {"HIFPAA", "Terrorism"},
		{"SDNTK", "Narcotics/organized crime"}, {"ILLICIT-DRUGS-EO14059", "Narcotics/organized crime"}, {"TCO", "Narcotics/organized crime"},
		{"NPWMD", "Proliferation"}, {"CYBER2", "Cyber"}, {"GLOMAG", "Human rights/corruption"}, {"HK-EO13936", "Human rights/corruption"},
		{"SOMALIA", "Somalia"}, {"MALI-EO13882", "Mali"}, {"SOUTH SUDAN", "Sudan/South Sudan"}, {"DARFUR", "Sudan/South Sudan"},
		{"CAR", "Central African Republic"}, {"DRCONGO", "DR Congo"}, {"BALKANS-EO14033", "Balkans"}, {"BURMA-EO14014", "Burma/Myanmar"},
		{"HRIT-SY", "Syria"}, {"FSE-SY", "Syria"}, {"CMIC-EO13959", "Chinese military companies"},
		// UN, Australia, Canada, UK, EU
		{"DPRK", "DPRK (North Korea)"}, {"Al-Qaida", "Terrorism"}, {"Taliban", "Afghanistan/Taliban"}, {"GB", "Guinea-Bissau"}, {"SouthSudan", "Sudan/South Sudan"}, {"DRC", "DR Congo"},
		{"1718 (DPRK)", "DPRK (North Korea)"}, {"1267 Committee (ISIL & Al-Qaida)", "Terrorism"}, {"Autonomous (Russia)", "Russia/Ukraine"},
		{"Autonomous (Thematic - Cyber)", "Cyber"}, {"Autonomous (Thematic – Corruption)", "Human rights/corruption"}, {"2713 (Al-Shabaab)", "Terrorism"},
		{"Russia Schedule 1, Part 2", "Russia/Ukraine"}, {"Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)", "Human rights/corruption"}, {"Burma", "Burma/Myanmar"},
		{"The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019", "DPRK (North Korea)"},
		{"Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019", "Terrorism"},
		{"PRK", "DPRK (North Korea)"}, {"TAQA", "Terrorism"}, {"IRQ", "Iraq"},
		// Unknown tags keep their name.
		{"ELECTION-EO13848", "ELECTION-EO13848"}, {"Autonomous (Vessels)", "Autonomous (Vessels)"}, {"CARIBBEAN", "CARIBBEAN"}, {"sanctions-set 4387", "sanctions-set 4387"},
	} {
		if got, _ := familyOf(tc.tag); got != tc.family {
			t.Errorf("familyOf(%q) = %q, want %q", tc.tag, got, tc.family)
		}
	}
	if s := familySlug("Russia/Ukraine"); s != "russia-ukraine" {
		t.Errorf("slug %q", s)
	}
	if a, b := familySlug("NS PLC"), familySlug("NS-PLC"); a == b || !strings.HasPrefix(a, "p-ns-plc-") {
		t.Errorf("slugs of two unknown tags: %q %q", a, b)
	}
	if s := familySlug(noFamily); s != "none" {
		t.Errorf("slug of no program %q", s)
	}
}

func TestWordDiff(t *testing.T) {
	type seg = segment
	for _, tc := range []struct {
		before, after string
		want          []segment
	}{
		{"a b c", "a x c", []seg{{segEqual, "a "}, {segDel, "b"}, {segIns, "x"}, {segEqual, " c"}}},
		{"same", "same", []seg{{segEqual, "same"}}},
		{"", "new text", []seg{{segIns, "new text"}}},
		{"old text", "", []seg{{segDel, "old text"}}},
		// A reworded phrase is one change, not a word salad.
		{"DOB 1970; POB Paris, France.", "DOB 1971; POB Lyon, France.", []seg{{segEqual, "DOB "}, {segDel, "1970"}, {segIns, "1971"}, {segEqual, "; POB "}, {segDel, "Paris"}, {segIns, "Lyon"}, {segEqual, ", France."}}},
		{"Passport 123 (Iran)", "Passport 123 (Iran); alt. Passport 456 (Iran)", []seg{{segEqual, "Passport 123 (Iran)"}, {segIns, "; alt. Passport 456 (Iran)"}}},
		{"one two three", "one too tree", []seg{{segEqual, "one "}, {segDel, "two three"}, {segIns, "too tree"}}},
		{"Москва, ул. Ленина", "Москва, ул. Тверская", []seg{{segEqual, "Москва, ул. "}, {segDel, "Ленина"}, {segIns, "Тверская"}}},
	} {
		got := wordDiff(tc.before, tc.after)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("wordDiff(%q, %q)\n got %v\nwant %v", tc.before, tc.after, got, tc.want)
		}
	}
	// Bounded: two long texts that share nothing in the middle are one
	// removal and one addition, not a 200x200 table.
	a, b := strings.Repeat("alpha ", 300), strings.Repeat("beta ", 300)
	if got := wordDiff("x "+a+"y", "x "+b+"y"); len(got) != 4 || got[1].Op != segDel || got[2].Op != segIns {
		t.Errorf("long texts: %d segments", len(got))
	}
}

func FuzzWordDiff(f *testing.F) {
	f.Add("DOB 1970; POB Paris, France.", "DOB 1971; POB Lyon, France.")
	f.Add("", "x")
	f.Add("日本 中国", "日本 韓国")
	f.Fuzz(func(t *testing.T, before, after string) {
		var b, a strings.Builder
		for _, sg := range wordDiff(before, after) {
			if sg.Text == "" {
				t.Fatal("empty segment")
			}
			if sg.Op != segIns {
				b.WriteString(sg.Text)
			}
			if sg.Op != segDel {
				a.WriteString(sg.Text)
			}
		}
		if b.String() != before || a.String() != after {
			t.Errorf("segments of %q → %q rebuild %q → %q", before, after, b.String(), a.String())
		}
	})
}

func TestChangeRows(t *testing.T) {
	for _, tc := range []struct {
		name, field, before, after string
		want                       []cmpRow
	}{
		{"scalar", "name", `"VTB BANK OAO"`, `"VTB BANK PJSC"`, []cmpRow{{"name", "VTB BANK <del>OAO</del>", "VTB BANK <ins>PJSC</ins>"}}},
		{"absent before", "gender", ``, `"male"`, []cmpRow{{"gender", none, "<ins>male</ins>"}}},
		{"escaped", "name", `"<b>"`, `"<i>"`, []cmpRow{{"name", "&lt;<del>b</del>&gt;", "&lt;<ins>i</ins>&gt;"}}},
		{"array paired", "addresses", `[{"city":"Paris","country":"FR"},{"city":"Rome","country":"IT"}]`, `[{"city":"Lyon","country":"FR"},{"city":"Rome","country":"IT"}]`,
			[]cmpRow{{"addresses", `<div class="el"><del>Paris</del>, FR</div><div class="same">1 unchanged</div>`, `<div class="el"><ins>Lyon</ins>, FR</div><div class="same">1 unchanged</div>`}}},
		{"array added", "programs", `["A"]`, `["A","B","C"]`, []cmpRow{{"programs", `<div class="same">1 unchanged</div>`, `<div class="el"><ins>B</ins></div><div class="el"><ins>C</ins></div><div class="same">1 unchanged</div>`}}},
		{"array alike", "addresses", `[{"full":"29 Rue X, Paris","city":"Paris"}]`, `[{"full":"29 Rue X, Paris"}]`,
			[]cmpRow{{"addresses", `<div class="el">29 Rue X, Paris <del>(city: Paris)</del></div>`, `<div class="el">29 Rue X, Paris <ins>(city: (none))</ins></div>`}}},
		{"array order", "programs", `["A","B"]`, `["B","A"]`, []cmpRow{{"programs", `<span class="none">(same elements, new order)</span>`, `<span class="none">(same elements, new order)</span>`}}},
		{"object", "vessel", `{"flag":"Panama","imo":"1"}`, `{"flag":"Iran","imo":"1"}`, []cmpRow{{"vessel.flag", "<del>Panama</del>", "<ins>Iran</ins>"}}},
	} {
		got := changeRows(Change{Field: tc.field, Before: json.RawMessage(tc.before), After: json.RawMessage(tc.after)})
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
	// A long text is cut to the words around its change.
	long := strings.Repeat("word ", 60)
	rows := changeRows(Change{Field: "remarks", Before: json.RawMessage(`"` + long + `OLD ` + long + `"`), After: json.RawMessage(`"` + long + `NEW ` + long + `"`)})
	for i, side := range []string{rows[0].Before, rows[0].After} {
		mark := []string{"<del>OLD</del>", "<ins>NEW</ins>"}[i]
		if !strings.HasPrefix(side, "… word") || !strings.HasSuffix(side, "word …") || !strings.Contains(side, " "+mark+" ") || len(side) > 2*elideKeep+30 {
			t.Errorf("long text: %q", side)
		}
	}
	// An array of many elements shows maxListed of them and says how many more.
	var many []string
	for i := range 30 {
		many = append(many, fmt.Sprintf("%q", fmt.Sprint("P", i)))
	}
	rows = changeRows(Change{Field: "programs", After: json.RawMessage("[" + strings.Join(many, ",") + "]")})
	if n := strings.Count(rows[0].After, `class="el"`); n != maxListed || !strings.Contains(rows[0].After, "and 18 more") {
		t.Errorf("30 elements: %d shown: %s", n, rows[0].After)
	}
}

// A remarks change that restates the structured changes is folded; one
// that says something new is not.
func TestRemarksFold(t *testing.T) {
	passport := func(e *entity.Entity) {
		e.Identifiers = []entity.Identifier{{Type: "passport", Value: "K1234567", Raw: "Passport K1234567 (Iran)", Country: "IR", CountryRaw: "Iran"}}
		e.Remarks = "DOB 01 Jan 1970; POB Paris, France; Passport K1234567 (Iran)."
	}
	news := func(e *entity.Entity) {
		e.Identifiers = []entity.Identifier{{Type: "passport", Value: "K1234567", Raw: "Passport K1234567 (Iran)", Country: "IR", CountryRaw: "Iran"}}
		e.Remarks = "DOB 01 Jan 1970; POB Paris, France; Passport K1234567 (Iran); Secondary sanctions risk: section 1245."
	}
	c, counts := collect(t, 0, people(0, 2), []*entity.Entity{person("0000", passport), person("0001", news)})
	_, html := reports(t, ReportInput{Source: "s", Version: "v2", PreviousVersion: "v1", Counts: counts, Ops: c})
	cards := strings.Split(html, "<article ")
	if len(cards) != 3 {
		t.Fatalf("%d cards", len(cards)-1)
	}
	folded := `<details class="fold"><summary>remarks: repeats the changes above (show)</summary>`
	if !strings.Contains(cards[1], folded) || !strings.Contains(cards[1], "<ins>; Passport K1234567 (Iran)</ins>") {
		t.Errorf("restating remarks not folded:\n%s", cards[1])
	}
	if strings.Contains(cards[2], folded) || !strings.Contains(cards[2], "Secondary sanctions risk") {
		t.Errorf("new remarks folded:\n%s", cards[2])
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
		// The card's rendering of the same change keeps valid UTF-8 too.
		for _, r := range changeRows(Change{Field: "remarks", Before: b, After: a}) {
			if utf8.ValidString(before) && utf8.ValidString(after) && (!utf8.ValidString(r.Before) || !utf8.ValidString(r.After)) {
				t.Errorf("card of %q → %q: invalid UTF-8", before, after)
			}
		}
	})
}

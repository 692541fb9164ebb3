package diff

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// coverageParties are parties of the real corpus, with the ids the
// sources give them and the names and programs the files print:
//   - un_sc: ../shared/corpus/un_sc/2026-02-27/consolidated.xml (DATAID);
//   - au_dfat: au_dfat/2026-02-24/Australian_Sanctions_Consolidated_List.xlsx
//     (Reference; "Additional Information" starts with the UN reference);
//   - us_ofac_sdn: us_ofac_sdn/history/2024-05-03T1843Z_sdn.csv (ent_num);
//   - us_trade_csl: us_trade_csl/2023-11-30/consolidated.csv (SDN-<entity_number>);
//   - gb_fcdo: gb_fcdo/excerpt-2026-08-14/UK-Sanctions-List.xml (UniqueID).
//
// The links are the ones the link package draws from those facts, except
// the name link of the Taliban party, which is wrong on purpose (two UN
// entities sharing "MANSUR" in one cluster: what a mixed cluster flags),
// and the hostile party, made up. The UK excerpt holds 4 records, so the
// DPRK persons it does list in full are gaps here.
func coverageParties() []CoverageParty {
	ref := func(a, b, number string) CoverageLink {
		return CoverageLink{A: a, B: b, Basis: "reference", Score: 1, Evidence: []CoverageEvidence{{"un_reference", number, number}}}
	}
	return []CoverageParty{
		{ // KPi.033: UN, its DFAT citer, OFAC by passport.
			Cluster: "au_dfat-3203",
			Members: []CoverageMember{
				{ID: "au_dfat-3203", Source: "au_dfat", Publisher: "AU", Name: "Ri Won Ho", Type: "person", Programs: []string{"1718 (DPRK)"}},
				{ID: "un_sc-6908555", Source: "un_sc", Publisher: "UN", Name: "RI WON HO", Type: "person", Programs: []string{"DPRK"}},
				{ID: "us_ofac_sdn-19609", Source: "us_ofac_sdn", Publisher: "US", Name: "RI, Won Ho", Type: "person", Programs: []string{"DPRK2"}},
			},
			Links: []CoverageLink{
				ref("au_dfat-3203", "un_sc-6908555", "KPi.033"),
				{A: "un_sc-6908555", B: "us_ofac_sdn-19609", Basis: "identifier", Score: 1, Evidence: []CoverageEvidence{{"passport", "381310014", "381310014 (Korea, North)"}}},
			},
		},
		{ // KPi.034.
			Cluster: "au_dfat-3204",
			Members: []CoverageMember{
				{ID: "au_dfat-3204", Source: "au_dfat", Publisher: "AU", Name: "Jo Yong Chol", Type: "person", Programs: []string{"1718 (DPRK)"}},
				{ID: "un_sc-6908565", Source: "un_sc", Publisher: "UN", Name: "JO YONG CHOL", Type: "person", Programs: []string{"DPRK"}},
				{ID: "us_ofac_sdn-19610", Source: "us_ofac_sdn", Publisher: "US", Name: "JO, Yong Chol", Type: "person", Programs: []string{"DPRK2"}},
			},
			Links: []CoverageLink{
				{A: "un_sc-6908565", B: "us_ofac_sdn-19610", Basis: "name_and_birth", Score: 0.9, Evidence: []CoverageEvidence{{"name", "JO YONG CHOL", "JO, Yong Chol"}, {"birth_date", "1973-09-30", "30 Sep 1973"}}},
				ref("au_dfat-3204", "un_sc-6908565", "KPi.034"),
			},
		},
		{Members: []CoverageMember{{ID: "gb_fcdo-DPR0075", Source: "gb_fcdo", Publisher: "UK", Name: "Petrel 8", Type: "vessel",
			Programs: []string{"The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019"}}}},
		// KPe.055, which the UN list no longer has: cited, not found.
		{Members: []CoverageMember{{ID: "au_dfat-3558", Source: "au_dfat", Publisher: "AU", Name: "Chang An Shipping & Technology", Type: "organization", Programs: []string{"1718 (DPRK)"}}}},
		{ // QDe.168, listed by every publisher of the terrorism family here.
			Cluster: "au_dfat-6768",
			Members: []CoverageMember{
				{ID: "au_dfat-6768", Source: "au_dfat", Publisher: "AU", Name: "KHATIBA AL-TAWHID WAL-JIHAD (KTJ)", Type: "organization", Programs: []string{"1267 Committee (ISIL & Al-Qaida)"}},
				{ID: "gb_fcdo-AQD0377", Source: "gb_fcdo", Publisher: "UK", Name: "Khatiba al-Tawhid wal-Jihad (KTJ)", Type: "organization", Programs: []string{"Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019"}},
				{ID: "un_sc-6908877", Source: "un_sc", Publisher: "UN", Name: "KHATIBA AL-TAWHID WAL-JIHAD (KTJ)", Type: "organization", Programs: []string{"Al-Qaida"}},
				{ID: "us_ofac_sdn-35335", Source: "us_ofac_sdn", Publisher: "US", Name: "KATIBAT AL TAWHID WAL JIHAD", Type: "organization", Programs: []string{"SDGT"}},
			},
			Links: []CoverageLink{
				ref("gb_fcdo-AQD0377", "un_sc-6908877", "QDe.168"),
				ref("au_dfat-6768", "un_sc-6908877", "QDe.168"),
				{A: "un_sc-6908877", B: "us_ofac_sdn-35335", Basis: "name", Score: 0.8, Evidence: []CoverageEvidence{{"name", "Katibat al Tawhid wal Jihad", "KATIBAT AL TAWHID WAL JIHAD"}, {"type", "organization", "organization"}}},
			},
		},
		{ // QDi.276: not in the DFAT file (its 1138 is the cousin Ghazy).
			Cluster: "gb_fcdo-AQD0128",
			Members: []CoverageMember{
				{ID: "gb_fcdo-AQD0128", Source: "gb_fcdo", Publisher: "UK", Name: "Akram Turki Hishan AL-MAZIDIH", Type: "person", Programs: []string{"Isil (Da'esh) and Al-Qaeda (United Nations Sanctions) (EU Exit) Regulations 2019"}},
				{ID: "un_sc-2892251", Source: "un_sc", Publisher: "UN", Name: "AKRAM TURKI HISHAN AL-MAZIDIH", Type: "person", Programs: []string{"Al-Qaida"}},
				{ID: "us_ofac_sdn-10728", Source: "us_ofac_sdn", Publisher: "US", Name: "AL MAZIDIH, Akram Turki Hishan", Type: "person", Programs: []string{"SDGT"}},
				{ID: "us_trade_csl-SDN-10728", Source: "us_trade_csl", Publisher: "US", Name: "AL MAZIDIH, Akram Turki Hishan", Type: "person", Programs: []string{"SDGT"}},
			},
			Links: []CoverageLink{
				ref("gb_fcdo-AQD0128", "un_sc-2892251", "QDi.276"),
				{A: "us_ofac_sdn-10728", B: "us_trade_csl-SDN-10728", Basis: "reference", Score: 1, Evidence: []CoverageEvidence{{"ofac_entity_number", "10728", "10728"}}},
				{A: "un_sc-2892251", B: "us_ofac_sdn-10728", Basis: "name_and_birth", Score: 0.9, Evidence: []CoverageEvidence{{"name", "AKRAM TURKI HISHAN AL-MAZIDIH", "AL MAZIDIH, Akram Turki Hishan"}, {"birth_date", "1974", "1974"}}},
				// Below the threshold, to an entity in another party.
				{A: "un_sc-2892251", B: "us_ofac_sdn-10727", Basis: "name", Score: 0.5, Evidence: []CoverageEvidence{{"name", "AL-MAZIDIH", "AL MAZIDIH, Ghazy Fezza Hishan"}}},
			},
		},
		{Members: []CoverageMember{{ID: "us_ofac_sdn-10726", Source: "us_ofac_sdn", Publisher: "US", Name: "AL MAZIDIH, Badran Turki Hishan", Type: "person", Programs: []string{"SDGT"}}}},
		{ // TAi.007, with a wrong name link to YEi.010: two un_sc entities.
			Cluster: "au_dfat-7",
			Members: []CoverageMember{
				{ID: "au_dfat-7", Source: "au_dfat", Publisher: "AU", Name: "Abdul Latif Mansur", Type: "person", Programs: []string{"1988 (Taliban)"}},
				{ID: "gb_fcdo-AFG0011", Source: "gb_fcdo", Publisher: "UK", Name: "Abdul Latif MANSUR", Type: "person", Programs: []string{"The Afghanistan (Sanctions) (EU Exit) Regulations 2020"}},
				{ID: "un_sc-110554", Source: "un_sc", Publisher: "UN", Name: "ABDUL LATIF MANSUR", Type: "person", Programs: []string{"Taliban"}},
				{ID: "un_sc-6908884", Source: "un_sc", Publisher: "UN", Name: "MANSUR AL-SA’ADI", Type: "person", Programs: []string{"Yemen"}},
			},
			Links: []CoverageLink{
				ref("au_dfat-7", "un_sc-110554", "TAi.007"),
				ref("gb_fcdo-AFG0011", "un_sc-110554", "TAi.007"),
				{A: "au_dfat-7", B: "un_sc-6908884", Basis: "name", Score: 0.72, Evidence: []CoverageEvidence{{"name", "Mansur", "MANSUR"}}},
			},
		},
		{ // Made up: markup in every field a publisher controls.
			Cluster: "us_ofac_sdn-900001",
			Members: []CoverageMember{
				{ID: "us_ofac_sdn-900001", Source: "us_ofac_sdn", Publisher: "US", Name: "<script>alert(1)</script>", Type: "person", Programs: []string{"</style><script>x()</script>"}},
				{ID: "un_sc-900002", Source: "un_sc", Publisher: "UN", Name: "A | B *bold* [x](y)", Type: "person", Programs: []string{"</style><script>x()</script>"}},
			},
			Links: []CoverageLink{{A: "un_sc-900002", B: "us_ofac_sdn-900001", Basis: "name", Score: 0.75, Evidence: []CoverageEvidence{{"name", "<img src=x onerror=alert(2)>", "a & b"}}}},
		},
		// The CSL's Military End User list prints no program (its id is
		// MEU- and a hash of the row; shortened here).
		{Members: []CoverageMember{{ID: "us_trade_csl-MEU-dcc742038bcb", Source: "us_trade_csl", Publisher: "US", Name: "Academy of Aerospace Solid Propulsion Technology (AASPT)", Type: "organization"}}},
		// Made up: a third publisher in the hostile family, which makes
		// the party above a gap that coverage.md lists.
		{Members: []CoverageMember{{ID: "au_dfat-900003", Source: "au_dfat", Publisher: "AU", Name: "x", Type: "person", Programs: []string{"</style><script>x()</script>"}}}},
	}
}

func coverageInput() CoverageInput {
	return CoverageInput{
		Version:    "2026-03-01T000000Z",
		Publishers: []string{"UN", "US", "EU", "UK", "CH", "CA", "AU"},
		Sources: []CoverageSource{
			{Source: "un_sc", Publisher: "UN", Version: "2026-02-27T000000Z", Entities: 1002},
			{Source: "au_dfat", Publisher: "AU", Version: "2026-02-24T000000Z", Entities: 5032, LastCheck: "2026-03-01T060000Z"},
		},
		Threshold:    0.7,
		Links:        16,
		LinksByBasis: map[string]int{"reference": 9, "identifier": 1, "name_and_birth": 2, "name": 4},
		Clusters:     6, Clustered: 20, Largest: 4, MixedClusters: 1,
		CitedNotFound: []CoverageCitation{{Reference: "un:KPE.055", CitedBy: []string{"gb_hmt_ofsi-13626", "au_dfat-3558"}}},
	}
}

// writeCoverage adds the parties in the order given and returns both pages.
func writeCoverage(t *testing.T, parties []CoverageParty, in CoverageInput, budget int) (md, page string) {
	t.Helper()
	b := NewCoverageBuilder(t.TempDir())
	if budget > 0 {
		b.budget = budget
	}
	defer b.Close()
	for _, p := range parties {
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	var m, h bytes.Buffer
	if err := b.WriteMarkdown(&m, in); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteHTML(&h, in); err != nil {
		t.Fatal(err)
	}
	return m.String(), h.String()
}

func TestCoverageFamilyTable(t *testing.T) {
	md, page := writeCoverage(t, coverageParties(), coverageInput(), 0)
	// Columns: Parties | UN US EU UK CH CA AU | by all present | by one only.
	for _, tc := range []struct{ family, row string }{
		// Ri Won Ho and Jo Yong Chol (UN, US, AU), Petrel 8 (UK), Chang An (AU).
		{"DPRK (North Korea)", "| DPRK (North Korea) | 4 | 2 | 2 | — | 1 | — | — | 3 | 0 | 2 |"},
		// KTJ (all four), Akram (UN, US twice, UK), Badran (US).
		{"Terrorism", "| Terrorism | 3 | 2 | 3 | — | 2 | — | — | 1 | 1 | 1 |"},
		{"Afghanistan/Taliban", "| Afghanistan/Taliban | 1 | 1 | — | — | 1 | — | — | 1 | 1 | 0 |"},
		// The wrong link puts the Taliban party under Yemen too.
		{"Yemen", "| Yemen | 1 | 1 | — | — | 1 | — | — | 1 | 1 | 0 |"},
		// Only the CSL's MEU entry: listed by the one publisher present.
		{"(no program)", "| (no program) | 1 | — | 1 | — | — | — | — | — | 1 | 1 |"},
		{"hostile tag", `| \</style\>\<script\>x()\</script\> | 2 | 1 | 1 | — | — | — | — | 1 | 0 | 1 |`},
	} {
		if !strings.Contains(md, tc.row+"\n") {
			t.Errorf("%s: coverage.md lacks the row\n%s", tc.family, tc.row)
		}
		if !strings.Contains(page, `id="fam-`+familySlug(tc.family)+`"`) && tc.family != "hostile tag" {
			t.Errorf("%s: coverage.html has no section #fam-%s", tc.family, familySlug(tc.family))
		}
	}
	for _, want := range []string{
		"| reference | 9 |", "| name_and_birth | 2 |", "| all | 16 |",
		"- **Clusters** (two or more entities): 6, holding 20 entities; the largest holds 4",
		"| au_dfat | AU | 2026-02-24T000000Z | 5,032 | last run 2026-03-01T060000Z failed: built from its latest good version |",
		"## DPRK (North Korea): listed by some publishers, not all (2)",
		"## Terrorism: listed by some publishers, not all (1)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("coverage.md lacks %q", want)
		}
	}
	if strings.Contains(md, "## Afghanistan/Taliban: listed by some") {
		t.Error("coverage.md lists gaps for a family without any")
	}
	// coverage.md lists no singletons.
	for _, id := range []string{"gb_fcdo-DPR0075", "us_ofac_sdn-10726"} {
		if strings.Contains(md, id) {
			t.Errorf("coverage.md lists the singleton %s", id)
		}
	}
}

// partyMarks returns the ✓/— of a party's row in coverage.html's section
// sec of family fam, as "y" and "n" per column: "" when not listed there.
func partyMarks(t *testing.T, page, famSlug, section, cluster string) string {
	t.Helper()
	i := strings.Index(page, `<section class="fam" id="fam-`+famSlug+`"`)
	if i < 0 {
		t.Fatalf("no section fam-%s", famSlug)
	}
	fam := page[i:]
	fam = fam[:strings.Index(fam, "</section>")]
	j := strings.Index(fam, section)
	if j < 0 {
		return ""
	}
	part := fam[j+len(section):]
	if k := strings.Index(part, "<h3"); k >= 0 {
		part = part[:k]
	}
	row := regexp.MustCompile(`<details class="party[^"]*" data-c="` + regexp.QuoteMeta(cluster) + `"><summary class="prow">(.*?)</summary>`).FindStringSubmatch(part)
	if row == nil {
		return ""
	}
	var marks []string
	for _, m := range regexp.MustCompile(`<span class="pc (y|n)"`).FindAllStringSubmatch(row[1], -1) {
		marks = append(marks, m[1])
	}
	return strings.Join(marks, "")
}

func TestCoverageGapMarks(t *testing.T) {
	md, page := writeCoverage(t, coverageParties(), coverageInput(), 0)
	const gaps, full = "Listed by some publishers, not all", "Listed by every publisher present"
	for _, tc := range []struct {
		family, section, cluster string
		marks                    string // UN US EU UK CH CA AU
		mdRow                    string
	}{
		{"DPRK (North Korea)", gaps, "au_dfat-3203", "yynnnny",
			"| Ri Won Ho / RI, Won Ho | ✓ | ✓ | — | — | — | — | ✓ | au_dfat-3203, un_sc-6908555, us_ofac_sdn-19609 |"},
		{"DPRK (North Korea)", gaps, "au_dfat-3204", "yynnnny", "| Jo Yong Chol / JO, Yong Chol | ✓ | ✓ | — | — | — | — | ✓ |"},
		{"Terrorism", gaps, "gb_fcdo-AQD0128", "yynynnn",
			"| Akram Turki Hishan AL-MAZIDIH / AL MAZIDIH, Akram Turki Hishan | ✓ | ✓ | — | ✓ | — | — | — |"},
		{"Terrorism", full, "au_dfat-6768", "yynynny", ""},
		{"Afghanistan/Taliban", full, "au_dfat-7", "ynnynny", ""},
	} {
		if got := partyMarks(t, page, familySlug(tc.family), tc.section, tc.cluster); got != tc.marks {
			t.Errorf("%s, %s: party %s marks %q, want %q", tc.family, tc.section, tc.cluster, got, tc.marks)
		}
		if tc.mdRow != "" && !strings.Contains(md, tc.mdRow) {
			t.Errorf("coverage.md lacks the gap row %s", tc.mdRow)
		}
	}
	// The gaps come first in a family's section.
	terr := page[strings.Index(page, `id="fam-terrorism"`):]
	if g, f := strings.Index(terr, gaps), strings.Index(terr, full); g < 0 || f < 0 || g > f {
		t.Errorf("the terrorism section lists its gaps at %d, the parties listed by all at %d: gaps first", g, f)
	}
	// A party listed by all present is not a gap, and the reverse.
	if got := partyMarks(t, page, "terrorism", gaps, "au_dfat-6768"); got != "" {
		t.Errorf("KTJ, listed by all four publishers of the family, is among the gaps (%s)", got)
	}
	if got := partyMarks(t, page, "terrorism", full, "gb_fcdo-AQD0128"); got != "" {
		t.Errorf("Akram Al-Mazidih, which AU does not list, is among the parties listed by all (%s)", got)
	}
	// Singletons: folded per publisher, one line each.
	for _, want := range []string{
		`<details class="only"><summary>Listed by UK only: 1</summary>`,
		`<div class="srow"><span class="nm">Petrel 8</span> <code>gb_fcdo-DPR0075</code>`,
		`<details class="only"><summary>Listed by US only: 1</summary>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("coverage.html lacks %s", want)
		}
	}
}

func TestCoverageEvidence(t *testing.T) {
	_, page := writeCoverage(t, coverageParties(), coverageInput(), 0)
	for _, want := range []string{
		`<span class="basis">reference</span> <span class="score">1.00</span> <code>au_dfat-3203</code> ↔ <code>un_sc-6908555</code><ul class="ev"><li><span class="f">un_reference:</span> KPi.033 <span class="vs">vs</span> KPi.033</li>`,
		`<span class="f">passport:</span> 381310014 <span class="vs">vs</span> 381310014 (Korea, North)`,
		`<span class="f">birth_date:</span> 1973-09-30 <span class="vs">vs</span> 30 Sep 1973`,
		`<code>un_sc-2892251</code> ↔ <code>us_ofac_sdn-10727</code> <span class="out">to an entity outside this party`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("coverage.html lacks the evidence\n%s", want)
		}
	}
}

func TestCoverageCitedNotFound(t *testing.T) {
	md, page := writeCoverage(t, coverageParties(), coverageInput(), 0)
	if !strings.Contains(md, "## Cited, not found (1)") || !strings.Contains(md, "| un:KPE.055 | au_dfat-3558, gb_hmt_ofsi-13626 |") {
		t.Errorf("coverage.md does not list un:KPE.055 with its citers:\n%s", md)
	}
	if !strings.Contains(page, `<tr><td>un:KPE.055</td><td><code>au_dfat-3558</code>, <code>gb_hmt_ofsi-13626</code></td></tr>`) {
		t.Error("coverage.html does not list un:KPE.055 with its citers")
	}
}

func TestCoverageMixedClusterFlagged(t *testing.T) {
	md, page := writeCoverage(t, coverageParties(), coverageInput(), 0)
	if !strings.Contains(md, "- **Clusters holding two entities of one source:** 1\n") ||
		!strings.Contains(md, "| au_dfat-7 | Abdul Latif Mansur / MANSUR AL-SA’ADI | un_sc | au_dfat-7, gb_fcdo-AFG0011, un_sc-110554, un_sc-6908884 |") {
		t.Errorf("coverage.md does not flag the Taliban cluster:\n%s", md)
	}
	i := strings.Index(page, `<section id="mixed">`)
	if i < 0 {
		t.Fatal("coverage.html has no section of mixed clusters")
	}
	mixed := page[i : i+strings.Index(page[i:], "</section>")]
	if !strings.Contains(mixed, `<details class="party mixed" data-c="au_dfat-7">`) || !strings.Contains(mixed, `<span class="flag">two entities of un_sc</span>`) {
		t.Errorf("the mixed section does not flag au_dfat-7:\n%s", mixed)
	}
	if strings.Count(mixed, `<details class="party`) != 1 {
		t.Errorf("the mixed section lists %d parties, want 1", strings.Count(mixed, `<details class="party`))
	}
	// The flag follows the party into its families.
	if n := strings.Count(page, `<span class="flag">two entities of un_sc</span>`); n != 3 {
		t.Errorf("the flag shows %d times, want 3 (mixed section, Taliban, Yemen)", n)
	}
}

func TestCoverageEscaping(t *testing.T) {
	md, page := writeCoverage(t, coverageParties(), coverageInput(), 0)
	for _, bad := range []string{"<script>alert", "<script>x()", "<img src=x", "</style><script>"} {
		if strings.Contains(page, bad) {
			t.Errorf("coverage.html holds %q unescaped", bad)
		}
		if strings.Contains(md, bad) {
			t.Errorf("coverage.md holds %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "a &amp; b"} {
		if !strings.Contains(page, want) {
			t.Errorf("coverage.html lacks %q", want)
		}
	}
	if got := strings.Count(page, "<script>"); got != 1 {
		t.Errorf("coverage.html holds %d <script> tags, want its own one", got)
	}
	// A pipe in a name would split coverage.md's table cell.
	if !strings.Contains(md, `A \| B \*bold\* \[x\](y)`) {
		t.Error("coverage.md does not escape a name's | * [ ]")
	}
	// Every element the rows open is closed.
	for _, tag := range []string{"details", "section", "div", "summary", "table", "ul", "li"} {
		if o, c := strings.Count(page, "<"+tag+">")+strings.Count(page, "<"+tag+" "), strings.Count(page, "</"+tag+">"); o != c {
			t.Errorf("coverage.html opens <%s> %d times and closes it %d times", tag, o, c)
		}
	}
}

// The pages are the same bytes whatever order the parties come in, and
// whether the rows stay in memory or spill to disk.
func TestCoverageDeterministic(t *testing.T) {
	parties := coverageParties()
	md0, page0 := writeCoverage(t, parties, coverageInput(), 0)
	for seed := range uint64(6) {
		shuffled := append([]CoverageParty(nil), parties...)
		r := rand.New(rand.NewPCG(seed, 15))
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for i := range shuffled { // members and links in any order too
			p := &shuffled[i]
			p.Members = append([]CoverageMember(nil), p.Members...)
			p.Links = append([]CoverageLink(nil), p.Links...)
			r.Shuffle(len(p.Members), func(i, j int) { p.Members[i], p.Members[j] = p.Members[j], p.Members[i] })
			r.Shuffle(len(p.Links), func(i, j int) { p.Links[i], p.Links[j] = p.Links[j], p.Links[i] })
		}
		in := coverageInput()
		in.CitedNotFound[0].CitedBy = []string{"au_dfat-3558", "gb_hmt_ofsi-13626"}
		budget := 0
		if seed%2 == 1 {
			budget = 600 // a run of a row or two: every row spills
		}
		md, page := writeCoverage(t, shuffled, in, budget)
		if md != md0 {
			t.Errorf("seed %d: coverage.md differs", seed)
		}
		if page != page0 {
			t.Errorf("seed %d (budget %d): coverage.html differs at byte %d", seed, budget, firstByteDiff(page, page0))
		}
	}
}

func firstByteDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// coverage.md lists the first 20 gaps of a family and says how many more
// coverage.html holds; coverage.html lists them all.
func TestCoverageMarkdownLimit(t *testing.T) {
	base := coverageParties()[0] // Ri Won Ho: a DPRK gap
	var parties []CoverageParty
	for i := range 25 {
		p := base
		p.Members = append([]CoverageMember(nil), base.Members...)
		for j := range p.Members {
			p.Members[j].ID += "-copy" + strconv.Itoa(i)
		}
		p.Cluster = p.Members[0].ID
		parties = append(parties, p)
	}
	parties = append(parties, coverageParties()[2]) // Petrel 8: UK present
	in := coverageInput()
	in.Clusters, in.Clustered, in.Largest, in.MixedClusters = 0, 0, 0, 0
	md, page := writeCoverage(t, parties, in, 0)
	if n := strings.Count(md, "| Ri Won Ho / RI, Won Ho |"); n != 20 {
		t.Errorf("coverage.md lists %d gap parties, want 20", n)
	}
	if !strings.Contains(md, "*and 5 more in [coverage.html](coverage.html#fam-dprk-north-korea)*") {
		t.Error("coverage.md does not say how many more gaps coverage.html lists")
	}
	if n := strings.Count(page, `<details class="party" data-c="au_dfat-3203-copy`); n != 25 {
		t.Errorf("coverage.html lists %d gap parties, want 25", n)
	}
}

func TestCoverageBuilderErrors(t *testing.T) {
	in := coverageInput()
	in.Clusters = 7
	b := NewCoverageBuilder(t.TempDir())
	for _, p := range coverageParties() {
		if err := b.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.WriteMarkdown(&bytes.Buffer{}, in); err == nil || !strings.Contains(err.Error(), "7 clusters") {
		t.Errorf("an input of 7 clusters for 6 parties of two or more: %v", err)
	}
	b.Close()

	b = NewCoverageBuilder(t.TempDir())
	in = CoverageInput{Publishers: []string{"UN", "US", "AU"}}
	if err := b.Add(CoverageParty{Cluster: "x"}); err == nil {
		t.Error("a party without members was taken")
	}
	if err := b.Add(CoverageParty{Members: []CoverageMember{{ID: "un_sc-1", Source: "un_sc"}}}); err == nil {
		t.Error("a member without a publisher was taken")
	}
	// Without its source, two members could not be told apart as one
	// list's duplicates.
	if err := b.Add(CoverageParty{Members: []CoverageMember{{ID: "un_sc-1", Publisher: "UN"}}}); err == nil {
		t.Error("a member without a source was taken")
	}
	if err := b.Add(coverageParties()[0]); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteHTML(&bytes.Buffer{}, in); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteHTML(&bytes.Buffer{}, in); !errors.Is(err, ErrCoverageWritten) {
		t.Errorf("a second WriteHTML: %v, want ErrCoverageWritten", err)
	}
	if err := b.WriteMarkdown(&bytes.Buffer{}, in); err != nil {
		t.Errorf("WriteMarkdown after WriteHTML: %v", err)
	}
	if err := b.Add(coverageParties()[1]); !errors.Is(err, ErrCoverageWritten) {
		t.Errorf("Add after the pages: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteMarkdown(&bytes.Buffer{}, in); err == nil {
		t.Error("WriteMarkdown after Close succeeded")
	}
}

// Close removes every spill file, whether the pages were written or not.
func TestCoverageLeavesNoFiles(t *testing.T) {
	for _, write := range []bool{false, true} {
		dir := t.TempDir()
		b := NewCoverageBuilder(dir)
		b.budget = 600
		for _, p := range coverageParties() {
			if err := b.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		if write {
			if err := b.WriteMarkdown(&bytes.Buffer{}, coverageInput()); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if left, _ := os.ReadDir(dir); len(left) > 0 {
			t.Errorf("write %v: %d files left in the spill folder", write, len(left))
		}
	}
}

// The coverage step's memory does not grow with the number of parties:
// the live heap a CoverageBuilder adds, sampled while the real parties
// above are added (copies under new ids, as TestReportMemoryFlat does)
// and while both pages are written, is the same for 1,000 and 40,000
// parties. Held in memory, 40,000 rows would add about 25 MB.
func TestCoverageMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 41,000 parties")
	}
	templates := coverageParties()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	peak := func(n int) (growth uint64, writes int) {
		base := heap()
		var top uint64
		sample := func() { top = max(top, heap()) }
		b := NewCoverageBuilder(t.TempDir())
		defer b.Close()
		for i := range n {
			tp := templates[i%len(templates)]
			p := CoverageParty{Members: make([]CoverageMember, len(tp.Members)), Links: tp.Links}
			suffix := "-copy" + strconv.Itoa(i/len(templates))
			for j, m := range tp.Members {
				m.ID += suffix
				p.Members[j] = m
			}
			p.Cluster = p.Members[0].ID
			if err := b.Add(p); err != nil {
				t.Fatal(err)
			}
			if i%500 == 0 {
				sample()
			}
		}
		sample()
		in := coverageInput()
		in.Clusters, in.Clustered, in.Largest, in.MixedClusters = 0, 0, 0, 0
		w := &samplingWriter{sample: sample}
		if err := b.WriteMarkdown(w, in); err != nil {
			t.Fatal(err)
		}
		if err := b.WriteHTML(w, in); err != nil {
			t.Fatal(err)
		}
		sample()
		return top - min(top, base), w.n
	}
	small, _ := peak(1_000)
	large, writes := peak(40_000)
	t.Logf("live heap added by the coverage pages: 1,000 parties %.1f MiB, 40,000 parties %.1f MiB (%d writes)",
		float64(small)/(1<<20), float64(large)/(1<<20), writes)
	if large > small+2<<20 {
		t.Errorf("40,000 parties take %.1f MiB, 1,000 take %.1f MiB: the pages grow with the parties", float64(large)/(1<<20), float64(small)/(1<<20))
	}
}

package pipeline_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/combine"
)

// TestCoverageInBrowser loads the coverage page of the combined dataset
// of the real corpus in chromium: nothing overflows at 1280 px, every
// party two or more publishers list is a row, and the text filter finds a
// party by a member's id.
func TestCoverageInBrowser(t *testing.T) {
	bin := chromium(t)
	st, version := buildCombined(t)
	page := reportPage(st, combine.Name, version)
	page = strings.TrimSuffix(page, "report.html") + combine.CoverageHTMLName

	// The parties listed by two or more publishers, read from the entities.
	pubs := map[string]map[string]bool{}
	for _, line := range entityLines(t, st, combine.Name, version) {
		e := decode(t, line)
		if pubs[e.Cluster] == nil {
			pubs[e.Cluster] = map[string]bool{}
		}
		pub, _, _ := strings.Cut(e.Source, "_")
		if strings.HasPrefix(e.Source, "us_") {
			pub = "us"
		}
		pubs[e.Cluster][pub] = true
	}
	var multi []string
	for c, p := range pubs {
		if len(p) > 1 {
			multi = append(multi, c)
		}
	}
	if len(multi) < 1000 {
		t.Fatalf("only %d parties listed by two publishers: the corpus build is broken", len(multi))
	}

	dom := dumpDOM(t, bin, page+"#check=1")
	if got := rootAttr(t, dom, "data-overflow"); got != "none" {
		t.Errorf("overflow at 1280 px: %s", got)
	}
	rows := map[string]bool{}
	for _, m := range regexp.MustCompile(`data-c="([^"]+)"`).FindAllStringSubmatch(dom, -1) {
		rows[m[1]] = true
	}
	for _, c := range multi {
		if !rows[c] {
			t.Errorf("party %s (listed by %d publishers) is not a row of the page", c, len(pubs[c]))
		}
	}
	ms, _ := strconv.Atoi(rootAttr(t, dom, "data-load-ms"))
	t.Logf("%d parties listed by two or more publishers, all shown; first layout %d ms", len(multi), ms)

	dom = dumpDOM(t, bin, page+"#q=un_sc-6908590") // PAK TO CHUN, KPi.050
	if n, _ := strconv.Atoi(rootAttr(t, dom, "data-shown")); n < 1 || n > 5 {
		t.Errorf("filter on one UN id shows %d rows, want the party's (1 to 5, one per family)", n)
	}
}

package diff

import (
	"bufio"
	"fmt"
	"html"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"
)

// WriteHTML writes coverage.html: one self-contained page (inline CSS and
// script, no external asset) with the version's sources, links and
// clusters, the cited references not found, a table of program families,
// and per family its gaps, the parties every publisher present lists, and
// (folded) the parties one publisher lists. Each party of two or more
// entities unfolds to its members and the evidence of its links. The
// page's own text is escaped by html/template, the rows by
// html.EscapeString as report.html's cards are. The rows are read once
// from disk: a second call fails with ErrCoverageWritten.
func (b *CoverageBuilder) WriteHTML(w io.Writer, in CoverageInput) error {
	if err := b.finalize(in); err != nil {
		return err
	}
	if b.closed || b.written {
		return ErrCoverageWritten
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	p := b.coveragePage(in)
	if err := coverageTemplate.ExecuteTemplate(bw, "head", p); err != nil {
		return fmt.Errorf("coverage.html: %w", err)
	}
	if err := b.writeRows(bw); err != nil {
		return fmt.Errorf("coverage.html: %w", err)
	}
	if err := coverageTemplate.ExecuteTemplate(bw, "tail", p); err != nil {
		return fmt.Errorf("coverage.html: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("coverage.html: %w", err)
	}
	return nil
}

// covPage is what the page's template shows beside the rows.
type covPage struct {
	Title, Published, Threshold string
	Counts                      CoverageCounts
	Sources                     []covSource
	Bases                       []struct {
		Basis string
		N     int
	}
	Links    int
	Cited    []CoverageCitation
	Columns  []string
	Families []covFamily
}

type covSource struct {
	CoverageSource
	Note string
}

type covFamily struct {
	Name, Slug            string
	Parties, ByAll, ByOne int
	Gaps                  int
	Cells                 []string
	Present               string
}

func (b *CoverageBuilder) coveragePage(in CoverageInput) covPage {
	p := covPage{
		Title:     coverageTitle(in),
		Threshold: scoreText(in.Threshold),
		Counts:    b.counts,
		Bases:     basisRows(in.LinksByBasis),
		Links:     in.Links,
		Cited:     sortedCitations(in.CitedNotFound),
		Columns:   b.columns,
	}
	if !in.PublishedAt.IsZero() {
		p.Published = in.PublishedAt.UTC().Format(time.RFC3339)
	}
	for _, s := range in.Sources {
		p.Sources = append(p.Sources, covSource{s, sourceNote(s)})
	}
	for _, name := range b.familyNames() {
		fc := b.families[name]
		f := covFamily{Name: name, Slug: familySlug(name), Parties: fc.Parties, ByAll: fc.byAll(), ByOne: fc.byOne(), Gaps: fc.Gaps,
			Present: strings.Join(b.present(fc), ", ")}
		for _, c := range b.columns {
			f.Cells = append(f.Cells, countOrDash(fc.ByPub[c]))
		}
		p.Families = append(p.Families, f)
	}
	return p
}

// rowWriter writes the rows of coverage.html, opening a section or a
// list where the sorted rows move on to the next.
type rowWriter struct {
	w       *bufio.Writer
	b       *CoverageBuilder
	fam     string
	sec     byte
	pub     string
	open    bool // a family (or the mixed clusters) section is open
	list    bool // a list of rows is open
	details bool // ... inside a one-publisher <details>
}

func (rw *rowWriter) text(s string) { rw.w.WriteString(html.EscapeString(s)) }

func (b *CoverageBuilder) writeRows(w *bufio.Writer) error {
	rw := &rowWriter{w: w, b: b}
	err := b.eachRow(func(sec byte, fam string, r *partyRow) error {
		rw.row(sec, fam, r)
		return nil
	})
	rw.closeSection()
	return err
}

func (rw *rowWriter) closeList() {
	if rw.list {
		rw.w.WriteString("</div>\n")
	}
	if rw.details {
		rw.w.WriteString("</details>\n")
	}
	rw.list, rw.details = false, false
}

func (rw *rowWriter) closeSection() {
	rw.closeList()
	if rw.open {
		rw.w.WriteString("</section>\n")
	}
	rw.open = false
}

// head writes the column heads of a list of parties.
func (rw *rowWriter) head() {
	rw.w.WriteString(`<div class="rows"><div class="prow head"><span>Party</span>`)
	for _, c := range rw.b.columns {
		rw.w.WriteString(`<span class="pc">`)
		rw.text(c)
		rw.w.WriteString(`</span>`)
	}
	rw.w.WriteString("<span>Members</span></div>\n")
	rw.list = true
}

func (rw *rowWriter) row(sec byte, fam string, r *partyRow) {
	w := rw.w
	if !rw.open || sec == secMixed && rw.sec != secMixed || sec != secMixed && fam != rw.fam {
		rw.closeSection()
		rw.open, rw.fam, rw.sec, rw.pub = true, fam, 0, ""
		if sec == secMixed {
			fmt.Fprintf(w, `<section id="mixed"><h2>Clusters holding two entities of one source (%s) <a class="top" href="#top">top</a></h2><p class="warn">%s</p>`+"\n",
				thousands(rw.b.counts.Mixed), html.EscapeString(mixedNote))
		} else {
			rw.openFamily(fam)
		}
	}
	if sec != rw.sec || sec == secOne && r.Pubs[0] != rw.pub {
		rw.closeList()
		rw.sec = sec
		fc := rw.b.families[fam]
		switch sec {
		case secGap:
			fmt.Fprintf(w, `<h3 id="fam-%s-gaps">Listed by some publishers, not all (%s)</h3>`+"\n", html.EscapeString(familySlug(fam)), thousands(fc.Gaps))
		case secFull:
			fmt.Fprintf(w, `<h3>Listed by every publisher present (%s)</h3>`+"\n", thousands(fc.byAll()))
		case secOne:
			rw.pub = r.Pubs[0]
			fmt.Fprintf(w, `<details class="only"><summary>%s</summary>`+"\n", html.EscapeString(listedText(rw.pub, fc.Only[rw.pub], fc.Singles[rw.pub])))
			rw.details = true
		}
		if sec == secOne {
			w.WriteString(`<div class="rows">`)
			rw.list = true
		} else {
			rw.head()
		}
	}
	switch {
	case sec == secOne && r.single():
		rw.single(r)
	default:
		rw.party(r, sec != secOne)
	}
}

func (rw *rowWriter) openFamily(fam string) {
	w, fc := rw.w, rw.b.families[fam]
	fmt.Fprintf(w, `<section class="fam" id="fam-%s"><h2>%s <span class="cnt">%s</span> <a class="top" href="#top">top</a></h2>`+"\n",
		html.EscapeString(familySlug(fam)), html.EscapeString(fam), plural(fc.Parties, "party", "parties"))
	present := rw.b.present(fc)
	fmt.Fprintf(w, `<p>Publishers present: %s. Listed by all of them: %s; by one only: %s.</p>`+"\n",
		html.EscapeString(strings.Join(present, ", ")), thousands(fc.byAll()), thousands(fc.byOne()))
	switch {
	case len(present) < 2:
		fmt.Fprintf(w, `<p class="none">Only %s lists parties of this family.</p>`+"\n", html.EscapeString(strings.Join(present, "")))
	case fc.Gaps == 0:
		w.WriteString(`<p class="none">No gaps: every party listed by two or more publishers is listed by all of them.</p>` + "\n")
	}
}

// party writes a party of two or more entities (or, in a mixed or gap
// list, of any size): its names, a ✓ or — per publisher when cols, its
// member ids; unfolded, its members and its links with their evidence.
func (rw *rowWriter) party(r *partyRow, cols bool) {
	w := rw.w
	w.WriteString(`<details class="party`)
	if len(r.Mixed) > 0 {
		w.WriteString(` mixed`)
	}
	w.WriteString(`" data-c="`)
	rw.text(r.Cluster)
	w.WriteString(`"><summary class="prow`)
	if !cols {
		w.WriteString(` solo`)
	}
	w.WriteString(`"><span class="nm">`)
	for i, n := range r.Names {
		if i > 0 {
			w.WriteString(`<span class="sep"> / </span>`)
		}
		rw.text(n)
	}
	if len(r.Mixed) > 0 {
		w.WriteString(` <span class="flag">two entities of `)
		rw.text(strings.Join(r.Mixed, ", "))
		w.WriteString(`</span>`)
	}
	w.WriteString(`</span>`)
	if cols {
		for _, c := range rw.b.columns {
			if slices.Contains(r.Pubs, c) {
				w.WriteString(`<span class="pc y" title="`)
				rw.text(c)
				w.WriteString(` lists it">✓</span>`)
			} else {
				w.WriteString(`<span class="pc n" title="`)
				rw.text(c)
				w.WriteString(` does not list it">—</span>`)
			}
		}
	}
	w.WriteString(`<span class="ids">`)
	for i, m := range r.Members {
		if i > 0 {
			w.WriteString(" ")
		}
		w.WriteString("<code>")
		rw.text(m.ID)
		w.WriteString("</code>")
	}
	w.WriteString("</span></summary>\n<div class=\"pb\"><table class=\"mem\"><tr><th>Entity</th><th>Publisher</th><th>Type</th><th>Name</th><th>Programs</th></tr>")
	members := map[string]bool{}
	for _, m := range r.Members {
		members[m.ID] = true
		w.WriteString("<tr><td><code>")
		rw.text(m.ID)
		w.WriteString("</code></td><td>")
		rw.text(m.Publisher)
		w.WriteString("</td><td>")
		rw.text(m.Type)
		w.WriteString("</td><td>")
		rw.text(m.Name)
		w.WriteString("</td><td>")
		rw.text(strings.Join(m.Programs, ", "))
		w.WriteString("</td></tr>")
	}
	w.WriteString("</table>\n")
	if len(r.Links) == 0 {
		w.WriteString(`<p class="none">No link.</p>`)
	} else {
		w.WriteString(`<ul class="links">`)
		for _, l := range r.Links {
			w.WriteString(`<li><span class="basis">`)
			rw.text(l.Basis)
			w.WriteString(`</span> <span class="score">`)
			w.WriteString(scoreText(l.Score))
			w.WriteString(`</span> <code>`)
			rw.text(l.A)
			w.WriteString(`</code> ↔ <code>`)
			rw.text(l.B)
			w.WriteString(`</code>`)
			if !members[l.A] || !members[l.B] {
				w.WriteString(` <span class="out">to an entity outside this party (below the threshold)</span>`)
			}
			if len(l.Evidence) > 0 {
				w.WriteString(`<ul class="ev">`)
				for _, e := range l.Evidence {
					w.WriteString(`<li><span class="f">`)
					rw.text(e.Field)
					w.WriteString(`:</span> `)
					rw.text(e.A)
					w.WriteString(` <span class="vs">vs</span> `)
					rw.text(e.B)
					w.WriteString(`</li>`)
				}
				w.WriteString(`</ul>`)
			}
			w.WriteString(`</li>`)
		}
		w.WriteString(`</ul>`)
	}
	w.WriteString("</div></details>\n")
}

// single writes one entity no link joined, on one line.
func (rw *rowWriter) single(r *partyRow) {
	w, m := rw.w, r.Members[0]
	w.WriteString(`<div class="srow"><span class="nm">`)
	rw.text(orText(m.Name, m.ID))
	w.WriteString(`</span> <code>`)
	rw.text(m.ID)
	w.WriteString(`</code> <span class="sub">`)
	rw.text(orText(m.Type, "no type"))
	if len(m.Programs) > 0 {
		w.WriteString(` · `)
		rw.text(strings.Join(m.Programs, ", "))
	}
	w.WriteString("</span></div>\n")
}

// coverageTemplate is parsed once; it is never modified.
var coverageTemplate = template.Must(template.New("coverage").Funcs(template.FuncMap{"th": thousands}).Parse(coverageHTML))

// The script filters the party rows by text (names, ids, evidence) and
// opens the folded lists holding a match. On <html> it records the time
// from navigation to the first layout (data-load-ms); with check=1 in the
// fragment it
// lays every row out and records on <html> what is wider than the window
// (data-overflow), as report.html does for the browser test.
const coverageHTML = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { --y: #0a6b0a; --n: #b01818; --line: #d8d8d8; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f4; overflow-wrap: anywhere; }
main { max-width: 1180px; margin: 0 auto; padding: 0 1rem 4rem; }
h1 { font-size: 1.45rem; margin: 1rem 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .4rem; border-bottom: 2px solid #bbb; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; color: #444; }
a { color: #1a4f9c; }
.bar { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid #bbb; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
.bar .in { max-width: 1180px; margin: 0 auto; padding: .45rem 1rem; display: flex; flex-wrap: wrap; gap: .35rem 1rem; align-items: center; }
.bar .counts { font-weight: 600; }
.bar label { font-size: .9em; color: #444; }
.bar input { font: inherit; font-size: .9em; width: 14rem; max-width: 100%; }
#f-shown { font-size: .85em; color: #555; }
.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .05rem 1rem; margin: .4rem 0; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
table { border-collapse: collapse; margin: .4rem 0; background: #fff; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #efefec; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
section.fam, section#mixed, h3 { scroll-margin-top: 4rem; }
.cnt { font-weight: normal; color: #555; font-size: .85em; }
a.top { font-size: .75em; font-weight: normal; float: right; }
.none, .sep, .sub { color: #666; }
.warn { border-left: 4px solid #c80; background: #fff4d6; padding: .3rem .6rem; }
.rows { background: #fff; border: 1px solid var(--line); }
.prow { display: grid; grid-template-columns: minmax(0, 1fr) repeat({{len .Columns}}, 2.6rem) minmax(0, 17rem); gap: 0 .4rem; padding: .2rem .5rem; border-top: 1px solid #eee; align-items: baseline; }
.prow.solo { grid-template-columns: minmax(0, 1fr) minmax(0, 24rem); }
.prow.head { font-weight: 600; background: #efefec; border-top: 0; }
summary.prow { cursor: pointer; list-style: none; }
summary.prow::-webkit-details-marker { display: none; }
summary.prow .nm::before { content: "▸ "; color: #777; }
details[open] > summary.prow .nm::before { content: "▾ "; }
.pc { text-align: center; }
.pc.y { color: var(--y); font-weight: 700; }
.pc.n { color: #aaa; }
.ids { font-size: .85em; color: #444; }
.ids code + code { margin-left: .3em; }
.flag { color: #fff; background: #b06000; border-radius: 3px; padding: 0 .35em; font-size: .8em; font-weight: 600; }
/* Rows off screen are not laid out until scrolled to: a family can hold
   tens of thousands of parties. */
.party, .srow { content-visibility: auto; contain-intrinsic-size: auto 1.9rem; }
.laid-out .party, .laid-out .srow { content-visibility: visible; }
.pb { padding: .2rem .8rem .6rem 1.6rem; background: #fafaf8; border-top: 1px dotted #ddd; }
table.mem { font-size: .9em; width: 100%; table-layout: fixed; }
ul.links { margin: .3rem 0; padding-left: 1.2rem; }
ul.ev { margin: .1rem 0 .3rem; padding-left: 1.2rem; font-size: .92em; }
.basis { font-weight: 600; }
.score { font-variant-numeric: tabular-nums; color: #444; }
.f { color: #555; }
.vs { color: #888; font-style: italic; }
.out { color: #8a5a00; font-size: .9em; }
details.only { margin: .4rem 0; }
details.only > summary { cursor: pointer; font-weight: 600; color: #444; }
.srow { padding: .15rem .5rem; border-top: 1px solid #eee; }
.srow .sub { font-size: .88em; }
</style>
</head>
<body id="top">
<div class="bar"><div class="in">
<span class="counts">{{th .Counts.Parties}} parties · {{th .Counts.Clusters}} clusters · {{th .Links}} links</span>
<label>Text <input id="f-q" type="search" placeholder="name, id, passport…"></label>
<span id="f-shown"></span>
</div></div>
<main>
<h1>{{.Title}}</h1>
<dl class="meta">
{{- if .Published}}
<dt>Published</dt><dd>{{.Published}}</dd>
{{- end}}
<dt>Parties</dt><dd>{{th .Counts.Parties}} ({{th .Counts.Entities}} entities)</dd>
<dt>Link threshold</dt><dd>{{.Threshold}}: links of this score or more join a cluster</dd>
</dl>

<h2 id="sources">Sources</h2>
<table>
<tr><th>Source</th><th>Publisher</th><th>Version</th><th class="n">Entities</th><th>Note</th></tr>
{{- range .Sources}}
<tr><td>{{.Source}}</td><td>{{.Publisher}}</td><td>{{.Version}}</td><td class="n">{{th .Entities}}</td><td>{{.Note}}</td></tr>
{{- end}}
</table>

<h2 id="links">Links and clusters</h2>
<table>
<tr><th>Basis</th><th class="n">Links</th></tr>
{{- range .Bases}}
<tr><td>{{.Basis}}</td><td class="n">{{th .N}}</td></tr>
{{- end}}
<tr><td>all</td><td class="n">{{th .Links}}</td></tr>
</table>
<dl class="meta">
<dt>Clusters</dt><dd>{{th .Counts.Clusters}} of two or more entities, holding {{th .Counts.Clustered}} entities; the largest holds {{th .Counts.Largest}}</dd>
<dt>Holding two entities of one source</dt><dd>{{if .Counts.Mixed}}<a href="#mixed">{{th .Counts.Mixed}}</a>: a duplicate listing or a wrong link{{else}}none{{end}}</dd>
</dl>

<h2 id="cited">Cited, not found ({{len .Cited}})</h2>
{{- if .Cited}}
<p>References records cite that the list they belong to does not have.</p>
<table>
<tr><th>Reference</th><th>Cited by</th></tr>
{{- range .Cited}}
<tr><td>{{.Reference}}</td><td>{{range $i, $c := .CitedBy}}{{if $i}}, {{end}}<code>{{$c}}</code>{{end}}</td></tr>
{{- end}}
</table>
{{- else}}
<p>None.</p>
{{- end}}

<h2 id="families">By program family</h2>
<p>A party is a cluster of linked entities or one entity no link joined. It counts under every program family of its members' programs, and a publisher lists it when one of its entities is a member. "By all present": listed by every publisher that lists any party of the family; "by one only": by a single publisher.</p>
<table>
<tr><th>Family</th><th class="n">Parties</th>{{range .Columns}}<th class="n">{{.}}</th>{{end}}<th class="n">By all present</th><th class="n">By one only</th><th class="n">Gaps</th></tr>
{{- range .Families}}
<tr><td><a href="#fam-{{.Slug}}">{{.Name}}</a></td><td class="n">{{th .Parties}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}<td class="n">{{th .ByAll}}</td><td class="n">{{th .ByOne}}</td><td class="n">{{if .Gaps}}<a href="#fam-{{.Slug}}-gaps">{{th .Gaps}}</a>{{else}}0{{end}}</td></tr>
{{- end}}
</table>
<div id="parties">
{{end}}

{{define "tail"}}</div>
</main>
<script>
(function () {
  var d = document, root = d.documentElement;
  var rows = d.querySelectorAll(".party, .srow"), lists = d.querySelectorAll("details.only");
  var q = d.getElementById("f-q"), text = [];
  function apply() {
    var s = q.value.trim().toLowerCase(), n = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = true;
      if (s) { if (text[i] === undefined) text[i] = rows[i].textContent.toLowerCase(); ok = text[i].indexOf(s) >= 0; }
      rows[i].hidden = !ok;
      if (ok) n++;
    }
    if (s) for (var j = 0; j < lists.length; j++) lists[j].open = !!lists[j].querySelector(".party:not([hidden]), .srow:not([hidden])");
    d.getElementById("f-shown").textContent = n === rows.length ? "all " + n + " rows shown" : n + " of " + rows.length + " rows shown";
    root.dataset.shown = n;
  }
  function fromHash() {
    var h = location.hash.slice(1);
    if (h.indexOf("=") < 0) return;
    var p = new URLSearchParams(h);
    q.value = p.get("q") || "";
    apply();
    if (p.get("check") === "1") {
      root.classList.add("laid-out");
      for (var j = 0; j < lists.length; j++) lists[j].open = true;
      var wide = [];
      if (root.scrollWidth > root.clientWidth) wide.push("page");
      for (var i = 0; i < rows.length; i++) if (rows[i].scrollWidth > rows[i].clientWidth + 1) wide.push(rows[i].dataset.c || "row" + i);
      root.dataset.overflow = wide.length ? wide.slice(0, 20).join(" ") : "none";
    }
  }
  q.addEventListener("input", apply);
  window.addEventListener("hashchange", fromHash);
  apply();
  void root.scrollWidth;
  root.dataset.loadMs = Math.round(performance.now());
  fromHash();
})();
</script>
</body>
</html>
{{end}}`

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

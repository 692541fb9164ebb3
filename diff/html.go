package diff

import (
	"bufio"
	"fmt"
	"html"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteHTML writes report.html: one self-contained review page (inline
// CSS, a few lines of inline script, no external asset, so that it opens
// from a file or an S3 URL alike). It lists every added, removed and
// changed entity as a card, grouped in one section per program family
// (the first family of its programs) and, within it, per kind; a sticky
// bar holds the manifest's counts and a filter by family, type, kind and
// text. The page's own text is escaped by html/template, the cards by
// renderCard. The cards come from in.Ops, read once from disk.
func WriteHTML(w io.Writer, in ReportInput) error {
	v := buildView(in)
	bw := bufio.NewWriterSize(w, 32<<10)
	p := page{view: v, Chart: chart(v.Families)}
	for _, t := range v.Types {
		if t.Added+t.Removed+t.Changed > 0 {
			p.TypeOptions = append(p.TypeOptions, t.Name)
		}
	}
	if err := pageTemplate.ExecuteTemplate(bw, "head", p); err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	if in.Ops != nil {
		if err := writeSections(bw, in.Ops, v); err != nil {
			return fmt.Errorf("report.html: %w", err)
		}
	}
	if err := pageTemplate.ExecuteTemplate(bw, "tail", p); err != nil {
		return fmt.Errorf("report.html: %w", err)
	}
	return bw.Flush()
}

// page is what the page's template shows beside the cards.
type page struct {
	view
	Chart       template.HTML
	TypeOptions []string
}

// writeSections streams the cards, opening a family's section and a kind's
// list where the sorted cards move on to the next.
func writeSections(w *bufio.Writer, b *ReportBuilder, v view) error {
	var fam, kind string
	open := false
	closeKind := func() {
		if kind != "" {
			w.WriteString("</div>\n")
		}
	}
	err := b.eachCard(func(family, k string, card []byte) error {
		if !open || family != fam {
			if open {
				closeKind()
				w.WriteString("</section>\n")
			}
			fam, kind, open = family, "", true
			slug := html.EscapeString(familySlug(family))
			oc := b.sections[family]
			if oc == nil {
				oc = new(opCounts)
			}
			fmt.Fprintf(w, `<section class="fam" id="fam-%s"><h2>%s <span class="cnt">%s</span> <a class="top" href="#top">top</a></h2>`+"\n",
				slug, html.EscapeString(family), html.EscapeString(countText(*oc, v.First)))
		}
		if k != kind {
			closeKind()
			kind = k
			n := map[string]int{OpAdd: b.sections[family].Added, OpRemove: b.sections[family].Removed, OpChange: b.sections[family].Changed}[k]
			title := strings.ToUpper(kindNames[k][:1]) + kindNames[k][1:]
			if v.First && k == OpAdd {
				title = "Entities"
			}
			fmt.Fprintf(w, `<div class="kind" id="fam-%s-%s"><h3>%s (%s)</h3>`+"\n", html.EscapeString(familySlug(family)), k, title, thousands(n))
		}
		_, err := w.Write(card)
		return err
	})
	if open {
		closeKind()
		w.WriteString("</section>\n")
	}
	return err
}

// countText is "+3 added, 1 removed, 12 changed", leaving out zeros.
func countText(oc opCounts, first bool) string {
	if first {
		return thousands(oc.Total()) + " entities"
	}
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{oc.Added, "added"}, {oc.Removed, "removed"}, {oc.Changed, "changed"}} {
		if p.n > 0 {
			parts = append(parts, thousands(p.n)+" "+p.what)
		}
	}
	return strings.Join(parts, ", ")
}

// chartBars is how many families the chart shows; the rest are one bar.
const chartBars = 12

// chart draws the ops per program family as stacked horizontal bars in
// inline SVG: the largest families, then the others together.
func chart(fams []familyRow) template.HTML {
	if len(fams) == 0 {
		return ""
	}
	rows := slices.Clone(fams)
	slices.SortStableFunc(rows, func(a, b familyRow) int { return b.Total() - a.Total() })
	if len(rows) > chartBars {
		other := familyRow{Name: strconv.Itoa(len(rows)-chartBars+1) + " other families"}
		for _, r := range rows[chartBars-1:] {
			other.Added += r.Added
			other.Removed += r.Removed
			other.Changed += r.Changed
		}
		rows = append(rows[:chartBars-1], other)
	}
	top := 1
	for _, r := range rows {
		top = max(top, r.Total())
	}
	const (
		labelW, barX, barW, rowH = 200, 205, 440, 22
	)
	var s strings.Builder
	height := len(rows)*rowH + 4
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 720 %d" width="720" height="%d" role="img" aria-label="Changes by program family">`, height, height)
	for i, r := range rows {
		y := i*rowH + 2
		name := r.Name
		if len(name) > 30 {
			name = cutStart(name, 28) + "…"
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW, y+15, html.EscapeString(name))
		x := float64(barX)
		for _, seg := range []struct {
			n          int
			class, how string
		}{{r.Added, "add", "added"}, {r.Removed, "rem", "removed"}, {r.Changed, "chg", "changed"}} {
			if seg.n == 0 {
				continue
			}
			wd := float64(seg.n) * barW / float64(top)
			fmt.Fprintf(&s, `<rect class="%s" x="%.1f" y="%d" width="%.1f" height="16"><title>%s: %d %s</title></rect>`,
				seg.class, x, y+2, max(wd, 1), html.EscapeString(r.Name), seg.n, seg.how)
			x += wd
		}
		fmt.Fprintf(&s, `<text x="%.1f" y="%d">%s</text>`, x+4, y+15, thousands(r.Total()))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// pageTemplate is parsed once; it is never modified.
var pageTemplate = template.Must(template.New("report").Parse(reportHTML))

// The script, at the end of the page: the filter hides the cards (and
// the sections left empty) that do not match; a fragment such as
// #fam=iran&type=vessel&kind=change&q=tanker sets it at load, so a
// filtered view can be linked. On <html> it records the cards shown
// (data-shown) and the time from navigation to the first layout
// (data-load-ms); with check=1 in the fragment it lays out every card and
// records what is wider than the window (data-overflow: "page", card
// ids, or "none"). The browser test reads them from the dumped DOM.
const reportHTML = `{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
<style>
:root { --add: #0a6b0a; --rem: #b01818; --chg: #8a5a00; --line: #d8d8d8; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1a1a1a; background: #f6f6f4; overflow-wrap: anywhere; }
main { max-width: 1180px; margin: 0 auto; padding: 0 1rem 4rem; }
h1 { font-size: 1.45rem; margin: 1rem 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .4rem; border-bottom: 2px solid #bbb; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; color: #444; }
h4 { font-size: 1.02rem; margin: 0; }
a { color: #1a4f9c; }
.banner { border: 2px solid #c80; background: #fff4d6; padding: .6rem .9rem; margin: .8rem 0; font-weight: 600; }
.banner.first { border-color: #4a7fc1; background: #e8f0fb; }
.bar { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid #bbb; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
.bar .in { max-width: 1180px; margin: 0 auto; padding: .45rem 1rem; display: flex; flex-wrap: wrap; gap: .35rem 1rem; align-items: center; }
.bar .counts { font-weight: 600; }
.bar label { font-size: .9em; color: #444; }
.bar select, .bar input { font: inherit; font-size: .9em; max-width: 13rem; }
.bar input { width: 11rem; }
#f-shown { font-size: .85em; color: #555; }
.n-add { color: var(--add); } .n-rem { color: var(--rem); } .n-chg { color: var(--chg); }
.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .05rem 1rem; margin: .4rem 0; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
table { border-collapse: collapse; margin: .4rem 0; background: #fff; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; }
th { background: #efefec; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { max-width: 100%; height: auto; font-size: 12px; background: #fff; border: 1px solid var(--line); }
.chart rect.add { fill: var(--add); } .chart rect.rem { fill: var(--rem); } .chart rect.chg { fill: #d19a2a; }
.legend span { display: inline-block; width: .8em; height: .8em; margin: 0 .25em 0 .8em; vertical-align: -.05em; }
section.fam, .kind, .card { scroll-margin-top: 5.5rem; }
.cnt { font-weight: normal; color: #555; font-size: .85em; }
a.top { font-size: .75em; font-weight: normal; float: right; }
.card { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--c); border-radius: 3px; margin: .5rem 0; padding: .45rem .8rem .55rem; }
.card:target { outline: 3px solid #4a7fc1; }
/* Cards off screen are not laid out until scrolled to: a first version of
   15,000 cards opens in a second instead of six. */
.card { content-visibility: auto; contain-intrinsic-size: auto 9rem; }
.laid-out .card { content-visibility: visible; }
.k-add { --c: var(--add); } .k-remove { --c: var(--rem); } .k-change { --c: #d19a2a; }
.card .sub { margin: .1rem 0 .3rem; font-size: .88em; color: #444; }
.card code { font-size: .95em; }
.badge { color: #fff; background: var(--c); border-radius: 3px; padding: 0 .35em; font-size: .85em; font-weight: 600; }
.progs { font-weight: 600; }
dl.facts { display: grid; grid-template-columns: minmax(7rem, 10rem) minmax(0, 1fr); gap: .05rem .8rem; margin: .2rem 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
.sep, .more, .same, .none { color: #777; }
.more, .same { font-size: .88em; font-style: italic; }
details.remarks summary, details.fold summary { cursor: pointer; color: #555; font-size: .9em; }
details.remarks p { margin: .2rem 0; white-space: pre-wrap; }
.chg .row { display: grid; grid-template-columns: minmax(6rem, 9rem) minmax(0, 1fr) minmax(0, 1fr); gap: .7rem; border-top: 1px solid #eee; padding: .2rem 0; }
.chg .row.head { font-weight: 600; color: #555; font-size: .85em; border-top: 0; }
.chg .f { color: #555; }
.chg .el + .el { border-top: 1px dotted #e2e2e2; }
del { background: #fbd5d5; color: #7a0d0d; text-decoration: line-through; text-decoration-color: rgba(122,13,13,.5); }
ins { background: #cdeccd; color: #0b4f0b; text-decoration: none; }
details.fold { border-top: 1px solid #eee; padding: .2rem 0; }
</style>
</head>
<body id="top">
<div class="bar"><div class="in">
<span class="counts">{{if .First}}First version: {{.EntityCount}} entities, all added{{else}}{{.EntityCount}} entities · <span class="n-add">{{.Added.Sign}} added</span> · <span class="n-rem">{{.Removed.Sign}} removed</span> · <span class="n-chg">{{.Changed.Sign}} changed</span> · {{.Unchanged}} unchanged{{end}}</span>
<label>Family <select id="f-fam"><option value="">all</option>{{range .Families}}<option value="{{.Slug}}">{{.Name}} ({{.Total}})</option>{{end}}</select></label>
<label>Type <select id="f-type"><option value="">all</option>{{range .TypeOptions}}<option value="{{.}}">{{.}}</option>{{end}}</select></label>
<label>Kind <select id="f-kind"><option value="">all</option><option value="add">added</option><option value="remove">removed</option><option value="change">changed</option></select></label>
<label>Text <input id="f-q" type="search" placeholder="name, id, passport…"></label>
<span id="f-shown"></span>
</div></div>
<main>
<h1>{{.Heading}}</h1>
{{- if .Reprocess}}
<p class="banner" id="reprocess">{{.Reprocess}}</p>
{{- end}}
{{- if .First}}
<p class="banner first" id="first">{{.FirstNote}}</p>
{{- end}}
<dl class="meta">
{{- range .Meta}}
<dt>{{.Key}}</dt><dd>{{.Value}}</dd>
{{- end}}
</dl>

<h2 id="summary">Summary</h2>
<table>
<tr><th class="n">Entities</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th><th class="n">Unchanged</th></tr>
<tr><td class="n">{{.EntityCount}}</td><td class="n n-add">{{.Added.Sign}}</td><td class="n n-rem">{{.Removed.Sign}}</td><td class="n n-chg">{{.Changed.Sign}}</td><td class="n">{{.Unchanged}}</td></tr>
</table>
{{- if .NoOps}}
<p>{{.PageNote}}</p>
{{- end}}

<h2 id="families">By program family</h2>
{{- if .Families}}
<p>{{.FamilyNote}} A family's section below holds the entities whose first family it is.</p>
{{.Chart}}
<p class="legend"><span style="background:var(--add)"></span>added<span style="background:var(--rem)"></span>removed<span style="background:#d19a2a"></span>changed</p>
<table>
<tr><th>Family</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th><th class="n">In its section</th></tr>
{{- range .Families}}
<tr><td><a href="#fam-{{.Slug}}">{{.Name}}</a></td><td class="n">{{.Added}}</td><td class="n">{{.Removed}}</td><td class="n">{{.Changed}}</td><td class="n">{{.Section.Total}}</td></tr>
{{- end}}
</table>
{{- else}}
<p>No entity was added, removed or changed.</p>
{{- end}}

<h2 id="types">By type</h2>
<table>
<tr><th>Type</th><th class="n">Entities</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th></tr>
{{- range .Types}}
<tr><td>{{.Name}}</td><td class="n">{{.Entities}}</td><td class="n">{{.Added}}</td><td class="n">{{.Removed}}</td><td class="n">{{.Changed}}</td></tr>
{{- end}}
</table>
<div id="cards">
{{end}}

{{define "tail"}}</div>
{{- if .Programs}}
<h2 id="programs">By program</h2>
<details><summary>{{len .Programs}} programs</summary>
<p>{{.ProgramNote}}</p>
<table>
<tr><th>Program</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th></tr>
{{- range .Programs}}
<tr><td>{{.Name}}</td><td class="n">{{.Added}}</td><td class="n">{{.Removed}}</td><td class="n">{{.Changed}}</td></tr>
{{- end}}
</table>
</details>
{{- end}}

{{- if .Coverage}}
<h2 id="normalization">Normalization</h2>
<table>
<tr><th>Values</th><th class="n">Total</th><th>Done</th><th>Not done</th></tr>
{{- range .Coverage}}
<tr><td>{{.Kind}}</td><td class="n">{{.Total}}</td><td>{{.Done}}</td><td>{{.NotDone}}</td></tr>
{{- end}}
</table>
{{- range .Unhandled}}
<h3>{{.Title}}</h3>
<table>
<tr><th>Value</th><th class="n">Count</th><th>First entity</th><th>Problem</th></tr>
{{- range .Rows}}
<tr><td>{{.Value}}</td><td class="n">{{.Count}}</td><td>{{.Entity}}</td><td>{{.Problem}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- end}}

<h2 id="issues">{{.Issues.Title}} ({{.Issues.Total}})</h2>
{{- if .Issues.Rows}}
<table>
<tr><th>File</th><th class="n">Line</th><th>Record</th><th>Problem</th></tr>
{{- range .Issues.Rows}}
<tr><td>{{.File}}</td><td class="n">{{if gt .Line 0}}{{.Line}}{{end}}</td><td>{{.Record}}</td><td>{{.Problem}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- if eq .Issues.Total 0}}<p>None.</p>{{else if .Issues.HTMLMore}}<p class="more">{{.Issues.HTMLMore}}</p>{{end}}
</main>
<script>
(function () {
  var d = document, root = d.documentElement;
  var cards = d.querySelectorAll("article.card"), groups = d.querySelectorAll("section.fam, div.kind");
  var f = {fam: d.getElementById("f-fam"), type: d.getElementById("f-type"), kind: d.getElementById("f-kind"), q: d.getElementById("f-q")};
  var text = [];
  function apply() {
    var fam = f.fam.value, type = f.type.value, kind = f.kind.value, q = f.q.value.trim().toLowerCase(), n = 0;
    for (var i = 0; i < cards.length; i++) {
      var c = cards[i];
      var ok = (!fam || (" " + c.dataset.fam + " ").indexOf(" " + fam + " ") >= 0) && (!type || c.dataset.type === type) && (!kind || c.dataset.kind === kind);
      if (ok && q) { if (text[i] === undefined) text[i] = c.textContent.toLowerCase(); ok = text[i].indexOf(q) >= 0; }
      c.hidden = !ok;
      if (ok) n++;
    }
    for (var j = 0; j < groups.length; j++) groups[j].hidden = !groups[j].querySelector("article.card:not([hidden])");
    d.getElementById("f-shown").textContent = n === cards.length ? "all " + n + " shown" : n + " of " + cards.length + " shown";
    root.dataset.shown = n;
  }
  function fromHash() {
    var h = location.hash.slice(1);
    if (h.indexOf("=") < 0) return;
    var p = new URLSearchParams(h);
    for (var k in f) f[k].value = p.get(k) || "";
    apply();
    if (p.get("check") === "1") {
      root.classList.add("laid-out");
      var wide = [];
      if (root.scrollWidth > root.clientWidth) wide.push("page");
      for (var i = 0; i < cards.length; i++) if (cards[i].scrollWidth > cards[i].clientWidth + 1) wide.push(cards[i].id);
      root.dataset.overflow = wide.length ? wide.slice(0, 20).join(" ") : "none";
    }
  }
  for (var k in f) f[k].addEventListener("input", apply);
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

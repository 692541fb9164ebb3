package diff

import (
	"fmt"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Issue is a record-level problem of the run, as in the manifest.
type Issue struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Record  string `json:"record,omitempty"`
	Problem string `json:"problem"`
}

// ReportInput is everything report.md and report.html show.
type ReportInput struct {
	Source          string // e.g. us_ofac_sdn
	Title           string // e.g. "Specially Designated Nationals list"; optional
	Publisher       string // e.g. "US Treasury OFAC"; optional
	Version         string
	PreviousVersion string // empty for a source's first version
	PublicationDate string // as printed in the publication; optional
	PublishedAt     time.Time

	EntityCount  int
	CountsByType map[string]int // entities of the new snapshot per type
	Counts       Counts         // from Compare or CarryCompare

	// Ops holds the ops of the comparison. nil shows the counts only, every
	// table then saying how many rows it leaves out.
	Ops *ReportBuilder

	Issues     []Issue // the issues kept
	IssueTotal int     // all issues, kept or not

	// Coverage is what normalization did; nil leaves the section out.
	Coverage *normalize.Coverage

	// Limit caps the rows of every table: 0 means DefaultLimit, negative
	// means no cap. Rows left out are always counted under the table.
	Limit int
}

// WriteMarkdown writes report.md with the ops b collected: WriteMarkdown(w,
// in) with in.Ops = b, and in.Limit = b's limit when in.Limit is 0.
func (b *ReportBuilder) WriteMarkdown(w io.Writer, in ReportInput) error {
	return WriteMarkdown(w, b.input(in))
}

// WriteHTML writes report.html with the ops b collected, as WriteMarkdown.
func (b *ReportBuilder) WriteHTML(w io.Writer, in ReportInput) error {
	return WriteHTML(w, b.input(in))
}

func (b *ReportBuilder) input(in ReportInput) ReportInput {
	in.Ops = b
	if in.Limit == 0 {
		in.Limit = b.limit
	}
	return in
}

// WriteMarkdown writes report.md. The output depends only on in.
func WriteMarkdown(w io.Writer, in ReportInput) error {
	v := buildView(in)
	p := &mdWriter{w: w}
	p.f("# %s\n\n", md(v.Heading))
	for _, m := range v.Meta {
		p.f("- **%s:** %s\n", m.Key, md(m.Value))
	}

	p.f("\n## Summary\n\n")
	p.f("| Entities | Added | Removed | Changed | Unchanged |\n|---:|---:|---:|---:|---:|\n")
	p.f("| %d | %s | %s | %s | %d |\n", v.EntityCount, v.Added.Sign, v.Removed.Sign, v.Changed.Sign, v.Unchanged)

	p.f("\n## By type\n\n")
	p.f("| Type | Entities | Added | Removed | Changed |\n|---|---:|---:|---:|---:|\n")
	for _, r := range v.Types {
		p.f("| %s | %s | %d | %d | %d |\n", md(r.Name), r.Entities, r.Added, r.Removed, r.Changed)
	}

	p.f("\n## By program\n\n")
	if len(v.Programs) == 0 {
		p.f("No entity was added, removed or changed.\n")
	} else {
		p.f("%s\n\n", programNote)
		p.f("| Program | Added | Removed | Changed |\n|---|---:|---:|---:|\n")
		for _, r := range v.Programs {
			p.f("| %s | %d | %d | %d |\n", md(r.Name), r.Added, r.Removed, r.Changed)
		}
	}

	for _, t := range v.EntityTables() {
		p.f("\n## %s (%d)\n\n", t.Title, t.Total)
		if len(t.Rows) > 0 {
			p.f("| ID | Type | Name | Programs |\n|---|---|---|---|\n")
			for _, r := range t.Rows {
				p.f("| %s | %s | %s | %s |\n", md(r.ID), md(r.Type), md(r.Name), md(r.Programs))
			}
		}
		p.more(t.Total, len(t.Rows), t.More)
	}

	p.f("\n## %s (%d)\n\n", v.Changed.Title, v.Changed.Total)
	if len(v.Changed.Rows) > 0 {
		p.f("| ID | Name | Field | Change |\n|---|---|---|---|\n")
		for _, r := range v.Changed.Rows {
			if len(r.Fields) == 0 {
				p.f("| %s | %s | | |\n", md(r.ID), md(r.Name))
			}
			for _, f := range r.Fields {
				p.f("| %s | %s | %s | %s |\n", md(r.ID), md(r.Name), md(f.Field), md(f.Change))
			}
		}
	}
	p.more(v.Changed.Total, len(v.Changed.Rows), v.Changed.More)

	if len(v.Coverage) > 0 {
		p.f("\n## Normalization\n\n| Values | Total | Done | Not done |\n|---|---:|---|---|\n")
		for _, r := range v.Coverage {
			p.f("| %s | %s | %s | %s |\n", r.Kind, r.Total, r.Done, r.NotDone)
		}
		for _, t := range v.Unhandled {
			p.f("\n### %s\n\n| Value | Count | First entity | Problem |\n|---|---:|---|---|\n", t.Title)
			for _, ex := range t.Rows {
				p.f("| %s | %d | %s | %s |\n", md(ex.Value), ex.Count, md(ex.Entity), md(ex.Problem))
			}
		}
	}

	p.f("\n## %s (%d)\n\n", v.Issues.Title, v.Issues.Total)
	if len(v.Issues.Rows) > 0 {
		p.f("| File | Line | Record | Problem |\n|---|---:|---|---|\n")
		for _, r := range v.Issues.Rows {
			p.f("| %s | %s | %s | %s |\n", md(r.File), lineText(r.Line), md(r.Record), md(r.Problem))
		}
	}
	p.more(v.Issues.Total, len(v.Issues.Rows), v.Issues.More)
	return p.err
}

type mdWriter struct {
	w   io.Writer
	err error
}

func (p *mdWriter) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// more ends a table: the rows left out, or "None." for an empty one.
func (p *mdWriter) more(total, shown int, note string) {
	switch {
	case total == 0:
		p.f("None.\n")
	case note != "":
		if shown > 0 {
			p.f("\n")
		}
		p.f("*%s*\n", md(note))
	}
}

// mdEscaper makes text safe in a Markdown table cell: pipes would split the
// cell, newlines end the row, and the rest would turn into markup or HTML.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, `|`, `\|`, `<`, `\<`, `>`, `\>`, "`", "\\`", `*`, `\*`, `[`, `\[`, `]`, `\]`,
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)

func md(s string) string { return mdEscaper.Replace(s) }

func lineText(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

const programNote = "Programs of the added, removed and changed entities: an entity counts under each of its programs, a changed one under its programs before and after."

// view is the report's content, shared by both formats.
type view struct {
	Heading         string
	Meta            []metaRow
	EntityCount     int
	Unchanged       int
	Types, Programs []countRow
	Added, Removed  entityTable
	Changed         changedTable
	Issues          issueTable
	ProgramNote     string
	Coverage        []coverageRow
	Unhandled       []exampleTable
}

// coverageRow is one kind of value: how many there were and what became
// of them.
type coverageRow struct {
	Kind, Total, Done, NotDone string
}

// exampleTable lists values normalization could not handle.
type exampleTable struct {
	Title string
	Rows  []normalize.Example
}

// EntityTables lists the added and removed tables, which share a shape.
func (v view) EntityTables() []entityTable { return []entityTable{v.Added, v.Removed} }

type metaRow struct{ Key, Value string }

type countRow struct {
	Name                    string
	Entities                string // empty where not known
	Added, Removed, Changed int
}

type tableHead struct {
	Title string
	Total int
	Sign  string // the total with its sign, for the summary
	More  string // the rows left out, or empty
}

type entityTable struct {
	tableHead
	Rows []entityRow
}

type changedTable struct {
	tableHead
	Rows []changedRow
}

type issueTable struct {
	tableHead
	Rows []Issue
}

func buildView(in ReportInput) view {
	limit := in.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	c := in.Ops
	if c == nil {
		c = NewReportBuilder(-1)
		c.totals = in.Counts
	}
	v := view{
		Heading:     "Sanctions list changes: " + in.Source,
		EntityCount: in.EntityCount,
		Unchanged:   in.Counts.Unchanged,
		ProgramNote: programNote,
	}
	if in.Title != "" {
		v.Heading = fmt.Sprintf("Sanctions list changes: %s (%s)", in.Title, in.Source)
	}
	prev := in.PreviousVersion
	if prev == "" {
		prev = "none (first version: every entity is added)"
	}
	v.Meta = append(v.Meta, metaRow{"Source", in.Source})
	if in.Publisher != "" {
		v.Meta = append(v.Meta, metaRow{"Publisher", in.Publisher})
	}
	v.Meta = append(v.Meta, metaRow{"Version", in.Version}, metaRow{"Previous version", prev})
	if in.PublicationDate != "" {
		v.Meta = append(v.Meta, metaRow{"Publication date", in.PublicationDate})
	}
	if !in.PublishedAt.IsZero() {
		v.Meta = append(v.Meta, metaRow{"Published at", in.PublishedAt.UTC().Format(time.RFC3339)})
	}

	// Types: the schema's in order, then any other, sorted.
	typeNames := make([]string, 0, len(entity.Types))
	for _, t := range entity.Types {
		typeNames = append(typeNames, string(t))
	}
	var extra []string
	for k := range in.CountsByType {
		extra = append(extra, k)
	}
	for k := range c.byType {
		extra = append(extra, k)
	}
	slices.Sort(extra)
	for _, k := range slices.Compact(extra) {
		if !slices.Contains(typeNames, k) {
			typeNames = append(typeNames, k)
		}
	}
	for _, t := range typeNames {
		r := countRow{Name: t}
		if in.CountsByType != nil {
			r.Entities = strconv.Itoa(in.CountsByType[t])
		}
		if oc := c.byType[t]; oc != nil {
			r.Added, r.Removed, r.Changed = oc.Added, oc.Removed, oc.Changed
		}
		if t == "" {
			r.Name = "(no type)"
		}
		v.Types = append(v.Types, r)
	}

	programs := make([]string, 0, len(c.byProgram))
	for p := range c.byProgram {
		if p != noProgram {
			programs = append(programs, p)
		}
	}
	slices.Sort(programs)
	if c.byProgram[noProgram] != nil {
		programs = append(programs, noProgram)
	}
	for _, p := range programs {
		oc := c.byProgram[p]
		v.Programs = append(v.Programs, countRow{Name: p, Added: oc.Added, Removed: oc.Removed, Changed: oc.Changed})
	}

	const seeDelta = "see delta.jsonl.gz"
	v.Added = entityTable{head("Added", c.totals.Added, "+", len(c.added), limit, seeDelta), capRows(c.added, limit)}
	v.Removed = entityTable{head("Removed", c.totals.Removed, "-", len(c.removed), limit, seeDelta), capRows(c.removed, limit)}
	v.Changed = changedTable{head("Changed", c.totals.Changed, "~", len(c.changed), limit, seeDelta), capRows(c.changed, limit)}
	if c := in.Coverage; c != nil {
		n := strconv.Itoa
		v.Coverage = []coverageRow{
			{"Names not in Latin script", n(c.NamesNonLatin), n(c.NamesTransliterated) + " transliterated", n(c.NamesNotTransliterated) + " not"},
			{"Countries", n(c.Countries), n(c.CountriesMapped) + " mapped to ISO 3166", n(c.CountriesUnmapped) + " unmapped"},
			{"Dates", n(c.Dates), n(c.DatesParsed) + " parsed", n(c.DatesUnparsed) + " unparsed"},
			{"Identifiers", n(c.Identifiers), fmt.Sprintf("%d typed, %d valid", c.IdentifiersTyped, c.IdentifiersValid), fmt.Sprintf("%d invalid, %d without a check", c.IdentifiersInvalid, c.IdentifiersUnchecked)},
			{"Remarks fragments", "", "", n(c.RemarksUnparsed) + " unparsed"},
		}
		for _, t := range []exampleTable{
			{"Unmapped countries", c.UnmappedCountries},
			{"Unparsed dates", c.UnparsedDates},
			{"Invalid identifiers", c.InvalidIdentifiers},
			{"Names not transliterated", c.UntransliteratedNames},
			{"Unparsed remarks", c.UnparsedRemarks},
		} {
			if len(t.Rows) > 0 {
				v.Unhandled = append(v.Unhandled, t)
			}
		}
	}
	issueTotal := max(in.IssueTotal, len(in.Issues))
	v.Issues = issueTable{head("Issues", issueTotal, "", len(in.Issues), limit, "see manifest.json"), capRows(in.Issues, limit)}
	return v
}

func head(title string, total int, sign string, kept, limit int, see string) tableHead {
	shown := kept
	if limit >= 0 {
		shown = min(kept, limit)
	}
	h := tableHead{Title: title, Total: total, Sign: sign + strconv.Itoa(total)}
	if total == 0 {
		h.Sign = "0"
	}
	if left := total - shown; left > 0 {
		h.More = fmt.Sprintf("%d more not shown; %s", left, see)
	}
	return h
}

func capRows[T any](rows []T, limit int) []T {
	if limit >= 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}

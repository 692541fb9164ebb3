package diff

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Issue is a record-level problem of the run, as in the manifest.
type Issue struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Record  string `json:"record,omitempty"`
	Problem string `json:"problem"`
}

// ReasonReprocess is the Reason of a version the tool made from the raw
// bytes of an earlier one (sanctions-etl reprocess), not from a new
// publication.
const ReasonReprocess = "reprocess"

// ReportInput is everything report.md and report.html show.
type ReportInput struct {
	Source          string // e.g. us_ofac_sdn
	Title           string // e.g. "Specially Designated Nationals list"; optional
	Publisher       string // e.g. "US Treasury OFAC"; optional
	Version         string
	PreviousVersion string // empty for a source's first version
	PublicationDate string // as printed in the publication; optional
	PublishedAt     time.Time
	// Reason is the manifest's reason: "publication" (or empty) for a
	// publisher's run, ReasonReprocess when the tool rebuilt the version,
	// which the reports then say at the top: its changes are the tool's.
	Reason          string
	ReprocessedFrom string // the version reprocessed; optional

	EntityCount  int
	CountsByType map[string]int // entities of the new snapshot per type
	Counts       Counts         // from Compare or CarryCompare: the manifest's delta

	// Ops holds the ops of the comparison. nil shows the counts only.
	Ops *ReportBuilder

	Issues     []Issue // the issues kept
	IssueTotal int     // all issues, kept or not

	// Coverage is what normalization did; nil leaves the section out.
	Coverage *normalize.Coverage

	// Limit caps the entities of each kind and the issues report.md lists:
	// 0 means DefaultLimit, negative means no cap. report.html lists every
	// entity. Rows left out are always counted.
	Limit int
}

// WriteMarkdown writes report.md with the ops b collected: WriteMarkdown(w,
// in) with in.Ops = b, and in.Limit = b's limit when in.Limit is 0.
func (b *ReportBuilder) WriteMarkdown(w io.Writer, in ReportInput) error {
	return WriteMarkdown(w, b.input(in))
}

// WriteHTML writes report.html with the ops b collected, as WriteMarkdown.
// It reads the cards back from disk once: a second call fails with
// ErrCardsWritten.
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

// WriteMarkdown writes report.md, the short summary for mail and chat:
// the manifest's counts, the program families, the first entities of each
// kind and where the rest are. The output depends only on in.
func WriteMarkdown(w io.Writer, in ReportInput) error {
	v := buildView(in)
	p := &mdWriter{w: w}
	p.f("# %s\n\n", md(v.Heading))
	if v.Reprocess != "" {
		p.f("> **%s**\n\n", md(v.Reprocess))
	}
	for _, m := range v.Meta {
		p.f("- **%s:** %s\n", m.Key, md(m.Value))
	}

	p.f("\n## Summary\n\n")
	if v.First {
		p.f("%s\n\n", md(v.FirstNote))
	}
	p.f("| Entities | Added | Removed | Changed | Unchanged |\n|---:|---:|---:|---:|---:|\n")
	p.f("| %d | %s | %s | %s | %d |\n", v.EntityCount, v.Added.Sign, v.Removed.Sign, v.Changed.Sign, v.Unchanged)
	if v.NoOps {
		p.f("\n%s\n", md(v.PageNote))
	} else {
		p.f("\n%s [report.html](report.html)\n", md(v.PageNote))
	}

	p.f("\n## By type\n\n")
	p.f("| Type | Entities | Added | Removed | Changed |\n|---|---:|---:|---:|---:|\n")
	for _, r := range v.Types {
		p.f("| %s | %s | %d | %d | %d |\n", md(r.Name), r.Entities, r.Added, r.Removed, r.Changed)
	}

	p.f("\n## By program family\n\n")
	if len(v.Families) == 0 {
		p.f("No entity was added, removed or changed.\n")
	} else {
		p.f("%s\n\n", familyNote)
		p.f("| Family | Added | Removed | Changed |\n|---|---:|---:|---:|\n")
		for _, r := range v.Families {
			p.f("| %s | %d | %d | %d |\n", md(r.Name), r.Added, r.Removed, r.Changed)
		}
	}

	for _, t := range v.EntityTables() {
		if v.First && t.Total == 0 {
			continue // a first version removes nothing
		}
		p.f("\n## %s (%d)\n\n", t.Title, t.Total)
		if len(t.Rows) > 0 {
			p.f("| ID | Type | Name | Programs |\n|---|---|---|---|\n")
			for _, r := range t.Rows {
				p.f("| %s | %s | %s | %s |\n", md(r.ID), md(r.Type), md(r.Name), md(r.Programs))
			}
		}
		p.more(t.Total, len(t.Rows), t.More)
	}

	if !v.First || v.Changed.Total > 0 {
		p.f("\n## %s (%d)\n\n", v.Changed.Title, v.Changed.Total)
	}
	if len(v.Changed.Rows) > 0 {
		p.f("| ID | Name | Programs | Fields changed |\n|---|---|---|---|\n")
		for _, r := range v.Changed.Rows {
			p.f("| %s | %s | %s | %s |\n", md(r.ID), md(r.Name), md(r.Programs), md(r.Fields))
		}
	}
	if !v.First || v.Changed.Total > 0 {
		p.more(v.Changed.Total, len(v.Changed.Rows), v.Changed.More)
	}

	if len(v.Coverage) > 0 {
		p.f("\n## Normalization\n\n| Values | Total | Done | Not done |\n|---|---:|---|---|\n")
		for _, r := range v.Coverage {
			p.f("| %s | %s | %s | %s |\n", r.Kind, r.Total, r.Done, r.NotDone)
		}
		for _, t := range v.Unhandled {
			p.f("\n### %s\n\n| Value | Count | First entity | Problem |\n|---|---:|---|---|\n", t.Title)
			for _, ex := range capRows(t.Rows, v.limit) {
				p.f("| %s | %d | %s | %s |\n", md(ex.Value), ex.Count, md(ex.Entity), md(ex.Problem))
			}
			if left := len(t.Rows) - len(capRows(t.Rows, v.limit)); left > 0 {
				p.f("\n*%d more in report.html*\n", left)
			}
		}
	}

	p.f("\n## %s (%d)\n\n", v.Issues.Title, v.Issues.Total)
	if rows := capRows(v.Issues.Rows, v.limit); len(rows) > 0 {
		p.f("| File | Line | Record | Problem |\n|---|---:|---|---|\n")
		for _, r := range rows {
			p.f("| %s | %s | %s | %s |\n", md(r.File), lineText(r.Line), md(r.Record), md(r.Problem))
		}
	}
	p.more(v.Issues.Total, len(capRows(v.Issues.Rows, v.limit)), v.Issues.More)
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

// thousands writes n with commas, for prose.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

const programNote = "Programs of the added, removed and changed entities: an entity counts under each of its programs, a changed one under its programs before and after."

const familyNote = "Program families group the publishers' program tags by country or theme (diff/family.go); a tag no family knows is its own family. An entity counts under each family of its programs (a changed one, before and after), so the rows may add up to more than the totals."

// view is the report's content, shared by both formats.
type view struct {
	Heading   string
	Meta      []metaRow
	Reprocess string // the banner of a version the tool made, or empty
	First     bool   // the source's first version
	FirstNote string
	PageNote  string // where every entity is listed

	EntityCount    int
	Unchanged      int
	Types          []countRow
	Programs       []countRow
	Families       []familyRow
	Added, Removed entityTable
	Changed        changedTable
	Issues         issueTable
	ProgramNote    string
	FamilyNote     string
	Coverage       []coverageRow
	Unhandled      []exampleTable
	NoOps          bool // written from counts only: no entity listed
	Listed         int  // cards in the page
	limit          int
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

// familyRow is a program family: the ops under any of its programs, and
// the cards of its section (those whose first family it is).
type familyRow struct {
	Name, Slug              string
	Added, Removed, Changed int
	Section                 opCounts
}

func (r familyRow) Total() int { return r.Added + r.Removed + r.Changed }

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
	Rows     []Issue
	HTMLMore string // the issues report.html leaves out (those not kept)
}

func buildView(in ReportInput) view {
	limit := in.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	c := in.Ops
	v := view{
		Heading:     "Sanctions list changes: " + in.Source,
		EntityCount: in.EntityCount,
		Unchanged:   in.Counts.Unchanged,
		ProgramNote: programNote,
		FamilyNote:  familyNote,
		First:       in.PreviousVersion == "",
		NoOps:       c == nil,
		limit:       limit,
	}
	if c == nil {
		c = NewReportBuilder(-1)
	}
	v.Listed = c.totals.Added + c.totals.Removed + c.totals.Changed
	if in.Title != "" {
		v.Heading = fmt.Sprintf("Sanctions list changes: %s (%s)", in.Title, in.Source)
	}
	if in.Reason == ReasonReprocess {
		v.Reprocess = "This version was made by sanctions-etl from the raw files of an earlier version (reprocess), not from a new publication: every change below comes from a change of the tool, not from the publisher."
		if in.ReprocessedFrom != "" {
			v.Reprocess = strings.Replace(v.Reprocess, "of an earlier version", "of version "+in.ReprocessedFrom, 1)
		}
	}
	prev := in.PreviousVersion
	if v.First {
		prev = "none (first version)"
		n := max(in.EntityCount, c.totals.Added)
		v.FirstNote = fmt.Sprintf("First version: %s entities, all added. There is no previous version to compare with: the delta of a first version is empty (delta.jsonl.gz), so the manifest and this summary count no change.", thousands(n))
	}
	switch {
	case v.NoOps:
		v.PageNote = "The entities are not listed: this report was written from counts only; see delta.jsonl.gz."
	case v.First:
		v.PageNote = "report.html, beside this file, lists every entity of this first version, grouped by program family:"
	default:
		v.PageNote = "report.html, beside this file, lists every added, removed and changed entity, grouped by program family, with each change before and after:"
	}
	v.Meta = append(v.Meta, metaRow{"Source", in.Source})
	if in.Publisher != "" {
		v.Meta = append(v.Meta, metaRow{"Publisher", in.Publisher})
	}
	v.Meta = append(v.Meta, metaRow{"Version", in.Version}, metaRow{"Previous version", prev})
	if in.Reason != "" {
		v.Meta = append(v.Meta, metaRow{"Reason", in.Reason})
	}
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
	fams := make([]string, 0, len(c.byFamily))
	for f := range c.byFamily {
		fams = append(fams, f)
	}
	slices.SortFunc(fams, compareFamilies)
	for _, f := range fams {
		oc := c.byFamily[f]
		r := familyRow{Name: f, Slug: familySlug(f), Added: oc.Added, Removed: oc.Removed, Changed: oc.Changed}
		if s := c.sections[f]; s != nil {
			r.Section = *s
		}
		v.Families = append(v.Families, r)
	}

	// The summary's counts are the manifest's (in.Counts); the tables list
	// what the builder saw, which for a first version is every entity.
	more := "in report.html and delta.jsonl.gz"
	addedTitle := "Added"
	if v.First {
		more, addedTitle = "in report.html", "Entities of the first version"
	}
	if v.NoOps {
		more = "see delta.jsonl.gz"
	}
	listed := c.totals
	if v.NoOps {
		listed = in.Counts
	}
	v.Added = entityTable{head(addedTitle, listed.Added, len(c.added), limit, more), capRows(c.added, limit)}
	v.Removed = entityTable{head("Removed", listed.Removed, len(c.removed), limit, more), capRows(c.removed, limit)}
	v.Changed = changedTable{head("Changed", listed.Changed, len(c.changed), limit, more), capRows(c.changed, limit)}
	v.Added.Sign, v.Removed.Sign, v.Changed.Sign = sign("+", in.Counts.Added), sign("-", in.Counts.Removed), sign("~", in.Counts.Changed)
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
	v.Issues = issueTable{tableHead: head("Issues", issueTotal, len(in.Issues), limit, "see manifest.json"), Rows: in.Issues}
	if left := issueTotal - len(in.Issues); left > 0 {
		v.Issues.HTMLMore = fmt.Sprintf("%d more issues were counted but not kept", left)
	}
	return v
}

func sign(s string, n int) string {
	if n == 0 {
		return "0"
	}
	return s + strconv.Itoa(n)
}

// head titles a table of total rows of which kept were collected and at
// most limit are shown, saying where the others are.
func head(title string, total, kept, limit int, where string) tableHead {
	shown := kept
	if limit >= 0 {
		shown = min(kept, limit)
	}
	h := tableHead{Title: title, Total: total}
	if left := total - shown; left > 0 {
		h.More = fmt.Sprintf("%d more %s", left, where)
		if strings.HasPrefix(where, "see ") {
			h.More = fmt.Sprintf("%d more not shown; %s", left, where)
		}
	}
	return h
}

func capRows[T any](rows []T, limit int) []T {
	if limit >= 0 && len(rows) > limit {
		return rows[:limit]
	}
	return rows
}

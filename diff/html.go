package diff

import (
	"html/template"
	"io"
)

// WriteHTML writes report.html: the content of report.md as one
// self-contained page (inline CSS, no script, no external asset). Every
// published value is escaped by html/template.
func WriteHTML(w io.Writer, in ReportInput) error {
	return reportTemplate.Execute(w, buildView(in))
}

// reportTemplate is parsed once; it is never modified.
var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.chg { white-space: pre-wrap; font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .9em; }
td.id { white-space: nowrap; }
.meta dt { font-weight: bold; float: left; clear: left; width: 10rem; }
.meta dd { margin-left: 10rem; }
.more { font-style: italic; color: #555; }
.add { color: #0a6b0a; } .rem { color: #a11; } .chgc { color: #8a5a00; }
</style>
</head>
<body>
<h1>{{.Heading}}</h1>
<dl class="meta">
{{- range .Meta}}
<dt>{{.Key}}</dt><dd>{{.Value}}</dd>
{{- end}}
</dl>

<h2>Summary</h2>
<table>
<tr><th class="n">Entities</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th><th class="n">Unchanged</th></tr>
<tr><td class="n">{{.EntityCount}}</td><td class="n add">{{.Added.Sign}}</td><td class="n rem">{{.Removed.Sign}}</td><td class="n chgc">{{.Changed.Sign}}</td><td class="n">{{.Unchanged}}</td></tr>
</table>

<h2>By type</h2>
<table>
<tr><th>Type</th><th class="n">Entities</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th></tr>
{{- range .Types}}
<tr><td>{{.Name}}</td><td class="n">{{.Entities}}</td><td class="n">{{.Added}}</td><td class="n">{{.Removed}}</td><td class="n">{{.Changed}}</td></tr>
{{- end}}
</table>

<h2>By program</h2>
{{- if .Programs}}
<p>{{.ProgramNote}}</p>
<table>
<tr><th>Program</th><th class="n">Added</th><th class="n">Removed</th><th class="n">Changed</th></tr>
{{- range .Programs}}
<tr><td>{{.Name}}</td><td class="n">{{.Added}}</td><td class="n">{{.Removed}}</td><td class="n">{{.Changed}}</td></tr>
{{- end}}
</table>
{{- else}}
<p>No entity was added, removed or changed.</p>
{{- end}}
{{range .EntityTables}}
<h2>{{.Title}} ({{.Total}})</h2>
{{- if .Rows}}
<table>
<tr><th>ID</th><th>Type</th><th>Name</th><th>Programs</th></tr>
{{- range .Rows}}
<tr><td class="id">{{.ID}}</td><td>{{.Type}}</td><td>{{.Name}}</td><td>{{.Programs}}</td></tr>
{{- end}}
</table>
{{- end}}
{{template "more" .}}
{{end}}
<h2>{{.Changed.Title}} ({{.Changed.Total}})</h2>
{{- if .Changed.Rows}}
<table>
<tr><th>ID</th><th>Name</th><th>Field</th><th>Change</th></tr>
{{- range .Changed.Rows}}
{{- $r := .}}
{{- if not .Fields}}
<tr><td class="id">{{.ID}}</td><td>{{.Name}}</td><td></td><td></td></tr>
{{- end}}
{{- range .Fields}}
<tr><td class="id">{{$r.ID}}</td><td>{{$r.Name}}</td><td>{{.Field}}</td><td class="chg">{{.Change}}</td></tr>
{{- end}}
{{- end}}
</table>
{{- end}}
{{template "more" .Changed}}

{{- if .Coverage}}
<h2>Normalization</h2>
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
<tr><td>{{.Value}}</td><td class="n">{{.Count}}</td><td class="id">{{.Entity}}</td><td>{{.Problem}}</td></tr>
{{- end}}
</table>
{{- end}}
{{- end}}

<h2>{{.Issues.Title}} ({{.Issues.Total}})</h2>
{{- if .Issues.Rows}}
<table>
<tr><th>File</th><th class="n">Line</th><th>Record</th><th>Problem</th></tr>
{{- range .Issues.Rows}}
<tr><td>{{.File}}</td><td class="n">{{if gt .Line 0}}{{.Line}}{{end}}</td><td>{{.Record}}</td><td>{{.Problem}}</td></tr>
{{- end}}
</table>
{{- end}}
{{template "more" .Issues}}
</body>
</html>
{{define "more"}}
{{- if eq .Total 0}}<p>None.</p>
{{- else if .More}}<p class="more">{{.More}}</p>
{{- end}}
{{- end}}
`

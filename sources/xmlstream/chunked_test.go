package xmlstream

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// realDocs are real publications of the four XML sources, with the options
// their parsers open them with.
var realDocs = []struct {
	path string
	opts Options
}{
	{"../../testdata/us_ofac_cons/2018-04-06/consolidated.xml.gz", opts},
	{"../../testdata/un_sc/2026-02-27/consolidated.xml.gz", Options{Source: "un_sc", File: "consolidated.xml", Root: "CONSOLIDATED_LIST", Containers: []string{"INDIVIDUALS", "ENTITIES"}}},
	{"../../testdata/eu_fsf/excerpt-2026-08-05/xmlFullSanctionsList_1_1.xml", Options{Source: "eu_fsf", File: "xmlFullSanctionsList_1_1.xml", Root: "export", BlankNamespace: true}},
	{"../../testdata/eu_fsf/excerpt-2026-08-05/xmlFullSanctionsList_1_1.xml", Options{Source: "eu_fsf", File: "xmlFullSanctionsList_1_1.xml", Root: "export"}},
	{"../../testdata/gb_fcdo/excerpt-2026-08-14/UK-Sanctions-List.xml", Options{Source: "gb_fcdo", File: "UK-Sanctions-List.xml", Root: "Designations"}},
}

func readDoc(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

type record struct {
	xml, parent, grandparent string
	line, elemLine, after    int
}

// records reads every record of data in one mode: its XML, its parents'
// names, its line, the line of its last element (through LineOf) and
// Line() after it.
func records(t *testing.T, data []byte, o Options) ([]record, *sources.Issues, error) {
	t.Helper()
	issues := &sources.Issues{}
	s, err := Open(bytes.NewReader(data), o, issues)
	if err != nil {
		return nil, issues, err
	}
	defer s.Close()
	var out []record
	for {
		n, err := s.Next()
		if err == io.EOF {
			return out, issues, nil
		}
		if err != nil {
			return out, issues, err
		}
		r := record{xml: n.OutputXML(true), line: s.LineOf(n, nil), after: s.Line()}
		if n.LastChild != nil {
			r.elemLine = s.LineOf(n, n.LastChild)
		}
		if n.Parent != nil {
			r.parent = n.Parent.Data
			if n.Parent.Parent != nil {
				r.grandparent = fmt.Sprint(n.Parent.Parent.Type, n.Parent.Parent.Data)
			}
		}
		out = append(out, r)
	}
}

// Chunked mode hands over what xmlquery's stream parser hands over, on
// every real XML publication: the same records with the same XML and the
// same parents, in the same order, with no issue; its lines are each
// record's start tag (the stream parser's are counted back from the
// record's end and may come late).
func TestChunkedAsStreamParser(t *testing.T) {
	for _, d := range realDocs {
		t.Run(fmt.Sprintf("%s/blank=%v", d.opts.File, d.opts.BlankNamespace), func(t *testing.T) {
			data := readDoc(t, d.path)
			seq := d.opts
			seq.Sequential = true
			want, wantIssues, err := records(t, data, seq)
			if err != nil {
				t.Fatal(err)
			}
			got, issues, err := records(t, data, d.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || len(got) < 3 {
				t.Fatalf("%d records chunked, %d sequential", len(got), len(want))
			}
			lines := bytes.Split(data, []byte("\n"))
			for i := range got {
				g, w := got[i], want[i]
				if g.xml != w.xml || g.parent != w.parent || g.grandparent != w.grandparent {
					t.Fatalf("record %d differs:\nchunked    %.200s (in %s, %s)\nsequential %.200s (in %s, %s)", i, g.xml, g.parent, g.grandparent, w.xml, w.parent, w.grandparent)
				}
				name := g.xml[1:strings.IndexAny(g.xml, " >/")]
				if g.line < 1 || g.line > len(lines) || !bytes.Contains(lines[g.line-1], []byte("<"+name)) {
					t.Fatalf("record %d <%s> at line %d, which does not open it", i, name, g.line)
				}
				if g.line > w.line || g.elemLine < g.line || g.after < g.elemLine {
					t.Fatalf("record %d: lines chunked %d/%d/%d, sequential %d/%d/%d", i, g.line, g.elemLine, g.after, w.line, w.elemLine, w.after)
				}
			}
			if issues.Total() != wantIssues.Total() {
				t.Fatalf("issues chunked %v, sequential %v", issues.List(), wantIssues.List())
			}
		})
	}
}

// What only the whole document shows is checked in chunked mode too: a
// container closed by another's end tag, text between records (an issue,
// in its place among the records), and an error in one record after the
// records before it were handed over.
func TestChunkedDocumentChecks(t *testing.T) {
	un := Options{Source: "un_sc", File: "consolidated.xml", Root: "CONSOLIDATED_LIST", Containers: []string{"INDIVIDUALS", "ENTITIES"}}
	rec := func(id int) string { return fmt.Sprintf("<INDIVIDUAL><DATAID>%d</DATAID></INDIVIDUAL>\n", id) }
	many := func(from, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(rec(from + i))
		}
		return b.String()
	}
	tests := []struct {
		name    string
		doc     string
		records int
		err     string
		issues  []string
	}{
		{"container closed by another", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n" + rec(1) + "</ENTITIES>\n</CONSOLIDATED_LIST>\n", 1,
			"line 4 (byte 78): element <INDIVIDUALS> closed by </ENTITIES>", nil},
		{"root closed by another", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n" + rec(1) + "</INDIVIDUALS>\n</LIST>\n", 1,
			"line 5 (byte 93): element <CONSOLIDATED_LIST> closed by </LIST>", nil},
		{"text between records", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n" + many(1, 40) + "stray words\n" + many(41, 40) + "</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n", 80,
			"", []string{`consolidated.xml:43: text "stray words" inside <INDIVIDUALS>, outside any record; not mapped`}},
		{"bad record after good ones", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n" + many(1, 70) + "<INDIVIDUAL><DATAID>71</DATAID></INDIVIDUALX>\n" + many(72, 5) + "</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n", 70,
			"consolidated.xml line 73: XML syntax error on line 1: element <INDIVIDUAL> closed by </INDIVIDUALX>", nil},
		{"empty container is not a record", "<CONSOLIDATED_LIST>\n<INDIVIDUALS/>\n<ENTITIES>\n" + strings.ReplaceAll(rec(1), "INDIVIDUAL", "ENTITY") + "</ENTITIES>\n</CONSOLIDATED_LIST>\n", 1,
			"", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, issues, err := records(t, []byte(tc.doc), un)
			if len(got) != tc.records {
				t.Errorf("%d records before the end, want %d", len(got), tc.records)
			}
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err = %v, want %q", err, tc.err)
			}
			var re *sources.RecordError
			if err != nil && !errors.As(err, &re) {
				t.Errorf("err %v is not a *sources.RecordError", err)
			}
			var gotIssues []string
			for _, is := range issues.List() {
				gotIssues = append(gotIssues, fmt.Sprintf("%s:%d: %s", is.File, is.Line, is.Problem))
			}
			if fmt.Sprint(gotIssues) != fmt.Sprint(tc.issues) {
				t.Errorf("issues %q, want %q", gotIssues, tc.issues)
			}
		})
	}
}

// A reader that stops early lets the read-ahead go: Close returns with the
// splitter and the parsers stopped.
func TestChunkedCloseEarly(t *testing.T) {
	data := readDoc(t, realDocs[1].path)
	s, err := Open(bytes.NewReader(data), realDocs[1].opts, &sources.Issues{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if n, err := s.Next(); n != nil || err != io.EOF {
		t.Fatalf("after Close: %v, %v", n, err)
	}
}

// BenchmarkModes reads a real OFAC and the real UN publication in both
// modes: one goroutine with xmlquery's stream parser, and per-record
// parses on every core.
func BenchmarkModes(b *testing.B) {
	for _, d := range realDocs[:2] {
		data := readDoc(b, d.path)
		for _, seq := range []bool{true, false} {
			o := d.opts
			o.Sequential = seq
			name := "chunked"
			if seq {
				name = "sequential"
			}
			b.Run(d.opts.Source+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					s, err := Open(bytes.NewReader(data), o, &sources.Issues{})
					if err != nil {
						b.Fatal(err)
					}
					var n *xmlquery.Node
					for n, err = s.Next(); err == nil; n, err = s.Next() {
						_ = n
					}
					if err != io.EOF {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

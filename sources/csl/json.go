package csl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// consolidated.json is one object: {"results": [...], ...}, the envelope
// of trade.gov's search API, which may also hold "total" (the number of
// results), "sources_used" ({source, source_last_updated, last_imported,
// import_rate} per list), "search_performed_at" and "offset". The file is
// about 25 MB: it is read by an encoding/json Decoder token by token, and
// results are decoded one at a time.
//
// Its evidence of completeness is the end of the document: the results
// array and the object closed, nothing after them. A "total" is the
// declared count and must equal the results read.

// maxValueBytes bounds one result (and any other top-level value): the
// largest row of the real lists is 7 KB as CSV, a few times that as JSON.
// encoding/json holds a whole value in memory before decoding it, so
// without a bound a hostile file could make it hold the whole file.
const maxValueBytes = 1 << 20

// jsonReader is the reader the decoder reads from: it counts the bytes
// and line breaks it hands out and fails a value longer than the bound
// (the count restarts at every reset; the decoder buffers ahead, so the
// bound holds to within its buffer).
type jsonReader struct {
	r     io.Reader
	n     int   // bytes handed out since reset
	off   int64 // file offset of the next byte
	lines int   // line breaks handed out
}

func (j *jsonReader) reset() { j.n = 0 }

func (j *jsonReader) Read(p []byte) (int, error) {
	if j.n >= maxValueBytes {
		return 0, recordError(JSONFile, 0, j.off, fmt.Errorf("a JSON value longer than %d bytes: %w", maxValueBytes, sources.ErrLimit))
	}
	if len(p) > maxValueBytes-j.n {
		p = p[:maxValueBytes-j.n]
	}
	n, err := j.r.Read(p)
	j.n += n
	j.off += int64(n)
	j.lines += bytes.Count(p[:n], []byte("\n"))
	return n, err
}

// jsonParser reads one consolidated.json.
type jsonParser struct {
	ctx    context.Context
	path   string // the file, for the line of an error
	base   int64  // file offset of the decoder's first byte (after a byte order mark)
	jr     *jsonReader
	dec    *json.Decoder
	issues *sources.Issues
	mapper *mapper
	emit   func(*entity.Entity) error

	rows     int            // elements of results, read or skipped
	perList  map[string]int // rows per source text, for sources_used
	used     []string       // sources_used[].source
	declared int            // total, -1 when absent
	meta     sources.Meta
	fixed    bool // a value of the result had C1 controls read as Windows-1252
}

func parseJSON(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	file := in.File(JSONFile)
	if file == nil {
		return sources.Meta{}, fmt.Errorf("%s: %s: not in the input", Name, JSONFile)
	}
	f, err := in.Open(JSONFile)
	if err != nil {
		return sources.Meta{}, fmt.Errorf("%s: %w", Name, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, bufSize)
	base, err := sources.CheckStart(br, Name, JSONFile, issues)
	if err != nil {
		return sources.Meta{}, err
	}
	if err := refuseNotJSON(br); err != nil {
		return sources.Meta{}, err
	}
	jr := &jsonReader{r: br, off: base}
	dec := json.NewDecoder(jr)
	dec.UseNumber()
	p := &jsonParser{
		ctx: ctx, path: file.Path, base: base, jr: jr, dec: dec, issues: issues,
		mapper: newMapper(JSONFile, issues), emit: emit, perList: map[string]int{}, declared: -1,
	}
	err = p.document()
	return p.meta, err
}

// refuseNotJSON fails a file that does not start, after white space, with
// "{": an HTML error page served in place of the list, or another format.
func refuseNotJSON(br *bufio.Reader) error {
	b, _ := br.Peek(512)
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		return nil
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if len(first) > 60 {
		first = append(bytes.Clone(first[:60]), "…"...)
	}
	line := 1 + bytes.Count(b[:len(b)-len(t)], []byte("\n"))
	what := "not a JSON object"
	if lower := bytes.ToLower(t); bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) {
		what = "an HTML page, not the JSON list"
	} else if len(t) > 0 && t[0] == '<' {
		what = "an XML document, not the JSON list"
	}
	return recordError(JSONFile, line, 0, fmt.Errorf("%s (starts %q)", what, first))
}

// document reads the top-level object.
func (p *jsonParser) document() error {
	if err := p.delim('{'); err != nil {
		return err
	}
	sawResults := false
	for p.dec.More() {
		p.jr.reset()
		tok, err := p.dec.Token()
		if err != nil {
			return p.fail(err)
		}
		key, _ := tok.(string)
		line := p.lineAt(p.dec.InputOffset())
		switch key {
		case "results":
			if sawResults {
				return recordError(JSONFile, line, p.base+p.dec.InputOffset(), errors.New(`a second "results" array`))
			}
			sawResults = true
			if err := p.results(); err != nil {
				return err
			}
		case "total":
			if err := p.total(line); err != nil {
				return err
			}
		case "sources_used":
			if err := p.sourcesUsed(line); err != nil {
				return err
			}
		case "search_performed_at":
			var s string
			if err := p.value(&s, key, line); err != nil {
				return err
			}
			if d, ok := normalize.ISODate(s[:min(len(s), len("2006-01-02"))]); ok {
				p.meta.PublicationDate = d
			} else if s != "" {
				p.issues.Addf(JSONFile, line, "", "search_performed_at %q is not a date", s)
			}
		case "offset":
			var skip json.RawMessage
			if err := p.value(&skip, key, line); err != nil {
				return err
			}
		default:
			p.issues.Addf(JSONFile, line, "", "unknown top-level field %q; not mapped", key)
			var skip json.RawMessage
			if err := p.value(&skip, key, line); err != nil {
				return err
			}
		}
	}
	if err := p.delim('}'); err != nil {
		return err
	}
	// Nothing may follow the document: a second one would be a file
	// joined from two builds.
	if tok, err := p.dec.Token(); err != io.EOF {
		if err != nil {
			return p.fail(err)
		}
		off := p.base + p.dec.InputOffset()
		return recordError(JSONFile, p.lineOf(off), off, fmt.Errorf("content (%v) after the end of the document: %w", tok, sources.ErrIncomplete))
	}
	end := p.base + p.dec.InputOffset()
	switch {
	case !sawResults:
		return recordError(JSONFile, p.lineOf(end), end, fmt.Errorf(`the document has no "results" array: %w`, sources.ErrIncomplete))
	case p.rows == 0:
		return recordError(JSONFile, p.lineOf(end), end, fmt.Errorf(`the "results" array is empty: %w`, sources.ErrIncomplete))
	case p.declared >= 0 && p.declared != p.rows:
		return recordError(JSONFile, p.lineOf(end), end, fmt.Errorf("total declares %d results, the file holds %d: %w", p.declared, p.rows, sources.ErrIncomplete))
	}
	if p.declared >= 0 {
		p.meta.DeclaredCount = p.declared
	}
	for _, s := range p.used {
		if p.perList[s] == 0 && len(p.perList) < maxReported {
			p.issues.Addf(JSONFile, 0, "", "sources_used names %q, but results hold no row of it", s)
		}
	}
	return nil
}

// delim reads the delimiter want.
func (p *jsonParser) delim(want json.Delim) error {
	off := p.base + p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return p.fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return recordError(JSONFile, p.lineOf(off), off, fmt.Errorf("%v where %q was expected", tok, want))
	}
	return nil
}

// value decodes the value of the top-level field key into v.
func (p *jsonParser) value(v any, key string, line int) error {
	if err := p.dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var re *sources.RecordError
		if errors.As(err, &se) || errors.As(err, &re) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return p.fail(err)
		}
		// The value is whole but not what the field holds.
		return recordError(JSONFile, line, 0, fmt.Errorf("field %q: %v", key, err))
	}
	return nil
}

func (p *jsonParser) total(line int) error {
	var n json.Number
	if err := p.value(&n, "total", line); err != nil {
		return err
	}
	v, err := n.Int64()
	if err != nil || v < 0 || v > 1<<31 {
		return recordError(JSONFile, line, 0, fmt.Errorf("total %q is not a count", n))
	}
	p.declared = int(v)
	return nil
}

// sourceUsed is one element of sources_used.
type sourceUsed struct {
	Source string `json:"source"`
}

func (p *jsonParser) sourcesUsed(line int) error {
	var used []sourceUsed
	if err := p.value(&used, "sources_used", line); err != nil {
		return err
	}
	for _, u := range used {
		if s := normalize.Text(u.Source); s != "" && !slices.Contains(p.used, s) {
			p.used = append(p.used, s)
		}
	}
	return nil
}

// results reads the results array, one element at a time.
func (p *jsonParser) results() error {
	if err := p.delim('['); err != nil {
		return err
	}
	for p.dec.More() {
		p.rows++
		if p.rows%checkEvery == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		line := p.elementLine()
		p.jr.reset()
		// Straight into a map of the fields' raw values: the decoder
		// scans the result once, and each field is decoded on its own,
		// so that a mistyped field costs that field only.
		var fields map[string]json.RawMessage
		if err := p.dec.Decode(&fields); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return p.fail(err)
			}
			// The element was read whole; it is not an object.
			p.issues.Addf(JSONFile, line, "", "element %d of results is a %s, not an object; skipped", p.rows, te.Value)
			continue
		}
		if fields == nil {
			p.issues.Addf(JSONFile, line, "", "element %d of results is null, not an object; skipped", p.rows)
			continue
		}
		if e := p.result(fields, line); e != nil {
			if err := p.emit(e); err != nil {
				return err
			}
		}
	}
	return p.delim(']')
}

// result maps one element of results; nil when it makes no entity.
func (p *jsonParser) result(fields map[string]json.RawMessage, line int) *entity.Entity {
	bad := false
	for k, v := range fields {
		if !utf8.Valid(v) {
			bad = true
			fields[k] = bytes.ToValidUTF8(v, []byte("\uFFFD"))
		}
	}
	if bad {
		p.issues.Addf(JSONFile, line, "", "invalid UTF-8; the bad bytes are replaced")
	}
	r := &record{line: line}
	p.fixed = false
	if id, err := parseText(fields["id"]); err == nil {
		r.id = p.clean(id)
	}
	issue := func(format string, args ...any) { p.issues.Addf(JSONFile, line, r.id, format, args...) }
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := fields[k]
		f, ok := resultFields[k]
		if !ok {
			p.mapper.once(line, r.id, "field "+k, "unknown field %q in results; not mapped", k)
			continue
		}
		if err := f(p, r, v, issue); err != nil {
			issue("field %q: %v; not mapped", k, err)
		}
	}
	if p.fixed {
		issue(c1Problem)
	}
	p.countList(r.source)
	return p.mapper.entity(r)
}

// countList counts a row of source s, for the sources_used check.
func (p *jsonParser) countList(s string) {
	if _, ok := p.perList[s]; ok || len(p.perList) < maxReported {
		p.perList[s]++
	}
}

// resultFields reads each field of a result into the record.
var resultFields = map[string]func(p *jsonParser, r *record, v json.RawMessage, issue issuef) error{
	"id":                       func(_ *jsonParser, _ *record, _ json.RawMessage, _ issuef) error { return nil }, // read first
	"source":                   text(func(r *record) *string { return &r.source }),
	"entity_number":            text(func(r *record) *string { return &r.entityNumber }),
	"type":                     text(func(r *record) *string { return &r.typ }),
	"programs":                 list(func(r *record) *[]string { return &r.programs }),
	"name":                     text(func(r *record) *string { return &r.name }),
	"title":                    list(func(r *record) *[]string { return &r.titles }),
	"addresses":                (*jsonParser).addresses,
	"federal_register_notice":  text(func(r *record) *string { return &r.notice }),
	"start_date":               text(func(r *record) *string { return &r.start }),
	"end_date":                 text(func(r *record) *string { return &r.end }),
	"standard_order":           text(func(r *record) *string { return &r.order }),
	"license_requirement":      text(func(r *record) *string { return &r.licenseReq }),
	"license_policy":           text(func(r *record) *string { return &r.licensePol }),
	"call_sign":                text(func(r *record) *string { return &r.callSign }),
	"vessel_type":              text(func(r *record) *string { return &r.vesselType }),
	"gross_tonnage":            text(func(r *record) *string { return &r.tonnage }),
	"gross_registered_tonnage": text(func(r *record) *string { return &r.grt }),
	"vessel_flag":              text(func(r *record) *string { return &r.vesselFlag }),
	"vessel_owner":             text(func(r *record) *string { return &r.vesselOwner }),
	"remarks":                  text(func(r *record) *string { return &r.remarks }),
	"source_list_url":          text(func(r *record) *string { return &r.listURL }),
	"source_information_url":   text(func(r *record) *string { return &r.infoURL }),
	"alt_names":                list(func(r *record) *[]string { return &r.altNames }),
	"citizenships":             list(func(r *record) *[]string { return &r.citizenships }),
	"dates_of_birth":           list(func(r *record) *[]string { return &r.birthDates }),
	"nationalities":            list(func(r *record) *[]string { return &r.nationality }),
	"places_of_birth":          list(func(r *record) *[]string { return &r.birthPlaces }),
	"ids":                      (*jsonParser).ids,
	"country":                  text(func(r *record) *string { return &r.country }),
}

func text(field func(*record) *string) func(*jsonParser, *record, json.RawMessage, issuef) error {
	return func(p *jsonParser, r *record, v json.RawMessage, _ issuef) error {
		t, err := parseText(v)
		if err != nil {
			return err
		}
		*field(r) = p.clean(t)
		return nil
	}
}

func list(field func(*record) *[]string) func(*jsonParser, *record, json.RawMessage, issuef) error {
	return func(p *jsonParser, r *record, v json.RawMessage, _ issuef) error {
		var l jsonList
		if err := json.Unmarshal(v, &l); err != nil {
			return err
		}
		out := l[:0]
		for _, s := range l {
			if s = p.clean(s); s != "" {
				out = append(out, s)
			}
		}
		*field(r) = out
		return nil
	}
}

// clean is clean, noting a repair for the result's issue.
func (p *jsonParser) clean(s string) string {
	v, fixed := clean(s)
	p.fixed = p.fixed || fixed
	return v
}

// jsonText is a string field: a string, a number (kept as printed) or
// null (empty).
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	s, err := parseText(b)
	*t = jsonText(s)
	return err
}

// parseText reads a string field's raw value, which the decoder has
// already checked is valid JSON: a string without escapes is its bytes
// (the common case, and the cost of every field), one with escapes is
// unquoted by encoding/json.
func parseText(b []byte) (string, error) {
	switch {
	case len(b) == 0 || string(b) == "null":
		return "", nil
	case b[0] == '"':
		if bytes.IndexByte(b, '\\') < 0 {
			return string(b[1 : len(b)-1]), nil
		}
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case b[0] == '-' || b[0] >= '0' && b[0] <= '9':
		return string(b), nil
	}
	return "", fmt.Errorf("%s is not a string", shorten(string(b), 40))
}

// jsonList is a list field: an array of strings (null elements
// dropped), one string, or null.
type jsonList []string

func (l *jsonList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var elems []jsonText
		if err := json.Unmarshal(b, &elems); err != nil {
			return err
		}
		*l = (*l)[:0]
		for _, e := range elems {
			if e != "" {
				*l = append(*l, string(e))
			}
		}
		return nil
	}
	var t jsonText
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*l = nil
	if t != "" {
		*l = jsonList{string(t)}
	}
	return nil
}

// objects decodes an array of objects (null is none) and passes each
// object's values, cleaned, to each; fields not in known are reported
// once per file.
func (p *jsonParser) objects(v json.RawMessage, what string, r *record, known []string, each func(vals map[string]string)) error {
	var objs []map[string]json.RawMessage
	if err := json.Unmarshal(v, &objs); err != nil {
		return err
	}
	for i, o := range objs {
		if o == nil {
			continue
		}
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		vals := make(map[string]string, len(o))
		for _, k := range keys {
			if !slices.Contains(known, k) {
				p.mapper.once(r.line, r.id, what+" field "+k, "unknown field %q in %s; not mapped", k, what)
				continue
			}
			t, err := parseText(o[k])
			if err != nil {
				return fmt.Errorf("%s[%d].%s: %w", what, i, k, err)
			}
			vals[k] = p.clean(t)
		}
		each(vals)
	}
	return nil
}

// addresses reads addresses: {address, city, state (the search API says
// state_or_province), postal_code, country}. full joins the non-empty
// parts with ", ", as the CSV prints the address.
func (p *jsonParser) addresses(r *record, v json.RawMessage, _ issuef) error {
	known := []string{"address", "city", "state", "state_or_province", "postal_code", "country"}
	return p.objects(v, "addresses", r, known, func(vals map[string]string) {
		a := address{
			street: addressPart(vals["address"]), city: addressPart(vals["city"]), state: addressPart(vals["state"]),
			postal: addressPart(vals["postal_code"]), country: addressPart(vals["country"]),
		}
		if a.state == "" {
			a.state = addressPart(vals["state_or_province"])
		}
		a.full = normalize.JoinNonEmpty(", ", a.street, a.city, a.state, a.postal, a.country)
		if a.full != "" {
			r.addresses = append(r.addresses, a)
		}
	})
}

// ids reads ids: {type, number, country, issue_date, expiration_date}.
func (p *jsonParser) ids(r *record, v json.RawMessage, _ issuef) error {
	known := []string{"type", "number", "country", "issue_date", "expiration_date"}
	return p.objects(v, "ids", r, known, func(vals map[string]string) {
		id := ident{typ: vals["type"], number: vals["number"], country: vals["country"], issued: vals["issue_date"], expires: vals["expiration_date"]}
		if id != (ident{}) {
			r.ids = append(r.ids, id)
		}
	})
}

// fail turns a decoder error into the refusal of the file, with the line
// and byte where it happened.
func (p *jsonParser) fail(err error) error {
	var re *sources.RecordError
	if errors.As(err, &re) {
		if re.Line == 0 && re.Offset > 0 {
			re.Line = p.lineOf(re.Offset)
		}
		return re // past the value bound
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := p.base + se.Offset
		return recordError(JSONFile, p.lineOf(off), off, fmt.Errorf("not valid JSON (%v): damaged or cut: %w", se, sources.ErrIncomplete))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off := p.jr.off
		return recordError(JSONFile, p.lineOf(off), off, fmt.Errorf("the document ends before its end (%v): truncated: %w", err, sources.ErrIncomplete))
	}
	off := p.jr.off
	return recordError(JSONFile, p.lineOf(off), off, err)
}

// elementLine is the line of the next element of an array: the first
// byte after white space and the comma, which the decoder has buffered
// (More has looked at it).
func (p *jsonParser) elementLine() int {
	buf, start := p.buffered()
	i := 0
	for i < len(buf) && (buf[i] == ',' || buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n') {
		i++
	}
	return p.lineAt(start + int64(i))
}

// buffered returns the bytes the decoder holds and has not read, and the
// decoder offset of the first.
func (p *jsonParser) buffered() ([]byte, int64) {
	var c collect
	if wt, ok := p.dec.Buffered().(io.WriterTo); ok {
		wt.WriteTo(&c)
	}
	return c.b, p.jr.off - p.base - int64(len(c.b))
}

// collect keeps the slice it is handed, without copying: the decoder's
// buffer, looked at before the next read.
type collect struct{ b []byte }

func (c *collect) Write(b []byte) (int, error) {
	c.b = b
	return len(b), nil
}

// lineAt is the line of the byte at decoder offset off: counted back from
// the line breaks handed out when the byte is still buffered, else by
// reading the file.
func (p *jsonParser) lineAt(off int64) int {
	buf, start := p.buffered()
	if off < start || off > start+int64(len(buf)) {
		return p.lineOf(p.base + off)
	}
	return 1 + p.jr.lines - bytes.Count(buf[off-start:], []byte("\n"))
}

// lineOf is the line of the byte at file offset off, counted by reading
// the file: for errors and for the rare byte no longer buffered.
func (p *jsonParser) lineOf(off int64) int {
	f, err := os.Open(p.path)
	if err != nil {
		return 0
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, bufSize)
	line := 1
	for n := int64(0); n < off; {
		b, err := br.ReadSlice('\n')
		if int64(len(b)) > off-n {
			break
		}
		n += int64(len(b))
		if len(b) > 0 && b[len(b)-1] == '\n' {
			line++
		}
		if err != nil && err != bufio.ErrBufferFull {
			break
		}
	}
	return line
}

package xmlstream

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestCutAtElementBoundary: the real document cut right after a complete
// record, or after its last record, is refused as truncated at the byte
// where it ends; the whole document, with or without its final line end,
// is not.
func TestCutAtElementBoundary(t *testing.T) {
	data := realXML(t)
	end := []byte("</sdnEntry>")
	first := bytes.Index(data, end) + len(end)
	last := bytes.LastIndex(data, end) + len(end)
	tests := []struct {
		name string
		data []byte
		want int // records read before the error, -1: no error
	}{
		{"after the first entry", data[:first], 2},
		{"after the last entry", data[:last], 640},
		{"after the last entry and its line end", data[:last+2], 640},
		{"inside the root's end tag", data[:len(data)-3], 640},
		{"whole", data, -1},
		{"whole with a final line end", append(bytes.Clone(data), "\r\n"...), -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			names, _, _, err := readAll(t, tc.data, opts)
			if tc.want < 0 {
				if err != nil || len(names) != 640 {
					t.Fatalf("%d records, %v", len(names), err)
				}
				return
			}
			var re *sources.RecordError
			if !errors.As(err, &re) || !errors.Is(err, sources.ErrIncomplete) {
				t.Fatalf("err = %v, want a *sources.RecordError wrapping ErrIncomplete", err)
			}
			line := 1 + bytes.Count(tc.data, []byte("\n"))
			if re.File != "CONSOLIDATED.XML" || re.Line != line || re.Offset != int64(len(tc.data)) || !strings.Contains(err.Error(), "before the </sdnList>") {
				t.Errorf("err = %v (line %d, byte %d), want line %d, byte %d", err, re.Line, re.Offset, line, len(tc.data))
			}
			if len(names) != tc.want {
				t.Errorf("%d records before the error, want %d", len(names), tc.want)
			}
		})
	}
}

// TestAfterTheRoot: a second document after the first is refused.
func TestAfterTheRoot(t *testing.T) {
	for _, tail := range []string{"<sdnList/>", "\nmore text", "\n<sdnEntry><uid>1</uid></sdnEntry>"} {
		doc := `<sdnList><sdnEntry><uid>1</uid></sdnEntry></sdnList>` + tail
		_, _, _, err := readAll(t, []byte(doc), opts)
		if err == nil || !strings.Contains(err.Error(), "not one XML document") {
			t.Errorf("%q: err = %v", tail, err)
		}
	}
	doc := "<sdnList><sdnEntry/></sdnList>\n<!-- a comment --><?pi x?>\n"
	if names, _, _, err := readAll(t, []byte(doc), opts); err != nil || len(names) != 1 {
		t.Errorf("comment and PI after the root: %v %v", names, err)
	}
}

func doc(parts ...any) io.Reader {
	var rs []io.Reader
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			rs = append(rs, strings.NewReader(p))
		case io.Reader:
			rs = append(rs, p)
		}
	}
	return io.MultiReader(rs...)
}

// TestLimits: hostile documents, generated as they are read, fail at the
// limit with the line and byte where they pass it, having allocated a
// small part of what the stream parser alone took for them (a million
// nested elements, 7 MB, took 580 MB; a 50 MB text node 200 MB).
func TestLimits(t *testing.T) {
	const mb = 1 << 20
	un := Options{Source: "un_sc", File: "consolidated.xml", Root: "CONSOLIDATED_LIST",
		Containers: []string{"INDIVIDUALS", "ENTITIES"}}
	head := "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><DATAID>1</DATAID>"
	tail := "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
	tests := []struct {
		name   string
		doc    func() io.Reader
		opts   Options
		line   int
		offset int64
		want   string
	}{
		{"a million nested elements", func() io.Reader {
			return doc(head, sourcetest.Repeat("<a>", 1_000_000), sourcetest.Repeat("</a>", 1_000_000), tail)
		}, un, 3, int64(len(head)) + 3*(DefaultDepth-3), "elements nested over 64 deep"},
		{"50 MB of text", func() io.Reader {
			return doc(head, "<COMMENTS1>", sourcetest.Repeat("x", 50*mb), "</COMMENTS1>", tail)
		}, un, 3, int64(len(head)+len("<COMMENTS1>")) + DefaultTextBytes, "a text of over 1048576 bytes"},
		{"50 MB of text in lines", func() io.Reader {
			return doc(head, "<COMMENTS1>", sourcetest.Repeat("xxxxxxx\n", 50*mb/8), "</COMMENTS1>", tail)
		}, un, 3 + DefaultTextBytes/8, int64(len(head)+len("<COMMENTS1>")) + DefaultTextBytes, "a text of over"},
		{"50 MB comment", func() io.Reader {
			return doc(head, "<!--", sourcetest.Repeat("x", 50*mb), "-->", tail)
		}, un, 3, 0, "a comment or CDATA section of over"},
		{"50 MB CDATA", func() io.Reader {
			return doc(head, "<COMMENTS1><![CDATA[", sourcetest.Repeat("x", 50*mb), "]]></COMMENTS1>", tail)
		}, un, 3, 0, "a comment or CDATA section of over"},
		{"a tag with a million attributes", func() io.Reader {
			return doc(head, "<COMMENTS1", sourcetest.Repeat(` a="1"`, 1_000_000), ">x</COMMENTS1>", tail)
		}, un, 3, int64(len(head)), "a tag of over 65536 bytes"},
		{"a million elements in a record", func() io.Reader {
			return doc(head, sourcetest.Repeat("<a/>", 1_000_000), tail)
		}, un, 3, int64(len("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n")), "<INDIVIDUAL> holds over 100000 elements"},
		{"a 50 MB record", func() io.Reader {
			return doc(head, sourcetest.Repeat("<COMMENTS1>"+strings.Repeat("x", 1000)+"</COMMENTS1>", 50_000), tail)
		}, un, 3, int64(len("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n")), "<INDIVIDUAL> longer than 8388608 bytes"},
		{"a 50 MB unknown section of the root", func() io.Reader {
			return doc("<CONSOLIDATED_LIST>\n<SECTION>", sourcetest.Repeat("<a>"+strings.Repeat("x", 1000)+"</a>", 50_000), "</SECTION></CONSOLIDATED_LIST>")
		}, un, 2, int64(len("<CONSOLIDATED_LIST>\n")), "<SECTION> longer than"},
		{"a 50 MB sdnEntry", func() io.Reader {
			return doc("<sdnList>\r\n<sdnEntry>", sourcetest.Repeat("<remarks>"+strings.Repeat("x", 1000)+"</remarks>", 50_000), "</sdnEntry></sdnList>")
		}, opts, 2, int64(len("<sdnList>\r\n")), "<sdnEntry> longer than"},
		{"small limits", func() io.Reader {
			return doc("<sdnList>\n<sdnEntry><a><b><c/></b></a></sdnEntry></sdnList>")
		}, withLimits(opts, Limits{Depth: 3}), 2, int64(len("<sdnList>\n<sdnEntry><a>")), "elements nested over 3 deep"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			s, err := Open(tc.doc(), tc.opts, &sources.Issues{})
			for err == nil {
				_, err = s.Next()
			}
			runtime.ReadMemStats(&after)
			var re *sources.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *sources.RecordError", err)
			}
			if !strings.Contains(err.Error(), tc.want) || re.Line != tc.line || (tc.offset > 0 && re.Offset != tc.offset) || re.File != tc.opts.File {
				t.Errorf("err = %v (line %d, byte %d), want %q at line %d, byte %d", err, re.Line, re.Offset, tc.want, tc.line, tc.offset)
			}
			if tc.opts.Limits == (Limits{}) && !errors.Is(err, sources.ErrLimit) {
				t.Errorf("err %v does not wrap ErrLimit", err)
			}
			t.Logf("%v; allocated %d KB", err, (after.TotalAlloc-before.TotalAlloc)>>10)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 48*mb {
				t.Errorf("allocated %d MB before refusing", alloc/mb)
			}
		})
	}
}

func withLimits(o Options, l Limits) Options {
	o.Limits = l
	return o
}

// TestRealDocumentsWithinLimits: the real publications the tests carry
// pass far inside the limits (a tenth of each).
func TestRealDocumentWithinLimits(t *testing.T) {
	o := opts
	o.Limits = Limits{Depth: DefaultDepth / 10, TagBytes: DefaultTagBytes / 10, TextBytes: DefaultTextBytes / 10,
		RecordBytes: DefaultRecordBytes / 10, RecordElements: DefaultRecordElements / 10}
	if names, _, _, err := readAll(t, realXML(t), o); err != nil || len(names) != 640 {
		t.Fatalf("%d records, %v", len(names), err)
	}
}

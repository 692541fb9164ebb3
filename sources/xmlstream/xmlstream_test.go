package xmlstream

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// A real publication: OFAC's consolidated list of 2018-04-06.
func realXML(t testing.TB) []byte {
	t.Helper()
	f, err := os.Open("../../testdata/us_ofac_cons/2018-04-06/consolidated.xml.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var opts = Options{Source: "us_ofac_cons", File: "CONSOLIDATED.XML", Root: "sdnList",
	Namespaces: []string{"http://tempuri.org/sdnList.xsd"}, BlankNamespace: true}

func readAll(t *testing.T, data []byte, o Options) (names []string, lines []int, issues *sources.Issues, err error) {
	t.Helper()
	issues = &sources.Issues{}
	s, err := Open(bytes.NewReader(data), o, issues)
	if err != nil {
		return nil, nil, issues, err
	}
	for {
		n, err := s.Next()
		if err == io.EOF {
			return names, lines, issues, nil
		}
		if err != nil {
			return names, lines, issues, err
		}
		names = append(names, n.Data)
		lines = append(lines, s.Line())
	}
}

func TestRealDocument(t *testing.T) {
	data := realXML(t)
	for _, blankNS := range []bool{true, false} {
		o := opts
		o.BlankNamespace = blankNS
		names, lines, issues, err := readAll(t, data, o)
		if err != nil {
			t.Fatal(err)
		}
		// publshInformation and the 639 entries the file declares.
		if len(names) != 640 || names[0] != "publshInformation" || names[1] != "sdnEntry" {
			t.Fatalf("blank %v: %d records, first %v", blankNS, len(names), names[:2])
		}
		if issues.Total() != 0 {
			t.Fatalf("issues: %v", issues.List())
		}
		// Lines grow and the last record ends near the end of the file.
		total := bytes.Count(data, []byte("\n")) + 1
		if last := lines[len(lines)-1]; last < total-3 || last > total {
			t.Fatalf("last record at line %d of %d", last, total)
		}
	}
}

func TestRootAttributes(t *testing.T) {
	doc := `<?xml version='1.0'?>` + "\n" + `<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
	s, err := Open(strings.NewReader(doc), Options{File: "consolidated.xml", Root: "CONSOLIDATED_LIST", Containers: []string{"INDIVIDUALS"}}, &sources.Issues{})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.RootAttr("dateGenerated"); got != "2026-02-27T00:00:09.554Z" || s.RootLine() != 2 {
		t.Fatalf("dateGenerated %q, root line %d", got, s.RootLine())
	}
	n, err := s.Next()
	if err != nil || n.Data != "INDIVIDUAL" {
		t.Fatalf("%v %v", n, err)
	}
}

func TestBadDocuments(t *testing.T) {
	data := realXML(t)
	tests := []struct {
		name string
		data []byte
		line int    // of the error, 0 = any
		want string // in the error
	}{
		{"empty", nil, 0, "empty file"},
		{"truncated", data[:len(data)/2], 1 + bytes.Count(data[:len(data)/2], []byte("\n")), "truncated"},
		{"html page", []byte("<!DOCTYPE html>\n<html><head><title>Forbidden</title></head><body>403</body></html>"), 2, "root element <html> (an HTML page, not the list), want <sdnList>"},
		{"broken html", []byte("<html>\n<body><p>Service unavailable<br></body>"), 1, "root element <html>"},
		{"wrong root", []byte(`<?xml version="1.0"?>` + "\n\n" + `<export generationDate="x"/>`), 3, "root element <export>"},
		{"not xml", []byte("ent_num,name\n1,ACME\n"), 0, "CONSOLIDATED.XML"},
		{"utf-16", append([]byte{0xFF, 0xFE}, []byte("<\x00s\x00")...), 1, "UTF-16"},
		{"utf-32", []byte{0x00, 0x00, 0xFE, 0xFF, 0, 0, 0, '<'}, 1, "UTF-32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := readAll(t, tc.data, opts)
			var re *sources.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want *sources.RecordError", err)
			}
			if re.File != "CONSOLIDATED.XML" || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q naming the file", err, tc.want)
			}
			if tc.line != 0 && re.Line != tc.line {
				t.Fatalf("line %d, want %d (%v)", re.Line, tc.line, err)
			}
		})
	}
}

func TestUTF8BOMDroppedWithIssue(t *testing.T) {
	data := append([]byte{0xEF, 0xBB, 0xBF}, realXML(t)...)
	names, _, issues, err := readAll(t, data, opts)
	if err != nil || len(names) != 640 {
		t.Fatalf("%d records, %v", len(names), err)
	}
	if issues.Total() != 1 || !strings.Contains(issues.List()[0].Problem, "byte order mark") {
		t.Fatalf("issues %v", issues.List())
	}
}

func TestUnknownNamespaceIsAnIssue(t *testing.T) {
	data := bytes.Replace(realXML(t), []byte("http://tempuri.org/sdnList.xsd"), []byte("urn:example:other"), 1)
	names, _, issues, err := readAll(t, data, opts)
	if err != nil || len(names) != 640 {
		t.Fatalf("%d records, %v", len(names), err)
	}
	if issues.Total() != 1 || issues.List()[0].Line != 2 || !strings.Contains(issues.List()[0].Problem, "urn:example:other") {
		t.Fatalf("issues %v", issues.List())
	}
}

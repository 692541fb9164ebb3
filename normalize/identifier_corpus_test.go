package normalize

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// This file reads the real publications under ../testdata directly (not
// through the sources' parsers) and extracts every identifier type text
// and every identifier value they print.

// publishedID is one identifier as a publication prints it.
type publishedID struct {
	rawType, raw, file string
}

// publishedCorpus is what the publications hold.
type publishedCorpus struct {
	// texts maps each publisher to its distinct type texts.
	texts map[string]map[string]bool
	// freeText holds the OFAC remark openings that look like labels (words
	// before a number) but are not in publishedTypeTexts.
	freeText map[string]bool
	// ids holds the distinct (rawType, raw) identifiers, in file order.
	ids []publishedID
	// ukHeader is the UK CSV's header.
	ukHeader []string
	// ukElements holds the UK XML's element names.
	ukElements map[string]bool
}

var loadCorpus = sync.OnceValues(readPublications)

func publications(tb testing.TB) *publishedCorpus {
	tb.Helper()
	c, err := loadCorpus()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

const testdataDir = "../testdata"

func readPublications() (*publishedCorpus, error) {
	c := &publishedCorpus{
		texts:      map[string]map[string]bool{},
		freeText:   map[string]bool{},
		ukElements: map[string]bool{},
	}
	seen := map[[2]string]bool{}
	addID := func(rawType, raw, file string) {
		raw = strings.TrimSpace(raw)
		k := [2]string{rawType, raw}
		if raw == "" || seen[k] {
			return
		}
		seen[k] = true
		c.ids = append(c.ids, publishedID{rawType, raw, file})
	}
	addText := func(pub, text string) {
		text = strings.TrimSpace(text)
		if text == "" {
			return
		}
		if c.texts[pub] == nil {
			c.texts[pub] = map[string]bool{}
		}
		c.texts[pub][text] = true
	}
	if err := readOFAC(c, addText, addID); err != nil {
		return nil, err
	}
	if err := readUN(addText, addID); err != nil {
		return nil, err
	}
	if err := readEU(addText, addID); err != nil {
		return nil, err
	}
	if err := readUK(c, addText, addID); err != nil {
		return nil, err
	}
	return c, nil
}

func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasSuffix(path, ".gz") {
		return b, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// readOFACCSV reads a legacy OFAC CSV (Windows-1252 unless it has a BOM,
// a final 0x1A) into rows.
func readOFACCSV(path string) ([][]string, error) {
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSuffix(b, []byte{0x1a})
	var r io.Reader = bytes.NewReader(b)
	if bom := []byte{0xef, 0xbb, 0xbf}; bytes.HasPrefix(b, bom) {
		r = bytes.NewReader(b[len(bom):])
	} else {
		r = charmap.Windows1252.NewDecoder().Reader(r)
	}
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return cr.ReadAll()
}

// ofacNull is the legacy CSV's null.
func ofacNull(s string) string {
	if t := strings.TrimSpace(s); t == "-0-" || t == "-0" {
		return ""
	}
	return s
}

// ofacCurrencyLabel finds "Digital Currency Address - XBT" and its value.
var ofacCurrencyLabel = regexp.MustCompile(`^(Digital Currency Address - [A-Z0-9]+) (\S+)`)

// ofacLabelLike is the opening of a remark that looks like a label: words
// before the first word with a digit, the first capitalized.
var ofacLabelLike = regexp.MustCompile(`^([A-Z][^0-9]*?) +\S*[0-9]`)

func readOFAC(c *publishedCorpus, addText func(pub, text string), addID func(rawType, raw, file string)) error {
	// XML idList/id.
	xmls, _ := filepath.Glob(filepath.Join(testdataDir, "us_ofac_*", "*", "*.xml*"))
	for _, f := range xmls {
		b, err := readFile(f)
		if err != nil {
			return err
		}
		for _, id := range xmlElements(b, "id", "idType", "idNumber") {
			addText("OFAC", id["idType"])
			addID(id["idType"], id["idNumber"], f)
		}
	}
	// CSV Remarks, with their continuation in the comments file.
	type set struct{ prim, comments string }
	var sets []set
	dirs, _ := filepath.Glob(filepath.Join(testdataDir, "us_ofac_*", "*"))
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.csv*"))
		var s set
		for _, f := range files {
			switch strings.TrimSuffix(strings.ToLower(filepath.Base(f)), ".gz") {
			case "sdn.csv", "cons_prim.csv":
				s.prim = f
			case "sdn_comments.csv", "cons_comments.csv":
				s.comments = f
			default:
				if strings.HasSuffix(strings.ToLower(f), "_sdn.csv.gz") {
					sets = append(sets, set{prim: f})
				}
			}
		}
		if s.prim != "" {
			sets = append(sets, s)
		}
	}
	labels := publishedLabels()
	seenRemarks := map[string]bool{} // the history files repeat most rows
	for _, s := range sets {
		comments := map[string]string{}
		if s.comments != "" {
			rows, err := readOFACCSV(s.comments)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if len(r) >= 2 {
					comments[r[0]] += r[1]
				}
			}
		}
		rows, err := readOFACCSV(s.prim)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if len(r) < 12 {
				continue
			}
			remarks := strings.TrimSpace(ofacNull(r[11]) + comments[r[0]])
			k := remarks + "\x00" + s.comments
			if seenRemarks[k] {
				continue
			}
			seenRemarks[k] = true
			frags := strings.Split(remarks, "; ")
			// Without a comments file a long Remarks is cut: its last
			// fragment may be cut too.
			if s.comments == "" && !strings.HasSuffix(remarks, ".") {
				frags = frags[:len(frags)-1]
			}
			for _, frag := range frags {
				frag = strings.TrimPrefix(strings.TrimSpace(frag), "alt. ")
				if m := ofacCurrencyLabel.FindStringSubmatch(frag); m != nil {
					addText("OFAC", m[1])
					addID(m[1], strings.TrimSuffix(m[2], "."), s.prim)
					continue
				}
				if l := longestLabel(labels, frag); l != "" {
					addText("OFAC", l)
					addID(l, ofacValue(l, frag[len(l):]), s.prim)
					continue
				}
				if m := ofacLabelLike.FindStringSubmatch(frag); m != nil {
					c.freeText[m[1]] = true
				}
			}
		}
	}
	return nil
}

// publishedLabels lists the OFAC texts of publishedTypeTexts, longest
// first, for matching remark fragments.
func publishedLabels() []string {
	var l []string
	for text := range publishedTypeTexts["OFAC"] {
		l = append(l, text)
	}
	sort.Slice(l, func(i, j int) bool {
		if len(l[i]) != len(l[j]) {
			return len(l[i]) > len(l[j])
		}
		return l[i] < l[j]
	})
	return l
}

func longestLabel(labels []string, frag string) string {
	for _, l := range labels {
		if strings.HasPrefix(frag, l) && (len(frag) == len(l) || frag[len(l)] == ' ') {
			return l
		}
	}
	return ""
}

// ofacValue cuts the value out of a remark after its label: up to the
// country in parentheses ("Passport AL720622 (Colombia) issued ..."), or
// for phone numbers up to a trailing "(Country)", without a final stop.
func ofacValue(label, rest string) string {
	rest = strings.TrimSpace(rest)
	if typ, _ := IdentifierType(label); typ == IDPhone {
		if i := strings.LastIndex(rest, " ("); i > 0 && strings.HasSuffix(strings.TrimSuffix(rest, "."), ")") {
			if c := rest[i+2]; c >= 'A' && c <= 'Z' {
				rest = rest[:i]
			}
		}
	} else if i := strings.Index(rest, " ("); i > 0 {
		rest = rest[:i]
	}
	return strings.TrimSuffix(strings.TrimSpace(rest), ".")
}

// xmlElements returns, for each element named record, the text of its
// children named by fields (the first of each).
func xmlElements(b []byte, record string, fields ...string) []map[string]string {
	var out []map[string]string
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	var cur map[string]string
	var field string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case t.Name.Local == record:
				cur = map[string]string{}
			case cur != nil && slices.Contains(fields, t.Name.Local):
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			switch {
			case t.Name.Local == record && cur != nil:
				out = append(out, cur)
				cur = nil
			case field != "" && t.Name.Local == field:
				if _, dup := cur[field]; !dup {
					cur[field] = text.String()
				}
				field = ""
			}
		}
	}
}

func readUN(addText func(pub, text string), addID func(rawType, raw, file string)) error {
	files, _ := filepath.Glob(filepath.Join(testdataDir, "un_sc", "*", "consolidated.xml*"))
	for _, f := range files {
		b, err := readFile(f)
		if err != nil {
			return err
		}
		for _, d := range xmlElements(b, "INDIVIDUAL_DOCUMENT", "TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2", "NUMBER") {
			t1, t2 := strings.TrimSpace(d["TYPE_OF_DOCUMENT"]), strings.TrimSpace(d["TYPE_OF_DOCUMENT2"])
			addText("UN", t1)
			addText("UN", t2)
			// The UN source's RawType: both types when they differ.
			rawType := t1
			if t2 != "" && !strings.EqualFold(t1, t2) {
				rawType = strings.Trim(t1+" / "+t2, " /")
			}
			addID(rawType, d["NUMBER"], f)
		}
	}
	return nil
}

// euAttr matches an attribute of an EU element.
var euAttr = regexp.MustCompile(`(\w+)="([^"]*)"`)

func readEU(addText func(pub, text string), addID func(rawType, raw, file string)) error {
	files, _ := filepath.Glob(filepath.Join(testdataDir, "eu_fsf", "*", "*.xml"))
	for _, f := range files {
		b, err := readFile(f)
		if err != nil {
			return err
		}
		for _, m := range regexp.MustCompile(`<identification [^>]*>`).FindAll(b, -1) {
			a := map[string]string{}
			for _, kv := range euAttr.FindAllSubmatch(m, -1) {
				a[string(kv[1])] = string(kv[2])
			}
			addText("EU", a["identificationTypeCode"])
			addText("EU", a["identificationTypeDescription"])
			rawType := a["identificationTypeDescription"]
			if rawType == "" {
				rawType = a["identificationTypeCode"]
			}
			addID(rawType, a["number"], f)
		}
		for _, m := range regexp.MustCompile(`<contactInfo [^>]*key="([^"]*)"`).FindAllSubmatch(b, -1) {
			addText("EU", string(m[1]))
		}
	}
	csvs, _ := filepath.Glob(filepath.Join(testdataDir, "eu_fsf", "*", "*.csv"))
	for _, f := range csvs {
		b, err := readFile(f)
		if err != nil {
			return err
		}
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte{0xef, 0xbb, 0xbf})))
		cr.Comma = ';'
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		if err != nil || len(rows) == 0 {
			return err
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		for _, r := range rows[1:] {
			for _, h := range []string{"Identification_TypeCode", "Identification_TypeDescription"} {
				if i, ok := col[h]; ok && i < len(r) {
					addText("EU", r[i])
				}
			}
		}
	}
	return nil
}

// ukIDElements are the UK XML's identifier elements, with the CSV column
// (the UK source's RawType) of each.
var ukIDElements = map[string]string{
	"OFSIGroupID":                "OFSI Group ID",
	"UNReferenceNumber":          "UN Reference Number",
	"PassportNumber":             "Passport number",
	"NationalIdentifierNumber":   "National Identifier number",
	"BusinessRegistrationNumber": "Business registration number (s)",
	"IMONumber":                  "IMO number",
	"HullIdentificationNumber":   "Hull identification number (HIN)",
	"PhoneNumber":                "Phone number",
	"EmailAddress":               "Email address",
	"Website":                    "Website",
}

func readUK(c *publishedCorpus, addText func(pub, text string), addID func(rawType, raw, file string)) error {
	xmls, _ := filepath.Glob(filepath.Join(testdataDir, "gb_fcdo", "*", "*.xml"))
	for _, f := range xmls {
		b, err := readFile(f)
		if err != nil {
			return err
		}
		for _, m := range regexp.MustCompile(`<([A-Za-z]+)>([^<]*)</`).FindAllSubmatch(b, -1) {
			el := string(m[1])
			c.ukElements[el] = true
			if col, ok := ukIDElements[el]; ok {
				addText("UK", el)
				addID(col, string(m[2]), f)
			}
		}
	}
	csvs, _ := filepath.Glob(filepath.Join(testdataDir, "gb_fcdo", "*", "*.csv"))
	for _, f := range csvs {
		b, err := readFile(f)
		if err != nil {
			return err
		}
		// Line 1 is "Report Date: ...", line 2 the header.
		cr := csv.NewReader(bytes.NewReader(b))
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		if err != nil || len(rows) < 2 {
			return err
		}
		c.ukHeader = rows[1]
		for _, h := range rows[1] {
			if slices.Contains(ukIDColumns, h) {
				addText("UK", h)
			}
		}
	}
	return nil
}

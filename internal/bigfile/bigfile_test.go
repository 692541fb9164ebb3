package bigfile_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

const unTestdata = "../../testdata/un_sc"

func publication(t testing.TB, date string) []byte {
	t.Helper()
	return sourcetest.Gunzip(t, filepath.Join(unTestdata, date, un.FileName+".gz"))
}

// scanned is what encoding/xml finds in a document, independently of
// the package: it fails on anything not well-formed, a root left open
// included.
type scanned struct {
	root          string
	dateGenerated string
	records       int
	ids           []string // DATAIDs in document order
}

func scan(t *testing.T, data []byte) scanned {
	t.Helper()
	var s scanned
	d := xml.NewDecoder(bytes.NewReader(data))
	var path []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			switch len(path) {
			case 1:
				s.root = tok.Name.Local
				for _, a := range tok.Attr {
					if a.Name.Local == "dateGenerated" {
						s.dateGenerated = a.Value
					}
				}
			case 3:
				s.records++
			case 4:
				if tok.Name.Local == "DATAID" {
					var id string
					if err := d.DecodeElement(&id, &tok); err != nil {
						t.Fatal(err)
					}
					path = path[:len(path)-1]
					s.ids = append(s.ids, strings.TrimSpace(id))
				}
			}
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
	if len(path) != 0 {
		t.Fatalf("ends inside %v", path)
	}
	return s
}

// idSet checks that ids are unique and returns them as a set.
func idSet(t *testing.T, ids []string) map[string]bool {
	t.Helper()
	set := make(map[string]bool, len(ids))
	for _, id := range ids {
		if set[id] {
			t.Fatalf("DATAID %s twice", id)
		}
		set[id] = true
	}
	return set
}

// copiesOf is the set of ids copies first..first+n-1 of orig must have.
func copiesOf(orig []string, first, n int) map[string]bool {
	want := map[string]bool{}
	for k := first; k < first+n; k++ {
		for _, id := range orig {
			want[bigfile.CopyID(k, id)] = true
		}
	}
	return want
}

func sameSet(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d ids, want %d", what, len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Fatalf("%s: no DATAID %s", what, id)
		}
	}
}

// Every real publication in testdata can be repeated: the copies are
// well-formed, ids stay unique and are the original ones prefixed per copy.
func TestWriteUN(t *testing.T) {
	for _, tc := range []struct {
		date     string
		minBytes int64
		copies   int
	}{
		{"2026-02-27", 0, 1},
		{"2026-02-27", 3e6, 2}, // 2.03 MB a copy
		{"2024-11-30", 0, 1},   // re-serialized: single quotes, self-closed empty elements
	} {
		t.Run(tc.date, func(t *testing.T) {
			pub := publication(t, tc.date)
			orig := scan(t, pub)
			var buf bytes.Buffer
			st, err := bigfile.WriteUN(&buf, pub, tc.minBytes)
			if err != nil {
				t.Fatal(err)
			}
			got := scan(t, buf.Bytes())
			if st.Copies != tc.copies || st.PerCopy != orig.records || st.Records != tc.copies*orig.records {
				t.Errorf("stats %+v, want %d copies of %d records", st, tc.copies, orig.records)
			}
			if st.Bytes != int64(buf.Len()) || st.Bytes < tc.minBytes {
				t.Errorf("stats say %d bytes, wrote %d, asked at least %d", st.Bytes, buf.Len(), tc.minBytes)
			}
			if got.root != "CONSOLIDATED_LIST" || got.dateGenerated != orig.dateGenerated {
				t.Errorf("root %s dateGenerated %q, want CONSOLIDATED_LIST %q", got.root, got.dateGenerated, orig.dateGenerated)
			}
			if got.records != st.Records {
				t.Errorf("%d records in the file, stats say %d", got.records, st.Records)
			}
			sameSet(t, "ids", idSet(t, got.ids), copiesOf(orig.ids, 0, tc.copies))
			if tc.minBytes == 0 && !bytes.Equal(buf.Bytes(), pub) {
				t.Error("one copy is not the publication itself")
			}
		})
	}
}

// The copies are records our parser reads: every one gives an entity
// with its own id and none raises an issue the original does not.
func TestWriteUNParses(t *testing.T) {
	pub := publication(t, "2026-02-27")
	var buf bytes.Buffer
	st, err := bigfile.WriteUN(&buf, pub, 4e6)
	if err != nil {
		t.Fatal(err)
	}
	ids, issues := parseUN(t, pub)
	bigIDs, bigIssues := parseUN(t, buf.Bytes())
	if len(bigIDs) != st.Records || st.Copies != 2 {
		t.Fatalf("%d entities from %d copies, stats say %d records", len(bigIDs), st.Copies, st.Records)
	}
	sameSet(t, "entity ids", bigIDs, copiesOf(keys(ids), 0, 2))
	if len(bigIssues) != st.Copies*len(issues) {
		t.Errorf("%d issues, want %d (%d a copy)", len(bigIssues), st.Copies*len(issues), len(issues))
	}
}

func keys(m map[string]bool) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return s
}

// parseUN parses data with sources/un and returns the source ids.
func parseUN(t *testing.T, data []byte) (map[string]bool, []sources.Issue) {
	t.Helper()
	path := filepath.Join(t.TempDir(), un.FileName)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	in := &sources.Input{Format: "xml", Files: []*fetch.File{{Name: un.FileName, Path: path, Bytes: int64(len(data))}}}
	ids := map[string]bool{}
	var issues sources.Issues
	if _, err := un.New(un.Config{}).Parse(context.Background(), in, func(e *entity.Entity) error {
		if ids[e.SourceID] {
			t.Fatalf("entity %s twice", e.SourceID)
		}
		ids[e.SourceID] = true
		return nil
	}, &issues); err != nil {
		t.Fatal(err)
	}
	return ids, issues.List()
}

// trimmed is pub with its first individuals and entities only, so that
// eleven copies stay small (the race detector makes encoding/xml slow).
func trimmed(t *testing.T, pub []byte, individuals, entities int) []byte {
	t.Helper()
	keep := func(data []byte, open, end, close string, n int) []byte {
		i := bytes.Index(data, []byte(open))
		j := bytes.Index(data, []byte(close))
		at := i
		for range n {
			k := bytes.Index(data[at:], []byte(end))
			if k < 0 || at+k > j {
				t.Fatalf("fewer than %d %s", n, end)
			}
			at += k + len(end)
		}
		return append(append(append([]byte{}, data[:at]...), "\n  "...), data[j:]...)
	}
	pub = keep(pub, "<INDIVIDUALS>", "</INDIVIDUAL>", "</INDIVIDUALS>", individuals)
	return keep(pub, "<ENTITIES>", "</ENTITY>", "</ENTITIES>", entities)
}

// The next day's publication drops copy 0, adds copy n and is dated a day
// later; the diff counts in its stats are those of the id sets.
func TestWriteUNNextDay(t *testing.T) {
	pub := trimmed(t, publication(t, "2026-02-27"), 20, 10)
	orig := scan(t, pub)
	if orig.records != 30 {
		t.Fatalf("trimmed to %d records", orig.records)
	}
	size := 11 * int64(len(pub)) // at least 11 copies, the fewest allowed
	var first, next bytes.Buffer
	st1, err := bigfile.WriteUN(&first, pub, size)
	if err != nil {
		t.Fatal(err)
	}
	st2, err := bigfile.WriteUNNextDay(&next, pub, size)
	if err != nil {
		t.Fatal(err)
	}
	a, b := scan(t, first.Bytes()), scan(t, next.Bytes())
	if b.dateGenerated != "2026-02-28"+strings.TrimPrefix(orig.dateGenerated, "2026-02-27") || b.dateGenerated == orig.dateGenerated {
		t.Errorf("next day dateGenerated %q, first %q", b.dateGenerated, a.dateGenerated)
	}
	ida, idb := idSet(t, a.ids), idSet(t, b.ids)
	sameSet(t, "next day ids", idb, copiesOf(orig.ids, 1, st1.Copies))
	added, removed := 0, 0
	for id := range idb {
		if !ida[id] {
			added++
		}
	}
	for id := range ida {
		if !idb[id] {
			removed++
		}
	}
	if st2.Added != added || st2.Removed != removed || st2.Added != orig.records || st2.Records != st1.Records || b.records != st2.Records {
		t.Errorf("next day stats %+v; the files differ by %d added, %d removed, %d records (first %d)", st2, added, removed, b.records, a.records)
	}
	if share := float64(removed) / float64(a.records); share >= 0.10 {
		t.Errorf("removes %.1f%%: the drop guard would refuse it", share*100)
	}

	if _, err := bigfile.WriteUNNextDay(io.Discard, pub, size-2*int64(len(pub))); err == nil {
		t.Error("a next day of 10 copies (a 10% removal) was built")
	}
}

// ParseUN refuses what would make copies wrong.
func TestParseUNRefuses(t *testing.T) {
	pub := string(publication(t, "2026-02-27"))
	firstID := regexp.MustCompile(`<DATAID>(\d+)</DATAID>`).FindStringSubmatch(pub)[1]
	for _, tc := range []struct {
		name, data, want string
	}{
		{"no ENTITIES", strings.Replace(pub, "<ENTITIES>", "<ENTITIES2>", 1), "want one <ENTITIES>"},
		{"no dateGenerated", strings.Replace(pub, "dateGenerated=", "generated=", 1), "no dateGenerated"},
		{"leading zero", strings.Replace(pub, "<DATAID>"+firstID, "<DATAID>0"+firstID, 1), "leading zero"},
		{"spaced id", strings.Replace(pub, "<DATAID>"+firstID, "<DATAID> "+firstID, 1), "not digits"},
		{"record without DATAID", strings.Replace(pub, "<DATAID>"+firstID+"</DATAID>", "", 1), "record 1 has no DATAID"},
		{"root not closed", strings.TrimSuffix(strings.TrimSpace(pub), "</CONSOLIDATED_LIST>"), "unexpected EOF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := bigfile.ParseUN([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// Dir builds each publication once and keeps it where a run reads it.
func TestDir(t *testing.T) {
	d := bigfile.NewDir(t.TempDir(), publication(t, "2026-02-27"))
	m, err := d.UN(0)
	if err != nil {
		t.Fatal(err)
	}
	if m.File != filepath.Join(m.Dir, "consolidated.xml") || m.Copies != 1 {
		t.Fatalf("made %+v", m)
	}
	fi, err := os.Stat(m.File)
	if err != nil || fi.Size() != m.Bytes {
		t.Fatalf("stat %v, %v; want %d bytes", fi, err, m.Bytes)
	}
	if err := os.Remove(m.File); err != nil {
		t.Fatal(err)
	}
	again, err := d.UN(0)
	if err != nil || again != m {
		t.Fatalf("second call %+v, %v; want the first %+v", again, err, m)
	}
	if _, err := os.Stat(m.File); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("built again: %v", err)
	}
	if _, err := d.UNNextDay(0); err == nil {
		t.Fatal("next day of 1 copy built")
	}
}

// Both floors see every record of a real publication and fail on a cut
// one.
func TestFloors(t *testing.T) {
	pub := publication(t, "2026-02-27")
	want := scan(t, pub).records
	n, err := bigfile.TokenFloor(bytes.NewReader(pub))
	if err != nil || n != want {
		t.Errorf("token floor: %d records, %v; want %d", n, err, want)
	}
	n, children, err := bigfile.XMLQueryFloor(bytes.NewReader(pub))
	if err != nil || n != want || children < 5*want {
		t.Errorf("xmlquery floor: %d records, %d children, %v; want %d records", n, children, err, want)
	}
	cut := bytes.NewReader(pub[:len(pub)/2])
	if _, err := bigfile.TokenFloor(cut); err == nil {
		t.Error("token floor read a cut file without error")
	}
}

// The floors of the CSV, JSON and XLSX sources' benchmarks read every
// record of real publications: the CSL's 2023 CSV (2 header lines, 4,226
// whole rows, 1 cut row), its JSON derived from those rows, and DFAT's
// 2026 workbook (10,977 rows with the header; testdata READMEs).
func TestOtherFloors(t *testing.T) {
	csvData := sourcetest.Gunzip(t, "../../testdata/us_trade_csl/2023-11-30/consolidated.csv.gz")
	whole := csvData[:bytes.LastIndexByte(csvData, '\n')+1]
	if n, err := bigfile.CSVFloor(bytes.NewReader(whole)); err != nil || n != 4228 {
		t.Errorf("csv floor: %d records, %v; want 4,228", n, err)
	}
	if _, err := bigfile.CSVFloor(bytes.NewReader(csvData)); err == nil {
		t.Error("csv floor read the cut last row without error")
	}
	jsonData := sourcetest.Gunzip(t, "../../testdata/us_trade_csl/derived-2023-11-30-json/consolidated.json.gz")
	if n, err := bigfile.JSONTokenFloor(bytes.NewReader(jsonData)); err != nil || n != 4226 {
		t.Errorf("json floor: %d records, %v; want 4,226", n, err)
	}
	if _, err := bigfile.JSONTokenFloor(bytes.NewReader(jsonData[:len(jsonData)/2])); err == nil {
		t.Error("json floor read a cut file without error")
	}
	rows, cells, err := bigfile.XLSXFloor("../../testdata/au_dfat/2026-02-24/Australian_Sanctions_Consolidated_List.xlsx")
	if err != nil || rows != 10977 || cells < 5*rows {
		t.Errorf("xlsx floor: %d rows, %d cells, %v; want 10,977 rows", rows, cells, err)
	}
}

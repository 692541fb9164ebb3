package pipeline_test

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// again marks the altered copy of a repeated record: its name gains this
// prefix, so that which of the two records the run kept shows.
const again = "AGAIN "

// derive returns a copy of a publication's main file with one real record
// printed again (altered when alter is set) and that record's publisher
// id; avoid holds the ids the original run's issues name.
type derive func(t *testing.T, data []byte, alter bool, avoid map[string]bool) ([]byte, string)

// TestDuplicateIDDropped: the pipeline is the one place that drops a
// repeated id (the parsers keep no set of the ids they met). For each
// format that can carry a repeated id, a real publication is run, then a
// copy of it in which one real record is printed a second time after the
// file's last record: once byte for byte, once with its name changed. The
// record repeated is the first one (of the last record kind, for UN) that
// no issue of the original run names, so that its copy adds no parser
// issue. The copy's run publishes the original's entities, byte for byte
// (the record parsed first is kept), with one issue more: the repeated id.
func TestDuplicateIDDropped(t *testing.T) {
	gz := func(dir, name string) []byte { return readGz(t, filepath.Join(testdata, dir, name+".gz")) }
	plain := func(dir, name string) []byte { return readFile(t, filepath.Join(testdata, dir, name)) }
	consCSV := publication{}
	for name, f := range map[string]string{"CONS_PRIM.CSV": "cons_prim.csv", "CONS_ADD.CSV": "cons_add.csv", "CONS_ALT.CSV": "cons_alt.csv", "CONS_COMMENTS.CSV": "cons_comments.csv"} {
		consCSV[name] = gz("us_ofac_cons/2025-12-19", f)
	}
	tests := []struct {
		name, source, file string // file: the publication's main file, which gets the copy
		pub                publication
		derive             derive
	}{
		{"UN XML 2026-02-27", "un_sc", "consolidated.xml",
			publication{"consolidated.xml": gz("un_sc/2026-02-27", "consolidated.xml")},
			xmlRecord("<ENTITY>", "</ENTITY>", `<DATAID>\s*(\d+)\s*</DATAID>`, "<FIRST_NAME>")},
		{"OFAC XML consolidated 2018-04-06", "us_ofac_cons", "CONSOLIDATED.XML",
			publication{"CONSOLIDATED.XML": gz("us_ofac_cons/2018-04-06", "consolidated.xml")},
			// The header's Record_Count is raised by one, as the
			// publisher would count an entry it printed twice.
			withRecordCount(xmlRecord("<sdnEntry>", "</sdnEntry>", `^<sdnEntry>\s*<uid>(\d+)</uid>`, "<lastName>"))},
		{"OFAC CSV consolidated 2025-12-19", "us_ofac_cons", "CONS_PRIM.CSV", consCSV,
			csvRecord(',', "", "", 0, 1)},
		{"EU XML excerpt 2026-08-05", "eu_fsf", "xmlFullSanctionsList_1_1.xml",
			publication{"xmlFullSanctionsList_1_1.xml": plain("eu_fsf/excerpt-2026-08-05", "xmlFullSanctionsList_1_1.xml")},
			xmlRecord("<sanctionEntity ", "</sanctionEntity>", `^<sanctionEntity\b[^>]*\blogicalId="(\d+)"`, `wholeName="`)},
		{"EU CSV derived 2026-08-05", "eu_fsf", "csvFullSanctionsList_1_1.csv",
			publication{"csvFullSanctionsList_1_1.csv": plain("eu_fsf/derived-2026-08-05", "csvFullSanctionsList_1_1.csv")},
			csvRecord(';', "Entity_LogicalId", "NameAlias_WholeName", 0, 0)},
		{"UK XML excerpt 2026-08-14", "gb_fcdo", "UK-Sanctions-List.xml",
			publication{"UK-Sanctions-List.xml": plain("gb_fcdo/excerpt-2026-08-14", "UK-Sanctions-List.xml")},
			xmlRecord("<Designation>", "</Designation>", `<UniqueID>([^<]+)</UniqueID>`, "<Name6>")},
		{"UK CSV rendered 2026-08-14", "gb_fcdo", "UK-Sanctions-List.csv",
			publication{"UK-Sanctions-List.csv": plain("gb_fcdo/rendered-2026-08-14", "UK-Sanctions-List.csv")},
			csvRecord(',', "Unique ID", "Name 6", 0, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			orig := runFrom(t, st, newClock(), tc.source, writeFiles(t, tc.pub))
			if orig.Outcome != pipeline.Published || orig.Err != nil {
				t.Fatalf("the real publication: %s %v", orig.Outcome, orig.Err)
			}
			origM := manifest(t, st, tc.source, orig.Version)
			if len(origM.Issues) != origM.IssueCount {
				t.Fatalf("the manifest keeps %d of %d issues: the comparison needs them all", len(origM.Issues), origM.IssueCount)
			}
			origLines := entityLines(t, st, tc.source, orig.Version)
			avoid := map[string]bool{}
			for _, is := range origM.Issues {
				avoid[is.Record] = true
			}
			for _, alter := range []bool{false, true} {
				data, id := tc.derive(t, tc.pub[tc.file], alter, avoid)
				st := newStore(t)
				res := runFrom(t, st, newClock(), tc.source, writeFiles(t, tc.pub.with(tc.file, data)))
				if res.Outcome != pipeline.Published || res.Err != nil {
					t.Fatalf("%s repeated (altered %t): %s %v", id, alter, res.Outcome, res.Err)
				}
				m := manifest(t, st, tc.source, res.Version)
				if res.Entities != orig.Entities || m.EntityCount != origM.EntityCount {
					t.Errorf("%s repeated (altered %t): %d entities (manifest %d), want %d", id, alter, res.Entities, m.EntityCount, orig.Entities)
				}
				if lines := entityLines(t, st, tc.source, res.Version); !slices.Equal(lines, origLines) {
					t.Errorf("%s repeated (altered %t): the entities file differs from the real publication's (%d lines, want %d)", id, alter, len(lines), len(origLines))
				}
				want := sources.Issue{File: tc.file, Record: id, Problem: "duplicate id " + tc.source + "-" + id + ": later record skipped"}
				if added := newIssues(origM.Issues, m.Issues); len(added) != 1 || added[0] != want || m.IssueCount != origM.IssueCount+1 {
					t.Errorf("%s repeated (altered %t): new issues %v (%d in all, %d before), want only %v", id, alter, added, m.IssueCount, origM.IssueCount, want)
				}
			}
		})
	}
}

// newIssues returns the issues of after that before does not hold (each
// of before's matched once).
func newIssues(before, after []sources.Issue) []sources.Issue {
	left := map[sources.Issue]int{}
	for _, is := range before {
		left[is]++
	}
	var added []sources.Issue
	for _, is := range after {
		if left[is] > 0 {
			left[is]--
			continue
		}
		added = append(added, is)
	}
	return added
}

// xmlRecord derives by repeating the first record open..close (open
// starts it; idExpr's first group, matched on the record, is its id) that
// no issue names: its copy goes right after the file's last close tag, so
// that no other record moves (their issues keep their lines). The altered
// copy has again after its first nameAt.
func xmlRecord(open, close, idExpr, nameAt string) derive {
	idRE := regexp.MustCompile(idExpr)
	return func(t *testing.T, data []byte, alter bool, avoid map[string]bool) ([]byte, string) {
		t.Helper()
		for off := 0; ; {
			i := bytes.Index(data[off:], []byte(open))
			if i < 0 {
				t.Fatalf("no %s... that no issue names", open)
			}
			start := off + i
			j := bytes.Index(data[start:], []byte(close))
			if j < 0 {
				t.Fatalf("%s at byte %d not closed", open, start)
			}
			end := start + j + len(close)
			off = end
			rec := data[start:end]
			m := idRE.FindSubmatch(rec)
			if m == nil {
				t.Fatalf("%s at byte %d: no id", open, start)
			}
			id := string(m[1])
			if avoid[id] {
				continue
			}
			if alter {
				rec = bytes.Replace(rec, []byte(nameAt), []byte(nameAt+again), 1)
				if len(rec) == end-start {
					t.Fatalf("record %s has no %s", id, nameAt)
				}
			}
			last := bytes.LastIndex(data, []byte(close)) + len(close)
			return slices.Concat(data[:last], rec, data[last:]), id
		}
	}
}

var recordCount = regexp.MustCompile(`<Record_Count>(\d+)</Record_Count>`)

// withRecordCount raises the Record_Count of d's output by one.
func withRecordCount(d derive) derive {
	return func(t *testing.T, data []byte, alter bool, avoid map[string]bool) ([]byte, string) {
		t.Helper()
		out, id := d(t, data, alter, avoid)
		m := recordCount.FindSubmatchIndex(out)
		if m == nil {
			t.Fatal("no Record_Count")
		}
		n, err := strconv.Atoi(string(out[m[2]:m[3]]))
		if err != nil {
			t.Fatal(err)
		}
		return slices.Concat(out[:m[2]], []byte(strconv.Itoa(n+1)), out[m[3]:]), id
	}
}

// csvRecord derives by repeating the rows of the first record (the
// contiguous rows of one id) that no issue names, after the file's last
// row (before OFAC's 0x1A end mark), so that no other row moves. Columns
// are found by the header names idName and nameName, or are idCol and
// nameCol in a file without a header (idName ""). The altered copy has
// again before the name of its first row that has one, written back by
// encoding/csv.
func csvRecord(comma rune, idName, nameName string, idCol, nameCol int) derive {
	return func(t *testing.T, data []byte, alter bool, avoid map[string]bool) ([]byte, string) {
		t.Helper()
		var rows []csvRow
		header := idName == ""
		for _, r := range csvRows(t, data, comma) {
			if !header {
				idCol, nameCol = slices.Index(r.rec, idName), slices.Index(r.rec, nameName)
				header = idCol >= 0 && nameCol >= 0
				continue
			}
			if len(r.rec) > max(idCol, nameCol) { // not OFAC's 0x1A
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			t.Fatal("no rows")
		}
		for i := 0; i < len(rows); {
			id := rows[i].rec[idCol]
			j := i + 1
			for j < len(rows) && rows[j].rec[idCol] == id {
				j++
			}
			rec := rows[i:j]
			i = j
			if avoid[id] {
				continue
			}
			copied := data[rec[0].start:rec[len(rec)-1].end]
			if alter {
				var buf bytes.Buffer
				w := csv.NewWriter(&buf)
				w.Comma, w.UseCRLF = comma, bytes.Contains(copied, []byte("\r\n"))
				named := false
				for _, r := range rec {
					fields := slices.Clone(r.rec)
					if !named && fields[nameCol] != "" {
						fields[nameCol], named = again+fields[nameCol], true
					}
					if err := w.Write(fields); err != nil {
						t.Fatal(err)
					}
				}
				w.Flush()
				if !named {
					t.Fatalf("record %s has no name", id)
				}
				copied = buf.Bytes()
			}
			last := rows[len(rows)-1].end
			return slices.Concat(data[:last], copied, data[last:]), id
		}
		t.Fatal("no record that no issue names")
		return nil, ""
	}
}

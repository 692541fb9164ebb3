package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// publication is a real publication's files: official name -> bytes.
type publication map[string][]byte

func (p publication) with(name string, data []byte) publication {
	out := publication{}
	for k, v := range p {
		out[k] = v
	}
	out[name] = data
	return out
}

func writeFiles(t *testing.T, files publication) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// firstRows is the first n rows of a CSV whose rows end with sep (no
// quoted line breaks before them).
func firstRows(t *testing.T, data []byte, n int, sep string) []byte {
	t.Helper()
	off := 0
	for range n {
		i := bytes.Index(data[off:], []byte(sep))
		if i < 0 {
			t.Fatalf("fewer than %d rows", n)
		}
		off += i + len(sep)
	}
	return data[:off]
}

// afterNth is data up to the end of the n-th occurrence of tag.
func afterNth(t *testing.T, data []byte, tag string, n int) []byte {
	t.Helper()
	off := 0
	for range n {
		i := bytes.Index(data[off:], []byte(tag))
		if i < 0 {
			t.Fatalf("fewer than %d %s", n, tag)
		}
		off += i + len(tag)
	}
	return data[:off]
}

// beforeLastEntity cuts a CSV at the row boundary before the first row of
// its last entity (id in column idCol): what a cut between rows that loses
// a whole entity leaves.
func beforeLastEntity(t *testing.T, data []byte, comma rune, idCol int) []byte {
	return inLastEntity(t, data, comma, idCol, 0)
}

// inLastEntity cuts a CSV at the row boundary after keep rows of its last
// entity (id in column idCol).
func inLastEntity(t *testing.T, data []byte, comma rune, idCol, keep int) []byte {
	t.Helper()
	var starts []int64
	var ids []string
	for _, r := range csvRows(t, data, comma) {
		if len(r.rec) > idCol {
			starts, ids = append(starts, r.start), append(ids, r.rec[idCol])
		}
	}
	last := ids[len(ids)-1]
	for i, id := range ids {
		if id == last {
			if i+keep >= len(ids) {
				t.Fatalf("the last entity has fewer than %d rows", keep+1)
			}
			return data[:starts[i+keep]]
		}
	}
	panic("unreachable")
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestIncompletePublicationRefused (DESIGN.md "Integrity"): for every
// format, a real publication is published, then the same publication cut
// (at a row boundary, inside a row, at an element boundary) or otherwise
// unproven is run: the run fails, latest.json and versions.json stay as
// they were, and state.json says the failure, naming the file and the
// evidence. A cut between rows of the EU and UK CSVs cannot be seen in the
// file (they have no end mark and no count): such a publication is refused
// when it would remove an entity (sources.Meta.Unproven).
func TestIncompletePublicationRefused(t *testing.T) {
	sdnHistory := publication{"SDN.CSV": readGz(t, filepath.Join(testdata, "us_ofac_sdn", "history", "2024-05-01T1843Z_sdn.csv.gz"))}
	sdnSet := publication{}
	for name, f := range map[string]string{"SDN.CSV": "sdn.csv", "ADD.CSV": "add.csv", "ALT.CSV": "alt.csv", "SDN_COMMENTS.CSV": "sdn_comments.csv"} {
		sdnSet[name] = readGz(t, filepath.Join(testdata, "us_ofac_sdn", "2021-07-07", f+".gz"))
	}
	resaved := publication{}
	for name, f := range map[string]string{"SDN.CSV": "sdn.csv", "ADD.CSV": "add.csv", "ALT.CSV": "alt.csv", "SDN_COMMENTS.CSV": "sdn_comments.csv"} {
		resaved[name] = readGz(t, filepath.Join(testdata, "us_ofac_sdn", "2019-01-15", f+".gz"))
	}
	consSet := publication{}
	for name, f := range map[string]string{"CONS_PRIM.CSV": "cons_prim.csv", "CONS_ADD.CSV": "cons_add.csv", "CONS_ALT.CSV": "cons_alt.csv", "CONS_COMMENTS.CSV": "cons_comments.csv"} {
		consSet[name] = readGz(t, filepath.Join(testdata, "us_ofac_cons", "2025-12-19", f+".gz"))
	}
	consXML := publication{"CONSOLIDATED.XML": readGz(t, filepath.Join(testdata, "us_ofac_cons", "2018-04-06", "consolidated.xml.gz"))}
	unXML := publication{"consolidated.xml": readGz(t, filepath.Join(testdata, "un_sc", "2018-06-07", "consolidated.xml.gz"))}
	euXML := publication{"xmlFullSanctionsList_1_1.xml": readFile(t, filepath.Join(testdata, "eu_fsf", "excerpt-2026-08-05", "xmlFullSanctionsList_1_1.xml"))}
	euCSV := publication{"csvFullSanctionsList_1_1.csv": readFile(t, filepath.Join(testdata, "eu_fsf", "derived-2026-08-05", "csvFullSanctionsList_1_1.csv"))}
	ukXML := publication{"UK-Sanctions-List.xml": readFile(t, filepath.Join(testdata, "gb_fcdo", "excerpt-2026-08-14", "UK-Sanctions-List.xml"))}
	ukCSV := publication{"UK-Sanctions-List.csv": readFile(t, filepath.Join(testdata, "gb_fcdo", "rendered-2026-08-14", "UK-Sanctions-List.csv"))}

	sdn := sdnHistory["SDN.CSV"]
	comments := sdnSet["SDN_COMMENTS.CSV"]
	cons := consXML["CONSOLIDATED.XML"]
	firstEntry := bytes.Index(cons, []byte("<sdnEntry>"))
	secondEntry := firstEntry + 1 + bytes.Index(cons[firstEntry+1:], []byte("<sdnEntry>"))
	euData := euCSV["csvFullSanctionsList_1_1.csv"]
	ukData := ukCSV["UK-Sanctions-List.csv"]
	secoXML := publication{"consolidated-list.xml": readFile(t, filepath.Join(testdata, "ch_seco", "excerpt-2026-08-15", "consolidated-list.xml"))}
	semaXML := publication{"sema-lmes.xml": readGz(t, filepath.Join(testdata, "ca_sema", "2020-04-15", "sema-lmes.xml.gz"))}
	cslJSON := publication{"consolidated.json": readGz(t, filepath.Join(testdata, "us_trade_csl", "derived-2023-11-30-json", "consolidated.json.gz"))}
	cslCSV := publication{"consolidated.csv": readFile(t, filepath.Join(testdata, "us_trade_csl", "excerpt-2025-06-25", "consolidated.csv"))}
	dfatXLSX := publication{"Australian_Sanctions_Consolidated_List.xlsx": readFile(t, filepath.Join(testdata, "au_dfat", "2026-02-24", "Australian_Sanctions_Consolidated_List.xlsx"))}
	dfatData := dfatXLSX["Australian_Sanctions_Consolidated_List.xlsx"]
	cslJSONData := cslJSON["consolidated.json"]
	cslData := cslCSV["consolidated.csv"]
	html := []byte("<!DOCTYPE html>\r\n<html lang=\"en\"><head><title>Service Unavailable</title></head><body>Please try again later.</body></html>\r\n")

	tests := []struct {
		name, source string
		whole, bad   publication
		want         []string // in state.json's error
	}{
		{"OFAC SDN.CSV cut after 14,000 rows", "us_ofac_sdn", sdnHistory, publication{"SDN.CSV": firstRows(t, sdn, 14000, "\r\n")},
			[]string{"SDN.CSV line 14000 (byte 3562302)", "without the 0x1A byte", "truncated"}},
		{"OFAC SDN.CSV cut inside a row at 95%", "us_ofac_sdn", sdnHistory, publication{"SDN.CSV": sdn[:len(sdn)*95/100]},
			[]string{"SDN.CSV", "without the 0x1A byte", "inside its last row (line"}},
		{"OFAC ADD.CSV cut at a row boundary", "us_ofac_sdn", sdnSet, sdnSet.with("ADD.CSV", firstRows(t, sdnSet["ADD.CSV"], 13000, "\r\n")),
			[]string{"ADD.CSV line 13000", "without the 0x1A byte"}},
		{"OFAC SDN_COMMENTS.CSV without its last row", "us_ofac_sdn", sdnSet, sdnSet.with("SDN_COMMENTS.CSV", firstRows(t, comments, 4, "\r\n")),
			[]string{"SDN_COMMENTS.CSV", "no row of it continues the Remarks of ent_num 30518"}},
		{"OFAC SDN set re-saved (2019-01-15)", "us_ofac_sdn", sdnSet, resaved,
			[]string{"re-saved copy: LF line ends and no 0x1A end mark"}},
		{"OFAC SDN.CSV an HTML page", "us_ofac_sdn", sdnHistory, publication{"SDN.CSV": html},
			[]string{"SDN.CSV line 1", "an HTML page"}},
		{"OFAC CONS_PRIM.CSV cut at a row boundary", "us_ofac_cons", consSet, consSet.with("CONS_PRIM.CSV", firstRows(t, consSet["CONS_PRIM.CSV"], 400, "\r\n")),
			[]string{"CONS_PRIM.CSV line 400", "without the 0x1A byte"}},
		{"OFAC CONS_PRIM.CSV cut inside a row", "us_ofac_cons", consSet, consSet.with("CONS_PRIM.CSV", consSet["CONS_PRIM.CSV"][:200000]),
			[]string{"CONS_PRIM.CSV", "without the 0x1A byte", "inside its last row"}},
		{"OFAC CONSOLIDATED.XML cut after an entry", "us_ofac_cons", consXML, publication{"CONSOLIDATED.XML": afterNth(t, cons, "</sdnEntry>", 600)},
			[]string{"CONSOLIDATED.XML", "before the </sdnList> that ends the document: truncated"}},
		{"OFAC CONSOLIDATED.XML one entry short of its Record_Count", "us_ofac_cons", consXML, publication{"CONSOLIDATED.XML": append(bytes.Clone(cons[:firstEntry]), cons[secondEntry:]...)},
			[]string{"CONSOLIDATED.XML line 5", "Record_Count declares 639 entries, the file has 638"}},
		{"UN consolidated.xml cut after an individual", "un_sc", unXML, publication{"consolidated.xml": afterNth(t, unXML["consolidated.xml"], "</INDIVIDUAL>", 300)},
			[]string{"consolidated.xml", "before the </CONSOLIDATED_LIST> that ends the document: truncated"}},
		{"EU XML cut after a record", "eu_fsf", euXML, publication{"xmlFullSanctionsList_1_1.xml": afterNth(t, euXML["xmlFullSanctionsList_1_1.xml"], "</sanctionEntity>", 3)},
			[]string{"xmlFullSanctionsList_1_1.xml", "before the </export> that ends the document: truncated"}},
		{"EU CSV cut inside its last row", "eu_fsf", euCSV, publication{"csvFullSanctionsList_1_1.csv": euData[:len(euData)-20]},
			[]string{"csvFullSanctionsList_1_1.csv", "the file ends in a broken row (wrong number of fields): truncated"}},
		{"EU CSV cut between rows, before its last entity", "eu_fsf", euCSV, publication{"csvFullSanctionsList_1_1.csv": beforeLastEntity(t, euData, ';', 1)},
			[]string{"would remove 1 entities", "the EU CSV file has no end mark and no record count"}},
		{"EU CSV cut between rows of its last entity", "eu_fsf", euCSV, publication{"csvFullSanctionsList_1_1.csv": inLastEntity(t, euData, ';', 1, 2)},
			[]string{"the entity the file prints last, eu_fsf-330, would lose values", "no end mark"}},
		{"UK XML cut after a designation", "gb_fcdo", ukXML, publication{"UK-Sanctions-List.xml": afterNth(t, ukXML["UK-Sanctions-List.xml"], "</Designation>", 3)},
			[]string{"UK-Sanctions-List.xml", "before the </Designations> that ends the document: truncated"}},
		{"UK CSV cut inside its last row", "gb_fcdo", ukCSV, publication{"UK-Sanctions-List.csv": ukData[:len(ukData)-20]},
			[]string{"UK-Sanctions-List.csv", "the file ends in a broken row (wrong number of fields): truncated"}},
		{"UK CSV cut between rows of its last entity", "gb_fcdo", ukCSV, publication{"UK-Sanctions-List.csv": inLastEntity(t, ukData, ',', 1, 1)},
			[]string{"the entity the file prints last, gb_fcdo-DPR0075, would lose values", "no end mark"}},
		{"UK CSV cut between rows, before its last entity", "gb_fcdo", ukCSV, publication{"UK-Sanctions-List.csv": beforeLastEntity(t, ukData, ',', 1)},
			[]string{"would remove 1 entities", "the UK CSV file has no end mark and no record count", "gb_fcdo also publishes xml"}},
		{"SECO consolidated-list.xml cut after a target", "ch_seco", secoXML, publication{"consolidated-list.xml": afterNth(t, secoXML["consolidated-list.xml"], "</target>", 4)},
			[]string{"consolidated-list.xml", "truncated"}},
		{"SEMA sema-lmes.xml cut after a record", "ca_sema", semaXML, publication{"sema-lmes.xml": afterNth(t, semaXML["sema-lmes.xml"], "</record>", 1000)},
			[]string{"sema-lmes.xml", "truncated"}},
		{"DFAT workbook cut at 90%", "au_dfat", dfatXLSX, publication{"Australian_Sanctions_Consolidated_List.xlsx": dfatData[:len(dfatData)*9/10]},
			[]string{"Australian_Sanctions_Consolidated_List.xlsx", "central directory"}},
		{"DFAT workbook an HTML page", "au_dfat", dfatXLSX, publication{"Australian_Sanctions_Consolidated_List.xlsx": html},
			[]string{"Australian_Sanctions_Consolidated_List.xlsx", "HTML"}},
		{"CSL consolidated.json cut inside its results", "us_trade_csl", cslJSON, publication{"consolidated.json": cslJSONData[:len(cslJSONData)*9/10]},
			[]string{"consolidated.json", "truncated"}},
		{"CSL consolidated.json an HTML page", "us_trade_csl", cslJSON, publication{"consolidated.json": html},
			[]string{"consolidated.json", "HTML"}},
		{"CSL consolidated.csv cut between rows, before its last entity", "us_trade_csl", cslCSV, publication{"consolidated.csv": beforeLastEntity(t, cslData, ',', 0)},
			[]string{"would remove 1 entities", "no end mark", "us_trade_csl also publishes json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newStore(t)
			c := newClock()
			first := runFrom(t, st, c, tc.source, writeFiles(t, tc.whole))
			if first.Outcome != pipeline.Published || first.Err != nil {
				t.Fatalf("the whole publication: %s %v", first.Outcome, first.Err)
			}
			cfg := config(st, fetch.NewDir(writeFiles(t, tc.bad), fetch.DefaultMaxBytes, t.TempDir()), c)
			// --force overrides the drop guard, which refuses the small
			// excerpts' cuts first: integrity must refuse them all the same.
			cfg.Force = true
			res := pipeline.Run(context.Background(), cfg, source(t, tc.source))
			if res.Outcome != pipeline.Failed || res.Err == nil {
				t.Fatalf("the incomplete publication: %s (%d entities, %+v), want failed", res.Outcome, res.Entities, res.Err)
			}
			if v := latestVersion(t, st, tc.source); v != first.Version {
				t.Fatalf("latest moved from %s to %s", first.Version, v)
			}
			if vs := versionsOf(t, st, tc.source); len(vs) != 1 {
				t.Fatalf("%d versions, want 1", len(vs))
			}
			var state pipeline.State
			if !readJSONFile(t, st, layout.State(tc.source), &state) {
				t.Fatal("no state.json")
			}
			if state.Outcome != pipeline.Failed || state.LatestVersion != first.Version {
				t.Errorf("state %+v", state)
			}
			for _, w := range tc.want {
				if !strings.Contains(state.Error, w) {
					t.Errorf("state.json error %q does not say %q", state.Error, w)
				}
			}
		})
	}
}

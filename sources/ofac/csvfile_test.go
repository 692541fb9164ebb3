package ofac

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// cutRows returns the first n CRLF rows of a legacy CSV file (no end mark).
func cutRows(t testing.TB, data []byte, n int) []byte {
	t.Helper()
	off := 0
	for range n {
		i := bytes.Index(data[off:], []byte("\r\n"))
		if i < 0 {
			t.Fatalf("fewer than %d rows", n)
		}
		off += i + 2
	}
	return data[:off]
}

// TestCSVCompleteness: real files cut at a row boundary, inside a row, or
// just before their 0x1A are refused, naming the file, the evidence and
// the byte where they end; the whole files are not. Numbers are those of
// issue 10: the 2024-05-01 SDN.CSV cut after 14,000 rows published as
// 966 removals, cut inside a row at 95% as 542.
func TestCSVCompleteness(t *testing.T) {
	sdn := readTestdata(t, "us_ofac_sdn/history/2024-05-01T1843Z_sdn.csv.gz")
	sdnSet := map[string][]byte{}
	for name, rel := range map[string]string{"SDN.CSV": "sdn.csv", "ADD.CSV": "add.csv", "ALT.CSV": "alt.csv", "SDN_COMMENTS.CSV": "sdn_comments.csv"} {
		sdnSet[name] = readTestdata(t, "us_ofac_sdn/2021-07-07/"+rel+".gz")
	}
	consSet := map[string][]byte{}
	for name, rel := range map[string]string{"CONS_PRIM.CSV": "cons_prim.csv", "CONS_ADD.CSV": "cons_add.csv", "CONS_ALT.CSV": "cons_alt.csv", "CONS_COMMENTS.CSV": "cons_comments.csv"} {
		consSet[name] = readTestdata(t, "us_ofac_cons/2025-12-19/"+rel+".gz")
	}
	with := func(set map[string][]byte, name string, data []byte) map[string][]byte {
		out := map[string][]byte{}
		for k, v := range set {
			out[k] = v
		}
		out[name] = data
		return out
	}
	comments := sdnSet["SDN_COMMENTS.CSV"]
	lastComment := bytes.LastIndex(comments[:len(comments)-2], []byte("\r\n")) + 2
	tests := []struct {
		name  string
		src   sources.Source
		files map[string][]byte
		file  string // refused; "" when the set is complete
		cut   []byte // the refused file's bytes (for its end)
		line  int
		want  string
	}{
		{"SDN.CSV 2024-05-01 whole", NewSDN(Config{}), map[string][]byte{"SDN.CSV": sdn}, "", nil, 0, ""},
		{"SDN.CSV cut after 14,000 rows", NewSDN(Config{}), map[string][]byte{"SDN.CSV": cutRows(t, sdn, 14000)}, "SDN.CSV", cutRows(t, sdn, 14000), 14000,
			"the file ends at byte 3562302 without the 0x1A byte"},
		{"SDN.CSV cut inside a row at 95%", NewSDN(Config{}), map[string][]byte{"SDN.CSV": sdn[:len(sdn)*95/100]}, "SDN.CSV", sdn[:len(sdn)*95/100], 0,
			"inside its last row (line"},
		{"SDN.CSV without its final 0x1A", NewSDN(Config{}), map[string][]byte{"SDN.CSV": sdn[:len(sdn)-1]}, "SDN.CSV", sdn[:len(sdn)-1], 14966,
			"without the 0x1A byte that ends every OFAC legacy CSV file: truncated"},
		{"2021-07-07 set whole (its SDN_COMMENTS.CSV has no 0x1A)", NewSDN(Config{}), sdnSet, "", nil, 0, ""},
		{"ADD.CSV cut at a row boundary", NewSDN(Config{}), with(sdnSet, "ADD.CSV", cutRows(t, sdnSet["ADD.CSV"], 13000)), "ADD.CSV", cutRows(t, sdnSet["ADD.CSV"], 13000), 13000,
			"without the 0x1A byte"},
		{"ALT.CSV cut inside a row", NewSDN(Config{}), with(sdnSet, "ALT.CSV", sdnSet["ALT.CSV"][:100000]), "ALT.CSV", sdnSet["ALT.CSV"][:100000], 0,
			"inside its last row"},
		{"SDN_COMMENTS.CSV without its last row", NewSDN(Config{}), with(sdnSet, "SDN_COMMENTS.CSV", comments[:lastComment]), "SDN_COMMENTS.CSV", comments[:lastComment], 4,
			"no row of it continues the Remarks of ent_num 30518, which SDN.CSV line"},
		{"SDN_COMMENTS.CSV cut inside its last row", NewSDN(Config{}), with(sdnSet, "SDN_COMMENTS.CSV", comments[:lastComment+40]), "SDN_COMMENTS.CSV", comments[:lastComment+40], 5,
			"inside its last row (line 5: "},
		{"SDN_COMMENTS.CSV cut after the ent_num of its last row", NewSDN(Config{}), with(sdnSet, "SDN_COMMENTS.CSV", comments[:lastComment+6]), "SDN_COMMENTS.CSV", comments[:lastComment+6], 5,
			"without the 0x1A byte"},
		{"SDN_COMMENTS.CSV empty", NewSDN(Config{}), with(sdnSet, "SDN_COMMENTS.CSV", nil), "SDN_COMMENTS.CSV", nil, 0,
			"no row of it continues the Remarks of ent_num 12300"},
		{"2025-12-19 consolidated set whole", NewConsolidated(Config{}), consSet, "", nil, 0, ""},
		{"CONS_PRIM.CSV cut at a row boundary", NewConsolidated(Config{}), with(consSet, "CONS_PRIM.CSV", cutRows(t, consSet["CONS_PRIM.CSV"], 400)), "CONS_PRIM.CSV", cutRows(t, consSet["CONS_PRIM.CSV"], 400), 400,
			"without the 0x1A byte"},
		{"CONS_PRIM.CSV cut inside a row", NewConsolidated(Config{}), with(consSet, "CONS_PRIM.CSV", consSet["CONS_PRIM.CSV"][:200000]), "CONS_PRIM.CSV", consSet["CONS_PRIM.CSV"][:200000], 0,
			"inside its last row"},
		{"CONS_COMMENTS.CSV cut at a row boundary", NewConsolidated(Config{}), with(consSet, "CONS_COMMENTS.CSV", cutRows(t, consSet["CONS_COMMENTS.CSV"], 9)), "CONS_COMMENTS.CSV", cutRows(t, consSet["CONS_COMMENTS.CSV"], 9), 9,
			"no row of it continues the Remarks of ent_num 31695, which CONS_PRIM.CSV line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := sourcetest.ParseInput(t, tc.src, sourcetest.InputOf(t, "csv", tc.files))
			if tc.file == "" {
				if p.Err != nil || len(p.Emitted) == 0 {
					t.Fatalf("%d entities, %v", len(p.Emitted), p.Err)
				}
				return
			}
			var re *sources.RecordError
			if !errors.As(p.Err, &re) || !errors.Is(p.Err, sources.ErrIncomplete) {
				t.Fatalf("err = %v, want a RecordError wrapping ErrIncomplete", p.Err)
			}
			if re.File != tc.file || re.Offset != int64(len(tc.cut)) || (tc.line > 0 && re.Line != tc.line) || !strings.Contains(p.Err.Error(), tc.want) {
				t.Errorf("err = %v (line %d, byte %d), want %s line %d, byte %d, %q", p.Err, re.Line, re.Offset, tc.file, tc.line, len(tc.cut), tc.want)
			}
		})
	}
}

// TestCSVHTMLPage: an HTML page saved as any file of the set is refused as
// one, not parsed into broken rows (issue 11: "0 entities" was all the
// run said).
func TestCSVHTMLPage(t *testing.T) {
	page := []byte("<!DOCTYPE html>\r\n<html lang=\"en\"><head><title>Sanctions List Service</title></head>\r\n<body><p>The request could not be satisfied.</p></body></html>\r\n")
	for _, file := range []string{"SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"} {
		files := map[string][]byte{"SDN.CSV": []byte(mainRow + "\x1a"), file: page}
		p := sourcetest.ParseInput(t, NewSDN(Config{}), sourcetest.InputOf(t, "csv", files))
		var re *sources.RecordError
		if !errors.As(p.Err, &re) || re.File != file || re.Line != 1 || !strings.Contains(p.Err.Error(), `an HTML page, not the CSV list (starts "<!DOCTYPE html>")`) {
			t.Errorf("%s: err = %v", file, p.Err)
		}
	}
}

// TestCSVLongRecord: a 50 MB row (one line, or one quoted field over many
// lines) is refused at the record bound with its line, having allocated a
// small part of it (a 50 MB line took 290 MB before).
func TestCSVLongRecord(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name  string
		parts []io.Reader
		line  int
	}{
		{"quoted", []io.Reader{strings.NewReader(mainRow + `37,"`), sourcetest.Repeat("x", 50*mb), strings.NewReader(`",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a")}, 2},
		{"unquoted", []io.Reader{strings.NewReader(mainRow + `37,`), sourcetest.Repeat("x", 50*mb), strings.NewReader(`,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a")}, 2},
		{"a quoted field over many lines", []io.Reader{strings.NewReader(mainRow + `37,"`), sourcetest.Repeat("xxxxxxx\n", 50*mb/8), strings.NewReader(`",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a")}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "SDN.CSV")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(f, io.MultiReader(tc.parts...)); err != nil {
				t.Fatal(err)
			}
			f.Close()
			in := &sources.Input{Format: "csv", Files: []*fetch.File{{Name: "SDN.CSV", Path: path}}}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			p := sourcetest.ParseInput(t, NewSDN(Config{}), in)
			runtime.ReadMemStats(&after)
			var re *sources.RecordError
			if !errors.As(p.Err, &re) || !errors.Is(p.Err, sources.ErrLimit) || re.File != "SDN.CSV" || (tc.line > 0 && re.Line != tc.line) ||
				!strings.Contains(p.Err.Error(), "a CSV record longer than 1048576 bytes") {
				t.Fatalf("err = %v", p.Err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32*mb {
				t.Errorf("allocated %d MB before refusing", alloc/mb)
			}
		})
	}
}

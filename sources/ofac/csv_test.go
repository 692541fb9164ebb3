package ofac

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

func TestCSV20210707(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	if other := otherIssues(p.Issues); len(other) > 0 {
		t.Errorf("issues: %v", other)
	}
	if len(p.Emitted) != 8976 || len(p.ByID) != 8976 {
		t.Fatalf("%d entities, %d distinct ids, want 8,976 each", len(p.Emitted), len(p.ByID))
	}
	counts := map[entity.Type]int{}
	for _, e := range p.Emitted {
		counts[e.Type]++
		if err := e.Validate(); err != nil {
			t.Error(err)
		}
	}
	want := map[entity.Type]int{entity.Person: 4620, entity.Organization: 3673, entity.Vessel: 406, entity.Aircraft: 277}
	for typ, n := range want {
		if counts[typ] != n {
			t.Errorf("%s: %d, want %d", typ, counts[typ], n)
		}
	}
	if p.Meta.PublicationDate != "" || p.Meta.DeclaredCount != 0 {
		t.Errorf("meta = %+v; the CSV declares neither date nor count", p.Meta)
	}
}

// TestCSVEntities checks single entities of the 2021-07-07 set against
// their published rows.
func TestCSVEntities(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	tests := []struct {
		id    string
		check func(t *testing.T, e *entity.Entity)
	}{
		{"us_ofac_sdn-36", func(t *testing.T, e *entity.Entity) {
			// 36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,...,-0- : nulls stay empty.
			if e.Type != entity.Organization || e.Name != "AEROCARIBBEAN AIRLINES" || e.Remarks != "" ||
				len(e.Titles) != 0 || e.Vessel != nil || !slices.Equal(e.Programs, []string{"CUBA"}) {
				t.Errorf("got %+v", e)
			}
			if len(e.Names) != 2 || e.Names[1].Value != "AERO-CARIBBEAN" || e.Names[1].Kind != entity.KindAlias {
				t.Errorf("names = %+v", e.Names)
			}
			if len(e.Addresses) != 1 || e.Addresses[0].Full != "Havana, Cuba" || e.Addresses[0].CountryRaw != "Cuba" {
				t.Errorf("addresses = %+v", e.Addresses)
			}
		}},
		// Labelled facts a plausibility check once dropped (issue 17):
		// each is an identifier now.
		{"us_ofac_sdn-16713", func(t *testing.T, e *entity.Entity) {
			// "Passport I066302 (Cabo Verde.  Previously Cape Verde.)".
			if !hasIdentifier(e, "passport", "I066302", "Cabo Verde") || !hasIdentifier(e, "national_id", "16128971", "Cabo Verde") {
				t.Errorf("identifiers %+v", e.Identifiers)
			}
		}},
		{"us_ofac_sdn-27583", func(t *testing.T, e *entity.Entity) {
			if !hasIdentifier(e, "national_id", "1 63 08 4 01 001 005E", "Mali") {
				t.Errorf("identifiers %+v", e.Identifiers)
			}
		}},
		{"us_ofac_sdn-10923", func(t *testing.T, e *entity.Entity) {
			// "Website www.alturath.org. Revival of Islamic Heritage
			// Society Offices Worldwide."
			if !hasIdentifier(e, "website", "www.alturath.org", "") || !strings.Contains(e.Remarks, "Revival of Islamic Heritage Society Offices Worldwide") {
				t.Errorf("identifiers %+v, remarks %q", e.Identifiers, e.Remarks)
			}
		}},
		{"us_ofac_sdn-12562", func(t *testing.T, e *entity.Entity) {
			// "Passport 4117921 issued under the name Dilawar Khan Zain
			// Khan": the number, with the sentence as its note.
			found := false
			for _, id := range e.Identifiers {
				found = found || (id.Type == "passport" && id.Raw == "4117921" && strings.Contains(id.Note, "issued under the name Dilawar Khan Zain Khan"))
			}
			if !found {
				t.Errorf("identifiers %+v", e.Identifiers)
			}
		}},
		{"us_ofac_sdn-7940", func(t *testing.T, e *entity.Entity) {
			// "...; nationality possibly Palestinian;arrested 23 Apr 2002;
			// a.k.a. ...": a fragment ends at ";" without its space too
			// (uids 7940, 7942 and 7945 of this file), so the nationality
			// does not swallow the arrest.
			for _, n := range e.Nationalities {
				if strings.Contains(n.Raw, "arrested") {
					t.Errorf("nationality %+v holds the next fragment", n)
				}
			}
			if len(e.Nationalities) != 1 || !strings.Contains(e.Nationalities[0].Raw, "Palestinian") {
				t.Errorf("nationalities %+v", e.Nationalities)
			}
			if !strings.Contains(e.Remarks, "arrested 23 Apr 2002") {
				t.Errorf("remarks %q lost the arrest", e.Remarks)
			}
		}},
		{"us_ofac_sdn-12300", func(t *testing.T, e *entity.Entity) {
			// Remarks continue in SDN_COMMENTS.CSV, cut inside a word
			// ("...S.A" + "S.; Linked To: ...").
			if !strings.HasSuffix(e.Remarks, "Linked To: R D I S.A.") || strings.Contains(e.Remarks, "  ") {
				t.Errorf("remarks end %q", e.Remarks[max(0, len(e.Remarks)-80):])
			}
			if e.Gender != "" && e.Gender != "male" {
				t.Errorf("gender %q", e.Gender)
			}
			targets := map[string]bool{}
			for _, r := range e.Relations {
				targets[r.TargetName] = true
			}
			for _, want := range []string{"R D I S.A.", "CUBICAFE S.A.S.", "HOTELES Y BIENES S.A."} {
				if !targets[want] {
					t.Errorf("no relation to %q (from the comments file)", want)
				}
			}
			if e.Names[0].Parts == nil || e.Names[0].Parts.Family != "CIFUENTES VILLA" || e.Names[0].Parts.Given != "Jorge Milton" {
				t.Errorf("primary = %+v", e.Names[0])
			}
			dobs := map[string]bool{}
			for _, d := range e.BirthDates {
				dobs[d.Value+"/"+d.Precision] = true
			}
			for _, want := range []string{"1965-05-13/day", "1968-04-13/day", "1964-07-07/day"} {
				if !dobs[want] {
					t.Errorf("no birth date %s in %+v", want, e.BirthDates)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			e := p.ByID[tc.id]
			if e == nil {
				t.Fatal("missing")
			}
			tc.check(t, e)
		})
	}
}

// TestCSVResavedRefused: the 2019-01-15 set, and the malformed set made
// from it, were re-saved with LF line ends and without OFAC's final 0x1A:
// their completeness cannot be proven, so each file is refused, naming it,
// the evidence and the byte where it ends.
func TestCSVResavedRefused(t *testing.T) {
	for _, dir := range []string{"us_ofac_sdn/2019-01-15", "malformed/us_ofac_sdn"} {
		for _, file := range []string{"sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"} {
			data := readTestdata(t, dir+"/"+file+".gz")
			name := strings.ToUpper(file)
			files := map[string][]byte{name: data}
			if name != "SDN.CSV" {
				files["SDN.CSV"] = []byte(mainRow + "\x1a")
			}
			p := sourcetest.ParseInput(t, NewSDN(Config{}), sourcetest.InputOf(t, "csv", files))
			var re *sources.RecordError
			if !errors.As(p.Err, &re) || !errors.Is(p.Err, sources.ErrIncomplete) {
				t.Fatalf("%s/%s: err = %v, want a RecordError wrapping ErrIncomplete", dir, file, p.Err)
			}
			if re.File != name || re.Offset != int64(len(data)) || !strings.Contains(p.Err.Error(), "re-saved copy: LF line ends and no 0x1A end mark") {
				t.Errorf("%s/%s: err = %v (byte %d of %d)", dir, file, p.Err, re.Offset, len(data))
			}
			if dir == "malformed/us_ofac_sdn" && !strings.Contains(p.Err.Error(), "its last row (line") {
				t.Errorf("%s/%s: the broken last row is not named: %v", dir, file, p.Err)
			}
		}
	}
}

// TestCSVMalformed parses the 2019-01-15 set with a broken trailing row in
// SDN, ALT and SDN_COMMENTS (and in ADD, re-saved by a spreadsheet that
// also dropped leading zeros of Singapore postcodes), each file given the
// 0x1A end mark its re-saving dropped: a broken row before the mark is the
// publisher's, an issue at its line, and every valid entry comes through
// as in the clean set.
func TestCSVMalformed(t *testing.T) {
	src := NewSDN(Config{})
	terminated := func(dir string) *sources.Input {
		files := map[string][]byte{}
		for name, file := range map[string]string{"SDN.CSV": "sdn.csv", "ADD.CSV": "add.csv", "ALT.CSV": "alt.csv", "SDN_COMMENTS.CSV": "sdn_comments.csv"} {
			files[name] = append(readTestdata(t, dir+"/"+file+".gz"), 0x1a)
		}
		return sourcetest.InputOf(t, "csv", files)
	}
	bad := sourcetest.MustParse(t, src, terminated("malformed/us_ofac_sdn"))
	clean := sourcetest.MustParse(t, src, terminated("us_ofac_sdn/2019-01-15"))
	if other := otherIssues(clean.Issues); len(other) != 0 {
		t.Errorf("clean set: issues %v", other)
	}
	want := []sources.Issue{
		{File: "ADD.CSV", Line: 11697, Record: "||||", Problem: "row skipped: record on line 11697: wrong number of fields"},
		{File: "ALT.CSV", Line: 9683, Record: "||||", Problem: "row skipped: record on line 9683: wrong number of fields"},
		{File: "SDN_COMMENTS.CSV", Line: 4, Record: "||||", Problem: "row skipped: record on line 4: wrong number of fields"},
		{File: "SDN.CSV", Line: 7380, Record: "||||", Problem: "row skipped: record on line 7380: wrong number of fields"},
	}
	if other := otherIssues(bad.Issues); !slices.Equal(other, want) {
		t.Errorf("issues:\n got %v\nwant %v", other, want)
	}
	if a, b := linkIssues(bad.Issues), linkIssues(clean.Issues); !slices.Equal(a, b) {
		t.Errorf("Linked To issues of the malformed set %v, of the clean set %v", a, b)
	}
	if len(bad.Emitted) != 7379 || len(clean.Emitted) != 7379 {
		t.Fatalf("malformed set gives %d entities, clean %d, want 7,379", len(bad.Emitted), len(clean.Emitted))
	}
	// Only the entities whose ADD rows the spreadsheet changed differ.
	changed := map[string]bool{"us_ofac_sdn-11623": true, "us_ofac_sdn-11630": true,
		"us_ofac_sdn-22605": true, "us_ofac_sdn-22606": true, "us_ofac_sdn-23787": true}
	for id, c := range clean.ByID {
		b := bad.ByID[id]
		if b == nil {
			t.Errorf("%s missing from the malformed set", id)
			continue
		}
		if same := sourcetest.Canonical(b) == sourcetest.Canonical(c); same == changed[id] {
			t.Errorf("%s: same as in the clean set = %v", id, same)
		}
	}
}

// mainRow is a real SDN.CSV row (2021-07-07, ent_num 36).
const mainRow = `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n"

func TestCSVQuirks(t *testing.T) {
	tests := []struct {
		name   string
		files  map[string]string
		names  []string // primary names, in order
		issues []sources.Issue
		check  func(t *testing.T, p *sourcetest.Parsed)
	}{{
		name:  "trailing 0x1A is no record",
		files: map[string]string{"SDN.CSV": mainRow + "\x1a"},
		names: []string{"AEROCARIBBEAN AIRLINES"},
	}, {
		name:  "null -0- is empty",
		files: map[string]string{"SDN.CSV": mainRow + "\x1a"},
		names: []string{"AEROCARIBBEAN AIRLINES"},
		check: func(t *testing.T, p *sourcetest.Parsed) {
			e := p.Emitted[0]
			if e.Type != entity.Organization || e.Remarks != "" || e.Titles != nil || e.Vessel != nil {
				t.Errorf("got %+v", e)
			}
		},
	}, {
		name: "Windows-1252",
		// The name of ent_num 12300 with 0xE9 for the e of Jorge.
		files: map[string]string{"SDN.CSV": `12300,"CIFUENTES VILLA, Jorg` + "\xe9" + ` Milton","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a"},
		names: []string{"CIFUENTES VILLA, Jorgé Milton"},
		check: func(t *testing.T, p *sourcetest.Parsed) {
			if n := p.Emitted[0].Names[0]; n.Parts.Given != "Jorgé Milton" || n.ASCII != "CIFUENTES VILLA, Jorge Milton" {
				t.Errorf("primary = %+v", n)
			}
		},
	}, {
		name:   "UTF-8 with BOM",
		files:  map[string]string{"SDN.CSV": "\xef\xbb\xbf" + `12300,"CIFUENTES VILLA, Jorgé Milton","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a"},
		names:  []string{"CIFUENTES VILLA, Jorgé Milton"},
		issues: []sources.Issue{{File: "SDN.CSV", Line: 1, Problem: "UTF-8 byte order mark at the start; dropped"}},
	}, {
		name: "remarks continued",
		files: map[string]string{
			"SDN.CSV":          `36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"Website www.example.c"` + "\r\n\x1a",
			"SDN_COMMENTS.CSV": `36,"om; Linked To: EMPRESA CUBANA DE AVIACION."` + "\r\n\x1a",
		},
		names: []string{"AEROCARIBBEAN AIRLINES"},
		// The target is no entity of this one-row list.
		issues: []sources.Issue{{File: "SDN.CSV", Problem: `1 Linked To relations (1 names) name no entity of the list; they keep the target's name without target_id: "EMPRESA CUBANA DE AVIACION" (cited by 36)`}},
		check: func(t *testing.T, p *sourcetest.Parsed) {
			e := p.Emitted[0]
			if e.Remarks != "Website www.example.com; Linked To: EMPRESA CUBANA DE AVIACION." {
				t.Errorf("remarks %q", e.Remarks)
			}
			want := []entity.Relation{{Type: "linked_to", TargetName: "EMPRESA CUBANA DE AVIACION"}}
			if !slices.Equal(e.Relations, want) || len(e.Identifiers) != 1 || e.Identifiers[0].Value != "www.example.com" {
				t.Errorf("relations %v, identifiers %v", e.Relations, e.Identifiers)
			}
		},
	}, {
		name: "bad quote resyncs at the next line",
		files: map[string]string{"SDN.CSV": mainRow +
			`173,"ANGLO-CARIBBEAN "CO"., LTD.",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n" +
			`306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. 'BNC'."` + "\r\n\x1a"},
		names: []string{"AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA"},
		// Column semantics change between Go releases: the problem is
		// matched in part.
		issues: []sources.Issue{{File: "SDN.CSV", Line: 2, Record: "173", Problem: `extraneous or missing " in quoted-field`}},
	}, {
		// The pipeline drops a repeated id after sorting (keeping the row
		// parsed first); the parser emits both rows, each with the
		// companion rows of its ent_num.
		name: "repeated ent_num",
		files: map[string]string{
			"SDN.CSV": mainRow + `36,"AEROCARIBBEAN AIRWAYS",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a",
			"ALT.CSV": `36,12,"aka","AERO-CARIBBEAN",-0- ` + "\r\n\x1a",
		},
		names: []string{"AEROCARIBBEAN AIRLINES", "AEROCARIBBEAN AIRWAYS"},
		check: func(t *testing.T, p *sourcetest.Parsed) {
			for _, e := range p.Emitted {
				alias := slices.ContainsFunc(e.Names, func(n entity.Name) bool { return n.Value == "AERO-CARIBBEAN" })
				if e.ID != "us_ofac_sdn-36" || len(e.Names) != 2 || !alias {
					t.Errorf("%s: names %+v, want the alias of ALT.CSV", e.ID, e.Names)
				}
			}
		},
	}, {
		name: "bad ent_num, companions of unknown entries",
		files: map[string]string{
			"SDN.CSV": mainRow + `X1,"NOBODY",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ` + "\r\n\x1a",
			"ALT.CSV": `36,12,"aka","AERO-CARIBBEAN",-0- ` + "\r\n" + `99,13,"aka","GHOST",-0- ` + "\r\n\x1a",
			"ADD.CSV": `36,25,-0- ,"Havana","Cuba",-0- ` + "\r\n" + `x,26,-0- ,"Havana","Cuba",-0- ` + "\r\n\x1a",
		},
		names: []string{"AEROCARIBBEAN AIRLINES"},
		issues: []sources.Issue{
			{File: "ADD.CSV", Line: 2, Record: "x,26,-0- ,Havana,Cuba,-0- ", Problem: `ent_num "x" is not a positive integer`},
			{File: "SDN.CSV", Line: 2, Record: "X1,NOBODY,-0- ,CUBA,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ", Problem: `ent_num "X1" is not a positive integer`},
			{File: "ALT.CSV", Line: 2, Record: "99", Problem: "ent_num 99 is not in SDN.CSV; row ignored"},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{}
			for name, s := range tc.files {
				files[name] = []byte(s)
			}
			p := sourcetest.MustParse(t, NewSDN(Config{}), sourcetest.InputOf(t, "csv", files))
			var names []string
			for _, e := range p.Emitted {
				names = append(names, e.Name)
			}
			if !slices.Equal(names, tc.names) {
				t.Errorf("names %q, want %q", names, tc.names)
			}
			if !sameIssues(p.Issues, tc.issues) {
				t.Errorf("issues:\n got %v\nwant %v", p.Issues, tc.issues)
			}
			if tc.check != nil && len(p.Emitted) > 0 {
				tc.check(t, p)
			}
		})
	}
}

func TestCSVEmptyMainFile(t *testing.T) {
	for _, data := range []string{"", "\x1a"} {
		p := sourcetest.ParseInput(t, NewSDN(Config{}), sourcetest.InputOf(t, "csv", map[string][]byte{"SDN.CSV": []byte(data)}))
		var re *sources.RecordError
		if !errors.As(p.Err, &re) || re.File != "SDN.CSV" {
			t.Errorf("%q: err = %v, want a RecordError naming SDN.CSV", data, p.Err)
		}
	}
}

func TestCSVMissingMainFile(t *testing.T) {
	p := sourcetest.ParseInput(t, NewSDN(Config{}), sourcetest.InputOf(t, "csv", map[string][]byte{"ALT.CSV": []byte(mainRow)}))
	if p.Err == nil || !strings.Contains(p.Err.Error(), "SDN.CSV") {
		t.Errorf("err = %v", p.Err)
	}
}

// A companion missing from the input is skipped: the acquisition already
// recorded it.
func TestCSVMissingCompanions(t *testing.T) {
	in := sdnCSV20210707(t)
	in.Files = slices.DeleteFunc(in.Files, func(f *fetch.File) bool { return f.Name != "SDN.CSV" })
	p := sourcetest.MustParse(t, NewSDN(Config{}), in)
	// The five rows SDN_COMMENTS.CSV continues are cut: one issue each.
	var cut []string
	for _, is := range otherIssues(p.Issues) {
		if !strings.HasPrefix(is.Problem, "Remarks cut at 1,000 characters and not continued (SDN_COMMENTS.CSV is absent)") {
			t.Errorf("issue %+v", is)
		}
		cut = append(cut, is.Record)
	}
	if want := []string{"12300", "28263", "28264", "29703", "30518"}; len(p.Emitted) != 8976 || !slices.Equal(cut, want) {
		t.Errorf("%d entities, cut issues for %v, want %v", len(p.Emitted), cut, want)
	}
	if e := p.ByID["us_ofac_sdn-36"]; len(e.Names) != 1 || len(e.Addresses) != 0 {
		t.Errorf("36 without companions: %+v", e)
	}
}

// TestEndMark: the final 0x1A is dropped and noted, one elsewhere passes;
// the first line end and the last line are what checkEnd weighs.
func TestEndMark(t *testing.T) {
	tests := []struct {
		in, out  string
		marked   bool
		eol      string
		lastLine int
	}{
		{"a\x1ab\x1a", "a\x1ab", true, "", 1},
		{"a\r\nb\r\n\x1a", "a\r\nb\r\n", true, "\r\n", 2},
		{"a\nb", "a\nb", false, "\n", 2},
		{"a\r\nb\r\n", "a\r\nb\r\n", false, "\r\n", 2},
		{"\x1a", "", true, "", 0},
		{"", "", false, "", 0},
	}
	for _, tc := range tests {
		m := &endMark{br: bufio.NewReaderSize(strings.NewReader(tc.in), 16)}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(m); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tc.out || m.marked != tc.marked || m.eol != tc.eol || m.lastLine() != tc.lastLine || m.off != int64(len(tc.in)) {
			t.Errorf("%q: got %q, marked %v, eol %q, last line %d, offset %d", tc.in, buf.String(), m.marked, m.eol, m.lastLine(), m.off)
		}
	}
}

// sameIssues compares issues; want's Problem need only be part of got's.
func sameIssues(got, want []sources.Issue) bool {
	return slices.EqualFunc(got, want, func(g, w sources.Issue) bool {
		return g.File == w.File && g.Line == w.Line && g.Record == w.Record && strings.Contains(g.Problem, w.Problem)
	})
}

func hasIdentifier(e *entity.Entity, typ, raw, country string) bool {
	for _, id := range e.Identifiers {
		if id.Type == typ && id.Raw == raw && id.Country == country {
			return true
		}
	}
	return false
}

// TestCSVCutRemarks: without the comments file, a Remarks cut at 1,000
// characters ends in a fragment the cut broke off; it is an issue, not a
// fact (issue 17). The capture of 2024-05-02 has only SDN.CSV.
func TestCSVCutRemarks(t *testing.T) {
	raw := readTestdata(t, "us_ofac_sdn/history/2024-05-02T1843Z_sdn.csv.gz")
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20240502(t))

	// A second reading of the file: the ent_nums whose Remarks column
	// holds exactly 1,000 characters (18, as Python's csv module also
	// counts them).
	var atLimit []string
	r := csv.NewReader(charmap.Windows1252.NewDecoder().Reader(bytes.NewReader(bytes.TrimSuffix(raw, []byte{0x1A}))))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if utf8.RuneCountInString(rec[11]) == 1000 {
			atLimit = append(atLimit, rec[0])
		}
	}
	if len(atLimit) != 18 {
		t.Fatalf("%d Remarks at 1,000 characters, want 18: %v", len(atLimit), atLimit)
	}
	var cutIssues []string
	for _, is := range p.Issues {
		if strings.Contains(is.Problem, "Remarks cut at 1,000 characters") {
			cutIssues = append(cutIssues, is.Record)
			if is.File != "SDN.CSV" || is.Line == 0 {
				t.Errorf("issue without its place: %+v", is)
			}
		}
	}
	if !slices.Equal(cutIssues, atLimit) {
		t.Errorf("cut issues for %v, want one for each of %v", cutIssues, atLimit)
	}

	tests := []struct {
		id       string
		whole    string // an identifier value the cut leaves whole
		broken   string // a piece of a value the cut broke off
		lastFrag string // the text the issue names
	}{
		// "...; alt. Digital Currency Address - XBT
		// 18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa;": the cut fell between
		// ";" and " ", so the address before it is whole (34 characters,
		// the longest a P2PKH address has), without the ";".
		{id: "42496", whole: "18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa", broken: "18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa;"},
		// "... XBT 1Gq": 1GqChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr in the full
		// remarks of 2021-07-07.
		{id: "30518", broken: "1Gq", lastFrag: "alt. Digital Currency Address - XBT 1Gq"},
		{id: "33854", broken: "3", lastFrag: "alt. Digital Currency Address - XBT 3"},
		// "Secondary sanctions risk: North Korea Sanctions Regulations,
		// sections 510.201 and 510.2".
		{id: "45430", broken: "North Korea Sanctions Regulations, sections 510.201 and 510.2"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			e := p.BySourceID[tc.id]
			for _, id := range e.Identifiers {
				if id.Raw == tc.broken {
					t.Errorf("identifier %+v from the cut fragment", id)
				}
			}
			if tc.whole != "" && !hasIdentifier(e, "crypto_wallet", tc.whole, "") {
				t.Errorf("no identifier %q: %+v", tc.whole, e.Identifiers[len(e.Identifiers)-3:])
			}
			if !strings.HasSuffix(e.Remarks, tc.broken) {
				t.Errorf("remarks end %q; they stay as published", e.Remarks[len(e.Remarks)-60:])
			}
			if tc.lastFrag != "" && !slices.ContainsFunc(p.Issues, func(is sources.Issue) bool {
				return is.Record == tc.id && strings.Contains(is.Problem, strconv.Quote(tc.lastFrag))
			}) {
				t.Errorf("no issue names the fragment %q", tc.lastFrag)
			}
		})
	}

	// With the comments file the same rows are whole: 30518's address in
	// full, and no cut issue.
	full := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	if !hasIdentifier(full.BySourceID["30518"], "crypto_wallet", "1GqChmWqGtsaLrGbHfgdrV5Nkvahtjjuxr", "") {
		t.Errorf("30518 with SDN_COMMENTS.CSV: %+v", full.BySourceID["30518"].Identifiers)
	}
	for _, is := range full.Issues {
		if strings.Contains(is.Problem, "Remarks cut") {
			t.Errorf("issue %+v though the comments file continues the row", is)
		}
	}
}

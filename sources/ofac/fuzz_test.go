package ofac

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// FuzzParseCSV parses arbitrary main and ADD files, seeded with the start
// of the real excerpt of 2025-05-16, with and without the end mark.
func FuzzParseCSV(f *testing.F) {
	sdn := cutRows(f, readTestdata(f, "us_ofac_sdn/excerpt-2025-05-16/sdn.csv"), 3)
	add := cutRows(f, readTestdata(f, "us_ofac_sdn/excerpt-2025-05-16/add.csv"), 4)
	f.Add(append(bytes.Clone(sdn), 0x1a), append(bytes.Clone(add), 0x1a))
	f.Add(sdn, add)
	f.Add([]byte(mainRow+"\x1a"), []byte(nil))
	f.Add([]byte("<!DOCTYPE html>\n<html></html>"), []byte(nil))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, main, add []byte) {
		files := map[string][]byte{"SDN.CSV": main}
		if len(add) > 0 {
			files["ADD.CSV"] = add
		}
		sourcetest.FuzzParse(t, NewSDN(Config{}), dir, "csv", files, bytes.Count(main, []byte("\n"))+1)
	})
}

// FuzzParseXML parses arbitrary SDN.XML files, seeded with the real
// excerpt (as it is and counted) and the start of a consolidated file.
func FuzzParseXML(f *testing.F) {
	f.Add(readTestdata(f, sdnExcerpt))
	f.Add(excerptCounted(f))
	f.Add(readTestdata(f, cons20180406)[:4096])
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		sourcetest.FuzzParse(t, NewSDN(Config{}), dir, "xml", map[string][]byte{"SDN.XML": data}, bytes.Count(data, []byte("<")))
	})
}

// FuzzParseAdvanced parses arbitrary CONS_ADVANCED.XML files, seeded with
// a small file cut from the real 2020-03-17 one (its code tables and a
// record of each section), that file cut in half, without its code
// tables, and an HTML page.
func FuzzParseAdvanced(f *testing.F) {
	small := smallAdvanced(f)
	// The seed maps as the whole file does: the same two entities, and
	// two issues: document 9477 and relationship 2211 name parties the
	// small file lacks.
	p := parseAdvancedBytes(f, small)
	if p.Err != nil || len(p.Entities) != 2 || p.IssuesTotal != 2 {
		f.Fatalf("seed: err %v, %d entities, issues %v; want nil, 2, two", p.Err, len(p.Entities), sourcetest.IssueStrings(p.Issues))
	}
	whole := sourcetest.MustParse(f, NewConsolidated(Config{TempDir: f.TempDir()}), cons20200317Advanced(f))
	for _, e := range p.Entities {
		if got, want := sourcetest.Canonical(e), sourcetest.Canonical(whole.Entity(f, e.SourceID)); got != want {
			f.Fatalf("seed entity %s:\n%s\nfrom the whole file:\n%s", e.SourceID, got, want)
		}
	}
	f.Add(small)
	f.Add(small[:len(small)/2])
	rvs, locs := bytes.Index(small, []byte("  <ReferenceValueSets>")), bytes.Index(small, []byte("  <Locations>"))
	f.Add(append(bytes.Clone(small[:rvs]), small[locs:]...))
	f.Add([]byte("<!DOCTYPE html>\r\n<html><body>Service Unavailable</body></html>\r\n"))
	dir := sourcetest.FuzzDir(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every entity is a <DistinctParty>.
		sourcetest.FuzzParse(t, NewConsolidated(Config{TempDir: dir}), dir, "advanced", map[string][]byte{advFile: data}, bytes.Count(data, []byte("DistinctParty")))
	})
}

// smallAdvanced is the real 2020-03-17 CONS_ADVANCED.XML cut down to, of
// each section, records that refer to each other: parties 9639 and 9641
// with their sanctions entries and locations, a document and a
// relationship whose parties the file lacks, and of the code tables the
// mapping reads only the entries these name (the whole tables are two
// thirds of the size, which slows the fuzzer's minimizing).
func smallAdvanced(t testing.TB) []byte {
	t.Helper()
	data := readTestdata(t, advTestdata)
	// block is the record starting at start (a line's text after its
	// indent) up to the end of the line of the end tag after it.
	block := func(start, end string) []byte {
		i := indexOnce(t, data, start)
		i = bytes.LastIndexByte(data[:i], '\n') + 1
		j := i + bytes.Index(data[i:], []byte(end))
		j += bytes.IndexByte(data[j:], '\n') + 1
		return data[i:j]
	}
	section := func(name string, records ...[]byte) []byte {
		return slices.Concat([]byte("  <"+name+">\r\n"), slices.Concat(records...), []byte("  </"+name+">\r\n"))
	}
	records := slices.Concat(
		section("Locations", block(`<Location ID="12812">`, "</Location>"), block(`<Location ID="12128">`, "</Location>")),
		section("IDRegDocuments", block(`<IDRegDocument ID="9477"`, "</IDRegDocument>")),
		section("DistinctParties", block(`<DistinctParty FixedRef="9639">`, "</DistinctParty>"), block(`<DistinctParty FixedRef="9641">`, "</DistinctParty>")),
		section("ProfileRelationships", block(`<ProfileRelationship ID="2211"`, "</ProfileRelationship>")),
		section("SanctionsEntries",
			block(`<SanctionsEntry ID="70009639"`, "</SanctionsEntry>"), block(`<SanctionsEntry ID="10009639"`, "</SanctionsEntry>"),
			block(`<SanctionsEntry ID="70009641"`, "</SanctionsEntry>"), block(`<SanctionsEntry ID="10009641"`, "</SanctionsEntry>")),
		[]byte("  <SanctionsEntryLinks />\r\n</Sanctions>"))

	// The code tables: every entry is one line.
	rvs := indexOnce(t, data, "  <ReferenceValueSets>")
	lines := bytes.SplitAfter(data[rvs:indexOnce(t, data, "  <Locations>")], []byte("\n"))
	reference := regexp.MustCompile(`[A-Za-z]ID="(\d+)"`) // AreaCodeID="91021"; not the ID itself
	entry := regexp.MustCompile(`^\s*<\w+ ID="(\d+)"`)
	used := map[string]bool{}
	mark := func(b []byte) {
		for _, m := range reference.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
	}
	mark(records)
	// Entries refer to others (an area code to its country, a party
	// subtype to its type), one level deep.
	for _, l := range lines {
		if m := entry.FindSubmatch(l); m != nil && used[string(m[1])] {
			mark(l)
		}
	}
	head := bytes.Clone(data[:rvs])
	required := false
	for _, l := range lines {
		text := string(bytes.TrimSpace(l))
		switch m := entry.FindSubmatch(l); {
		case strings.HasSuffix(text, "Values>"), strings.HasSuffix(text, "Values />"):
			name := strings.Trim(strings.TrimSuffix(strings.TrimSuffix(text, " />"), ">"), "</")
			required = slices.Contains(requiredTables, strings.TrimSuffix(name, "Values"))
			if required {
				head = append(head, l...)
			}
		case m != nil:
			if required && used[string(m[1])] {
				head = append(head, l...)
			}
		default: // <ReferenceValueSets>, </ReferenceValueSets>
			head = append(head, l...)
		}
	}
	return append(head, records...)
}

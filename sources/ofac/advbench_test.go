package ofac

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/bigfile"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// cons20200317AdvancedFile is the one real advanced XML publication in
// testdata (375 parties, 2.7 MB).
const cons20200317AdvancedFile = "us_ofac_cons/2020-03-17/cons_advanced.xml.gz"

// advancedCopies cuts the 2020-03-17 consolidated advanced XML for
// repetition (internal/bigfile, which cmd/sanctions-etl's whole-run
// measures share): copy k > 0 of the records has every instance id moved
// on by k*Base, code-table ids unchanged.
func advancedCopies(t testing.TB) *bigfile.OFACAdvanced {
	t.Helper()
	o, err := bigfile.ParseOFACAdvanced(readTestdata(t, cons20200317AdvancedFile))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// repeatedAdvanced is one advanced publication holding the code tables of
// the 2020-03-17 consolidated list once and each of its sections with the
// records n times over.
func repeatedAdvanced(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	st, err := advancedCopies(t).Write(&buf, n)
	if err != nil {
		t.Fatal(err)
	}
	if st.Parties != 375*n {
		t.Fatalf("%d parties in %d copies, want %d", st.Parties, n, 375*n)
	}
	return buf.Bytes()
}

func consAdvanced(t testing.TB, data []byte) *sources.Input {
	return sourcetest.InputOf(t, "advanced", map[string][]byte{"CONS_ADVANCED.XML": data})
}

// Three copies parse as three publications side by side: 1,125 entities,
// no issue, every relation's target an entity of its own copy, and every
// entity of copy k that of the real file's party, once its ids are moved
// back. A reference the generator failed to move on would join a copy's
// record to copy 0's party (copy 0 then shows a document, address or
// relation twice) or to none (an issue).
func TestRepeatedAdvancedParses(t *testing.T) {
	src := NewConsolidated(Config{TempDir: t.TempDir()})
	base := advancedCopies(t).Base
	orig := sourcetest.MustParse(t, src, cons20200317Advanced(t))
	if len(orig.Entities) != 375 || orig.IssuesTotal != 0 {
		t.Fatalf("the real file: %d entities, %d issues; want 375, 0", len(orig.Entities), orig.IssuesTotal)
	}
	const n = 3
	p := sourcetest.MustParse(t, src, consAdvanced(t, repeatedAdvanced(t, n)))
	if len(p.Entities) != n*375 || len(p.ByID) != n*375 || p.IssuesTotal != 0 {
		t.Fatalf("%d entities (%d ids), %d issues %q; want %d, %d, none", len(p.Entities), len(p.ByID), p.IssuesTotal, sourcetest.IssueStrings(p.Issues), n*375, n*375)
	}
	copyOf := func(sourceID string) (k uint64, fixed string) {
		v, err := strconv.ParseUint(sourceID, 10, 64)
		if err != nil {
			t.Fatalf("source id %q: %v", sourceID, err)
		}
		return v / base, strconv.FormatUint(v%base, 10)
	}
	idPrefix := entity.MakeID(src.Info().Name, "")
	relations := 0
	for _, e := range p.Entities {
		k, fixed := copyOf(e.SourceID)
		back := *e
		back.ID, back.SourceID = entity.MakeID(src.Info().Name, fixed), fixed
		back.Relations = slices.Clone(e.Relations)
		for i, r := range e.Relations {
			relations++
			if p.ByID[r.TargetID] == nil {
				t.Errorf("%s: relation %s to %s, which no entity has", e.ID, r.Type, r.TargetID)
				continue
			}
			tk, tfixed := copyOf(strings.TrimPrefix(r.TargetID, idPrefix))
			if tk != k {
				t.Errorf("%s (copy %d): relation %s to %s, of copy %d", e.ID, k, r.Type, r.TargetID, tk)
			}
			back.Relations[i].TargetID = entity.MakeID(src.Info().Name, tfixed)
		}
		want := orig.ByID[back.ID]
		if want == nil {
			t.Errorf("%s (copy %d): the real file has no party %s", e.ID, k, fixed)
			continue
		}
		if got, want := sourcetest.Canonical(&back), sourcetest.Canonical(want); got != want {
			t.Errorf("%s (copy %d), its ids moved back:\n got %s\nwant %s", e.ID, k, got, want)
		}
	}
	origRelations := 0
	for _, e := range orig.Entities {
		origRelations += len(e.Relations)
	}
	if relations != n*origRelations || origRelations == 0 {
		t.Errorf("%d relations, want %d times the real file's %d", relations, n, origRelations)
	}
}

// advBench is an advanced publication of at least 20 MB in memory (8
// copies: 22.4 MB) and its parties.
func advBench(b *testing.B) ([]byte, int) {
	o := advancedCopies(b)
	var buf bytes.Buffer
	st, err := o.Write(&buf, o.Copies(20e6))
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes(), st.Parties
}

// BenchmarkParseAdvanced parses an advanced publication of 22.4 MB (the
// 2020-03-17 consolidated records 8 times: 3,000 parties); compare with
// BenchmarkFloorAdvanced on the same bytes.
func BenchmarkParseAdvanced(b *testing.B) {
	data, parties := advBench(b)
	in := consAdvanced(b, data)
	benchParse(b, NewConsolidated(Config{TempDir: b.TempDir()}), in, int64(len(data)), parties)
}

// advRecordXPath selects what the parser's stream reads as records: the
// root's children, and in place of the sections (xmlstream's Containers)
// their children.
const advRecordXPath = "/*/*[local-name() != 'Locations' and local-name() != 'IDRegDocuments' and local-name() != 'DistinctParties'" +
	" and local-name() != 'ProfileRelationships' and local-name() != 'SanctionsEntries' and local-name() != 'SanctionsEntryLinks']" +
	" | /*/Locations/* | /*/IDRegDocuments/* | /*/DistinctParties/* | /*/ProfileRelationships/* | /*/SanctionsEntries/* | /*/SanctionsEntryLinks/*"

// BenchmarkFloorAdvanced: xmlquery's stream parser alone handing over
// BenchmarkParseAdvanced's records, on the same bytes ("as-published")
// and with the root's default namespace blanked as the parser does
// before its stream sees it ("blank-ns", the floor of our parser).
func BenchmarkFloorAdvanced(b *testing.B) {
	data, parties := advBench(b)
	blank := bytes.Replace(data, []byte(`xmlns="`+nsAdvanced+`"`), bytes.Repeat([]byte(" "), len(`xmlns="`+nsAdvanced+`"`)), 1)
	// The code tables and DateOfIssue are one record each; every section
	// repeats its records per copy.
	want := 2 + advancedCopies(b).PerCopy()*parties/375
	for _, v := range []struct {
		name string
		data []byte
	}{{"as-published", data}, {"blank-ns", blank}} {
		b.Run(v.name, func(b *testing.B) {
			b.SetBytes(int64(len(v.data)))
			b.ReportAllocs()
			for b.Loop() {
				n, _, err := bigfile.XMLQueryFloorAt(bytes.NewReader(v.data), advRecordXPath)
				if err != nil || n != want {
					b.Fatalf("%d records, %v; want %d", n, err, want)
				}
			}
		})
	}
}

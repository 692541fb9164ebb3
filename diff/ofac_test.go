package diff

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Real OFAC SDN.CSV captures, one day apart.
const (
	sdnDay1 = "2024-03-11T1843Z_sdn.csv.gz"
	sdnDay2 = "2024-03-12T1843Z_sdn.csv.gz"
)

var historyDir = filepath.Join("..", "testdata", "us_ofac_sdn", "history")

// ofacRows reads an SDN.CSV capture: no header, 12 columns, "-0- " for
// null, a trailing 0x1A. Rows come back keyed by ent_num, fields with nulls
// emptied and spaces trimmed.
func ofacRows(tb testing.TB, name string) map[string][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(historyDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	data = bytes.TrimSuffix(data, []byte{0x1a})
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 12
	rows := map[string][]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		for i, v := range rec {
			if v == "-0- " {
				v = ""
			}
			rec[i] = strings.TrimSpace(v)
		}
		if _, dup := rows[rec[0]]; dup {
			tb.Fatalf("%s: ent_num %s twice", name, rec[0])
		}
		rows[rec[0]] = rec
	}
	return rows
}

// ofacPrograms splits the Program column ("SDGT] [IRGC").
func ofacPrograms(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, "] [") {
		if p = strings.Trim(p, "[] "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ofacEntity maps every column of a row, so that rows differ exactly when
// their entities do.
func ofacEntity(rec []string) *entity.Entity {
	e := &entity.Entity{
		ID:       entity.MakeID("us_ofac_sdn", rec[0]),
		Source:   "us_ofac_sdn",
		SourceID: rec[0],
		Name:     rec[1],
		Names:    []entity.Name{{Value: rec[1], Kind: entity.KindPrimary}},
		Programs: ofacPrograms(rec[3]),
		Remarks:  rec[11],
	}
	switch rec[2] {
	case "individual":
		e.Type = entity.Person
	case "vessel":
		e.Type = entity.Vessel
	case "aircraft":
		e.Type = entity.Aircraft
	case "":
		e.Type = entity.Organization
	default:
		e.Type = entity.Unknown
	}
	if rec[4] != "" {
		e.Titles = []string{rec[4]}
	}
	if slices.ContainsFunc(rec[5:11], func(s string) bool { return s != "" }) {
		e.Vessel = &entity.VesselInfo{CallSign: rec[5], Type: rec[6], Tonnage: rec[7], GrossTons: rec[8], Flag: rec[9], Owner: rec[10]}
	}
	e.Canonicalize()
	return e
}

// ofacEntities maps rows to entities sorted by id.
func ofacEntities(rows map[string][]string) []*entity.Entity {
	ents := make([]*entity.Entity, 0, len(rows))
	for _, rec := range rows {
		ents = append(ents, ofacEntity(rec))
	}
	slices.SortFunc(ents, func(a, b *entity.Entity) int { return strings.Compare(a.ID, b.ID) })
	return ents
}

// snapshotBytes writes entities as a snapshot file (uncompressed).
func snapshotBytes(tb testing.TB, ents []*entity.Entity) []byte {
	tb.Helper()
	var buf bytes.Buffer
	s := SliceSnapshot(ents)
	for {
		r, err := s.Next()
		if err == io.EOF {
			return buf.Bytes()
		}
		if err != nil {
			tb.Fatal(err)
		}
		buf.Write(r.Line)
		buf.WriteByte('\n')
	}
}

// applyBytes applies a delta to a snapshot file, giving the new file.
func applyBytes(tb testing.TB, base, delta []byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	err := Apply(NewLineReader(bytes.NewReader(base)), bytes.NewReader(delta), func(line []byte) error {
		out.Write(line)
		out.WriteByte('\n')
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

func setOf(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// expectedOps derives the ops from the raw rows, independently of Compare.
func expectedOps(before, after map[string][]string) (added, removed, changed []string) {
	for n, rec := range after {
		old, ok := before[n]
		switch {
		case !ok:
			added = append(added, entity.MakeID("us_ofac_sdn", n))
		case !sameRow(old, rec):
			changed = append(changed, entity.MakeID("us_ofac_sdn", n))
		}
	}
	for n := range before {
		if _, ok := after[n]; !ok {
			removed = append(removed, entity.MakeID("us_ofac_sdn", n))
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	slices.Sort(changed)
	return added, removed, changed
}

// sameRow compares rows field by field, programs as a set.
func sameRow(a, b []string) bool {
	for i := range a {
		if i == 3 {
			pa, pb := ofacPrograms(a[i]), ofacPrograms(b[i])
			slices.Sort(pa)
			slices.Sort(pb)
			if !slices.Equal(slices.Compact(pa), slices.Compact(pb)) {
				return false
			}
			continue
		}
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRealOFACDay(t *testing.T) {
	rows1, rows2 := ofacRows(t, sdnDay1), ofacRows(t, sdnDay2)
	old, cur := ofacEntities(rows1), ofacEntities(rows2)

	// The first version: every entity added, history = v1.
	if err := Carry(nil, old, "20240311T184300Z"); err != nil {
		t.Fatal(err)
	}
	oldData := snapshotBytes(t, old)

	var delta bytes.Buffer
	dw := NewDeltaWriter(&delta)
	var ops []Op
	col := NewReportBuilder(0)
	counts, err := CarryCompare(NewLineReader(bytes.NewReader(oldData)), cur, "20240312T184300Z", func(op Op) error {
		ops = append(ops, op)
		if err := col.Add(op); err != nil {
			return err
		}
		return dw.Write(op)
	})
	if err != nil {
		t.Fatal(err)
	}
	newData := snapshotBytes(t, cur)

	wantAdded, wantRemoved, wantChanged := expectedOps(rows1, rows2)
	got := map[string][]string{}
	for _, op := range ops {
		got[op.Op] = append(got[op.Op], op.ID)
	}
	for _, c := range []struct {
		op   string
		want []string
	}{{OpAdd, wantAdded}, {OpRemove, wantRemoved}, {OpChange, wantChanged}} {
		if !slices.Equal(got[c.op], c.want) {
			t.Errorf("%s: got %v\nwant %v", c.op, got[c.op], c.want)
		}
	}
	if len(wantAdded)+len(wantRemoved)+len(wantChanged) == 0 {
		t.Fatal("the two captures should differ")
	}
	want := Counts{Added: len(wantAdded), Removed: len(wantRemoved), Changed: len(wantChanged)}
	want.Unchanged = len(rows2) - want.Added - want.Changed
	if counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	t.Logf("%s -> %s: %+v", sdnDay1, sdnDay2, counts)

	// History: carried for the unchanged, bumped for the changed.
	changed, added := setOf(wantChanged...), setOf(wantAdded...)
	for _, e := range cur {
		wantFS, wantLC := "20240311T184300Z", "20240311T184300Z"
		switch {
		case added[e.ID]:
			wantFS, wantLC = "20240312T184300Z", "20240312T184300Z"
		case changed[e.ID]:
			wantLC = "20240312T184300Z"
		}
		if e.FirstSeen != wantFS || e.LastChanged != wantLC {
			t.Fatalf("%s: history %s/%s, want %s/%s", e.ID, e.FirstSeen, e.LastChanged, wantFS, wantLC)
		}
	}

	// Every change names the fields that differ, and only those.
	for _, op := range ops {
		if op.Op != OpChange {
			continue
		}
		if len(op.Changes) == 0 {
			t.Errorf("%s: change without changes", op.ID)
		}
		for _, ch := range op.Changes {
			if bytes.Equal(ch.Before, ch.After) || ch.Field == "first_seen" || ch.Field == "last_changed" {
				t.Errorf("%s: bad change %+v", op.ID, ch)
			}
		}
	}

	// The contract: old + delta = new, byte for byte.
	if applied := applyBytes(t, oldData, delta.Bytes()); !bytes.Equal(applied, newData) {
		t.Fatalf("Apply(old, delta) differs from the new snapshot (%d vs %d bytes)", len(applied), len(newData))
	}

	// Comparing the two files gives the same delta as the pipeline's pass.
	var delta2 bytes.Buffer
	dw2 := NewDeltaWriter(&delta2)
	counts2, err := Compare(NewLineReader(bytes.NewReader(oldData)), NewLineReader(bytes.NewReader(newData)), dw2.Write)
	if err != nil {
		t.Fatal(err)
	}
	if counts2 != counts || !bytes.Equal(delta2.Bytes(), delta.Bytes()) {
		t.Errorf("Compare of the files: %+v, delta equal %v; CarryCompare: %+v", counts2, bytes.Equal(delta2.Bytes(), delta.Bytes()), counts)
	}

	// The report renders the real delta, the same twice.
	in := ReportInput{Source: "us_ofac_sdn", Version: "20240312T184300Z", PreviousVersion: "20240311T184300Z",
		EntityCount: len(cur), Counts: counts, Ops: col, CountsByType: map[string]int{}}
	for _, e := range cur {
		in.CountsByType[string(e.Type)]++
	}
	var md1, md2, html bytes.Buffer
	if err := WriteMarkdown(&md1, in); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md2, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(md1.Bytes(), md2.Bytes()) {
		t.Error("report.md differs between two writes")
	}
	if err := WriteHTML(&html, in); err != nil {
		t.Fatal(err)
	}
	for _, id := range append(append(slices.Clone(wantAdded), wantRemoved...), wantChanged...) {
		if !strings.Contains(md1.String(), "| "+id+" |") || !strings.Contains(html.String(), ">"+id+"<") {
			t.Errorf("report lacks %s", id)
		}
	}
}

// TestRealOFACHistory replays every capture of the history folder through
// CarryCompare, then checks the contract: applying every delta in order to
// the first snapshot reproduces the last one exactly.
func TestRealOFACHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("replays 23 captures")
	}
	files, err := filepath.Glob(filepath.Join(historyDir, "*_sdn.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	var first, prev, replayed []byte
	var prevRows map[string][]string
	var deltas int
	var total Counts
	for _, f := range files {
		rows := ofacRows(t, filepath.Base(f))
		if len(rows) == 0 {
			continue // the empty capture of 2024-05-04: the guard refuses it
		}
		version := strings.TrimSuffix(filepath.Base(f), "_sdn.csv.gz")
		cur := ofacEntities(rows)
		var delta bytes.Buffer
		dw := NewDeltaWriter(&delta)
		var old Snapshot
		if prev != nil {
			old = NewLineReader(bytes.NewReader(prev))
		}
		got := map[string][]string{}
		counts, err := CarryCompare(old, cur, version, func(op Op) error {
			got[op.Op] = append(got[op.Op], op.ID)
			return dw.Write(op)
		})
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		wantAdded, wantRemoved, wantChanged := expectedOps(prevRows, rows)
		if !slices.Equal(got[OpAdd], wantAdded) || !slices.Equal(got[OpRemove], wantRemoved) || !slices.Equal(got[OpChange], wantChanged) {
			t.Errorf("%s: ops %v, want added %v removed %v changed %v", version, got, wantAdded, wantRemoved, wantChanged)
		}
		if prev != nil {
			total.Added += counts.Added
			total.Removed += counts.Removed
			total.Changed += counts.Changed
		}
		prevRows = rows
		data := snapshotBytes(t, cur)
		if first == nil {
			first, replayed = data, data
		} else {
			replayed = applyBytes(t, replayed, delta.Bytes())
			deltas++
		}
		prev = data
	}
	if deltas < 20 {
		t.Fatalf("only %d deltas", deltas)
	}
	if !bytes.Equal(replayed, prev) {
		t.Fatalf("first snapshot + %d deltas differs from the last snapshot", deltas)
	}
	t.Logf("%d deltas: %d added, %d removed, %d changed", deltas, total.Added, total.Removed, total.Changed)
	if bytes.Equal(first, prev) {
		t.Fatal("first and last snapshots are equal; the test proves nothing")
	}
}

// TestLineFastPath checks that the content cut from real lines without
// decoding is exactly what entity.ContentHash hashes.
func TestLineFastPath(t *testing.T) {
	ents := ofacEntities(ofacRows(t, sdnDay1))
	if err := Carry(nil, ents, "20240311T184300Z"); err != nil {
		t.Fatal(err)
	}
	s := NewLineReader(bytes.NewReader(snapshotBytes(t, ents)))
	for i := 0; ; i++ {
		r, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Entity != nil {
			t.Fatalf("%s: decoded on the fast path", r.ID)
		}
		want, err := contentLine(ents[i])
		if err != nil {
			t.Fatal(err)
		}
		if got := string(r.body) + "}"; got != string(want) || r.firstSeen != ents[i].FirstSeen || r.lastChanged != ents[i].LastChanged {
			t.Fatalf("%s: body\n%s\nwant\n%s", r.ID, got, want)
		}
	}
}

// BenchmarkCompare compares two real captures (~14,450 entities each).
// files: the `diff OLD NEW` path, both snapshots read from lines;
// carry: the pipeline's pass, the previous snapshot read from lines and the
// current run's entities marshalled. Both write the delta to io.Discard.
func BenchmarkCompare(b *testing.B) {
	old, cur := ofacEntities(ofacRows(b, sdnDay1)), ofacEntities(ofacRows(b, sdnDay2))
	if err := Carry(nil, old, "v1"); err != nil {
		b.Fatal(err)
	}
	oldData := snapshotBytes(b, old)
	if err := Carry(NewLineReader(bytes.NewReader(oldData)), cur, "v2"); err != nil {
		b.Fatal(err)
	}
	newData := snapshotBytes(b, cur)
	b.Logf("entities %d -> %d, %d -> %d bytes", len(old), len(cur), len(oldData), len(newData))

	b.Run("files", func(b *testing.B) {
		b.SetBytes(int64(len(oldData) + len(newData)))
		for b.Loop() {
			dw := NewDeltaWriter(io.Discard)
			if _, err := Compare(NewLineReader(bytes.NewReader(oldData)), NewLineReader(bytes.NewReader(newData)), dw.Write); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("carry", func(b *testing.B) {
		b.SetBytes(int64(len(oldData)))
		for b.Loop() {
			dw := NewDeltaWriter(io.Discard)
			if _, err := CarryCompare(NewLineReader(bytes.NewReader(oldData)), cur, "v2", dw.Write); err != nil {
				b.Fatal(err)
			}
		}
	})
}

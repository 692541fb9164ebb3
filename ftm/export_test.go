package ftm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/ftm"
)

// lines renders entities as a snapshot holds them: canonical JSON sorted
// by id.
func lines(t testing.TB, ents []*entity.Entity) []byte {
	t.Helper()
	sorted := slices.Clone(ents)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var b bytes.Buffer
	for _, e := range sorted {
		line, err := e.MarshalCanonical()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func opener(data []byte) ftm.Opener {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}

// runExportTo exports ents to w.
func runExportTo(t testing.TB, ents []*entity.Entity, w io.Writer) {
	t.Helper()
	if _, err := ftm.Export(context.Background(), opener(lines(t, ents)), w, ftm.ExportOptions{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
}

// runExport exports data with sort budgets small enough that every sort
// spills runs to disk.
func runExport(t testing.TB, data []byte) ([]byte, ftm.ExportCounts) {
	t.Helper()
	var out bytes.Buffer
	counts, err := ftm.Export(context.Background(), opener(data), &out, ftm.ExportOptions{TempDir: t.TempDir(), SortBudget: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), counts
}

// TestExportEqualsIndexedConversion: on every real publication, the
// export's sort-joined relation targets give the same FtM lines as a
// conversion with an in-memory index of every id (export in
// corpus_test.go), sorted by id; the counts agree and the export
// validates.
func TestExportEqualsIndexedConversion(t *testing.T) {
	ss, err := ftm.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range publications(t) {
		ents := parse(t, p)
		if len(ents) == 0 {
			continue
		}
		got, counts := runExport(t, lines(t, ents))

		want, dropped := export(ents)
		sort.Slice(want, func(i, j int) bool { return want[i].ID < want[j].ID })
		var wantLines bytes.Buffer
		bySchema := map[string]int{}
		for _, f := range want {
			b, _ := json.Marshal(f)
			wantLines.Write(b)
			wantLines.WriteByte('\n')
			bySchema[f.Schema]++
		}
		if !bytes.Equal(got, wantLines.Bytes()) {
			t.Errorf("%s: export differs from the indexed conversion (%d vs %d bytes)", p.name, len(got), wantLines.Len())
		}
		if counts.Entities != len(want) || !maps.Equal(counts.BySchema, bySchema) || !maps.Equal(counts.Dropped, dropped) {
			t.Errorf("%s: counts %+v, want %d entities %v dropped %v", p.name, counts, len(want), bySchema, dropped)
		}
		if problems := ss.Validate(decodeLines(t, got)); len(problems) > 0 {
			t.Errorf("%s: %d problems, first %s", p.name, len(problems), problems[0])
		}
	}
}

func decodeLines(t testing.TB, data []byte) func(func(ftm.Entity) bool) {
	return func(yield func(ftm.Entity) bool) {
		for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
			var f ftm.Entity
			if err := json.Unmarshal(line, &f); err != nil {
				t.Fatal(err)
			}
			if !yield(f) {
				return
			}
		}
	}
}

// TestExportClusterReferents: three real UN entities put in one cluster
// (a derived fixture: the clusters themselves come from the combined
// build) each name the other two as referents; an entity outside it
// names none.
func TestExportClusterReferents(t *testing.T) {
	var ents []*entity.Entity
	for _, p := range publications(t) {
		if strings.HasPrefix(p.name, "un_sc/") {
			ents = parse(t, p)
			break
		}
	}
	if len(ents) < 4 {
		t.Fatalf("%d UN entities", len(ents))
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].ID < ents[j].ID })
	cluster := ents[:3]
	for _, e := range cluster {
		e.Cluster = cluster[0].ID
	}
	got, _ := runExport(t, lines(t, ents))
	referents := map[string][]string{}
	for f := range decodeLines(t, got) {
		if len(f.Referents) > 0 {
			referents[f.ID] = f.Referents
		}
	}
	if len(referents) != 3 {
		t.Fatalf("%d entities with referents, want 3: %v", len(referents), referents)
	}
	for _, e := range cluster {
		var want []string
		for _, o := range cluster {
			if o.ID != e.ID {
				want = append(want, o.ID)
			}
		}
		if !slices.Equal(referents[e.ID], want) {
			t.Errorf("%s: referents %v, want %v", e.ID, referents[e.ID], want)
		}
	}
	ss, err := ftm.Load()
	if err != nil {
		t.Fatal(err)
	}
	if problems := ss.Validate(decodeLines(t, got)); len(problems) > 0 {
		t.Errorf("%d problems, first %s", len(problems), problems[0])
	}
}

// TestWriteDeltaReplays: the delta between the exports of the first and
// the last real SDN.CSV capture turns the first into the last when
// applied, and its counts are the ids only one side has and the lines
// that differ.
func TestWriteDeltaReplays(t *testing.T) {
	var caps [][]byte
	for _, p := range publications(t) {
		if strings.HasPrefix(p.name, "us_ofac_sdn/history/") {
			out, _ := runExport(t, lines(t, parse(t, p)))
			caps = append(caps, out)
		}
	}
	if len(caps) != 2 {
		t.Fatalf("%d captures", len(caps))
	}
	prev, next := caps[0], caps[1]
	var delta bytes.Buffer
	counts, err := ftm.WriteDelta(bytes.NewReader(prev), bytes.NewReader(next), &delta)
	if err != nil {
		t.Fatal(err)
	}
	state := byID(t, prev)
	want := byID(t, next)
	var seen ftm.DeltaCounts
	for _, line := range bytes.Split(bytes.TrimSuffix(delta.Bytes(), []byte("\n")), []byte("\n")) {
		var op struct {
			Op     string          `json:"op"`
			Entity json.RawMessage `json:"entity"`
		}
		if err := json.Unmarshal(line, &op); err != nil {
			t.Fatal(err)
		}
		var head struct{ ID string }
		json.Unmarshal(op.Entity, &head)
		switch op.Op {
		case ftm.OpAdd:
			seen.Add++
			if _, ok := state[head.ID]; ok {
				t.Errorf("ADD of %s, which the previous export has", head.ID)
			}
			state[head.ID] = string(op.Entity)
		case ftm.OpMod:
			seen.Mod++
			if _, ok := state[head.ID]; !ok {
				t.Errorf("MOD of %s, which the previous export lacks", head.ID)
			}
			state[head.ID] = string(op.Entity)
		case ftm.OpDel:
			seen.Del++
			if state[head.ID] != string(op.Entity) {
				t.Errorf("DEL of %s does not carry its previous body", head.ID)
			}
			delete(state, head.ID)
		default:
			t.Fatalf("op %q", op.Op)
		}
	}
	if len(state) != len(want) {
		t.Errorf("applied: %d entities, want %d", len(state), len(want))
	}
	for id, line := range want {
		if state[id] != line {
			t.Errorf("applied: %s differs", id)
			break
		}
	}
	if seen != counts || counts.Add+counts.Mod+counts.Del == 0 {
		t.Errorf("counts %+v, lines %+v", counts, seen)
	}
	t.Logf("SDN first -> last capture: %d FtM entities -> %d; ADD %d MOD %d DEL %d", len(byID(t, prev)), len(want), counts.Add, counts.Mod, counts.Del)

	var none bytes.Buffer
	if c, err := ftm.WriteDelta(bytes.NewReader(next), bytes.NewReader(next), &none); err != nil || none.Len() != 0 || c != (ftm.DeltaCounts{}) {
		t.Errorf("same export: %+v, %d bytes, %v", c, none.Len(), err)
	}
	// An export out of order is refused, not merged wrongly.
	unsorted := append(append([]byte(nil), next[bytes.IndexByte(next, '\n')+1:]...), next[:bytes.IndexByte(next, '\n')+1]...)
	if _, err := ftm.WriteDelta(bytes.NewReader(prev), bytes.NewReader(unsorted), io.Discard); err == nil || !strings.Contains(err.Error(), "does not sort after") {
		t.Errorf("unsorted export: %v", err)
	}
}

func byID(t testing.TB, data []byte) map[string]string {
	m := map[string]string{}
	for _, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		var head struct{ ID string }
		if err := json.Unmarshal(line, &head); err != nil {
			t.Fatal(err)
		}
		m[head.ID] = string(line)
	}
	return m
}

// BenchmarkExportSDN20210707 exports the real SDN of 2021-07-07 (8,976
// entities) with extsort's default budget, beside the floor of
// converting the same decoded entities in memory
// (BenchmarkConvertSDN20210707).
func BenchmarkExportSDN20210707(b *testing.B) {
	var ents []*entity.Entity
	for _, p := range publications(b) {
		if p.name == "us_ofac_sdn/2021-07-07" {
			ents = parse(b, p)
		}
	}
	data := lines(b, ents)
	dir := b.TempDir()
	b.ResetTimer()
	for range b.N {
		if _, err := ftm.Export(context.Background(), opener(data), io.Discard, ftm.ExportOptions{TempDir: dir}); err != nil {
			b.Fatal(err)
		}
	}
}

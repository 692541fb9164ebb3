package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// person is a small hand-made entity in the shape the OFAC mapper gives.
func person(n string, mods ...func(*entity.Entity)) *entity.Entity {
	e := &entity.Entity{
		ID:       entity.MakeID("us_ofac_sdn", n),
		Source:   "us_ofac_sdn",
		SourceID: n,
		Type:     entity.Person,
		Name:     "DOE, John " + n,
		Names:    []entity.Name{{Value: "DOE, John " + n, Kind: entity.KindPrimary}},
		Programs: []string{"SDGT"},
		Remarks:  "DOB 01 Jan 1970; POB Paris, France.",
	}
	for _, m := range mods {
		m(e)
	}
	e.Canonicalize()
	return e
}

func vessel(n string, mods ...func(*entity.Entity)) *entity.Entity {
	return person(n, append([]func(*entity.Entity){func(e *entity.Entity) {
		e.Type = entity.Vessel
		e.Name = "SEA STAR " + n
		e.Names = []entity.Name{{Value: e.Name, Kind: entity.KindPrimary}}
		e.Vessel = &entity.VesselInfo{Flag: "Panama", IMO: "9187629", Type: "Crude Oil Tanker"}
	}}, mods...)...)
}

func history(fs, lc string) func(*entity.Entity) {
	return func(e *entity.Entity) { e.FirstSeen, e.LastChanged = fs, lc }
}

func compareAll(t *testing.T, old, cur Snapshot) ([]Op, Counts) {
	t.Helper()
	var ops []Op
	counts, err := Compare(old, cur, func(op Op) error { ops = append(ops, op); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return ops, counts
}

func changesJSON(t *testing.T, cs []Change) string {
	t.Helper()
	b, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCompareFieldChanges(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, cur *entity.Entity
		changes  string // JSON of the expected changes; "" for unchanged
	}{
		{
			name:    "scalar",
			old:     person("1"),
			cur:     person("1", func(e *entity.Entity) { e.Name = "DOE, Jon" }),
			changes: `[{"field":"name","before":"DOE, John 1","after":"DOE, Jon"}]`,
		},
		{
			name:    "scalar appears",
			old:     person("1"),
			cur:     person("1", func(e *entity.Entity) { e.Gender = "male" }),
			changes: `[{"field":"gender","after":"male"}]`,
		},
		{
			name:    "scalar disappears",
			old:     person("1"),
			cur:     person("1", func(e *entity.Entity) { e.Remarks = "" }),
			changes: `[{"field":"remarks","before":"DOB 01 Jan 1970; POB Paris, France."}]`,
		},
		{
			name:    "array element added",
			old:     person("1"),
			cur:     person("1", func(e *entity.Entity) { e.Programs = append(e.Programs, "IRGC") }),
			changes: `[{"field":"programs","before":["SDGT"],"after":["IRGC","SDGT"]}]`,
		},
		{
			name: "array of objects",
			old:  person("1"),
			cur: person("1", func(e *entity.Entity) {
				e.Names = append(e.Names, entity.Name{Value: "DOE, Johnny", Kind: entity.KindAlias})
			}),
			changes: `[{"field":"names","before":[{"value":"DOE, John 1","kind":"primary"}],"after":[{"value":"DOE, John 1","kind":"primary"},{"value":"DOE, Johnny","kind":"alias"}]}]`,
		},
		{
			name:    "nested vessel",
			old:     vessel("2"),
			cur:     vessel("2", func(e *entity.Entity) { e.Vessel.Flag = "Iran" }),
			changes: `[{"field":"vessel","before":{"type":"Crude Oil Tanker","flag":"Panama","imo":"9187629"},"after":{"type":"Crude Oil Tanker","flag":"Iran","imo":"9187629"}}]`,
		},
		{
			name: "fields in schema order",
			old:  person("1"),
			cur: person("1", func(e *entity.Entity) {
				e.Remarks = "DOB 1970."
				e.Programs = []string{"IRAN"}
				e.Name = "DOE, J."
			}),
			changes: `[{"field":"name","before":"DOE, John 1","after":"DOE, J."},{"field":"programs","before":["SDGT"],"after":["IRAN"]},{"field":"remarks","before":"DOB 01 Jan 1970; POB Paris, France.","after":"DOB 1970."}]`,
		},
		{
			name:    "history differs only",
			old:     person("1", history("v1", "v1")),
			cur:     person("1", history("v2", "v3")),
			changes: "",
		},
		{
			name:    "history and content differ",
			old:     person("1", history("v1", "v1")),
			cur:     person("1", history("v1", "v2"), func(e *entity.Entity) { e.Titles = []string{"Minister"} }),
			changes: `[{"field":"titles","after":["Minister"]}]`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ops, counts := compareAll(t, SliceSnapshot([]*entity.Entity{tc.old}), SliceSnapshot([]*entity.Entity{tc.cur}))
			if tc.changes == "" {
				if len(ops) != 0 || counts != (Counts{Unchanged: 1}) {
					t.Fatalf("ops %+v counts %+v, want unchanged", ops, counts)
				}
				return
			}
			if len(ops) != 1 || ops[0].Op != OpChange || counts != (Counts{Changed: 1}) {
				t.Fatalf("ops %+v counts %+v, want one change", ops, counts)
			}
			if got := changesJSON(t, ops[0].Changes); got != tc.changes {
				t.Errorf("changes\n got %s\nwant %s", got, tc.changes)
			}
			want, _ := tc.cur.MarshalCanonical()
			if !bytes.Equal(ops[0].Entity, want) {
				t.Errorf("entity\n got %s\nwant %s", ops[0].Entity, want)
			}
		})
	}
}

func TestCompareMerge(t *testing.T) {
	a, b, d := person("a"), person("b"), person("d")
	b2, c := person("b"), person("c")
	d2 := person("d", func(e *entity.Entity) { e.Gender = "female" })
	ops, counts := compareAll(t, SliceSnapshot([]*entity.Entity{a, b, d}), SliceSnapshot([]*entity.Entity{b2, c, d2}))
	if want := (Counts{Added: 1, Removed: 1, Changed: 1, Unchanged: 1}); counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	var got []string
	for _, op := range ops {
		got = append(got, op.Op+" "+op.ID)
	}
	want := []string{"remove us_ofac_sdn-a", "add us_ofac_sdn-c", "change us_ofac_sdn-d"}
	if !slices.Equal(got, want) {
		t.Fatalf("ops %v, want %v", got, want)
	}
	if line, _ := a.MarshalCanonical(); !bytes.Equal(ops[0].Entity, line) {
		t.Errorf("remove carries %s, want the old line %s", ops[0].Entity, line)
	}
	if line, _ := c.MarshalCanonical(); !bytes.Equal(ops[1].Entity, line) {
		t.Errorf("add carries %s, want %s", ops[1].Entity, line)
	}
}

func TestCompareEmptySides(t *testing.T) {
	ents := []*entity.Entity{person("1"), person("2")}
	if _, counts := compareAll(t, nil, SliceSnapshot(ents)); counts != (Counts{Added: 2}) {
		t.Errorf("no old: %+v", counts)
	}
	if _, counts := compareAll(t, SliceSnapshot(ents), nil); counts != (Counts{Removed: 2}) {
		t.Errorf("no new: %+v", counts)
	}
	if _, counts := compareAll(t, nil, nil); counts != (Counts{}) {
		t.Errorf("nothing: %+v", counts)
	}
}

func TestCarry(t *testing.T) {
	const version = "v3"
	for _, tc := range []struct {
		name             string
		old              *entity.Entity // nil: absent from the previous snapshot
		cur              *entity.Entity
		op               string // "" for unchanged
		wantFS, wantLC   string
		wantOldLineEqual bool
	}{
		{name: "new entity", cur: person("1"), op: OpAdd, wantFS: version, wantLC: version},
		{name: "same content", old: person("1", history("v1", "v2")), cur: person("1"), wantFS: "v1", wantLC: "v2", wantOldLineEqual: true},
		{name: "stale history on cur ignored", old: person("1", history("v1", "v2")), cur: person("1", history("x", "y")), wantFS: "v1", wantLC: "v2", wantOldLineEqual: true},
		{name: "changed content", old: person("1", history("v1", "v2")), cur: person("1", func(e *entity.Entity) { e.Gender = "male" }), op: OpChange, wantFS: "v1", wantLC: version},
		{name: "old without history", old: person("1"), cur: person("1"), wantFS: "", wantLC: "", wantOldLineEqual: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var oldData []byte
			if tc.old != nil {
				oldData = snapshotBytes(t, []*entity.Entity{tc.old})
			}
			var ops []Op
			counts, err := CarryCompare(NewLineReader(bytes.NewReader(oldData)), []*entity.Entity{tc.cur}, version, func(op Op) error {
				ops = append(ops, op)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if tc.cur.FirstSeen != tc.wantFS || tc.cur.LastChanged != tc.wantLC {
				t.Errorf("history %q/%q, want %q/%q", tc.cur.FirstSeen, tc.cur.LastChanged, tc.wantFS, tc.wantLC)
			}
			line, _ := tc.cur.MarshalCanonical()
			if tc.op == "" {
				if len(ops) != 0 || counts.Unchanged != 1 {
					t.Fatalf("ops %+v, want none", ops)
				}
			} else if len(ops) != 1 || ops[0].Op != tc.op || !bytes.Equal(ops[0].Entity, line) {
				t.Fatalf("ops %+v, want one %s with entity %s", ops, tc.op, line)
			}
			if tc.wantOldLineEqual && !bytes.Equal(append(line, '\n'), oldData) {
				t.Errorf("unchanged entity's line %s differs from the old %s", line, oldData)
			}

			// Carry alone gives the same history.
			cur := *tc.cur
			cur.FirstSeen, cur.LastChanged = "stale", "stale"
			if err := Carry(NewLineReader(bytes.NewReader(oldData)), []*entity.Entity{&cur}, version); err != nil {
				t.Fatal(err)
			}
			if cur.FirstSeen != tc.wantFS || cur.LastChanged != tc.wantLC {
				t.Errorf("Carry: history %q/%q, want %q/%q", cur.FirstSeen, cur.LastChanged, tc.wantFS, tc.wantLC)
			}
		})
	}
}

// TestCarryLines checks that the lines CarryCompare writes without
// marshalling equal MarshalCanonical's, for plain versions and for
// versions JSON must escape.
func TestCarryLines(t *testing.T) {
	for _, version := range []string{"20240312T184300Z", "20240312T184300Z-2", "v<3>&", `v"3\`, "vé\u2028"} {
		t.Run(version, func(t *testing.T) {
			old := []*entity.Entity{person("1", history("v1", "v1")), person("2", history("v1", "v1"))}
			cur := []*entity.Entity{person("2", func(e *entity.Entity) { e.Gender = "male" }), person("3")}
			var got [][]byte
			if _, err := CarryCompare(SliceSnapshot(old), cur, version, func(op Op) error {
				if op.Op != OpRemove {
					got = append(got, op.Entity)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			for i, e := range cur {
				want, _ := e.MarshalCanonical()
				if !bytes.Equal(got[i], want) {
					t.Errorf("line\n got %s\nwant %s", got[i], want)
				}
			}
		})
	}
	if _, err := CarryCompare(nil, nil, "", nil); err == nil {
		t.Error("empty version accepted")
	}
}

// TestCompareNonCanonical: lines that are not canonical (spacing, member
// order, escapes) are decoded, so equal content still compares equal.
func TestCompareNonCanonical(t *testing.T) {
	e := person("1", history("v1", "v1"))
	oldLine := `{"source":"us_ofac_sdn", "id":"us_ofac_sdn-1","source_id":"1","type":"person","name":"DOE, John 1",` +
		`"names":[{"value":"DOE, John 1","kind":"primary"}],"programs":["SDGT"],"remarks":"DOB 01 Jan 1970; POB Paris, France.",` +
		`"first_seen":"v1","last_changed":"v\u0031"}` + "\n"
	ops, counts := compareAll(t, NewLineReader(strings.NewReader(oldLine)), SliceSnapshot([]*entity.Entity{e}))
	if len(ops) != 0 || counts != (Counts{Unchanged: 1}) {
		t.Fatalf("ops %+v counts %+v, want unchanged", ops, counts)
	}
	cur := []*entity.Entity{person("1")}
	if err := Carry(NewLineReader(strings.NewReader(oldLine)), cur, "v2"); err != nil {
		t.Fatal(err)
	}
	if cur[0].FirstSeen != "v1" || cur[0].LastChanged != "v1" {
		t.Errorf("history %q/%q from a non-canonical line, want v1/v1", cur[0].FirstSeen, cur[0].LastChanged)
	}
}

// badSnapshot serves records in the order given, unchecked.
type badSnapshot struct{ ids []string }

func (s *badSnapshot) Next() (*Record, error) {
	if len(s.ids) == 0 {
		return nil, io.EOF
	}
	e := person(s.ids[0])
	s.ids = s.ids[1:]
	line, _ := e.MarshalCanonical()
	return &Record{ID: e.ID, Line: line}, nil
}

func TestCompareChecksOrder(t *testing.T) {
	_, err := Compare(&badSnapshot{ids: []string{"1", "3", "2"}}, nil, nil)
	if !errors.Is(err, ErrUnsorted) || !strings.Contains(err.Error(), "old snapshot: record 3") {
		t.Errorf("got %v, want ErrUnsorted at record 3 of old", err)
	}
	_, err = Compare(nil, NewLineReader(strings.NewReader(string(snapshotBytes(t, []*entity.Entity{person("2")}))+string(snapshotBytes(t, []*entity.Entity{person("1")})))), nil)
	var le *LineError
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrUnsorted) || !strings.Contains(err.Error(), "new snapshot: line 2") {
		t.Errorf("got %v, want ErrUnsorted at line 2 of new", err)
	}
}

func TestCompareEmitError(t *testing.T) {
	stop := errors.New("stop")
	_, err := Compare(nil, SliceSnapshot([]*entity.Entity{person("1")}), func(Op) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("got %v, want the emit error", err)
	}
}

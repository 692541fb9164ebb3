package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

func TestDeltaWriterFormat(t *testing.T) {
	var buf bytes.Buffer
	dw := NewDeltaWriter(&buf)
	ops := []Op{
		{Op: OpAdd, ID: "a", Entity: json.RawMessage(`{"id":"a","name":"A & B <C>"}`)},
		{Op: OpChange, ID: "b", Entity: json.RawMessage(`{"id":"b","name":"X > Y"}`),
			Changes: []Change{{Field: "name", Before: json.RawMessage(`"X"`), After: json.RawMessage(`"X > Y"`)}, {Field: "gender", Before: json.RawMessage(`"male"`)}}},
		{Op: OpRemove, ID: "c", Entity: json.RawMessage(`{"id":"c","name":"Z"}`)},
	}
	for _, op := range ops {
		if err := dw.Write(op); err != nil {
			t.Fatal(err)
		}
	}
	want := `{"op":"add","id":"a","entity":{"id":"a","name":"A & B <C>"}}
{"op":"change","id":"b","entity":{"id":"b","name":"X > Y"},"changes":[{"field":"name","before":"X","after":"X > Y"},{"field":"gender","before":"male"}]}
{"op":"remove","id":"c","entity":{"id":"c","name":"Z"}}
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if dw.Count() != 3 {
		t.Errorf("count %d", dw.Count())
	}
	for _, tc := range []struct {
		op   Op
		want string
	}{
		{Op{Op: OpAdd, ID: "c", Entity: json.RawMessage(`{"id":"c"}`)}, "not strictly increasing"},
		{Op{Op: "upsert", ID: "d", Entity: json.RawMessage(`{"id":"d"}`)}, "unknown op"},
		{Op{Op: OpAdd, Entity: json.RawMessage(`{"id":"d"}`)}, "without id"},
		{Op{Op: OpAdd, ID: "d"}, "no entity"},
	} {
		if err := dw.Write(tc.op); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.op, err, tc.want)
		}
	}
}

func TestApply(t *testing.T) {
	one, two, three := person("1"), person("2"), person("3")
	two2 := person("2", func(e *entity.Entity) { e.Gender = "male" })
	base := snapshotBytes(t, []*entity.Entity{one, two})
	line := func(e *entity.Entity) string { b, _ := e.MarshalCanonical(); return string(b) }
	op := func(kind string, e *entity.Entity) string {
		return `{"op":"` + kind + `","id":"` + e.ID + `","entity":` + line(e) + "}\n"
	}
	for _, tc := range []struct {
		name     string
		base     []byte
		delta    string
		want     []*entity.Entity
		wantErr  error
		wantLine int
	}{
		{name: "empty delta", base: base, want: []*entity.Entity{one, two}},
		{name: "empty base", delta: op(OpAdd, one) + op(OpAdd, three), want: []*entity.Entity{one, three}},
		{name: "all ops", base: base, delta: op(OpRemove, one) + op(OpChange, two2) + op(OpAdd, three), want: []*entity.Entity{two2, three}},
		{name: "add before", base: snapshotBytes(t, []*entity.Entity{two, three}), delta: op(OpAdd, one), want: []*entity.Entity{one, two, three}},
		{name: "add of an existing id", base: base, delta: op(OpAdd, two), wantErr: ErrMismatch, wantLine: 1},
		{name: "change of a missing id", base: base, delta: op(OpChange, three), wantErr: ErrMismatch, wantLine: 1},
		{name: "remove of a missing id", base: base, delta: op(OpRemove, one) + op(OpRemove, three), wantErr: ErrMismatch, wantLine: 2},
		{name: "remove of another entity", base: base, delta: op(OpRemove, two2), wantErr: ErrMismatch, wantLine: 1},
		{name: "ids out of order", base: base, delta: op(OpChange, two2) + op(OpRemove, one), wantErr: ErrUnsorted, wantLine: 2},
		{name: "entity of another id", base: base, delta: `{"op":"add","id":"us_ofac_sdn-3","entity":` + line(one) + "}\n", wantLine: 1},
		{name: "not json", base: base, delta: op(OpRemove, one) + "{\n", wantLine: 2},
		{name: "unknown op", base: base, delta: `{"op":"upsert","id":"x","entity":{"id":"x"}}` + "\n", wantLine: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			var snap Snapshot
			if tc.base != nil {
				snap = NewLineReader(bytes.NewReader(tc.base))
			}
			err := Apply(snap, strings.NewReader(tc.delta), func(line []byte) error {
				out.Write(line)
				out.WriteByte('\n')
				return nil
			})
			if tc.wantLine == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if want := snapshotBytes(t, tc.want); !bytes.Equal(out.Bytes(), want) {
					t.Errorf("got\n%s\nwant\n%s", out.Bytes(), want)
				}
				return
			}
			var le *LineError
			if !errors.As(err, &le) || le.Line != tc.wantLine || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Errorf("got %v, want %v at delta line %d", err, tc.wantErr, tc.wantLine)
			}
		})
	}
}

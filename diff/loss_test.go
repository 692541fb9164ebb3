package diff

import (
	"encoding/json"
	"testing"
)

func TestLosesValues(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	tests := []struct {
		name    string
		changes []Change
		want    bool
	}{
		{"alias gone", []Change{{Field: "names", Before: raw(`[{"value":"A"},{"value":"B"}]`), After: raw(`[{"value":"A"}]`)}}, true},
		{"alias added", []Change{{Field: "names", Before: raw(`[{"value":"A"}]`), After: raw(`[{"value":"A"},{"value":"B"}]`)}}, false},
		{"field emptied", []Change{{Field: "addresses", Before: raw(`[{"full":"Kabul"}]`)}}, true},
		{"field set", []Change{{Field: "addresses", After: raw(`[{"full":"Kabul"}]`)}}, false},
		{"scalar replaced", []Change{{Field: "remarks", Before: raw(`"a"`), After: raw(`"b"`)}}, false},
		{"scalar emptied", []Change{{Field: "remarks", Before: raw(`"a"`)}}, true},
		{"element edited", []Change{{Field: "programs", Before: raw(`["IRAQ2"]`), After: raw(`["IRAQ3"]`)}}, true},
	}
	for _, tt := range tests {
		if got := LosesValues(Op{Op: OpChange, Changes: tt.changes}); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

package diff

import (
	"bytes"
	"encoding/json"
)

// LosesValues reports whether a change takes something away from the
// entity: a field that had a value and has none, or an array field that no
// longer holds one of its elements (compared as canonical JSON). A changed
// scalar is not a loss. The pipeline refuses such a change of the entity a
// file without an end mark printed last, where a cut between rows shows up.
func LosesValues(op Op) bool {
	for _, c := range op.Changes {
		if empty(c.Before) {
			continue
		}
		if empty(c.After) {
			return true
		}
		var before, after []json.RawMessage
		if json.Unmarshal(c.Before, &before) != nil || json.Unmarshal(c.After, &after) != nil {
			continue // not arrays: a value replaced, not lost
		}
		have := make(map[string]bool, len(after))
		for _, a := range after {
			have[string(a)] = true
		}
		for _, b := range before {
			if !have[string(b)] {
				return true
			}
		}
	}
	return false
}

func empty(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) == 0 || string(v) == "null" || string(v) == `""` || string(v) == "[]" || string(v) == "{}"
}

package diff

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// describeChange renders a field change for people: scalars as
// before → after (long texts cut to the part that differs), arrays as the
// elements added (+) and removed (−), objects member by member. The
// delta holds the exact values.
func describeChange(ch Change) string {
	b, a := bytes.TrimSpace(ch.Before), bytes.TrimSpace(ch.After)
	switch {
	case isKind(b, '[') || isKind(a, '['):
		if (len(b) == 0 || isKind(b, '[')) && (len(a) == 0 || isKind(a, '[')) {
			return describeArray(ch.Field, b, a)
		}
	case isKind(b, '{') || isKind(a, '{'):
		if (len(b) == 0 || isKind(b, '{')) && (len(a) == 0 || isKind(a, '{')) {
			return describeObject(ch.Field, b, a)
		}
	}
	return describeScalar(b, a)
}

func isKind(raw []byte, c byte) bool { return len(raw) > 0 && raw[0] == c }

func describeScalar(b, a []byte) string {
	before, after := scalarText(b), scalarText(a)
	if len(b) > 0 && len(a) > 0 && b[0] == '"' && a[0] == '"' {
		if parts, ok := describeParts(before, after); ok {
			return parts
		}
		before, after = elide(before, after)
	}
	return before + " → " + after
}

// scalarText shows a JSON scalar: strings unquoted, absent as (none).
func scalarText(raw []byte) string {
	if len(raw) == 0 {
		return "(none)"
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return `""`
		}
		return s
	}
	return string(raw)
}

// Long texts: from longText bytes a text is shown by its difference only,
// with context bytes kept around it.
const (
	longText = 120
	context  = 30
	wordSpan = 15 // how far a cut moves to fall between words
)

// partSep separates the parts of long remarks ("DOB 1970; POB Paris; ...").
const partSep = "; "

// describeParts shows a change of a long text made of parts separated by
// "; " as the parts removed and added, like an array. ok is false for
// texts that are short or not made of parts.
func describeParts(before, after string) (string, bool) {
	if len(before) < longText && len(after) < longText {
		return "", false
	}
	split := func(s string) []string { return strings.Split(strings.TrimSuffix(s, "."), partSep) }
	bp, ap := split(before), split(after)
	if len(bp) < 3 && len(ap) < 3 {
		return "", false
	}
	removed, added := minus(bp, ap, equalString), minus(ap, bp, equalString)
	if len(removed) == 0 && len(added) == 0 {
		return "", false
	}
	var lines []string
	for _, p := range removed {
		lines = append(lines, "− "+p)
	}
	for _, p := range added {
		lines = append(lines, "+ "+p)
	}
	return strings.Join(lines, "\n"), true
}

// elide cuts two long texts to the part where they differ, with a little
// context, marking cuts with "…". Short texts stay whole.
func elide(before, after string) (string, string) {
	if len(before) < longText && len(after) < longText {
		return before, after
	}
	p := commonPrefix(before, after)
	s := commonSuffix(before[p:], after[p:])
	// The prefix is common, so a start that suits before suits after.
	start := max(0, p-context)
	if i := strings.LastIndexByte(before[max(0, start-wordSpan):start], ' '); i >= 0 {
		start = max(0, start-wordSpan) + i + 1
	}
	for start > 0 && !utf8.RuneStart(before[start]) {
		start--
	}
	cut := func(t string) string {
		end := min(len(t), len(t)-s+context)
		if i := strings.IndexByte(t[end:min(len(t), end+wordSpan)], ' '); i >= 0 {
			end += i
		}
		for end < len(t) && !utf8.RuneStart(t[end]) {
			end++
		}
		out := t[start:end]
		if start > 0 {
			out = "…" + out
		}
		if end < len(t) {
			out += "…"
		}
		return out
	}
	return cut(before), cut(after)
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	for i > 0 && i < len(a) && !utf8.RuneStart(a[i]) {
		i--
	}
	return i
}

func commonSuffix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	for i > 0 && i < len(a) && !utf8.RuneStart(a[len(a)-i]) {
		i--
	}
	return i
}

// describeArray lists the elements only one side has, removed first. An
// array whose elements only moved says so.
func describeArray(field string, b, a []byte) string {
	var before, after []json.RawMessage
	if len(b) > 0 {
		if json.Unmarshal(b, &before) != nil {
			return describeScalar(b, a)
		}
	}
	if len(a) > 0 {
		if json.Unmarshal(a, &after) != nil {
			return describeScalar(b, a)
		}
	}
	removed := minus(before, after, equalRaw)
	added := minus(after, before, equalRaw)
	if len(removed) == 0 && len(added) == 0 {
		return "(same elements, new order)"
	}
	rt := describeElements(field, removed)
	at := describeElements(field, added)
	// Where a removed and an added element read alike, show their JSON.
	for i := range rt {
		for j := range at {
			if rt[i] == at[j] {
				rt[i], at[j] = string(removed[i]), string(added[j])
			}
		}
	}
	var lines []string
	for _, t := range rt {
		lines = append(lines, "− "+t)
	}
	for _, t := range at {
		lines = append(lines, "+ "+t)
	}
	return strings.Join(lines, "\n")
}

// minus returns the elements of a not matched by an equal element of b
// (as multisets), in a's order.
func minus[T any](a, b []T, equal func(x, y T) bool) []T {
	used := make([]bool, len(b))
	var out []T
next:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && equal(x, y) {
				used[j] = true
				continue next
			}
		}
		out = append(out, x)
	}
	return out
}

func equalRaw(x, y json.RawMessage) bool { return bytes.Equal(x, y) }

func equalString(x, y string) bool { return x == y }

func describeElements(field string, elems []json.RawMessage) []string {
	out := make([]string, len(elems))
	for i, el := range elems {
		out[i] = describeElement(field, el)
	}
	return out
}

// describeElement renders one array element of a schema field.
func describeElement(field string, raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var out string
	var err error
	switch field {
	case "names":
		var n entity.Name
		if err = json.Unmarshal(raw, &n); err == nil {
			out = withNote(n.Value, n.Kind)
		}
	case "birth_dates":
		var d entity.Date
		if err = json.Unmarshal(raw, &d); err == nil {
			out = dateText(d)
		}
	case "nationalities", "citizenships":
		var c entity.Country
		if err = json.Unmarshal(raw, &c); err == nil {
			out = countryText(c)
		}
	case "addresses":
		var a entity.Address
		if err = json.Unmarshal(raw, &a); err == nil {
			out = addressText(a)
		}
	case "identifiers":
		var id entity.Identifier
		if err = json.Unmarshal(raw, &id); err == nil {
			out = identifierText(id)
		}
	case "listings":
		var l entity.Listing
		if err = json.Unmarshal(raw, &l); err == nil {
			out = listingText(l)
		}
	case "relations":
		var r entity.Relation
		if err = json.Unmarshal(raw, &r); err == nil {
			out = relationText(r)
		}
	}
	if err != nil || strings.TrimSpace(out) == "" {
		return string(raw)
	}
	return out
}

func dateText(d entity.Date) string {
	out := d.Value
	if out == "" && (d.From != "" || d.To != "") {
		out = d.From + " – " + d.To
	}
	if out == "" {
		out = d.Raw
	}
	if d.Approximate {
		out = "circa " + out
	}
	return out
}

func countryText(c entity.Country) string {
	if c.Raw != "" && c.Raw != c.Code {
		return withNote(c.Raw, c.Code)
	}
	return c.Code
}

func addressText(a entity.Address) string {
	if a.Full != "" {
		return a.Full
	}
	return normalize.JoinNonEmpty(", ", a.Street, a.City, a.Region, a.PostalCode, a.Country)
}

func identifierText(id entity.Identifier) string {
	return withNote(normalize.JoinNonEmpty(" ", id.Type+":", id.Value), id.Country)
}

func listingText(l entity.Listing) string {
	out := normalize.JoinNonEmpty(" ", l.List+":", strings.Join(l.Programs, ", "), normalize.JoinNonEmpty(" – ", l.Start, l.End))
	return withNote(out, l.Notice)
}

func relationText(r entity.Relation) string {
	return withNote(normalize.JoinNonEmpty(" ", r.Type+":", r.TargetName), r.TargetID)
}

func withNote(s, note string) string {
	if note == "" {
		return s
	}
	return s + " (" + note + ")"
}

// objectOrder gives the member order of the schema's nested objects.
func objectOrder(field string) []string {
	switch field {
	case "vessel":
		return jsonFields(reflect.TypeFor[entity.VesselInfo]())
	case "aircraft":
		return jsonFields(reflect.TypeFor[entity.AircraftInfo]())
	}
	return nil
}

// describeObject lists the members that differ, one per line.
func describeObject(field string, b, a []byte) string {
	var before, after map[string]json.RawMessage
	if len(b) > 0 && json.Unmarshal(b, &before) != nil {
		return describeScalar(b, a)
	}
	if len(a) > 0 && json.Unmarshal(a, &after) != nil {
		return describeScalar(b, a)
	}
	var lines []string
	for _, k := range orderedKeys(objectOrder(field), before, after) {
		if !bytes.Equal(before[k], after[k]) {
			lines = append(lines, k+": "+describeChange(Change{Field: field + "." + k, Before: before[k], After: after[k]}))
		}
	}
	if len(lines) == 0 {
		return describeScalar(b, a)
	}
	return strings.Join(lines, "\n")
}

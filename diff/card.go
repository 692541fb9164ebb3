package diff

import (
	"bytes"
	"encoding/json"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// A card is the HTML of one added, removed or changed entity in
// report.html. Cards are rendered as the ops stream in and spilled to disk
// (see ReportBuilder), so each is built whole here, escaped by hand:
// every published value goes through html.EscapeString.

// Bounds on one card, so that an entity with thousands of aliases or
// addresses cannot make a card (and the page) unreadable.
const (
	maxListed  = 12  // values of one fact, or elements of one side of a change
	elideAt    = 240 // unchanged text longer than this is cut in a change ...
	elideKeep  = 80  // ... to this much on each side of the change
	maxRemarks = 4000
)

var kindNames = map[string]string{OpAdd: "added", OpRemove: "removed", OpChange: "changed"}

type cardWriter struct{ bytes.Buffer }

func (c *cardWriter) text(s string) { c.WriteString(html.EscapeString(s)) }

func (c *cardWriter) tag(open, s, closing string) {
	c.WriteString(open)
	c.text(s)
	c.WriteString(closing)
}

// renderCard writes the card of op, whose entity is e (the new one for add
// and change, the previous one for remove); programs are those shown in the
// header, fams the family slugs the filter matches.
func renderCard(c *cardWriter, op Op, e *entity.Entity, programs []string, fams []string) {
	c.WriteString(`<article class="card k-`)
	c.WriteString(op.Op)
	c.WriteString(`" id="`)
	c.text(op.ID)
	c.WriteString(`" data-kind="`)
	c.WriteString(op.Op)
	c.WriteString(`" data-type="`)
	c.text(string(e.Type))
	c.WriteString(`" data-fam="`)
	c.text(strings.Join(fams, " "))
	c.WriteString(`"><h4><a href="#`)
	c.text(op.ID)
	c.WriteString(`">`)
	name := e.Name
	if name == "" {
		name = op.ID
	}
	c.text(name)
	c.WriteString(`</a></h4><p class="sub"><span class="badge">`)
	c.WriteString(kindNames[op.Op])
	c.WriteString(`</span> <code>`)
	c.text(op.ID)
	c.WriteString(`</code> · `)
	c.text(orText(string(e.Type), "no type"))
	if len(programs) > 0 {
		c.WriteString(` · <span class="progs">`)
		c.text(strings.Join(programs, ", "))
		c.WriteString(`</span>`)
	}
	c.WriteString("</p>\n")
	if op.Op == OpChange {
		renderChanges(c, op.Changes)
	} else {
		renderFacts(c, e)
	}
	c.WriteString("</article>\n")
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// renderFacts lists what identifies an added or removed entity.
func renderFacts(c *cardWriter, e *entity.Entity) {
	var aliases, former []string
	for _, n := range e.Names {
		switch {
		case n.Kind == "primary" && n.Value == e.Name:
		case n.Kind == "former":
			former = append(former, n.Value)
		case n.Kind == "weak_alias":
			aliases = append(aliases, n.Value+" (weak)")
		default:
			aliases = append(aliases, n.Value)
		}
	}
	c.WriteString(`<dl class="facts">`)
	fact := func(label string, values []string) {
		if len(values) == 0 {
			return
		}
		c.tag("<dt>", label, "</dt><dd>")
		for i, v := range values {
			if i == maxListed {
				c.WriteString(`<span class="more">and ` + strconv.Itoa(len(values)-i) + ` more</span>`)
				break
			}
			if i > 0 {
				c.WriteString(`<span class="sep">; </span>`)
			}
			c.text(v)
		}
		c.WriteString("</dd>")
	}
	fact("Also known as", aliases)
	fact("Former names", former)
	fact("Born", mapText(e.BirthDates, dateText))
	fact("Birthplace", e.BirthPlaces)
	fact("Nationality", mapText(e.Nationalities, countryText))
	fact("Citizenship", mapText(e.Citizenships, countryText))
	if e.Gender != "" {
		fact("Gender", []string{e.Gender})
	}
	fact("Title", e.Titles)
	fact("Position", e.Positions)
	fact("Identifiers", mapText(e.Identifiers, func(id entity.Identifier) string {
		s := identifierText(id)
		if id.Valid != nil && !*id.Valid {
			s += " [fails its check]"
		}
		return s
	}))
	fact("Addresses", mapText(e.Addresses, addressText))
	if v := e.Vessel; v != nil {
		fact("Vessel", nonEmpty("flag "+v.Flag, "IMO "+v.IMO, "MMSI "+v.MMSI, "type "+v.Type, "call sign "+v.CallSign, "owner "+v.Owner, "built "+v.YearBuilt))
	}
	if a := e.Aircraft; a != nil {
		fact("Aircraft", nonEmpty("model "+a.Model, "serial "+a.SerialNumber, "tail "+a.TailNumber, "operator "+a.Operator, "built "+a.BuiltDate))
	}
	if e.ListedOn != "" {
		fact("Listed on", []string{e.ListedOn})
	}
	fact("Listings", mapText(e.Listings, listingText))
	fact("Relations", mapText(e.Relations, relationText))
	c.WriteString("</dl>\n")
	if e.Remarks != "" {
		c.WriteString(`<details class="remarks"><summary>Remarks</summary><p>`)
		r := e.Remarks
		if len(r) > maxRemarks {
			r = cutStart(r, maxRemarks) + " …"
		}
		c.text(r)
		c.WriteString("</p></details>\n")
	}
}

func mapText[T any](xs []T, f func(T) string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if s := strings.TrimSpace(f(x)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// nonEmpty keeps the "label value" pairs whose value is set.
func nonEmpty(pairs ...string) []string {
	var out []string
	for _, p := range pairs {
		if !strings.HasSuffix(p, " ") {
			out = append(out, p)
		}
	}
	return out
}

// cmpRow is one line of a change card: a field, its value before and after
// (HTML).
type cmpRow struct {
	Field, Before, After string
}

// renderChanges writes a changed entity's fields side by side. A remarks
// change whose changed words all occur in the entity's other changes only
// repeats them (OFAC's remarks restate parsed fields): it is folded under
// a closed <details>, still in the page and found by the text filter.
func renderChanges(c *cardWriter, changes []Change) {
	c.WriteString(`<div class="chg"><div class="row head"><div>Field</div><div>Before</div><div>After</div></div>`)
	var others strings.Builder
	for _, ch := range changes {
		if ch.Field != "remarks" {
			others.WriteString(strings.ToLower(describeChange(ch) + " " + string(ch.Before) + " " + string(ch.After)))
		}
	}
	for _, ch := range changes {
		folded := ch.Field == "remarks" && others.Len() > 0 && repeats(ch, others.String())
		if folded {
			c.WriteString(`<details class="fold"><summary>remarks: repeats the changes above (show)</summary>`)
		}
		for _, r := range changeRows(ch) {
			c.WriteString(`<div class="row"><div class="f">`)
			c.text(strings.ReplaceAll(r.Field, "_", " "))
			c.WriteString(`</div><div class="b">`)
			c.WriteString(r.Before)
			c.WriteString(`</div><div class="a">`)
			c.WriteString(r.After)
			c.WriteString(`</div></div>`)
		}
		if folded {
			c.WriteString(`</details>`)
		}
	}
	c.WriteString("</div>\n")
}

// repeats reports whether the words a text change removes or adds occur
// in others (lower case): all but a few (foldSlack of them), such as the
// "Listing information:" that DFAT's remarks put before the listing dates
// its listings also hold.
func repeats(ch Change, others string) bool {
	var b, a string
	if json.Unmarshal(ch.Before, &b) != nil && len(ch.Before) > 0 || json.Unmarshal(ch.After, &a) != nil && len(ch.After) > 0 {
		return false
	}
	words, missing := 0, 0
	for _, sg := range wordDiff(b, a) {
		if sg.Op == segEqual {
			continue
		}
		for _, tok := range tokens(sg.Text) {
			r, _ := utf8.DecodeRuneInString(tok)
			if !isWordRune(r) {
				continue
			}
			words++
			if !strings.Contains(others, strings.ToLower(tok)) {
				missing++
			}
		}
	}
	return words > 0 && missing <= words*foldSlack/100
}

// foldSlack is the share (percent) of a remarks change's words that may be
// missing from the other changes for it to count as a repetition.
const foldSlack = 15

const none = `<span class="none">(none)</span>`

// changeRows renders one field change: scalars as a word diff, arrays as
// the elements removed and added (paired and word-diffed when there are as
// many of each), objects member by member.
func changeRows(ch Change) []cmpRow {
	b, a := bytes.TrimSpace(ch.Before), bytes.TrimSpace(ch.After)
	switch {
	case (isKind(b, '[') || isKind(a, '[')) && (len(b) == 0 || isKind(b, '[')) && (len(a) == 0 || isKind(a, '[')):
		if before, after, ok := arraySides(ch.Field, b, a); ok {
			return []cmpRow{{ch.Field, before, after}}
		}
	case (isKind(b, '{') || isKind(a, '{')) && (len(b) == 0 || isKind(b, '{')) && (len(a) == 0 || isKind(a, '{')):
		var bm, am map[string]json.RawMessage
		if (len(b) == 0 || json.Unmarshal(b, &bm) == nil) && (len(a) == 0 || json.Unmarshal(a, &am) == nil) {
			var rows []cmpRow
			for _, k := range orderedKeys(objectOrder(ch.Field), bm, am) {
				if !bytes.Equal(bm[k], am[k]) {
					rows = append(rows, changeRows(Change{Field: ch.Field + "." + k, Before: bm[k], After: am[k]})...)
				}
			}
			if len(rows) > 0 {
				return rows
			}
		}
	}
	before, after := scalarSides(b, a)
	return []cmpRow{{ch.Field, before, after}}
}

func scalarSides(b, a []byte) (string, string) {
	var bs, as string
	bStr := len(b) > 0 && b[0] == '"' && json.Unmarshal(b, &bs) == nil
	aStr := len(a) > 0 && a[0] == '"' && json.Unmarshal(a, &as) == nil
	if bStr && aStr {
		segs := wordDiff(bs, as)
		return sideHTML(segs, segIns), sideHTML(segs, segDel)
	}
	side := func(raw []byte, mark string) string {
		if len(raw) == 0 {
			return none
		}
		return "<" + mark + ">" + html.EscapeString(scalarText(raw)) + "</" + mark + ">"
	}
	return side(b, "del"), side(a, "ins")
}

// sideHTML renders one side of a word diff: the segments of the other
// side (drop) left out, changes marked, long unchanged stretches cut.
func sideHTML(segs []segment, drop segOp) string {
	var out strings.Builder
	for i, sg := range segs {
		switch sg.Op {
		case drop:
		case segDel:
			out.WriteString("<del>" + html.EscapeString(sg.Text) + "</del>")
		case segIns:
			out.WriteString("<ins>" + html.EscapeString(sg.Text) + "</ins>")
		default:
			out.WriteString(html.EscapeString(elideEqual(sg.Text, i == 0, i == len(segs)-1)))
		}
	}
	if out.Len() == 0 {
		return `<span class="none">""</span>`
	}
	return out.String()
}

// elideEqual cuts an unchanged stretch to its ends next to the changes:
// the first stretch keeps its end, the last its start, others both.
func elideEqual(s string, first, last bool) string {
	if len(s) <= elideAt || first && last {
		return s
	}
	switch {
	case first:
		return "… " + cutEnd(s, elideKeep)
	case last:
		return cutStart(s, elideKeep) + " …"
	}
	return cutStart(s, elideKeep) + " … " + cutEnd(s, elideKeep)
}

// cutStart is the start of s, about n bytes, ending between words where
// one ends near n, never inside a rune.
func cutStart(s string, n int) string {
	if len(s) <= n {
		return s
	}
	end := n
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	if i := strings.LastIndexByte(s[max(0, end-wordSpan):end], ' '); i >= 0 {
		end = max(0, end-wordSpan) + i
	}
	return s[:end]
}

// cutEnd is the end of s, about n bytes, as cutStart.
func cutEnd(s string, n int) string {
	if len(s) <= n {
		return s
	}
	start := len(s) - n
	for start < len(s) && !utf8.RuneStart(s[start]) {
		start++
	}
	if i := strings.IndexByte(s[start:min(len(s), start+wordSpan)], ' '); i >= 0 {
		start += i + 1
	}
	return s[start:]
}

// arraySides renders an array change; ok is false for arrays that do not
// decode, which are then shown as text.
func arraySides(field string, b, a []byte) (before, after string, ok bool) {
	var bs, as []json.RawMessage
	if len(b) > 0 && json.Unmarshal(b, &bs) != nil || len(a) > 0 && json.Unmarshal(a, &as) != nil {
		return "", "", false
	}
	removed, added := minus(bs, as, equalRaw), minus(as, bs, equalRaw)
	if len(removed) == 0 && len(added) == 0 {
		same := `<span class="none">(same elements, new order)</span>`
		return same, same, true
	}
	rt, at := describeElements(field, removed), describeElements(field, added)
	var bw, aw strings.Builder
	nb, na := 0, 0 // lines written per side
	line := func(w *strings.Builder, n *int, body string) {
		if *n < maxListed {
			w.WriteString(`<div class="el">` + body + `</div>`)
		}
		*n++
	}
	// A removed and an added element that read alike differ in members
	// the text leaves out (a city split from the full address): show the
	// text once and those members as changed.
	var restR, restA []int
	usedA := make([]bool, len(at))
next:
	for i := range rt {
		for j := range at {
			if !usedA[j] && rt[i] == at[j] {
				usedA[j] = true
				bm, am := memberDiff(removed[i], added[j])
				line(&bw, &nb, html.EscapeString(rt[i])+" <del>"+html.EscapeString(bm)+"</del>")
				line(&aw, &na, html.EscapeString(at[j])+" <ins>"+html.EscapeString(am)+"</ins>")
				continue next
			}
		}
		restR = append(restR, i)
	}
	for j := range at {
		if !usedA[j] {
			restA = append(restA, j)
		}
	}
	if len(restR) == len(restA) {
		for k := range restR {
			segs := wordDiff(rt[restR[k]], at[restA[k]])
			line(&bw, &nb, sideHTML(segs, segIns))
			line(&aw, &na, sideHTML(segs, segDel))
		}
	} else {
		for _, i := range restR {
			line(&bw, &nb, "<del>"+html.EscapeString(rt[i])+"</del>")
		}
		for _, j := range restA {
			line(&aw, &na, "<ins>"+html.EscapeString(at[j])+"</ins>")
		}
	}
	for _, side := range []struct {
		w           *strings.Builder
		shown, kept int
	}{{&bw, nb, len(bs) - len(removed)}, {&aw, na, len(as) - len(added)}} {
		if side.shown > maxListed {
			side.w.WriteString(`<div class="more">and ` + strconv.Itoa(side.shown-maxListed) + ` more</div>`)
		}
		if side.kept > 0 {
			side.w.WriteString(`<div class="same">` + strconv.Itoa(side.kept) + ` unchanged</div>`)
		}
		if side.w.Len() == 0 {
			side.w.WriteString(none)
		}
	}
	return bw.String(), aw.String(), true
}

// memberDiff names the members two JSON objects disagree on, as
// "key: value" per side ("key: (none)" where one lacks it); the raw JSON of
// each for elements that are not objects.
func memberDiff(b, a json.RawMessage) (string, string) {
	var bm, am map[string]json.RawMessage
	if json.Unmarshal(b, &bm) != nil || json.Unmarshal(a, &am) != nil {
		return string(b), string(a)
	}
	var bp, ap []string
	for _, k := range orderedKeys(nil, bm, am) {
		if !bytes.Equal(bm[k], am[k]) {
			bp = append(bp, k+": "+scalarText(bm[k]))
			ap = append(ap, k+": "+scalarText(am[k]))
		}
	}
	return "(" + strings.Join(bp, "; ") + ")", "(" + strings.Join(ap, "; ") + ")"
}

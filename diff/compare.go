package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Op kinds of the delta.
const (
	OpAdd    = "add"
	OpRemove = "remove"
	OpChange = "change"
)

// Op is one line of delta.jsonl.gz. Entity is the new entity line for add
// and change, the previous one for remove. Changes, for change only, lists
// the top-level fields whose JSON differs, in schema order.
type Op struct {
	Op      string          `json:"op"`
	ID      string          `json:"id"`
	Entity  json.RawMessage `json:"entity"`
	Changes []Change        `json:"changes,omitempty"`

	// Summary holds the entity's type, name and programs when the
	// comparison already had them (add and change of the current run);
	// nil otherwise. It saves the report from decoding what the pipeline
	// just encoded.
	Summary *Summary `json:"-"`
}

// Summary is what the report shows of an entity beside its id.
type Summary struct {
	Type     string
	Name     string
	Programs []string
}

// Change is one top-level field of a changed entity. Before is absent when
// the field was empty (omitted) before, After when it is empty now.
type Change struct {
	Field  string          `json:"field"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// Counts sums a comparison. Added+Changed+Unchanged is the new snapshot's
// size, Removed+Changed+Unchanged the old one's.
type Counts struct {
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// Compare merges the previous snapshot old (nil: none, as for a source's
// first version) with cur, both in id order, and calls emit for every
// added, removed and changed entity in id order; emit may be nil. An entity
// has changed when its entity.ContentHash differs: first_seen and
// last_changed are ignored. An error from emit stops the comparison and is
// returned as it is.
//
// Both snapshots are consumed. Apply(old, delta) reproduces cur byte for
// byte when both hold canonical lines and the history fields of unchanged
// entities agree, as CarryCompare arranges.
func Compare(old, cur Snapshot, emit func(Op) error) (Counts, error) {
	m := merger{emit: emit}
	return m.run(old, cur)
}

// CarryCompare is the pipeline's comparison: one pass over the previous
// snapshot old (nil: none) that both fills the history fields of cur and
// compares. cur must be canonicalized and sorted by id. For each entity of
// cur:
//   - absent from old: FirstSeen and LastChanged become version;
//   - present with the same content hash: both are copied from old (as they
//     are, even when old has none), so its line equals the old line;
//   - present with another hash: FirstSeen is copied, LastChanged becomes
//     version.
//
// The ops are those of Compare(old, SliceSnapshot(cur)) after the history
// fields are set. It is CarryCompareStream over entities held in memory;
// the pipeline streams them instead.
func CarryCompare(old Snapshot, cur []*entity.Entity, version string, emit func(Op) error) (Counts, error) {
	return CarryCompareStream(old, &carrySource{ents: cur}, version, emit, nil)
}

// CarryCompareStream is CarryCompare over a stream: cur yields records
// made by ContentRecord (content lines without history, in strictly
// increasing id order), and every line of the new snapshot, history fields
// set, goes to out in id order as head followed by tail (out may be nil;
// tail may be empty; neither is valid after out returns). Memory stays
// bounded: neither snapshot is held.
func CarryCompareStream(old, cur Snapshot, version string, emit func(Op) error, out func(head, tail []byte) error) (Counts, error) {
	if version == "" {
		return Counts{}, errors.New("carry: empty version")
	}
	m := merger{emit: emit, carry: true, version: version, out: out}
	return m.run(old, cur)
}

// ContentRecord makes a record of the current run from an entity's
// content line (entity.AppendContent: canonical, without first_seen and
// last_changed) for CarryCompareStream. The line is not copied.
func ContentRecord(id string, content []byte, sum *Summary) (*Record, error) {
	if len(content) < 2 || content[0] != '{' || content[len(content)-1] != '}' {
		return nil, fmt.Errorf("entity %s: %w: content is not a JSON object", id, ErrBadLine)
	}
	return &Record{ID: id, Summary: sum, split: true, canonical: true, body: content[:len(content)-1]}, nil
}

// Carry sets FirstSeen and LastChanged of cur from the previous snapshot old
// as CarryCompare does, without emitting ops. Call Compare afterwards with
// a second reader of the previous snapshot, or use CarryCompare to read it
// once.
func Carry(old Snapshot, cur []*entity.Entity, version string) error {
	_, err := CarryCompare(old, cur, version, nil)
	return err
}

// carrySource serves cur to the merge as content records that keep their
// entity, so that the merge sets the entity's history fields.
type carrySource struct {
	ents []*entity.Entity
	i    int
}

func (s *carrySource) Next() (*Record, error) {
	if s.i >= len(s.ents) {
		return nil, io.EOF
	}
	i := s.i
	if err := checkSlice(s.ents, i); err != nil {
		return nil, err
	}
	e := s.ents[i]
	s.i++
	r, err := ContentRecord(e.ID, e.AppendContent(nil), &Summary{Type: string(e.Type), Name: e.Name, Programs: e.Programs})
	if err != nil {
		return nil, err
	}
	r.Entity = e
	return r, nil
}

// cursor holds one record of lookahead on a snapshot and checks its order,
// whatever the Snapshot implementation.
type cursor struct {
	s    Snapshot
	side string
	n    int
	prev string
	rec  *Record
	eof  bool
}

func (c *cursor) fill() error {
	if c.rec != nil || c.eof {
		return nil
	}
	if c.s == nil {
		c.eof = true
		return nil
	}
	r, err := c.s.Next()
	if err == io.EOF {
		c.eof = true
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s snapshot: %w", c.side, err)
	}
	c.n++
	if r == nil {
		return fmt.Errorf("%s snapshot: record %d: nil", c.side, c.n)
	}
	if c.n > 1 && r.ID <= c.prev {
		return fmt.Errorf("%s snapshot: record %d: %w: %q after %q", c.side, c.n, ErrUnsorted, r.ID, c.prev)
	}
	if err := r.splitLine(); err != nil {
		return fmt.Errorf("%s snapshot: record %d: %w", c.side, c.n, err)
	}
	c.prev, c.rec = r.ID, r
	return nil
}

type merger struct {
	emit    func(Op) error
	out     func(head, tail []byte) error // lines of the new snapshot, when carrying
	tail    []byte                        // reused for out
	carry   bool
	version string
	counts  Counts
}

// written hands a new-snapshot record's final line to out.
func (m *merger) written(r *Record) error {
	if m.out == nil {
		return nil
	}
	if r.Line != nil {
		return m.out(r.Line, nil)
	}
	// The body goes out as it is, followed by the history members: the
	// line is not assembled in memory only to be copied again.
	m.tail = appendHistory(m.tail[:0], r.firstSeen, r.lastChanged)
	return m.out(r.body, m.tail)
}

func (m *merger) run(old, cur Snapshot) (Counts, error) {
	o := &cursor{s: old, side: "old"}
	n := &cursor{s: cur, side: "new"}
	for {
		if err := o.fill(); err != nil {
			return Counts{}, err
		}
		if err := n.fill(); err != nil {
			return Counts{}, err
		}
		or, nr := o.rec, n.rec
		var err error
		switch {
		case or == nil && nr == nil:
			return m.counts, nil
		case nr == nil || (or != nil && or.ID < nr.ID):
			o.rec = nil
			err = m.remove(or)
		case or == nil || nr.ID < or.ID:
			n.rec = nil
			err = m.add(nr)
		default:
			o.rec, n.rec = nil, nil
			err = m.pair(or, nr)
		}
		if err != nil {
			return Counts{}, err
		}
	}
}

func (m *merger) add(r *Record) error {
	m.counts.Added++
	if m.carry {
		m.setHistory(r, m.version, m.version)
	}
	if err := m.written(r); err != nil {
		return err
	}
	if m.emit == nil {
		return nil
	}
	line, err := m.line(r)
	if err != nil {
		return err
	}
	return m.emit(Op{Op: OpAdd, ID: r.ID, Entity: line, Summary: r.Summary})
}

func (m *merger) remove(r *Record) error {
	m.counts.Removed++
	if m.emit == nil {
		return nil
	}
	return m.emit(Op{Op: OpRemove, ID: r.ID, Entity: r.Line})
}

func (m *merger) pair(o, n *Record) error {
	same := bytes.Equal(o.body, n.body)
	var before, after []byte
	if !same {
		// Bodies of canonical lines differ exactly when the hashes do;
		// decode to be exact for lines that are not canonical.
		var err error
		if before, err = canonicalContent(o); err != nil {
			return fmt.Errorf("old snapshot: %w", err)
		}
		if after, err = canonicalContent(n); err != nil {
			return fmt.Errorf("new snapshot: %w", err)
		}
		same = bytes.Equal(before, after)
	}
	if same {
		m.counts.Unchanged++
		if m.carry {
			m.setHistory(n, o.firstSeen, o.lastChanged)
		}
		return m.written(n)
	}
	m.counts.Changed++
	if m.carry {
		m.setHistory(n, o.firstSeen, m.version)
	}
	if err := m.written(n); err != nil {
		return err
	}
	if m.emit == nil {
		return nil
	}
	changes, err := fieldChanges(before, after)
	if err != nil {
		return fmt.Errorf("entity %s: %w", n.ID, err)
	}
	line, err := m.line(n)
	if err != nil {
		return err
	}
	return m.emit(Op{Op: OpChange, ID: n.ID, Entity: line, Changes: changes, Summary: n.Summary})
}

// setHistory sets the history fields of a record of cur; its line is
// written when needed.
func (m *merger) setHistory(r *Record, firstSeen, lastChanged string) {
	if r.Entity != nil {
		r.Entity.FirstSeen, r.Entity.LastChanged = firstSeen, lastChanged
	}
	r.firstSeen, r.lastChanged = firstSeen, lastChanged
	r.Line = nil
}

// line returns the record's line, writing it from the body for records of
// cur.
func (m *merger) line(r *Record) ([]byte, error) {
	if r.Line == nil {
		r.Line = withHistory(r.body, r.firstSeen, r.lastChanged)
	}
	return r.Line, nil
}

// canonicalContent is the content line of the record's decoded entity.
func canonicalContent(r *Record) ([]byte, error) {
	if r.canonical {
		return append(r.body[:len(r.body):len(r.body)], '}'), nil
	}
	e, err := r.Decode()
	if err != nil {
		return nil, err
	}
	return contentLine(e)
}

// schemaFields lists the entity's JSON members in schema order.
var schemaFields = sync.OnceValue(func() []string {
	return jsonFields(reflect.TypeFor[entity.Entity]())
})

// jsonFields lists the JSON member names of a struct type in field order.
func jsonFields(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// fieldChanges lists the top-level members whose JSON differs between two
// content lines, in schema order; members outside the schema follow by name.
func fieldChanges(before, after []byte) ([]Change, error) {
	var b, a map[string]json.RawMessage
	if err := json.Unmarshal(before, &b); err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	if err := json.Unmarshal(after, &a); err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	order := orderedKeys(schemaFields(), b, a)
	var changes []Change
	for _, f := range order {
		if f == "first_seen" || f == "last_changed" {
			continue
		}
		if !bytes.Equal(b[f], a[f]) {
			changes = append(changes, Change{Field: f, Before: b[f], After: a[f]})
		}
	}
	return changes, nil
}

// orderedKeys returns the keys of the maps: those in order first, in that
// order, then the others sorted.
func orderedKeys(order []string, maps ...map[string]json.RawMessage) []string {
	known := make(map[string]bool, len(order))
	keys := make([]string, 0, len(order))
	for _, k := range order {
		known[k] = true
		for _, m := range maps {
			if _, ok := m[k]; ok {
				keys = append(keys, k)
				break
			}
		}
	}
	var extra []string
	for _, m := range maps {
		for k := range m {
			if !known[k] && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(keys, extra...)
}

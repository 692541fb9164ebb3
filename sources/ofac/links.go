package ofac

import (
	"bufio"
	"context"
	"encoding/gob"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// The legacy formats print a relation only as the target's name ("Linked
// To: X" in the CSV's Remarks, "(Linked To: X)" in the XML's). A linker
// gives such a relation the target's id when exactly one entity of the same
// list has that name, as the advanced XML's ProfileRelationship does by
// id. A target may come later in the file than the entity that cites it,
// and a later entity may make a name ambiguous, so the entities that cite
// a name wait on disk until the parse has seen every name; the others are
// emitted at once. Memory holds the name index only (TestLinkIndexBytes).
type linker struct {
	source, dir string
	// index maps the hash of a primary name's match key to the distinct
	// uids that have it: the second is 0 while there is one, ambiguous
	// marks a key no uid could be kept for (a uid over 32 bits).
	index map[uint64][2]uint32
	// held keeps the waiting entities in gob, which decodes them in a
	// third of encoding/json's time. gob drops zero values, so a *bool set
	// to false or a pointer to an empty struct would come back nil: the
	// parsers set neither (identifiers' validity is set after emit, by
	// normalize). TestLinkerKeepsEntities checks the round trip.
	held *os.File
	w    *bufio.Writer
	enc  *gob.Encoder
	n    int // entities held
	// aliases also indexes strong aliases (alias, former): off, as only
	// primary names agree with the advanced XML (TestLinkedToAgreesWithAdvanced).
	aliases bool
}

// ambiguous fills both slots of a key that must not resolve.
const ambiguous = math.MaxUint32

// newLinker returns the linker of one legacy parse; its file goes into
// the run's scratch folder.
func (s *source) newLinker() *linker {
	return &linker{source: s.files.name, dir: s.cfg.TempDir, index: map[uint64][2]uint32{}, aliases: s.linkAliases}
}

// linkKey is the hash (FNV-1a, 64 bits) of a name's match key, 0 for a
// name without one. A hash in place of the key keeps the index at a few
// tens of bytes per entity; the odds that two different keys of 30,000
// names share one are about 1 in 10^10.
func linkKey(matchKey string) uint64 {
	if matchKey == "" {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(matchKey))
	return h.Sum64() | 1 // never 0
}

// put indexes e's names and emits it, or holds it until finish when it
// has a relation without a target id.
func (l *linker) put(e *entity.Entity, emit func(*entity.Entity) error) error {
	uid, err := strconv.ParseUint(e.SourceID, 10, 32)
	if err != nil || uid == 0 {
		uid = ambiguous
	}
	for _, n := range e.Names {
		if n.Kind == entity.KindPrimary || l.aliases && (n.Kind == entity.KindAlias || n.Kind == entity.KindFormer) {
			l.index1(linkKey(n.Normalized), uint32(uid))
		}
	}
	if !slices.ContainsFunc(e.Relations, func(r entity.Relation) bool { return r.TargetID == "" && r.TargetName != "" }) {
		return emit(e)
	}
	if l.held == nil {
		f, err := os.CreateTemp(l.dir, "ofac-linked-*")
		if err != nil {
			return fmt.Errorf("%s: hold entities with Linked To: %w", l.source, err)
		}
		l.held, l.w = f, bufio.NewWriterSize(f, 64<<10)
		l.enc = gob.NewEncoder(l.w)
	}
	if err := l.enc.Encode(e); err != nil {
		return fmt.Errorf("%s: hold entity %s: %w", l.source, e.ID, err)
	}
	l.n++
	return nil
}

func (l *linker) index1(key uint64, uid uint32) {
	if key == 0 {
		return
	}
	v, ok := l.index[key]
	switch {
	case !ok:
		v[0] = uid
	case uid == ambiguous:
		v = [2]uint32{ambiguous, ambiguous}
	case v[0] == uid || v[1] != 0:
		// The same uid again (a record printed twice, which the pipeline
		// drops), or already ambiguous.
		return
	default:
		v[1] = uid
	}
	l.index[key] = v
}

// linkMisses counts the relations of one kind of failure, each (citing
// entity, target key) once, with the first few names as examples.
type linkMisses struct {
	pairs    map[string]bool
	names    map[string]int // match key -> index into examples, or -1
	examples []linkExample
	count    int
}

type linkExample struct {
	name    string
	targets [2]uint32 // ambiguous names: two of the entities named so
	citedBy []string  // uids, the first few
}

const (
	linkExamples = 5
	linkCiters   = 3
)

func (m *linkMisses) add(uid, key, name string, targets [2]uint32) {
	if m.pairs == nil {
		m.pairs, m.names = map[string]bool{}, map[string]int{}
	}
	pair := uid + "\x00" + key
	if m.pairs[pair] {
		return
	}
	m.pairs[pair] = true
	m.count++
	i, ok := m.names[key]
	if !ok {
		i = -1
		if len(m.examples) < linkExamples {
			i = len(m.examples)
			m.examples = append(m.examples, linkExample{name: name, targets: targets})
		}
		m.names[key] = i
	}
	if i >= 0 && len(m.examples[i].citedBy) < linkCiters {
		m.examples[i].citedBy = append(m.examples[i].citedBy, uid)
	}
}

// finish resolves the held entities' relations against the whole index,
// emits them in file order and records one issue for the names that no
// entity has and one for those several have.
func (l *linker) finish(ctx context.Context, file string, emit func(*entity.Entity) error, issues *sources.Issues) error {
	if l.held == nil {
		return nil
	}
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("%s: hold entities with Linked To: %w", l.source, err)
	}
	if _, err := l.held.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("%s: read held entities: %w", l.source, err)
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(l.held, 64<<10))
	var unresolved, several linkMisses
	for i := range l.n {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		e := &entity.Entity{}
		if err := dec.Decode(e); err != nil {
			return fmt.Errorf("%s: read held entity %d of %d: %w", l.source, i+1, l.n, err)
		}
		for j := range e.Relations {
			r := &e.Relations[j]
			if r.TargetID != "" || r.TargetName == "" {
				continue
			}
			key := normalize.MatchKey(r.TargetName)
			v, ok := l.index[linkKey(key)]
			switch {
			case !ok:
				unresolved.add(e.SourceID, key, r.TargetName, v)
			case v[1] != 0:
				several.add(e.SourceID, key, r.TargetName, v)
			default:
				r.TargetID = entity.MakeID(l.source, strconv.FormatUint(uint64(v[0]), 10))
			}
		}
		if err := emit(e); err != nil {
			return err
		}
	}
	if unresolved.count > 0 {
		issues.Addf(file, 0, "", "%d Linked To relations (%d names) name no entity of the list; they keep the target's name without target_id: %s",
			unresolved.count, len(unresolved.names), unresolved.describe(false))
	}
	if several.count > 0 {
		issues.Addf(file, 0, "", "%d Linked To relations (%d names) name more than one entity of the list; they keep the target's name without target_id: %s",
			several.count, len(several.names), several.describe(true))
	}
	return nil
}

// describe lists the examples: `"NAME" (cited by 123, 456)`, with two of
// the entities so named for ambiguous names.
func (m *linkMisses) describe(withTargets bool) string {
	var b strings.Builder
	for i, ex := range m.examples {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(strconv.Quote(ex.name))
		b.WriteString(" (")
		if withTargets && ex.targets[0] != ambiguous {
			fmt.Fprintf(&b, "entities %d, %d and maybe more; ", ex.targets[0], ex.targets[1])
		}
		b.WriteString("cited by ")
		b.WriteString(strings.Join(ex.citedBy, ", "))
		b.WriteString(")")
	}
	if more := len(m.names) - len(m.examples); more > 0 {
		fmt.Fprintf(&b, "; and %d more names", more)
	}
	return b.String()
}

// close removes the file of held entities.
func (l *linker) close() {
	if l.held != nil {
		l.held.Close()
		os.Remove(l.held.Name())
		l.held = nil
	}
}

package diff

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
)

// DefaultLimit is the number of entities of each kind (added, removed,
// changed) report.md lists; report.html lists them all.
const DefaultLimit = 20

// noProgram stands for entities without a program in the by-program table.
const noProgram = "(none)"

// cardBudget is the card HTML a ReportBuilder holds before it spills a
// sorted run to disk: what bounds its memory, whatever the number of cards.
const cardBudget = 2 << 20

// ErrCardsWritten: report.html was already written from this
// ReportBuilder, whose cards are read once from disk.
var ErrCardsWritten = errors.New("report: the cards were already written")

// ReportBuilder gathers what the reports show about a comparison's ops:
// exact totals per op, type, program and program family; the first rows
// of each kind for report.md; and, for report.html, the card of every op,
// rendered as it arrives and spilled to disk sorted by family, kind and id
// (internal/extsort), so that memory stays bounded by cardBudget and the
// first report rows, not by the number of ops. Feed it every op in order
// (Add fits the emit argument of Compare), write the reports, then Close
// it to remove its spill files. Not safe for concurrent use.
type ReportBuilder struct {
	limit     int
	dir       string
	budget    int
	totals    Counts
	byType    map[string]*opCounts
	byProgram map[string]*opCounts
	byFamily  map[string]*opCounts // an op counts under every family of its programs
	sections  map[string]*opCounts // ... and its card under its first family only
	famCache  map[string]string    // program tag -> family name
	added     []entityRow
	removed   []entityRow
	changed   []changedRow

	cards   *extsort.Sorter // nil until the first card
	seq     uint64
	written bool // the cards were read back (WriteHTML) or discarded (Close)
	card    cardWriter
	key     []byte
}

type opCounts struct{ Added, Removed, Changed int }

func (oc opCounts) Total() int { return oc.Added + oc.Removed + oc.Changed }

type entityRow struct {
	ID, Type, Name, Programs string
}

type changedRow struct {
	ID, Name, Programs, Fields string
}

// NewReportBuilder keeps at most limit rows of each kind for report.md: 0
// means DefaultLimit, a negative limit keeps every row. Its cards spill
// into the system's temporary folder; the pipeline uses NewReportBuilderIn.
func NewReportBuilder(limit int) *ReportBuilder { return NewReportBuilderIn("", limit) }

// NewReportBuilderIn is NewReportBuilder spilling its cards into dir ("":
// the system's temporary folder).
func NewReportBuilderIn(dir string, limit int) *ReportBuilder {
	if limit == 0 {
		limit = DefaultLimit
	}
	return &ReportBuilder{
		limit:     limit,
		dir:       dir,
		budget:    cardBudget,
		byType:    map[string]*opCounts{},
		byProgram: map[string]*opCounts{},
		byFamily:  map[string]*opCounts{},
		sections:  map[string]*opCounts{},
		famCache:  map[string]string{},
	}
}

// Totals returns the number of ops collected per kind (Unchanged is 0).
func (b *ReportBuilder) Totals() Counts { return b.totals }

func (b *ReportBuilder) keep(n int) bool { return b.limit < 0 || n < b.limit }

// Add records one op. It fails when the op's entity does not decode, which
// a caller must not ignore (the report would miss the op), or when its
// card cannot be spilled.
func (b *ReportBuilder) Add(op Op) error {
	if b.written {
		return fmt.Errorf("report: add %s: %w", op.ID, ErrCardsWritten)
	}
	var e entity.Entity
	if err := json.Unmarshal(op.Entity, &e); err != nil {
		return fmt.Errorf("report: %s %s: %w", op.Op, op.ID, err)
	}
	programs := e.Programs
	switch op.Op {
	case OpAdd:
		b.totals.Added++
		if b.keep(len(b.added)) {
			b.added = append(b.added, rowOf(op.ID, &e))
		}
	case OpRemove:
		b.totals.Removed++
		if b.keep(len(b.removed)) {
			b.removed = append(b.removed, rowOf(op.ID, &e))
		}
	case OpChange:
		b.totals.Changed++
		var fields []string
		for _, ch := range op.Changes {
			fields = append(fields, ch.Field)
			if ch.Field != "programs" {
				continue
			}
			var before []string
			if len(ch.Before) > 0 {
				if err := json.Unmarshal(ch.Before, &before); err != nil {
					return fmt.Errorf("report: change %s: programs before: %w", op.ID, err)
				}
			}
			programs = union(before, programs)
		}
		if b.keep(len(b.changed)) {
			b.changed = append(b.changed, changedRow{ID: op.ID, Name: e.Name, Programs: strings.Join(programs, ", "), Fields: strings.Join(fields, ", ")})
		}
	default:
		return fmt.Errorf("report: unknown op %q", op.Op)
	}
	bump(b.byType, string(e.Type), op.Op)
	if len(programs) == 0 {
		bump(b.byProgram, noProgram, op.Op)
	}
	programs = slices.Compact(slices.Sorted(slices.Values(programs)))
	for _, p := range programs {
		bump(b.byProgram, p, op.Op)
	}
	fams := b.families(programs)
	slugs := make([]string, len(fams))
	for i, f := range fams {
		bump(b.byFamily, f, op.Op)
		slugs[i] = familySlug(f)
	}
	bump(b.sections, fams[0], op.Op)

	b.card.Reset()
	shown := programs
	if op.Op == OpChange {
		shown = e.Programs // the card's rows show what the programs were
	}
	renderCard(&b.card, op, &e, shown, slugs)
	b.key = cardKey(b.key[:0], fams[0], op.Op, op.ID)
	if b.cards == nil {
		b.cards = extsort.New(b.dir, b.budget)
	}
	b.seq++
	if err := b.cards.Add(b.key, b.card.Bytes(), b.seq); err != nil {
		return fmt.Errorf("report: card of %s: %w", op.ID, err)
	}
	return nil
}

// families returns the program families of an entity's programs, in
// section order; noFamily alone for none.
func (b *ReportBuilder) families(programs []string) []string {
	var fams []string
	for _, p := range programs {
		f, ok := b.famCache[p]
		if !ok {
			f, _ = familyOf(p)
			b.famCache[p] = f
		}
		fams = append(fams, f)
	}
	if len(fams) == 0 {
		return []string{noFamily}
	}
	slices.SortFunc(fams, compareFamilies)
	return slices.Compact(fams)
}

func compareFamilies(a, b string) int {
	if ra, rb := familyRank(a), familyRank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

// Kinds in the order of a family's section.
var kindOrder = []string{OpAdd, OpRemove, OpChange}

// cardKey orders cards by family (rank, then name), kind, then id:
// rank (2 bytes) + family + 0 + kind (1 byte) + id.
func cardKey(dst []byte, family, op, id string) []byte {
	r := familyRank(family)
	dst = append(dst, byte(r>>8), byte(r))
	dst = append(dst, family...)
	dst = append(dst, 0, byte('0'+slices.Index(kindOrder, op)))
	return append(dst, id...)
}

// parseCardKey returns the family and kind of a card key.
func parseCardKey(key []byte) (family, kind string, err error) {
	rest := key[min(2, len(key)):]
	i := slices.Index(rest, 0)
	if len(key) < 2 || i < 0 || i+1 >= len(rest) || int(rest[i+1]-'0') >= len(kindOrder) {
		return "", "", fmt.Errorf("report: bad card key %q", key)
	}
	return string(rest[:i]), kindOrder[rest[i+1]-'0'], nil
}

// eachCard calls fn with every card in section order, once: the cards are
// read back from disk and removed.
func (b *ReportBuilder) eachCard(fn func(family, kind string, card []byte) error) error {
	if b.written {
		return ErrCardsWritten
	}
	b.written = true
	if b.cards == nil {
		return nil
	}
	err := b.cards.Each(func(key, value []byte) error {
		family, kind, err := parseCardKey(key)
		if err != nil {
			return err
		}
		return fn(family, kind, value)
	})
	b.cards = nil
	if err != nil {
		return fmt.Errorf("report: cards: %w", err)
	}
	return nil
}

// Close removes the spilled cards; the totals and report.md rows stay.
// WriteHTML fails after it.
func (b *ReportBuilder) Close() error {
	if b.written {
		return nil
	}
	b.written = true
	if b.cards == nil {
		return nil
	}
	// Sort is the only way to the run files; nothing is read.
	it, err := b.cards.Sort()
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	b.cards = nil
	if err != nil {
		return fmt.Errorf("report: remove cards: %w", err)
	}
	return nil
}

func bump(m map[string]*opCounts, key, op string) {
	oc := m[key]
	if oc == nil {
		oc = new(opCounts)
		m[key] = oc
	}
	switch op {
	case OpAdd:
		oc.Added++
	case OpRemove:
		oc.Removed++
	case OpChange:
		oc.Changed++
	}
}

func union(a, b []string) []string {
	u := append(slices.Clone(a), b...)
	slices.Sort(u)
	return slices.Compact(u)
}

func rowOf(id string, e *entity.Entity) entityRow {
	return entityRow{ID: id, Type: string(e.Type), Name: e.Name, Programs: strings.Join(e.Programs, ", ")}
}

package pipeline

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// The first phase of a run is three stages joined by bounded channels, so
// that both cores work and memory does not grow with the publication:
//
//	parse (one goroutine: the source's parser) → batches of entities →
//	encode (one goroutine per core: normalize, canonicalize, encode the
//	content line) → collect (in publication order: coverage, external sort).
//
// Each entity is dropped once encoded; what stays is its line, in the
// sorter's bounded buffer or in its spilled runs.
const (
	batchSize = 64 // entities per batch: enough to amortize a channel send
	// batchesQueued bounds the batches waiting between two stages, per
	// core.
	batchesQueued = 2
)

// batch is a run of consecutive entities of the publication.
type batch struct {
	seq  uint64 // the batch's place in the publication
	ents []*entity.Entity
	// Filled by the encoder: each entity's id and sort value, in the
	// order parsed, and what normalization did to them.
	ids    []string
	values []byte
	ends   []int // end of each value in values
	cov    normalize.Coverage
}

// parse streams the publication through the stages into a sorter and
// returns the sorted entities. The caller closes the iterator (also when
// parse fails), which removes the spilled runs.
func (r *run) parse(ctx context.Context, in *sources.Input) (*extsort.Iterator, sources.Meta, error) {
	sorter := extsort.New(r.cfg.TempDir, r.cfg.SortBuffer)
	workers := runtime.GOMAXPROCS(0)
	parsed := make(chan *batch, workers*batchesQueued)
	encoded := make(chan *batch, workers*batchesQueued)
	// Encoded batches go back to the parser to be filled again.
	free := make(chan *batch, 2*workers*batchesQueued+2)
	g, gctx := errgroup.WithContext(ctx)

	var meta sources.Meta
	mainFile := in.Files[0].Name
	bar := r.parseProgress()
	g.Go(func() error {
		defer close(parsed)
		var seq uint64
		cur := newBatch(free, seq)
		send := func() error {
			bar.Add(int64(len(cur.ents)))
			select {
			case parsed <- cur:
			case <-gctx.Done():
				return gctx.Err()
			}
			seq++
			cur = newBatch(free, seq)
			return nil
		}
		var err error
		meta, err = r.src.Parse(gctx, in, func(e *entity.Entity) error {
			if err := e.Validate(); err != nil {
				r.issues.Add(sources.Issue{File: mainFile, Record: e.SourceID, Problem: "record skipped: " + err.Error()})
				return nil
			}
			r.lastParsed = e.ID
			cur.ents = append(cur.ents, e)
			if len(cur.ents) == batchSize {
				return send()
			}
			return nil
		}, &r.issues)
		if err != nil {
			return err
		}
		if len(cur.ents) > 0 {
			return send()
		}
		return nil
	})

	// An Assembler's entities were normalized when their sources published.
	_, assembled := r.src.(sources.Assembler)
	encoders, encodersCtx := errgroup.WithContext(gctx)
	for range workers {
		encoders.Go(func() error {
			for b := range parsed {
				encodeBatch(b, !assembled)
				select {
				case encoded <- b:
				case <-encodersCtx.Done():
					return encodersCtx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(encoded)
		return encoders.Wait()
	})

	// Collect in publication order: coverage merged batch by batch and
	// ties of the sort broken by the order parsed keep the result
	// independent of which encoder finished first.
	var total normalize.Coverage
	g.Go(func() error {
		pending := map[uint64]*batch{}
		var next, seq uint64
		for b := range encoded {
			pending[b.seq] = b
			for b := pending[next]; b != nil; b = pending[next] {
				delete(pending, next)
				next++
				total.Add(&b.cov)
				start := 0
				for i, id := range b.ids {
					if err := sorter.Add([]byte(id), b.values[start:b.ends[i]], seq); err != nil {
						return err
					}
					start = b.ends[i]
					seq++
				}
				select {
				case free <- b:
				default:
				}
			}
		}
		if len(pending) > 0 && gctx.Err() == nil {
			return fmt.Errorf("%d batches out of order at the end of the parse", len(pending))
		}
		return nil
	})
	err := g.Wait()
	it, serr := sorter.Sort()
	r.res.SortRuns = sorter.Runs()
	if err == nil {
		err = serr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return it, meta, err
	}
	total.RemarksUnparsed += meta.RemarksUnparsed
	for _, ex := range meta.UnparsedRemarks {
		if ex.Value == "" {
			continue
		}
		total.UnparsedRemarks = append(total.UnparsedRemarks, normalize.Example{Value: ex.Value, Count: ex.Count, Entity: ex.Entity})
	}
	total.Sort()
	r.coverage = total
	bar.Done()
	return it, meta, nil
}

// newBatch takes a batch back from free, or makes one.
func newBatch(free chan *batch, seq uint64) *batch {
	var b *batch
	select {
	case b = <-free:
		b.ids, b.values, b.ends = b.ids[:0], b.values[:0], b.ends[:0]
		b.cov = normalize.Coverage{}
	default:
		b = &batch{ents: make([]*entity.Entity, 0, batchSize)}
	}
	b.seq = seq
	return b
}

// encodeBatch completes the batch's entities (normalized unless norm is
// false) and encodes their sort values, then lets go of the entities.
func encodeBatch(b *batch, norm bool) {
	for _, e := range b.ents {
		if norm {
			normalize.Entity(e, &b.cov)
		}
		e.Canonicalize()
		b.ids = append(b.ids, e.ID)
		b.values = appendValue(b.values, e)
		b.ends = append(b.ends, len(b.values))
	}
	clear(b.ents)
	b.ents = b.ents[:0]
}

// A sort value is what the later stages need of an entity without
// decoding its line: type, source id (for issues), name and programs (for
// the report), the constituent lists (for the guard), each
// length-prefixed, then the content line.
func appendValue(dst []byte, e *entity.Entity) []byte {
	dst = appendField(dst, string(e.Type))
	dst = appendField(dst, e.SourceID)
	dst = appendField(dst, e.Name)
	dst = binary.AppendUvarint(dst, uint64(len(e.Programs)))
	for _, p := range e.Programs {
		dst = appendField(dst, p)
	}
	// Listings are canonical (sorted by list first), so a list repeated
	// in one entity is adjacent and counted once.
	n := 0
	for i, l := range e.Listings {
		if i == 0 || l.List != e.Listings[i-1].List {
			n++
		}
	}
	dst = binary.AppendUvarint(dst, uint64(n))
	for i, l := range e.Listings {
		if i == 0 || l.List != e.Listings[i-1].List {
			dst = appendField(dst, l.List)
		}
	}
	return e.AppendContent(dst)
}

func appendField(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// sortValue is a decoded sort value; content points into the iterator's
// buffer.
type sortValue struct {
	typ, sourceID string
	sum           *diff.Summary
	lists         []string // constituent lists, each once
	content       []byte
}

var errBadValue = errors.New("damaged sort value")

func decodeValue(v []byte) (sortValue, error) {
	var out sortValue
	field := func() (string, error) {
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return "", errBadValue
		}
		s := string(v[k : k+int(n)])
		v = v[k+int(n):]
		return s, nil
	}
	var err error
	sum := new(diff.Summary)
	if sum.Type, err = field(); err != nil {
		return out, err
	}
	if out.sourceID, err = field(); err != nil {
		return out, err
	}
	if sum.Name, err = field(); err != nil {
		return out, err
	}
	count := func() (int, error) {
		n, k := binary.Uvarint(v)
		if k <= 0 || n > uint64(len(v)) {
			return 0, errBadValue
		}
		v = v[k:]
		return int(n), nil
	}
	n, err := count()
	if err != nil {
		return out, err
	}
	if n > 0 {
		sum.Programs = make([]string, n)
		for i := range sum.Programs {
			if sum.Programs[i], err = field(); err != nil {
				return out, err
			}
		}
	}
	if n, err = count(); err != nil {
		return out, err
	}
	for range n {
		l, err := field()
		if err != nil {
			return out, err
		}
		out.lists = append(out.lists, l)
	}
	out.typ, out.sum, out.content = sum.Type, sum, v
	return out, nil
}

// sortedSnapshot serves the sorted entities to the comparison as the new
// snapshot: a repeated id keeps the record parsed first, with an issue
// for each later one, and entities are counted by type.
type sortedSnapshot struct {
	it     *extsort.Iterator
	issues *sources.Issues
	file   string
	prev   []byte
	n      int
	byType map[string]int
	byList map[string]int // entities per constituent list (Listing.List); nil until one has a list
}

func newSortedSnapshot(it *extsort.Iterator, issues *sources.Issues, file string) *sortedSnapshot {
	s := &sortedSnapshot{it: it, issues: issues, file: file, byType: map[string]int{}}
	for _, t := range entity.Types {
		s.byType[string(t)] = 0
	}
	return s
}

func (s *sortedSnapshot) Next() (*diff.Record, error) {
	for s.it.Next() {
		key := s.it.Key()
		v, err := decodeValue(s.it.Value())
		if err != nil {
			return nil, fmt.Errorf("entity %s: %w", key, err)
		}
		if s.n > 0 && bytes.Equal(key, s.prev) {
			s.issues.Add(sources.Issue{File: s.file, Record: v.sourceID, Problem: "duplicate id " + string(key) + ": later record skipped"})
			continue
		}
		s.prev = append(s.prev[:0], key...)
		s.n++
		s.byType[v.typ]++
		for _, l := range v.lists {
			if s.byList == nil {
				s.byList = map[string]int{}
			}
			s.byList[l]++
		}
		return diff.ContentRecord(string(key), v.content, v.sum)
	}
	if err := s.it.Err(); err != nil {
		return nil, err
	}
	return nil, io.EOF
}

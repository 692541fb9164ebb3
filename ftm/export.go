package ftm

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
)

// ExportOptions bound what an export holds in memory.
type ExportOptions struct {
	// TempDir holds the sort runs (it must exist); "" is os.TempDir.
	TempDir string
	// SortBudget is each sorter's buffer in bytes; <= 0 is extsort's
	// default.
	SortBudget int
}

// ExportCounts is what an export wrote and left out.
type ExportCounts struct {
	Entities int            `json:"entities"`
	BySchema map[string]int `json:"by_schema"`
	Dropped  map[string]int `json:"dropped,omitempty"`
}

// Opener opens our entity lines (canonical JSON, one per line, sorted by
// id) from the start; Export reads them twice.
type Opener func() (io.ReadCloser, error)

// Record kinds of the first sort: an entity's type, a relation pointing
// at an id, a cluster's member.
const (
	kindDefined  = "0"
	kindRelation = "1"
)

// Export converts our entity lines into FtM entities and writes them to w,
// one per line, sorted by id, so that two exports can be compared in one
// merge (WriteDelta). Conversion needs two facts from elsewhere in the
// export: the type of each relation's target and the members of each
// cluster. Both are joined through external sorts rather than an index
// of every id, so memory stays at the sort budgets whatever the size of
// the list:
//
//  1. read the lines once; sort (target id, type) definitions with the
//     relations that point at them, and (cluster, member) pairs;
//  2. walk that sort and sort, by the id of the entity that needs it,
//     each relation's resolved target type and each member's cluster
//     mates;
//  3. read the lines again beside that sort, convert each entity, and
//     sort the FtM lines by id for w.
func Export(ctx context.Context, open Opener, w io.Writer, opt ExportOptions) (ExportCounts, error) {
	counts := ExportCounts{BySchema: map[string]int{}}
	facts, err := joinFacts(ctx, open, opt)
	if err != nil {
		return counts, err
	}
	it, err := facts.Sort()
	if err != nil {
		it.Close()
		return counts, fmt.Errorf("ftm export: %w", err)
	}
	defer it.Close()
	next := peeker{it: it}

	out := extsort.New(opt.TempDir, opt.SortBudget)
	conv := &Converter{}
	targets := map[string]entity.Type{}
	var members []string
	conv.Target = func(id string) (entity.Type, bool) {
		t, ok := targets[id]
		return t, ok
	}
	conv.Members = func(string) []string { return members }
	var seq uint64
	err = eachEntity(ctx, open, func(e *entity.Entity) error {
		clear(targets)
		members = members[:0]
		for next.ok() && string(next.key()) <= e.ID {
			if string(next.key()) == e.ID {
				kind, rest, _ := strings.Cut(string(next.value()), "\x1f")
				switch kind {
				case "r":
					id, typ, _ := strings.Cut(rest, "\x1f")
					if typ != "" {
						targets[id] = entity.Type(typ)
					}
				case "m":
					members = append(members, rest)
				}
			}
			next.advance()
		}
		if len(members) > 0 {
			members = append(members, e.ID)
		}
		for _, f := range conv.Convert(e) {
			line, err := json.Marshal(f)
			if err != nil {
				return fmt.Errorf("%s: %w", e.ID, err)
			}
			if err := out.Add([]byte(f.ID), line, seq); err != nil {
				return err
			}
			seq++
			counts.BySchema[f.Schema]++
		}
		return nil
	})
	if err == nil {
		err = next.err()
	}
	if err != nil {
		out.Each(func(_, _ []byte) error { return errStop }) // removes the runs
		return counts, fmt.Errorf("ftm export: %w", err)
	}
	var prev []byte
	err = out.Each(func(key, line []byte) error {
		if prev != nil && bytes.Equal(prev, key) {
			return fmt.Errorf("two FtM entities have the id %s", key)
		}
		prev = append(prev[:0], key...)
		counts.Entities++
		if _, err := w.Write(line); err != nil {
			return err
		}
		_, err := w.Write(newline)
		return err
	})
	if err != nil {
		return counts, fmt.Errorf("ftm export: %w", err)
	}
	if len(conv.Dropped) > 0 {
		counts.Dropped = conv.Dropped
	}
	return counts, nil
}

var (
	newline = []byte("\n")
	errStop = errors.New("stop")
)

// joinFacts makes passes 1 and 2 of Export: it returns a sorter holding,
// keyed by the id of the entity that needs it, "r\x1f<target>\x1f<type>"
// for each relation (type empty when the export lacks the target) and
// "m\x1f<member>" for each other member of the entity's cluster.
func joinFacts(ctx context.Context, open Opener, opt ExportOptions) (*extsort.Sorter, error) {
	first := extsort.New(opt.TempDir, opt.SortBudget)
	var seq uint64
	add := func(s *extsort.Sorter, key, value string) error {
		seq++
		return s.Add([]byte(key), []byte(value), seq)
	}
	err := eachLine(ctx, open, func(line []byte) error {
		// Only the fields the join needs are decoded.
		var e struct {
			ID        string
			Type      entity.Type
			Cluster   string
			Relations []struct {
				TargetID string `json:"target_id"`
			}
		}
		if err := json.Unmarshal(line, &e); err != nil {
			return err
		}
		// "t" records sort each id's definition before the relations
		// that point at it; "c" records group a cluster's members.
		if err := add(first, "t\x00"+e.ID+"\x00"+kindDefined, string(e.Type)); err != nil {
			return err
		}
		for _, r := range e.Relations {
			if r.TargetID != "" {
				if err := add(first, "t\x00"+r.TargetID+"\x00"+kindRelation, e.ID); err != nil {
					return err
				}
			}
		}
		if e.Cluster != "" {
			return add(first, "c\x00"+e.Cluster, e.ID)
		}
		return nil
	})
	if err != nil {
		first.Each(func(_, _ []byte) error { return errStop })
		return nil, fmt.Errorf("ftm export: %w", err)
	}
	facts := extsort.New(opt.TempDir, opt.SortBudget)
	var (
		group   string // the id or cluster of the records at hand
		defined string // the type of group, when its definition was seen
		cluster []string
	)
	flushCluster := func() error {
		if len(cluster) < 2 {
			return nil
		}
		for _, m := range cluster {
			for _, other := range cluster {
				if other != m {
					if err := add(facts, m, "m\x1f"+other); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	err = first.Each(func(key, value []byte) error {
		k := string(key)
		if c, ok := strings.CutPrefix(k, "c\x00"); ok {
			if c != group {
				if err := flushCluster(); err != nil {
					return err
				}
				group, cluster = c, cluster[:0]
			}
			cluster = append(cluster, string(value))
			return nil
		}
		rest := strings.TrimPrefix(k, "t\x00")
		id, kind := rest[:len(rest)-2], rest[len(rest)-1:]
		if id != group {
			group, defined = id, ""
		}
		if kind == kindDefined {
			defined = string(value)
			return nil
		}
		return add(facts, string(value), "r\x1f"+id+"\x1f"+defined)
	})
	if err == nil {
		err = flushCluster()
	}
	if err != nil {
		facts.Each(func(_, _ []byte) error { return errStop })
		return nil, fmt.Errorf("ftm export: %w", err)
	}
	return facts, nil
}

// eachEntity decodes the lines open gives and calls fn with each.
func eachEntity(ctx context.Context, open Opener, fn func(*entity.Entity) error) error {
	return eachLine(ctx, open, func(line []byte) error {
		var e entity.Entity
		if err := json.Unmarshal(line, &e); err != nil {
			return err
		}
		return fn(&e)
	})
}

// eachLine calls fn with each line open gives; an error names the line.
func eachLine(ctx context.Context, open Opener, fn func([]byte) error) error {
	rc, err := open()
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(sc.Bytes()); err != nil {
			return fmt.Errorf("entity line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("entity line %d: %w", line+1, err)
	}
	return nil
}

// peeker looks one record ahead in a sorted iterator.
type peeker struct {
	it      *extsort.Iterator
	started bool
	has     bool
}

func (p *peeker) ok() bool {
	if !p.started {
		p.started = true
		p.has = p.it.Next()
	}
	return p.has
}

func (p *peeker) key() []byte   { return p.it.Key() }
func (p *peeker) value() []byte { return p.it.Value() }
func (p *peeker) advance()      { p.has = p.it.Next() }
func (p *peeker) err() error    { return p.it.Err() }

package diff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrMismatch: a delta does not fit the snapshot it is applied to.
var ErrMismatch = errors.New("delta does not fit the snapshot")

// DeltaWriter writes delta lines: one JSON object per op, members in the
// order op, id, entity, changes, no HTML escaping, ids strictly increasing.
// Compression is the caller's: wrap w in a gzip.Writer for delta.jsonl.gz.
//
// A source's first version has an empty delta file (DESIGN.md): comparing
// against no previous snapshot emits every entity as an add, and those ops
// belong in the report only, not in the delta.
type DeltaWriter struct {
	enc  *json.Encoder
	n    int
	prev string
}

// NewDeltaWriter returns a writer of delta lines to w. Each op is one Write
// call on w.
func NewDeltaWriter(w io.Writer) *DeltaWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &DeltaWriter{enc: enc}
}

// Write writes one op. Its signature fits the emit argument of Compare.
func (d *DeltaWriter) Write(op Op) error {
	if err := checkOp(op); err != nil {
		return fmt.Errorf("delta: %w", err)
	}
	if d.n > 0 && op.ID <= d.prev {
		return fmt.Errorf("delta: %w: %q after %q", ErrUnsorted, op.ID, d.prev)
	}
	if err := d.enc.Encode(op); err != nil {
		return fmt.Errorf("delta: op %s %s: %w", op.Op, op.ID, err)
	}
	d.n++
	d.prev = op.ID
	return nil
}

// Count is the number of ops written.
func (d *DeltaWriter) Count() int { return d.n }

func checkOp(op Op) error {
	switch op.Op {
	case OpAdd, OpRemove, OpChange:
	default:
		return fmt.Errorf("unknown op %q", op.Op)
	}
	if op.ID == "" {
		return fmt.Errorf("%s op without id", op.Op)
	}
	if len(op.Entity) == 0 {
		return fmt.Errorf("%s %s: no entity", op.Op, op.ID)
	}
	return nil
}

// Apply applies a delta (uncompressed delta.jsonl) to the snapshot base and
// calls out with every line of the resulting snapshot, in id order and
// without the newline. It streams both inputs. An add of an id that base
// holds, a change or remove of one it lacks, or a remove whose entity is
// not the base's line is an error wrapping ErrMismatch; so are delta ids out
// of order. Errors about the delta name its line.
func Apply(base Snapshot, delta io.Reader, out func(line []byte) error) error {
	c := &cursor{s: base, side: "base"}
	br := bufio.NewReaderSize(delta, 256<<10)
	var prev string
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("delta: after line %d: %w", n-1, err)
		}
		var op Op
		if err := json.Unmarshal(line, &op); err != nil {
			return fmt.Errorf("delta: %w", &LineError{n, err})
		}
		if err := checkOp(op); err != nil {
			return fmt.Errorf("delta: %w", &LineError{n, err})
		}
		if n > 1 && op.ID <= prev {
			return fmt.Errorf("delta: %w", &LineError{n, fmt.Errorf("%w: %w: %q after %q", ErrMismatch, ErrUnsorted, op.ID, prev)})
		}
		prev = op.ID
		if id, err := lineID(op.Entity); err != nil {
			return fmt.Errorf("delta: %w", &LineError{n, fmt.Errorf("%s %s: entity: %w", op.Op, op.ID, err)})
		} else if id != op.ID {
			return fmt.Errorf("delta: %w", &LineError{n, fmt.Errorf("%w: %s %s: entity has id %q", ErrBadLine, op.Op, op.ID, id)})
		}
		// Copy base lines before the op's id.
		for {
			if err := c.fill(); err != nil {
				return err
			}
			if c.rec == nil || c.rec.ID >= op.ID {
				break
			}
			if err := out(c.rec.Line); err != nil {
				return err
			}
			c.rec = nil
		}
		found := c.rec != nil && c.rec.ID == op.ID
		switch {
		case op.Op == OpAdd && found:
			return fmt.Errorf("delta: %w", &LineError{n, fmt.Errorf("%w: add %s: already in the snapshot", ErrMismatch, op.ID)})
		case op.Op != OpAdd && !found:
			return fmt.Errorf("delta: %w", &LineError{n, fmt.Errorf("%w: %s %s: not in the snapshot", ErrMismatch, op.Op, op.ID)})
		case op.Op == OpRemove && !bytes.Equal(op.Entity, c.rec.Line):
			return fmt.Errorf("delta: %w", &LineError{n, fmt.Errorf("%w: remove %s: entity differs from the snapshot's", ErrMismatch, op.ID)})
		}
		if found {
			c.rec = nil
		}
		if op.Op != OpRemove {
			if err := out(op.Entity); err != nil {
				return err
			}
		}
	}
	for {
		if err := c.fill(); err != nil {
			return err
		}
		if c.rec == nil {
			return nil
		}
		if err := out(c.rec.Line); err != nil {
			return err
		}
		c.rec = nil
	}
}

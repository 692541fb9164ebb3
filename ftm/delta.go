package ftm

import (
	"encoding/json"
	"slices"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// FtM delta ops.
const (
	OpAdd = "ADD"
	OpMod = "MOD"
	OpDel = "DEL"
)

// DeltaLine is one line of entities.delta.json.
type DeltaLine struct {
	Op     string `json:"op"`
	Entity Entity `json:"entity"`
}

// ConvertOp converts one line of our delta (op add, change or remove, its
// entity) into FtM ops: ADD of every FtM entity for add, DEL of every one
// for remove (the entity of a remove line is the previous one), MOD of
// every one for change. A change line does not carry the previous
// entity, so derived entities it no longer has are not deleted: use
// ConvertChange where the previous entity is at hand. Unknown ops give
// nothing.
func (c *Converter) ConvertOp(op string, e *entity.Entity) []DeltaLine {
	var ftmOp string
	switch op {
	case "add":
		ftmOp = OpAdd
	case "remove":
		ftmOp = OpDel
	case "change":
		ftmOp = OpMod
	default:
		return nil
	}
	var out []DeltaLine
	for _, f := range c.Convert(e) {
		out = append(out, DeltaLine{Op: ftmOp, Entity: f})
	}
	return out
}

// ConvertOp converts with a zero Converter.
func ConvertOp(op string, e *entity.Entity) []DeltaLine {
	var c Converter
	return c.ConvertOp(op, e)
}

// ConvertChange gives the exact FtM ops of a change from prev to next:
// MOD of the main entity, DEL of the derived entities only prev has, ADD
// of those only next has, MOD of those whose bytes differ (derived ids
// hold a digest of their content, so a changed fact is a DEL and an
// ADD; MOD comes from first_seen and last_change). Lines are sorted by
// entity id, the main entity first.
func (c *Converter) ConvertChange(prev, next *entity.Entity) []DeltaLine {
	before := c.Convert(prev)
	after := c.Convert(next)
	old := map[string]Entity{}
	for _, f := range before[1:] {
		old[f.ID] = f
	}
	out := []DeltaLine{{Op: OpMod, Entity: after[0]}}
	var rest []DeltaLine
	for _, f := range after[1:] {
		o, ok := old[f.ID]
		delete(old, f.ID)
		switch {
		case !ok:
			rest = append(rest, DeltaLine{Op: OpAdd, Entity: f})
		case !sameJSON(o, f):
			rest = append(rest, DeltaLine{Op: OpMod, Entity: f})
		}
	}
	for _, f := range old {
		rest = append(rest, DeltaLine{Op: OpDel, Entity: f})
	}
	slices.SortFunc(rest, func(a, b DeltaLine) int {
		if a.Entity.ID < b.Entity.ID {
			return -1
		}
		if a.Entity.ID > b.Entity.ID {
			return 1
		}
		return 0
	})
	return append(out, rest...)
}

func sameJSON(a, b Entity) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

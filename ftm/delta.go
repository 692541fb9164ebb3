package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// FtM delta ops.
const (
	OpAdd = "ADD"
	OpMod = "MOD"
	OpDel = "DEL"
)

// DeltaCounts counts the ops of an FtM delta.
type DeltaCounts struct {
	Add int `json:"add"`
	Mod int `json:"mod"`
	Del int `json:"del"`
}

// WriteDelta writes the FtM ops that turn the export prev into next (both
// as Export writes them: one entity per line, sorted by id) to w: ADD of
// each id only next has, DEL of each id only prev has (with its previous
// body), MOD where the lines differ. Diffing the two exports, rather than
// converting our delta, also catches the FtM entities that change with no
// change of their own entity: a derived entity's id, a relation whose
// target left the export, a cluster's referents.
func WriteDelta(prev, next io.Reader, w io.Writer) (DeltaCounts, error) {
	var counts DeltaCounts
	a, b := newLineCursor(prev, "previous export"), newLineCursor(next, "new export")
	write := func(op string, line []byte) error {
		if _, err := io.WriteString(w, `{"op":"`+op+`","entity":`); err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		_, err := io.WriteString(w, "}\n")
		return err
	}
	for a.ok() || b.ok() {
		var err error
		switch {
		case !b.ok() || (a.ok() && a.id < b.id):
			counts.Del++
			err = write(OpDel, a.line)
			a.advance()
		case !a.ok() || b.id < a.id:
			counts.Add++
			err = write(OpAdd, b.line)
			b.advance()
		default:
			if !bytes.Equal(a.line, b.line) {
				counts.Mod++
				err = write(OpMod, b.line)
			}
			a.advance()
			b.advance()
		}
		if err != nil {
			return counts, fmt.Errorf("ftm delta: %w", err)
		}
	}
	if err := errors.Join(a.err, b.err); err != nil {
		return counts, fmt.Errorf("ftm delta: %w", err)
	}
	return counts, nil
}

// lineCursor reads an export line by line with each line's id, and checks
// that the ids ascend (the merge relies on it).
type lineCursor struct {
	sc   *bufio.Scanner
	what string
	n    int
	has  bool
	id   string
	line []byte
	err  error
}

func newLineCursor(r io.Reader, what string) *lineCursor {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	c := &lineCursor{sc: sc, what: what}
	c.advance()
	return c
}

func (c *lineCursor) ok() bool { return c.has }

func (c *lineCursor) advance() {
	c.has = false
	if c.err != nil || !c.sc.Scan() {
		if c.err == nil && c.sc.Err() != nil {
			c.err = fmt.Errorf("%s line %d: %w", c.what, c.n+1, c.sc.Err())
		}
		return
	}
	c.n++
	var head struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(c.sc.Bytes(), &head); err != nil || head.ID == "" {
		c.err = fmt.Errorf("%s line %d: not an FtM entity with an id (%v)", c.what, c.n, err)
		return
	}
	if c.line != nil && head.ID <= c.id {
		c.err = fmt.Errorf("%s line %d: id %s does not sort after %s", c.what, c.n, head.ID, c.id)
		return
	}
	c.id, c.has = head.ID, true
	c.line = append(c.line[:0], c.sc.Bytes()...)
}

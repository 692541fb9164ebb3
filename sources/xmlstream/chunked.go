package xmlstream

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Chunked mode: the scanner, which follows every byte of the document
// anyway, cuts it into records; each record is parsed by xmlquery on its
// own (a per-record subtree: xmlquery.Parse of the record inside copies of
// its root's and container's start tags, so that namespaces and parents
// are as in the document) on every core, and Next hands the records back
// in document order. xmlquery's stream parser does the same parsing on
// one goroutine (BenchmarkModes compares the two).
//
// What no per-record parse sees is checked here instead: the end tags of
// the root and of the containers must match their start tags, and
// non-space text outside any record is an issue, added in document order.

// chunkQueue is the batches read ahead, per core, in each of the queue
// and the parsers' channel: chunked mode holds at most 4 per core beside
// the one Next hands out (each under batchRecords records and batchBytes
// plus one record). 3 cost 8 MiB more peak RSS on the 100 MB UN run than
// 2, for no speed.
const chunkQueue = 2

// readBlock is what the splitter reads from the file at a time.
const readBlock = 64 << 10

// job is a batch of consecutive records with the same parent (or an
// error, an issue, or the end), in document order. Parsing records in
// batches spreads xmlquery.Parse's fixed cost (a decoder and its buffers)
// over many.
type job struct {
	wrapped []byte   // the records, and what is between them, inside their parents' tags
	parents []byte   // the parents' start tags, until wrapped is made
	closers string   // and end tags
	depth   int      // of the records: 2, or 3 inside a container
	start   int64    // file offset of the first record
	end     int64    // and the end of the last
	lines   []int    // each record's first line
	ends    []int    // and last line
	spans   [][2]int // each record's bytes in wrapped
	nodes   []*xmlquery.Node
	err     error
	issue   *sources.Issue
	endLine int // the document's last line, with end
	isEnd   bool
	done    chan struct{}
}

// A batch is sent once it holds this many records or bytes.
const (
	batchRecords = 32
	batchBytes   = 32 << 10
)

var doneJob = func() chan struct{} { ch := make(chan struct{}); close(ch); return ch }()

type chunked struct {
	s       *Stream
	issues  *sources.Issues
	queue   chan *job // every job, in document order
	work    chan *job // records, for the parsers
	quit    chan struct{}
	cur     *job // the batch Next is handing out
	i       int  // its next record
	lastRec *xmlquery.Node
	recLine int
	line    int // Line(): after the record Next returned last
	stopped bool
}

// startChunked starts the splitter and the parsers. head is the prologue
// through the root's start tag (read already, at rootOff in it), rest the
// bytes after it.
func (s *Stream) startChunked(head []byte, rootOff int, rest io.Reader, issues *sources.Issues) {
	workers := runtime.GOMAXPROCS(0)
	c := &chunked{
		s:      s,
		issues: issues,
		queue:  make(chan *job, chunkQueue*workers),
		work:   make(chan *job, chunkQueue*workers),
		quit:   make(chan struct{}),
		line:   s.line,
	}
	s.chunks = c
	for range workers {
		go c.parseJobs()
	}
	go c.split(head, rootOff, rest)
}

// split reads the document through the scanner and queues each record.
func (c *chunked) split(head []byte, rootOff int, rest io.Reader) {
	defer close(c.work)
	defer close(c.queue)
	s := c.s
	sc := newScanner(nil, s.opts, s.base)
	sc.checkNames = true
	rootTag := flatten(head[rootOff:])
	rootName := s.root.Name.Local
	if s.root.Name.Space != "" {
		rootName = s.root.Name.Space + ":" + rootName
	}
	var (
		pending blocks // what a record may still need of the bytes read
		parents []byte // rootTag, then the open container's start tag
		quit    bool
	)
	send := func(j *job, work bool) {
		if quit {
			return
		}
		select {
		case c.queue <- j:
		case <-c.quit:
			quit = true
			return
		}
		if !work {
			return
		}
		select {
		case c.work <- j:
		case <-c.quit:
			quit = true
			close(j.done) // queued, never to be parsed: stop drains it
		}
	}
	var batch *job // records read, not yet sent
	flush := func() {
		if batch == nil {
			return
		}
		j := batch
		batch = nil
		j.wrapped = make([]byte, 0, len(j.parents)+int(j.end-j.start)+len(j.closers))
		j.wrapped = pending.appendRange(append(j.wrapped, j.parents...), j.start, j.end)
		j.wrapped = append(j.wrapped, j.closers...)
		send(j, true)
	}
	sc.onStray = func(line int, text, in string) {
		flush() // the records before it come first
		send(&job{issue: &sources.Issue{File: s.opts.File, Line: line,
			Problem: fmt.Sprintf("text %q inside <%s>, outside any record; not mapped", strings.TrimSpace(text), in)}, done: doneJob}, false)
	}
	sc.onContainer = func(start, end int64, empty bool) {
		flush()
		if !empty {
			parents = flatten(pending.appendRange(bytes.Clone(rootTag), start, end))
		}
	}
	sc.onRecord = func(end int64) {
		depth := 2
		if sc.depth == 2 { // the record was inside a container
			depth = 3
		}
		if batch != nil && batch.depth != depth {
			flush()
		}
		if batch == nil {
			// The parents as they are now: a flush may come after the
			// scanner has moved into the next container.
			batch = &job{depth: depth, start: sc.recStart, parents: rootTag, closers: "</" + rootName + ">", done: make(chan struct{})}
			if depth == 3 {
				batch.parents, batch.closers = parents, "</"+sc.d2Raw+">"+batch.closers
			}
		}
		from := len(batch.parents) + int(sc.recStart-batch.start)
		batch.spans = append(batch.spans, [2]int{from, from + int(end-sc.recStart)})
		batch.lines = append(batch.lines, sc.recLine)
		batch.ends = append(batch.ends, sc.recLine+pending.newlines(sc.recStart, end))
		batch.end = end
		if len(batch.lines) >= batchRecords || batch.end-batch.start >= batchBytes {
			flush()
		}
	}
	feed := func(b []byte) error {
		pending.add(sc.off, b)
		_, err := sc.scan(b)
		// Keep only what an open record, or an open tag that may start
		// one, still needs.
		keepFrom := sc.off
		switch {
		case batch != nil:
			keepFrom = batch.start
		case sc.recDepth > 0:
			keepFrom = sc.recStart
		case sc.state != sText:
			keepFrom = sc.runStart
		}
		pending.dropBefore(keepFrom)
		return err
	}
	if err := feed(bytes.Clone(head)); err != nil {
		send(&job{err: err, done: doneJob}, false)
		return
	}
	for !quit {
		buf := pending.newBlock()
		n, err := rest.Read(buf)
		if n > 0 {
			if ferr := feed(buf[:n]); ferr != nil {
				flush()
				send(&job{err: ferr, done: doneJob}, false)
				return
			}
		} else {
			pending.free = append(pending.free, buf)
		}
		if err == io.EOF {
			if eerr := sc.atEOF(); eerr != nil {
				flush()
				send(&job{err: eerr, done: doneJob}, false)
				return
			}
			flush()
			send(&job{isEnd: true, endLine: sc.lines + 1, done: doneJob}, false)
			return
		}
		if err != nil {
			send(&job{err: s.Errorf(sc.lines+1, "%w", err), done: doneJob}, false)
			return
		}
	}
}

// blocks holds the bytes read that an open record may still need, as the
// blocks they were read in: a record is copied out once, whole, and a long
// one costs its own size, not a buffer doubled past it.
type blocks struct {
	list []block
	free [][]byte
}

type block struct {
	off  int64 // file offset of data[0]
	data []byte
}

func (bs *blocks) newBlock() []byte {
	if n := len(bs.free); n > 0 {
		b := bs.free[n-1]
		bs.free = bs.free[:n-1]
		return b[:readBlock]
	}
	return make([]byte, readBlock)
}

func (bs *blocks) add(off int64, data []byte) {
	bs.list = append(bs.list, block{off, data})
}

// dropBefore lets go of the blocks that end at or before off.
func (bs *blocks) dropBefore(off int64) {
	k := 0
	for k < len(bs.list) && bs.list[k].off+int64(len(bs.list[k].data)) <= off {
		if cap(bs.list[k].data) == readBlock {
			bs.free = append(bs.free, bs.list[k].data[:0])
		}
		k++
	}
	if k > 0 {
		n := copy(bs.list, bs.list[k:])
		clear(bs.list[n:])
		bs.list = bs.list[:n]
	}
}

// newlines counts the line ends at file offsets [from, to).
func (bs *blocks) newlines(from, to int64) int {
	n := 0
	for _, b := range bs.list {
		end := b.off + int64(len(b.data))
		if end <= from || b.off >= to {
			continue
		}
		n += bytes.Count(b.data[max(from, b.off)-b.off:min(to, end)-b.off], []byte("\n"))
	}
	return n
}

// appendRange appends the bytes at file offsets [from, to) to dst.
func (bs *blocks) appendRange(dst []byte, from, to int64) []byte {
	for _, b := range bs.list {
		end := b.off + int64(len(b.data))
		if end <= from || b.off >= to {
			continue
		}
		dst = append(dst, b.data[max(from, b.off)-b.off:min(to, end)-b.off]...)
	}
	return dst
}

// flatten copies a tag with its line ends made spaces (inside a tag both
// are white space), so that lines in a record's parse are its own.
func flatten(tag []byte) []byte {
	out := bytes.Clone(tag)
	for i, b := range out {
		if b == '\n' || b == '\r' {
			out[i] = ' '
		}
	}
	return out
}

func (c *chunked) parseJobs() {
	for j := range c.work {
		c.parse(j)
		close(j.done)
	}
}

// parse reads a batch with xmlquery and finds its records inside their
// parent, which is left holding them alone (as the stream parser leaves a
// record: text and comments between records are not the records').
func (c *chunked) parse(j *job) {
	defer func() { j.wrapped, j.parents, j.spans = nil, nil, nil }()
	doc, err := xmlquery.Parse(bytes.NewReader(j.wrapped))
	if err != nil {
		c.parseEach(j)
		return
	}
	parent := doc
	for range j.depth - 1 {
		if parent = firstElement(parent); parent == nil {
			break
		}
	}
	if parent != nil {
		for n := parent.FirstChild; n != nil; {
			next := n.NextSibling
			if n.Type == xmlquery.ElementNode {
				j.nodes = append(j.nodes, n)
			} else {
				xmlquery.RemoveFromTree(n)
			}
			n = next
		}
	}
	if len(j.nodes) != len(j.lines) {
		j.nodes = nil
		j.err = c.s.Errorf(j.lines[0], "%d records parsed where the scanner saw %d", len(j.nodes), len(j.lines))
	}
}

// parseEach parses a batch that failed record by record, so that the
// records before the bad one are handed over before its error, as in the
// document.
func (c *chunked) parseEach(j *job) {
	for i, sp := range j.spans {
		one := append(append(bytes.Clone(j.parents), j.wrapped[sp[0]:sp[1]]...), j.closers...)
		doc, err := xmlquery.Parse(bytes.NewReader(one))
		if err != nil {
			line := j.lines[i]
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line += se.Line - 1
			}
			j.err = c.s.Errorf(line, "%w", err)
			return
		}
		n := doc
		for range j.depth {
			if n = firstElement(n); n == nil {
				break
			}
		}
		if n == nil {
			j.err = c.s.Errorf(j.lines[i], "the record is not where the scanner saw it")
			return
		}
		j.nodes = append(j.nodes, n)
	}
	j.err = c.s.Errorf(j.lines[0], "records that parse one by one do not parse together")
}

func firstElement(n *xmlquery.Node) *xmlquery.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xmlquery.ElementNode {
			return c
		}
	}
	return nil
}

// next returns the next record in document order.
func (c *chunked) next() (*xmlquery.Node, error) {
	for !c.stopped {
		if j := c.cur; j != nil {
			if c.i < len(j.nodes) {
				i := c.i
				c.i++
				c.lastRec, c.recLine, c.line = j.nodes[i], j.lines[i], j.ends[i]
				return j.nodes[i], nil
			}
			if j.err != nil {
				c.stop()
				return nil, j.err
			}
		}
		j, ok := <-c.queue
		if !ok {
			c.stopped = true
			break
		}
		<-j.done
		c.cur, c.i = nil, 0
		switch {
		case j.err != nil && len(j.nodes) == 0:
			c.stop()
			return nil, j.err
		case j.issue != nil:
			c.issues.Add(*j.issue)
		case j.isEnd:
			c.line = j.endLine
		default:
			c.cur = j
		}
	}
	return nil, io.EOF
}

// stop ends the splitter and the parsers; records read ahead are dropped.
func (c *chunked) stop() {
	if c.stopped {
		return
	}
	c.stopped = true
	close(c.quit)
	for j := range c.queue {
		<-j.done
	}
}

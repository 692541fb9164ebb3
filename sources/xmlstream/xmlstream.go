// Package xmlstream reads a publisher's XML document as a stream of
// records with antchfx/xmlquery's stream parser, with the checks every XML
// source needs: byte-order marks, an empty or non-XML file (an HTML error
// page), the root element and its namespace, and the line of every error.
// Only one record is in memory at a time.
package xmlstream

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/antchfx/xmlquery"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// prologueMax bounds the bytes read to find the root element.
const prologueMax = 64 << 10

// Options describe the document a source expects.
type Options struct {
	Source string // source name, for errors
	File   string // official file name, for errors and issues
	Root   string // local name of the root element
	// Namespaces are the accepted namespaces of the root ("" for none). A
	// root in another namespace is parsed all the same, with an issue.
	// Nil accepts any.
	Namespaces []string
	// BlankNamespace overwrites the root's default namespace declaration
	// with spaces before the stream parser sees it (lines and offsets do not
	// move). xmlquery formats two strings per element to resolve a default
	// namespace; records are matched by local name and the namespace was
	// checked here, so this only saves time (about 15% on OFAC's XML).
	BlankNamespace bool
	// Containers are the children of the root that hold the records
	// instead of being records (UN: INDIVIDUALS, ENTITIES); the records
	// are then their children. Every other child of the root is a record.
	Containers []string
	// Limits bound the document (zero fields take the defaults).
	Limits Limits
	// Sequential reads the document with xmlquery's stream parser on one
	// goroutine instead of parsing records on every core (chunked.go).
	// A document declaring an encoding other than UTF-8 is always read
	// so, since only the stream parser converts it.
	Sequential bool
}

// Stream yields the records of one document.
type Stream struct {
	opts   Options
	base   int64 // file offset of the bytes read (after a byte order mark)
	root   xml.StartElement
	line   int // of the root's start tag
	parser *xmlquery.StreamParser
	pos    *position
	chunks *chunked // chunked mode; nil when sequential
	// Filled by readPrologue: where the root's start tag begins in the
	// bytes it returns, and the encoding the XML declaration names.
	rootOff  int
	encoding string
}

// Open checks the document's start and prepares the stream. Problems that
// leave the document usable go to issues; others are *sources.RecordError.
func Open(r io.Reader, opts Options, issues *sources.Issues) (*Stream, error) {
	s := &Stream{opts: opts}
	br := bufio.NewReaderSize(r, prologueMax)
	base, err := sources.CheckStart(br, opts.Source, opts.File, issues)
	if err != nil {
		return nil, err
	}
	s.base = base
	head, err := s.readPrologue(br)
	if err != nil {
		return nil, err
	}
	if ns := s.Namespace(); opts.Namespaces != nil && !contains(opts.Namespaces, ns) {
		issues.Addf(opts.File, s.line, "", "unknown namespace %q on <%s>; parsed as the known ones", ns, opts.Root)
	}
	if !opts.Sequential && (s.encoding == "" || strings.EqualFold(s.encoding, "utf-8")) {
		s.startChunked(head, s.rootOff, br, issues)
		return s, nil
	}
	// The stream parser reads through the scanner (limits, lines, the end
	// of the root) and a bufio.Reader of its own (xmlquery reads it byte by
	// byte), so that position can tell the line it is on.
	s.pos = &position{sc: newScanner(io.MultiReader(bytes.NewReader(head), br), opts, s.base)}
	s.pos.br = bufio.NewReaderSize(s.pos.sc, 64<<10)
	xpath := recordXPath(opts.Containers)
	s.parser, err = xmlquery.CreateStreamParser(s.pos.br, xpath)
	if err != nil {
		return nil, s.Errorf(0, "stream %s: %w", xpath, err)
	}
	return s, nil
}

// Next returns the next record, or io.EOF after the last, which comes
// only once the root element is closed. A file that ends before, a syntax
// error and a document past its Limits are a *sources.RecordError with
// its line (and byte offset where known); the first wraps
// sources.ErrIncomplete, the last sources.ErrLimit.
func (s *Stream) Next() (*xmlquery.Node, error) {
	if s.chunks != nil {
		return s.chunks.next()
	}
	n, err := s.parser.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var re *sources.RecordError
		if errors.As(err, &re) {
			return nil, re // from the scanner
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, s.Errorf(se.Line, "%w", err)
		}
		return nil, s.Errorf(s.pos.line(), "%w", err)
	}
	return n, nil
}

// Line is the line the parser has reached: just after the record Next
// returned last (the document's last line after io.EOF).
func (s *Stream) Line() int {
	if s.chunks != nil {
		return s.chunks.line
	}
	return s.pos.line()
}

// Close stops reading ahead. A source calls it when it stops before
// io.EOF or an error from Next; it is harmless after them.
func (s *Stream) Close() {
	if s.chunks != nil {
		s.chunks.stop()
	}
}

// RootLine is the line of the root's start tag.
func (s *Stream) RootLine() int { return s.line }

// RootAttrs returns the attributes of the root element.
func (s *Stream) RootAttrs() []xml.Attr { return s.root.Attr }

// RootAttr returns an attribute of the root element by local name.
func (s *Stream) RootAttr(name string) string {
	for _, a := range s.root.Attr {
		if a.Name.Local == name && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// Namespace is the namespace the root element declares for itself.
func (s *Stream) Namespace() string {
	se := s.root
	for _, a := range se.Attr {
		if (se.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns") ||
			(se.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == se.Name.Space) {
			return a.Value
		}
	}
	return ""
}

// Errorf makes a *sources.RecordError at line of the document.
func (s *Stream) Errorf(line int, format string, args ...any) error {
	return &sources.RecordError{Source: s.opts.Source, File: s.opts.File, Line: line, Err: fmt.Errorf(format, args...)}
}

// readPrologue reads up to the end of the root element's start tag, so
// that a wrong document (an HTML error page) is named by its root and the
// namespace is checked once. It returns the bytes read, which the stream
// parser reads again.
func (s *Stream) readPrologue(br *bufio.Reader) ([]byte, error) {
	for size := 4 << 10; ; size *= 2 {
		size = min(size, prologueMax)
		buf, perr := br.Peek(size)
		if len(buf) == 0 {
			if perr == io.EOF {
				return nil, s.Errorf(0, "empty file")
			}
			return nil, s.Errorf(0, "%w", perr)
		}
		whole := perr != nil // all of the file, or all we may look at
		d := xml.NewDecoder(bytes.NewReader(buf))
		d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
		for {
			off := d.InputOffset()
			tok, err := d.RawToken()
			if err != nil {
				if !whole && cutShort(err) {
					break // the buffer ends inside a token: read more
				}
				return nil, s.notXML(buf, err)
			}
			if pi, ok := tok.(xml.ProcInst); ok && pi.Target == "xml" {
				s.encoding = declaredEncoding(string(pi.Inst))
			}
			se, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			s.rootOff = int(off)
			s.root, s.line = se, 1+bytes.Count(buf[:off], []byte("\n"))
			if se.Name.Local != s.opts.Root {
				return nil, s.Errorf(s.line, "root element <%s>%s, want <%s>", se.Name.Local, htmlHint(se.Name.Local), s.opts.Root)
			}
			end := int(d.InputOffset())
			head := bytes.Clone(buf[:end])
			if s.opts.BlankNamespace && se.Name.Space == "" {
				if ns := s.Namespace(); ns != "" {
					blank(head[off:], ns)
				}
			}
			_, err = br.Discard(end)
			return head, err
		}
		if size == prologueMax {
			return nil, s.Errorf(0, "no root element in the first %d bytes", prologueMax)
		}
	}
}

// notXML names what a document that is not well-formed before its root's
// start tag ends looks like: its first tag (<html lang=en>), or the error.
func (s *Stream) notXML(buf []byte, err error) error {
	line := 0
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line = se.Line
	}
	for i := 0; i+1 < len(buf); i++ {
		if buf[i] != '<' || !isLetter(buf[i+1]) {
			continue
		}
		j := i + 1
		for j < len(buf) && (isLetter(buf[j]) || buf[j] == ':' || buf[j] == '-' || buf[j] == '_' || (buf[j] >= '0' && buf[j] <= '9')) {
			j++
		}
		name := string(buf[i+1 : j])
		if _, local, found := strings.Cut(name, ":"); found {
			name = local
		}
		if name != s.opts.Root {
			return s.Errorf(1+bytes.Count(buf[:i], []byte("\n")), "root element <%s>%s, want <%s>", name, htmlHint(name), s.opts.Root)
		}
		break
	}
	if errors.Is(err, io.EOF) {
		return s.Errorf(line, "no root element")
	}
	if cutShort(err) {
		// Inside the root's start tag or the prologue: the file is cut.
		return &sources.RecordError{Source: s.opts.Source, File: s.opts.File, Line: line, Offset: s.base + int64(len(buf)),
			Err: fmt.Errorf("the file ends at byte %d, before the start tag of <%s> is complete: truncated: %w", s.base+int64(len(buf)), s.opts.Root, sources.ErrIncomplete)}
	}
	return s.Errorf(line, "%w", err)
}

// recordXPath selects for the stream parser what Containers says the
// records are: the children of the containers and every other child of the
// root. xmlquery tests it against the whole (pruned) tree at each start
// tag, so it must match nothing that stays in the tree: the containers are
// excluded by name. "/*/*", not "/Root/*": a prefixed <ns:Root> would not
// match.
func recordXPath(containers []string) string {
	if len(containers) == 0 {
		return "/*/*"
	}
	var not []string
	for _, c := range containers {
		not = append(not, "local-name() != '"+c+"'")
	}
	return "/*/*/* | /*/*[" + strings.Join(not, " and ") + "]"
}

// declaredEncoding is the encoding="..." of an XML declaration's content.
func declaredEncoding(inst string) string {
	i := strings.Index(inst, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(inst[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	if j := strings.IndexByte(rest[1:], rest[0]); j >= 0 {
		return rest[1 : 1+j]
	}
	return ""
}

// htmlHint says what an <html> root means: an error page served in place
// of the list.
func htmlHint(root string) string {
	if strings.EqualFold(root, "html") {
		return " (an HTML page, not the list)"
	}
	return ""
}

// cutShort reports whether a decoder error means that its input ended.
func cutShort(err error) bool {
	var se *xml.SyntaxError
	return err == io.EOF || (errors.As(err, &se) && se.Msg == "unexpected EOF")
}

func isLetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// blank overwrites the declaration xmlns="ns" in tag with spaces.
func blank(tag []byte, ns string) {
	for _, q := range [...]string{`"`, `'`} {
		decl := []byte(`xmlns=` + q + ns + q)
		if i := bytes.Index(tag, decl); i >= 0 {
			for k := range decl {
				tag[i+k] = ' '
			}
			return
		}
	}
}

// position tells the line the XML decoder has reached.
type position struct {
	sc *scanner
	br *bufio.Reader // the stream parser reads from it byte by byte
}

// line is 1 plus the newlines the decoder consumed: those read into the
// buffer minus those still in it.
func (x *position) line() int {
	buffered, _ := x.br.Peek(x.br.Buffered())
	return x.sc.lines - bytes.Count(buffered, []byte("\n")) + 1
}

// LineOf returns the line of elem inside rec, the record Next returned
// last (of rec itself when elem is nil), for issues. The decoder stands at
// the end of rec, so it counts back over the newlines of rec's text; line
// ends inside tags are not text, so a record whose tags span lines gives
// a line a little late. It returns 0 for a node that is not the last
// record.
func (s *Stream) LineOf(rec, elem *xmlquery.Node) int {
	if s.chunks != nil {
		// Chunked mode knows where the record starts.
		if rec != s.chunks.lastRec {
			return 0
		}
		if elem == nil {
			return s.chunks.recLine
		}
		before, found := newlinesBefore(rec, elem)
		if !found {
			return 0
		}
		return s.chunks.recLine + before
	}
	total, _ := newlinesBefore(rec, nil)
	line := s.pos.line() - total
	if elem != nil {
		before, found := newlinesBefore(rec, elem)
		if !found {
			return 0
		}
		line += before
	}
	return line
}

// newlinesBefore counts the newlines in n's text before target in
// document order, or in all of n when target is nil.
func newlinesBefore(n, target *xmlquery.Node) (int, bool) {
	count := 0
	var walk func(c *xmlquery.Node) bool
	walk = func(c *xmlquery.Node) bool {
		if c == target {
			return true
		}
		switch c.Type {
		case xmlquery.TextNode, xmlquery.CharDataNode, xmlquery.CommentNode:
			count += strings.Count(c.Data, "\n")
		}
		for ch := c.FirstChild; ch != nil; ch = ch.NextSibling {
			if walk(ch) {
				return true
			}
		}
		return false
	}
	found := walk(n)
	return count, found
}

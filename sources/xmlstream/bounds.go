package xmlstream

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Limits bound what one document may hold. The stream parser keeps every
// open element and the whole current record in memory, so without them a
// hostile or broken file (a million nested elements, a 50 MB text node)
// takes the memory of the process and every source it runs (7 MB nested
// a million levels deep took 580 MB). A document past a limit is refused
// with a *sources.RecordError naming the line and byte; a zero field
// takes its default.
type Limits struct {
	Depth          int // element nesting; the root is at depth 1
	TagBytes       int // one tag, declaration or processing instruction, from < to >
	TextBytes      int // one run of text, one CDATA section or one comment
	RecordBytes    int // one record (an element Next returns), start tag to end tag
	RecordElements int // elements in one record, itself included
}

// The defaults. The real publications in the corpus (UN, OFAC, EU, UK, and
// the Swiss and Canadian lists for comparison) nest at most 10 deep (our
// sources 5), with tags of at most 363 bytes, text of at most 1,727 bytes,
// records of at most 12,075 bytes and 256 elements; every default is over
// 100 times that, and a document at all of them at once stays within tens
// of MB.
const (
	DefaultDepth          = 64
	DefaultTagBytes       = 64 << 10
	DefaultTextBytes      = 1 << 20
	DefaultRecordBytes    = 8 << 20
	DefaultRecordElements = 100_000
)

func (l Limits) orDefault() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.Depth, DefaultDepth)
	def(&l.TagBytes, DefaultTagBytes)
	def(&l.TextBytes, DefaultTextBytes)
	def(&l.RecordBytes, DefaultRecordBytes)
	def(&l.RecordElements, DefaultRecordElements)
	return l
}

// Scanner states.
const (
	sText    = iota
	sTagOpen // after <
	sStart   // in a start tag
	sEnd     // in an end tag
	sPI      // in <? ... ?>
	sBang    // after <!, until it is known what follows
	sComment // in <!-- ... -->
	sCDATA   // in <![CDATA[ ... ]]>
	sDecl    // in <!DOCTYPE ...> or another declaration
	sDeclLT  // after a < inside a declaration
	sDeclCom // in a comment inside a declaration
)

// nameMax is how much of a tag name is kept: names are compared only at
// depth 2 (record or container) and only for the truncation message.
const nameMax = 64

// scanner sits between the file and the stream parser. It reads the
// document's structure byte by byte, in step with the bytes it passes on,
// to enforce Limits, to count lines, and to refuse an end of file before
// the root element is closed (DESIGN.md "Integrity": the XML must close its
// root). It follows encoding/xml's syntax only as far as these need (tags,
// quoted attribute values, comments, CDATA, declarations); the decoder
// behind it still checks that the document is well-formed.
type scanner struct {
	r            io.Reader
	lim          Limits
	containers   []string
	source, file string
	root         string
	base         int64 // file offset of the first byte (a dropped byte order mark)
	off          int64 // bytes passed on
	lines        int   // newlines passed on, and in the chunk being scanned up to lineIdx
	lineIdx      int
	err          error // sticky

	state    int
	run      int // bytes of the current tag, or of the current text, CDATA or comment
	runStart int64
	runLine  int
	quote    byte // open attribute or declaration quote
	last     byte // last non-space byte of a start tag
	marks    int  // closing bytes matched: "?" of "?>", "--" of "-->", "]]" of "]]>"
	bang     []byte
	subset   int // open [ of a declaration's internal subset
	name     []byte
	named    bool // the tag name is complete

	depth       int
	d2Name      string // the open (or last) depth-2 element
	inContainer bool   // the open depth-2 element holds records
	recDepth    int    // depth of the open record, 0 if none
	recName     string // its name
	recStart    int64
	recLine     int
	recElems    int
	recEnded    bool // the record's end tag was just read
	rootClosed  bool

	// Set in chunked mode (see chunked.go): called when a record's end
	// tag ends at file offset end (exclusive); and the end tags of the
	// root and of the containers are checked against their start tags,
	// which no decoder sees there.
	onRecord    func(end int64)
	onContainer func(start, end int64, empty bool) // a container's start tag was read
	d2Raw       string                             // the open depth-2 element's name as written
	checkNames  bool
	endName     []byte
	// Non-space text outside any record, in chunked mode: its first bytes
	// and line, reported through onStray when the text ends.
	onStray   func(line int, text string, in string)
	stray     []byte
	strayLine int
}

func newScanner(r io.Reader, opts Options, base int64) *scanner {
	return &scanner{r: r, lim: opts.Limits.orDefault(), containers: opts.Containers,
		source: opts.Source, file: opts.File, root: opts.Root, base: base,
		bang: make([]byte, 0, 7), name: make([]byte, 0, nameMax)}
}

func (s *scanner) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	k, serr := s.scan(p[:n])
	if serr != nil {
		s.err = serr
		return k, serr
	}
	if err == io.EOF {
		if eerr := s.atEOF(); eerr != nil {
			s.err = eerr
			return n, eerr
		}
	}
	return n, err
}

// fail stops the stream at byte i of b: the bytes before it are passed on
// and counted, the error is returned from then on.
func (s *scanner) fail(b []byte, i int, line int, off int64, format string, args ...any) (int, error) {
	s.lineAt(b, i)
	s.off += int64(i)
	return i, &sources.RecordError{Source: s.source, File: s.file, Line: line, Offset: s.base + off, Err: fmt.Errorf(format, args...)}
}

// lineAt is the line of byte i of b, b being the bytes after s.off. Within
// one b, i never goes back: newlines are counted once.
func (s *scanner) lineAt(b []byte, i int) int {
	s.lines += bytes.Count(b[s.lineIdx:i], []byte("\n"))
	s.lineIdx = i
	return s.lines + 1
}

// scan follows b and returns how many of its bytes may be passed on.
func (s *scanner) scan(b []byte) (int, error) {
	s.lineIdx = 0
	lim := &s.lim
	for i := 0; i < len(b); i++ {
		c := b[i]
		if s.state == sText {
			// The common case: skip to the next tag.
			j := bytes.IndexByte(b[i:], '<')
			end := len(b)
			if j >= 0 {
				end = i + j
			}
			if s.rootClosed {
				for k := i; k < end; k++ {
					if !isSpace(b[k]) {
						return s.fail(b, k, s.lineAt(b, k), s.off+int64(k),
							"text after </%s>, which ends the document: not one XML document", s.root)
					}
				}
			}
			if s.onStray != nil && s.recDepth == 0 && s.depth >= 1 && !s.rootClosed {
				s.collectStray(b, i, end)
			}
			if s.run+(end-i) > lim.TextBytes {
				k := i + lim.TextBytes - s.run
				return s.fail(b, k, s.lineAt(b, k), s.off+int64(k),
					"a text of over %d bytes: %w", lim.TextBytes, sources.ErrLimit)
			}
			if s.recDepth > 0 && s.off+int64(end)-s.recStart > int64(lim.RecordBytes) {
				k := max(i, int(s.recStart+int64(lim.RecordBytes)-s.off))
				return s.fail(b, k, s.recLine, s.recStart, "<%s> longer than %d bytes: %w", s.recName, lim.RecordBytes, sources.ErrLimit)
			}
			s.run += end - i
			if j < 0 {
				break
			}
			i = end
			c = '<'
			if len(s.stray) > 0 {
				s.flushStray()
			}
			s.state, s.run, s.runStart, s.runLine = sTagOpen, 1, s.off+int64(i), s.lineAt(b, i)
			continue
		}
		s.run++
		switch s.state {
		case sTagOpen:
			switch c {
			case '/':
				s.state, s.endName = sEnd, s.endName[:0]
			case '?':
				s.state, s.marks = sPI, 0
			case '!':
				s.state, s.bang = sBang, s.bang[:0]
			default:
				s.state, s.name, s.named, s.quote, s.last = sStart, append(s.name[:0], c), false, 0, c
			}
		case sStart:
			switch {
			case s.quote != 0:
				if c == s.quote {
					s.quote = 0
				}
			case c == '"' || c == '\'':
				s.quote, s.named, s.last = c, true, c
			case c == '>':
				if k, err := s.startElement(b, i); err != nil {
					return k, err
				}
				s.recordEnded(i)
				continue
			case isSpace(c) || c == '/':
				s.named = true
			case !s.named && len(s.name) < nameMax:
				s.name = append(s.name, c)
			}
			if !isSpace(c) {
				s.last = c
			}
		case sEnd:
			if c == '>' {
				if s.checkNames && s.depth <= 2 && s.depth > 0 {
					want := s.root
					if s.depth == 2 {
						want = s.d2Name
					}
					if got := localName(bytes.TrimSpace(s.endName)); got != want {
						return s.fail(b, i, s.runLine, s.runStart, "element <%s> closed by </%s>", want, got)
					}
				}
				s.endElement()
				s.state, s.run = sText, 0
				s.recordEnded(i)
				continue
			}
			if s.checkNames && len(s.endName) < nameMax {
				s.endName = append(s.endName, c)
			}
		case sPI:
			if c == '>' && s.marks > 0 {
				s.state, s.run = sText, 0
				continue
			}
			s.marks = 0
			if c == '?' {
				s.marks = 1
			}
		case sBang:
			// As encoding/xml: <!-- and <![CDATA[ must be whole (else the
			// decoder fails); any other first byte opens a declaration and
			// is taken as it is (not as a quote or bracket).
			s.bang = append(s.bang, c)
			switch {
			case string(s.bang) == "--":
				s.state, s.run, s.marks = sComment, 0, 0
			case string(s.bang) == "[CDATA[":
				s.state, s.run, s.marks = sCDATA, 0, 0
			case strings.HasPrefix("--", string(s.bang)) || strings.HasPrefix("[CDATA[", string(s.bang)):
			default:
				s.state, s.quote, s.subset = sDecl, 0, 0
			}
			continue
		case sComment, sCDATA:
			if s.run > lim.TextBytes {
				return s.fail(b, i, s.lineAt(b, i), s.off+int64(i), "a comment or CDATA section of over %d bytes: %w", lim.TextBytes, sources.ErrLimit)
			}
			closer := byte('-')
			if s.state == sCDATA {
				closer = ']'
			}
			switch {
			case c == '>' && s.marks >= 2:
				s.state, s.run = sText, 0
				continue
			case c == closer:
				s.marks++
			default:
				s.marks = 0
			}
		case sDecl:
			// As encoding/xml: quotes, nested <...> and comments.
			switch {
			case s.quote != 0:
				if c == s.quote {
					s.quote = 0
				}
			case c == '>' && s.subset == 0:
				s.state, s.run = sText, 0
				continue
			case c == '"' || c == '\'':
				s.quote = c
			case c == '>':
				s.subset--
			case c == '<':
				s.state, s.marks = sDeclLT, 0
			}
		case sDeclLT:
			if c == "!--"[s.marks] {
				if s.marks++; s.marks == 3 {
					s.state, s.marks = sDeclCom, 0
				}
				break
			}
			s.subset++
			s.state = sDecl
			i-- // c again, in the declaration
			s.run--
			continue
		case sDeclCom:
			switch {
			case s.marks >= 2:
				s.state = sDecl // "--" ends the comment; the decoder wants a > next
			case c == '-':
				s.marks++
			default:
				s.marks = 0
			}
		}
		if s.run > lim.TagBytes && s.state != sComment && s.state != sCDATA {
			return s.fail(b, i, s.runLine, s.runStart, "a tag of over %d bytes: %w", lim.TagBytes, sources.ErrLimit)
		}
		if s.recDepth > 0 && s.off+int64(i)-s.recStart >= int64(lim.RecordBytes) {
			return s.fail(b, i, s.recLine, s.recStart, "<%s> longer than %d bytes: %w", s.recName, lim.RecordBytes, sources.ErrLimit)
		}
	}
	s.lineAt(b, len(b))
	s.off += int64(len(b))
	return len(b), nil
}

// startElement handles the > of a start tag at b[i].
func (s *scanner) startElement(b []byte, i int) (int, error) {
	self := s.last == '/'
	s.state, s.run = sText, 0
	if s.rootClosed {
		return s.fail(b, i, s.runLine, s.runStart, "an element after </%s>, which ends the document: not one XML document", s.root)
	}
	s.depth++
	d := s.depth
	if d > s.lim.Depth {
		return s.fail(b, i, s.runLine, s.runStart, "elements nested over %d deep: %w", s.lim.Depth, sources.ErrLimit)
	}
	name := ""
	container := false
	if d == 2 {
		name = localName(s.name)
		s.d2Name = name
		container = contains(s.containers, name)
		s.inContainer = !self && container
		if s.onContainer != nil {
			s.d2Raw = string(s.name)
			if container {
				s.onContainer(s.runStart, s.off+int64(i)+1, self)
			}
		}
	}
	// A container is never a record, even empty (<ENTITIES/>).
	if s.recDepth == 0 && ((d == 2 && !container) || (d == 3 && s.inContainer)) {
		if d == 3 {
			name = localName(s.name)
		}
		s.recDepth, s.recName, s.recStart, s.recLine, s.recElems = d, name, s.runStart, s.runLine, 0
	}
	if s.recDepth > 0 {
		if s.recElems++; s.recElems > s.lim.RecordElements {
			return s.fail(b, i, s.recLine, s.recStart, "<%s> holds over %d elements: %w", s.recName, s.lim.RecordElements, sources.ErrLimit)
		}
	}
	if self {
		s.endElement()
	}
	return 0, nil
}

func (s *scanner) endElement() {
	if s.depth == 0 {
		return // a stray end tag: the decoder reports it
	}
	if s.depth == s.recDepth {
		s.recDepth = 0
		s.recEnded = true
	}
	s.depth--
	if s.depth == 0 {
		s.rootClosed = true
	}
}

// recordEnded tells onRecord of a record whose end tag's > is b[i].
func (s *scanner) recordEnded(i int) {
	if !s.recEnded {
		return
	}
	s.recEnded = false
	if s.onRecord != nil {
		s.onRecord(s.off + int64(i) + 1)
	}
}

// strayMax is how much of a text outside records an issue quotes.
const strayMax = 80

// collectStray keeps the first bytes of non-space text in b[i:end].
func (s *scanner) collectStray(b []byte, i, end int) {
	for k := i; k < end && len(s.stray) < strayMax; k++ {
		if len(s.stray) == 0 {
			if isSpace(b[k]) {
				continue
			}
			s.strayLine = s.lineAt(b, k)
		}
		s.stray = append(s.stray, b[k])
	}
}

func (s *scanner) flushStray() {
	in := s.root
	if s.depth >= 2 {
		in = s.d2Name
	}
	s.onStray(s.strayLine, string(s.stray), in)
	s.stray = s.stray[:0]
}

// atEOF refuses a document that ends before its root element is closed.
func (s *scanner) atEOF() error {
	if s.rootClosed && s.state == sText {
		return nil
	}
	where := ""
	switch {
	case s.recDepth > 0:
		where = fmt.Sprintf(" inside <%s> (from line %d)", s.recName, s.recLine)
	case s.depth >= 2:
		where = fmt.Sprintf(" inside <%s>", s.d2Name)
	case s.depth == 1:
		where = fmt.Sprintf(" inside <%s>", s.root)
	}
	if s.state != sText {
		where = " in the middle of a tag" + where
	}
	return &sources.RecordError{Source: s.source, File: s.file, Line: s.lines + 1, Offset: s.base + s.off,
		Err: fmt.Errorf("the file ends at byte %d%s, before the </%s> that ends the document: truncated: %w", s.base+s.off, where, s.root, sources.ErrIncomplete)}
}

func localName(name []byte) string {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

package seco

import (
	"bytes"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/xmlstream"
)

// topScanner follows the document's structure byte by byte, only as far
// as the first pass needs it: where each child of the root starts and
// ends. It hands over the start tag of every top-level <target> and every
// <place> and <sanctions-program> whole, and holds nothing else: text,
// comments and the targets' contents are skipped without being kept. It
// follows XML's syntax only as far as that needs (tags, quoted attribute
// values, comments, CDATA, processing instructions, declarations); the
// second pass checks that the document is well-formed.
//
// It is written by hand because encoding/xml's tokenizer, the cheapest
// standard reader, made the first pass cost more than the second (0.89 s
// of 1.47 s on a 32 MB list, BenchmarkLookups32MB); this takes a tenth.
type topScanner struct {
	state  int
	depth  int // open elements; the root is depth 1
	lines  int // newlines before the current byte
	quote  byte
	marks  int // closing bytes matched: "--" of "-->", "]]" of "]]>", "?" of "?>"
	bang   int // bytes seen after "<!", until its kind is known
	subset int // open "[" of a declaration's internal subset
	declLT int // bytes of "<!--" matched inside a declaration
	last   byte
	// The tag being kept: a child of the root (depth 1), or the XML
	// declaration.
	tag     []byte
	tagOn   bool
	tagLine int
	// The <place> or <sanctions-program> being kept whole.
	elem     []byte
	elemOn   bool
	elemLine int
	decl     []byte // the XML declaration, line ends made spaces

	onTarget  func(tag []byte, line int) error
	onElement func(elem []byte, line int) error
}

const (
	stText = iota
	stLT
	stStart
	stEnd
	stPI
	stBang
	stComment
	stCDATA
	stDecl
	stDeclComment // a comment inside a declaration's internal subset
)

// scan reads the next block of the document.
func (s *topScanner) scan(b []byte) error {
	tagFrom, elemFrom := 0, 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if s.state == stText {
			// Skip to the next tag; only newlines matter in text.
			j := bytes.IndexByte(b[i:], '<')
			if j < 0 {
				s.lines += bytes.Count(b[i:], []byte("\n"))
				break
			}
			s.lines += bytes.Count(b[i:i+j], []byte("\n"))
			i += j
			s.state = stLT
			if s.depth == 1 || (s.depth == 0 && s.decl == nil) {
				s.tagOn, s.tag, s.tagLine, tagFrom = true, s.tag[:0], s.lines+1, i
			}
			continue
		}
		if c == '\n' {
			s.lines++
		}
		switch s.state {
		case stLT:
			switch c {
			case '/':
				s.state, s.tagOn = stEnd, false
			case '!':
				s.state, s.bang, s.tagOn = stBang, 0, false
			case '?':
				s.state, s.marks = stPI, 0
				s.tagOn = s.tagOn && s.depth == 0
			default:
				s.state, s.quote, s.last = stStart, 0, c
				s.tagOn = s.tagOn && s.depth == 1
			}
		case stStart:
			switch {
			case s.quote != 0:
				if c == s.quote {
					s.quote = 0
				}
			case c == '"' || c == '\'':
				s.quote = c
			case c == '>':
				if err := s.startTag(b, tagFrom, i, &elemFrom); err != nil {
					return err
				}
				s.state = stText
				continue
			case c != ' ' && c != '\t' && c != '\r' && c != '\n':
				s.last = c
			}
		case stEnd:
			if c == '>' {
				s.depth--
				s.state = stText
				if s.elemOn && s.depth == 1 {
					if err := s.keep(b[elemFrom : i+1]); err != nil {
						return err
					}
					s.elemOn = false
					if err := s.onElement(s.elem, s.elemLine); err != nil {
						return err
					}
				}
			}
		case stPI:
			switch {
			case c == '?':
				s.marks = 1
			case c == '>' && s.marks == 1:
				s.state = stText
				if s.tagOn {
					s.tagOn = false
					if err := s.keepTag(b[tagFrom : i+1]); err != nil {
						return err
					}
					if bytes.HasPrefix(s.tag, []byte("<?xml")) {
						s.decl = bytes.Map(func(r rune) rune {
							if r == '\n' || r == '\r' {
								return ' '
							}
							return r
						}, s.tag)
					}
				}
			default:
				s.marks = 0
			}
		case stBang:
			// "<!--", "<![CDATA[" or a declaration, told by the next bytes.
			s.bang++
			switch {
			case s.bang == 1 && c == '-':
			case s.bang == 2 && c == '-':
				s.state, s.marks = stComment, 0
			case s.bang == 1 && c == '[':
				s.state, s.marks = stCDATA, 0
			default:
				s.state, s.quote, s.subset, s.declLT = stDecl, 0, 0, 0
				i-- // this byte is the declaration's
				if c == '\n' {
					s.lines--
				}
			}
		case stComment:
			if s.closedBy(c, '-') {
				s.state = stText
			}
		case stCDATA:
			if s.closedBy(c, ']') {
				s.state = stText
			}
		case stDecl:
			// A comment inside the internal subset may hold quotes,
			// brackets and ">": it is skipped as one.
			if s.quote == 0 && c == "<!--"[s.declLT] {
				if s.declLT++; s.declLT == 4 {
					s.state, s.declLT, s.marks = stDeclComment, 0, 0
				}
				continue
			}
			s.declLT = 0
			switch {
			case s.quote != 0:
				if c == s.quote {
					s.quote = 0
				}
			case c == '"' || c == '\'':
				s.quote = c
			case c == '[':
				s.subset++
			case c == ']':
				s.subset--
			case c == '>' && s.subset <= 0:
				s.state = stText
			}
		case stDeclComment:
			if s.closedBy(c, '-') {
				s.state = stDecl
			}
		}
	}
	// The block ends inside a kept tag or element: keep what it holds.
	if s.tagOn {
		if err := s.keepTag(b[tagFrom:]); err != nil {
			return err
		}
	}
	if s.elemOn {
		if err := s.keep(b[elemFrom:]); err != nil {
			return err
		}
	}
	return nil
}

// startTag ends a start tag at b[i] ('>').
// closedBy follows the end of a comment or a CDATA section, two or more
// mark bytes and then '>': it reports whether c ends it.
func (s *topScanner) closedBy(c, mark byte) bool {
	switch {
	case c == mark:
		s.marks++
	case c == '>' && s.marks >= 2:
		return true
	default:
		s.marks = 0
	}
	return false
}

func (s *topScanner) startTag(b []byte, tagFrom, i int, elemFrom *int) error {
	selfClosed := s.last == '/'
	if s.tagOn {
		s.tagOn = false
		if err := s.keepTag(b[tagFrom : i+1]); err != nil {
			return err
		}
		switch tagName(s.tag) {
		case "place", "sanctions-program":
			if selfClosed {
				if err := s.onElement(s.tag, s.tagLine); err != nil {
					return err
				}
				break
			}
			s.elemOn, s.elem, s.elemLine, *elemFrom = true, append(s.elem[:0], s.tag...), s.tagLine, i+1
		case "target":
			if err := s.onTarget(s.tag, s.tagLine); err != nil {
				return err
			}
		}
	}
	if !selfClosed {
		s.depth++
	}
	return nil
}

// keepTag adds to the tag kept, within xmlstream's bound on one tag.
func (s *topScanner) keepTag(b []byte) error {
	if len(s.tag)+len(b) > xmlstream.DefaultTagBytes {
		return s.limit(s.tagLine, fmt.Sprintf("a tag longer than %d bytes", xmlstream.DefaultTagBytes))
	}
	s.tag = append(s.tag, b...)
	return nil
}

// keep adds to the element kept, within the bound on one record.
func (s *topScanner) keep(b []byte) error {
	if len(s.elem)+len(b) > maxElement {
		return s.limit(s.elemLine, fmt.Sprintf("a <%s> longer than %d bytes", tagName(s.elem), maxElement))
	}
	s.elem = append(s.elem, b...)
	return nil
}

func (s *topScanner) limit(line int, what string) error {
	return &sources.RecordError{Source: Name, File: FileName, Line: line, Err: fmt.Errorf("%s: %w", what, sources.ErrLimit)}
}

// complete reports whether the document ended where it may end: after
// its root, outside any markup.
func (s *topScanner) complete() bool { return s.state == stText && s.depth == 0 }

// tagName is the local name of the start tag tag ("<ns:place ..." gives
// place).
func tagName(tag []byte) string {
	if len(tag) < 2 {
		return ""
	}
	end := 1
	for end < len(tag) && !bytes.ContainsRune([]byte(" \t\r\n/>"), rune(tag[end])) {
		end++
	}
	name := tag[1:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return string(name)
}

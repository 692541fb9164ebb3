package sources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	bomUTF32LE = []byte{0xFF, 0xFE, 0x00, 0x00}
	bomUTF32BE = []byte{0x00, 0x00, 0xFE, 0xFF}
)

// CheckStart checks how a publication file starts, for every format: an
// empty file and a UTF-16 or UTF-32 byte order mark make it unusable
// (publishers promise UTF-8); a UTF-8 byte order mark is dropped with an
// issue (legal, and common in re-saved copies). br is left after any mark,
// and start is the file offset it is left at (the mark's length, or 0), for
// the byte offsets of later errors.
func CheckStart(br *bufio.Reader, source, file string, issues *Issues) (start int64, err error) {
	fail := func(line int, err error) error {
		return &RecordError{Source: source, File: file, Line: line, Err: err}
	}
	head, _ := br.Peek(len(bomUTF32LE))
	switch {
	case bytes.HasPrefix(head, bomUTF32LE), bytes.HasPrefix(head, bomUTF32BE):
		return 0, fail(1, errors.New("UTF-32 byte order mark at byte 0: the document is UTF-32, expected UTF-8"))
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return 0, fail(1, errors.New("UTF-16 byte order mark at byte 0: the document is UTF-16, expected UTF-8"))
	case bytes.HasPrefix(head, bomUTF8):
		br.Discard(len(bomUTF8))
		start = int64(len(bomUTF8))
		issues.Addf(file, 1, "", "UTF-8 byte order mark at the start; dropped")
	case len(head) >= 2 && (head[0] == 0) != (head[1] == 0):
		// "<\x00" or "\x00<": UTF-16 text without a byte order mark.
		return 0, fail(1, errors.New("NUL bytes from byte 0: the file is UTF-16 without a byte order mark, expected UTF-8"))
	}
	if _, err := br.Peek(1); err == io.EOF {
		return start, fail(0, errors.New("empty file"))
	} else if err != nil {
		return start, fail(0, err)
	}
	return start, nil
}

// RefuseMarkup fails when a file that should be CSV starts, after blank
// lines, with markup: an HTML error page served (or saved) in place of the
// list, named as one, or an XML document.
func RefuseMarkup(br *bufio.Reader, source, file string) error {
	b, _ := br.Peek(512)
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 || t[0] != '<' {
		return nil
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if len(first) > 60 {
		first = append(bytes.Clone(first[:60]), "…"...)
	}
	line := 1 + bytes.Count(b[:len(b)-len(t)], []byte("\n"))
	what := "an XML document, not CSV"
	if lower := bytes.ToLower(t); bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) {
		what = "an HTML page, not the CSV list"
	}
	return &RecordError{Source: source, File: file, Line: line, Err: fmt.Errorf("%s (starts %q)", what, first)}
}

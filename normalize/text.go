// Package normalize turns published values into comparable forms: clean
// text, name parts, scripts, transliterations and match keys. Every
// function is pure and deterministic.
package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Text returns s in Unicode NFC with runs of white space (including
// non-breaking spaces and line breaks) collapsed to one space and trimmed.
func Text(s string) string {
	if s == "" {
		return ""
	}
	if isCleanASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			space = true
			continue
		}
		if unicode.IsControl(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	// Compose last: a control character dropped above may have stood
	// between a letter and its combining mark.
	return norm.NFC.String(b.String())
}

// isCleanASCII reports whether s is printable ASCII with single inner
// spaces and no leading or trailing space: the common case, left as is.
func isCleanASCII(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c < ' ' || c == 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return true
}

// JoinNonEmpty joins the values that are not empty with sep: the parts of
// an address or a name, any of which a publisher may leave out.
func JoinNonEmpty(sep string, values ...string) string {
	var b strings.Builder
	for _, v := range values {
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(v)
	}
	return b.String()
}

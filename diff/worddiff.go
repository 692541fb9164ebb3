package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// segOp says which side of a word diff a segment belongs to.
type segOp byte

const (
	segEqual segOp = iota // on both sides
	segDel                // before only
	segIns                // after only
)

// segment is a run of text of a word diff.
type segment struct {
	Op   segOp
	Text string
}

// maxDiffCells bounds the work of one word diff: the part of two texts
// between their common start and end is compared token by token only while
// tokens(before) * tokens(after) stays under it (a table of int32, 160 KB
// at most); past it that part is shown as removed whole and added whole.
const maxDiffCells = 40_000

// wordDiff compares two texts word by word: words (letters and digits),
// runs of spaces and single other characters are the tokens. Concatenating
// the segments that are not segIns gives before, those not segDel after.
// Changes separated by a single space are joined, so that a reworded
// phrase reads as one change rather than a word salad.
func wordDiff(before, after string) []segment {
	a, b := tokens(before), tokens(after)
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	var segs []segment
	add := func(op segOp, text string) {
		if text == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Op == op {
			segs[n-1].Text += text
			return
		}
		segs = append(segs, segment{op, text})
	}
	add(segEqual, strings.Join(a[:p], ""))
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	if len(ma)*len(mb) > maxDiffCells {
		add(segDel, strings.Join(ma, ""))
		add(segIns, strings.Join(mb, ""))
	} else {
		for _, sg := range lcsDiff(ma, mb) {
			add(sg.Op, sg.Text)
		}
	}
	add(segEqual, strings.Join(a[len(a)-s:], ""))
	return joinChanges(segs)
}

// tokens cuts s into words, runs of white space and single other runes.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		switch {
		case isWordRune(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// lcsDiff is the classic longest-common-subsequence diff of two token
// lists, removals before additions within a change.
func lcsDiff(a, b []string) []segment {
	n, m := len(a), len(b)
	w := m + 1
	// l[i*w+j] is the LCS length of a[i:] and b[j:].
	l := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i*w+j] = l[(i+1)*w+j+1] + 1
			} else {
				l[i*w+j] = max(l[(i+1)*w+j], l[i*w+j+1])
			}
		}
	}
	var out []segment
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			out = append(out, segment{segEqual, a[i]})
			i++
			j++
		case j == m || i < n && l[(i+1)*w+j] >= l[i*w+j+1]:
			out = append(out, segment{segDel, a[i]})
			i++
		default:
			out = append(out, segment{segIns, b[j]})
			j++
		}
	}
	return out
}

// joinChanges merges the removals and additions between two unchanged
// runs into one removal and one addition, and takes a lone space (or
// punctuation mark) between two changes into them.
func joinChanges(segs []segment) []segment {
	var out []segment
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, segment{segDel, del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, segment{segIns, ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for i, sg := range segs {
		switch {
		case sg.Op == segDel:
			del.WriteString(sg.Text)
		case sg.Op == segIns:
			ins.WriteString(sg.Text)
		case i > 0 && i < len(segs)-1 && (del.Len() > 0 || ins.Len() > 0) && isGlue(sg.Text):
			del.WriteString(sg.Text)
			ins.WriteString(sg.Text)
		default:
			flush()
			out = append(out, sg)
		}
	}
	flush()
	return out
}

// isGlue: a run too small to stand between two changes on its own.
func isGlue(s string) bool {
	if strings.TrimSpace(s) == "" {
		return true
	}
	r, n := utf8.DecodeRuneInString(s)
	return n == len(s) && !isWordRune(r)
}

package sourcetest

import "io"

// Repeat yields s n times without holding it all: the hostile inputs of
// the size-limit tests (50 MB of one text node, a million nested tags).
func Repeat(s string, n int) io.Reader {
	return io.LimitReader(&cycle{s: s}, int64(len(s)*n))
}

type cycle struct {
	s string
	i int
}

func (c *cycle) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], c.s[c.i:])
		n += k
		c.i = (c.i + k) % len(c.s)
	}
	return n, nil
}

// Package progress prints an operator's progress lines for long work: bytes
// fetched, records parsed, objects published. Only cmd decides whether they
// are wanted (on a terminal); a nil *Reporter, and every *Stage it gives,
// prints nothing and costs a nil check, so libraries call it unconditionally.
//
// A stage prints at most one line per Config.Every, the first only after
// Every has passed (short work prints none), then one last line, ending in
// "done", when it finishes:
//
//	us_ofac_sdn: fetch SDN_ADVANCED.XML 42.1 MB of 118.0 MB
//	us_ofac_sdn: parse 12,345 records
//	us_ofac_sdn: publish 7 of 9 objects
package progress

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultEvery is the least time between two lines of one stage.
const DefaultEvery = time.Second

// Config tunes a Reporter. The zero value is what cmd wants.
type Config struct {
	Every time.Duration    // 0 = DefaultEvery
	Now   func() time.Time // nil = time.Now; tests inject a clock
}

// output is the writer the Reporters of one process share, with the lock
// that keeps their lines whole.
type output struct {
	mu    sync.Mutex
	w     io.Writer
	every time.Duration
	now   func() time.Time
}

// Reporter starts stages whose lines go to one writer. Safe for concurrent
// use; the nil Reporter is disabled.
type Reporter struct {
	out    *output
	prefix string // "us_ofac_sdn: ", or ""
}

// New returns a Reporter writing to w, or nil (disabled) unless enabled.
func New(w io.Writer, enabled bool, cfg Config) *Reporter {
	if !enabled || w == nil {
		return nil
	}
	o := &output{w: w, every: cfg.Every, now: cfg.Now}
	if o.every <= 0 {
		o.every = DefaultEvery
	}
	if o.now == nil {
		o.now = time.Now
	}
	return &Reporter{out: o}
}

// With returns a Reporter whose lines start with "source: ".
func (r *Reporter) With(source string) *Reporter {
	if r == nil {
		return nil
	}
	return &Reporter{out: r.out, prefix: r.prefix + source + ": "}
}

// Bytes starts a stage counting bytes, e.g. Bytes("fetch SDN.XML", n);
// total < 0 means unknown.
func (r *Reporter) Bytes(what string, total int64) *Stage {
	return r.stage(what, "", total)
}

// Count starts a stage counting things named noun, e.g. Count("parse",
// "records", -1); total < 0 means unknown.
func (r *Reporter) Count(what, noun string, total int64) *Stage {
	return r.stage(what, noun, total)
}

func (r *Reporter) stage(what, noun string, total int64) *Stage {
	if r == nil {
		return nil
	}
	return &Stage{out: r.out, label: r.prefix + what, noun: noun, total: total, last: r.out.now()}
}

// Stage is one piece of long work being counted. Safe for concurrent use
// (a publication's uploads run in parallel); the nil Stage does nothing.
type Stage struct {
	out   *output
	label string
	noun  string // "" counts bytes
	total int64

	mu   sync.Mutex
	n    int64
	last time.Time // of the stage's start or its last line
	done bool
}

// Add counts n more and prints a line if Every has passed since the last.
func (s *Stage) Add(n int64) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.n += n
	now := s.out.now()
	if now.Sub(s.last) < s.out.every {
		return
	}
	s.last = now
	s.out.print(s.line(false))
}

// Done prints the stage's last line, with its final count; call it once the
// work succeeded (a failure is told by the error, not here). Later calls
// and Adds do nothing.
func (s *Stage) Done() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.done = true
	s.out.print(s.line(true))
}

// Reader returns r counting what is read from it into the stage; r itself
// when the stage is nil.
func (s *Stage) Reader(r io.Reader) io.Reader {
	if s == nil {
		return r
	}
	return &countingReader{r: r, s: s}
}

type countingReader struct {
	r io.Reader
	s *Stage
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.s.Add(int64(n))
	}
	return n, err
}

// line formats the stage's count; a done line leaves out a total it reached.
func (s *Stage) line(done bool) string {
	format := groupDigits
	if s.noun == "" {
		format = formatBytes
	}
	text := s.label + " " + format(s.n)
	last := s.n // the number the noun follows
	if s.total >= 0 && !(done && s.n == s.total) {
		text += " of " + format(s.total)
		last = s.total
	}
	if s.noun != "" {
		noun := s.noun
		if last == 1 {
			noun = strings.TrimSuffix(noun, "s")
		}
		text += " " + noun
	}
	if done {
		text += " done"
	}
	return text
}

// print writes one line. A failed write is ignored: progress is a
// courtesy, and a closed terminal must not fail a run.
func (o *output) print(line string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	io.WriteString(o.w, line+"\n")
}

// formatBytes uses decimal units, as download tools and file managers do.
// A unit ends where its rounding would print 1000.0.
func formatBytes(n int64) string {
	switch {
	case n < 1000:
		return strconv.FormatInt(n, 10) + " B"
	case n < 999_950:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 999_950_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// groupDigits writes n with thousands separators: 12,345.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// ctxKey carries a Reporter in a context.
type ctxKey struct{}

// NewContext makes r the Reporter of work under ctx (a run's fetches, which
// get no Config of the run's); a nil r leaves ctx as it is.
func NewContext(ctx context.Context, r *Reporter) context.Context {
	if r == nil {
		return ctx
	}
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the Reporter NewContext put in ctx, else nil.
func FromContext(ctx context.Context) *Reporter {
	r, _ := ctx.Value(ctxKey{}).(*Reporter)
	return r
}

package diff

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
)

// The coverage pages of a combined version (DESIGN.md, Combined dataset):
// who lists whom. A party is a cluster of linked entities, or one entity
// no link joined; for each program family, the parties listed by some
// publishers and not by others, with the evidence of every link.

// CoverageMember is one entity of a party.
type CoverageMember struct {
	ID        string   `json:"id"`
	Source    string   `json:"source"`
	Publisher string   `json:"publisher"` // jurisdiction code: UN, US, EU, UK, CH, CA, AU
	Name      string   `json:"name"`
	Type      string   `json:"type,omitempty"`
	Programs  []string `json:"programs,omitempty"`
}

// CoverageEvidence is one fact a link rests on, as each entity prints it.
type CoverageEvidence struct {
	Field string `json:"field"`
	A     string `json:"a"`
	B     string `json:"b"`
}

// CoverageLink is one link between two members of a party (or, for a
// link below the cluster threshold, to an entity outside it).
type CoverageLink struct {
	A        string             `json:"a"`
	B        string             `json:"b"`
	Basis    string             `json:"basis"`
	Score    float64            `json:"score"`
	Evidence []CoverageEvidence `json:"evidence,omitempty"`
}

// CoverageParty is one party: its cluster id, its members (sorted by id)
// and the links that touch them.
type CoverageParty struct {
	Cluster string
	Members []CoverageMember
	Links   []CoverageLink
}

// CoverageSource is one source version the combined version holds.
type CoverageSource struct {
	Source    string
	Publisher string
	Version   string
	Entities  int
	LastCheck string // the source's last run, when it failed: the version is its latest good one
}

// CoverageCitation is a reference number cited by records of other lists
// that the list it belongs to does not have.
type CoverageCitation struct {
	Reference string
	CitedBy   []string
}

// CoverageInput is what the pages say about the version as a whole.
type CoverageInput struct {
	Version      string
	PublishedAt  time.Time
	Publishers   []string // column order
	Sources      []CoverageSource
	Threshold    float64
	Links        int
	LinksByBasis map[string]int
	// Clusters, Clustered, Largest and MixedClusters are checked against
	// the parties added (0: not checked); the pages show the builder's own
	// counts (CoverageBuilder.Counts), which come from the parties listed.
	Clusters  int // clusters of two or more entities
	Clustered int // entities in them
	Largest   int
	// MixedClusters are clusters holding two entities of one source.
	MixedClusters int
	CitedNotFound []CoverageCitation
}

// CoverageCounts is what the builder counted in the parties added.
type CoverageCounts struct {
	Parties   int // clusters and single entities
	Entities  int // their members
	Clusters  int // parties of two or more entities
	Clustered int // entities in them
	Largest   int // members of the largest party
	Mixed     int // clusters holding two entities of one source
}

// ErrCoverageWritten: coverage.html was already written from this
// CoverageBuilder, whose rows are read once from disk.
var ErrCoverageWritten = errors.New("coverage: the rows were already written")

// coverageBudget is the row bytes each of a CoverageBuilder's two sorts
// holds before it spills a run to disk.
const coverageBudget = 2 << 20

// coverageLimit is the number of gap parties per family, and of mixed
// clusters, coverage.md lists.
const coverageLimit = 20

// Bases of a link in the order the pages list them, strongest first (the
// link package's; an unknown basis follows by name).
var coverageBases = []string{"reference", "identifier", "name_and_birth", "name"}

// CoverageBuilder gathers parties (Add) and writes coverage.md and
// coverage.html. It spills what the pages list to dir, so that memory does
// not grow with the number of parties: it holds counts per program family
// and publisher, and coverage.md's first rows. Not safe for concurrent use.
//
// Whether a party listed by two publishers is a gap (a publisher present
// in its family does not list it) is known only once every party is in, so
// rows go through two sorts: Add spills them keyed by family and name; the
// first Write reads them back in that order, keeps coverage.md's rows,
// and spills them again keyed by their final section (gap, listed by
// every publisher present, listed by one publisher) for coverage.html.
type CoverageBuilder struct {
	dir    string
	budget int

	counts    CoverageCounts
	families  map[string]*familyCoverage
	famCache  map[string]string // program tag -> family
	pubs      map[string]bool   // every member's publisher
	added     *extsort.Sorter   // stage 1, nil until the first Add
	seq       uint64
	key, val  []byte
	finalized bool
	written   bool // stage 2 was read (WriteHTML) or discarded (Close)
	closed    bool

	// Set by finalize.
	columns []string
	pages   *extsort.Sorter // stage 2
	mdGaps  map[string][]partyRow
	mdMixed []partyRow
}

// familyCoverage is what the pages count in one program family.
type familyCoverage struct {
	Parties int
	ByPub   map[string]int // parties each publisher lists
	BySize  map[int]int    // parties by their number of publishers
	Only    map[string]int // parties listed by that publisher alone
	Singles map[string]int // ... of which single entities
	Gaps    int            // set by finalize
}

// present is the number of publishers that list a party of the family.
func (f *familyCoverage) present() int { return len(f.ByPub) }

// byAll is the number of parties listed by every publisher present.
func (f *familyCoverage) byAll() int { return f.BySize[f.present()] }

func (f *familyCoverage) byOne() int { return f.BySize[1] }

// partyRow is one party as the pages list it, spilled as JSON.
type partyRow struct {
	Cluster string           `json:"c"`
	Names   []string         `json:"n"`           // distinct names, in member order
	Pubs    []string         `json:"p"`           // distinct publishers, sorted
	Mixed   []string         `json:"x,omitempty"` // sources with two or more members
	Members []CoverageMember `json:"m"`
	Links   []CoverageLink   `json:"l,omitempty"`
}

func (r *partyRow) single() bool { return len(r.Members) == 1 }

// Row key sections. Stage 1: mixed clusters, then per family its parties.
// Stage 2: mixed clusters, then per family its gaps, the parties listed by
// every publisher present, and the parties listed by one publisher (by
// publisher column).
const (
	secMixed  = 'x'
	secFamily = 'p' // stage 1
	secGap    = 'a' // stage 2, in page order
	secFull   = 'b'
	secOne    = 'c'

	// A key's first byte: mixed clusters come first, on both pages.
	leadMixed  = 0
	leadFamily = 1
)

// NewCoverageBuilder returns a builder spilling into dir ("": the system's
// temporary folder).
func NewCoverageBuilder(dir string) *CoverageBuilder {
	return &CoverageBuilder{
		dir:      dir,
		budget:   coverageBudget,
		families: map[string]*familyCoverage{},
		famCache: map[string]string{},
		pubs:     map[string]bool{},
	}
}

// Counts returns what the builder counted in the parties added so far.
func (b *CoverageBuilder) Counts() CoverageCounts { return b.counts }

// Add takes one party. Parties may come in any order: the pages sort them.
// It fails on a party without members, a member without an id, a source
// or a publisher, or when the party cannot be spilled.
func (b *CoverageBuilder) Add(p CoverageParty) error {
	if b.finalized {
		return fmt.Errorf("coverage: add %s: %w", p.Cluster, ErrCoverageWritten)
	}
	if len(p.Members) == 0 {
		return fmt.Errorf("coverage: party %q has no members", p.Cluster)
	}
	r := partyRow{Members: slices.Clone(p.Members), Links: slices.Clone(p.Links)}
	slices.SortFunc(r.Members, func(x, y CoverageMember) int { return strings.Compare(x.ID, y.ID) })
	slices.SortStableFunc(r.Links, func(x, y CoverageLink) int {
		return cmp.Or(strings.Compare(x.A, y.A), strings.Compare(x.B, y.B), strings.Compare(x.Basis, y.Basis))
	})
	r.Cluster = p.Cluster
	if r.Cluster == "" {
		r.Cluster = r.Members[0].ID // DESIGN.md: a cluster's id is its smallest member id
	}
	seen := map[string]bool{}
	perSource := map[string]int{}
	var programs []string
	for _, m := range r.Members {
		if m.ID == "" {
			return fmt.Errorf("coverage: party %s: a member without an id", r.Cluster)
		}
		if m.Publisher == "" || m.Source == "" {
			return fmt.Errorf("coverage: party %s: member %s has no publisher or no source", r.Cluster, m.ID)
		}
		if m.Name != "" && !seen[strings.ToLower(m.Name)] {
			seen[strings.ToLower(m.Name)] = true
			r.Names = append(r.Names, m.Name)
		}
		if !slices.Contains(r.Pubs, m.Publisher) {
			r.Pubs = append(r.Pubs, m.Publisher)
		}
		if perSource[m.Source]++; perSource[m.Source] == 2 {
			r.Mixed = append(r.Mixed, m.Source)
		}
		programs = append(programs, m.Programs...)
		b.pubs[m.Publisher] = true
	}
	if len(r.Names) == 0 {
		r.Names = []string{r.Cluster}
	}
	slices.Sort(r.Pubs)
	slices.Sort(r.Mixed)

	b.counts.Parties++
	b.counts.Entities += len(r.Members)
	b.counts.Largest = max(b.counts.Largest, len(r.Members))
	if len(r.Members) > 1 {
		b.counts.Clusters++
		b.counts.Clustered += len(r.Members)
	}

	var err error
	if b.val, err = json.Marshal(r); err != nil {
		return fmt.Errorf("coverage: party %s: %w", r.Cluster, err)
	}
	if len(r.Mixed) > 0 {
		b.counts.Mixed++
		if err := b.spill1(rowKey(b.key[:0], secMixed, "", 0, &r)); err != nil {
			return err
		}
	}
	for _, fam := range b.families1(programs) {
		fc := b.families[fam]
		if fc == nil {
			fc = &familyCoverage{ByPub: map[string]int{}, BySize: map[int]int{}, Only: map[string]int{}, Singles: map[string]int{}}
			b.families[fam] = fc
		}
		fc.Parties++
		for _, pub := range r.Pubs {
			fc.ByPub[pub]++
		}
		fc.BySize[len(r.Pubs)]++
		if len(r.Pubs) == 1 {
			fc.Only[r.Pubs[0]]++
			if r.single() {
				fc.Singles[r.Pubs[0]]++
			}
		}
		if err := b.spill1(rowKey(b.key[:0], secFamily, fam, 0, &r)); err != nil {
			return err
		}
	}
	return nil
}

func (b *CoverageBuilder) spill1(key []byte) error {
	b.key = key
	if b.added == nil {
		b.added = extsort.New(b.dir, b.budget)
	}
	b.seq++
	if err := b.added.Add(b.key, b.val, b.seq); err != nil {
		return fmt.Errorf("coverage: spill: %w", err)
	}
	return nil
}

// families1 returns the program families of a party's programs, in section
// order; noFamily alone for none.
func (b *CoverageBuilder) families1(programs []string) []string {
	var fams []string
	for _, p := range programs {
		if strings.TrimSpace(p) == "" {
			continue // an empty tag is no program, not a family named ""
		}
		f, ok := b.famCache[p]
		if !ok {
			f, _ = familyOf(p)
			b.famCache[p] = f
		}
		fams = append(fams, f)
	}
	if len(fams) == 0 {
		return []string{noFamily}
	}
	slices.SortFunc(fams, compareFamilies)
	return slices.Compact(fams)
}

// rowKey orders rows: mixed clusters, then family rows (1 byte); for a family's rows the family's
// rank (2 bytes), name and 0, then the row's section (1 byte) and the
// publisher column of a one-publisher row (2 bytes); then the party's name
// folded to lower case, 0, and its cluster id, which make the order total.
func rowKey(dst []byte, sec byte, family string, column int, r *partyRow) []byte {
	if sec == secMixed {
		dst = append(dst, leadMixed)
	} else {
		dst = append(dst, leadFamily)
		rank := familyRank(family)
		dst = append(dst, byte(rank>>8), byte(rank))
		dst = append(dst, family...)
		dst = append(dst, 0, sec, byte(column>>8), byte(column))
	}
	dst = append(dst, strings.ToLower(r.Names[0])...)
	dst = append(dst, 0)
	return append(dst, r.Cluster...)
}

// parseRowKey returns the section and family of a row key.
func parseRowKey(key []byte) (sec byte, family string, err error) {
	if len(key) > 0 && key[0] == leadMixed {
		return secMixed, "", nil
	}
	if len(key) < 3 || key[0] != leadFamily {
		return 0, "", fmt.Errorf("coverage: bad row key %q", key)
	}
	rest := key[3:]
	i := slices.Index(rest, 0)
	if i < 0 || i+1 >= len(rest) {
		return 0, "", fmt.Errorf("coverage: bad row key %q", key)
	}
	return rest[i+1], string(rest[:i]), nil
}

// columnsOf is the publisher columns: in.Publishers in order, then any
// other publisher a member has, by name, so that none is left out.
func (b *CoverageBuilder) columnsOf(in CoverageInput) []string {
	var cols []string
	for _, p := range in.Publishers {
		if !slices.Contains(cols, p) {
			cols = append(cols, p)
		}
	}
	var more []string
	for p := range b.pubs {
		if !slices.Contains(cols, p) {
			more = append(more, p)
		}
	}
	slices.Sort(more)
	return append(cols, more...)
}

// finalize reads the parties back in family and name order, keeps
// coverage.md's rows, and spills every row again under its final section.
// It runs once, at the first Write.
func (b *CoverageBuilder) finalize(in CoverageInput) error {
	if b.closed {
		return fmt.Errorf("coverage: write after Close: %w", ErrCoverageWritten)
	}
	if b.finalized {
		return nil
	}
	b.finalized = true
	if err := b.check(in); err != nil {
		return err
	}
	b.columns = b.columnsOf(in)
	b.mdGaps = map[string][]partyRow{}
	if b.added == nil {
		return nil
	}
	stage1 := b.added
	b.added = nil
	b.pages = extsort.New(b.dir, b.budget)
	it, err := stage1.Sort()
	if err == nil {
		for it.Next() {
			if err = b.restage(it.Key(), it.Value()); err != nil {
				break
			}
		}
		if err == nil {
			err = it.Err()
		}
	}
	if cerr := it.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("coverage: rows: %w", err)
	}
	return nil
}

// restage spills one stage-1 row under its final section.
func (b *CoverageBuilder) restage(key, val []byte) error {
	sec, fam, err := parseRowKey(key)
	if err != nil {
		return err
	}
	var r partyRow
	if err := json.Unmarshal(val, &r); err != nil {
		return fmt.Errorf("coverage: row %q: %w", key, err)
	}
	column := 0
	switch {
	case sec == secMixed:
		if len(b.mdMixed) < coverageLimit {
			b.mdMixed = append(b.mdMixed, r)
		}
	case len(r.Pubs) == 1:
		sec, column = secOne, slices.Index(b.columns, r.Pubs[0])
	case len(r.Pubs) < b.families[fam].present():
		// A party's publishers are among those present in its family, so
		// fewer means one present does not list it.
		sec = secGap
		b.families[fam].Gaps++
		if len(b.mdGaps[fam]) < coverageLimit {
			b.mdGaps[fam] = append(b.mdGaps[fam], r)
		}
	default:
		sec = secFull
	}
	b.key = rowKey(b.key[:0], sec, fam, column, &r)
	b.seq++
	return b.pages.Add(b.key, val, b.seq)
}

// check compares the input's cluster counts, where given, with the
// parties added: a difference means the pages would not show the
// combined version's clusters.
func (b *CoverageBuilder) check(in CoverageInput) error {
	for _, c := range []struct {
		what     string
		in, have int
	}{
		{"clusters", in.Clusters, b.counts.Clusters},
		{"clustered entities", in.Clustered, b.counts.Clustered},
		{"largest cluster", in.Largest, b.counts.Largest},
		{"mixed clusters", in.MixedClusters, b.counts.Mixed},
	} {
		if c.in != 0 && c.in != c.have {
			return fmt.Errorf("coverage: the input says %d %s, the parties added make %d", c.in, c.what, c.have)
		}
	}
	return nil
}

// eachRow calls fn with every stage-2 row in page order, once: the rows
// are read back from disk and removed.
func (b *CoverageBuilder) eachRow(fn func(sec byte, family string, r *partyRow) error) error {
	if b.written {
		return ErrCoverageWritten
	}
	b.written = true
	if b.pages == nil {
		return nil
	}
	err := b.pages.Each(func(key, value []byte) error {
		sec, fam, err := parseRowKey(key)
		if err != nil {
			return err
		}
		var r partyRow
		if err := json.Unmarshal(value, &r); err != nil {
			return err
		}
		return fn(sec, fam, &r)
	})
	b.pages = nil
	if err != nil {
		return fmt.Errorf("coverage: rows: %w", err)
	}
	return nil
}

// Close removes the spill files. The Write methods fail after it.
func (b *CoverageBuilder) Close() error {
	b.finalized, b.written, b.closed = true, true, true
	var errs []error
	for _, s := range []*extsort.Sorter{b.added, b.pages} {
		if s == nil {
			continue
		}
		// Sort is the only way to the run files; nothing is read.
		it, err := s.Sort()
		if cerr := it.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	b.added, b.pages = nil, nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("coverage: remove rows: %w", err)
	}
	return nil
}

// familyNames returns the families with parties, in section order.
func (b *CoverageBuilder) familyNames() []string {
	var names []string
	for f := range b.families {
		names = append(names, f)
	}
	slices.SortFunc(names, compareFamilies)
	return names
}

// basisRows returns the links by basis, known bases first.
func basisRows(by map[string]int) []struct {
	Basis string
	N     int
} {
	var rows []struct {
		Basis string
		N     int
	}
	for _, basis := range coverageBases {
		rows = append(rows, struct {
			Basis string
			N     int
		}{basis, by[basis]})
	}
	var more []string
	for basis := range by {
		if !slices.Contains(coverageBases, basis) {
			more = append(more, basis)
		}
	}
	slices.Sort(more)
	for _, basis := range more {
		rows = append(rows, struct {
			Basis string
			N     int
		}{basis, by[basis]})
	}
	return rows
}

// sourceNote is a source's note in the sources table.
func sourceNote(s CoverageSource) string {
	if s.LastCheck == "" {
		return ""
	}
	return "last run " + s.LastCheck + " failed: built from its latest good version"
}

func scoreText(s float64) string { return strconv.FormatFloat(s, 'f', 2, 64) }

// listedText is the note of a family's one-publisher list: "listed by US
// only: 8,123 (8,100 single entities)".
func listedText(pub string, only, singles int) string {
	s := "Listed by " + pub + " only: " + thousands(only)
	switch {
	case singles == only:
	case singles == 0:
		s += " (all clusters of " + pub + " entities)"
	default:
		s += " (" + thousands(singles) + " single entities, " + thousands(only-singles) + " clusters of " + pub + " entities)"
	}
	return s
}

const mixedNote = "A cluster holding two entities of one source is a duplicate listing or a wrong link: check its links."

// coverageTitle names the page after its version when the caller knows
// it (the combined build writes the pages before the pipeline names the
// version).
func coverageTitle(in CoverageInput) string {
	if in.Version == "" {
		return "Coverage: who lists whom"
	}
	return "Coverage of combined " + in.Version + ": who lists whom"
}

// WriteMarkdown writes coverage.md, the short summary: the version, its
// sources, links and clusters, the cited references not found, the
// family table, and per family the first gap parties. It can be called
// before or after WriteHTML.
func (b *CoverageBuilder) WriteMarkdown(w io.Writer, in CoverageInput) error {
	if err := b.finalize(in); err != nil {
		return err
	}
	p := &mdWriter{w: w}
	p.f("# %s\n\n", md(coverageTitle(in)))
	if !in.PublishedAt.IsZero() {
		p.f("- **Published:** %s\n", in.PublishedAt.UTC().Format(time.RFC3339))
	}
	p.f("- **Parties:** %s (%s entities)\n", thousands(b.counts.Parties), thousands(b.counts.Entities))
	p.f("- **Link threshold:** %s (links of this score or more join a cluster)\n", scoreText(in.Threshold))
	p.f("\nThe whole page, with every party and the evidence of every link: [coverage.html](coverage.html)\n")

	p.f("\n## Sources\n\n| Source | Publisher | Version | Entities | Note |\n|---|---|---|---:|---|\n")
	for _, s := range in.Sources {
		p.f("| %s | %s | %s | %s | %s |\n", md(s.Source), md(s.Publisher), md(s.Version), thousands(s.Entities), md(sourceNote(s)))
	}

	p.f("\n## Links and clusters\n\n| Basis | Links |\n|---|---:|\n")
	for _, r := range basisRows(in.LinksByBasis) {
		p.f("| %s | %s |\n", md(r.Basis), thousands(r.N))
	}
	p.f("| all | %s |\n\n", thousands(in.Links))
	p.f("- **Clusters** (two or more entities): %s, holding %s entities; the largest holds %s\n",
		thousands(b.counts.Clusters), thousands(b.counts.Clustered), thousands(b.counts.Largest))
	p.f("- **Clusters holding two entities of one source:** %s\n", thousands(b.counts.Mixed))
	if len(b.mdMixed) > 0 {
		p.f("\n%s\n\n| Cluster | Party | Source with two or more | Members |\n|---|---|---|---|\n", mixedNote)
		for _, r := range b.mdMixed {
			p.f("| %s | %s | %s | %s |\n", md(r.Cluster), md(strings.Join(r.Names, " / ")), md(strings.Join(r.Mixed, ", ")), md(memberIDs(&r)))
		}
		if left := b.counts.Mixed - len(b.mdMixed); left > 0 {
			p.f("\n*and %s more in coverage.html*\n", thousands(left))
		}
	}

	p.f("\n## Cited, not found (%s)\n\n", thousands(len(in.CitedNotFound)))
	if len(in.CitedNotFound) == 0 {
		p.f("None.\n")
	} else {
		p.f("References records cite that the list they belong to does not have.\n\n| Reference | Cited by |\n|---|---|\n")
		for _, c := range sortedCitations(in.CitedNotFound) {
			p.f("| %s | %s |\n", md(c.Reference), md(strings.Join(c.CitedBy, ", ")))
		}
	}

	p.f("\n## By program family\n\n%s\n\n", coverageFamilyNote)
	p.f("| Family | Parties |")
	for _, c := range b.columns {
		p.f(" %s |", md(c))
	}
	p.f(" By all present | By one only |\n|---|---:|%s---:|---:|\n", strings.Repeat("---:|", len(b.columns)))
	for _, name := range b.familyNames() {
		fc := b.families[name]
		p.f("| %s | %s |", md(name), thousands(fc.Parties))
		for _, c := range b.columns {
			p.f(" %s |", countOrDash(fc.ByPub[c]))
		}
		p.f(" %s | %s |\n", thousands(fc.byAll()), thousands(fc.byOne()))
	}

	for _, name := range b.familyNames() {
		fc := b.families[name]
		if fc.Gaps == 0 {
			continue
		}
		p.f("\n## %s: listed by some publishers, not all (%s)\n\n", md(name), thousands(fc.Gaps))
		p.f("Publishers present in the family: %s.\n\n| Party |", md(strings.Join(b.present(fc), ", ")))
		for _, c := range b.columns {
			p.f(" %s |", md(c))
		}
		p.f(" Members |\n|---|%s---|\n", strings.Repeat(":---:|", len(b.columns)))
		for _, r := range b.mdGaps[name] {
			p.f("| %s |", md(strings.Join(r.Names, " / ")))
			for _, c := range b.columns {
				p.f(" %s |", mark(slices.Contains(r.Pubs, c)))
			}
			p.f(" %s |\n", md(memberIDs(&r)))
		}
		if left := fc.Gaps - len(b.mdGaps[name]); left > 0 {
			p.f("\n*and %s more in [coverage.html](coverage.html#fam-%s)*\n", thousands(left), familySlug(name))
		}
	}
	return p.err
}

const coverageFamilyNote = "A party is a cluster of linked entities or one entity no link joined. It counts under every program family of its members' programs, and a publisher lists it when one of its entities is a member. \"By all present\": listed by every publisher that lists any party of the family; \"by one only\": by a single publisher."

// present returns the publishers that list a party of the family, in
// column order.
func (b *CoverageBuilder) present(fc *familyCoverage) []string {
	var ps []string
	for _, c := range b.columns {
		if fc.ByPub[c] > 0 {
			ps = append(ps, c)
		}
	}
	return ps
}

func mark(listed bool) string {
	if listed {
		return "✓"
	}
	return "—"
}

func countOrDash(n int) string {
	if n == 0 {
		return "—"
	}
	return thousands(n)
}

func memberIDs(r *partyRow) string {
	ids := make([]string, len(r.Members))
	for i, m := range r.Members {
		ids[i] = m.ID
	}
	return strings.Join(ids, ", ")
}

// sortedCitations orders the cited references by reference, each one's
// citers by id, whatever order the input has.
func sortedCitations(cs []CoverageCitation) []CoverageCitation {
	out := make([]CoverageCitation, len(cs))
	for i, c := range cs {
		out[i] = CoverageCitation{Reference: c.Reference, CitedBy: slices.Sorted(slices.Values(c.CitedBy))}
	}
	slices.SortStableFunc(out, func(x, y CoverageCitation) int { return strings.Compare(x.Reference, y.Reference) })
	return out
}

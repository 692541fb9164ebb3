package diff

import (
	"io"
	"time"
)

// The coverage pages of a combined version (DESIGN.md, Combined dataset):
// who lists whom. A party is a cluster of linked entities, or one entity
// no link joined; for each program family, the parties listed by some
// publishers and not by others, with the evidence of every link.

// CoverageMember is one entity of a party.
type CoverageMember struct {
	ID        string
	Source    string
	Publisher string // jurisdiction code: UN, US, EU, UK, CH, CA, AU
	Name      string
	Type      string
	Programs  []string
}

// CoverageEvidence is one fact a link rests on, as each entity prints it.
type CoverageEvidence struct {
	Field, A, B string
}

// CoverageLink is one link between two members of a party (or, for a
// link below the cluster threshold, to an entity outside it).
type CoverageLink struct {
	A, B     string
	Basis    string
	Score    float64
	Evidence []CoverageEvidence
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
	Clusters     int // clusters of two or more entities
	Clustered    int // entities in them
	Largest      int
	// MixedClusters are clusters holding two entities of one source.
	MixedClusters int
	CitedNotFound []CoverageCitation
}

// CoverageBuilder gathers parties (Add) and writes coverage.md and
// coverage.html. It spills what the pages list to dir, so that memory does
// not grow with the number of parties. Not safe for concurrent use.
type CoverageBuilder struct {
	dir string
}

// NewCoverageBuilder returns a builder spilling into dir ("": the system's
// temporary folder).
func NewCoverageBuilder(dir string) *CoverageBuilder { return &CoverageBuilder{dir: dir} }

// Add takes one party.
func (b *CoverageBuilder) Add(p CoverageParty) error { return nil }

// WriteMarkdown writes coverage.md.
func (b *CoverageBuilder) WriteMarkdown(w io.Writer, in CoverageInput) error { return nil }

// WriteHTML writes coverage.html.
func (b *CoverageBuilder) WriteHTML(w io.Writer, in CoverageInput) error { return nil }

// Close removes the spill files.
func (b *CoverageBuilder) Close() error { return nil }

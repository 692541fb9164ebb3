// Package link finds the same party in several sources' entities from the
// evidence the publications print (DESIGN.md, Combined dataset and
// cross-list links): official cross-references, shared strong
// identifiers, and names with a second agreeing fact. It writes one line
// per linked pair and gives every entity its links and its cluster.
//
// Memory stays flat in the number of entities: keys and pairs go through
// external sorts in TempDir; only the union-find of linked entities (an id
// and a parent per entity that has a link) is held.
package link

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
)

// Bases of a link, strongest first.
const (
	BasisReference    = "reference"
	BasisIdentifier   = "identifier"
	BasisNameAndBirth = "name_and_birth"
	BasisName         = "name"
)

// Bases lists every basis, strongest first.
var Bases = []string{BasisReference, BasisIdentifier, BasisNameAndBirth, BasisName}

// DefaultThreshold is the score a link needs to join a cluster: every
// reference and identifier link, and name links with a birth date or an
// organization's country; a name with a nationality only, or an
// organization's name alone, is shown but joins nothing.
const DefaultThreshold = 0.7

// maxEvidence bounds the evidence a link line lists.
const maxEvidence = 8

// Evidence is one fact two entities agree on: the field and each one's
// value as printed.
type Evidence struct {
	Field string `json:"field"`
	A     string `json:"a"`
	B     string `json:"b"`
}

// Link is one line of links.jsonl.gz: a pair, a < b.
type Link struct {
	A        string     `json:"a"`
	B        string     `json:"b"`
	Basis    string     `json:"basis"`
	Evidence []Evidence `json:"evidence"`
	Score    float64    `json:"score"`
}

// Citation is a reference number some records cite that no record of the
// list it belongs to has: cited, not found.
type Citation struct {
	Reference string   `json:"reference"` // "un:KPI.033", "ofac:12345"
	CitedBy   []string `json:"cited_by"`  // entity ids
}

// Config tunes a Builder.
type Config struct {
	TempDir   string  // for the sorts' runs; must exist
	Threshold float64 // 0 = DefaultThreshold
	Budget    int     // sort buffer bytes; 0 = extsort.DefaultBudget
}

// Counts is what a build found.
type Counts struct {
	Entities int            `json:"entities"`
	Links    int            `json:"links"`
	ByBasis  map[string]int `json:"by_basis"`
	// Clustered counts the entities in clusters of two or more; Clusters
	// those clusters; Largest the members of the largest.
	Clustered int `json:"clustered"`
	Clusters  int `json:"clusters"`
	Largest   int `json:"largest"`
	// MixedClusters are clusters holding two entities of one source: the
	// publisher lists one party twice, or a link is wrong; both deserve a
	// look.
	MixedClusters int `json:"clusters_with_two_of_one_source"`
	// AmbiguousKeys are keys shared by too many entities, or by several of
	// one source, to link on.
	AmbiguousKeys int `json:"ambiguous_keys"`
	// AmbiguousNames are name-only links of a record whose names meet
	// several records of the other list: shown, joining no cluster.
	AmbiguousNames int `json:"ambiguous_name_links"`
	CitedNotFound  int `json:"cited_not_found"`
}

// Builder collects entities' keys (Add), then links them (Finish).
type Builder struct {
	cfg  Config
	keys *extsort.Sorter
	seq  uint64
	n    int
}

// NewBuilder returns a Builder that sorts in cfg.TempDir.
func NewBuilder(cfg Config) *Builder {
	if cfg.Threshold == 0 {
		cfg.Threshold = DefaultThreshold
	}
	return &Builder{cfg: cfg, keys: extsort.New(cfg.TempDir, cfg.Budget)}
}

// keyed is a member and its evidence field, as a key record holds it.
type keyed struct {
	member
	Field string `json:"f"`
}

// Add indexes the keys of one entity (normalized, as published).
func (b *Builder) Add(e *entity.Entity) error {
	b.n++
	for _, k := range keysOf(e) {
		v, err := json.Marshal(keyed{k.m, k.field})
		if err != nil {
			return fmt.Errorf("link: key of %s: %w", e.ID, err)
		}
		if err := b.keys.Add([]byte(k.key), v, b.seq); err != nil {
			return fmt.Errorf("link: %w", err)
		}
		b.seq++
	}
	return nil
}

// Result is a finished build: the counts, the citations that found
// nothing, and, for Annotate, every entity's links and cluster.
type Result struct {
	Counts        Counts
	CitedNotFound []Citation
	refs          *extsort.Iterator
	refsOK        bool
	parent        map[string]string
	last          string
}

// Finish groups the keys, judges every pair, writes the links to w as
// JSON lines sorted by (a, b), and prepares Annotate.
func (b *Builder) Finish(w io.Writer) (*Result, error) {
	it, err := b.keys.Sort()
	if err != nil {
		return nil, fmt.Errorf("link: sort keys: %w", err)
	}
	defer it.Close()
	res := &Result{Counts: Counts{Entities: b.n, ByBasis: map[string]int{}}, parent: map[string]string{}}
	pairs := extsort.New(b.cfg.TempDir, b.cfg.Budget)
	var seq uint64
	var perr error
	emit := func(c candidate) {
		if perr != nil {
			return
		}
		v, err := json.Marshal(pairValue{c.basis, c.score, c.evidence})
		if err == nil {
			err = pairs.Add([]byte(c.a+"\x00"+c.b), v, seq)
		}
		seq++
		perr = err
	}
	var group []keyed
	var groupKey []byte
	flush := func() {
		if len(group) == 0 {
			return
		}
		members := make([]member, len(group))
		for i, k := range group {
			members[i] = k.member
		}
		key := string(groupKey)
		switch key[0] {
		case kindReference:
			if judgeReference(group[0].Field, key[1:], members, emit) {
				c := Citation{Reference: key[1:]}
				for _, m := range members {
					c.CitedBy = append(c.CitedBy, m.ID)
				}
				slices.Sort(c.CitedBy)
				res.CitedNotFound = append(res.CitedNotFound, c)
			}
		case kindIdentifier:
			if judgeIdentifier(group[0].Field, members, emit) {
				res.Counts.AmbiguousKeys++
			}
		case kindName:
			if judgeName(members, emit) {
				res.Counts.AmbiguousKeys++
			}
		}
		group = group[:0]
	}
	for it.Next() {
		if !bytes.Equal(it.Key(), groupKey) {
			flush()
			groupKey = append(groupKey[:0], it.Key()...)
		}
		var k keyed
		if err := json.Unmarshal(it.Value(), &k); err != nil {
			return nil, fmt.Errorf("link: damaged key record: %w", err)
		}
		group = append(group, k)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("link: read keys: %w", err)
	}
	flush()
	if perr != nil {
		return nil, fmt.Errorf("link: %w", perr)
	}
	res.Counts.CitedNotFound = len(res.CitedNotFound)
	if err := res.writeLinks(b.cfg, pairs, w); err != nil {
		return nil, err
	}
	return res, nil
}

type pairValue struct {
	Basis    string     `json:"b"`
	Score    float64    `json:"s"`
	Evidence []Evidence `json:"e"`
}

// writeLinks merges the candidates of each pair into one link (the
// combined score, the basis of the strongest, the evidence of all), then
// writes the links, joins clusters, and sorts every entity's links by id
// for Annotate.
//
// Between the two, one check the key groups cannot make: a record whose
// names meet two records of another list under different keys (OFAC 7149
// carries the names of the UN's ASC and RIHS, two entries) does not say
// which of them it is. Such name-only links keep their evidence but score
// scoreAmbiguousName, below the threshold, so that they join no cluster.
func (r *Result) writeLinks(cfg Config, pairs *extsort.Sorter, w io.Writer) error {
	merged, err := os.CreateTemp(cfg.TempDir, "links-merged-*.jsonl")
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	defer os.Remove(merged.Name())
	defer merged.Close()
	ends := extsort.New(cfg.TempDir, cfg.Budget)
	if err := r.merge(cfg, pairs, merged, ends); err != nil {
		return err
	}
	ambiguous := map[[2]string][2]int{}
	var group []string
	var groupKey string
	flush := func() {
		if len(group) > 1 {
			a, _, _ := strings.Cut(groupKey, "\x00")
			for _, b := range group {
				k := [2]string{min(a, b), max(a, b)}
				n := ambiguous[k]
				if a == k[0] {
					n[0] = len(group)
				} else {
					n[1] = len(group)
				}
				ambiguous[k] = n
			}
		}
		group = group[:0]
	}
	err = ends.Each(func(key, value []byte) error {
		if string(key) != groupKey {
			flush()
			groupKey = string(key)
		}
		group = append(group, string(value))
		return nil
	})
	if err != nil {
		return fmt.Errorf("link: sort name links: %w", err)
	}
	flush()
	if _, err := merged.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("link: %w", err)
	}

	refs := extsort.New(cfg.TempDir, cfg.Budget)
	var seq uint64
	bw := bufio.NewWriter(w)
	sc := bufio.NewScanner(merged)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var l Link
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("link: damaged merged link: %w", err)
		}
		if n, ok := ambiguous[[2]string{l.A, l.B}]; ok {
			l.Score = scoreAmbiguousName
			l.Evidence = append([]Evidence{{Field: "ambiguous_name",
				A: fmt.Sprintf("meets %d records of %s", max(n[0], 1), sourceOf(l.B)),
				B: fmt.Sprintf("meets %d records of %s", max(n[1], 1), sourceOf(l.A))}}, l.Evidence...)
			if len(l.Evidence) > maxEvidence {
				l.Evidence = l.Evidence[:maxEvidence]
			}
			r.Counts.AmbiguousNames++
		}
		line, err := json.Marshal(l)
		if err != nil {
			return err
		}
		bw.Write(line)
		bw.WriteByte('\n')
		r.Counts.Links++
		r.Counts.ByBasis[l.Basis]++
		if l.Score >= cfg.Threshold {
			r.union(l.A, l.B)
		}
		for _, p := range [][2]string{{l.A, l.B}, {l.B, l.A}} {
			v, _ := json.Marshal(entity.LinkRef{ID: p[1], Basis: l.Basis, Score: l.Score})
			if err := refs.Add([]byte(p[0]), v, seq); err != nil {
				return fmt.Errorf("link: %w", err)
			}
			seq++
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("link: read merged links: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("link: write links: %w", err)
	}
	r.countClusters()
	if r.refs, err = refs.Sort(); err != nil {
		return fmt.Errorf("link: sort entity links: %w", err)
	}
	r.refsOK = r.refs.Next()
	return r.refs.Err()
}

// merge writes one link per pair to out, in (a, b) order, and files every
// name-only link at the threshold under each end and the other's source
// in ends.
func (r *Result) merge(cfg Config, pairs *extsort.Sorter, out io.Writer, ends *extsort.Sorter) error {
	bw := bufio.NewWriter(out)
	var cur *Link
	var best [3]float64 // the best score of each family of bases
	var seq uint64
	write := func() error {
		if cur == nil {
			return nil
		}
		cur.Score = combine(best)
		slices.SortFunc(cur.Evidence, func(x, y Evidence) int {
			if c := fieldRank(x.Field) - fieldRank(y.Field); c != 0 {
				return c
			}
			return strings.Compare(x.Field+"\x00"+x.A+"\x00"+x.B, y.Field+"\x00"+y.A+"\x00"+y.B)
		})
		cur.Evidence = slices.Compact(cur.Evidence)
		if len(cur.Evidence) > maxEvidence {
			cur.Evidence = cur.Evidence[:maxEvidence]
		}
		line, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		bw.Write(line)
		bw.WriteByte('\n')
		if best[family(BasisReference)] == 0 && best[family(BasisIdentifier)] == 0 && cur.Score >= cfg.Threshold {
			for _, e := range [][2]string{{cur.A, cur.B}, {cur.B, cur.A}} {
				if err := ends.Add([]byte(e[0]+"\x00"+sourceOf(e[1])), []byte(e[1]), seq); err != nil {
					return err
				}
				seq++
			}
		}
		return nil
	}
	var curKey []byte
	err := pairs.Each(func(key, value []byte) error {
		var pv pairValue
		if err := json.Unmarshal(value, &pv); err != nil {
			return fmt.Errorf("damaged pair record: %w", err)
		}
		if !bytes.Equal(key, curKey) {
			if err := write(); err != nil {
				return err
			}
			curKey = append(curKey[:0], key...)
			a, b, _ := strings.Cut(string(curKey), "\x00")
			cur = &Link{A: a, B: b, Basis: pv.Basis, Score: pv.Score}
			best = [3]float64{}
		} else if better(pv.Basis, pv.Score, cur.Basis, cur.Score) {
			cur.Basis, cur.Score = pv.Basis, pv.Score
		}
		f := family(pv.Basis)
		best[f] = max(best[f], pv.Score)
		cur.Evidence = append(cur.Evidence, pv.Evidence...)
		return nil
	})
	if err == nil {
		err = write()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("link: merge pairs: %w", err)
	}
	return nil
}

// fieldRank puts the decisive evidence first, so that the cap of
// maxEvidence keeps it: references, identifiers, then the second facts,
// then names.
func fieldRank(field string) int {
	switch field {
	case "un_reference", "ofac_uid", "references_cited":
		return 0
	case "birth_date":
		return 2
	case "nationality", "country", "type":
		return 3
	case "name":
		return 4
	}
	return 1 // an identifier type
}

// family groups the bases whose evidence is independent of each other's:
// official references, identifiers, names (a name with a birth date and
// the same name alone are one piece of evidence, not two).
func family(basis string) int {
	switch basis {
	case BasisReference:
		return 0
	case BasisIdentifier:
		return 1
	}
	return 2
}

// combine is the score of a pair from the best score of each family, as
// independent evidence adds up: 1 - (1-a)(1-b)..., so that a tax id (0.6)
// and an organization's name (0.65) together reach 0.86, and no family
// is counted twice. The basis stays that of the strongest single piece.
func combine(best [3]float64) float64 {
	miss := 1.0
	for _, s := range best {
		miss *= 1 - s
	}
	return math.Round((1-miss)*100) / 100
}

// better orders candidates: the higher score, then the stronger basis.
func better(basis string, score float64, than string, thanScore float64) bool {
	if score != thanScore {
		return score > thanScore
	}
	return slices.Index(Bases, basis) < slices.Index(Bases, than)
}

// union joins the clusters of a and b; the root of a cluster is its
// smallest id, which is the cluster's id. Every linked id is in parent,
// a root as its own parent.
func (r *Result) union(a, b string) {
	for _, id := range []string{a, b} {
		if _, ok := r.parent[id]; !ok {
			r.parent[id] = id
		}
	}
	ra, rb := r.find(a), r.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	r.parent[rb] = ra
}

// find returns the root of id's cluster, halving the path on the way.
func (r *Result) find(id string) string {
	for {
		p := r.parent[id]
		if p == id {
			return id
		}
		gp := r.parent[p]
		r.parent[id] = gp
		id = gp
	}
}

func (r *Result) countClusters() {
	members := map[string][]string{}
	for id := range r.parent {
		root := r.find(id)
		members[root] = append(members[root], id)
	}
	for _, m := range members {
		r.Counts.Clusters++
		r.Counts.Clustered += len(m)
		r.Counts.Largest = max(r.Counts.Largest, len(m))
		bySource := map[string]int{}
		for _, id := range m {
			bySource[sourceOf(id)]++
		}
		for _, n := range bySource {
			if n > 1 {
				r.Counts.MixedClusters++
				break
			}
		}
	}
}

// sourceOf is the source of an entity id "<source>-<record id>"; source
// names have no '-'.
func sourceOf(id string) string {
	s, _, _ := strings.Cut(id, "-")
	return s
}

// Annotate sets e's links and cluster. Call it for the entities in id
// order, after Finish.
func (r *Result) Annotate(e *entity.Entity) error {
	if e.ID <= r.last && r.last != "" {
		return fmt.Errorf("link: entities out of order: %s after %s", e.ID, r.last)
	}
	r.last = e.ID
	e.Links = e.Links[:0]
	for r.refsOK && string(r.refs.Key()) <= e.ID {
		if string(r.refs.Key()) == e.ID {
			var l entity.LinkRef
			if err := json.Unmarshal(r.refs.Value(), &l); err != nil {
				return fmt.Errorf("link: damaged entity link: %w", err)
			}
			e.Links = append(e.Links, l)
		}
		r.refsOK = r.refs.Next()
	}
	if err := r.refs.Err(); err != nil {
		return fmt.Errorf("link: read entity links: %w", err)
	}
	if len(e.Links) == 0 {
		e.Links = nil
	}
	e.Cluster = r.Cluster(e.ID)
	return nil
}

// Cluster is the cluster id of an entity: the smallest id of its
// cluster, its own id when it is in none.
func (r *Result) Cluster(id string) string {
	if _, ok := r.parent[id]; !ok {
		return id
	}
	return r.find(id)
}

// Close removes the sort's files.
func (r *Result) Close() error {
	if r.refs == nil {
		return nil
	}
	return r.refs.Close()
}

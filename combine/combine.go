// Package combine builds the combined dataset (DESIGN.md, Combined dataset
// and cross-list links): every source's latest version in one snapshot,
// each entity with its links to entities of other sources and its
// cluster, beside links.jsonl.gz and the coverage pages. It is a source
// whose input is assembled from the store rather than fetched, so the
// pipeline versions, guards, diffs and publishes it like any other.
package combine

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
	"github.com/sanctions-etl/sanctions-etl/link"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// Name is the combined dataset's folder in the store.
const Name = "combined"

// File names of a combined version beside the pipeline's own.
const (
	InputsName       = "inputs.json" // raw: the source versions it was built from
	LinksName        = "links.jsonl.gz"
	CoverageMDName   = "coverage.md"
	CoverageHTMLName = "coverage.html"
)

// sortBudget is the buffer of each of the build's external sorts (keys,
// pairs, entity links, coverage rows). Four are alive beside the
// pipeline's own during a build; their records are small, so a smaller
// buffer than extsort's default costs a few more runs on disk and keeps
// the run's peak near a source run's.
const sortBudget = 1 << 20

// maxInputsBytes bounds inputs.json: a line per source.
const maxInputsBytes = 1 << 20

// ErrNothing: no source has published yet, so there is nothing to combine.
var ErrNothing = errors.New("no source has published yet: nothing to combine")

// Config is what a combined build needs.
type Config struct {
	Store sink.Store
	// Sources are the names of the sources to combine, those of the
	// registry; a source that has never published is left out.
	Sources   []string
	TempDir   string  // "" = os.TempDir()
	Threshold float64 // cluster threshold; 0 = link.DefaultThreshold
}

// Source is the combined dataset as a pipeline source.
type Source struct {
	cfg Config
}

// New returns the combined dataset's source.
func New(cfg Config) *Source {
	if cfg.Threshold == 0 {
		cfg.Threshold = link.DefaultThreshold
	}
	if cfg.TempDir == "" {
		cfg.TempDir = os.TempDir()
	}
	return &Source{cfg: cfg}
}

// Info describes the combined dataset.
func (s *Source) Info() sources.Info {
	return sources.Info{
		Name:      Name,
		Publisher: "sanctions-etl",
		Title:     "Combined dataset: every source's latest version, linked across lists",
		Formats:   []sources.FileSet{{Format: "combined", Files: []sources.FileSpec{{Name: InputsName}}}},
	}
}

// The parts of a source's pointers and manifest a build reads. The
// pipeline's own types live in package pipeline, which imports this one.
type latestPointer struct {
	Version string `json:"version"`
}

type manifestPart struct {
	Version     string `json:"version"`
	EntityCount int    `json:"entity_count"`
	Outputs     []struct {
		Name   string `json:"name"`
		SHA256 string `json:"sha256"`
		Bytes  int64  `json:"bytes"`
	} `json:"outputs"`
}

type statePart struct {
	Outcome string `json:"outcome"`
	Error   string `json:"error"`
}

// Assemble writes inputs.json: for every source that has published, its
// latest version and the checksum of that version's entities. Its bytes
// change exactly when a source's latest version does, so the pipeline's
// raw-bytes check tells "nothing new" without reading any entity.
func (s *Source) Assemble(ctx context.Context, dir string) (*sources.Input, error) {
	var from []sources.BuiltFrom
	names := slices.Sorted(slices.Values(s.cfg.Sources))
	for _, name := range slices.Compact(names) {
		if name == Name {
			continue
		}
		var latest latestPointer
		found, err := readJSON(ctx, s.cfg.Store, layout.Latest(name), &latest)
		if err != nil {
			return nil, err
		}
		if !found || latest.Version == "" {
			continue
		}
		var m manifestPart
		if found, err := readJSON(ctx, s.cfg.Store, layout.Object(name, latest.Version, layout.ManifestName), &m); err != nil {
			return nil, err
		} else if !found {
			return nil, fmt.Errorf("%s: latest.json names version %s, which has no manifest", name, latest.Version)
		}
		bf := sources.BuiltFrom{Source: name, Version: latest.Version, Entities: m.EntityCount}
		for _, o := range m.Outputs {
			if o.Name == layout.EntitiesName {
				bf.SHA256 = o.SHA256
			}
		}
		if bf.SHA256 == "" {
			return nil, fmt.Errorf("%s: the manifest of version %s records no %s", name, latest.Version, layout.EntitiesName)
		}
		from = append(from, bf)
	}
	if len(from) == 0 {
		return nil, ErrNothing
	}
	b, err := json.MarshalIndent(from, "", "  ")
	if err != nil {
		return nil, err
	}
	f, err := fetch.NewTempFile(ctx, dir, InputsName, "store:"+s.cfg.Store.Location(), bytes.NewReader(append(b, '\n')), maxInputsBytes)
	if err != nil {
		return nil, err
	}
	return &sources.Input{Format: "combined", Files: []*fetch.File{f}}, nil
}

// HasInputs reports whether any of the sources has published: whether
// there is something to combine.
func HasInputs(ctx context.Context, st sink.Store, names []string) (bool, error) {
	for _, name := range names {
		if name == Name {
			continue
		}
		var latest latestPointer
		found, err := readJSON(ctx, st, layout.Latest(name), &latest)
		if err != nil {
			return false, err
		}
		if found && latest.Version != "" {
			return true, nil
		}
	}
	return false, nil
}

func readJSON(ctx context.Context, st sink.Store, key string, v any) (bool, error) {
	rc, _, err := st.Get(ctx, key)
	if st.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	if err := json.NewDecoder(io.LimitReader(rc, maxInputsBytes)).Decode(v); err != nil {
		return false, fmt.Errorf("read %s: %w", key, err)
	}
	return true, nil
}

// Parse reads inputs.json, copies each source version's entities to
// TempDir (checking them against the manifest's checksum and count),
// links them, and emits every entity with its links and cluster.
func (s *Source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (meta sources.Meta, err error) {
	f := in.File(InputsName)
	if f == nil {
		return meta, fmt.Errorf("%s: %w", InputsName, fetch.ErrNotFound)
	}
	raw, err := os.ReadFile(f.Path)
	if err != nil {
		return meta, fmt.Errorf("%s: %w", InputsName, err)
	}
	var from []sources.BuiltFrom
	if err := json.Unmarshal(raw, &from); err != nil {
		return meta, fmt.Errorf("%s: %w", InputsName, err)
	}
	// The outcome of each source's last run is not part of inputs.json
	// (a failed check changes no entity, so it makes no new version) but
	// the manifest of a version built says it.
	for i := range from {
		var st statePart
		if _, err := readJSON(ctx, s.cfg.Store, layout.State(from[i].Source), &st); err != nil {
			return meta, err
		}
		if st.Outcome == "failed" {
			from[i].LastCheck = "failed: " + st.Error
		}
	}
	work, err := os.MkdirTemp(s.cfg.TempDir, "combine-")
	if err != nil {
		return meta, err
	}
	defer os.RemoveAll(work)

	copies := make([]string, len(from))
	for i, bf := range from {
		if copies[i], err = s.copyEntities(ctx, work, bf); err != nil {
			return meta, err
		}
	}

	// Pass 1: every entity's keys.
	lb := link.NewBuilder(link.Config{TempDir: work, Threshold: s.cfg.Threshold, Budget: sortBudget})
	for i, bf := range from {
		if err := eachEntity(copies[i], bf, lb.Add); err != nil {
			return meta, err
		}
	}
	linksPath := work + "/" + LinksName
	res, err := writeLinks(lb, linksPath)
	if err != nil {
		return meta, err
	}
	defer res.Close()

	// Pass 2: the entities with their links, in id order (each source's
	// file is sorted by id and source names sort as their ids do), and
	// what the coverage pages need of each.
	cov := &coverage{dir: work, res: res, sorter: extsort.New(work, sortBudget)}
	for i, bf := range from {
		err := eachEntity(copies[i], bf, func(e *entity.Entity) error {
			if err := res.Annotate(e); err != nil {
				return err
			}
			if err := cov.member(e); err != nil {
				return err
			}
			e.FirstSeen, e.LastChanged = "", ""
			return emit(e)
		})
		if err != nil {
			return meta, err
		}
	}
	if err := cov.links(linksPath); err != nil {
		return meta, err
	}

	present := map[string]bool{}
	for _, bf := range from {
		present[bf.Source] = true
	}
	checked, unchecked := splitCitations(res.CitedNotFound, present)
	for _, c := range checked {
		for _, id := range c.CitedBy {
			issues.Addf(LinksName, 0, id, "cites %s, which %s does not list: cited, not found", describeRef(c.Reference), ownerOf(c.Reference))
		}
	}
	if len(unchecked) > 0 {
		issues.Addf(LinksName, 0, "", "%d reference numbers cited by other lists were not checked: the list they belong to is not in the combined dataset", len(unchecked))
	}

	// Outputs: links.jsonl.gz, moved out of the work folder, and the pages.
	out := sources.Built{From: from}
	final, err := os.CreateTemp(s.cfg.TempDir, "links-*.jsonl.gz")
	if err != nil {
		return meta, err
	}
	final.Close()
	if err := os.Rename(linksPath, final.Name()); err != nil {
		return meta, err
	}
	out.Outputs = append(out.Outputs, sources.BuiltOutput{Name: LinksName, Path: final.Name(), ContentType: "application/gzip"})
	cin := coverageInput(from, res, checked, s.cfg.Threshold)
	pages, err := cov.write(s.cfg.TempDir, cin, issues)
	if err != nil {
		os.Remove(final.Name())
		return meta, err
	}
	out.Outputs = append(out.Outputs, pages...)
	summary := struct {
		link.Counts
		Threshold     float64 `json:"threshold"`
		CitedNotFound int     `json:"cited_not_found"`
		NotChecked    int     `json:"citations_not_checked"`
	}{res.Counts, s.cfg.Threshold, len(checked), len(unchecked)}
	if out.Summary, err = json.Marshal(summary); err != nil {
		return meta, err
	}
	meta.Built = &out
	return meta, nil
}

// copyEntities copies a version's entities.jsonl.gz into dir, checking
// the bytes against the checksum its manifest recorded.
func (s *Source) copyEntities(ctx context.Context, dir string, bf sources.BuiltFrom) (string, error) {
	key := layout.Object(bf.Source, bf.Version, layout.EntitiesName)
	rc, _, err := s.cfg.Store.Get(ctx, key)
	if err != nil {
		return "", fmt.Errorf("%s: read version %s: %w", bf.Source, bf.Version, err)
	}
	defer rc.Close()
	f, err := os.CreateTemp(dir, bf.Source+"-*.jsonl.gz")
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), rc); err != nil {
		return "", fmt.Errorf("%s: read %s: %w", bf.Source, key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != bf.SHA256 {
		return "", fmt.Errorf("%s: %s has sha256 %s, its manifest records %s: %w", bf.Source, key, got, bf.SHA256, sources.ErrIncomplete)
	}
	return f.Name(), f.Close()
}

// maxLine bounds one entity line of a published snapshot.
const maxLine = 64 << 20

// eachLine calls fn with every line of a gzipped JSON-lines file.
func eachLine(path string, fn func(line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// eachEntity decodes every line of a copied snapshot and checks the count.
func eachEntity(path string, bf sources.BuiltFrom, fn func(*entity.Entity) error) error {
	n := 0
	err := eachLine(path, func(line []byte) error {
		n++
		e := new(entity.Entity)
		if err := json.Unmarshal(line, e); err != nil {
			return fmt.Errorf("%s line %d: %w", layout.EntitiesName, n, err)
		}
		return fn(e)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", bf.Source, bf.Version, err)
	}
	if n != bf.Entities {
		return fmt.Errorf("%s %s: %s holds %d entities, its manifest says %d: %w", bf.Source, bf.Version, layout.EntitiesName, n, bf.Entities, sources.ErrIncomplete)
	}
	return nil
}

// writeLinks finishes the build into a gzipped links file.
func writeLinks(lb *link.Builder, path string) (*link.Result, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	res, err := lb.Finish(zw)
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		res.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		res.Close()
		return nil, err
	}
	return res, nil
}

// refOwners are the sources whose records a reference kind names.
var refOwners = map[string][]string{"un": {"un_sc"}, "ofac": {"us_ofac_sdn", "us_ofac_cons"}}

func ownerOf(ref string) string {
	kind, _, _ := strings.Cut(ref, ":")
	return strings.Join(refOwners[kind], " or ")
}

func describeRef(ref string) string {
	kind, num, _ := strings.Cut(ref, ":")
	switch kind {
	case "un":
		return "UN reference number " + num
	case "ofac":
		return "OFAC entity number " + num
	}
	return ref
}

// splitCitations tells the citations whose owning list is in the build
// (cited, not found) from those that could not be checked.
func splitCitations(all []link.Citation, present map[string]bool) (checked, unchecked []link.Citation) {
	for _, c := range all {
		kind, _, _ := strings.Cut(c.Reference, ":")
		ok := len(refOwners[kind]) > 0
		for _, o := range refOwners[kind] {
			ok = ok && present[o]
		}
		if ok {
			checked = append(checked, c)
		} else {
			unchecked = append(unchecked, c)
		}
	}
	return checked, unchecked
}

// publishers maps a source to the jurisdiction that publishes it, in the
// coverage pages' column order.
var publishers = []struct{ prefix, code string }{
	{"un_", "UN"}, {"us_", "US"}, {"eu_", "EU"}, {"gb_", "UK"}, {"ch_", "CH"}, {"ca_", "CA"}, {"au_", "AU"},
}

func publisherOf(source string) string {
	for _, p := range publishers {
		if strings.HasPrefix(source, p.prefix) {
			return p.code
		}
	}
	return source
}

func coverageInput(from []sources.BuiltFrom, res *link.Result, cited []link.Citation, threshold float64) diff.CoverageInput {
	in := diff.CoverageInput{
		Threshold: threshold, Links: res.Counts.Links, LinksByBasis: res.Counts.ByBasis,
		Clusters: res.Counts.Clusters, Clustered: res.Counts.Clustered, Largest: res.Counts.Largest,
		MixedClusters: res.Counts.MixedClusters,
	}
	seen := map[string]bool{}
	for _, p := range publishers {
		for _, bf := range from {
			if publisherOf(bf.Source) == p.code && !seen[p.code] {
				seen[p.code] = true
				in.Publishers = append(in.Publishers, p.code)
			}
		}
	}
	for _, bf := range from {
		pub := publisherOf(bf.Source)
		if !seen[pub] {
			seen[pub] = true
			in.Publishers = append(in.Publishers, pub)
		}
		in.Sources = append(in.Sources, diff.CoverageSource{Source: bf.Source, Publisher: pub, Version: bf.Version, Entities: bf.Entities, LastCheck: bf.LastCheck})
	}
	for _, c := range cited {
		in.CitedNotFound = append(in.CitedNotFound, diff.CoverageCitation{Reference: describeRef(c.Reference), CitedBy: c.CitedBy})
	}
	return in
}

// coverage collects, per cluster, the members and links the coverage
// pages list, in an external sort keyed by cluster.
type coverage struct {
	dir    string
	res    *link.Result
	sorter *extsort.Sorter
	seq    uint64
}

func (c *coverage) add(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.seq++
	return c.sorter.Add([]byte(key), b, c.seq)
}

func (c *coverage) member(e *entity.Entity) error {
	m := diff.CoverageMember{ID: e.ID, Source: e.Source, Publisher: publisherOf(e.Source), Name: e.Name, Type: string(e.Type), Programs: e.Programs}
	return c.add(e.Cluster+"\x00m"+e.ID, m)
}

// links files every link under the cluster of each end.
func (c *coverage) links(path string) error {
	return eachLine(path, func(line []byte) error {
		var l link.Link
		if err := json.Unmarshal(line, &l); err != nil {
			return fmt.Errorf("%s: %w", LinksName, err)
		}
		cl := diff.CoverageLink{A: l.A, B: l.B, Basis: l.Basis, Score: l.Score}
		for _, ev := range l.Evidence {
			cl.Evidence = append(cl.Evidence, diff.CoverageEvidence{Field: ev.Field, A: ev.A, B: ev.B})
		}
		ca, cb := c.res.Cluster(l.A), c.res.Cluster(l.B)
		if err := c.add(ca+"\x00l"+l.A+"\x00"+l.B, cl); err != nil {
			return err
		}
		if cb != ca {
			return c.add(cb+"\x00l"+l.A+"\x00"+l.B, cl)
		}
		return nil
	})
}

// write groups the records into parties, feeds the coverage builder, and
// writes both pages into dir. A cluster holding two entities of one
// source is an issue: a duplicate listing or a wrong link.
func (c *coverage) write(dir string, in diff.CoverageInput, issues *sources.Issues) ([]sources.BuiltOutput, error) {
	cb := diff.NewCoverageBuilder(c.dir)
	defer cb.Close()
	var party diff.CoverageParty
	flush := func() error {
		if party.Cluster == "" {
			return nil
		}
		bySource := map[string][]string{}
		for _, m := range party.Members {
			bySource[m.Source] = append(bySource[m.Source], m.ID)
		}
		for _, src := range slices.Sorted(maps.Keys(bySource)) {
			if ids := bySource[src]; len(ids) > 1 {
				issues.Addf(LinksName, 0, party.Cluster, "cluster %s holds %d entities of %s (%s): a duplicate listing or a wrong link",
					party.Cluster, len(ids), src, strings.Join(ids, ", "))
			}
		}
		err := cb.Add(party)
		party = diff.CoverageParty{}
		return err
	}
	err := c.sorter.Each(func(key, value []byte) error {
		cluster, rest, _ := strings.Cut(string(key), "\x00")
		if cluster != party.Cluster {
			if err := flush(); err != nil {
				return err
			}
			party.Cluster = cluster
		}
		switch rest[0] {
		case 'm':
			var m diff.CoverageMember
			if err := json.Unmarshal(value, &m); err != nil {
				return err
			}
			party.Members = append(party.Members, m)
		case 'l':
			var l diff.CoverageLink
			if err := json.Unmarshal(value, &l); err != nil {
				return err
			}
			party.Links = append(party.Links, l)
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, err
	}
	var outs []sources.BuiltOutput
	for _, p := range []struct {
		name, ctype string
		write       func(io.Writer, diff.CoverageInput) error
	}{
		{CoverageMDName, "text/markdown; charset=utf-8", cb.WriteMarkdown},
		{CoverageHTMLName, "text/html; charset=utf-8", cb.WriteHTML},
	} {
		f, err := os.CreateTemp(dir, "coverage-*")
		if err != nil {
			return nil, err
		}
		bw := bufio.NewWriter(f)
		err = p.write(bw, in)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			for _, o := range outs {
				os.Remove(o.Path)
			}
			return nil, fmt.Errorf("write %s: %w", p.name, err)
		}
		outs = append(outs, sources.BuiltOutput{Name: p.name, Path: f.Name(), ContentType: p.ctype})
	}
	return outs, nil
}

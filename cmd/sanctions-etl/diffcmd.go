package main

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

func newDiffCmd() *cobra.Command {
	var format string
	var rows int
	var force bool
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two snapshots of one source and print the review report",
		Long: `diff compares two snapshots of one source. Each of OLD and NEW is a local
version folder (holding manifest.json and entities.jsonl.gz) or an entities file
(.jsonl or .jsonl.gz). From version folders the report takes the source, versions,
publication date and entity counts of the manifests; from entities files, the
source their first entity names. Two different sources are refused unless --force.
It prints the report in Markdown (default) or HTML, or the delta as JSON lines.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			old, err := openSide("OLD", args[0])
			if err != nil {
				return err
			}
			defer old.close()
			cur, err := openSide("NEW", args[1])
			if err != nil {
				return err
			}
			defer cur.close()
			differ := old.source != "" && cur.source != "" && old.source != cur.source
			if differ && !force {
				return fmt.Errorf("OLD %s is a snapshot of %s, NEW %s of %s: diff compares two snapshots of one source (--force compares them anyway)",
					old.path, old.source, cur.path, cur.source)
			}
			out := cmd.OutOrStdout()
			report := diff.NewReportBuilder(rows)
			defer report.Close() // its cards spill to the temporary folder
			var dw *diff.DeltaWriter
			if format == "delta" {
				dw = diff.NewDeltaWriter(out)
			}
			counts, err := diff.Compare(old.snap, cur.snap, func(op diff.Op) error {
				if dw != nil {
					return dw.Write(op)
				}
				return report.Add(op)
			})
			if err != nil {
				return fmt.Errorf("diff %s %s: %w", args[0], args[1], err)
			}
			in, err := reportInput(old, cur, counts)
			if err != nil {
				return err
			}
			switch format {
			case "md", "markdown":
				return report.WriteMarkdown(out, in)
			case "html":
				return report.WriteHTML(out, in)
			case "delta":
				return nil
			}
			return fmt.Errorf("--format %q: want md, html or delta", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "output: md (Markdown report), html (HTML report) or delta (JSON lines)")
	cmd.Flags().IntVar(&rows, "rows", 0, "rows per report table (0: the default)")
	cmd.Flags().BoolVar(&force, "force", false, "compare snapshots of two different sources (the report says they differ)")
	return cmd
}

// side is OLD or NEW of a diff.
type side struct {
	role, path string
	// manifest is the version folder's manifest; nil for an entities file.
	manifest *pipeline.Manifest
	// source is the manifest's source, or the one the first entity of an
	// entities file names; empty when an entities file has no entity.
	source string
	snap   diff.Snapshot
	close  func()
}

// version is what the report calls this side: the manifest's version, or
// the entities file's path.
func (s *side) version() string {
	if s.manifest != nil {
		return s.manifest.Version
	}
	return s.path
}

// openSide opens a version folder (its manifest and entities) or an
// entities file, and learns which source it is a snapshot of.
func openSide(role, p string) (*side, error) {
	if strings.HasPrefix(p, "s3://") {
		// Only local paths have ever been read here; say so rather than
		// fail on a stat of a file named "s3:".
		return nil, fmt.Errorf("%s %s: diff reads local version folders and files only; copy the version folder out of the bucket first", role, p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", role, err)
	}
	s := &side{role: role, path: p}
	entities := p
	if fi.IsDir() {
		if s.manifest, err = readManifest(role, filepath.Join(p, layout.ManifestName)); err != nil {
			return nil, err
		}
		s.source = s.manifest.Source
		entities = filepath.Join(p, layout.EntitiesName)
	}
	snap, closeFn, err := openSnapshotFile(entities)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", role, err)
	}
	first, err := firstSource(snap)
	if err != nil {
		closeFn()
		return nil, fmt.Errorf("%s %s: %w", role, entities, err)
	}
	switch {
	case s.manifest == nil:
		s.source = first.source
	case first.source != "" && first.source != s.manifest.Source:
		// A folder whose entities are another source's is damaged or
		// assembled by hand: its manifest cannot be trusted for the report.
		closeFn()
		return nil, fmt.Errorf("%s %s: manifest.json names source %s but the first entity of %s (%s) is from %s",
			role, p, s.manifest.Source, layout.EntitiesName, first.id, first.source)
	}
	s.snap, s.close = first, closeFn
	return s, nil
}

// readManifest reads a version folder's manifest.json; a missing or
// unreadable one is an error naming the file.
func readManifest(role, name string) (*pipeline.Manifest, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %s does not exist: a version folder holds %s and %s (or give an entities file)",
			role, name, layout.ManifestName, layout.EntitiesName)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", role, err)
	}
	m := new(pipeline.Manifest)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("%s: %s: not a manifest: %w", role, name, err)
	}
	if m.Source == "" || m.Version == "" {
		return nil, fmt.Errorf("%s: %s: not a manifest: no source or version", role, name)
	}
	return m, nil
}

// peeked is a snapshot whose first record was read ahead to learn its
// source, then served again.
type peeked struct {
	rest   diff.Snapshot
	first  *diff.Record
	served bool
	id     string
	source string
}

func (p *peeked) Next() (*diff.Record, error) {
	if !p.served {
		p.served = true
		if p.first != nil {
			return p.first, nil
		}
	}
	return p.rest.Next()
}

// firstSource reads the first record of snap for the source it names. An
// empty snapshot names none.
func firstSource(snap diff.Snapshot) (*peeked, error) {
	p := &peeked{rest: snap}
	rec, err := snap.Next()
	if err == io.EOF {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	// Only the source member is decoded: the record itself stays as the
	// reader made it for Compare.
	var e struct {
		Source string `json:"source"`
	}
	if err := json.Unmarshal(rec.Line, &e); err != nil {
		return nil, fmt.Errorf("line 1: %w", err)
	}
	p.first, p.id, p.source = rec, rec.ID, e.Source
	return p, nil
}

// reportInput fills the report's heading and counts from the sides: the
// manifests where there are, NEW's for what describes the new snapshot.
func reportInput(old, cur *side, counts diff.Counts) (diff.ReportInput, error) {
	in := diff.ReportInput{
		Version:         cur.version(),
		PreviousVersion: old.version(),
		EntityCount:     counts.Added + counts.Changed + counts.Unchanged,
		Counts:          counts,
	}
	if m := cur.manifest; m != nil {
		// The folder's entities are what was counted; a manifest that
		// says otherwise describes some other snapshot.
		if m.EntityCount != in.EntityCount {
			return in, fmt.Errorf("NEW %s: manifest.json says %d entities but %s holds %d",
				cur.path, m.EntityCount, layout.EntitiesName, in.EntityCount)
		}
		in.CountsByType = m.CountsByType
		if m.PublicationDate != nil {
			in.PublicationDate = *m.PublicationDate
		}
		if m.PublishedAt != "" {
			t, err := time.Parse(time.RFC3339, m.PublishedAt)
			if err != nil {
				return in, fmt.Errorf("NEW %s: manifest.json published_at: %w", cur.path, err)
			}
			in.PublishedAt = t
		}
		cov := m.Coverage
		in.Coverage = &cov
		in.IssueTotal = m.IssueCount
		for _, is := range m.Issues {
			in.Issues = append(in.Issues, diff.Issue{File: is.File, Line: is.Line, Record: is.Record, Problem: is.Problem})
		}
	}

	// An empty NEW entities file names no source; OLD's then stands for
	// both, and the report says where it came from.
	name, from := cur.source, ""
	if name == "" && old.source != "" {
		name, from = old.source, ", named by OLD: NEW "+cur.path+" holds no entity"
	}
	info, known := sourceInfo(name)
	switch {
	case name == "":
		in.Source = "unknown: neither OLD nor NEW holds an entity to name it"
		in.Title = "title unknown"
	case !known:
		in.Source = name + from
		in.Title = "title unknown: " + name + " is not a source of this build"
	default:
		in.Source, in.Title, in.Publisher = name+from, info.Title, info.Publisher
	}
	if old.source != "" && old.source != cur.source && cur.source != "" {
		// Forced: the heading and the meta rows name both sources, and
		// each version says whose it is.
		oldInfo, _ := sourceInfo(old.source)
		in.Source = fmt.Sprintf("%s against %s: different sources, compared with --force", cur.source, old.source)
		in.Title = fmt.Sprintf("%s against %s", orName(info.Title, cur.source), orName(oldInfo.Title, old.source))
		if info.Publisher != "" || oldInfo.Publisher != "" {
			in.Publisher = fmt.Sprintf("%s against %s", orName(info.Publisher, cur.source), orName(oldInfo.Publisher, old.source))
		}
		in.Version = cur.source + " " + in.Version
		in.PreviousVersion = old.source + " " + in.PreviousVersion
	}
	return in, nil
}

// sourceInfo looks a source up in the registry by name.
func sourceInfo(name string) (sources.Info, bool) {
	for _, s := range all.Registry(all.Config{}) {
		if info := s.Info(); info.Name == name {
			return info, true
		}
	}
	return sources.Info{}, false
}

func orName(s, name string) string {
	if s == "" {
		return name
	}
	return s
}

// openSnapshotFile opens an entities file, gzipped when its name ends in .gz.
func openSnapshotFile(p string) (diff.Snapshot, func(), error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	var r io.Reader = f
	if strings.HasSuffix(p, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		r = zr
	}
	return diff.NewLineReader(r), func() { f.Close() }, nil
}

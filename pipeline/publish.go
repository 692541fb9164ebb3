package pipeline

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sanctions-etl/sanctions-etl/csvexport"
	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/internal/extsort"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

var newline = []byte("\n")

// OpenEntities streams the entities of a published version.
func OpenEntities(ctx context.Context, st sink.Store, source, version string) (diff.Snapshot, io.Closer, error) {
	rc, _, err := st.Get(ctx, layout.Object(source, version, layout.EntitiesName))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: open version %s: %w", source, version, err)
	}
	zr, err := gzip.NewReader(rc)
	if err != nil {
		rc.Close()
		return nil, nil, fmt.Errorf("%s: open version %s: %w", source, version, err)
	}
	return diff.NewLineReader(zr), rc, nil
}

// compared is the second phase of a run: the new snapshot and the delta
// in temp files, the report's state, and the counts.
type compared struct {
	csv *tempFile // entities.csv
	// entities.ftm.json (with its SHA-1, for catalog.json) and
	// entities.delta.json (exportFtM).
	ftm, ftmDelta *tempFile
	ftmSHA1       string
	ftmSummary    FtMSummary
	entities      int
	byType        map[string]int
	byList        map[string]int
	counts        diff.Counts
	entFile       *tempFile
	delta         *tempFile
	report        *diff.ReportBuilder
	shortened     string // the entity printed last, if it lost values
}

func (c *compared) remove() {
	for _, f := range []*tempFile{c.entFile, c.delta, c.csv, c.ftm, c.ftmDelta} {
		if f != nil {
			os.Remove(f.path)
		}
	}
	// The report's cards spilled to TempDir; a failure to remove them
	// leaves files there and nothing else.
	c.report.Close()
}

// compare makes one pass over the previous snapshot and the sorted new
// entities that fills the history fields, writes the new snapshot and the
// delta (each compressed in a goroutine of its own), and feeds the report.
func (r *run) compare(ctx context.Context, version string, sorted *extsort.Iterator, meta sources.Meta) (*compared, error) {
	st, name := r.cfg.Store, r.info.Name
	// The previous snapshot streams from the store and is closed as soon as
	// the comparison is done.
	var old diff.Snapshot
	if r.prev != nil {
		snap, closer, err := OpenEntities(ctx, st, name, r.latest.Version)
		if err != nil {
			return nil, err
		}
		defer closer.Close()
		old = snap
	}
	ents, err := newGzipFile(r.cfg.TempDir, "entities-*.jsonl.gz", GzipLevel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer ents.Abort()
	dw, err := newGzipFile(r.cfg.TempDir, "delta-*.jsonl.gz", GzipLevel)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer dw.Abort()

	// The report renders a card per op and spills them to TempDir, so that
	// a first version of 50,000 entities does not hold them in memory.
	c := &compared{report: diff.NewReportBuilderIn(r.cfg.TempDir, r.cfg.ReportRows)}
	ok := false
	defer func() {
		if !ok {
			c.report.Close()
		}
	}()
	// entities.csv, for people, written from the same lines in id order.
	csvFile, err := newPlainFile(r.cfg.TempDir, "entities-*.csv")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer csvFile.Abort()
	table := csvexport.NewWriter(csvFile)
	var row entity.Entity
	cur := newSortedSnapshot(sorted, &r.issues, r.mainFile)
	deltaw := diff.NewDeltaWriter(dw)
	counts, err := diff.CarryCompareStream(old, cur, version, func(op diff.Op) error {
		if meta.Unproven != "" && op.Op == diff.OpChange && op.ID == r.lastParsed && diff.LosesValues(op) {
			c.shortened = op.ID
		}
		if err := c.report.Add(op); err != nil {
			return err
		}
		if old == nil {
			return nil // the first version's delta is empty by contract
		}
		return deltaw.Write(op)
	}, func(head, tail []byte) error {
		ents.Write(head)
		ents.Write(tail)
		if _, err := ents.Write(newline); err != nil {
			return err
		}
		row = entity.Entity{}
		if err := json.Unmarshal(append(append([]byte(nil), head...), tail...), &row); err != nil {
			return fmt.Errorf("entities.csv: %w", err)
		}
		return table.Write(&row)
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("%s: diff against %s: %w", name, orNone(r.latest.Version), err)
	}
	if c.entFile, err = ents.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if c.delta, err = dw.Close(); err != nil {
		c.remove()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := table.Close(); err != nil {
		c.remove()
		return nil, fmt.Errorf("%s: entities.csv: %w", name, err)
	}
	if c.csv, err = csvFile.Close(); err != nil {
		c.remove()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ok = true
	if old == nil {
		// Nothing to compare with: the delta is empty and so are its counts;
		// the report still lists every entity as new.
		counts = diff.Counts{}
	}
	c.counts, c.entities, c.byType, c.byList = counts, cur.n, cur.byType, cur.byList
	return c, nil
}

// checkProven refuses what a cut in a file without an end mark could
// have caused: without one, a cut between rows loses the entities after
// it (removals) or the last rows of the entity printed last (values it
// loses); either may be the cut, so neither is published.
func (r *run) checkProven(c *compared, meta sources.Meta, format string) error {
	name := r.info.Name
	hint := "publish from a format with an end mark or count"
	var others []string
	for _, set := range r.info.Formats {
		if set.Format != format {
			others = append(others, set.Format)
		}
	}
	if len(others) > 0 {
		hint += ": " + name + " also publishes " + strings.Join(others, ", ")
	}
	if meta.Unproven != "" && c.counts.Removed > 0 {
		return fmt.Errorf("%s: integrity: this publication would remove %d entities, but %s: %w; nothing published, latest stays %s (%s)",
			name, c.counts.Removed, meta.Unproven, sources.ErrIncomplete, orNone(r.latest.Version), hint)
	}
	if c.shortened != "" {
		return fmt.Errorf("%s: integrity: the entity the file prints last, %s, would lose values, but %s: %w; nothing published, latest stays %s (%s)",
			name, c.shortened, meta.Unproven, sources.ErrIncomplete, orNone(r.latest.Version), hint)
	}
	return nil
}

// publish writes the version folder, then moves versions.json and last
// latest.json. Until latest.json moves nothing names the new folder, so a
// crash leaves at most an orphaned folder.
func (r *run) publish(ctx context.Context, version string, in *sources.Input, c *compared, meta sources.Meta) error {
	st, name := r.cfg.Store, r.info.Name
	counts, report, entFile, delta := c.counts, c.report, c.entFile, c.delta
	r.res.Delta = counts

	m := r.manifest(version, in, c, meta)
	objMeta := map[string]string{"source": name, "version": version}
	rin := diff.ReportInput{
		Source: name, Title: r.info.Title, Publisher: r.info.Publisher,
		Version: version, PreviousVersion: r.latest.Version, PublicationDate: meta.PublicationDate,
		PublishedAt: r.started, EntityCount: c.entities, CountsByType: m.CountsByType,
		Counts: counts, IssueTotal: m.IssueCount, Coverage: &m.Coverage,
		Reason: m.Reason,
	}
	if m.ReprocessedFrom != nil {
		rin.ReprocessedFrom = *m.ReprocessedFrom
	}
	for _, is := range m.Issues {
		rin.Issues = append(rin.Issues, diff.Issue{File: is.File, Line: is.Line, Record: is.Record, Problem: is.Problem})
	}
	md, err := r.writeTemp("report-*.md", func(w io.Writer) error { return report.WriteMarkdown(w, rin) })
	if err != nil {
		return fmt.Errorf("%s: write report.md: %w", name, err)
	}
	defer os.Remove(md.path)
	html, err := r.writeTemp("report-*.html", func(w io.Writer) error { return report.WriteHTML(w, rin) })
	if err != nil {
		return fmt.Errorf("%s: write report.html: %w", name, err)
	}
	defer os.Remove(html.path)

	// The version folder: raw files and outputs uploaded in parallel, then
	// the manifest once all of them are in, then the pointers. Each object
	// carries the sha256 the manifest records; the store checks it.
	uploadStart := time.Now()
	type upload struct {
		what, key, path, contentType, sha256 string
		bytes                                int64
	}
	var uploads []upload
	for _, f := range in.Files {
		uploads = append(uploads, upload{"raw " + f.Name, layout.Raw(name, version, f.Name), f.Path, contentTypeOf(f.Name), f.SHA256, f.Bytes})
	}
	outputs := []struct {
		name, contentType string
		file              *tempFile
	}{
		{layout.EntitiesName, "application/gzip", entFile},
		{layout.DeltaName, "application/gzip", delta},
		{layout.ReportMDName, "text/markdown; charset=utf-8", md},
		{layout.ReportHTMLName, "text/html; charset=utf-8", html},
		{layout.EntitiesCSVName, "text/csv; charset=utf-8", c.csv},
		{layout.FtMName, FtMMimeType, c.ftm},
		{layout.FtMDeltaName, FtMMimeType, c.ftmDelta},
	}
	for _, o := range outputs {
		uploads = append(uploads, upload{o.name, layout.Object(name, version, o.name), o.file.path, o.contentType, o.file.sha256, o.file.bytes})
		out := Output{Name: o.name, SHA256: o.file.sha256, Bytes: o.file.bytes}
		if o.name == layout.FtMName {
			out.SHA1 = c.ftmSHA1
		}
		m.Outputs = append(m.Outputs, out)
	}
	if meta.Built != nil {
		for _, o := range meta.Built.Outputs {
			sum, n, err := hashLocal(o.Path)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", name, o.Name, err)
			}
			uploads = append(uploads, upload{o.Name, layout.Object(name, version, o.Name), o.Path, o.ContentType, sum, n})
			m.Outputs = append(m.Outputs, Output{Name: o.Name, SHA256: sum, Bytes: n})
		}
	}
	put := func(ctx context.Context, u upload) error {
		err := putFile(ctx, st, u.key, u.path, sink.PutOptions{ContentType: u.contentType, Metadata: objMeta, SHA256: u.sha256})
		if err != nil {
			return fmt.Errorf("%s: publish %s: %w", name, u.what, err)
		}
		return nil
	}
	// The first object claims the folder: a run that started in the same
	// second computed the same version id, and the one whose create is
	// refused stops before writing anything else.
	var claim upload // report.md: small
	for _, u := range uploads {
		if u.key == layout.Object(name, version, layout.ReportMDName) {
			claim = u
		}
	}
	bar := r.publishProgress(len(uploads))
	if err := put(ctx, claim); err != nil {
		if errors.Is(err, sink.ErrPrecondition) {
			return fmt.Errorf("%s: version folder %s is being written by another run: %w", name, version, ErrConcurrent)
		}
		return err
	}
	bar.Add(1)
	r.fault(FaultClaimed)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.cfg.uploadConcurrency())
	var done atomic.Int32
	for _, u := range uploads {
		if u.key != claim.key {
			g.Go(func() error {
				if err := put(gctx, u); err != nil {
					return err
				}
				bar.Add(1)
				r.fault(fmt.Sprintf("%s%d", FaultUploaded, done.Add(1)))
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return fmt.Errorf("%w (version folder %s is left incomplete; no pointer names it)", err, version)
	}
	bar.Done()
	m.PublishedAt = r.cfg.now().Format(time.RFC3339)
	if _, err := writeJSON(ctx, st, layout.Object(name, version, layout.ManifestName), m, sink.PutOptions{Metadata: objMeta}); err != nil {
		return fmt.Errorf("%s: publish manifest: %w", name, err)
	}
	r.fault(FaultManifestWritten)
	want := map[string]int64{layout.Object(name, version, layout.ManifestName): -1}
	for _, u := range uploads {
		want[u.key] = u.bytes
	}
	if err := checkFolder(ctx, st, name, version, want); err != nil {
		return err
	}
	if err := r.movePointers(ctx, m); err != nil {
		return err
	}
	r.res.Upload = time.Since(uploadStart)
	r.log.Info("published", "version", version, "entities", c.entities,
		"added", counts.Added, "removed", counts.Removed, "changed", counts.Changed, "issues", m.IssueCount,
		"parse_seconds", r.res.Parse.Seconds(), "compare_seconds", r.res.Compare.Seconds(), "export_seconds", r.res.Export.Seconds(),
		"upload_seconds", r.res.Upload.Seconds(), "sort_runs", r.res.SortRuns)
	return nil
}

func (r *run) manifest(version string, in *sources.Input, c *compared, meta sources.Meta) *Manifest {
	counts := c.counts
	m := &Manifest{
		Source:        r.info.Name,
		Version:       version,
		SchemaVersion: entity.SchemaVersion,
		ToolVersion:   r.cfg.ToolVersion,
		StartedAt:     r.started.Format(time.RFC3339),
		Format:        in.Format,
		DeclaredCount: meta.DeclaredCount,
		EntityCount:   c.entities,
		CountsByType:  c.byType,
		CountsByList:  c.byList,
		Delisted:      meta.Delisted,
		Delta:         DeltaCounts{Added: counts.Added, Removed: counts.Removed, Changed: counts.Changed},
		Reason:        ReasonPublication,
		IssueCount:    r.issues.Total(),
		Coverage:      r.coverage,
		Issues:        r.issues.List(),
	}
	if r.latest.Version != "" {
		pv := r.latest.Version
		m.PreviousVersion = &pv
		if r.reprocess {
			m.Reason, m.ReprocessedFrom = ReasonReprocess, &pv
		}
	}
	if rp := r.replay; rp != nil {
		// The replayed version keeps what made it.
		if rp.Manifest.Reason != "" {
			m.Reason = rp.Manifest.Reason
		}
		m.ReprocessedFrom = rp.Manifest.ReprocessedFrom
	}
	if meta.PublicationDate != "" {
		pd := meta.PublicationDate
		m.PublicationDate = &pd
	}
	for _, f := range in.Files {
		m.Files = append(m.Files, FileRecord{Name: f.Name, URL: f.URL, SHA256: f.SHA256, Bytes: f.Bytes})
	}
	if m.Issues == nil {
		m.Issues = []sources.Issue{}
	}
	if b := meta.Built; b != nil {
		m.Sources, m.Links = b.From, b.Summary
	}
	if c.ftm != nil {
		fs := c.ftmSummary
		m.FtM = &fs
	}
	return m
}

// movePointers moves latest.json by compare-and-swap on what this run read,
// so two racing runs cannot both move it: that move is the publication.
// versions.json follows latest.json (see syncVersions); when that update
// fails the publication stands and the next run completes the list.
func (r *run) movePointers(ctx context.Context, m *Manifest) error {
	st, name := r.cfg.Store, r.info.Name
	latest := Latest{Version: m.Version, Manifest: layout.ManifestRel(m.Version)}
	// An empty IfMatch is a create-only write: the first publication.
	if _, err := writeJSON(ctx, st, layout.Latest(name), latest, sink.PutOptions{IfMatch: r.latestETag}); err != nil {
		if errors.Is(err, sink.ErrPrecondition) {
			err = ErrConcurrent
		}
		return fmt.Errorf("%s: move latest.json to %s: %w (version folder %s is orphaned)", name, m.Version, err, m.Version)
	}
	r.res.Outcome, r.res.Version = Published, m.Version
	r.fault(FaultLatestMoved)
	if _, err := syncVersions(ctx, st, name, r.log, false); err != nil {
		r.warn("published %s, but versions.json was not brought up to date (the next run does it): %v", m.Version, err)
		return nil
	}
	r.fault(FaultVersionsWritten)
	return nil
}

// checkFolder lists the version folder and makes sure every object the
// manifest records is there with its size before latest.json names it: a
// folder something removed meanwhile (a gc run with a short grace) must not
// become latest.
func checkFolder(ctx context.Context, st sink.Store, source, version string, want map[string]int64) error {
	got := map[string]int64{}
	err := st.List(ctx, layout.VersionDir(source, version), func(i sink.Info) error {
		got[i.Key] = i.Size
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: check version folder %s: %w", source, version, err)
	}
	for key, size := range want {
		n, ok := got[key]
		switch {
		case !ok:
			return fmt.Errorf("%s: version folder %s lacks %s after upload; latest.json not moved", source, version, key)
		case size >= 0 && n != size:
			return fmt.Errorf("%s: version folder %s: %s holds %d bytes, uploaded %d; latest.json not moved", source, version, key, n, size)
		}
	}
	return nil
}

// hashLocal is the hex sha256 and size of a local file.
func hashLocal(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func contentTypeOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".xml":
		return "application/xml"
	case ".csv":
		return "text/csv"
	case ".json":
		return "application/json"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "application/octet-stream"
}

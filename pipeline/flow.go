package pipeline

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// run carries one source's run through its steps.
type run struct {
	cfg     *Config
	src     sources.Source
	info    sources.Info
	log     *slog.Logger
	res     *Result
	started time.Time
	issues  sources.Issues
	// coverage is what normalization did, for the manifest.
	coverage normalize.Coverage

	latest     Latest // zero when the source has never published
	latestETag string
	prev       *Manifest // manifest of latest, nil when none
	state      State     // the previous state.json
	validators map[string]fetch.Validators
	// newestFolder is the newest version folder in the store, named or
	// not: the new version sorts after it.
	newestFolder string
	// lastParsed is the id of the entity the publication printed last:
	// the one a cut between rows of a file without an end mark may have
	// left short.
	lastParsed string
	mainFile   string // the publication's main file, for issues
	// reprocess: the input is the latest version's raw files; replay: a
	// version of another store (RunOptions).
	reprocess bool
	replay    *Replayed
}

func (r *run) do(ctx context.Context) error {
	if err := r.loadPrevious(ctx); err != nil {
		return err
	}
	r.res.Version = r.latest.Version
	r.res.PreviousVersion = r.latest.Version
	r.reportOrphans(ctx)

	fetchStart := time.Now()
	// Fetch retries and progress are logged with this run's source and id.
	acq, err := r.acquire(ctx)
	r.res.Fetch = time.Since(fetchStart)
	if err != nil {
		return fmt.Errorf("%s: %w", r.info.Name, err)
	}
	defer closeFiles(acq.Input.Files)
	for _, f := range acq.Input.Files {
		r.res.FetchBytes += f.Bytes
	}
	r.validators = map[string]fetch.Validators{}
	for _, f := range acq.Input.Files {
		if !f.Validators.IsZero() {
			r.validators[f.Name] = f.Validators
		}
	}
	if acq.Unchanged {
		r.res.Outcome = Unchanged
		if r.prev != nil {
			r.res.Entities = r.prev.EntityCount
		}
		r.log.Info("not modified since last check")
		return nil
	}
	if !r.reprocess && r.replay == nil && r.prev != nil && sameFiles(r.prev.Files, acq.Input.Files) {
		r.res.Outcome = Unchanged
		r.res.Entities = r.prev.EntityCount
		r.log.Info("raw bytes unchanged", "version", r.latest.Version)
		return nil
	}

	if slots := r.cfg.ParseSlots; slots != nil {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("%s: waiting for a parse slot: %w", r.info.Name, context.Cause(ctx))
		}
		defer func() { <-slots }()
	}
	r.mainFile = acq.Input.Files[0].Name
	if _, err := sources.ReportReplacementChars(acq.Input.Files, &r.issues); err != nil {
		return fmt.Errorf("%s: %w", r.info.Name, err)
	}
	if r.prev != nil && len(r.prev.Files) > 0 && !strings.EqualFold(r.prev.Files[0].Name, r.mainFile) {
		// Another format or layout than the previous version's (OFAC's
		// advanced XML, then its legacy XML; DFAT's old workbook, then its
		// new one): the values only one of them carries show as changes.
		r.issues.Addf(r.mainFile, 0, "", "read from %s, the previous version from %s: values only one of the two carries show as changes in the delta",
			r.mainFile, r.prev.Files[0].Name)
	}
	parseStart := time.Now()
	sorted, meta, err := r.parse(ctx, acq.Input)
	r.res.Parse = time.Since(parseStart)
	defer func() {
		if err := sorted.Close(); err != nil {
			r.log.Warn("sorted runs not removed", "err", err)
		}
	}()
	if meta.Built != nil {
		defer func() {
			for _, o := range meta.Built.Outputs {
				os.Remove(o.Path)
			}
		}()
	}
	if err != nil {
		return err
	}
	version := nextVersion(r.started, max(r.latest.Version, r.newestFolder))
	if rp := r.replay; rp != nil {
		version = rp.Manifest.Version
		if newest := max(r.latest.Version, r.newestFolder); version <= newest {
			return fmt.Errorf("%s: replay of version %s: this store already has %s, which sorts after it", r.info.Name, version, newest)
		}
	}
	compareStart := time.Now()
	cmp, err := r.compare(ctx, version, sorted, meta)
	r.res.Compare = time.Since(compareStart)
	if cmp != nil {
		defer cmp.remove()
	}
	if err != nil {
		return err
	}
	r.res.Entities = cmp.entities
	r.res.Issues = r.issues.Total()
	if err := r.guard(cmp.entities, cmp.byList); err != nil {
		return err
	}
	if err := r.checkProven(cmp, meta, acq.Input.Format); err != nil {
		return err
	}
	exportStart := time.Now()
	if err := r.exportFtM(ctx, cmp); err != nil {
		return err
	}
	r.res.Export = time.Since(exportStart)
	if err := r.publish(ctx, version, acq.Input, cmp, meta); err != nil {
		return err
	}
	r.applyRetention(ctx)
	return nil
}

// acquire fetches the publication, or has an Assembler put its input
// together from the store.
func (r *run) acquire(ctx context.Context) (*sources.Acquired, error) {
	if rp := r.replay; rp != nil {
		f, err := newRawFetcher(ctx, rp.Store, r.info.Name, rp.Manifest.Version, r.cfg.TempDir)
		if err != nil {
			return nil, err
		}
		return sources.Acquire(ctx, r.info, f, nil, &r.issues)
	}
	if r.reprocess {
		if r.latest.Version == "" {
			return nil, fmt.Errorf("no version published yet: nothing to reprocess")
		}
		f, err := newRawFetcher(ctx, r.cfg.Store, r.info.Name, r.latest.Version, r.cfg.TempDir)
		if err != nil {
			return nil, err
		}
		return sources.Acquire(ctx, r.info, f, nil, &r.issues)
	}
	if as, ok := r.src.(sources.Assembler); ok {
		in, err := as.Assemble(ctx, r.cfg.TempDir)
		if err != nil {
			return nil, err
		}
		return &sources.Acquired{Input: in}, nil
	}
	return sources.Acquire(r.fetchProgress(fetch.WithLogger(ctx, r.log)), r.info, r.cfg.Fetcher, r.state.Validators, &r.issues)
}

// loadPrevious reads latest.json, its manifest and state.json.
func (r *run) loadPrevious(ctx context.Context) error {
	st := r.cfg.Store
	name := r.info.Name
	etag, found, err := readJSON(ctx, st, layout.Latest(name), &r.latest)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	r.latestETag = etag
	if found {
		var m Manifest
		if _, ok, err := readJSON(ctx, st, path.Join(name, r.latest.Manifest), &m); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		} else if !ok {
			return fmt.Errorf("%s: latest.json names %s, which does not exist", name, r.latest.Manifest)
		}
		r.prev = &m
	}
	if _, _, err := readJSON(ctx, st, layout.State(name), &r.state); err != nil {
		// A damaged state only costs the conditional GET; say so and go on.
		r.log.Warn("ignoring unreadable state", "err", err)
		r.state = State{}
	}
	return nil
}

func sameFiles(prev []FileRecord, files []*fetch.File) bool {
	if len(prev) != len(files) {
		return false
	}
	for i, f := range files {
		if prev[i].Name != f.Name || prev[i].SHA256 != f.SHA256 {
			return false
		}
	}
	return true
}

func closeFiles(files []*fetch.File) {
	for _, f := range files {
		f.Close()
	}
}

// guard refuses publications that are empty or lose too much.
// MinListDrop is how many entities a constituent list must lose before
// the per-list guard looks at its share: a small list losing its one or
// two parties is an ordinary delisting.
const MinListDrop = 5

// guard refuses a publication that lost more than the allowed share of
// the previous version's entities, in total or in any one constituent
// list: when trade.gov's CSL lost about 15,000 SDN and SSI rows for a day
// (2024-05-06), the lists' counts showed it whatever the total did.
func (r *run) guard(entities int, byList map[string]int) error {
	if entities == 0 {
		return fmt.Errorf("%s: guard: the publication yields 0 entities; nothing published, latest stays %s", r.info.Name, orNone(r.latest.Version))
	}
	if r.prev == nil || r.prev.EntityCount == 0 {
		return nil
	}
	share := r.info.MaxDropShare
	if share == 0 {
		share = r.cfg.MaxDropShare
	}
	if share == 0 {
		share = DefaultMaxDropShare
	}
	var falls []string
	if drop := float64(r.prev.EntityCount-entities) / float64(r.prev.EntityCount); drop > share {
		falls = append(falls, fmt.Sprintf("entity count fell from %d to %d (%.1f%%)", r.prev.EntityCount, entities, drop*100))
	}
	lists := make([]string, 0, len(r.prev.CountsByList))
	if len(byList) == 0 && len(r.prev.CountsByList) > 0 {
		// This publication's format prints no list memberships (OFAC's
		// legacy XML after its advanced XML): its lists are unknown, not
		// empty. The total above still guards it.
		r.issues.Addf("", 0, "", "per-list guard not applied: this format prints no list memberships; the previous version counted %d lists", len(r.prev.CountsByList))
	} else {
		for l := range r.prev.CountsByList {
			lists = append(lists, l)
		}
	}
	sort.Strings(lists)
	for _, l := range lists {
		was, now := r.prev.CountsByList[l], byList[l]
		if was-now < MinListDrop {
			continue
		}
		if drop := float64(was-now) / float64(was); drop > share {
			falls = append(falls, fmt.Sprintf("list %s fell from %d to %d (%.1f%%)", l, was, now, drop*100))
		}
	}
	if len(falls) == 0 {
		return nil
	}
	what := strings.Join(falls, "; ")
	if r.cfg.Force {
		r.log.Warn("drop guard overridden by --force", "previous", r.prev.EntityCount, "now", entities, "falls", what)
		r.issues.Addf("", 0, "", "%s, published with --force", what)
		return nil
	}
	return fmt.Errorf("%s: guard: %s (more than %.0f%% allowed); nothing published, latest stays %s (use --force to publish anyway)",
		r.info.Name, what, share*100, orNone(r.latest.Version))
}

func orNone(v string) string {
	if v == "" {
		return "none"
	}
	return v
}

// writeState records this check in state.json, whatever the outcome.
func (r *run) writeState(ctx context.Context, runErr error) error {
	now := r.cfg.now()
	st := State{
		Source:        r.info.Name,
		RunID:         r.res.RunID,
		CheckedAt:     now.Format(time.RFC3339),
		Outcome:       r.res.Outcome,
		LatestVersion: r.res.Version,
		LastSuccessAt: r.state.LastSuccessAt,
		Validators:    r.validators,
	}
	if runErr != nil {
		st.Outcome = Failed
		st.Error = runErr.Error()
		st.Validators = r.state.Validators // keep: nothing from this fetch was used
		st.LatestVersion = r.latest.Version
	} else {
		st.LastSuccessAt = st.CheckedAt
	}
	if st.Validators == nil {
		st.Validators = r.state.Validators
	}
	// state.json is advisory and rewritten on every check; a context that
	// was cancelled mid-run must still be able to record the failure.
	wctx := context.WithoutCancel(ctx)
	_, err := writeJSON(wctx, r.cfg.Store, layout.State(r.info.Name), st, sink.PutOptions{Overwrite: true})
	return err
}

// tempFile is an intermediate output with its digest.
type tempFile struct {
	path   string
	sha256 string
	bytes  int64
}

// writeTemp writes what fill produces to a temp file and records its
// digest.
func (r *run) writeTemp(pattern string, fill func(io.Writer) error) (*tempFile, error) {
	f, err := os.CreateTemp(r.cfg.TempDir, pattern)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	cw := &countWriter{w: writers{f, h}}
	// The reports are written in many small pieces: one system call each
	// was 6,700 writes for the UN list's first version.
	bw := bufio.NewWriterSize(cw, 64<<10)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return nil, err
	}
	return &tempFile{path: f.Name(), sha256: hex.EncodeToString(h.Sum(nil)), bytes: cw.n}, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func putFile(ctx context.Context, st sink.Store, key, file string, opts sink.PutOptions) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = st.Put(ctx, key, f, opts)
	return err
}

// ErrConcurrent reports that another run published this source first.
var ErrConcurrent = errors.New("another run moved latest.json during this run")

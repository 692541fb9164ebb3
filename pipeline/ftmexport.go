package pipeline

import (
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/sanctions-etl/sanctions-etl/ftm"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// FtMSummary is the manifest's account of the FollowTheMoney export
// (docs/ftm.md): what entities.ftm.json holds, what the conversion left
// out, and the ops of entities.delta.json.
type FtMSummary struct {
	Entities int             `json:"entities"`
	BySchema map[string]int  `json:"by_schema"`
	Dropped  map[string]int  `json:"dropped,omitempty"`
	Delta    ftm.DeltaCounts `json:"delta"`
	// DeltaFrom says what the delta was computed against: FtMFromExport
	// (the previous version's entities.ftm.json) or FtMFromEntities (the
	// previous version had no FtM export, so its entities were converted
	// by this tool); empty for a first version, whose delta is empty.
	DeltaFrom string `json:"delta_from,omitempty"`
}

// FtMMimeType is the media type OpenSanctions gives FtM line files, the
// one a yente manifest's resource_type names.
const FtMMimeType = "application/json+ftm"

// ftmSortBudget is each of the export's sorts' buffer. Two are filled or
// merged at once, after the comparison; at extsort's default (4 MiB) the
// 100 MB UN run peaked at 101 MiB RSS (TestWholeRunMemoryFlat, limit
// 100), so the export takes a quarter of it: more runs on disk, each
// read through 32 KiB.
const ftmSortBudget = 1 << 20

// What an FtM delta was computed against.
const (
	FtMFromExport   = "export"
	FtMFromEntities = "entities"
)

// exportFtM writes entities.ftm.json from the new snapshot and
// entities.delta.json against the previous version's export into c.
func (r *run) exportFtM(ctx context.Context, c *compared) error {
	name := r.info.Name
	budget := ftmSortBudget
	if r.cfg.SortBuffer > 0 && r.cfg.SortBuffer < budget {
		budget = r.cfg.SortBuffer
	}
	opt := ftm.ExportOptions{TempDir: r.cfg.TempDir, SortBudget: budget}
	out, err := newPlainFile(r.cfg.TempDir, "entities-*.ftm.json")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer out.Abort()
	sum := sha1.New() // yente checks a resource's checksum as SHA-1
	counts, err := ftm.Export(ctx, openGzipFile(c.entFile.path), io.MultiWriter(out, sum), opt)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", name, layout.FtMName, err)
	}
	if c.ftm, err = out.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	c.ftmSHA1 = hex.EncodeToString(sum.Sum(nil))
	c.ftmSummary = FtMSummary{Entities: counts.Entities, BySchema: counts.BySchema, Dropped: counts.Dropped}

	dw, err := newPlainFile(r.cfg.TempDir, "entities-*.delta.json")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer dw.Abort()
	if r.prev != nil {
		// The first version's delta is empty, as delta.jsonl.gz's is.
		prev, from, cleanup, err := r.previousFtM(ctx, opt)
		if err != nil {
			return err
		}
		defer cleanup()
		next, err := os.Open(c.ftm.path)
		if err != nil {
			prev.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		dc, err := ftm.WriteDelta(prev, next, dw)
		prev.Close()
		next.Close()
		if err != nil {
			return fmt.Errorf("%s: %s against %s: %w", name, layout.FtMDeltaName, r.latest.Version, err)
		}
		c.ftmSummary.Delta, c.ftmSummary.DeltaFrom = dc, from
	}
	if c.ftmDelta, err = dw.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// previousFtM opens the previous version's FtM export: the stored
// entities.ftm.json, or, for a version an earlier tool wrote without one,
// its entities converted now (into a temp file cleanup removes).
func (r *run) previousFtM(ctx context.Context, opt ftm.ExportOptions) (io.ReadCloser, string, func(), error) {
	st, name, v := r.cfg.Store, r.info.Name, r.latest.Version
	rc, _, err := st.Get(ctx, layout.Object(name, v, layout.FtMName))
	if err == nil {
		return rc, FtMFromExport, func() {}, nil
	}
	if !st.IsNotExist(err) {
		return nil, "", nil, fmt.Errorf("%s: open %s of %s: %w", name, layout.FtMName, v, err)
	}
	tmp, err := os.CreateTemp(r.cfg.TempDir, "previous-*.ftm.json")
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s: %w", name, err)
	}
	cleanup := func() { os.Remove(tmp.Name()) }
	open := func() (io.ReadCloser, error) {
		rc, _, err := st.Get(ctx, layout.Object(name, v, layout.EntitiesName))
		if err != nil {
			return nil, err
		}
		return gzipReadCloser(rc)
	}
	_, err = ftm.Export(ctx, open, tmp, opt)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		rc, err = os.Open(tmp.Name())
	}
	if err != nil {
		cleanup()
		return nil, "", nil, fmt.Errorf("%s: convert the entities of %s (it has no %s): %w", name, v, layout.FtMName, err)
	}
	return rc, FtMFromEntities, cleanup, nil
}

// openGzipFile opens a local gzip file for reading, decompressed.
func openGzipFile(path string) ftm.Opener {
	return func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return gzipReadCloser(f)
	}
}

// gzipReadCloser decompresses rc; closing it closes rc.
func gzipReadCloser(rc io.ReadCloser) (io.ReadCloser, error) {
	zr, err := gzip.NewReader(rc)
	if err != nil {
		rc.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, rc}, nil
}

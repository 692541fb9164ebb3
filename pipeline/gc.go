package pipeline

import (
	"context"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
)

// DefaultGCGrace is how old an orphaned version folder must be before GC
// removes it: far longer than any run, so a run still writing its folder
// is never touched.
const DefaultGCGrace = 24 * time.Hour

// GCConfig says what GC looks at.
type GCConfig struct {
	Store   sink.Store
	Sources []string
	// Grace: only orphans whose run started longer ago than this go;
	// 0 = DefaultGCGrace.
	Grace  time.Duration
	DryRun bool             // report, delete nothing
	Now    func() time.Time // nil = time.Now
}

// Orphan is a version folder that no pointer names.
type Orphan struct {
	Source  string
	Version string
	Objects int
	Bytes   int64
	Started time.Time // from the version id
}

// GC removes the version folders of each source that no pointer
// (latest.json, versions.json) names and whose run started more than the
// grace period ago: what crashed or failed runs, and interrupted
// retention, left. It returns what it removed (or, with DryRun, would
// remove), and stops at the first error.
func GC(ctx context.Context, cfg GCConfig) ([]Orphan, error) {
	grace := cfg.Grace
	if grace <= 0 {
		grace = DefaultGCGrace
	}
	now := time.Now().UTC()
	if cfg.Now != nil {
		now = cfg.Now().UTC()
	}
	var removed []Orphan
	for _, source := range cfg.Sources {
		// Pointers are read after the listing: a version that a run names
		// in between is then seen as named.
		folders, err := versionFolders(ctx, cfg.Store, source)
		if err != nil {
			return removed, err
		}
		p, err := readPointers(ctx, cfg.Store, source)
		if err != nil {
			return removed, err
		}
		for _, f := range orphans(folders, p) {
			started, _ := versionTime(f.Version)
			if now.Sub(started) <= grace {
				continue
			}
			if !cfg.DryRun {
				if err := deleteFolder(ctx, cfg.Store, source, f); err != nil {
					return removed, err
				}
			}
			removed = append(removed, Orphan{Source: source, Version: f.Version, Objects: len(f.Keys), Bytes: f.Bytes, Started: started})
		}
	}
	return removed, nil
}

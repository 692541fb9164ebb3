package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/lease"
)

// DefaultGCGrace is how old an orphaned version folder must be before GC
// removes it: far longer than any run, so a run still writing its folder
// is never touched.
const DefaultGCGrace = 24 * time.Hour

// MinGCGrace is the shortest grace GC accepts. A run without a lease is
// protected only by the grace, and a run may take up to an hour (the
// CronJob's active deadline): a shorter grace could remove the folder of a
// publication in progress.
const MinGCGrace = time.Hour

// GCConfig says what GC looks at.
type GCConfig struct {
	Store   sink.Store
	Sources []string
	// Grace: only orphans whose run started longer ago than this go;
	// 0 = DefaultGCGrace; less than MinGCGrace is refused.
	Grace  time.Duration
	DryRun bool             // report, delete nothing
	Now    func() time.Time // for the folders' age; nil = time.Now
	// LeaseTTL is how long a damaged lease object counts as held (as a run
	// would treat it); 0 = MinGCGrace.
	LeaseTTL time.Duration
	Logger   *slog.Logger // nil = slog.Default()
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
// (latest.json, versions.json, or the previous_version chain from latest)
// names and whose run started more than the grace period ago: what crashed
// or failed runs, and interrupted retention, left. A source whose lease a
// run holds is left alone. It returns what it removed (or, with DryRun,
// would remove), and stops at the first error.
func GC(ctx context.Context, cfg GCConfig) ([]Orphan, error) {
	grace := cfg.Grace
	if grace == 0 {
		grace = DefaultGCGrace
	}
	if grace < MinGCGrace {
		return nil, fmt.Errorf("gc: grace %v is shorter than the safe minimum %v: a run still writing its version folder could lose it", grace, MinGCGrace)
	}
	now := time.Now().UTC()
	if cfg.Now != nil {
		now = cfg.Now().UTC()
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	leaseTTL := cmp.Or(cfg.LeaseTTL, MinGCGrace)
	var removed []Orphan
	for _, source := range cfg.Sources {
		rec, held, err := lease.Holding(ctx, cfg.Store, source, leaseTTL, time.Now()) // holders write wall-clock expiries
		if err != nil {
			return removed, fmt.Errorf("%s: gc: %w", source, err)
		}
		if held {
			log.Warn("gc: source skipped: a run holds its lease", "source", source, "holder", rec.Holder, "run_id", rec.RunID, "expires_at", rec.ExpiresAt)
			continue
		}
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
		// A killed run may have moved latest.json without listing its
		// version: the chain from latest names it all the same.
		chain, _, _, err := reconcile(ctx, cfg.Store, source, p.latest, p.versions)
		if err != nil {
			return removed, err
		}
		p.versions = append(p.versions, chain...)
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
		// What killed writers left that no listing shows (sink/local's
		// temp files); a running writer's files are never touched.
		if sw, ok := sink.AsSweeper(cfg.Store); ok && !cfg.DryRun {
			swept, err := sw.Sweep(ctx, source+"/")
			if err != nil {
				return removed, fmt.Errorf("%s: gc: sweep: %w", source, err)
			}
			if swept.Files > 0 || swept.Folders > 0 {
				log.Info("gc: swept what killed writers left", "source", source, "files", swept.Files, "folders", swept.Folders, "bytes", swept.Bytes)
			}
		}
	}
	return removed, nil
}

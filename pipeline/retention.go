package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// Retention bounds the versions a source keeps. The zero value keeps
// everything (the versions are an audit trail).
//
// With KeepVersions set, the KeepVersions newest versions are kept; with
// KeepDays set, every version whose run started within the last KeepDays
// days is kept. With both set a version goes only when both let it go.
// The version latest.json names, and any version newer than it, are
// always kept.
type Retention struct {
	KeepVersions int
	KeepDays     int
}

// IsZero reports whether the policy keeps everything.
func (k Retention) IsZero() bool { return k.KeepVersions <= 0 && k.KeepDays <= 0 }

// expired returns the entries of versions (newest first) the policy lets
// go at now.
func (k Retention) expired(versions []VersionEntry, latest string, now time.Time) (drop, keep []VersionEntry) {
	if k.IsZero() || latest == "" {
		return nil, versions
	}
	for i, e := range versions {
		t, ok := versionTime(e.Version)
		expire := ok && e.Version < latest
		if k.KeepVersions > 0 && i < k.KeepVersions {
			expire = false
		}
		if k.KeepDays > 0 && !t.Before(now.AddDate(0, 0, -k.KeepDays)) {
			expire = false
		}
		if expire {
			drop = append(drop, e)
		} else {
			keep = append(keep, e)
		}
	}
	return drop, keep
}

// Prune applies the retention policy to source: it takes the expired
// versions out of versions.json (compare-and-swap, so a concurrent
// publication is never lost) and then deletes their folders. A crash in
// between leaves folders no pointer names, which gc removes. It returns
// the versions removed.
func Prune(ctx context.Context, st sink.Store, source string, keep Retention, now time.Time) ([]string, error) {
	if keep.IsZero() {
		return nil, nil
	}
	p, err := readPointers(ctx, st, source)
	if err != nil || !p.hasVersions || p.latest.Version == "" {
		return nil, err
	}
	drop, kept := keep.expired(p.versions, p.latest.Version, now)
	if len(drop) == 0 {
		return nil, nil
	}
	if _, err := writeJSON(ctx, st, layout.Versions(source), kept, sink.PutOptions{IfMatch: p.versionsETag}); err != nil {
		if errors.Is(err, sink.ErrPrecondition) {
			err = ErrConcurrent
		}
		return nil, fmt.Errorf("%s: retention: rewrite versions.json: %w", source, err)
	}
	folders, err := versionFolders(ctx, st, source)
	if err != nil {
		return nil, fmt.Errorf("%s: retention: %w", source, err)
	}
	byVersion := map[string]folder{}
	for _, f := range folders {
		byVersion[f.Version] = f
	}
	var removed []string
	for _, e := range drop {
		if f, ok := byVersion[e.Version]; ok {
			if err := deleteFolder(ctx, st, source, f); err != nil {
				return removed, fmt.Errorf("retention: %w", err)
			}
		}
		removed = append(removed, e.Version)
	}
	return removed, nil
}

// applyRetention prunes after a publication. A failure does not undo the
// publication: it is logged, and the next run (or gc) finishes the job.
func (r *run) applyRetention(ctx context.Context) {
	keep := r.cfg.retention()
	if keep.IsZero() {
		return
	}
	removed, err := Prune(ctx, r.cfg.Store, r.info.Name, keep, r.cfg.now())
	r.res.Pruned = removed
	if len(removed) > 0 {
		r.log.Info("retention removed versions", "versions", removed, "keep_versions", keep.KeepVersions, "keep_days", keep.KeepDays)
	}
	if err != nil {
		r.log.Error("retention", "err", err)
	}
}

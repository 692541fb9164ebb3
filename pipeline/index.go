package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// UpdateIndex refreshes index.json from the latest.json, manifest and
// state.json of each source in srcs; entries of other sources are kept.
// It is a derived catalog, rewritten with compare-and-swap and retried when
// another run wrote it in between. catalog.json and the sources' FtM
// delta indexes follow (updateCatalog).
func UpdateIndex(ctx context.Context, cfg Config, srcs []sources.Source) error {
	if err := updateIndex(ctx, cfg, srcs); err != nil {
		return err
	}
	return updateCatalog(ctx, cfg, srcs)
}

func updateIndex(ctx context.Context, cfg Config, srcs []sources.Source) error {
	st := cfg.Store
	fresh := map[string]IndexEntry{}
	for _, src := range srcs {
		info := src.Info()
		e, ok, err := indexEntry(ctx, st, info)
		if err != nil {
			return err
		}
		if ok {
			fresh[info.Name] = e
		}
	}
	for attempt := 0; ; attempt++ {
		var idx Index
		etag, found, err := readJSON(ctx, st, layout.Index(), &idx)
		if err != nil {
			return err
		}
		merged := map[string]IndexEntry{}
		for _, e := range idx.Sources {
			merged[e.Source] = e
		}
		for n, e := range fresh {
			merged[n] = e
		}
		idx = Index{UpdatedAt: cfg.now().Format(time.RFC3339), Sources: make([]IndexEntry, 0, len(merged))}
		for _, e := range merged {
			idx.Sources = append(idx.Sources, e)
		}
		sort.Slice(idx.Sources, func(i, j int) bool { return idx.Sources[i].Source < idx.Sources[j].Source })
		opts := sink.PutOptions{IfMatch: etag}
		if !found {
			opts = sink.PutOptions{}
		}
		_, err = writeJSON(ctx, st, layout.Index(), idx, opts)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sink.ErrPrecondition) || attempt >= 4 {
			return fmt.Errorf("update index.json: %w", err)
		}
	}
}

func indexEntry(ctx context.Context, st sink.Store, info sources.Info) (IndexEntry, bool, error) {
	stored, err := ReadStored(ctx, st, info.Name)
	if err != nil || stored.Latest.Version == "" {
		return IndexEntry{}, false, err
	}
	latest, m, state := stored.Latest, stored.Manifest, stored.State
	e := IndexEntry{
		Source: info.Name, Publisher: info.Publisher, Title: info.Title,
		LatestVersion: latest.Version, Manifest: path.Join(info.Name, latest.Manifest),
		PublishedAt: m.PublishedAt, EntityCount: m.EntityCount, CountsByType: m.CountsByType,
		LastCheckedAt: state.CheckedAt, LastOutcome: state.Outcome, UpdatedAt: m.PublishedAt,
	}
	if m.PublicationDate != nil {
		e.PublicationDate = *m.PublicationDate
	}
	return e, true, nil
}

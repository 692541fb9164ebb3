package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// UpdateIndex refreshes index.json from the latest.json, manifest and
// state.json of each source in srcs; entries of other sources are kept.
// It is a derived catalog, rewritten with compare-and-swap and retried when
// another run wrote it in between. catalog.json and the sources' FtM
// delta indexes follow (updateCatalog), from the same reading of each
// source.
func UpdateIndex(ctx context.Context, cfg Config, srcs []sources.Source) error {
	stored := make([]Stored, len(srcs))
	for i, src := range srcs {
		var err error
		if stored[i], err = ReadStored(ctx, cfg.Store, src.Info().Name); err != nil {
			return err
		}
	}
	if err := updateIndex(ctx, cfg, srcs, stored); err != nil {
		return err
	}
	return updateCatalog(ctx, cfg, srcs, stored)
}

func updateIndex(ctx context.Context, cfg Config, srcs []sources.Source, stored []Stored) error {
	fresh := map[string]IndexEntry{}
	for i, src := range srcs {
		if e, ok := indexEntry(src.Info(), stored[i]); ok {
			fresh[e.Source] = e
		}
	}
	return mergeJSON(ctx, cfg.Store, layout.Index(), func(idx *Index) {
		merged := map[string]IndexEntry{}
		for _, e := range idx.Sources {
			merged[e.Source] = e
		}
		maps.Copy(merged, fresh)
		*idx = Index{UpdatedAt: cfg.now().Format(time.RFC3339), Sources: slices.AppendSeq(make([]IndexEntry, 0, len(merged)), maps.Values(merged))}
		slices.SortFunc(idx.Sources, func(a, b IndexEntry) int { return strings.Compare(a.Source, b.Source) })
	})
}

// mergeJSON rewrites the JSON object at key with compare-and-swap: it reads
// the object (a zero T when there is none), lets merge change it, and
// writes it only if nobody wrote it in between; otherwise it reads again,
// up to five times. Derived catalogs that several runs update (index.json,
// catalog.json) go through it.
func mergeJSON[T any](ctx context.Context, st sink.Store, key string, merge func(*T)) error {
	for attempt := 0; ; attempt++ {
		var v T
		etag, found, err := readJSON(ctx, st, key, &v)
		if err != nil {
			return err
		}
		merge(&v)
		opts := sink.PutOptions{IfMatch: etag}
		if !found {
			opts = sink.PutOptions{}
		}
		_, err = writeJSON(ctx, st, key, v, opts)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sink.ErrPrecondition) || attempt >= 4 {
			return fmt.Errorf("update %s: %w", key, err)
		}
	}
}

func indexEntry(info sources.Info, stored Stored) (IndexEntry, bool) {
	if stored.Latest.Version == "" {
		return IndexEntry{}, false
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
	return e, true
}

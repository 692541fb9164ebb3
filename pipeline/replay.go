package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// ReplayStep is one version of a replay: the run that rebuilt it and what
// the rebuild changed against the original version (the tool's doing).
type ReplayStep struct {
	Version string
	Result  Result
	// Against is the comparison of the rebuilt entities with the
	// original's, when the rebuild published.
	Against diff.Counts
}

// Replay rebuilds the history of src in store from into cfg.Store, version
// by version in the order versions.json lists them (oldest first), each
// from the raw files the original archived, under the original's version
// id, through the same flow and guards as any run. fn gets each step. A
// version the guards refuse is a failed step; the next versions follow
// the last one that published, as they would have.
func Replay(ctx context.Context, cfg Config, from sink.Store, src sources.Source, fn func(ReplayStep) error) error {
	name := src.Info().Name
	var list []VersionEntry
	if _, found, err := readJSON(ctx, from, layout.Versions(name), &list); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	} else if !found {
		return nil
	}
	slices.Reverse(list)
	for _, e := range list {
		var m Manifest
		if _, found, err := readJSON(ctx, from, layout.Object(name, e.Version, layout.ManifestName), &m); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		} else if !found {
			return fmt.Errorf("%s: versions.json lists %s, which has no manifest", name, e.Version)
		}
		step := ReplayStep{Version: e.Version}
		step.Result = RunWith(ctx, cfg, src, RunOptions{Replay: &Replayed{Store: from, Manifest: m}})
		if step.Result.Outcome == Published {
			c, err := compareVersions(ctx, from, cfg.Store, name, e.Version)
			if err != nil {
				return err
			}
			step.Against = c
		}
		if err := fn(step); err != nil {
			return err
		}
	}
	return nil
}

// compareVersions compares a version's entities in two stores.
func compareVersions(ctx context.Context, a, b sink.Store, source, version string) (diff.Counts, error) {
	old, oc, err := OpenEntities(ctx, a, source, version)
	if err != nil {
		return diff.Counts{}, err
	}
	defer oc.Close()
	cur, cc, err := OpenEntities(ctx, b, source, version)
	if err != nil {
		return diff.Counts{}, err
	}
	defer cc.Close()
	c, err := diff.Compare(old, cur, func(diff.Op) error { return nil })
	if err != nil {
		return c, fmt.Errorf("%s: compare version %s with the original: %w", source, version, err)
	}
	return c, nil
}

package pipeline

import (
	"context"
	"fmt"
	"path"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// Stored is what the store says about one source: its last check and its
// latest version, whoever ran them. Schedulers read it to report status,
// so that two schedulers sharing a store agree.
type Stored struct {
	State State
	// Latest and Manifest are zero when the source never published.
	Latest   Latest
	Manifest Manifest
}

// ReadStored reads state.json, latest.json and the latest manifest of
// source. Missing objects leave their fields zero.
func ReadStored(ctx context.Context, st sink.Store, source string) (Stored, error) {
	var s Stored
	if _, _, err := readJSON(ctx, st, layout.State(source), &s.State); err != nil {
		return s, fmt.Errorf("%s: %w", source, err)
	}
	_, found, err := readJSON(ctx, st, layout.Latest(source), &s.Latest)
	if err != nil || !found {
		return s, err
	}
	if _, ok, err := readJSON(ctx, st, path.Join(source, s.Latest.Manifest), &s.Manifest); err != nil {
		return s, fmt.Errorf("%s: %w", source, err)
	} else if !ok {
		return s, fmt.Errorf("%s: latest.json names %s, which does not exist", source, s.Latest.Manifest)
	}
	return s, nil
}

package pipeline

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// Reasons a version was made, in its manifest and in versions.json.
const (
	// ReasonPublication: a run read what the publisher served.
	ReasonPublication = "publication"
	// ReasonReprocess: the running tool rebuilt the version from the raw
	// bytes an earlier version archived; its changes are the tool's.
	ReasonReprocess = diff.ReasonReprocess
)

// rawFetcher serves the raw files archived in one version folder, as a
// folder serves them to --from: a file the version does not hold is
// fetch.ErrNotFound, so a missing companion is an issue, as it was when
// the version was made.
type rawFetcher struct {
	st              sink.Store
	source, version string
	tempDir         string
	maxBytes        int64
	names           map[string]string // lower-case name -> stored key
}

// newRawFetcher lists the raw files of a version.
func newRawFetcher(ctx context.Context, st sink.Store, source, version, tempDir string) (*rawFetcher, error) {
	f := &rawFetcher{st: st, source: source, version: version, tempDir: tempDir, maxBytes: fetch.DefaultMaxBytes, names: map[string]string{}}
	dir := path.Dir(layout.Raw(source, version, "x")) + "/"
	err := st.List(ctx, dir, func(i sink.Info) error {
		f.names[strings.ToLower(path.Base(i.Key))] = i.Key
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list the raw files of version %s: %w", source, version, err)
	}
	if len(f.names) == 0 {
		return nil, fmt.Errorf("%s: version %s archived no raw files: nothing to reprocess", source, version)
	}
	return f, nil
}

// Local: the files come from the store, not the publisher.
func (f *rawFetcher) Local() bool { return true }

// Fetch copies the archived file named spec.Name (case-insensitively).
func (f *rawFetcher) Fetch(ctx context.Context, spec fetch.Spec, _ fetch.Validators) (*fetch.File, error) {
	key, ok := f.names[strings.ToLower(spec.Name)]
	if !ok {
		return nil, fmt.Errorf("%s in version %s of %s: %w", spec.Name, f.version, f.source, fetch.ErrNotFound)
	}
	rc, _, err := f.st.Get(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	defer rc.Close()
	return fetch.NewTempFile(ctx, f.tempDir, spec.Name, "store:"+key, rc, f.maxBytes)
}

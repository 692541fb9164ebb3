package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"slices"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// CheckSource verifies what a consumer of source relies on: latest.json
// names a version whose manifest exists and whose every output and raw
// file holds the sha256 the manifest records; versions.json starts at
// latest and is its previous_version chain, each entry agreeing with its
// manifest (it may lag behind latest by the versions a killed run did not
// list yet). It returns the versions listed, newest first. A source that
// never published passes with none.
func CheckSource(ctx context.Context, st sink.Store, source string) ([]VersionEntry, error) {
	p, err := readPointers(ctx, st, source)
	if err != nil {
		return nil, err
	}
	if p.latest.Version == "" {
		if len(p.versions) > 0 {
			return nil, fmt.Errorf("%s: versions.json lists %d versions but there is no latest.json", source, len(p.versions))
		}
		return nil, nil
	}
	var m Manifest
	if _, found, err := readJSON(ctx, st, path.Join(source, p.latest.Manifest), &m); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	} else if !found {
		return nil, fmt.Errorf("%s: latest.json names %s, which does not exist", source, p.latest.Manifest)
	}
	for _, o := range m.Outputs {
		if err := checkObject(ctx, st, layout.Object(source, m.Version, o.Name), o.SHA256); err != nil {
			return nil, fmt.Errorf("%s: latest version %s: %w", source, m.Version, err)
		}
	}
	for _, f := range m.Files {
		if err := checkObject(ctx, st, layout.Raw(source, m.Version, f.Name), f.SHA256); err != nil {
			return nil, fmt.Errorf("%s: latest version %s: %w", source, m.Version, err)
		}
	}
	// versions.json may lag behind latest.json (a run killed between the
	// two writes; the next run completes it), but what it lists must be
	// the tail of the chain from latest, as reconcile rebuilds it.
	if len(p.versions) == 0 {
		return nil, fmt.Errorf("%s: versions.json lists nothing; latest is %s", source, p.latest.Version)
	}
	chain, dropped, _, err := reconcile(ctx, st, source, p.latest, p.versions)
	if err != nil {
		return p.versions, err
	}
	if len(dropped) > 0 {
		return p.versions, fmt.Errorf("%s: versions.json lists %v, not on the previous_version chain from latest %s: versions that never became latest", source, dropped, p.latest.Version)
	}
	if tail := chain[len(chain)-len(p.versions):]; !slices.EqualFunc(tail, p.versions, sameEntry) {
		return p.versions, fmt.Errorf("%s: versions.json is not the previous_version chain from latest %s", source, p.latest.Version)
	}
	for _, e := range p.versions {
		var em Manifest
		if _, found, err := readJSON(ctx, st, layout.Object(source, e.Version, layout.ManifestName), &em); err != nil {
			return p.versions, fmt.Errorf("%s: %w", source, err)
		} else if !found {
			return p.versions, fmt.Errorf("%s: versions.json lists %s, which has no manifest", source, e.Version)
		}
		if !sameEntry(e, entryOf(&em)) {
			return p.versions, fmt.Errorf("%s: versions.json entry %s differs from its manifest", source, e.Version)
		}
	}
	return p.versions, nil
}

func checkObject(ctx context.Context, st sink.Store, key, want string) error {
	rc, _, err := st.Get(ctx, key)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return fmt.Errorf("read %s: %w", key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("%s: sha256 %s, manifest says %s", key, got, want)
	}
	return nil
}

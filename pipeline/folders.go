package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// folder is one version folder of a source as the store lists it.
type folder struct {
	Version string
	Keys    []string // in key order
	Bytes   int64
}

// versionFolders lists the version folders of source, oldest first. Only
// second-level folders whose names are version ids count.
func versionFolders(ctx context.Context, st sink.Store, source string) ([]folder, error) {
	prefix := source + "/"
	byVersion := map[string]*folder{}
	err := st.List(ctx, prefix, func(i sink.Info) error {
		v, _, ok := strings.Cut(strings.TrimPrefix(i.Key, prefix), "/")
		if !ok {
			return nil // latest.json, versions.json, state.json, ...
		}
		if _, ok := versionTime(v); !ok {
			return nil
		}
		f := byVersion[v]
		if f == nil {
			f = &folder{Version: v}
			byVersion[v] = f
		}
		f.Keys = append(f.Keys, i.Key)
		f.Bytes += i.Size
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: list version folders: %w", source, err)
	}
	out := make([]folder, 0, len(byVersion))
	for _, f := range byVersion {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// pointers reads what names versions: latest.json and versions.json.
type pointers struct {
	latest       Latest
	versions     []VersionEntry
	versionsETag string
	hasVersions  bool
}

func readPointers(ctx context.Context, st sink.Store, source string) (pointers, error) {
	var p pointers
	if _, _, err := readJSON(ctx, st, layout.Latest(source), &p.latest); err != nil {
		return p, fmt.Errorf("%s: %w", source, err)
	}
	etag, found, err := readJSON(ctx, st, layout.Versions(source), &p.versions)
	if err != nil {
		return p, fmt.Errorf("%s: %w", source, err)
	}
	p.versionsETag, p.hasVersions = etag, found
	return p, nil
}

func (p pointers) names(v string) bool {
	if v == p.latest.Version {
		return true
	}
	for _, e := range p.versions {
		if e.Version == v {
			return true
		}
	}
	return false
}

// orphans are the folders no pointer names: what failed runs left (or
// what a run still writing has written so far).
func orphans(folders []folder, p pointers) []folder {
	var out []folder
	for _, f := range folders {
		if !p.names(f.Version) {
			out = append(out, f)
		}
	}
	return out
}

// deleteFolder removes a version folder, its manifest first so that a
// folder half deleted never looks like a complete version.
func deleteFolder(ctx context.Context, st sink.Store, source string, f folder) error {
	manifest := layout.Object(source, f.Version, layout.ManifestName)
	keys := append([]string(nil), f.Keys...)
	sort.SliceStable(keys, func(i, j int) bool { return keys[i] == manifest && keys[j] != manifest })
	for _, k := range keys {
		if err := st.Delete(ctx, k); err != nil {
			return fmt.Errorf("%s: delete version %s: %w", source, f.Version, err)
		}
	}
	return nil
}

// reportOrphans repairs versions.json (what a killed run left: see
// syncVersions), then lists the version folders no pointer names and
// reports each in the log and as an issue of the run. It also makes sure
// the new version id sorts after every existing folder. Listing is
// advisory: a failure is logged and the run goes on.
func (r *run) reportOrphans(ctx context.Context) {
	st, name := r.cfg.Store, r.info.Name
	folders, err := versionFolders(ctx, st, name)
	if err == nil && len(folders) > 0 {
		r.newestFolder = folders[len(folders)-1].Version
	}
	var p pointers
	if err == nil {
		p, err = syncVersions(ctx, st, name, r.log, true)
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			r.log.Warn("could not look for orphaned version folders", "err", err)
		}
		return
	}
	for _, f := range orphans(folders, p) {
		r.res.Orphans = append(r.res.Orphans, f.Version)
		age := ""
		if t, ok := versionTime(f.Version); ok {
			age = fmt.Sprintf(", started %s", t.Format(time.RFC3339))
		}
		r.log.Warn("orphaned version folder from a failed run: no pointer names it; `sanctions-etl gc` removes it",
			"version", f.Version, "objects", len(f.Keys))
		r.issues.Add(sources.Issue{
			File:    layout.VersionDir(name, f.Version),
			Problem: fmt.Sprintf("orphaned version folder %s from a failed run (%d objects%s): no pointer names it; `sanctions-etl gc` removes it", f.Version, len(f.Keys), age),
		})
	}
}

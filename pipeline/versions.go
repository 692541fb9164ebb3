package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"slices"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// versions.json is derived from latest.json: it lists, newest first, the
// versions latest.json has named, each with its previous_version, so that a
// consumer replaying it in order follows exactly the chain of publications.
// latest.json moves first (the commit point) and versions.json follows;
// whatever a killed or racing run left, the next reconcile rebuilds the
// missing head of the list from the manifests along the previous_version
// chain and drops entries that never became latest.

// syncAttempts bounds the compare-and-swap retries of syncVersions: each
// retry means another writer moved versions.json, which only happens while
// runs race.
const syncAttempts = 5

// entryOf is the versions.json entry of a published manifest.
func entryOf(m *Manifest) VersionEntry {
	e := VersionEntry{Version: m.Version, PublishedAt: m.PublishedAt, EntityCount: m.EntityCount, Delta: m.Delta, Reason: m.Reason, FtM: m.FtM != nil}
	if m.PublicationDate != nil {
		e.PublicationDate = *m.PublicationDate
	}
	if m.PreviousVersion != nil {
		pv := *m.PreviousVersion
		e.PreviousVersion = &pv
	}
	return e
}

// chainFrom reports whether list[i:] is a previous_version chain: every
// entry but the last names the next one as its previous version (the last
// one's predecessor may have been pruned by retention).
func chainFrom(list []VersionEntry, i int) bool {
	for ; i < len(list)-1; i++ {
		if list[i].PreviousVersion == nil || *list[i].PreviousVersion != list[i+1].Version {
			return false
		}
	}
	return true
}

// reconcile returns the versions.json that latest implies, given the list
// the store holds now. It walks the previous_version chain from latest,
// reading manifests only for versions the list lacks (or lists without a
// chain), until it meets a listed version from which the list is a chain;
// that tail is kept as it is. Entries off the chain (versions that never
// became latest) are dropped. changed is false when list is already right.
func reconcile(ctx context.Context, st sink.Store, source string, latest Latest, list []VersionEntry) (out []VersionEntry, dropped []string, changed bool, err error) {
	at := map[string]int{}
	for i, e := range list {
		if _, dup := at[e.Version]; !dup {
			at[e.Version] = i
		}
	}
	seen := map[string]bool{}
	for v := latest.Version; v != ""; {
		if seen[v] {
			return nil, nil, false, fmt.Errorf("%s: versions: previous_version chain loops at %s", source, v)
		}
		seen[v] = true
		if i, ok := at[v]; ok && chainFrom(list, i) {
			out = append(out, list[i:]...)
			break
		}
		var m Manifest
		_, found, err := readJSON(ctx, st, path.Join(source, layout.ManifestRel(v)), &m)
		if err != nil {
			return nil, nil, false, fmt.Errorf("%s: versions: %w", source, err)
		}
		if !found {
			// Pruned by retention (or never written): keep what the list
			// says of it and stop; nothing older can be followed.
			if i, ok := at[v]; ok {
				out = append(out, list[i])
			}
			break
		}
		e := entryOf(&m)
		out = append(out, e)
		if e.PreviousVersion == nil {
			break
		}
		v = *e.PreviousVersion
	}
	kept := map[string]bool{}
	for _, e := range out {
		kept[e.Version] = true
	}
	for _, e := range list {
		if !kept[e.Version] {
			dropped = append(dropped, e.Version)
		}
	}
	changed = len(out) != len(list) || !slices.EqualFunc(out, list, sameEntry)
	return out, dropped, changed, nil
}

func sameEntry(a, b VersionEntry) bool {
	samePrev := (a.PreviousVersion == nil) == (b.PreviousVersion == nil) &&
		(a.PreviousVersion == nil || *a.PreviousVersion == *b.PreviousVersion)
	return samePrev && a.Version == b.Version && a.PublishedAt == b.PublishedAt &&
		a.PublicationDate == b.PublicationDate && a.EntityCount == b.EntityCount && a.Delta == b.Delta
}

// syncVersions brings versions.json in line with latest.json (as read now,
// not as the caller last saw it) by compare-and-swap, retrying when another
// writer moved it in between. It returns the pointers as written. With
// repair set (a check at the start of a run) what it adds is logged as the
// work of a killed run; after a publication adding its own entry is routine.
func syncVersions(ctx context.Context, st sink.Store, source string, log *slog.Logger, repair bool) (pointers, error) {
	var lastErr error
	for range syncAttempts {
		p, err := readPointers(ctx, st, source)
		if err != nil {
			return p, err
		}
		list, dropped, changed, err := reconcile(ctx, st, source, p.latest, p.versions)
		if err != nil {
			return p, err
		}
		if !changed {
			return p, nil
		}
		if list == nil {
			list = []VersionEntry{}
		}
		opts := sink.PutOptions{IfMatch: p.versionsETag}
		etag, err := writeJSON(ctx, st, layout.Versions(source), list, opts)
		if errors.Is(err, sink.ErrPrecondition) {
			lastErr = err
			continue
		}
		if err != nil {
			return p, fmt.Errorf("%s: write versions.json: %w", source, err)
		}
		if len(dropped) > 0 {
			log.Warn("versions.json listed versions that never became latest; taken out", "versions", dropped)
		}
		if added := len(list) - (len(p.versions) - len(dropped)); added > 0 && repair {
			log.Warn("versions.json lacked versions that became latest (a run killed after moving latest.json); added", "added", added, "latest", p.latest.Version)
		}
		p.versions, p.versionsETag, p.hasVersions = list, etag, true
		return p, nil
	}
	return pointers{}, fmt.Errorf("%s: versions.json kept moving during %d attempts: %w", source, syncAttempts, lastErr)
}

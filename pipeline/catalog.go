package pipeline

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/combine"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Catalog is catalog.json: every dataset in the shape of an
// OpenSanctions catalog, so that yente can be pointed at it (docs/ftm.md).
type Catalog struct {
	Datasets  []CatalogDataset `json:"datasets"`
	UpdatedAt string           `json:"updated_at"`
}

// CatalogDataset is one dataset of catalog.json: its latest version and
// the FtM export of that version.
type CatalogDataset struct {
	Name        string            `json:"name"`
	Title       string            `json:"title"`
	Summary     string            `json:"summary,omitempty"`
	Publisher   *CatalogPublisher `json:"publisher,omitempty"`
	Version     string            `json:"version"`
	UpdatedAt   string            `json:"updated_at"`
	LastExport  string            `json:"last_export"`
	EntityCount int               `json:"entity_count"`
	// Load false keeps yente from indexing the dataset unless a
	// manifest's scope names it (the combined dataset).
	Load      *bool             `json:"load,omitempty"`
	Resources []CatalogResource `json:"resources"`
	// DeltaURL names the dataset's FtM delta index (layout.FtMDeltas).
	DeltaURL string `json:"delta_url,omitempty"`
}

// CatalogPublisher is a dataset's publisher.
type CatalogPublisher struct {
	Name     string `json:"name"`
	Official bool   `json:"official"`
}

// CatalogResource is one file of a dataset's latest version.
type CatalogResource struct {
	Name     string `json:"name"`
	URL      string `json:"url"`
	Checksum string `json:"checksum"` // SHA-1, which yente checks
	MimeType string `json:"mime_type"`
	Size     int64  `json:"size"`
}

// FtMDeltaIndex is a source's ftm_deltas.json: version -> URL of its
// entities.delta.json, for each version of the unbroken run of FtM
// exports up to the latest, the index yente reads from delta_url.
type FtMDeltaIndex struct {
	Versions  map[string]string `json:"versions"`
	UpdatedAt string            `json:"updated_at"`
}

// publicURL is the URL under which a consumer reads key: Config.PublicURL
// joined with the key, or, without one, a file:// URL into a local
// store's folder, else the store's location (s3://...), which yente
// cannot read: S3 users set PublicURL.
func (cfg Config) publicURL(key string) string {
	base := strings.TrimSuffix(cfg.PublicURL, "/")
	if base == "" {
		base = cfg.Store.Location()
		if !strings.Contains(base, "://") && !strings.HasSuffix(base, ":") {
			if abs, err := filepath.Abs(base); err == nil {
				base = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
			}
		}
		base = strings.TrimSuffix(base, "/")
	}
	return base + "/" + key
}

// catalogDataset is the catalog entry of a source's latest version, and
// false when the version has no FtM export (a version an earlier tool
// published).
func catalogDataset(cfg Config, info sources.Info, stored Stored) (CatalogDataset, bool) {
	m := stored.Manifest
	var ftmOut *Output
	for i := range m.Outputs {
		if m.Outputs[i].Name == layout.FtMName {
			ftmOut = &m.Outputs[i]
		}
	}
	if ftmOut == nil || m.FtM == nil {
		return CatalogDataset{}, false
	}
	d := CatalogDataset{
		Name: info.Name, Title: info.Title, Version: m.Version,
		UpdatedAt: m.PublishedAt, LastExport: m.PublishedAt, EntityCount: m.FtM.Entities,
		Resources: []CatalogResource{{
			Name: layout.FtMName, URL: cfg.publicURL(layout.Object(info.Name, m.Version, layout.FtMName)),
			Checksum: ftmOut.SHA1, MimeType: FtMMimeType, Size: ftmOut.Bytes,
		}},
		DeltaURL: cfg.publicURL(layout.FtMDeltas(info.Name)),
	}
	if d.Title == "" {
		d.Title = info.Name
	}
	if info.Publisher != "" {
		d.Publisher = &CatalogPublisher{Name: info.Publisher, Official: info.Name != combine.Name}
	}
	if info.Name == combine.Name {
		// Its entities have the ids of the sources' entities: yente loads
		// it only where a manifest's scope names it.
		no := false
		d.Load = &no
		d.Summary = "Every source's latest version with cross-list links; FtM referents name the other members of each entity's cluster."
	}
	return d, true
}

// ftmDeltaIndex is the delta index of a source from its versions.json
// (newest first): the newest versions, back to the first one without an
// FtM export (excluded), each with the URL of its entities.delta.json. A
// yente whose loaded version is older than the oldest listed reloads the
// whole export, as it must: no delta leads there.
func ftmDeltaIndex(cfg Config, source string, versions []VersionEntry, now time.Time) FtMDeltaIndex {
	idx := FtMDeltaIndex{Versions: map[string]string{}, UpdatedAt: now.Format(time.RFC3339)}
	for _, v := range versions {
		if !v.FtM {
			break
		}
		idx.Versions[v.Version] = cfg.publicURL(layout.Object(source, v.Version, layout.FtMDeltaName))
	}
	return idx
}

// updateCatalog writes the ftm_deltas.json of each source in srcs and
// merges their entries into catalog.json (mergeJSON). Sources whose latest
// version has no FtM export leave the catalog.
func updateCatalog(ctx context.Context, cfg Config, srcs []sources.Source, stored []Stored) error {
	st := cfg.Store
	fresh := map[string]*CatalogDataset{}
	for i, src := range srcs {
		info := src.Info()
		if stored[i].Latest.Version == "" {
			continue
		}
		d, ok := catalogDataset(cfg, info, stored[i])
		if !ok {
			fresh[info.Name] = nil
			continue
		}
		var versions []VersionEntry
		if _, _, err := readJSON(ctx, st, layout.Versions(info.Name), &versions); err != nil {
			return err
		}
		if _, err := writeJSON(ctx, st, layout.FtMDeltas(info.Name), ftmDeltaIndex(cfg, info.Name, versions, cfg.now()), sink.PutOptions{Overwrite: true}); err != nil {
			return fmt.Errorf("%s: write %s: %w", info.Name, layout.FtMDeltas(info.Name), err)
		}
		fresh[info.Name] = &d
	}
	return mergeJSON(ctx, st, layout.Catalog(), func(cat *Catalog) {
		merged := map[string]CatalogDataset{}
		for _, d := range cat.Datasets {
			merged[d.Name] = d
		}
		for n, d := range fresh {
			if d == nil {
				delete(merged, n)
			} else {
				merged[n] = *d
			}
		}
		*cat = Catalog{UpdatedAt: cfg.now().Format(time.RFC3339), Datasets: slices.AppendSeq(make([]CatalogDataset, 0, len(merged)), maps.Values(merged))}
		slices.SortFunc(cat.Datasets, func(a, b CatalogDataset) int { return strings.Compare(a.Name, b.Name) })
	})
}

package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"io"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// Manifest is manifest.json of one version (the contract of DESIGN.md).
type Manifest struct {
	Source          string  `json:"source"`
	Version         string  `json:"version"`
	PreviousVersion *string `json:"previous_version"`
	SchemaVersion   int     `json:"schema_version"`
	ToolVersion     string  `json:"tool_version"`
	StartedAt       string  `json:"started_at"`
	PublishedAt     string  `json:"published_at"`
	PublicationDate *string `json:"publication_date"`
	Format          string  `json:"format"`
	// Reason says why the version was made: ReasonPublication (a run read
	// the publisher's files) or ReasonReprocess (the tool rebuilt it from
	// the raw bytes of ReprocessedFrom).
	Reason          string         `json:"reason"`
	ReprocessedFrom *string        `json:"reprocessed_from,omitempty"`
	Files           []FileRecord   `json:"files"`
	DeclaredCount   int            `json:"declared_count,omitempty"`
	EntityCount     int            `json:"entity_count"`
	CountsByType    map[string]int `json:"counts_by_type"`
	// CountsByList counts entities per constituent list (entity
	// listings[].list) for publications that join several lists; the
	// guard compares each with the previous version.
	CountsByList map[string]int `json:"counts_by_list,omitempty"`
	// Delisted counts records the publication keeps but marks as no
	// longer in force (DESIGN.md, Snapshot membership): left out of
	// entities.
	Delisted   int                `json:"delisted"`
	Delta      DeltaCounts        `json:"delta"`
	Coverage   normalize.Coverage `json:"coverage"`
	IssueCount int                `json:"issue_count"`
	Issues     []sources.Issue    `json:"issues"`
	Outputs    []Output           `json:"outputs"`
	// Sources and Links describe a combined version (DESIGN.md, Combined
	// dataset): the version of each source it was built from, and what
	// the linking found.
	Sources []sources.BuiltFrom `json:"sources,omitempty"`
	Links   json.RawMessage     `json:"links,omitempty"`
	// FtM describes entities.ftm.json and entities.delta.json.
	FtM *FtMSummary `json:"ftm,omitempty"`
}

// FileRecord is one fetched file of the publication.
type FileRecord struct {
	Name   string `json:"name"`
	URL    string `json:"url"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// Output is one object written into the version folder.
type Output struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	// SHA1 is set for entities.ftm.json: catalog.json gives it to yente,
	// which checks a resource by SHA-1.
	SHA1  string `json:"sha1,omitempty"`
	Bytes int64  `json:"bytes"`
}

// DeltaCounts summarises a delta.
type DeltaCounts struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
}

// Latest is latest.json: the pointer whose move publishes a version.
type Latest struct {
	Version  string `json:"version"`
	Manifest string `json:"manifest"`
}

// VersionEntry is one line of versions.json (newest first). Only versions
// that latest.json named are listed, each with the version it followed.
type VersionEntry struct {
	Version         string      `json:"version"`
	PreviousVersion *string     `json:"previous_version"`
	PublishedAt     string      `json:"published_at"`
	PublicationDate string      `json:"publication_date,omitempty"`
	EntityCount     int         `json:"entity_count"`
	Delta           DeltaCounts `json:"delta"`
	// Reason is the manifest's: a consumer tells the tool's rebuilds from
	// the publisher's changes without reading every manifest.
	Reason string `json:"reason,omitempty"`
	// FtM is true when the version folder holds entities.ftm.json and
	// entities.delta.json (ftm_deltas.json lists such versions).
	FtM bool `json:"ftm,omitempty"`
}

// State is state.json: the last check of a source, whatever its outcome.
type State struct {
	Source        string                      `json:"source"`
	RunID         string                      `json:"run_id"`
	CheckedAt     string                      `json:"checked_at"`
	Outcome       Outcome                     `json:"outcome"`
	LatestVersion string                      `json:"latest_version,omitempty"`
	LastSuccessAt string                      `json:"last_success_at,omitempty"`
	Error         string                      `json:"error,omitempty"`
	Validators    map[string]fetch.Validators `json:"validators,omitempty"`
}

// Index is index.json at the root of the store.
type Index struct {
	UpdatedAt string       `json:"updated_at"`
	Sources   []IndexEntry `json:"sources"`
}

// IndexEntry is one source in index.json.
type IndexEntry struct {
	Source          string         `json:"source"`
	Publisher       string         `json:"publisher,omitempty"`
	Title           string         `json:"title,omitempty"`
	LatestVersion   string         `json:"latest_version"`
	Manifest        string         `json:"manifest"`
	PublishedAt     string         `json:"published_at"`
	PublicationDate string         `json:"publication_date,omitempty"`
	EntityCount     int            `json:"entity_count"`
	CountsByType    map[string]int `json:"counts_by_type"`
	LastCheckedAt   string         `json:"last_checked_at,omitempty"`
	LastOutcome     Outcome        `json:"last_outcome,omitempty"`
	UpdatedAt       string         `json:"updated_at"`
}

// readJSON loads key into v and returns its ETag; found is false when the
// object does not exist.
func readJSON(ctx context.Context, st sink.Store, key string, v any) (etag string, found bool, err error) {
	rc, info, err := st.Get(ctx, key)
	if st.IsNotExist(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", key, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return "", false, fmt.Errorf("decode %s: %w", key, err)
	}
	return info.ETag, true, nil
}

// marshal gives indented JSON with a final newline: pointer and manifest
// objects are read by people too.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeJSON writes v to key with opts.
func writeJSON(ctx context.Context, st sink.Store, key string, v any, opts sink.PutOptions) (string, error) {
	b, err := marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %s: %w", key, err)
	}
	opts.ContentType = "application/json"
	sum := sha256.Sum256(b)
	opts.SHA256 = hex.EncodeToString(sum[:])
	return st.Put(ctx, key, bytes.NewReader(b), opts)
}

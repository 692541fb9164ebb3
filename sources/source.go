// Package sources defines what a publisher's source is, how its files are
// acquired, and how parse problems are reported. Sub-packages hold one
// publisher each; sources/all lists them.
package sources

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// FileSpec is one file of a format's set.
type FileSpec struct {
	Name string // official file name; --from matches it case-insensitively
	URL  string
	// Companion files add detail but the set can be parsed without them:
	// with --from a missing companion is an issue, not a failure.
	Companion bool
}

// FileSet is one format of a publication with every file it needs.
type FileSet struct {
	Format string // "xml", "advanced" (OFAC's advanced XML), "csv", "xlsx" or "json"
	Files  []FileSpec
}

// Info describes a source for the registry listing and the pipeline.
type Info struct {
	Name      string    // e.g. us_ofac_sdn
	Publisher string    // e.g. "US Treasury OFAC"
	Title     string    // e.g. "Specially Designated Nationals list"
	Formats   []FileSet // in order of preference
	Schedule  string    // default cron spec
	// MaxDropShare is the share of entities a run may lose against the
	// previous version before the guard refuses it (0 means the default).
	MaxDropShare float64
}

// Meta is what a parse learns about the publication itself.
type Meta struct {
	PublicationDate string // ISO date printed in the publication, if any
	DeclaredCount   int    // the record count the publication declares, 0 if none
	// Delisted counts records the file keeps but marks as no longer in
	// force (SECO's de-listed targets): left out of the snapshot
	// (DESIGN.md, Snapshot membership) and counted in the manifest.
	Delisted int
	// RemarksUnparsed counts fragments of free-text remarks the parser
	// could not read into fields (they stay in remarks); UnparsedRemarks
	// keeps the first few (an array, so that Meta stays comparable).
	RemarksUnparsed int
	UnparsedRemarks [5]RemarkExample
	// Unproven, when set, says why the format carries no evidence that the
	// file is whole (no end mark, no record count): a cut between records
	// would look like removals. The pipeline then refuses a publication
	// that removes anything (DESIGN.md, Integrity: removals only from a
	// publication that passed every check).
	Unproven string
	// Built, set by an Assembler, describes what the input was built from
	// and the further files the version folder gets.
	Built *Built
}

// Assembler is a source whose input is put together from what the store
// already holds (the combined dataset: every source's latest version)
// rather than fetched. Its entities arrive normalized: the pipeline does
// not normalize them again.
type Assembler interface {
	Source
	// Assemble writes the input's files into dir (the run's TempDir).
	Assemble(ctx context.Context, dir string) (*Input, error)
}

// Built is what an Assembler's parse reports beside its entities.
type Built struct {
	// From lists the published versions the input was built from.
	From []BuiltFrom
	// Outputs are further files for the version folder, in the run's
	// TempDir; the pipeline uploads them with the version and removes
	// them after the run.
	Outputs []BuiltOutput
	// Summary is recorded in the manifest under "links".
	Summary json.RawMessage
}

// BuiltFrom is one source version an input was built from.
type BuiltFrom struct {
	Source   string `json:"source"`
	Version  string `json:"version"`
	Entities int    `json:"entities"`
	SHA256   string `json:"entities_sha256"`
	// LastCheck is the outcome of the source's last run when it was not a
	// success ("failed: ..."): the version is its latest good one.
	LastCheck string `json:"last_check,omitempty"`
}

// BuiltOutput is one further file of an Assembler's version folder.
type BuiltOutput struct {
	Name        string // object name in the version folder
	Path        string // local file
	ContentType string
}

// RemarkExample is a remarks fragment left unparsed.
type RemarkExample struct {
	Value  string
	Count  int
	Entity string
}

// Source is one publisher's list.
type Source interface {
	Info() Info
	// Parse streams the entities of in to emit, in any order. Problems with
	// single records go to issues and parsing continues; an error means the
	// publication as a whole cannot be trusted (wrong format, truncated).
	Parse(ctx context.Context, in *Input, emit func(*entity.Entity) error, issues *Issues) (Meta, error)
}

// Input is an acquired publication: one format's files.
type Input struct {
	Format string
	Files  []*fetch.File // in the order of the FileSet; missing companions absent
}

// File returns the file named name (case-insensitive), or nil.
func (in *Input) File(name string) *fetch.File {
	for _, f := range in.Files {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// Open opens the file named name. A missing file gives fetch.ErrNotFound.
func (in *Input) Open(name string) (io.ReadCloser, error) {
	f := in.File(name)
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, fetch.ErrNotFound)
	}
	return os.Open(f.Path)
}

// Package dfat reads the Australian Sanctions Consolidated List (source
// au_dfat), published by the Department of Foreign Affairs and Trade as
// one XLSX workbook: one worksheet, one row per name, the rows of one
// listed party grouped by the leading number of their Reference ("101",
// "101a", "101b1").
//
// Two column layouts are real: the 12 columns of regulation8_consolidated.xlsx
// (until 2025-11) and the 19 of Australian_Sanctions_Consolidated_List.xlsx
// (Alias Strength, IMO Number, Instrument of Designation and four measure
// flags added). Columns are found by their header text, never by position
// (header.go). xlsx.go reads the rows through sources/xlsxstream (which
// checks the zip and the XML inside it whole, as excelize does not) and
// sorts them by group with internal/extsort, because a group's rows are
// not always together; group.go chooses a group's name and type,
// mapper.go maps the rest, with values.go and info.go reading the cells'
// free text; meta.go reads the workbook's date. docs/sources/au_dfat.md
// lists every column with where it lands.
package dfat

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Name is the source's name in the registry and the entity id prefix.
const Name = "au_dfat"

// The official file names: FileName since 2025-11, OldFileName before.
const (
	FileName    = "Australian_Sanctions_Consolidated_List.xlsx"
	OldFileName = "regulation8_consolidated.xlsx"
)

// Official URLs of the two names. DFAT's Consolidated List page links only
// the new one; the old one is kept for --from folders and archives that
// hold the old name.
const (
	OfficialURL    = "https://www.dfat.gov.au/sites/default/files/" + FileName
	OldOfficialURL = "https://www.dfat.gov.au/sites/default/files/" + OldFileName
)

// Config configures the source.
type Config struct {
	// URLs overrides the official URL of a file, keyed by official file
	// name; used by tests with a local server.
	URLs map[string]string
	// TempDir is where sorted runs of rows and excelize's spills go ("":
	// the system's temporary directory).
	TempDir string
	// MaxUnzipped bounds the decompressed size of the workbook (0:
	// xlsxstream.DefaultMaxUnzipped, 256 MiB; the real workbooks
	// decompress to under 7 MB).
	MaxUnzipped int64
}

// New returns the Australian Sanctions Consolidated List source.
func New(cfg Config) sources.Source {
	return &source{cfg: cfg}
}

type source struct {
	cfg Config
}

func (s *source) url(name, official string) string {
	if u, ok := s.cfg.URLs[name]; ok {
		return u
	}
	return official
}

// Info lists the two file names as two formats of one label, the new name
// first: sources.Acquire fetches the first format over the network (the
// new name, the only one DFAT serves) and takes, from a folder, the first
// whose file is present. One FileSet with an alternative name would need
// a change to sources.Acquire; two sets need none.
func (s *source) Info() sources.Info {
	return sources.Info{
		Name:      Name,
		Publisher: "Australian Government Department of Foreign Affairs and Trade",
		Title:     "Australian Sanctions Consolidated List",
		Formats: []sources.FileSet{
			{Format: "xlsx", Files: []sources.FileSpec{{Name: FileName, URL: s.url(FileName, OfficialURL)}}},
			{Format: "xlsx", Files: []sources.FileSpec{{Name: OldFileName, URL: s.url(OldFileName, OldOfficialURL)}}},
		},
		// DFAT amends the list when an instrument is made, on any working
		// day and at no fixed hour: every 6 hours.
		Schedule: "0 */6 * * *",
	}
}

func (s *source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	if in.Format != "xlsx" {
		return sources.Meta{}, fmt.Errorf("%s: unknown format %q", Name, in.Format)
	}
	if len(in.Files) != 1 {
		return sources.Meta{}, fmt.Errorf("%s: want one workbook, got %d files", Name, len(in.Files))
	}
	return s.parseXLSX(ctx, in.Files[0], emit, issues)
}

// checkEvery is how many rows go between context checks.
const checkEvery = 256

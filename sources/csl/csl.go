// Package csl reads the Consolidated Screening List of the US
// International Trade Administration (source us_trade_csl): eleven and
// more US export and sanctions lists of the Departments of Commerce
// (Entity List, Denied Persons, Unverified, Military End User), State
// (Nonproliferation, ITAR Debarred) and the Treasury (SDN, SSI, CMIC,
// NS-MBS, PLC, FSE, CAPTA) in one file, one row per listing. It is
// published as consolidated.json (preferred: addresses and ids as
// objects, and a document end that proves the file whole) and as
// consolidated.csv (29 columns, lists joined with "; ").
//
// json.go and csv.go read a row into one record (record.go); mapper.go
// turns the record into an entity with one Listing, whose List (lists.go)
// the pipeline's drop guard counts per constituent list. docs/sources/
// us_trade_csl.md lists every field with where it lands.
package csl

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Name is the source's name in the registry and the entity id prefix.
const Name = "us_trade_csl"

// Official file names.
const (
	JSONFile = "consolidated.json"
	CSVFile  = "consolidated.csv"
)

// Official URLs of the bulk files (the search API needs a key; these do
// not).
const (
	JSONURL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"
	CSVURL  = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
)

// Config configures the source.
type Config struct {
	// URLs overrides the official URL of a file, keyed by official file
	// name ("consolidated.json"); tests point it at a local server.
	URLs map[string]string
}

// New returns the Consolidated Screening List source.
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

func (s *source) Info() sources.Info {
	return sources.Info{
		Name:      Name,
		Publisher: "US International Trade Administration",
		Title:     "Consolidated Screening List",
		Formats: []sources.FileSet{
			{Format: "json", Files: []sources.FileSpec{{Name: JSONFile, URL: s.url(JSONFile, JSONURL)}}},
			{Format: "csv", Files: []sources.FileSpec{{Name: CSVFile, URL: s.url(CSVFile, CSVURL)}}},
		},
		// trade.gov imports the constituent lists hourly; every two hours
		// catches a change the same morning without fetching 25 MB an hour.
		Schedule: "25 */2 * * *",
	}
}

func (s *source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	switch in.Format {
	case "json":
		return parseJSON(ctx, in, emit, issues)
	case "csv":
		return parseCSV(ctx, in, emit, issues)
	}
	return sources.Meta{}, fmt.Errorf("%s: unknown format %q", Name, in.Format)
}

// recordError reports a problem that makes file unusable.
func recordError(file string, line int, off int64, err error) error {
	return &sources.RecordError{Source: Name, File: file, Line: line, Offset: off, Err: err}
}

// checkEvery is how many records go between context checks.
const checkEvery = 256

// bufSize is the readers' buffer.
const bufSize = 64 << 10

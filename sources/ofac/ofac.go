// Package ofac reads the US Treasury OFAC lists: the Specially Designated
// Nationals list (us_ofac_sdn) and the consolidated non-SDN list
// (us_ofac_cons), each published in the advanced XML (SDN_ADVANCED.XML,
// CONS_ADVANCED.XML; advanced.go), preferred, and in the legacy formats
// flattened from it: one XML file (SDN.XML, CONSOLIDATED.XML) and a set of
// CSV files (main, addresses, aliases, remarks continuation).
//
// All parsers feed the same builder (mapper.go), so that the formats of one
// publication give the same entities where they carry the same facts. The CSV prints most facts
// only inside its Remarks column; remarks.go describes how the two formats
// relate and how the parsers keep them equal.
package ofac

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// baseURL serves every file of the OFAC Sanctions List Service exports.
const baseURL = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

// Config configures a source.
type Config struct {
	// URLs overrides the official URL of a file, keyed by official file
	// name (e.g. "SDN.XML"); used by tests with a local HTTP server.
	URLs map[string]string
	// Formats, when set, are the formats to declare, in order of
	// preference ("advanced", "xml", "csv"); nil declares all three,
	// advanced first. Over the network only the first is fetched: ["xml"]
	// reads the legacy XML, about a fifth of the advanced XML's size.
	Formats []string
	// TempDir holds the advanced XML's spill file and the legacy
	// formats' entities that wait for their Linked To targets ("" for the
	// system's temporary directory).
	TempDir string
}

// files names one list's files.
type files struct {
	name, title string
	advanced    string // the advanced XML file
	xml         string // the legacy XML file
	csv         [4]string
}

// The CSV set, in FileSet order: the main file, then the companions.
const (
	csvMain = iota
	csvAdd
	csvAlt
	csvComments
)

// NewSDN returns the Specially Designated Nationals list.
func NewSDN(cfg Config) sources.Source {
	return &source{cfg: cfg, files: files{
		name:     "us_ofac_sdn",
		title:    "Specially Designated Nationals and Blocked Persons List (SDN)",
		advanced: "SDN_ADVANCED.XML",
		xml:      "SDN.XML",
		csv:      [4]string{"SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"},
	}}
}

// NewConsolidated returns the consolidated (non-SDN) sanctions list.
func NewConsolidated(cfg Config) sources.Source {
	return &source{cfg: cfg, files: files{
		name:     "us_ofac_cons",
		title:    "Consolidated Sanctions List (non-SDN lists)",
		advanced: "CONS_ADVANCED.XML",
		xml:      "CONSOLIDATED.XML",
		csv:      [4]string{"CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"},
	}}
}

type source struct {
	cfg   Config
	files files
	// keepXMLNS leaves the default namespace declaration to xmlquery (see
	// readPrologue); tests and benchmarks compare both ways.
	keepXMLNS bool
	// linkAliases also resolves Linked To by strong aliases (tests
	// measure it against primary names only; see linker).
	linkAliases bool
}

func (s *source) url(name string) string {
	if u, ok := s.cfg.URLs[name]; ok {
		return u
	}
	return baseURL + name
}

func (s *source) Info() sources.Info {
	f := s.files
	csvSet := sources.FileSet{Format: "csv"}
	for i, name := range f.csv {
		csvSet.Files = append(csvSet.Files, sources.FileSpec{Name: name, URL: s.url(name), Companion: i != csvMain})
	}
	all := []sources.FileSet{
		{Format: "advanced", Files: []sources.FileSpec{{Name: f.advanced, URL: s.url(f.advanced)}}},
		{Format: "xml", Files: []sources.FileSpec{{Name: f.xml, URL: s.url(f.xml)}}},
		csvSet,
	}
	formats := all
	if s.cfg.Formats != nil {
		formats = nil
		for _, name := range s.cfg.Formats {
			for _, set := range all {
				if set.Format == name {
					formats = append(formats, set)
				}
			}
		}
	}
	return sources.Info{
		Name:      f.name,
		Publisher: authority,
		Title:     f.title,
		Formats:   formats,
		Schedule:  "0 */2 * * *",
	}
}

func (s *source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	switch in.Format {
	case "advanced":
		return s.parseAdvanced(ctx, in, emit, issues)
	case "xml":
		return s.parseXML(ctx, in, emit, issues)
	case "csv":
		return s.parseCSV(ctx, in, emit, issues)
	}
	return sources.Meta{}, fmt.Errorf("%s: unknown format %q", s.files.name, in.Format)
}

// recordError reports a problem that makes file unusable.
func (s *source) recordError(file string, line int, err error) error {
	return &sources.RecordError{Source: s.files.name, File: file, Line: line, Err: err}
}

// checkEvery is how many records go between context checks.
const checkEvery = 256

// Package seco reads the Swiss consolidated sanctions list that the State
// Secretariat for Economic Affairs (SECO) publishes from its SESAM database
// (source ch_seco): one XML file, consolidated-list.xml, whose root
// <swiss-sanctions-list list-type="whole-list" date="..."> holds
// <sanctions-program> elements (program names per sanctions-set id),
// <target> elements (individuals, entities and objects, each with its
// modification history) and <place> elements (the places addresses and
// places of birth refer to by id).
//
// The file keeps de-listed targets, and inside each <modification> the
// historic copies of what was added or removed. A target whose latest
// modification is de-listed is left out and counted in Meta.Delisted;
// nothing inside a <modification> ever becomes an entity (DESIGN.md,
// Snapshot membership).
//
// Targets refer to places and sanctions sets by id, and those may come
// before or after the targets, so the file is read twice: lookup.go reads
// only the places, the sanctions programs and the target ids (a token scan
// that keeps nothing of the targets), then xml.go streams the targets
// through sources/xmlstream, record.go reads each into a struct and
// mapper.go, names.go and otherinfo.go turn it into an entity.
// docs/sources/ch_seco.md lists every element and attribute with where it
// lands in the schema or why it is ignored.
package seco

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Name is the source's name in the registry and the entity id prefix.
const Name = "ch_seco"

// FileName is the official name of the publication's only file (the name
// SESAM's download gives it).
const FileName = "consolidated-list.xml"

// OfficialURL is SESAM's download of the whole list in XML (English
// labels).
const OfficialURL = "https://www.sesam.search.admin.ch/sesam-search-web/pages/downloadXmlGesamtliste.xhtml?lang=en&action=downloadXmlGesamtlisteAction"

// Authority is the Listing.Authority of every listing.
const Authority = "State Secretariat for Economic Affairs (SECO)"

// Config configures the source.
type Config struct {
	// URLs overrides the official URL of a file, keyed by official file
	// name (FileName); tests point it at a local HTTP server.
	URLs map[string]string
}

// New returns the SECO consolidated list source.
func New(cfg Config) sources.Source {
	return &source{cfg: cfg}
}

type source struct {
	cfg Config
}

func (s *source) url(name string) string {
	if u, ok := s.cfg.URLs[name]; ok && u != "" {
		return u
	}
	return OfficialURL
}

func (s *source) Info() sources.Info {
	return sources.Info{
		Name:      Name,
		Publisher: "Swiss State Secretariat for Economic Affairs (SECO)",
		Title:     "Swiss consolidated sanctions list (SESAM)",
		Formats: []sources.FileSet{
			{Format: "xml", Files: []sources.FileSpec{{Name: FileName, URL: s.url(FileName)}}},
		},
		// SECO amends the list on working days, often within a day of a
		// UN or EU decision; every 4 hours catches a change the same day.
		Schedule: "0 */4 * * *",
	}
}

func (s *source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	if in.Format != "xml" {
		return sources.Meta{}, fmt.Errorf("%s: unknown format %q", Name, in.Format)
	}
	return s.parseXML(ctx, in, emit, issues)
}

// checkEvery is how many records go between context checks.
const checkEvery = 256

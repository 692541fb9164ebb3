// Package sema reads Canada's Consolidated Canadian Autonomous Sanctions
// List (source ca_sema): one XML file, sema-lmes.xml, whose root data-set
// holds flat record elements, one per listing under a regulation made
// under the Special Economic Measures Act (SEMA) or the Justice for Victims
// of Corrupt Foreign Officials Act (JVCFOA).
//
// The file has changed its element names twice; every layout is read
// (record.go): the 2020 names (Entity, Title, DateOfBirth), the current
// ones (EntityOrShip, TitleOrShip, ShipIMONumber,
// DateOfBirthOrShipBuildDate, DateOfListing) and the bilingual ones
// reported since 2026-08 (Country-Pays, EntityOrShip-EntiteOuNavire, ...).
//
// The publisher prints no record id: an id is made of the regulation
// (Country), the schedule and the item number (key.go). xml.go streams the
// file, record.go reads a record's elements, mapper.go makes the entity,
// aliases.go splits the free-text aliases and dates.go reads the dates.
// docs/sources/ca_sema.md lists every element with where it lands.
package sema

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Name is the source's name in the registry and the entity id prefix.
const Name = "ca_sema"

// FileName is the official name of the publication's only file.
const FileName = "sema-lmes.xml"

// OfficialURL serves the list (the address Global Affairs Canada's
// consolidated-list page links to).
const OfficialURL = "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml"

// Authority is the agency that keeps the list, for every listing.
const Authority = "Global Affairs Canada"

// Config configures the source.
type Config struct {
	// URLs overrides the official URL of a file, keyed by official file
	// name ("sema-lmes.xml"); tests point it at a local HTTP server.
	URLs map[string]string
}

// New returns the Canadian autonomous sanctions list source.
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
		Publisher: Authority,
		Title:     "Consolidated Canadian Autonomous Sanctions List",
		Formats: []sources.FileSet{
			{Format: "xml", Files: []sources.FileSpec{{Name: FileName, URL: s.url(FileName)}}},
		},
		// Amended at irregular intervals, often several times a month and
		// the same day a regulation is amended: every 6 hours, at minute 20
		// so as not to start with every other source.
		Schedule: "20 */6 * * *",
	}
}

func (s *source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	if in.Format != "xml" {
		return sources.Meta{}, fmt.Errorf("%s: unknown format %q", Name, in.Format)
	}
	return parseXML(ctx, in, emit, issues)
}

// checkEvery is how many records go between context checks.
const checkEvery = 256

// Package un reads the UN Security Council Consolidated List (source
// un_sc): one XML file, consolidated.xml, whose root CONSOLIDATED_LIST holds
// INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY records.
//
// xml.go streams the file and reads each record into a struct (record.go);
// mapper.go turns that struct into an entity. docs/sources/un_sc.md lists
// every element and attribute of the publication with where it lands in the
// schema or why it is ignored.
package un

import (
	"context"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Name is the source's name in the registry and the entity id prefix.
const Name = "un_sc"

// FileName is the official name of the publication's only file.
const FileName = "consolidated.xml"

// OfficialURL serves the English consolidated list.
const OfficialURL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

// Config configures the source.
type Config struct {
	// URL overrides the official URL of consolidated.xml; "" means
	// OfficialURL. Tests point it at a local HTTP server.
	URL string
}

// New returns the UN Security Council Consolidated List source.
func New(cfg Config) sources.Source {
	return &source{cfg: cfg}
}

type source struct {
	cfg Config
}

func (s *source) url() string {
	if s.cfg.URL != "" {
		return s.cfg.URL
	}
	return OfficialURL
}

func (s *source) Info() sources.Info {
	return sources.Info{
		Name:      Name,
		Publisher: "United Nations Security Council",
		Title:     "UN Security Council Consolidated List",
		Formats: []sources.FileSet{
			{Format: "xml", Files: []sources.FileSpec{{Name: FileName, URL: s.url()}}},
		},
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

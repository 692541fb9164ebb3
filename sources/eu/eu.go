// Package eu reads the European Commission's Financial Sanctions Files
// (FSF): the consolidated list of persons, groups and entities subject to
// EU financial sanctions (source eu_fsf), in its XML 1.1 and CSV 1.1
// forms.
//
// Both parsers fill the same intermediate record (record.go), one per
// sanctionEntity, and one builder maps it to an entity (mapper.go), so that
// the XML and the CSV of one publication give the same entities where the
// CSV carries the same fields. docs/sources/eu_fsf.md lists every element,
// attribute and column and where it lands.
package eu

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Name is the source's name.
const Name = "eu_fsf"

// Official file names.
const (
	XMLFile = "xmlFullSanctionsList_1_1.xml"
	CSVFile = "csvFullSanctionsList_1_1.csv"
)

// baseURL serves the files; each file's URL is baseURL + its name without
// extension + "/content?token=" + the token.
const baseURL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/"

// TokenSetting names the setting that carries the FSF download token, for
// messages that tell a user what to configure. Without a token the source
// declares no URL and a network run fails with "no URL configured".
const TokenSetting = "eu_fsf token (the FSF public download token, from the Commission's FSF page)"

// Config configures the source.
type Config struct {
	// Token is the token of the FSF public download links. It is
	// configuration, never written in code; empty leaves the URLs empty.
	Token string
	// URLs overrides the URL of a file, keyed by official file name; used
	// by tests with a local HTTP server.
	URLs map[string]string
}

// New returns the eu_fsf source.
func New(cfg Config) sources.Source {
	return &source{cfg: cfg}
}

type source struct {
	cfg Config
	// keepXMLNS leaves the default namespace declaration to xmlquery (see
	// readPrologue); tests and benchmarks compare both ways.
	keepXMLNS bool
}

// url returns a file's URL: the override, or the official URL with the
// token, or "" when there is no token.
func (s *source) url(file string) string {
	if u, ok := s.cfg.URLs[file]; ok {
		return u
	}
	if s.cfg.Token == "" {
		return ""
	}
	return baseURL + strings.TrimSuffix(strings.TrimSuffix(file, ".xml"), ".csv") +
		"/content?token=" + url.QueryEscape(s.cfg.Token)
}

func (s *source) Info() sources.Info {
	return sources.Info{
		Name:      Name,
		Publisher: "European Commission (FISMA)",
		Title:     "EU Financial Sanctions Files (consolidated list)",
		Formats: []sources.FileSet{
			{Format: "xml", Files: []sources.FileSpec{{Name: XMLFile, URL: s.url(XMLFile)}}},
			{Format: "csv", Files: []sources.FileSpec{{Name: CSVFile, URL: s.url(CSVFile)}}},
		},
		Schedule: "0 */2 * * *",
	}
}

func (s *source) Parse(ctx context.Context, in *sources.Input, emit func(*entity.Entity) error, issues *sources.Issues) (sources.Meta, error) {
	switch in.Format {
	case "xml":
		return s.parseXML(ctx, in, emit, issues)
	case "csv":
		return s.parseCSV(ctx, in, emit, issues)
	}
	return sources.Meta{}, fmt.Errorf("%s: unknown format %q", Name, in.Format)
}

// RedactURL hides the value of the token query parameter of an FSF URL
// ("...content?token=REDACTED"), for manifests, state files and errors
// (fetch.HTTPConfig.Redact). Other URLs are returned unchanged.
func RedactURL(u string) string {
	before, query, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	query, fragment, hasFragment := strings.Cut(query, "#")
	parts := strings.Split(query, "&")
	changed := false
	for i, p := range parts {
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil && strings.EqualFold(k, "token") {
			parts[i] = key + "=REDACTED"
			changed = true
		}
	}
	if !changed {
		return u
	}
	out := before + "?" + strings.Join(parts, "&")
	if hasFragment {
		out += "#" + fragment
	}
	return out
}

// recordError reports a problem that makes file unusable.
func recordError(file string, line int, err error) error {
	return &sources.RecordError{Source: Name, File: file, Line: line, Err: err}
}

// checkEvery is how many records go between context checks.
const checkEvery = 256

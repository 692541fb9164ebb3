// Package uk reads the UK Sanctions List published by the Foreign,
// Commonwealth & Development Office (source gb_fcdo), the only official UK
// list since the OFSI Consolidated List was frozen on 2026-01-28. The list
// is published as one XML file (UK-Sanctions-List.xml, preferred) and as
// one CSV file (UK-Sanctions-List.csv, one row per name).
//
// Both parsers fill the same designation record (record.go), deduplicating
// what they read, and one mapper turns a record into an entity, so that the
// XML and the CSV of one publication give the same entities. Where every
// element and column lands is written in docs/sources/gb_fcdo.md.
package uk

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Source name and official files.
const (
	sourceName = "gb_fcdo"
	xmlFile    = "UK-Sanctions-List.xml"
	csvFile    = "UK-Sanctions-List.csv"
	baseURL    = "https://sanctionslist.fcdo.gov.uk/docs/"
)

// Config configures the source.
type Config struct {
	// URLs overrides the official URL of a file, keyed by official file
	// name ("UK-Sanctions-List.xml"); used by tests with a local server.
	URLs map[string]string
}

// New returns the UK Sanctions List source.
func New(cfg Config) sources.Source {
	return &source{cfg: cfg}
}

type source struct {
	cfg Config
}

func (s *source) url(name string) string {
	if u, ok := s.cfg.URLs[name]; ok {
		return u
	}
	return baseURL + name
}

func (s *source) Info() sources.Info {
	return sources.Info{
		Name:      sourceName,
		Publisher: "UK Foreign, Commonwealth & Development Office",
		Title:     "UK Sanctions List",
		Formats: []sources.FileSet{
			{Format: "xml", Files: []sources.FileSpec{{Name: xmlFile, URL: s.url(xmlFile)}}},
			{Format: "csv", Files: []sources.FileSpec{{Name: csvFile, URL: s.url(csvFile)}}},
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
	return sources.Meta{}, fmt.Errorf("%s: unknown format %q", sourceName, in.Format)
}

// recordError reports a problem that makes file unusable.
func recordError(file string, line int, err error) error {
	return &sources.RecordError{Source: sourceName, File: file, Line: line, Err: err}
}

// checkEvery is how many records go between context checks.
const checkEvery = 256

// bufSize is the CSV parser's read buffer.
const bufSize = 64 << 10

// openCSV opens the CSV file and checks how it starts, as xmlstream does
// for the XML: an empty file and a UTF-16 or UTF-32 byte order mark make
// it unusable; a UTF-8 byte order mark is dropped with an issue (the
// publisher writes UTF-8 without one; a re-saved copy may carry it). The
// reader returned is positioned after any mark; base is its file offset.
func openCSV(in *sources.Input, issues *sources.Issues) (c io.Closer, br *bufio.Reader, base int64, err error) {
	f, err := in.Open(csvFile)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", sourceName, err)
	}
	br = bufio.NewReaderSize(f, bufSize)
	if base, err = sources.CheckStart(br, sourceName, csvFile, issues); err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	if err := sources.RefuseMarkup(br, sourceName, csvFile); err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	return f, br, base, nil
}

// Package all lists every source the tool knows, explicitly: no init()
// registration, so the registry is one readable function.
package all

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/csl"
	"github.com/sanctions-etl/sanctions-etl/sources/dfat"
	"github.com/sanctions-etl/sanctions-etl/sources/eu"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/seco"
	"github.com/sanctions-etl/sanctions-etl/sources/sema"
	"github.com/sanctions-etl/sanctions-etl/sources/uk"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// Config carries per-source settings from the command line or config file.
type Config struct {
	// URLs overrides official file URLs: source name -> file name -> URL.
	URLs map[string]map[string]string
	// EUToken is the public token of the EU Financial Sanctions Files;
	// without it eu_fsf cannot be fetched over the network.
	EUToken string
	// TempDir holds the intermediate files of parsers that spill to disk
	// (OFAC's advanced XML, DFAT's rows); "" is the system's temporary
	// directory. cmd/ passes the run's scratch folder, which the startup
	// sweep removes when a process was killed.
	TempDir string
}

// Registry returns every source, sorted by name. It panics on a duplicate
// name: that is a programming error caught by the tests.
func Registry(cfg Config) []sources.Source {
	srcs := []sources.Source{
		ofac.NewSDN(ofac.Config{URLs: cfg.URLs["us_ofac_sdn"], TempDir: cfg.TempDir}),
		ofac.NewConsolidated(ofac.Config{URLs: cfg.URLs["us_ofac_cons"], TempDir: cfg.TempDir}),
		uk.New(uk.Config{URLs: cfg.URLs["gb_fcdo"]}),
		eu.New(eu.Config{Token: cfg.EUToken, URLs: cfg.URLs["eu_fsf"]}),
		un.New(un.Config{URL: cfg.URLs["un_sc"]["consolidated.xml"]}),
		seco.New(seco.Config{URLs: cfg.URLs["ch_seco"]}),
		sema.New(sema.Config{URLs: cfg.URLs["ca_sema"]}),
		csl.New(csl.Config{URLs: cfg.URLs["us_trade_csl"]}),
		dfat.New(dfat.Config{URLs: cfg.URLs["au_dfat"], TempDir: cfg.TempDir}),
	}
	seen := map[string]bool{}
	for _, s := range srcs {
		n := s.Info().Name
		if seen[n] {
			panic("duplicate source " + n)
		}
		seen[n] = true
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Info().Name < srcs[j].Info().Name })
	return srcs
}

// Select returns the sources named, in registry order; no names selects
// all. An unknown name is an error listing the known ones.
func Select(srcs []sources.Source, names []string) ([]sources.Source, error) {
	if len(names) == 0 {
		return srcs, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []sources.Source
	var known []string
	for _, s := range srcs {
		n := s.Info().Name
		known = append(known, n)
		if want[n] {
			out = append(out, s)
			delete(want, n)
		}
	}
	if len(want) > 0 {
		var unknown []string
		for n := range want {
			unknown = append(unknown, n)
		}
		sort.Strings(unknown)
		return nil, fmt.Errorf("unknown source %s (known: %s)", strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return out, nil
}

package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/scratch"
)

// historyFlags are the flags of the commands that rebuild versions from
// archived raw bytes (reprocess, replay): the store they publish into and
// the base URL its catalog names, as for run.
type historyFlags struct {
	storeFlags
	reportURL string
}

func (f *historyFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.reportURL, "report-url", "", "base URL where the store's objects can be read: the URLs in catalog.json and each source's ftm_deltas.json (default: file:// URLs into a local --out)")
	f.storeFlags.register(fs)
}

// open opens the store and a scratch folder, and gives the pipeline
// configuration of the command's runs; the caller removes the folder.
func (f historyFlags) open(ctx context.Context) (pipeline.Config, *scratch.Dir, error) {
	if err := checkReportURL("--report-url", f.reportURL); err != nil {
		return pipeline.Config{}, nil, err
	}
	st, err := f.storeFlags.open(ctx)
	if err != nil {
		return pipeline.Config{}, nil, err
	}
	tmp, err := openScratch("")
	if err != nil {
		return pipeline.Config{}, nil, err
	}
	return pipeline.Config{Store: st, ToolVersion: version, TempDir: tmp.Path(), PublicURL: f.reportURL}, tmp, nil
}

// checkReportURL accepts an empty value or an http(s) URL with a host.
func checkReportURL(key, value string) error {
	if value == "" {
		return nil
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q: want an http(s) URL", key, value)
	}
	return nil
}

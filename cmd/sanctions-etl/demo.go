package main

import (
	"embed"
	"encoding/json"
	"fmt"
	"github.com/sanctions-etl/sanctions-etl/combine"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

//go:embed demodata
var demoData embed.FS

func newDemoCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Replay bundled real publications (two dates per source) through the whole flow, offline",
		Long: `demo publishes real official publications bundled in the binary, oldest date
first, into --out, so that the second version of each source carries a real delta
and report. No network is used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			steps, err := demoSteps()
			if err != nil {
				return err
			}
			st, err := openStore(out)
			if err != nil {
				return err
			}
			tmp, err := openScratch("")
			if err != nil {
				return err
			}
			defer tmp.Remove()
			failed := false
			for i, step := range steps {
				dir, err := os.MkdirTemp(tmp.Path(), "demo-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				var names []string
				for src, files := range step {
					names = append(names, src)
					if err := extract(files, filepath.Join(dir, src)); err != nil {
						return err
					}
				}
				sort.Strings(names)
				fmt.Fprintf(w, "\nstep %d of %d: %v\n", i+1, len(steps), describe(step))
				var results []pipeline.Result
				var ran []sources.Source
				for _, name := range names {
					srcs, err := all.Select(all.Registry(all.Config{}), []string{name})
					if err != nil {
						return err
					}
					cfg := pipeline.Config{
						Store:       st,
						Fetcher:     fetch.NewDir(filepath.Join(dir, name), fetch.DefaultMaxBytes, tmp.Path()),
						ToolVersion: version,
						TempDir:     tmp.Path(),
					}
					res := pipeline.Run(cmd.Context(), cfg, srcs[0])
					failed = failed || res.Outcome == pipeline.Failed
					results = append(results, res)
					ran = append(ran, srcs[0])
				}
				var registry []string
				for _, src := range all.Registry(all.Config{}) {
					registry = append(registry, src.Info().Name)
				}
				ccfg := pipeline.Config{Store: st, ToolVersion: version, TempDir: tmp.Path()}
				if res, ok := pipeline.RunCombined(cmd.Context(), ccfg, registry); ok {
					failed = failed || res.Outcome == pipeline.Failed
					results = append(results, res)
					ran = append(ran, combine.New(combine.Config{Store: st, Sources: registry}))
				}
				printSummary(w, results)
				if err := pipeline.UpdateIndex(cmd.Context(), pipeline.Config{Store: st}, ran); err != nil {
					return err
				}
			}
			fmt.Fprintf(w, "\nOutputs in %s; the latest report of each source:\n", st.Location())
			for _, src := range sortedKeys(steps[len(steps)-1]) {
				var latest pipeline.Latest
				if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(layout.Latest(src)))); err == nil {
					if err := json.Unmarshal(b, &latest); err == nil {
						fmt.Fprintf(w, "  %s\n", filepath.Join(out, src, latest.Version, layout.ReportMDName))
					}
				}
			}
			var latest pipeline.Latest
			if b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(layout.Latest(combine.Name)))); err == nil {
				if err := json.Unmarshal(b, &latest); err == nil {
					fmt.Fprintf(w, "and who lists whom across them:\n  %s\n", filepath.Join(out, combine.Name, latest.Version, combine.CoverageMDName))
				}
			}
			if failed {
				return errFailed
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "./demo-data", "local directory to publish into")
	return cmd
}

// demoSteps groups the bundled files by replay step: step i holds, for
// every source with at least i+1 dates, the files of its i-th date.
func demoSteps() ([]map[string][]string, error) {
	srcDirs, err := fs.ReadDir(demoData, "demodata")
	if err != nil {
		return nil, err
	}
	var steps []map[string][]string
	for _, sd := range srcDirs {
		if !sd.IsDir() {
			continue
		}
		dates, err := fs.ReadDir(demoData, path.Join("demodata", sd.Name()))
		if err != nil {
			return nil, err
		}
		for i, d := range dates { // ReadDir sorts by name: dates in order
			if len(steps) <= i {
				steps = append(steps, map[string][]string{})
			}
			files, err := fs.Glob(demoData, path.Join("demodata", sd.Name(), d.Name(), "*"))
			if err != nil {
				return nil, err
			}
			steps[i][sd.Name()] = files
		}
	}
	if len(steps) == 0 {
		return nil, fmt.Errorf("demo: no bundled publications")
	}
	return steps, nil
}

func describe(step map[string][]string) []string {
	var out []string
	for _, src := range sortedKeys(step) {
		out = append(out, src+" "+path.Base(path.Dir(step[src][0])))
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func extract(files []string, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		in, err := demoData.Open(f)
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dir, path.Base(f)))
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

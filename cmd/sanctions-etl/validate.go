package main

import (
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

func newValidateCmd() *cobra.Command {
	var source string
	var maxIssues int
	cmd := &cobra.Command{
		Use:   "validate --source NAME FILE...",
		Short: "Parse local publication files and print counts and problems",
		Long: `validate parses the given files as the named source would (files are matched
by their official names, case-insensitively; NAME.gz is accepted) and prints
entity counts by type and every problem found. Nothing is published. It exits 1
when the files cannot be parsed or yield no entity.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			srcs, err := all.Select(all.Registry(all.Config{}), []string{source})
			if err != nil {
				return err
			}
			info := srcs[0].Info()
			tmp, err := openScratch("")
			if err != nil {
				return err
			}
			defer tmp.Remove()
			dir := filepath.Join(tmp.Path(), "files")
			if err := os.Mkdir(dir, 0o700); err != nil {
				return err
			}
			for _, f := range files {
				abs, err := filepath.Abs(f)
				if err != nil {
					return err
				}
				if _, err := os.Stat(abs); err != nil {
					return err
				}
				if err := os.Symlink(abs, filepath.Join(dir, filepath.Base(f))); err != nil {
					return fmt.Errorf("%s: %w (two files with one name?)", f, err)
				}
			}
			var issues sources.Issues
			acq, err := sources.Acquire(cmd.Context(), info, fetch.NewDir(dir, fetch.DefaultMaxBytes, tmp.Path()), nil, &issues)
			if err != nil {
				return err
			}
			defer fetch.Remove(acq.Input.Files...)
			counts := map[entity.Type]int{}
			total := 0
			meta, err := srcs[0].Parse(cmd.Context(), acq.Input, func(e *entity.Entity) error {
				if verr := e.Validate(); verr != nil {
					issues.Add(sources.Issue{File: acq.Input.Files[0].Name, Record: e.SourceID, Problem: "record skipped: " + verr.Error()})
					return nil
				}
				counts[e.Type]++
				total++
				return nil
			}, &issues)
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "source %s, format %s", info.Name, acq.Input.Format)
			if meta.PublicationDate != "" {
				fmt.Fprintf(out, ", published %s", meta.PublicationDate)
			}
			fmt.Fprintln(out)
			for _, f := range acq.Input.Files {
				fmt.Fprintf(out, "  %s  %d bytes  sha256 %s\n", f.Name, f.Bytes, f.SHA256)
			}
			fmt.Fprintf(out, "entities: %d", total)
			for _, t := range entity.Types {
				fmt.Fprintf(out, "  %s %d", t, counts[t])
			}
			fmt.Fprintf(out, "\nissues: %d\n", issues.Total())
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for i, is := range issues.List() {
				if i == maxIssues {
					fmt.Fprintf(tw, "... %d more\n", issues.Total()-maxIssues)
					break
				}
				fmt.Fprintf(tw, "  %s\tline %d\t%s\t%s\n", is.File, is.Line, is.Record, is.Problem)
			}
			tw.Flush()
			if err != nil {
				return err
			}
			if total == 0 {
				return fmt.Errorf("%s: no entities in %v", info.Name, files)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "source whose format the files are in (required; see `sanctions-etl sources`)")
	cmd.Flags().IntVar(&maxIssues, "max-issues", 200, "print at most this many problems")
	cmd.MarkFlagRequired("source")
	return cmd
}

package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

func newSourcesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "sources",
		Short: "List the sources: name, publisher, formats, file URLs and default schedule",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SOURCE\tPUBLISHER\tFORMATS\tSCHEDULE\tTITLE")
			srcs := all.Registry(all.Config{})
			for _, s := range srcs {
				info := s.Info()
				var formats []string
				for _, set := range info.Formats {
					formats = append(formats, set.Format)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", info.Name, info.Publisher, strings.Join(formats, ","), info.Schedule, info.Title)
			}
			tw.Flush()
			fmt.Fprintln(cmd.OutOrStdout())
			for _, s := range srcs {
				info := s.Info()
				for _, set := range info.Formats {
					for _, f := range set.Files {
						role := "main"
						if f.Companion {
							role = "companion"
						}
						fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%-18s %-9s %s\n", info.Name, set.Format, f.Name, role, f.URL)
					}
				}
			}
			return nil
		},
	}
}

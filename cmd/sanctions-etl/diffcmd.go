package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/diff"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

func newDiffCmd() *cobra.Command {
	var format string
	var rows int
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two snapshots and print the review report",
		Long: `diff compares two snapshots of one source. Each of OLD and NEW is a version
folder (holding entities.jsonl.gz) or an entities file (.jsonl or .jsonl.gz).
It prints the report in Markdown (default) or HTML, or the delta as JSON lines.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			oldSnap, oldClose, err := openSnapshotFile(args[0])
			if err != nil {
				return err
			}
			defer oldClose()
			newSnap, newClose, err := openSnapshotFile(args[1])
			if err != nil {
				return err
			}
			defer newClose()
			out := cmd.OutOrStdout()
			report := diff.NewReportBuilder(rows)
			var dw *diff.DeltaWriter
			if format == "delta" {
				dw = diff.NewDeltaWriter(out)
			}
			counts, err := diff.Compare(oldSnap, newSnap, func(op diff.Op) error {
				if dw != nil {
					return dw.Write(op)
				}
				return report.Add(op)
			})
			if err != nil {
				return fmt.Errorf("diff %s %s: %w", args[0], args[1], err)
			}
			in := diff.ReportInput{
				Source:          "",
				Version:         args[1],
				PreviousVersion: args[0],
				EntityCount:     counts.Added + counts.Changed + counts.Unchanged,
				Counts:          counts,
			}
			switch format {
			case "md", "markdown":
				return report.WriteMarkdown(out, in)
			case "html":
				return report.WriteHTML(out, in)
			case "delta":
				return nil
			}
			return fmt.Errorf("--format %q: want md, html or delta", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "output: md (Markdown report), html (HTML report) or delta (JSON lines)")
	cmd.Flags().IntVar(&rows, "rows", 0, "rows per report table (0: the default)")
	return cmd
}

// openSnapshotFile opens a version folder's entities or an entities file.
func openSnapshotFile(p string) (diff.Snapshot, func(), error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, nil, err
	}
	if fi.IsDir() {
		p = filepath.Join(p, layout.EntitiesName)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	var r io.Reader = f
	if strings.HasSuffix(p, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		r = zr
	}
	return diff.NewLineReader(r), func() { f.Close() }, nil
}

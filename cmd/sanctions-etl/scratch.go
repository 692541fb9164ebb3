package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/sanctions-etl/sanctions-etl/scratch"
	"github.com/sanctions-etl/sanctions-etl/sink"
)

// openScratch removes the temp folders that killed processes of this tool
// left in parent (--temp-dir; "" is the system temp folder, $TMPDIR) and
// makes this process's own, which the caller removes at exit. Every
// intermediate file goes there, so that a kill leaves one folder for the
// next start to find.
func openScratch(parent string) (*scratch.Dir, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	sweepScratch(parent)
	return scratch.New(parent)
}

// sweepScratch removes the scratch folders of dead processes in parent and
// logs what went. It cannot fail a command: a folder left is only space.
func sweepScratch(parent string) {
	swept, err := scratch.Sweep(parent)
	if len(swept.Folders) > 0 {
		slog.Info("removed the temp folders of killed runs", "folder", parent, "count", len(swept.Folders), "bytes", swept.Bytes)
	}
	if err != nil {
		slog.Warn("sweep temp folders", "err", err)
	}
}

// sweepStore removes the residue of killed writes under each prefix from
// stores that have some (the local store's temp files) and prints what
// went.
func sweepStore(ctx context.Context, w io.Writer, st sink.Store, prefixes []string) error {
	sw, ok := sink.AsSweeper(st)
	if !ok {
		return nil // S3: an interrupted PUT leaves nothing
	}
	var total sink.Swept
	for _, prefix := range prefixes {
		swept, err := sw.Sweep(ctx, prefix)
		total.Files += swept.Files
		total.Folders += swept.Folders
		total.Bytes += swept.Bytes
		if err != nil {
			return err
		}
	}
	if total.Files > 0 {
		slog.Info("removed the temp files of killed writes", "store", st.Location(), "count", total.Files, "bytes", total.Bytes, "folders", total.Folders)
		fmt.Fprintf(w, "removed %d temp files of killed writes (%d bytes) and %d folders they left from %s\n", total.Files, total.Bytes, total.Folders, st.Location())
	}
	return nil
}

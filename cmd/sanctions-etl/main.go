// Command sanctions-etl fetches official sanctions publications, normalizes
// them into one schema, diffs them against their previous version and
// publishes immutable, versioned snapshots. See README.md and docs/.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is stamped at build time: -ldflags "-X main.version=...".
var version = "dev"

// errFailed signals exit status 1 after the command has already printed
// why (a failed source in the summary table).
var errFailed = errors.New("one or more sources failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := newRootCmd().ExecuteContext(ctx)
	if err != nil {
		if !errors.Is(err, errFailed) {
			fmt.Fprintln(os.Stderr, "sanctions-etl:", err)
		}
		os.Exit(1)
	}
}

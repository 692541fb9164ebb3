package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// globalFlags are shared by every command.
type globalFlags struct {
	logLevel  string
	logFormat string
}

func newRootCmd() *cobra.Command { return newRootCmdEnv(os.LookupEnv) }

// newRootCmdEnv reads settings from the environment lookupEnv gives (tests
// pass their own).
func newRootCmdEnv(lookupEnv func(string) (string, bool)) *cobra.Command {
	var g globalFlags
	set := newSettings(lookupEnv)
	root := &cobra.Command{
		Use:   "sanctions-etl",
		Short: "Keep a correct, versioned copy of official sanctions lists",
		Long: `sanctions-etl fetches official sanctions publications (OFAC, UN, EU, UK, ...),
normalizes them into one entity schema, diffs each source against its previous
snapshot and publishes immutable, versioned outputs to a local directory or S3.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "auto", "log format: text, json, or auto (text on a terminal, JSON otherwise)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		// run and schedule read the environment and --config; the other
		// commands take their flags only, so that SANCTIONS_ETL_OUT meant
		// for production never redirects a demo.
		if cf := cmd.Flags().Lookup("config"); cf != nil {
			known := newScheduleCmd(newSettings(lookupEnv)).Flags()
			known.AddFlagSet(root.PersistentFlags())
			path := cf.Value.String()
			if v, ok := lookupEnv(envPrefix + "CONFIG"); ok && !cf.Changed {
				path = v
			}
			if err := set.load(cmd.Flags(), path, known); err != nil {
				return err
			}
		}
		logger, err := newLogger(cmd.ErrOrStderr(), g.logLevel, g.logFormat)
		if err != nil {
			return err
		}
		slog.SetDefault(logger)
		return nil
	}
	root.AddCommand(newRunCmd(set), newScheduleCmd(set), newSourcesCmd(), newDiffCmd(), newValidateCmd(), newDemoCmd(), newGCCmd(), newReprocessCmd(), newReplayCmd())
	return root
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "auto":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, opts)), nil
		}
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text, json or auto", format)
}

// isTerminal reports whether w is a terminal. Asking the terminal driver
// (x/term's ioctl), not the file mode: /dev/null is a character device too,
// and `run 2>/dev/null` is not a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

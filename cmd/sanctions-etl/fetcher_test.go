package main

import (
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// The CLI's HTTP fetcher keeps the default transport's response-header
// timeout: a server that never answers fails an attempt after a minute, not
// after the whole --timeout (5 minutes, times --attempts).
func TestFetcherHTTPTimeouts(t *testing.T) {
	f := runFlags{set: newSettings(func(string) (string, bool) { return "", false })}
	cmd := &cobra.Command{}
	f.register(cmd)
	if err := cmd.Flags().Parse([]string{"--timeout", "7m"}); err != nil {
		t.Fatal(err)
	}
	fe, err := f.fetcher()
	if err != nil {
		t.Fatal(err)
	}
	w, ok := fe.(interface{ Unwrap() fetch.Fetcher })
	if !ok {
		t.Fatalf("fetcher() = %T, want a retrying wrapper", fe)
	}
	h, ok := w.Unwrap().(*fetch.HTTP)
	if !ok {
		t.Fatalf("wrapped fetcher %T, want *fetch.HTTP", w.Unwrap())
	}
	if got := h.HeaderTimeout(); got != fetch.DefaultHeaderTimeout || got >= 7*time.Minute {
		t.Errorf("HeaderTimeout() = %v, want %v (well under --timeout)", got, fetch.DefaultHeaderTimeout)
	}
}

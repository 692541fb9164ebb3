package sources_test

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

const sdnDir = "../testdata/us_ofac_sdn/2021-07-07"

func csvSet(base string) sources.Info {
	spec := func(name string, companion bool) sources.FileSpec {
		return sources.FileSpec{Name: name, URL: base + "/" + name, Companion: companion}
	}
	return sources.Info{Name: "us_ofac_sdn", Formats: []sources.FileSet{
		{Format: "xml", Files: []sources.FileSpec{spec("SDN.XML", false)}},
		{Format: "csv", Files: []sources.FileSpec{spec("SDN.CSV", false), spec("ADD.CSV", true), spec("ALT.CSV", true), spec("SDN_COMMENTS.CSV", true)}},
	}}
}

func realCSV(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(sdnDir, strings.ToLower(name)+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Over the network a set with one file missing is never parsed, and the
// files already fetched are removed.
func TestAcquireRemotePartialSetFails(t *testing.T) {
	served := map[string][]byte{"SDN.CSV": realCSV(t, "SDN.CSV"), "ADD.CSV": realCSV(t, "ADD.CSV")}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := served[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	info := csvSet(srv.URL)
	info.Formats = info.Formats[1:] // the CSV set preferred
	tmp := t.TempDir()
	var issues sources.Issues
	_, err := sources.Acquire(context.Background(), info, fetch.NewHTTP(fetch.HTTPConfig{TempDir: tmp}), nil, &issues)
	if err == nil || !errors.Is(err, fetch.ErrNotFound) || !strings.Contains(err.Error(), "ALT.CSV") || !strings.Contains(err.Error(), "partial fetch") {
		t.Fatalf("err = %v; want a partial fetch naming ALT.CSV", err)
	}
	left, _ := os.ReadDir(tmp)
	if len(left) != 0 {
		t.Fatalf("fetched files left behind: %v", left)
	}
}

// From a folder: the first format whose main file is present wins, and a
// missing companion is an issue, not a failure.
func TestAcquireLocal(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"SDN.CSV", "ALT.CSV"} {
		os.WriteFile(filepath.Join(dir, strings.ToLower(name)), realCSV(t, name), 0o644)
	}
	var issues sources.Issues
	acq, err := sources.Acquire(context.Background(), csvSet(""), fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), nil, &issues)
	if err != nil {
		t.Fatal(err)
	}
	if acq.Input.Format != "csv" || len(acq.Input.Files) != 2 {
		t.Fatalf("format %s, %d files", acq.Input.Format, len(acq.Input.Files))
	}
	got := []string{}
	for _, is := range issues.List() {
		got = append(got, is.File)
	}
	if strings.Join(got, ",") != "ADD.CSV,SDN_COMMENTS.CSV" {
		t.Fatalf("issues for %v, want ADD.CSV and SDN_COMMENTS.CSV", got)
	}

	// With the XML present it is preferred.
	os.WriteFile(filepath.Join(dir, "sdn.xml"), []byte("<sdnList/>"), 0o644)
	acq, err = sources.Acquire(context.Background(), csvSet(""), fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), nil, &sources.Issues{})
	if err != nil || acq.Input.Format != "xml" {
		t.Fatalf("with SDN.XML present: %v %+v", err, acq)
	}

	// Nothing of the source: an error naming what was looked for.
	_, err = sources.Acquire(context.Background(), csvSet(""), fetch.NewDir(t.TempDir(), fetch.DefaultMaxBytes, ""), nil, &sources.Issues{})
	if !errors.Is(err, fetch.ErrNotFound) || !strings.Contains(err.Error(), "SDN.XML") || !strings.Contains(err.Error(), "SDN.CSV") {
		t.Fatalf("empty folder: %v", err)
	}
}

// A source is unchanged only when every file was asked conditionally and
// answered 304. A mirror that answers 304 to requests without validators
// (none stored, or stored for only some files of the set, so none are sent)
// fails the fetch instead of passing as unchanged forever.
func TestAcquireRemoteNotModifiedUnasked(t *testing.T) {
	v := fetch.Validators{ETag: `"v1"`}
	all := map[string]fetch.Validators{"SDN.CSV": v, "ADD.CSV": v, "ALT.CSV": v, "SDN_COMMENTS.CSV": v}
	tests := []struct {
		name          string
		prev          map[string]fetch.Validators
		wantUnchanged bool
	}{
		{"no validators stored", nil, false},
		{"validators for one file of four", map[string]fetch.Validators{"SDN.CSV": v}, false},
		{"validators for every file", all, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var unasked []string // requests without validators
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("If-None-Match") == "" && r.Header.Get("If-Modified-Since") == "" {
					mu.Lock()
					unasked = append(unasked, r.URL.Path)
					mu.Unlock()
				}
				w.WriteHeader(http.StatusNotModified)
			}))
			defer srv.Close()
			info := csvSet(srv.URL)
			info.Formats = info.Formats[1:] // the four-file CSV set
			tmp := t.TempDir()
			acq, err := sources.Acquire(context.Background(), info, fetch.NewHTTP(fetch.HTTPConfig{TempDir: tmp}), tt.prev, &sources.Issues{})
			if tt.wantUnchanged {
				if err != nil || !acq.Unchanged {
					t.Fatalf("Acquire = %+v, %v; want Unchanged", acq, err)
				}
				if len(unasked) != 0 {
					t.Errorf("requests without validators: %v", unasked)
				}
				return
			}
			if err == nil {
				t.Fatalf("Acquire = %+v, want an error, not unchanged", acq)
			}
			if !errors.Is(err, fetch.ErrUnconditionalNotModified) || !strings.Contains(err.Error(), "SDN.CSV") {
				t.Errorf("err = %v, want ErrUnconditionalNotModified naming SDN.CSV", err)
			}
			if len(unasked) == 0 {
				t.Error("every request carried validators; the case tests unconditional ones")
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("fetched files left behind: %v", left)
			}
		})
	}
}

package dfat

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// TestFetch: Config.URLs points the source at a server on 127.0.0.1; the
// new name is the one fetched, the workbook it serves (the real one's
// first 15 rows, as the fuzz seed) is parsed whole, and an HTML page
// served in its place is refused naming the file.
func TestFetch(t *testing.T) {
	whole := seedBook(t, publications[1])
	page := []byte("<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body>The requested page could not be found.</body></html>\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/list.xlsx":
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Write(whole)
		case "/moved.xlsx":
			w.Header().Set("Content-Type", "text/html")
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	tests := []struct {
		path     string
		entities int
		err      string
	}{
		{"/list.xlsx", 5, ""}, // references 2 to 6
		{"/moved.xlsx", 0, "an HTML or XML page, not an XLSX workbook"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			src := New(Config{URLs: map[string]string{FileName: srv.URL + tc.path, OldFileName: srv.URL + "/gone"}, TempDir: t.TempDir()})
			var issues sources.Issues
			acq, err := sources.Acquire(context.Background(), src.Info(), fetch.NewHTTP(fetch.HTTPConfig{TempDir: t.TempDir()}), nil, &issues)
			if err != nil {
				t.Fatal(err)
			}
			defer fetch.Remove(acq.Input.Files...)
			if name := acq.Input.Files[0].Name; name != FileName {
				t.Fatalf("fetched %s, want %s", name, FileName)
			}
			n := 0
			_, err = src.Parse(context.Background(), acq.Input, func(*entity.Entity) error { n++; return nil }, &issues)
			var re *sources.RecordError
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("parse: %v", err)
			case tc.err != "" && (!errors.As(err, &re) || re.File != FileName || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want a *sources.RecordError naming %s with %q", err, FileName, tc.err)
			}
			if n != tc.entities {
				t.Errorf("%d entities, want %d", n, tc.entities)
			}
		})
	}
}

// TestFolderPrefersNewName: from a folder holding both names (in any
// case), the new one is read.
func TestFolderPrefersNewName(t *testing.T) {
	dir := t.TempDir()
	for name, pub := range map[string]publication{strings.ToUpper(OldFileName): publications[0], strings.ToLower(FileName): publications[1]} {
		if err := os.WriteFile(filepath.Join(dir, name), readFile(t, pub.path()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var issues sources.Issues
	acq, err := sources.Acquire(context.Background(), New(Config{}).Info(), fetch.NewDir(dir, fetch.DefaultMaxBytes, t.TempDir()), nil, &issues)
	if err != nil {
		t.Fatal(err)
	}
	defer fetch.Remove(acq.Input.Files...)
	if len(acq.Input.Files) != 1 || acq.Input.Files[0].Name != FileName || acq.Input.Files[0].Bytes != int64(len(readFile(t, publications[1].path()))) {
		t.Errorf("acquired %+v, want %s alone", acq.Input.Files, FileName)
	}
}

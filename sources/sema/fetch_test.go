package sema

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// TestFetch: Config.URLs points the source at a server on 127.0.0.1; the
// real file it serves is fetched and parsed whole, and an HTML page
// served in its place is refused naming the file.
func TestFetch(t *testing.T) {
	whole := readPublication(t, real2020)
	page := []byte("<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body>Erreur 404</body></html>\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sema-lmes.xml":
			w.Header().Set("Content-Type", "text/xml")
			w.Write(whole)
		case "/moved.xml":
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
		{"/sema-lmes.xml", 1369, ""},
		{"/moved.xml", 0, "root element <html> (an HTML page, not the list), want <data-set>"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			src := New(Config{URLs: map[string]string{FileName: srv.URL + tc.path}})
			var issues sources.Issues
			acq, err := sources.Acquire(context.Background(), src.Info(), fetch.NewHTTP(fetch.HTTPConfig{TempDir: t.TempDir()}), nil, &issues)
			if err != nil {
				t.Fatal(err)
			}
			defer fetch.Remove(acq.Input.Files...)
			n := 0
			_, err = src.Parse(context.Background(), acq.Input, func(*entity.Entity) error { n++; return nil }, &issues)
			var re *sources.RecordError
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("parse: %v", err)
			case tc.err != "" && (!errors.As(err, &re) || re.File != FileName || re.Err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want a *sources.RecordError naming %s with %q", err, FileName, tc.err)
			}
			if n != tc.entities {
				t.Errorf("%d entities, want %d", n, tc.entities)
			}
		})
	}
}

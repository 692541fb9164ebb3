package seco

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

// TestFetch: Config.URLs points the source at a server on 127.0.0.1 that
// answers, like SESAM, at a page URL with a query (the file's name is the
// source's, not the URL's); the real excerpt it serves is fetched and
// parsed, and an HTML page served in its place is refused naming the file.
func TestFetch(t *testing.T) {
	whole := readExcerpt(t)
	page := []byte("<!DOCTYPE html>\n<html lang=\"de\"><head><title>SESAM</title></head><body>Wartung</body></html>\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/sesam-search-web/pages/downloadXmlGesamtliste.xhtml" && r.URL.Query().Get("action") == "downloadXmlGesamtlisteAction":
			w.Header().Set("Content-Type", "application/xml")
			w.Write(whole)
		case r.URL.Path == "/maintenance":
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
		{"/sesam-search-web/pages/downloadXmlGesamtliste.xhtml?lang=en&action=downloadXmlGesamtlisteAction", 4, ""},
		{"/maintenance", 0, "root element <html> (an HTML page, not the list), want <swiss-sanctions-list>"},
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
			meta, err := src.Parse(context.Background(), acq.Input, func(*entity.Entity) error { n++; return nil }, &issues)
			var re *sources.RecordError
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("parse: %v", err)
			case tc.err != "" && (!errors.As(err, &re) || re.File != FileName || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want a *sources.RecordError naming %s with %q", err, FileName, tc.err)
			}
			if n != tc.entities || (tc.err == "" && meta.Delisted != 3) {
				t.Errorf("%d entities, %d de-listed; want %d", n, meta.Delisted, tc.entities)
			}
		})
	}
}

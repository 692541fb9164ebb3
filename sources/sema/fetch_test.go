package sema

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestFetch: Config.URLs points the source at a server on 127.0.0.1; the
// real file it serves is fetched and parsed whole, and an HTML page
// served in its place is refused naming the file.
func TestFetch(t *testing.T) {
	whole := readPublication(t, real2020)
	page := []byte("<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body>Erreur 404</body></html>\n")
	url := sourcetest.Serve(t, map[string]sourcetest.Served{
		"/sema-lmes.xml": {ContentType: "text/xml", Body: whole},
		"/moved.xml":     {ContentType: "text/html", Body: page},
	})
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
			p := sourcetest.Fetch(t, New(Config{URLs: map[string]string{FileName: url + tc.path}}))
			sourcetest.CheckRecordError(t, p.Err, FileName, tc.err)
			if n := len(p.Emitted); n != tc.entities {
				t.Errorf("%d entities, want %d", n, tc.entities)
			}
		})
	}
}

package seco

import (
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestFetch: Config.URLs points the source at a server on 127.0.0.1 that
// answers, like SESAM, at a page URL with a query (the file's name is the
// source's, not the URL's); the real excerpt it serves is fetched and
// parsed, and an HTML page served in its place is refused naming the file.
func TestFetch(t *testing.T) {
	whole := readExcerpt(t)
	page := []byte("<!DOCTYPE html>\n<html lang=\"de\"><head><title>SESAM</title></head><body>Wartung</body></html>\n")
	url := sourcetest.Serve(t, map[string]sourcetest.Served{
		"/sesam-search-web/pages/downloadXmlGesamtliste.xhtml?lang=en&action=downloadXmlGesamtlisteAction": {ContentType: "application/xml", Body: whole},
		"/maintenance": {ContentType: "text/html", Body: page},
	})
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
			p := sourcetest.Fetch(t, New(Config{URLs: map[string]string{FileName: url + tc.path}}))
			sourcetest.CheckRecordError(t, p.Err, FileName, tc.err)
			if n := len(p.Emitted); n != tc.entities || (tc.err == "" && p.Meta.Delisted != 3) {
				t.Errorf("%d entities, %d de-listed; want %d", n, p.Meta.Delisted, tc.entities)
			}
		})
	}
}

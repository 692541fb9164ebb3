package sourcetest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
)

// Served is what a test server answers at one address.
type Served struct {
	ContentType string
	Body        []byte
}

// Serve answers, on 127.0.0.1 until the test ends, each request URI of
// files (the path with its query, exactly as requested) with its body and
// anything else with 404; it returns the server's URL.
func Serve(t testing.TB, files map[string]Served) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Write(f.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// CheckRecordError fails the test unless err is nil where want is empty,
// or else a *sources.RecordError naming file, with a cause, whose message
// holds want.
func CheckRecordError(t testing.TB, err error, file, want string) {
	t.Helper()
	var re *sources.RecordError
	switch {
	case want == "" && err != nil:
		t.Fatalf("parse: %v", err)
	case want != "" && (!errors.As(err, &re) || re.File != file || re.Err == nil || !strings.Contains(err.Error(), want)):
		t.Fatalf("error %v, want a *sources.RecordError naming %s with %q", err, file, want)
	}
}

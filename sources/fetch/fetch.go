// Package fetch gets a publication's files, over HTTP or from a local
// folder, into local files with their sha256 and size.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrNotFound reports that a file does not exist at its location (a 404, or
// no such file in a --from folder).
var ErrNotFound = errors.New("file not found")

// ErrTooLarge reports a file over the size cap.
var ErrTooLarge = errors.New("file exceeds size cap")

// ErrUnconditionalNotModified reports a 304 Not Modified to a request that
// carried no validators: a broken mirror or proxy, not an unchanged file.
var ErrUnconditionalNotModified = errors.New("304 Not Modified to a request that was not conditional")

// Spec names one file of a publication.
type Spec struct {
	Name string // official file name, e.g. SDN.XML
	URL  string // where the publisher serves it
}

// Validators are the HTTP cache validators of a previous fetch.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// IsZero reports whether there is nothing to send in a conditional GET.
func (v Validators) IsZero() bool { return v.ETag == "" && v.LastModified == "" }

// File is one fetched file. Path holds its exact bytes unless NotModified.
//
// Path may be a temporary file the fetcher created (an HTTP body, a
// decompressed .gz from a folder) or the caller's own file (a plain file in a
// --from folder). Close removes the former and leaves the latter alone; call
// it (or Remove) once the bytes are no longer needed.
type File struct {
	Name        string // official file name as the source declares it
	URL         string // redacted URL, or the local path it was read from
	Path        string // local file with the bytes
	SHA256      string // hex
	Bytes       int64
	Validators  Validators // from the response, for the next conditional GET
	NotModified bool       // the server answered 304: Path is empty
	Status      int        // HTTP status; 0 for local files

	temp bool // Path was created by the fetcher; Close removes it
}

// Fetcher gets one file. Implementations do not retry; wrap them (see
// WithRetry). On error they return a nil File and leave no temporary file.
type Fetcher interface {
	// Fetch gets spec's file into a local file. prev, when set, makes the
	// request conditional; a 304 to it gives a File with NotModified set.
	// Without prev the answer is never NotModified.
	Fetch(ctx context.Context, spec Spec, prev Validators) (*File, error)
	// Local reports whether files come from a folder (--from) rather than
	// the network; a missing optional file is then an issue, not a failure.
	Local() bool
}

// StatusError is an HTTP answer other than 200, or a 304 to a request that
// was not conditional.
type StatusError struct {
	URL    string // redacted
	Status int
	Text   string // the reason phrase of the status line, shortened
	// RetryAfter is the server's Retry-After on a 429 or 503, as a delay
	// from when the answer arrived; 0 when absent or unparsable.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if e.Status == http.StatusNotModified {
		return fmt.Sprintf("GET %s: HTTP %d %s, but the request was not conditional (a broken mirror or proxy?)", e.URL, e.Status, e.Text)
	}
	return fmt.Sprintf("GET %s: HTTP %d %s", e.URL, e.Status, e.Text)
}

// Temporary reports whether a retry may succeed (429 and 5xx).
func (e *StatusError) Temporary() bool {
	return e.Status == 429 || e.Status >= 500
}

// Unwrap maps 404 and 410 to ErrNotFound, 304 to ErrUnconditionalNotModified.
func (e *StatusError) Unwrap() error {
	switch e.Status {
	case http.StatusNotFound, http.StatusGone:
		return ErrNotFound
	case http.StatusNotModified:
		return ErrUnconditionalNotModified
	}
	return nil
}

// Package sink holds the Store contract that publication writes through:
// a flat key space of immutable objects plus a few pointer objects that
// move by compare-and-swap. sink/local and sink/s3 implement it; sink/layout
// computes every key.
package sink

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrPrecondition reports a refused conditional write: the object exists
// when it must not, or its ETag is not the one the caller read.
var ErrPrecondition = errors.New("precondition failed")

// ErrNotExist reports a missing object.
var ErrNotExist = errors.New("object does not exist")

// ErrChecksum reports a body that does not match PutOptions.SHA256; nothing
// was written.
var ErrChecksum = errors.New("checksum mismatch")

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ETag    string // opaque; equal ETags mean equal content
	ModTime time.Time
}

// PutOptions controls one write. The zero value creates the object and
// refuses to replace an existing one: version objects are written once.
type PutOptions struct {
	ContentType string
	// IfMatch replaces the object only if its current ETag equals this.
	IfMatch string
	// Overwrite replaces the object unconditionally: state.json, and the
	// FtM delta indexes, rebuilt whole from versions.json on every run.
	Overwrite bool
	// Metadata is stored with the object where the store supports it.
	Metadata map[string]string
	// SHA256 is the hex sha256 of the body, when the caller knows it. The
	// store then checks it and refuses a body that does not match (S3
	// sends it as x-amz-checksum-sha256 and the server verifies it);
	// empty leaves the check to the store's own means.
	SHA256 string
}

// Store is a flat key space. Keys use "/" as separator.
type Store interface {
	// Put writes body under key. Without options it fails with an error
	// matching ErrPrecondition when key exists. The body may be read more
	// than once (a retry seeks back to its start). Readers never see a
	// partly written object. It returns the new object's ETag.
	Put(ctx context.Context, key string, body io.ReadSeeker, opts PutOptions) (string, error)
	// Get opens the object; the caller closes it. A missing object gives
	// an error for which IsNotExist is true.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Stat describes the object without reading it.
	Stat(ctx context.Context, key string) (Info, error)
	// List calls fn for every object whose key starts with prefix, in key
	// order, in the caller's goroutine; an error from fn stops the listing
	// and is returned.
	List(ctx context.Context, prefix string, fn func(Info) error) error
	// Delete removes the object; removing a missing object is not an error.
	Delete(ctx context.Context, key string) error
	// IsNotExist reports whether err means the object is missing.
	IsNotExist(err error) bool
	// IsPermanent reports whether retrying the operation cannot help
	// (missing bucket, access denied, refused precondition).
	IsPermanent(err error) bool
	// Location names the store for messages (a folder or s3://bucket/prefix).
	Location() string
}

// Sweeper is implemented by stores in which a killed writer leaves residue
// that no Store method shows: sink/local's temp files, which also keep
// their folder from being removed. S3 has none (an interrupted PUT leaves
// nothing; an interrupted multipart upload is the bucket lifecycle rule's).
type Sweeper interface {
	// Sweep removes what writers that no longer run left under prefix (a
	// key prefix, as for List), and the folders that leaves empty. A
	// running writer's Put never fails for it.
	Sweep(ctx context.Context, prefix string) (Swept, error)
}

// Swept counts what a Sweep removed.
type Swept struct {
	Files   int
	Folders int
	Bytes   int64
}

// AsSweeper finds a Sweeper in st or in the stores it wraps (those with an
// Unwrap() Store method, like sink/retry's).
func AsSweeper(st Store) (Sweeper, bool) {
	for st != nil {
		if sw, ok := st.(Sweeper); ok {
			return sw, true
		}
		u, ok := st.(interface{ Unwrap() Store })
		if !ok {
			break
		}
		st = u.Unwrap()
	}
	return nil, false
}

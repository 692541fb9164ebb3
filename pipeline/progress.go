package pipeline

import (
	"context"

	"github.com/sanctions-etl/sanctions-etl/internal/progress"
)

// The hooks of Config.Progress. Each is nil, and costs a nil check, when
// Progress is nil.

// progress is the run's reporter, its lines prefixed with the source.
func (r *run) progress() *progress.Reporter { return r.cfg.Progress.With(r.info.Name) }

// fetchProgress makes the fetchers report the bytes of each file under ctx
// (they take no Config of the run's).
func (r *run) fetchProgress(ctx context.Context) context.Context {
	return progress.NewContext(ctx, r.progress())
}

// parseProgress counts the parsed entities that pass validation, batch by
// batch; a repeated id, dropped when sorted, counts too.
func (r *run) parseProgress() *progress.Stage {
	return r.progress().Count("parse", "records", -1)
}

// publishProgress counts the objects of the version folder uploaded before
// its manifest.
func (r *run) publishProgress(objects int) *progress.Stage {
	return r.progress().Count("publish", "objects", int64(objects))
}

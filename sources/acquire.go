package sources

import (
	"context"
	"errors"
	"fmt"

	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// Acquired is the outcome of fetching a source's files.
type Acquired struct {
	Input *Input
	// Unchanged is set when every file answered 304 Not Modified to a
	// conditional request.
	Unchanged bool
}

// Acquire gets one format's file set of src.
//
// From a local folder it takes the first format whose main file (the
// first of its set) is present; missing companions become issues. Over the
// network it takes the preferred format and fails if any file fails: a
// partly fetched set is never parsed. prev holds the validators of the last
// fetch by file name; when every file answers 304 to a conditional request
// the result is Unchanged. A 304 to a request without validators is an error.
func Acquire(ctx context.Context, info Info, f fetch.Fetcher, prev map[string]fetch.Validators, issues *Issues) (*Acquired, error) {
	if len(info.Formats) == 0 {
		return nil, fmt.Errorf("%s: no formats declared", info.Name)
	}
	if f.Local() {
		return acquireLocal(ctx, info, f, issues)
	}
	return acquireRemote(ctx, info.Formats[0], f, prev)
}

func acquireLocal(ctx context.Context, info Info, f fetch.Fetcher, issues *Issues) (_ *Acquired, err error) {
	var tried []string
	for _, set := range info.Formats {
		main := set.Files[0]
		first, err := f.Fetch(ctx, fetch.Spec{Name: main.Name, URL: main.URL}, fetch.Validators{})
		if errors.Is(err, fetch.ErrNotFound) {
			tried = append(tried, main.Name)
			continue
		}
		if err != nil {
			return nil, err
		}
		in := &Input{Format: set.Format, Files: []*fetch.File{first}}
		defer func() {
			if err != nil {
				fetch.Remove(in.Files...)
			}
		}()
		for _, spec := range set.Files[1:] {
			file, err := f.Fetch(ctx, fetch.Spec{Name: spec.Name, URL: spec.URL}, fetch.Validators{})
			switch {
			case errors.Is(err, fetch.ErrNotFound) && spec.Companion:
				issues.Addf(spec.Name, 0, "", "companion file missing from the folder; its fields are absent from this version")
				continue
			case err != nil:
				return nil, err
			}
			in.Files = append(in.Files, file)
		}
		return &Acquired{Input: in}, nil
	}
	return nil, fmt.Errorf("%s: none of %v found: %w", info.Name, tried, fetch.ErrNotFound)
}

func acquireRemote(ctx context.Context, set FileSet, f fetch.Fetcher, prev map[string]fetch.Validators) (_ *Acquired, err error) {
	// Conditional requests only when every file has validators: a set with
	// some files 304 and others 200 would need the old bytes of the former.
	conditional := len(prev) > 0
	for _, spec := range set.Files {
		if prev[spec.Name].IsZero() {
			conditional = false
		}
	}
	for _, spec := range set.Files {
		if spec.URL == "" {
			return nil, fmt.Errorf("%s: no URL configured (see the source's documentation for the setting it needs)", spec.Name)
		}
	}
	in := &Input{Format: set.Format}
	// A partly fetched set is never parsed: drop what was fetched.
	defer func() {
		if err != nil {
			fetch.Remove(in.Files...)
		}
	}()
	notModified := 0
	for _, spec := range set.Files {
		var v fetch.Validators
		if conditional {
			v = prev[spec.Name]
		}
		file, err := f.Fetch(ctx, fetch.Spec{Name: spec.Name, URL: spec.URL}, v)
		if err != nil {
			return nil, fmt.Errorf("partial fetch, nothing used: %w", err)
		}
		in.Files = append(in.Files, file)
		if file.NotModified {
			// Only a conditional request may be answered "unchanged"
			// (DESIGN.md, Integrity). Checked here whatever the fetcher:
			// an unchanged source counts as a successful check.
			if v.IsZero() {
				return nil, fmt.Errorf("partial fetch, nothing used: fetch %s: %w", spec.Name, fetch.ErrUnconditionalNotModified)
			}
			notModified++
		}
	}
	if notModified == len(set.Files) {
		return &Acquired{Input: in, Unchanged: true}, nil
	}
	if notModified > 0 {
		// Mixed answers: fetch the 304 files again without validators.
		for i, file := range in.Files {
			if !file.NotModified {
				continue
			}
			spec := set.Files[i]
			again, err := f.Fetch(ctx, fetch.Spec{Name: spec.Name, URL: spec.URL}, fetch.Validators{})
			if err != nil {
				return nil, fmt.Errorf("partial fetch, nothing used: %w", err)
			}
			if again.NotModified {
				return nil, fmt.Errorf("partial fetch, nothing used: fetch %s: %w", spec.Name, fetch.ErrUnconditionalNotModified)
			}
			in.Files[i] = again
		}
	}
	return &Acquired{Input: in}, nil
}

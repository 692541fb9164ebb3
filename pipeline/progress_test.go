package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/internal/progress"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// A run with Progress set tells the bytes it fetched, the records it parsed
// and the objects it published, with the totals the manifest and the
// version folder show; a run that finds the publication unchanged tells
// only its fetch.
func TestRunProgress(t *testing.T) {
	st := newStore(t)
	var buf bytes.Buffer
	// A second passes at every reading: every count prints a line.
	tick := clockFrom(time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC))
	tick.step = time.Second
	cfg := config(st, fetch.NewDir(testdata+"/un_sc/2018-06-07", fetch.DefaultMaxBytes, t.TempDir()), newClock())
	cfg.Progress = progress.New(&buf, true, progress.Config{Now: tick.now})
	res := pipeline.Run(context.Background(), cfg, source(t, "un_sc"))
	if res.Outcome != pipeline.Published {
		t.Fatalf("outcome %s: %v", res.Outcome, res.Err)
	}
	m := manifest(t, st, "un_sc", res.Version)
	var objects int
	if err := st.List(context.Background(), layout.VersionDir("un_sc", res.Version), func(i sink.Info) error {
		if !strings.HasSuffix(i.Key, "/"+layout.ManifestName) {
			objects++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 1 || m.EntityCount < 1000 || objects != 8 {
		t.Fatalf("un_sc 2018-06-07: %d files, %d entities, %d objects besides the manifest; want 1 file, over 1,000 entities, 8 objects (raw, entities, delta, two reports, entities.csv, entities.ftm.json, entities.delta.json)", len(m.Files), m.EntityCount, objects)
	}

	stages := splitStages(t, buf.String())
	want := map[string]string{
		"fetch":   fmt.Sprintf("un_sc: fetch %s %.1f MB done", m.Files[0].Name, float64(m.Files[0].Bytes)/1e6),
		"parse":   fmt.Sprintf("un_sc: parse %s records done", thousands(m.EntityCount)),
		"publish": fmt.Sprintf("un_sc: publish %d objects done", objects),
	}
	for _, stage := range []string{"fetch", "parse", "publish"} {
		lines := stages[stage]
		if len(lines) < 3 {
			t.Errorf("%s: %d lines, want some before its last:\n%s", stage, len(lines), buf.String())
			continue
		}
		if last := lines[len(lines)-1]; last != want[stage] {
			t.Errorf("%s: last line %q, want %q", stage, last, want[stage])
		}
	}
	// The counts before the last: records in whole batches (the last one
	// short), objects one at a time, both growing up to the totals.
	prev := 0
	for _, l := range stages["parse"][:len(stages["parse"])-1] {
		n := count(t, strings.TrimSuffix(strings.TrimPrefix(l, "un_sc: parse "), " records"))
		if n <= prev || (n%64 != 0 && n != m.EntityCount) || n > m.EntityCount {
			t.Errorf("parse line %q after %d records (of %d, in batches of 64)", l, prev, m.EntityCount)
		}
		prev = n
	}
	for i, l := range stages["publish"][:len(stages["publish"])-1] {
		if want := fmt.Sprintf("un_sc: publish %d of %d objects", i+1, objects); l != want {
			t.Errorf("publish line %q, want %q", l, want)
		}
	}

	// The same files again: unchanged after the fetch.
	buf.Reset()
	res = pipeline.Run(context.Background(), cfg, source(t, "un_sc"))
	if res.Outcome != pipeline.Unchanged {
		t.Fatalf("second run: outcome %s: %v", res.Outcome, res.Err)
	}
	stages = splitStages(t, buf.String())
	if len(stages["fetch"]) == 0 || len(stages["parse"]) > 0 || len(stages["publish"]) > 0 {
		t.Errorf("unchanged run's lines:\n%s", buf.String())
	}
}

// splitStages groups progress lines by stage, failing on a line out of
// the stages' order (fetch, parse, publish) or of another source.
func splitStages(t *testing.T, out string) map[string][]string {
	t.Helper()
	order := map[string]int{"fetch": 0, "parse": 1, "publish": 2}
	stages := map[string][]string{}
	at := 0
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		rest, ok := strings.CutPrefix(l, "un_sc: ")
		stage, _, _ := strings.Cut(rest, " ")
		o, known := order[stage]
		if !ok || !known || o < at {
			t.Fatalf("line %q out of place:\n%s", l, out)
		}
		at = o
		stages[stage] = append(stages[stage], l)
	}
	return stages
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func count(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("count %q: %v", s, err)
	}
	return n
}

package pipeline_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
)

// TestReplacementCharReported: the real UN list of 2026-02-27 prints two
// U+FFFD in un_sc-111076's Arabic name. The manifest names each with its
// line and byte offset, and the name still gets an ASCII form from the
// letters that are there.
func TestReplacementCharReported(t *testing.T) {
	st := newStore(t)
	res := runFrom(t, st, newClock(), "un_sc", testdata+"/un_sc/2026-02-27")
	if res.Outcome != pipeline.Published {
		t.Fatalf("%s %v", res.Outcome, res.Err)
	}
	m := manifest(t, st, "un_sc", res.Version)
	var found []string
	for _, is := range m.Issues {
		if strings.Contains(is.Problem, "U+FFFD") {
			found = append(found, is.File+":"+strconv.Itoa(is.Line)+" "+is.Problem)
		}
	}
	if len(found) != 2 || !strings.Contains(found[0], "consolidated.xml:36527 ") || !strings.Contains(found[0], "at byte 1415732") {
		t.Errorf("U+FFFD issues %v", found)
	}
	for _, line := range entityLines(t, st, "un_sc", res.Version) {
		e := decode(t, line)
		if e.ID != "un_sc-111076" {
			continue
		}
		for _, n := range e.Names {
			if strings.ContainsRune(n.Value, '\uFFFD') && n.ASCII != "mhmd all mty`" {
				t.Errorf("name %q: ascii %q", n.Value, n.ASCII)
			}
		}
		return
	}
	t.Error("no un_sc-111076")
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const unTitle = "UN Security Council Consolidated List"

// diffVersions are version folders run from real publications: two UN
// versions in order and one OFAC consolidated version.
type diffVersions struct {
	unOld, unNew, ofac string
}

func buildDiffVersions(t *testing.T) diffVersions {
	t.Helper()
	out := t.TempDir()
	for _, r := range []struct{ src, dir string }{
		{"un_sc", "../../testdata/un_sc/2024-11-30"},
		{"un_sc", "../../testdata/un_sc/2026-02-27"},
		{"us_ofac_cons", "../../testdata/us_ofac_cons/2018-04-06"},
	} {
		if got, err := execute(t, "run", "--source", r.src, "--from", r.dir, "--out", out); err != nil {
			t.Fatalf("run %s: %v\n%s", r.dir, err, got)
		}
	}
	un, _ := filepath.Glob(filepath.Join(out, "un_sc", "2*"))
	ofac, _ := filepath.Glob(filepath.Join(out, "us_ofac_cons", "2*"))
	if len(un) != 2 || len(ofac) != 1 {
		t.Fatalf("versions: un_sc %v, us_ofac_cons %v", un, ofac)
	}
	return diffVersions{un[0], un[1], ofac[0]}
}

func readTestManifest(t *testing.T, dir string) *pipeline.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, layout.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	m := new(pipeline.Manifest)
	if err := json.Unmarshal(data, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// summaryRow is the report's summary row the manifest's counts give.
func summaryRow(m *pipeline.Manifest) string {
	sign := func(s string, n int) string {
		if n == 0 {
			return "0"
		}
		return fmt.Sprintf("%s%d", s, n)
	}
	d := m.Delta
	return fmt.Sprintf("| %d | %s | %s | %s | %d |", m.EntityCount,
		sign("+", d.Added), sign("-", d.Removed), sign("~", d.Changed), m.EntityCount-d.Added-d.Changed)
}

func diffWantIn(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, diffAbbrev(got))
		}
	}
}

func diffAbbrev(s string) string {
	if len(s) > 1500 {
		return s[:1500] + "..."
	}
	return s
}

// Two UN version folders: the report's heading and meta come from the
// manifests and the registry, its counts match NEW's manifest.
func TestDiffVersionFoldersReadManifests(t *testing.T) {
	v := buildDiffVersions(t)
	oldM, newM := readTestManifest(t, v.unOld), readTestManifest(t, v.unNew)
	if newM.Delta.Added == 0 || newM.Delta.Removed == 0 || newM.Delta.Changed == 0 {
		t.Fatalf("the UN versions should differ in every way: %+v", newM.Delta)
	}
	md, err := execute(t, "diff", v.unOld, v.unNew)
	if err != nil {
		t.Fatalf("diff: %v\n%s", err, md)
	}
	diffWantIn(t, "report.md", md,
		"# Sanctions list changes: "+unTitle+" (un_sc)\n",
		"- **Source:** un_sc\n",
		"- **Publisher:** United Nations Security Council\n",
		"- **Version:** "+newM.Version+"\n",
		"- **Previous version:** "+oldM.Version+"\n",
		"- **Publication date:** "+*newM.PublicationDate+"\n",
		"- **Published at:** "+newM.PublishedAt+"\n",
		fmt.Sprintf("| person | %d |", newM.CountsByType["person"]),
		fmt.Sprintf("| organization | %d |", newM.CountsByType["organization"]),
	)
	if got, want := summary(md), summaryRow(newM); got != want {
		t.Errorf("summary %q, NEW's manifest says %q", got, want)
	}
	// The version folder's own report, written by the run, says the same.
	published, err := os.ReadFile(filepath.Join(v.unNew, layout.ReportMDName))
	if err != nil {
		t.Fatal(err)
	}
	if summary(md) != summary(string(published)) {
		t.Errorf("diff summary %q, published report %q", summary(md), summary(string(published)))
	}

	html, err := execute(t, "diff", "--format", "html", v.unOld, v.unNew)
	if err != nil {
		t.Fatalf("diff --format html: %v", err)
	}
	diffWantIn(t, "report.html", html, unTitle, "un_sc", newM.Version, oldM.Version)
}

// A UN snapshot against an OFAC one is refused, in every output format and
// whether given as folders or entities files; --force compares them and the
// report says the sources differ.
func TestDiffRefusesTwoSources(t *testing.T) {
	v := buildDiffVersions(t)
	unFile := filepath.Join(v.unOld, layout.EntitiesName)
	ofacFile := filepath.Join(v.ofac, layout.EntitiesName)
	for _, args := range [][]string{
		{v.unOld, v.ofac},
		{"--format", "delta", v.unOld, v.ofac},
		{"--format", "html", v.ofac, v.unOld},
		{unFile, ofacFile},
		{v.unOld, ofacFile},
	} {
		got, err := execute(t, append([]string{"diff"}, args...)...)
		if err == nil {
			t.Errorf("diff %v: no error\n%s", args, diffAbbrev(got))
			continue
		}
		old, cur := args[len(args)-2], args[len(args)-1]
		for _, w := range []string{old, cur, "un_sc", "us_ofac_cons", "--force"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("diff %v: error %q does not name %s", args, err, w)
			}
		}
		if got != "" {
			t.Errorf("diff %v: refused but printed\n%s", args, diffAbbrev(got))
		}
	}

	md, err := execute(t, "diff", "--force", v.unOld, v.ofac)
	if err != nil {
		t.Fatalf("diff --force: %v\n%s", err, md)
	}
	oldM, newM := readTestManifest(t, v.unOld), readTestManifest(t, v.ofac)
	heading, _, _ := strings.Cut(md, "\n")
	diffWantIn(t, "the heading", heading, "us_ofac_cons", "un_sc", "different sources", unTitle)
	diffWantIn(t, "report.md", md,
		"- **Version:** us_ofac_cons "+newM.Version+"\n",
		"- **Previous version:** un_sc "+oldM.Version+"\n")
	// Nothing carries over: every OFAC entity is added, every UN one removed.
	want := fmt.Sprintf("| %d | +%d | -%d | 0 | 0 |", newM.EntityCount, newM.EntityCount, oldM.EntityCount)
	if got := summary(md); got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

// Entities files without a manifest: the source comes from their entities,
// the title from the registry, and the counts match the folders'.
func TestDiffEntitiesFiles(t *testing.T) {
	v := buildDiffVersions(t)
	newM := readTestManifest(t, v.unNew)
	tmp := t.TempDir()
	oldGz := filepath.Join(v.unOld, layout.EntitiesName)
	newPlain := filepath.Join(tmp, "new.jsonl")
	if err := os.WriteFile(newPlain, sourcetest.Gunzip(t, filepath.Join(v.unNew, layout.EntitiesName)), 0o644); err != nil {
		t.Fatal(err)
	}
	md, err := execute(t, "diff", oldGz, newPlain)
	if err != nil {
		t.Fatalf("diff: %v\n%s", err, md)
	}
	diffWantIn(t, "report.md", md,
		"# Sanctions list changes: "+unTitle+" (un_sc)\n",
		"- **Source:** un_sc\n",
		"- **Version:** "+newPlain+"\n",
		"- **Previous version:** "+oldGz+"\n")
	if got, want := summary(md), summaryRow(newM); got != want {
		t.Errorf("summary %q, NEW's manifest says %q", got, want)
	}

	// An empty entities file names no source: nothing to refuse. OLD's
	// source stands for both, and the report says so; with no entity on
	// either side it says the source and title are unknown instead of
	// leaving them blank.
	empty := filepath.Join(tmp, "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	md, err = execute(t, "diff", oldGz, empty)
	if err != nil {
		t.Fatalf("diff to an empty file: %v\n%s", err, md)
	}
	heading, _, _ := strings.Cut(md, "\n")
	diffWantIn(t, "the heading", heading, unTitle, "(un_sc, named by OLD: NEW "+empty+" holds no entity)")
	md, err = execute(t, "diff", empty, empty)
	if err != nil {
		t.Fatalf("diff of empty files: %v\n%s", err, md)
	}
	heading, _, _ = strings.Cut(md, "\n")
	diffWantIn(t, "the heading", heading, "title unknown", "unknown: neither OLD nor NEW")

	// A source this build does not know (one dropped from the registry):
	// its name stays, the title is said to be unknown.
	renamed := bytes.ReplaceAll(sourcetest.Gunzip(t, oldGz), []byte(`"source":"un_sc"`), []byte(`"source":"xx_retired"`))
	if bytes.Equal(renamed, sourcetest.Gunzip(t, oldGz)) {
		t.Fatal(`no "source":"un_sc" member to rename`)
	}
	retired := filepath.Join(tmp, "retired.jsonl")
	if err := os.WriteFile(retired, renamed, 0o644); err != nil {
		t.Fatal(err)
	}
	md, err = execute(t, "diff", retired, retired)
	if err != nil {
		t.Fatalf("diff of a retired source: %v\n%s", err, md)
	}
	heading, _, _ = strings.Cut(md, "\n")
	diffWantIn(t, "the heading", heading, "title unknown: xx_retired is not a source", "(xx_retired)")
}

// A folder that is not a whole version folder is an error naming the file.
func TestDiffBadVersionFolder(t *testing.T) {
	v := buildDiffVersions(t)
	tmp := t.TempDir()
	entities, err := os.ReadFile(filepath.Join(v.unNew, layout.EntitiesName))
	if err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(v.unNew, layout.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	ofacManifest, err := os.ReadFile(filepath.Join(v.ofac, layout.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	oldManifest, err := os.ReadFile(filepath.Join(v.unOld, layout.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	folder := func(name string, manifest []byte) string {
		dir := filepath.Join(tmp, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, layout.EntitiesName), entities, 0o644); err != nil {
			t.Fatal(err)
		}
		if manifest != nil {
			if err := os.WriteFile(filepath.Join(dir, layout.ManifestName), manifest, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	for _, c := range []struct {
		name     string
		manifest []byte
		want     []string
	}{
		{"no-manifest", nil, []string{"manifest.json", "does not exist"}},
		{"cut-manifest", manifest[:len(manifest)/2], []string{"manifest.json", "not a manifest"}},
		{"other-source", ofacManifest, []string{"us_ofac_cons", "un_sc"}},
		{"other-count", oldManifest, []string{"manifest.json", fmt.Sprint(readTestManifest(t, v.unNew).EntityCount)}},
	} {
		dir := folder(c.name, c.manifest)
		got, err := execute(t, "diff", v.unOld, dir)
		if err == nil {
			t.Errorf("%s: no error\n%s", c.name, diffAbbrev(got))
			continue
		}
		for _, w := range append(c.want, dir) {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not name %q", c.name, err, w)
			}
		}
	}

	// s3:// was never read by diff; it says so.
	if _, err := execute(t, "diff", "s3://bucket/un_sc/x", v.unNew); err == nil || !strings.Contains(err.Error(), "local") {
		t.Errorf("s3:// OLD: err %v", err)
	}
}

// The report's cards spill to the temporary folder while the ops stream
// (past 2 MiB of cards: the real DFAT 2024 -> 2026 change of 3,850
// entities spills); diff leaves nothing there.
func TestDiffLeavesNoTemporaryFiles(t *testing.T) {
	out := t.TempDir()
	for _, date := range []string{"2024-12-17", "2026-02-24"} {
		if got, err := execute(t, "run", "--source", "au_dfat", "--from", "../../testdata/au_dfat/"+date, "--out", out); err != nil {
			t.Fatalf("run %s: %v\n%s", date, err, got)
		}
	}
	versions, _ := filepath.Glob(filepath.Join(out, "au_dfat", "2*"))
	if len(versions) != 2 {
		t.Fatalf("versions %v", versions)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, format := range []string{"md", "html"} {
		if _, err := execute(t, "diff", "--format", format, versions[0], versions[1]); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) != 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
}

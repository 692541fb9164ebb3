package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// reprocess rebuilds the latest version of each source that published,
// from the store alone, and says so in versions.json.
func TestReprocessCommand(t *testing.T) {
	out := t.TempDir()
	if got, err := executeEnv(t, nil, "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out); err != nil {
		t.Fatalf("run: %v\n%s", err, got)
	}
	got, err := executeEnv(t, nil, "reprocess", "--out", out, "--report-url", "https://lists.example.org/sanctions")
	if err != nil || !regexp.MustCompile(`(?m)^us_ofac_cons +published .* \+0 -0 ~0`).MatchString(got) {
		t.Fatalf("reprocess: %v\n%s", err, got)
	}
	b, err := os.ReadFile(filepath.Join(out, "us_ofac_cons", "versions.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []struct{ Version, Reason string }
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Reason != "reprocess" || vs[1].Reason != "publication" {
		t.Fatalf("versions.json: %+v", vs)
	}
	// The catalog the reprocess rewrote names the URL given, as a run's does.
	b, err = os.ReadFile(filepath.Join(out, "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Datasets []struct {
			Name      string
			Resources []struct{ URL string }
		}
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	want := "https://lists.example.org/sanctions/us_ofac_cons/" + vs[0].Version + "/entities.ftm.json"
	found := false
	for _, d := range cat.Datasets {
		if d.Name == "us_ofac_cons" {
			found = len(d.Resources) == 1 && d.Resources[0].URL == want
		}
	}
	if !found {
		t.Errorf("catalog.json: %s\nwant the resource %s; versions %+v", b, want, vs)
	}
	if _, err := executeEnv(t, nil, "reprocess", "--out", out, "--report-url", "ftp://x"); err == nil {
		t.Error("reprocess took --report-url ftp://x")
	}
	if got, err := executeEnv(t, nil, "reprocess", "--source", "un_sc", "--out", out); err != nil || !regexp.MustCompile(`un_sc: never published`).MatchString(got) {
		t.Fatalf("reprocess of a source that never published: %v\n%s", err, got)
	}
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
)

// killPoints are the steps of a publication at which the crash test kills
// the binary: while the version folder is written, between its manifest and
// latest.json, between latest.json and versions.json, and after.
var killPoints = []string{
	pipeline.FaultClaimed,
	pipeline.FaultUploaded + "1",
	pipeline.FaultUploaded + "3",
	pipeline.FaultManifestWritten,
	pipeline.FaultLatestMoved,
	pipeline.FaultVersionsWritten,
	pipeline.FaultStateWritten,
}

// crashStore is one store the crash test publishes to: the --out to give
// the binary and an in-process client of the same store.
type crashStore struct {
	out  string
	args []string
	st   sink.Store
	root string // the local store's directory (for residue checks)
}

// The real binary, killed with SIGKILL at each step of a publication, on
// the local store and on S3 (versitygw): latest.json still names a complete
// version, the next run succeeds, versions.json is the previous_version
// chain from latest, and gc leaves nothing behind, in the store or in
// TMPDIR.
func TestKillAtEveryStepLocal(t *testing.T) {
	killMatrix(t, "local", func(t *testing.T) crashStore {
		dir := t.TempDir()
		st, err := local.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		return crashStore{out: dir, st: st, root: dir}
	})
}

func TestKillAtEveryStepS3(t *testing.T) {
	srv := s3test.Start(t)
	awsEnv(t, srv, srv.SecretKey)
	killMatrix(t, "s3", func(t *testing.T) crashStore {
		bucket := srv.NewBucket(t)
		return crashStore{out: "s3://" + bucket + "/crash", args: []string{"--s3-path-style"}, st: srv.NewStore(t, bucket, "crash", nil)}
	})
}

func killMatrix(t *testing.T, kind string, newStore func(t *testing.T) crashStore) {
	bin := buildBinary(t)
	const src = "us_ofac_cons"
	first := "../../testdata/us_ofac_cons/2020-03-17"
	second := "../../testdata/us_ofac_cons/2023-03-08"
	{
		for _, point := range killPoints {
			t.Run(point, func(t *testing.T) {
				cs := newStore(t)
				tmp := t.TempDir()
				run := func(from, killAt string) (string, error) {
					args := append([]string{"run", "--source", src, "--from", from, "--out", cs.out, "--lease-ttl", "0"}, cs.args...)
					cmd := exec.Command(bin, args...)
					cmd.Env = append(os.Environ(), "TMPDIR="+tmp, killAtEnv+"="+killAt)
					out, err := cmd.CombinedOutput()
					return string(out), err
				}
				if out, err := run(first, ""); err != nil {
					t.Fatalf("first run: %v\n%s", err, out)
				}
				before := mustCheck(t, cs.st, src)

				out, err := run(second, point)
				var exit *exec.ExitError
				if !errors.As(err, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled() || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
					t.Fatalf("the run was not killed at %s: %v\n%s", point, err, out)
				}
				after := mustCheck(t, cs.st, src)
				if n := len(after); n != len(before) && n != len(before)+1 {
					t.Fatalf("after the kill versions.json lists %d versions, before %d", n, len(before))
				}

				// The next run succeeds and ends with the second
				// publication as latest, once.
				if out, err := run(second, ""); err != nil {
					t.Fatalf("run after the kill: %v\n%s", err, out)
				}
				vs := mustCheck(t, cs.st, src)
				if latest := readLatest(t, cs.st, src); len(vs) != 2 || vs[0].Version != latest || vs[1].Version != before[0].Version {
					t.Fatalf("versions after recovery %+v, want the second publication after %s", vs, before[0].Version)
				}

				// gc (as if a day had passed) removes the killed run's
				// folder, if it left one, and leaves no residue.
				ctx := context.Background()
				if _, err := pipeline.GC(ctx, pipeline.GCConfig{Store: cs.st, Sources: []string{src}, Now: func() time.Time { return time.Now().Add(25 * time.Hour) }}); err != nil {
					t.Fatal(err)
				}
				mustCheck(t, cs.st, src)
				named := map[string]bool{}
				for _, e := range vs {
					named[e.Version] = true
				}
				cs.st.List(ctx, src+"/", func(i sink.Info) error {
					if v, _, ok := strings.Cut(strings.TrimPrefix(i.Key, src+"/"), "/"); ok && !named[v] {
						t.Errorf("after gc %s is left, in no version", i.Key)
					}
					return nil
				})
				if kind == "local" {
					if left := residue(t, cs.root, false); len(left) > 0 {
						t.Errorf("after gc the store holds files no listing shows: %v", left)
					}
				}
				if left := residue(t, tmp, true); len(left) > 0 {
					t.Errorf("TMPDIR holds what the runs left: %v", left)
				}
			})
		}
	}
}

func mustCheck(t *testing.T, st sink.Store, src string) []pipeline.VersionEntry {
	t.Helper()
	vs, err := pipeline.CheckSource(context.Background(), st, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no version published")
	}
	return vs
}

func readLatest(t *testing.T, st sink.Store, src string) string {
	t.Helper()
	rc, _, err := st.Get(context.Background(), layout.Latest(src))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var l pipeline.Latest
	if err := json.NewDecoder(rc).Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l.Version
}

// residue lists what the tool left under root: with all, every entry (a
// TMPDIR the runs had to themselves); otherwise the local store's temp
// files (dot names), which no listing shows, its lock files apart.
func residue(t *testing.T, root string, all bool) []string {
	t.Helper()
	var left []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Errorf("walk %s: %v", p, err)
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case rel == ".":
		case d.IsDir() && d.Name() == ".locks" && !all:
			return filepath.SkipDir
		case all || strings.HasPrefix(d.Name(), "."):
			left = append(left, rel)
		}
		return nil
	})
	return left
}

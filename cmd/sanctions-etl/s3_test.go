package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
)

// awsEnv points the AWS SDK at srv through the environment only, away from
// any real configuration of the machine.
func awsEnv(t *testing.T, srv *s3test.Server, secret string) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_ACCESS_KEY_ID":           srv.AccessKey,
		"AWS_SECRET_ACCESS_KEY":       secret,
		"AWS_REGION":                  s3test.Region,
		"AWS_ENDPOINT_URL_S3":         srv.Endpoint,
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		t.Setenv(k, v)
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// run --out s3://… publishes the layout under the prefix; a rerun is
// unchanged; gc finds nothing to remove.
func TestRunToS3(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	awsEnv(t, srv, srv.SecretKey)
	out := "s3://" + bucket + "/sanctions/prod"
	from := "../../testdata/us_ofac_cons/2018-04-06"
	got, err := execute(t, "run", "--source", "us_ofac_cons", "--from", from, "--out", out, "--s3-path-style", "--keep-versions", "5")
	if err != nil || !strings.Contains(got, "us_ofac_cons  published") {
		t.Fatalf("run: %v\n%s", err, got)
	}
	root := filepath.Join(srv.Root, bucket, "sanctions", "prod")
	for _, name := range []string{"index.json", "us_ofac_cons/latest.json", "us_ofac_cons/versions.json", "us_ofac_cons/state.json"} {
		if _, err := os.Stat(filepath.Join(root, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	versions, _ := filepath.Glob(filepath.Join(root, "us_ofac_cons", "2*", "manifest.json"))
	if len(versions) != 1 {
		t.Fatalf("%d manifests", len(versions))
	}
	// The endpoint as a flag instead of the environment.
	os.Unsetenv("AWS_ENDPOINT_URL_S3")
	got, err = execute(t, "run", "--source", "us_ofac_cons", "--from", from, "--out", out, "--s3-path-style", "--s3-endpoint", srv.Endpoint)
	if err != nil || !strings.Contains(got, "unchanged") {
		t.Fatalf("rerun: %v\n%s", err, got)
	}
	got, err = execute(t, "gc", "--out", out, "--s3-path-style", "--s3-endpoint", srv.Endpoint, "--dry-run")
	if err != nil || !strings.Contains(got, "no orphaned version folders") {
		t.Fatalf("gc: %v\n%s", err, got)
	}
}

// Missing bucket, wrong secret, unreachable endpoint: exit status 1 with
// one line naming the bucket and the operation, no credentials in the
// output (logs included, at debug level), nothing published.
func TestRunToS3Errors(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	tests := []struct {
		name, out, secret, endpoint, want string
	}{
		{"missing bucket", "s3://no-such-bucket/p", srv.SecretKey, srv.Endpoint, "s3://no-such-bucket/p/: list: bucket does not exist"},
		{"wrong secret", "s3://" + bucket + "/p", "wrong-" + srv.SecretKey, srv.Endpoint, "s3://" + bucket + "/p/: list: access denied"},
		{"unreachable endpoint", "s3://" + bucket + "/p", srv.SecretKey, "http://127.0.0.1:1", "s3://" + bucket + "/p/: list: endpoint unreachable"},
		{"no credentials", "s3://" + bucket + "/p", "", srv.Endpoint, "s3://" + bucket + "/p/: list: no usable AWS credentials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			awsEnv(t, srv, tc.secret)
			t.Setenv("AWS_ENDPOINT_URL_S3", tc.endpoint)
			if tc.secret == "" {
				os.Unsetenv("AWS_ACCESS_KEY_ID")
				os.Unsetenv("AWS_SECRET_ACCESS_KEY")
			}
			got, err := execute(t, "--log-level", "debug", "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", tc.out, "--s3-path-style")
			if err == nil || errors.Is(err, errFailed) {
				t.Fatalf("err %v, want the store's error\n%s", err, got)
			}
			msg := err.Error()
			if msg != strings.TrimSpace(msg) || strings.Contains(msg, "\n") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want one line with %q", msg, tc.want)
			}
			for _, secret := range []string{srv.SecretKey, tc.secret} {
				if secret != "" && strings.Contains(msg+got, secret) {
					t.Errorf("the secret key appears in the output:\n%s\n%s", msg, got)
				}
			}
		})
	}
	entries, _ := os.ReadDir(filepath.Join(srv.Root, bucket))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			t.Errorf("published: %s", e.Name())
		}
	}
}

// gc on a local store removes an old orphaned folder and says so.
func TestGCCommand(t *testing.T) {
	out := t.TempDir()
	if got, err := execute(t, "run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06", "--out", out); err != nil {
		t.Fatalf("run: %v\n%s", err, got)
	}
	orphan := filepath.Join(out, "us_ofac_cons", "20200101T000000Z")
	os.MkdirAll(filepath.Join(orphan, "raw"), 0o755)
	os.WriteFile(filepath.Join(orphan, "raw", "CONSOLIDATED.XML"), []byte("<partial"), 0o444)
	os.WriteFile(filepath.Join(orphan, "report.md"), []byte("# partial"), 0o444)
	got, err := execute(t, "gc", "--out", out, "--dry-run")
	if err != nil || !strings.Contains(got, "would remove 1 orphaned version folders (2 objects)") || !strings.Contains(got, "20200101T000000Z") {
		t.Fatalf("gc --dry-run: %v\n%s", err, got)
	}
	got, err = execute(t, "gc", "--out", out, "--source", "us_ofac_cons", "--grace", "1h")
	if err != nil || !strings.Contains(got, "removed 1 orphaned version folders (2 objects)") {
		t.Fatalf("gc: %v\n%s", err, got)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatalf("orphan still there: %v", err)
	}
	versions, _ := filepath.Glob(filepath.Join(out, "us_ofac_cons", "2*", "manifest.json"))
	if len(versions) != 1 {
		t.Fatalf("gc touched the published version: %v", versions)
	}
}

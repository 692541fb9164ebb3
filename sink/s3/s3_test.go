package s3_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/sanctions-etl/sanctions-etl/sink"
	sinks3 "github.com/sanctions-etl/sanctions-etl/sink/s3"
	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
	"github.com/sanctions-etl/sanctions-etl/sink/storetest"
)

// The conformance suite against versitygw, under a prefix and at the
// bucket root, with the smallest part size so that the large-object case
// goes up in parts (create-only and compare-and-swap included).
func TestConformance(t *testing.T) {
	srv := s3test.Start(t)
	for _, prefix := range []string{"snapshots/prod", ""} {
		t.Run(fmt.Sprintf("prefix=%q", prefix), func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) sink.Store {
				return srv.NewStore(t, srv.NewBucket(t), prefix, func(c *sinks3.Config) { c.PartSize = sinks3.MinPartSize })
			})
		})
	}
}

// A prefix is a folder: listing under it never reaches a sibling prefix,
// and keys come back relative to it.
func TestPrefixIsolation(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	a := srv.NewStore(t, bucket, "team/a", nil)
	ab := srv.NewStore(t, bucket, "team/ab", nil)
	ctx := context.Background()
	for _, st := range []*sinks3.Store{a, ab} {
		if _, err := st.Put(ctx, "src/latest.json", strings.NewReader(st.Location()), sink.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	a.List(ctx, "", func(i sink.Info) error { keys = append(keys, i.Key); return nil })
	if fmt.Sprint(keys) != "[src/latest.json]" {
		t.Fatalf("List under team/a: %v", keys)
	}
	if _, err := os.Stat(filepath.Join(srv.Root, bucket, "team", "ab", "src", "latest.json")); err != nil {
		t.Fatalf("object not at its prefixed key: %v", err)
	}
	if a.Location() != "s3://"+bucket+"/team/a" {
		t.Fatalf("Location %q", a.Location())
	}
}

func TestParseURL(t *testing.T) {
	good := map[string][2]string{
		"s3://my-bucket":             {"my-bucket", ""},
		"s3://my-bucket/":            {"my-bucket", ""},
		"s3://my.bucket/sanctions":   {"my.bucket", "sanctions"},
		"s3://b42/a/b/c/":            {"b42", "a/b/c"},
		"s3://sanctions-prod/etl/v1": {"sanctions-prod", "etl/v1"},
		"s3://bucket-with-63-chars-" + strings.Repeat("x", 37): {"bucket-with-63-chars-" + strings.Repeat("x", 37), ""},
	}
	for in, want := range good {
		b, p, err := sinks3.ParseURL(in)
		if err != nil || b != want[0] || p != want[1] {
			t.Errorf("ParseURL(%q) = %q, %q, %v; want %q, %q", in, b, p, err, want[0], want[1])
		}
	}
	for _, in := range []string{"", "s3://", "s3:///prefix", "http://bucket/x", "s3://Bucket/x", "s3://b/x", "s3://bucket/a/../b",
		"s3://bucket/a//b", "s3://key:secret@bucket/x", "s3://bucket/x?versionId=1", "bucket/prefix", "s3://bu_cket/x", "s3://bucket..x/y"} {
		if b, p, err := sinks3.ParseURL(in); err == nil {
			t.Errorf("ParseURL(%q) = %q, %q; want an error", in, b, p)
		}
	}
	if _, _, err := sinks3.ParseURL("s3://key:secret@bucket/x"); err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("error repeats the URL's secret: %v", err)
	}
}

func rawClient(srv *s3test.Server, endpoint string) *s3api.Client {
	return s3api.NewFromConfig(srv.AWSConfig(), func(o *s3api.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}

func b64sum(b []byte) string {
	s := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(s[:])
}

func hexsum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Every object carries its content type, its metadata and the sha256 the
// server verified; the request carries x-amz-checksum-sha256 and, for
// signing, the same digest as x-amz-content-sha256 (the body is not hashed
// twice). Single PUT and multipart alike.
func TestObjectAttributesAndChecksums(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	proxy := s3test.NewProxy(t, srv.Endpoint)
	st, err := sinks3.New(context.Background(), srv.Config(bucket, "p", proxy.URL), srv.AWSConfig())
	if err != nil {
		t.Fatal(err)
	}
	small := []byte(`{"version":"20260101T000000Z"}`)
	large := bytes.Repeat([]byte("0123456789abcdef"), (sinks3.DefaultPartSize+3<<20)/16)
	meta := map[string]string{"source": "us_ofac_sdn", "version": "20260101T000000Z"}
	ctx := context.Background()
	for name, body := range map[string][]byte{"small": small, "large": large} {
		key := "us_ofac_sdn/20260101T000000Z/" + name
		for _, given := range []string{"", hexsum(body)} {
			k := key + fmt.Sprint(given != "")
			if _, err := st.Put(ctx, k, bytes.NewReader(body), sink.PutOptions{ContentType: "application/gzip", Metadata: meta, SHA256: given}); err != nil {
				t.Fatalf("%s: %v", k, err)
			}
			h, err := rawClient(srv, srv.Endpoint).HeadObject(ctx, &s3api.HeadObjectInput{Bucket: &bucket, Key: aws.String("p/" + k), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(h.ContentType) != "application/gzip" || fmt.Sprint(h.Metadata) != fmt.Sprint(meta) {
				t.Errorf("%s: content type %q, metadata %v", k, aws.ToString(h.ContentType), h.Metadata)
			}
			sum := aws.ToString(h.ChecksumSHA256)
			if name == "small" && sum != b64sum(body) {
				t.Errorf("%s: server checksum %q, want %q", k, sum, b64sum(body))
			}
			if name == "large" && !strings.HasSuffix(sum, "-2") {
				t.Errorf("%s: server checksum %q, want a composite of 2 parts", k, sum)
			}
		}
	}
	uploads := 0
	for _, r := range proxy.Requests() {
		if r.Method != "PUT" {
			continue
		}
		uploads++
		cs, ps := r.Header.Get("X-Amz-Checksum-Sha256"), r.Header.Get("X-Amz-Content-Sha256")
		raw, _ := base64.StdEncoding.DecodeString(cs)
		if cs == "" || hex.EncodeToString(raw) != ps {
			t.Errorf("%s %s: x-amz-checksum-sha256 %q, x-amz-content-sha256 %q: want the same digest", r.Method, r.Path, cs, ps)
		}
	}
	if uploads != 2+2*2 {
		t.Errorf("%d PUT requests, want 2 single puts and 2 uploads of 2 parts", uploads)
	}
}

// SSE settings go with every write (versitygw accepts and ignores them;
// the proxy shows what was sent).
func TestServerSideEncryptionHeaders(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	proxy := s3test.NewProxy(t, srv.Endpoint)
	ctx := context.Background()
	for _, tc := range []struct{ sse, key string }{{sinks3.SSES3, ""}, {sinks3.SSEKMS, "arn:aws:kms:us-east-1:111122223333:key/test"}, {sinks3.SSEKMS, ""}} {
		cfg := srv.Config(bucket, "sse", proxy.URL)
		cfg.SSE, cfg.KMSKeyID, cfg.PartSize = tc.sse, tc.key, sinks3.MinPartSize
		st, err := sinks3.New(ctx, cfg, srv.AWSConfig())
		if err != nil {
			t.Fatal(err)
		}
		before := len(proxy.Requests())
		k := fmt.Sprintf("%s-%v", strings.ReplaceAll(tc.sse, ":", "-"), tc.key != "")
		if _, err := st.Put(ctx, k+"/small", strings.NewReader("x"), sink.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Put(ctx, k+"/large", bytes.NewReader(make([]byte, sinks3.MinPartSize+1)), sink.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range proxy.Requests()[before:] {
			isCreate := r.Method == "PUT" && !strings.Contains(r.Query, "partNumber") || r.Method == "POST" && strings.Contains(r.Query, "uploads")
			if !isCreate {
				continue
			}
			n++
			if got := r.Header.Get("X-Amz-Server-Side-Encryption"); got != tc.sse {
				t.Errorf("%s %s?%s: SSE %q, want %q", r.Method, r.Path, r.Query, got, tc.sse)
			}
			if got := r.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"); got != tc.key {
				t.Errorf("%s %s: KMS key %q, want %q", r.Method, r.Path, got, tc.key)
			}
		}
		if n != 2 {
			t.Errorf("%s: %d object-creating requests seen, want 2", k, n)
		}
	}
	for _, bad := range []sinks3.Config{{SSE: "aws:kms:dsse"}, {SSE: sinks3.SSES3, KMSKeyID: "k"}} {
		cfg := srv.Config(bucket, "", proxy.URL)
		cfg.SSE, cfg.KMSKeyID = bad.SSE, bad.KMSKeyID
		if _, err := sinks3.New(ctx, cfg, srv.AWSConfig()); err == nil {
			t.Errorf("SSE %q key %q accepted", bad.SSE, bad.KMSKeyID)
		}
	}
}

// A multipart upload that fails midway is aborted: no parts linger, and
// no object appears.
func TestMultipartFailureIsAborted(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	proxy := s3test.NewProxy(t, srv.Endpoint)
	cfg := srv.Config(bucket, "", proxy.URL)
	cfg.PartSize, cfg.Concurrency = sinks3.MinPartSize, 1
	st, err := sinks3.New(context.Background(), cfg, srv.AWSConfig())
	if err != nil {
		t.Fatal(err)
	}
	proxy.Fail(1, 1, s3test.Status500) // part 1 passes, part 2 gets a 500
	_, err = st.Put(context.Background(), "src/v1/raw/SDN.XML", bytes.NewReader(make([]byte, 3*sinks3.MinPartSize)), sink.PutOptions{})
	if err == nil || st.IsPermanent(err) || !strings.Contains(err.Error(), "part 2 of 3") {
		t.Fatalf("err = %v (permanent %v), want a transient failure of part 2", err, st.IsPermanent(err))
	}
	lu, lerr := rawClient(srv, srv.Endpoint).ListMultipartUploads(context.Background(), &s3api.ListMultipartUploadsInput{Bucket: &bucket})
	if lerr != nil || len(lu.Uploads) != 0 {
		t.Fatalf("uploads left: %v %v", lu, lerr)
	}
	if _, err := st.Stat(context.Background(), "src/v1/raw/SDN.XML"); !st.IsNotExist(err) {
		t.Fatalf("object after a failed upload: %v", err)
	}
}

// oneLine checks the shape every error must have.
func oneLine(t *testing.T, err error, secret string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one with %q", want)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, bad := range []string{"operation error", "RequestID", "HostID", "https response error", "api error", secret} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q contains %q", msg, bad)
		}
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not say %q", msg, w)
		}
	}
}

// Missing bucket, access denied, wrong region, unreachable endpoint: New
// reports each before anything is written, in one line naming the bucket
// and the operation, without SDK internals or credentials.
func TestErrors(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	ctx := context.Background()
	wrongKeys := srv.AWSConfig()
	wrongKeys.Credentials = credentials.NewStaticCredentialsProvider(srv.AccessKey, "not-"+srv.SecretKey, "")
	unknownKey := srv.AWSConfig()
	unknownKey.Credentials = credentials.NewStaticCredentialsProvider("nobody", srv.SecretKey, "")
	wrongRegion := srv.AWSConfig()
	wrongRegion.Region = "eu-west-1"
	noCreds := srv.AWSConfig()
	noCreds.Credentials = aws.AnonymousCredentials{}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name      string
		cfg       sinks3.Config
		aws       aws.Config
		kind      error
		want      []string
		permanent bool
	}{
		{"missing bucket", srv.Config("no-such-bucket", "p", ""), srv.AWSConfig(), sinks3.ErrNoSuchBucket, []string{"s3://no-such-bucket/p/: list: bucket does not exist"}, true},
		{"wrong secret", srv.Config(bucket, "p", ""), wrongKeys, sinks3.ErrAccessDenied, []string{"s3://" + bucket + "/p/: list: access denied"}, true},
		{"unknown access key", srv.Config(bucket, "p", ""), unknownKey, sinks3.ErrAccessDenied, []string{"s3://" + bucket + "/p/: list: access denied"}, true},
		{"anonymous", srv.Config(bucket, "p", ""), noCreds, sinks3.ErrAccessDenied, []string{"s3://" + bucket + "/p/: list: access denied"}, true},
		{"wrong region", srv.Config(bucket, "p", ""), wrongRegion, sinks3.ErrWrongRegion, []string{"s3://" + bucket + "/p/: list: wrong region: the client uses eu-west-1, the bucket is in us-east-1"}, true},
		{"unreachable endpoint", srv.Config(bucket, "p", closed), srv.AWSConfig(), sinks3.ErrUnreachable, []string{"s3://" + bucket + "/p/: list: endpoint unreachable", l.Addr().String(), "connection refused"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := sinks3.New(ctx, tc.cfg, tc.aws)
			if st != nil {
				t.Fatal("New returned a store with its error")
			}
			oneLine(t, err, srv.SecretKey, tc.want...)
			if !errors.Is(err, tc.kind) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.kind)
			}
			if p := (&sinks3.Store{}).IsPermanent(err); p != tc.permanent {
				t.Errorf("IsPermanent = %v, want %v", p, tc.permanent)
			}
		})
	}
	entries, _ := os.ReadDir(filepath.Join(srv.Root, bucket))
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			t.Errorf("something was written: %s", e.Name())
		}
	}

	// The bucket disappears after New: each operation says so.
	gone := srv.NewBucket(t)
	st := srv.NewStore(t, gone, "p", nil)
	if err := os.RemoveAll(filepath.Join(srv.Root, gone)); err != nil {
		t.Fatal(err)
	}
	_, err := st.Put(ctx, "src/latest.json", strings.NewReader("{}"), sink.PutOptions{})
	oneLine(t, err, srv.SecretKey, "s3://"+gone+"/p/src/latest.json: put: bucket does not exist")
	_, _, err = st.Get(ctx, "src/latest.json")
	oneLine(t, err, srv.SecretKey, "s3://"+gone+"/p/src/latest.json: get: bucket does not exist")
	if st.IsNotExist(err) || !st.IsPermanent(err) {
		t.Errorf("missing bucket: IsNotExist %v, IsPermanent %v; want false, true", st.IsNotExist(err), st.IsPermanent(err))
	}
	err = st.List(ctx, "src/", func(sink.Info) error { return nil })
	oneLine(t, err, srv.SecretKey, "s3://"+gone+"/p/src/: list: bucket does not exist")

	// Refused preconditions and missing objects, one line each.
	st = srv.NewStore(t, bucket, "p", nil)
	if _, err := st.Put(ctx, "src/v1/manifest.json", strings.NewReader("a"), sink.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = st.Put(ctx, "src/v1/manifest.json", strings.NewReader("b"), sink.PutOptions{})
	oneLine(t, err, srv.SecretKey, "s3://"+bucket+"/p/src/v1/manifest.json: put: precondition failed: the object exists")
	_, err = st.Put(ctx, "src/latest.json", strings.NewReader("b"), sink.PutOptions{IfMatch: `"0123"`})
	oneLine(t, err, srv.SecretKey, "s3://"+bucket+"/p/src/latest.json: put: precondition failed: the object does not exist")
	_, err = st.Stat(ctx, "src/nope")
	oneLine(t, err, srv.SecretKey, "s3://"+bucket+"/p/src/nope: stat: object does not exist")

	// A server error is transient; the store itself does not retry.
	proxy := s3test.NewProxy(t, srv.Endpoint)
	pst, err := sinks3.New(ctx, srv.Config(bucket, "p", proxy.URL), srv.AWSConfig())
	if err != nil {
		t.Fatal(err)
	}
	before := len(proxy.Requests())
	proxy.FailNext(1, s3test.Status500)
	_, err = pst.Put(ctx, "src/v2/manifest.json", strings.NewReader("x"), sink.PutOptions{})
	oneLine(t, err, srv.SecretKey, "s3://"+bucket+"/p/src/v2/manifest.json: put: server error: HTTP 500 InternalError")
	if pst.IsPermanent(err) {
		t.Error("a 500 is permanent")
	}
	proxy.FailNext(1, s3test.Drop)
	_, err = pst.Put(ctx, "src/v2/manifest.json", strings.NewReader("x"), sink.PutOptions{})
	oneLine(t, err, srv.SecretKey, "s3://"+bucket+"/p/src/v2/manifest.json: put: connection failed")
	if pst.IsPermanent(err) {
		t.Error("a dropped connection is permanent")
	}
	if n := len(proxy.Requests()) - before; n != 2 {
		t.Errorf("%d requests for two failing puts: the store retried", n)
	}
}

func TestConfigChecks(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	noRegion := srv.AWSConfig()
	noRegion.Region = ""
	_, err := sinks3.New(context.Background(), srv.Config(bucket, "", ""), noRegion)
	oneLine(t, err, srv.SecretKey, "no AWS region")
	cfg := srv.Config(bucket, "", "")
	cfg.Region = srv.AWSConfig().Region
	if _, err := sinks3.New(context.Background(), cfg, noRegion); err != nil {
		t.Fatalf("Config.Region: %v", err)
	}
	for _, bad := range []func(*sinks3.Config){
		func(c *sinks3.Config) { c.PartSize = 1 << 20 },
		func(c *sinks3.Config) { c.Concurrency = -1 },
		func(c *sinks3.Config) { c.Endpoint = "127.0.0.1:9000" },
		func(c *sinks3.Config) { c.Prefix = "a/../b" },
		func(c *sinks3.Config) { c.Bucket = "UPPER" },
	} {
		cfg := srv.Config(bucket, "", "")
		bad(&cfg)
		if _, err := sinks3.New(context.Background(), cfg, srv.AWSConfig()); err == nil {
			t.Errorf("config %+v accepted", cfg)
		}
	}
}

// config.LoadDefaultConfig picks up the endpoint from AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL or the shared config file, and keys and region from
// the environment: the store then needs no endpoint of its own.
func TestEndpointFromEnvironment(t *testing.T) {
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	isolate := func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
		for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"} {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
		t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	}
	tests := map[string]func(t *testing.T){
		"AWS_ENDPOINT_URL_S3": func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_S3", srv.Endpoint)
			t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1") // the S3 one wins
		},
		"AWS_ENDPOINT_URL": func(t *testing.T) { t.Setenv("AWS_ENDPOINT_URL", srv.Endpoint) },
		"shared config and credentials": func(t *testing.T) {
			os.WriteFile(os.Getenv("AWS_CONFIG_FILE"), []byte("[profile etl]\nregion = "+s3test.Region+"\nservices = local\n\n[services local]\ns3 =\n  endpoint_url = "+srv.Endpoint+"\n"), 0o600)
			os.WriteFile(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), []byte("[etl]\naws_access_key_id = "+srv.AccessKey+"\naws_secret_access_key = "+srv.SecretKey+"\n"), 0o600)
			t.Setenv("AWS_PROFILE", "etl")
			os.Unsetenv("AWS_ACCESS_KEY_ID")
			os.Unsetenv("AWS_SECRET_ACCESS_KEY")
			os.Unsetenv("AWS_REGION")
		},
	}
	for name, setup := range tests {
		t.Run(name, func(t *testing.T) {
			isolate(t)
			t.Setenv("AWS_ACCESS_KEY_ID", srv.AccessKey)
			t.Setenv("AWS_SECRET_ACCESS_KEY", srv.SecretKey)
			t.Setenv("AWS_REGION", s3test.Region)
			setup(t)
			awsCfg, err := config.LoadDefaultConfig(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			st, err := sinks3.New(context.Background(), sinks3.Config{Bucket: bucket, Prefix: name, PathStyle: true}, awsCfg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Put(context.Background(), "k", strings.NewReader(name), sink.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(srv.Root, bucket, name, "k")); err != nil {
				t.Fatal(err)
			}
		})
	}
}

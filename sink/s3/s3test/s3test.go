// Package s3test runs a real S3 server for tests: versitygw serving a
// temporary folder on a free 127.0.0.1 port (a bucket is a folder under
// its root), and a small reverse proxy that injects faults between the
// client and the server.
//
// When versitygw is not installed the tests that need it are skipped,
// except under CI (CI=true), where they fail: .ci/run installs it.
package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	sinks3 "github.com/sanctions-etl/sanctions-etl/sink/s3"
)

// Version is the versitygw release the tests are written against;
// .ci/run installs it with
// go install github.com/versity/versitygw/cmd/versitygw@v1.8.0.
const Version = "v1.8.0"

// Region is the region versitygw answers for (its default).
const Region = "us-east-1"

// Binary finds versitygw on PATH or in GOPATH/bin.
func Binary() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	for _, dir := range filepath.SplitList(build.Default.GOPATH) {
		p := filepath.Join(dir, "bin", "versitygw")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("versitygw not found on PATH or in GOPATH/bin; install it: go install github.com/versity/versitygw/cmd/versitygw@%s", Version)
}

// Server is one versitygw process.
type Server struct {
	Endpoint  string // http://127.0.0.1:PORT
	Root      string // the posix root: one folder per bucket
	AccessKey string
	SecretKey string // random per server, so tests can look for leaks

	bin  string
	addr string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	logs *syncBuffer
	n    atomic.Int64
}

// Start runs versitygw for the test and stops it at cleanup. Without the
// binary it skips the test, or fails it when CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skip(err)
	}
	secret := make([]byte, 12)
	rand.Read(secret)
	s := &Server{
		Root:      t.TempDir(),
		AccessKey: "s3testaccess",
		SecretKey: "s3testsecret" + hex.EncodeToString(secret),
		bin:       bin,
		logs:      &syncBuffer{},
	}
	var lastErr error
	for range 3 { // a free port may be taken between our probe and versitygw's bind
		s.addr = freeAddr(t)
		s.Endpoint = "http://" + s.addr
		if lastErr = s.start(); lastErr == nil {
			break
		}
	}
	if lastErr != nil {
		t.Fatalf("start versitygw: %v\n%s", lastErr, s.logs.String())
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("versitygw log (tail):\n%s", tail(s.logs.String(), 4000))
		}
	})
	return s
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (s *Server) start() error {
	cmd := exec.Command(s.bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", s.addr, "posix", s.Root)
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	deadline := time.Now().Add(15 * time.Second)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-done:
			return fmt.Errorf("versitygw exited at start")
		default:
		}
		resp, err := client.Get(s.Endpoint + "/")
		if err == nil {
			resp.Body.Close()
			return nil // any answer (403 to an anonymous request) means ready
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Stop()
	return fmt.Errorf("versitygw not ready on %s after 15s", s.addr)
}

// Stop kills the server (as a crash would) and waits for it to exit.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Kill()
	<-done
}

// Restart starts the server again on the same address and root.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	var err error
	for range 50 { // the port may linger for a moment
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("restart versitygw: %v\n%s", err, tail(s.logs.String(), 4000))
}

// NewBucket creates an empty bucket (a folder under the root) and returns
// its name.
func (s *Server) NewBucket(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("bucket-%03d", s.n.Add(1))
	if err := os.Mkdir(filepath.Join(s.Root, name), 0o755); err != nil {
		t.Fatal(err)
	}
	return name
}

// AWSConfig is what config.LoadDefaultConfig would give with the server's
// keys in the environment: static credentials and the server's region.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:      Region,
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
	}
}

// Config is a store configuration for bucket/prefix on this server (or on
// endpoint, a proxy in front of it, when given).
func (s *Server) Config(bucket, prefix, endpoint string) sinks3.Config {
	if endpoint == "" {
		endpoint = s.Endpoint
	}
	return sinks3.Config{Bucket: bucket, Prefix: prefix, Endpoint: endpoint, PathStyle: true}
}

// NewStore opens a store on bucket/prefix; edit, when given, changes the
// configuration first.
func (s *Server) NewStore(t testing.TB, bucket, prefix string, edit func(*sinks3.Config)) *sinks3.Store {
	t.Helper()
	cfg := s.Config(bucket, prefix, "")
	if edit != nil {
		edit(&cfg)
	}
	st, err := sinks3.New(context.Background(), cfg, s.AWSConfig())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Logs returns what the server printed.
func (s *Server) Logs() string { return s.logs.String() }

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

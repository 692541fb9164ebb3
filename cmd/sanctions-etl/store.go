package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/pflag"

	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/local"
	"github.com/sanctions-etl/sanctions-etl/sink/retry"
	sinks3 "github.com/sanctions-etl/sanctions-etl/sink/s3"
)

// s3AnswerTimeout bounds the wait for an S3 answer once a request is sent.
const s3AnswerTimeout = 2 * time.Minute

// storeFlags say where versions are published: --out and the S3 settings.
type storeFlags struct {
	out         string
	pathStyle   bool
	region      string
	endpoint    string
	sse         string
	kmsKeyID    string
	partSize    int64
	partsAtOnce int
	// The retry policy of store operations (S3).
	retryInitial, retryMaxElapsed time.Duration
}

func (f *storeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.out, "out", "./data", "where versions are published: a local directory or s3://bucket/prefix")
	fs.BoolVar(&f.pathStyle, "s3-path-style", false, "S3: put the bucket in the URL path, not the host name (most S3-compatible servers)")
	fs.StringVar(&f.region, "s3-region", "", "S3: the bucket's region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's region)")
	fs.StringVar(&f.endpoint, "s3-endpoint", "", "S3: endpoint URL of an S3-compatible server (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, or AWS)")
	fs.StringVar(&f.sse, "s3-sse", "", `S3: server-side encryption: "AES256" (SSE-S3) or "aws:kms" (SSE-KMS); default: the bucket's default`)
	fs.StringVar(&f.kmsKeyID, "s3-kms-key-id", "", "S3: KMS key id or ARN for --s3-sse aws:kms (default: the bucket's or the account's key)")
	fs.Int64Var(&f.partSize, "s3-part-size", sinks3.DefaultPartSize, "S3: objects larger than this many bytes are uploaded in parts of this size (at least 5 MiB)")
	fs.IntVar(&f.partsAtOnce, "s3-part-concurrency", sinks3.DefaultConcurrency, "S3: parts of one object uploaded at once")
	d := retry.DefaultPolicy()
	fs.DurationVar(&f.retryMaxElapsed, "s3-retry-max-elapsed", d.MaxElapsed, "S3: a failed request (5xx, throttling, a cut connection) is retried until this long after its first attempt (0: no retry)")
	fs.DurationVar(&f.retryInitial, "s3-retry-initial", d.Initial, "S3: the first wait before a retry; each next one is 1.5 times longer, up to 10s")
}

// retryPolicy is the policy the --s3-retry-* flags give.
func (f storeFlags) retryPolicy() (retry.Policy, error) {
	if f.retryMaxElapsed < 0 {
		return retry.Policy{}, fmt.Errorf("--s3-retry-max-elapsed %v: want 0 (no retry) or a positive duration", f.retryMaxElapsed)
	}
	if f.retryInitial <= 0 {
		return retry.Policy{}, fmt.Errorf("--s3-retry-initial %v: want a positive duration", f.retryInitial)
	}
	p := retry.DefaultPolicy()
	p.Initial, p.MaxElapsed = f.retryInitial, f.retryMaxElapsed
	if f.retryMaxElapsed == 0 {
		p.MaxAttempts = 1
	}
	return p, nil
}

func (f storeFlags) isS3() bool { return strings.HasPrefix(f.out, "s3://") }

// open opens the store --out names; for S3 it loads the AWS configuration
// the usual way (environment, shared config and credentials files, web
// identity, instance role) and wraps the store in the retry policy.
func (f storeFlags) open(ctx context.Context) (sink.Store, error) {
	p, err := f.retryPolicy()
	if err != nil {
		return nil, err
	}
	if !f.isS3() {
		if f.pathStyle || f.region != "" || f.endpoint != "" || f.sse != "" || f.kmsKeyID != "" {
			return nil, fmt.Errorf("--out %s is a local directory: the --s3-* flags need --out s3://bucket/prefix", f.out)
		}
		return local.New(f.out)
	}
	bucket, prefix, err := sinks3.ParseURL(f.out)
	if err != nil {
		return nil, fmt.Errorf("--out %w", err)
	}
	// A server that accepts a request and never answers must not hang the
	// run: the answer's headers are due within s3AnswerTimeout of the
	// request's last byte (the retry wrapper then tries again).
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.ResponseHeaderTimeout = s3AnswerTimeout
	})
	opts := []func(*config.LoadOptions) error{config.WithHTTPClient(httpClient)}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3://%s/%s: load the AWS configuration: %s", bucket, prefix, strings.Join(strings.Fields(err.Error()), " "))
	}
	st, err := sinks3.New(ctx, sinks3.Config{
		Bucket: bucket, Prefix: prefix, Region: f.region, Endpoint: f.endpoint, PathStyle: f.pathStyle,
		SSE: f.sse, KMSKeyID: f.kmsKeyID, PartSize: f.partSize, Concurrency: f.partsAtOnce,
	}, awsCfg)
	if err != nil {
		return nil, err
	}
	p.OnRetry = func(op, key string, err error, wait time.Duration) {
		slog.Warn("store operation failed; retrying", "op", op, "key", key, "err", err, "wait", wait.Round(time.Millisecond))
	}
	return retry.New(st, p), nil
}

// openStore opens a local directory or s3://bucket/prefix with default S3
// settings (the AWS configuration from the environment).
func openStore(out string) (sink.Store, error) {
	d := retry.DefaultPolicy()
	return storeFlags{out: out, partSize: sinks3.DefaultPartSize, partsAtOnce: sinks3.DefaultConcurrency,
		retryInitial: d.Initial, retryMaxElapsed: d.MaxElapsed}.open(context.Background())
}

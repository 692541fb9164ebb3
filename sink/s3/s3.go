// Package s3 implements sink.Store on an S3 bucket (or an S3-compatible
// server) with aws-sdk-go-v2, under a key prefix, with the same keys as the
// local store.
//
// Version objects are created with If-None-Match: * and pointers move with
// If-Match on the ETag read before, so a version is never overwritten and
// two racing runs cannot both move a pointer. Every body carries its sha256
// (x-amz-checksum-sha256), which the server verifies. Objects larger than
// the part size go up as a multipart upload whose completion carries the
// same condition. The store does not retry (the SDK's retryer is turned
// off): sink/retry does, composed in cmd like every other wrapper.
//
// Errors are one line, "s3://bucket/key: op: what happened", and match
// sink.ErrPrecondition, sink.ErrNotExist, sink.ErrChecksum or one of this
// package's sentinels; they never carry SDK stacks or credentials.
package s3

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	s3api "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/sync/errgroup"

	"github.com/sanctions-etl/sanctions-etl/sink"
)

// Part sizes and defaults.
const (
	// MinPartSize is S3's smallest part (all but the last).
	MinPartSize = 5 << 20
	// MaxSinglePut is the largest object S3 takes in one PUT.
	MaxSinglePut = 5 << 30
	// DefaultPartSize is the part size, and the size above which an object
	// is uploaded in parts, when Config.PartSize is 0.
	DefaultPartSize = 32 << 20
	// DefaultConcurrency is the number of parts of one object in flight
	// when Config.Concurrency is 0.
	DefaultConcurrency = 4
	maxParts           = 10000
)

// Server-side encryption settings of Config.SSE.
const (
	SSENone = ""
	SSES3   = "AES256"
	SSEKMS  = "aws:kms"
)

// Config says where and how to write. Credentials and the default region
// come from the aws.Config given to New.
type Config struct {
	Bucket string
	Prefix string // key prefix without leading or trailing "/"; "" = bucket root
	// Region overrides the aws.Config region when set.
	Region string
	// Endpoint overrides the endpoint (S3-compatible servers); when empty
	// the SDK's own resolution applies, AWS_ENDPOINT_URL_S3 and
	// AWS_ENDPOINT_URL included.
	Endpoint  string
	PathStyle bool   // bucket in the path, not the host name
	SSE       string // SSENone, SSES3 or SSEKMS
	KMSKeyID  string // with SSEKMS; empty = the bucket's or account's default key
	// PartSize: objects larger than this are uploaded in parts of this
	// size; 0 = DefaultPartSize, else at least MinPartSize.
	PartSize int64
	// Concurrency bounds the parts of one object in flight; 0 = DefaultConcurrency.
	Concurrency int
}

var _ sink.Store = (*Store)(nil)

// Store is an S3-backed sink.Store. It is safe for concurrent use.
type Store struct {
	client      *s3api.Client
	bucket      string
	prefix      string // "" or "prefix/"
	region      string
	sse         string
	kmsKeyID    string
	partSize    int64
	concurrency int
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ParseURL splits s3://bucket/prefix into its bucket and its prefix
// (without leading or trailing slashes).
func ParseURL(s string) (bucket, prefix string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" {
		return "", "", fmt.Errorf("%q: want s3://bucket/prefix", redactURL(s))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", "", fmt.Errorf("%q: want s3://bucket/prefix, without user, query or fragment", redactURL(s))
	}
	if !bucketName.MatchString(u.Host) || strings.Contains(u.Host, "..") {
		return "", "", fmt.Errorf("%q: %q is not a valid bucket name (3 to 63 lower-case letters, digits, dots and hyphens)", s, u.Host)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		if err := checkKey(prefix); err != nil {
			return "", "", fmt.Errorf("%q: prefix: %w", s, err)
		}
	}
	return u.Host, prefix, nil
}

// New returns a store for cfg. It makes one request, a listing of at most
// one key under the prefix (what the least-privilege policy allows), so a
// missing bucket, denied access, a wrong region or an unreachable endpoint
// is reported before anything is written.
func New(ctx context.Context, cfg Config, awsCfg aws.Config) (*Store, error) {
	s, err := newStore(cfg, awsCfg)
	if err != nil {
		return nil, err
	}
	if err := s.Check(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func newStore(cfg Config, awsCfg aws.Config) (*Store, error) {
	loc := "s3://" + cfg.Bucket + "/" + cfg.Prefix
	if !bucketName.MatchString(cfg.Bucket) {
		return nil, fmt.Errorf("%s: %q is not a valid bucket name", loc, cfg.Bucket)
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if prefix != "" {
		if err := checkKey(prefix); err != nil {
			return nil, fmt.Errorf("%s: prefix: %w", loc, err)
		}
		prefix += "/"
	}
	switch cfg.SSE {
	case SSENone, SSES3:
		if cfg.KMSKeyID != "" {
			return nil, fmt.Errorf("%s: a KMS key id needs SSE %q", loc, SSEKMS)
		}
	case SSEKMS:
	default:
		return nil, fmt.Errorf("%s: SSE %q: want %q (SSE-S3), %q (SSE-KMS) or none", loc, cfg.SSE, SSES3, SSEKMS)
	}
	partSize := cfg.PartSize
	switch {
	case partSize == 0:
		partSize = DefaultPartSize
	case partSize < MinPartSize || partSize > MaxSinglePut:
		return nil, fmt.Errorf("%s: part size %d: want %d to %d bytes", loc, partSize, MinPartSize, int64(MaxSinglePut))
	}
	conc := cfg.Concurrency
	if conc == 0 {
		conc = DefaultConcurrency
	}
	if conc < 0 {
		return nil, fmt.Errorf("%s: concurrency %d: want a positive number", loc, conc)
	}
	region := cfg.Region
	if region == "" {
		region = awsCfg.Region
	}
	if region == "" {
		return nil, fmt.Errorf("%s: no AWS region: set AWS_REGION (or a profile's region) or --s3-region", loc)
	}
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s: endpoint %q: want http(s)://host[:port]", loc, redactURL(cfg.Endpoint))
		}
	}
	client := s3api.NewFromConfig(awsCfg, func(o *s3api.Options) {
		o.Region = region
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		// Retries belong to sink/retry (STYLE.md 3): one attempt per call.
		o.Retryer = aws.NopRetryer{}
		// Our own sha256 goes with every body; the SDK adds no other.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	return &Store{
		client: client, bucket: cfg.Bucket, prefix: prefix, region: region,
		sse: cfg.SSE, kmsKeyID: cfg.KMSKeyID, partSize: partSize, concurrency: conc,
	}, nil
}

// Check lists at most one key under the prefix: it fails, with the
// store's one-line error, when the bucket is missing, access is denied,
// the region is wrong or the endpoint cannot be reached.
func (s *Store) Check(ctx context.Context) error {
	_, err := s.client.ListObjectsV2(ctx, &s3api.ListObjectsV2Input{
		Bucket: &s.bucket, Prefix: aws.String(s.prefix), MaxKeys: aws.Int32(1),
	})
	if err != nil {
		return s.fail("list", s.prefix, err, opPlain)
	}
	return nil
}

// Location implements sink.Store.
func (s *Store) Location() string {
	return "s3://" + s.bucket + "/" + strings.TrimSuffix(s.prefix, "/")
}

// Bucket names the store's bucket.
func (s *Store) Bucket() string { return s.bucket }

func checkKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || path.Clean(key) != key {
		return fmt.Errorf("invalid key %q", key)
	}
	for _, part := range strings.Split(key, "/") {
		if part == ".." || part == "." {
			return fmt.Errorf("invalid key %q", key)
		}
	}
	return nil
}

func (s *Store) key(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// Put implements sink.Store.
func (s *Store) Put(ctx context.Context, key string, body io.ReadSeeker, opts sink.PutOptions) (string, error) {
	full, err := s.key(key)
	if err != nil {
		return "", err
	}
	cond := opCreate
	switch {
	case opts.IfMatch != "":
		cond = opIfMatch
	case opts.Overwrite:
		cond = opPlain
	}
	if err := ctx.Err(); err != nil {
		return "", s.fail("put", full, err, cond)
	}
	size, sum, err := measure(body, opts.SHA256, s.partSize)
	if err != nil {
		return "", &Error{Op: "put", Bucket: s.bucket, Key: full, Detail: "read body: " + oneLine(err.Error()), Kind: err}
	}
	if opts.SHA256 != "" && !strings.EqualFold(opts.SHA256, hex.EncodeToString(sum)) {
		return "", &Error{Op: "put", Bucket: s.bucket, Key: full, Detail: "body does not match the sha256 given", Kind: sink.ErrChecksum}
	}
	if size > s.partSize {
		return s.putMultipart(ctx, full, body, size, sum, opts, cond)
	}
	in := &s3api.PutObjectInput{
		Bucket:         &s.bucket,
		Key:            &full,
		Body:           body,
		ContentLength:  aws.Int64(size),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum)),
		Metadata:       opts.Metadata,
	}
	if opts.ContentType != "" {
		in.ContentType = aws.String(opts.ContentType)
	}
	s.encryption(&in.ServerSideEncryption, &in.SSEKMSKeyId)
	switch cond {
	case opCreate:
		in.IfNoneMatch = aws.String("*")
	case opIfMatch:
		in.IfMatch = aws.String(opts.IfMatch)
	}
	out, err := s.client.PutObject(ctx, in, withPayloadHash(sum))
	if err != nil {
		return "", s.fail("put", full, err, cond)
	}
	if got := aws.ToString(out.ChecksumSHA256); got != "" && got != *in.ChecksumSHA256 {
		return "", &Error{Op: "put", Bucket: s.bucket, Key: full, Kind: sink.ErrChecksum,
			Detail: fmt.Sprintf("the server recorded sha256 %s, we sent %s", got, *in.ChecksumSHA256)}
	}
	return aws.ToString(out.ETag), nil
}

// measure returns the body's size and sha256 and leaves the body at its
// start. A known sha256 is taken as is for bodies up to single (the server
// verifies it); larger bodies go up in parts, whose checksums the server
// verifies one by one, so their whole sha256 is computed here.
func measure(body io.ReadSeeker, known string, single int64) (int64, []byte, error) {
	var sum []byte
	size, err := body.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, nil, err
	}
	if known != "" && size <= single {
		b, err := hex.DecodeString(known)
		if err != nil || len(b) != sha256.Size {
			return 0, nil, fmt.Errorf("sha256 %q is not 64 hex digits", known)
		}
		sum = b
	} else {
		if _, err := body.Seek(0, io.SeekStart); err != nil {
			return 0, nil, err
		}
		h := sha256.New()
		n, err := io.Copy(h, body)
		if err != nil {
			return 0, nil, err
		}
		size, sum = n, h.Sum(nil)
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return 0, nil, err
	}
	return size, sum, nil
}

// withPayloadHash gives SigV4 the body's sha256, which we already know, so
// that the SDK does not read the body once more to sign it.
func withPayloadHash(sum []byte) func(*s3api.Options) {
	h := hex.EncodeToString(sum)
	return func(o *s3api.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Finalize.Insert(middleware.FinalizeMiddlewareFunc("sanctionsETLPayloadHash",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					return next.HandleFinalize(v4.SetPayloadHash(ctx, h), in)
				}), (*v4.ComputePayloadSHA256)(nil).ID(), middleware.Before)
		})
	}
}

func (s *Store) encryption(sse *types.ServerSideEncryption, kms **string) {
	switch s.sse {
	case SSES3:
		*sse = types.ServerSideEncryptionAes256
	case SSEKMS:
		*sse = types.ServerSideEncryptionAwsKms
		if s.kmsKeyID != "" {
			*kms = aws.String(s.kmsKeyID)
		}
	}
}

// putMultipart uploads body in parts, at most s.concurrency at once, and
// completes the upload with the write's condition: If-None-Match: * makes
// the completion fail with 412 when the key exists, so a version object is
// never replaced by a multipart upload either. A failed upload is aborted.
func (s *Store) putMultipart(ctx context.Context, full string, body io.ReadSeeker, size int64, sum []byte, opts sink.PutOptions, cond condition) (string, error) {
	partSize := s.partSize
	if n := (size + partSize - 1) / partSize; n > maxParts {
		partSize = (size + maxParts - 1) / maxParts
	}
	create := &s3api.CreateMultipartUploadInput{
		Bucket:            &s.bucket,
		Key:               &full,
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		Metadata:          opts.Metadata,
	}
	if opts.ContentType != "" {
		create.ContentType = aws.String(opts.ContentType)
	}
	s.encryption(&create.ServerSideEncryption, &create.SSEKMSKeyId)
	mu, err := s.client.CreateMultipartUpload(ctx, create)
	if err != nil {
		return "", s.fail("put (create multipart upload)", full, err, opPlain)
	}
	uploadID := mu.UploadId
	completed := false
	defer func() {
		if !completed {
			// Parts of an unfinished upload are invisible but cost storage:
			// abort even when ctx is done (a lifecycle rule is the backstop).
			actx := context.WithoutCancel(ctx)
			s.client.AbortMultipartUpload(actx, &s3api.AbortMultipartUploadInput{Bucket: &s.bucket, Key: &full, UploadId: uploadID})
		}
	}()

	nparts := int((size + partSize - 1) / partSize)
	parts := make([]types.CompletedPart, nparts)
	partSums := make([][]byte, nparts)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	ra, isReaderAt := body.(io.ReaderAt)
	var bodyMu sync.Mutex
	for i := range nparts {
		off := int64(i) * partSize
		n := min(partSize, size-off)
		var part io.ReadSeeker
		if isReaderAt {
			part = io.NewSectionReader(ra, off, n)
		} else {
			// A plain ReadSeeker is read in order, one part buffered per
			// upload in flight.
			buf := make([]byte, n)
			bodyMu.Lock()
			_, err := body.Seek(off, io.SeekStart)
			if err == nil {
				_, err = io.ReadFull(body, buf)
			}
			bodyMu.Unlock()
			if err != nil {
				g.Wait()
				return "", &Error{Op: "put", Bucket: s.bucket, Key: full, Detail: "read body: " + oneLine(err.Error()), Kind: err}
			}
			part = bytes.NewReader(buf)
		}
		g.Go(func() error {
			h := sha256.New()
			if _, err := io.Copy(h, part); err != nil {
				return &Error{Op: "put", Bucket: s.bucket, Key: full, Detail: "read body: " + oneLine(err.Error()), Kind: err}
			}
			if _, err := part.Seek(0, io.SeekStart); err != nil {
				return err
			}
			ps := h.Sum(nil)
			b64 := base64.StdEncoding.EncodeToString(ps)
			out, err := s.client.UploadPart(gctx, &s3api.UploadPartInput{
				Bucket: &s.bucket, Key: &full, UploadId: uploadID,
				PartNumber: aws.Int32(int32(i + 1)), Body: part, ContentLength: aws.Int64(n),
				ChecksumSHA256: aws.String(b64),
			}, withPayloadHash(ps))
			if err != nil {
				return s.fail(fmt.Sprintf("put (part %d of %d)", i+1, nparts), full, err, opPlain)
			}
			if got := aws.ToString(out.ChecksumSHA256); got != "" && got != b64 {
				return &Error{Op: "put", Bucket: s.bucket, Key: full, Kind: sink.ErrChecksum,
					Detail: fmt.Sprintf("part %d: the server recorded sha256 %s, we sent %s", i+1, got, b64)}
			}
			parts[i] = types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag, ChecksumSHA256: aws.String(b64)}
			partSums[i] = ps
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return "", s.fail("put", full, ctx.Err(), cond)
		}
		return "", err
	}
	complete := &s3api.CompleteMultipartUploadInput{
		Bucket: &s.bucket, Key: &full, UploadId: uploadID,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	}
	switch cond {
	case opCreate:
		complete.IfNoneMatch = aws.String("*")
	case opIfMatch:
		complete.IfMatch = aws.String(opts.IfMatch)
	}
	out, err := s.client.CompleteMultipartUpload(ctx, complete)
	if err != nil {
		return "", s.fail("put (complete multipart upload)", full, err, cond)
	}
	completed = true
	// S3 records a SHA256 of a multipart object as the sha256 of the
	// parts' sha256s, "-N": check that one.
	if got := aws.ToString(out.ChecksumSHA256); got != "" {
		if want := compositeSHA256(partSums); got != want {
			return "", &Error{Op: "put", Bucket: s.bucket, Key: full, Kind: sink.ErrChecksum,
				Detail: fmt.Sprintf("the server recorded composite sha256 %s, the parts give %s", got, want)}
		}
	}
	return aws.ToString(out.ETag), nil
}

// compositeSHA256 is S3's checksum of a multipart object: the sha256 of
// the concatenated part sha256s, base64, then "-" and the part count.
func compositeSHA256(partSums [][]byte) string {
	h := sha256.New()
	for _, ps := range partSums {
		h.Write(ps)
	}
	return fmt.Sprintf("%s-%d", base64.StdEncoding.EncodeToString(h.Sum(nil)), len(partSums))
}

// Get implements sink.Store. The body streams from the server.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, sink.Info, error) {
	full, err := s.key(key)
	if err != nil {
		return nil, sink.Info{}, err
	}
	out, err := s.client.GetObject(ctx, &s3api.GetObjectInput{Bucket: &s.bucket, Key: &full})
	if err != nil {
		return nil, sink.Info{}, s.fail("get", full, err, opPlain)
	}
	return &body{rc: out.Body, s: s, key: full}, sink.Info{
		Key: key, Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag), ModTime: aws.ToTime(out.LastModified),
	}, nil
}

// body turns read errors of a streamed object into the store's errors.
type body struct {
	rc  io.ReadCloser
	s   *Store
	key string
}

func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF {
		err = b.s.fail("get", b.key, err, opPlain)
	}
	return n, err
}

func (b *body) Close() error { return b.rc.Close() }

// Stat implements sink.Store.
func (s *Store) Stat(ctx context.Context, key string) (sink.Info, error) {
	full, err := s.key(key)
	if err != nil {
		return sink.Info{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3api.HeadObjectInput{Bucket: &s.bucket, Key: &full})
	if err != nil {
		return sink.Info{}, s.fail("stat", full, err, opPlain)
	}
	return sink.Info{Key: key, Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag), ModTime: aws.ToTime(out.LastModified)}, nil
}

// List implements sink.Store, one ListObjectsV2 page at a time.
func (s *Store) List(ctx context.Context, prefix string, fn func(sink.Info) error) error {
	full := s.prefix + prefix
	p := s3api.NewListObjectsV2Paginator(s.client, &s3api.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(full)})
	last := ""
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return s.fail("list", full, err, opPlain)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if k <= last && last != "" {
				return &Error{Op: "list", Bucket: s.bucket, Key: full, Detail: fmt.Sprintf("the server listed %q after %q, out of key order", k, last), Kind: errServer}
			}
			last = k
			if err := fn(sink.Info{
				Key: strings.TrimPrefix(k, s.prefix), Size: aws.ToInt64(o.Size),
				ETag: aws.ToString(o.ETag), ModTime: aws.ToTime(o.LastModified),
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Delete implements sink.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	full, err := s.key(key)
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3api.DeleteObjectInput{Bucket: &s.bucket, Key: &full}); err != nil {
		err = s.fail("delete", full, err, opPlain)
		if errors.Is(err, sink.ErrNotExist) && !errors.Is(err, ErrNoSuchBucket) {
			return nil
		}
		return err
	}
	return nil
}

// IsNotExist implements sink.Store.
func (s *Store) IsNotExist(err error) bool { return errors.Is(err, sink.ErrNotExist) }

// IsPermanent implements sink.Store: refused preconditions, missing
// objects and buckets, denied access, a wrong region, and other 4xx
// answers; not server errors, throttling, conflicts, lost connections or
// checksum mismatches (the body is read again on a retry).
func (s *Store) IsPermanent(err error) bool {
	for _, k := range []error{sink.ErrPrecondition, sink.ErrNotExist, ErrNoSuchBucket, ErrAccessDenied, ErrWrongRegion, ErrNoCredentials, ErrRequest} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

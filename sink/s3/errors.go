package s3

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/sanctions-etl/sanctions-etl/sink"
)

// Kinds of failure, besides sink.ErrPrecondition, sink.ErrNotExist and
// sink.ErrChecksum. Match them with errors.Is.
var (
	ErrNoSuchBucket  = errors.New("bucket does not exist")
	ErrAccessDenied  = errors.New("access denied")
	ErrWrongRegion   = errors.New("wrong region")
	ErrNoCredentials = errors.New("no usable AWS credentials")
	ErrUnreachable   = errors.New("endpoint unreachable")
	// ErrRequest is any other 4xx answer: the request itself is refused.
	ErrRequest = errors.New("request refused")
	// errServer covers what may pass: 5xx, throttling, conflicting
	// concurrent writes (409), connections cut short.
	errServer = errors.New("server or connection failure")
)

// condition is the kind of write a failed request made.
type condition int

const (
	opPlain   condition = iota // reads, listings, unconditional writes
	opCreate                   // If-None-Match: *
	opIfMatch                  // If-Match: etag
)

// Error is a failed S3 operation, written as one line:
// "s3://bucket/key: op: what happened". It matches its Kind with errors.Is
// (and the SDK's error, for errors.As), but its text holds neither the
// SDK's error chain nor any credential.
type Error struct {
	Op     string // put, get, stat, list, delete
	Bucket string
	Key    string // the full key (or listed prefix) in the bucket
	Detail string
	Kind   error
	cause  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("s3://%s/%s: %s: %s", e.Bucket, e.Key, e.Op, e.Detail)
}

// Unwrap gives the kind and the SDK's error.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.Kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

var accessCodes = map[string]bool{
	"AccessDenied": true, "InvalidAccessKeyId": true, "SignatureDoesNotMatch": true,
	"ExpiredToken": true, "InvalidToken": true, "TokenRefreshRequired": true,
	"AllAccessDisabled": true, "AccountProblem": true, "InvalidSecurity": true,
	"XAdminUserNotFound": true, // versitygw's 404 for an unknown access key id
}

var regionCodes = map[string]bool{
	"PermanentRedirect": true, "AuthorizationHeaderMalformed": true,
	"IllegalLocationConstraintException": true, "IncorrectEndpoint": true,
}

var checksumCodes = map[string]bool{
	"BadDigest": true, "XAmzContentSHA256Mismatch": true, "InvalidDigest": true,
}

var expectingRegion = regexp.MustCompile(`expecting ['"]?([a-z0-9-]+)['"]?`)

// fail turns an SDK error into an *Error.
func (s *Store) fail(op, key string, err error, cond condition) error {
	e := &Error{Op: op, Bucket: s.bucket, Key: key, cause: err}
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	code := ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind, e.Detail = context.Canceled, "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Detail = context.DeadlineExceeded, "timed out"
	case status == 412 || code == "PreconditionFailed":
		e.Kind = sink.ErrPrecondition
		switch cond {
		case opCreate:
			e.Detail = "precondition failed: the object exists (If-None-Match: * refused)"
		case opIfMatch:
			e.Detail = "precondition failed: the object changed since it was read (If-Match refused)"
		default:
			e.Detail = "precondition failed"
		}
	case accessCodes[code]:
		e.Kind, e.Detail = ErrAccessDenied, "access denied"
		if code != "AccessDenied" {
			e.Detail += " (" + code + ")"
		}
	case code == "NoSuchBucket":
		e.Kind, e.Detail = ErrNoSuchBucket, "bucket does not exist"
	case status == 404 && cond == opIfMatch:
		e.Kind, e.Detail = sink.ErrPrecondition, "precondition failed: the object does not exist (If-Match refused)"
	case status == 404:
		e.Kind, e.Detail = sink.ErrNotExist, "object does not exist"
	case status == 301 || regionCodes[code]:
		e.Kind = ErrWrongRegion
		want := ""
		if re != nil && re.Response != nil {
			want = re.Response.Header.Get("X-Amz-Bucket-Region")
		}
		if m := expectingRegion.FindStringSubmatch(errMessage(ae)); want == "" && m != nil {
			want = m[1]
		}
		if want != "" {
			e.Detail = fmt.Sprintf("wrong region: the client uses %s, the bucket is in %s", s.region, want)
		} else {
			e.Detail = fmt.Sprintf("wrong region or endpoint for the bucket (the client uses %s; %s)", s.region, codeText(status, code))
		}
	case status == 403:
		e.Kind, e.Detail = ErrAccessDenied, "access denied"
		if code != "" {
			e.Detail += " (" + code + ")"
		}
	case checksumCodes[code]:
		e.Kind, e.Detail = sink.ErrChecksum, "the server computed another checksum of the body ("+code+")"
	case status == 409:
		e.Kind, e.Detail = errServer, "conflicting concurrent write ("+codeText(status, code)+"); retry"
	case status == 429 || status >= 500:
		e.Kind, e.Detail = errServer, "server error: "+codeText(status, code)
	case status >= 400:
		e.Kind, e.Detail = ErrRequest, "refused: "+codeText(status, code)
	case status != 0:
		e.Kind, e.Detail = errServer, "unexpected answer: "+codeText(status, code)
	case isCredentialsError(err):
		e.Kind = ErrNoCredentials
		e.Detail = "no usable AWS credentials (looked in the environment, the shared config and credentials files, web identity and the instance role)"
	case errors.As(err, &dnsErr):
		e.Kind, e.Detail = ErrUnreachable, fmt.Sprintf("endpoint unreachable: cannot resolve %s", dnsErr.Name)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		e.Kind, e.Detail = ErrUnreachable, fmt.Sprintf("endpoint unreachable: %s %s: %v", opErr.Net, opErr.Addr, opErr.Err)
	default:
		e.Kind, e.Detail = errServer, "connection failed: "+oneLine(innermost(err).Error())
	}
	return e
}

// isCredentialsError recognises the SDK's failure to find credentials,
// which has no type of its own: "get identity: get credentials: failed to
// refresh cached credentials, ...".
func isCredentialsError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"get identity:", "get credentials:", "refresh cached credentials", "retrieve credentials"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func errMessage(ae smithy.APIError) string {
	if ae == nil {
		return ""
	}
	return ae.ErrorMessage()
}

func codeText(status int, code string) string {
	switch {
	case status != 0 && code != "":
		return fmt.Sprintf("HTTP %d %s", status, code)
	case status != 0:
		return fmt.Sprintf("HTTP %d", status)
	}
	return code
}

// innermost is the end of err's chain (a net error, io.EOF, ...): the SDK's
// wrappers above it name the operation and the URL, which Error already
// says.
func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// redactURL drops user info and query from an endpoint for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}

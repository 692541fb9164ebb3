package main

import (
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink/s3/s3test"
)

// An S3 outage longer than the 5 attempts of old lasted (~2.5 s) is ridden
// out by the default policy, as docs/s3.md says; with
// --s3-retry-max-elapsed shorter than the outage the run gives up.
func TestStoreRetriesOutlastAnOutage(t *testing.T) {
	const outage = 3 * time.Second
	srv := s3test.Start(t)
	bucket := srv.NewBucket(t)
	proxy := s3test.NewProxy(t, srv.Endpoint)
	awsEnv(t, srv, srv.SecretKey)
	t.Setenv("AWS_ENDPOINT_URL_S3", proxy.URL)
	for i, tc := range []struct {
		name   string
		args   []string
		wantOK bool
	}{
		{"default policy", nil, true},
		{"max elapsed 1s", []string{"--s3-retry-max-elapsed", "1s"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The outage starts once the run's first write (its lease) is in.
			healed := make(chan struct{})
			proxy.AfterPuts(1, func() {
				proxy.Fail(0, -1, s3test.Status500)
				time.AfterFunc(outage, func() { proxy.Heal(); close(healed) })
			})
			start := time.Now()
			args := []string{"run", "--source", "us_ofac_cons", "--from", "../../testdata/us_ofac_cons/2018-04-06",
				"--out", "s3://" + bucket + "/p" + string(rune('0'+i)), "--s3-path-style"}
			got, err := execute(t, append(args, tc.args...)...)
			took := time.Since(start)
			if tc.wantOK {
				if err != nil || !strings.Contains(got, "us_ofac_cons  published") || took < outage {
					t.Fatalf("run through a %v outage: %v after %v\n%s", outage, err, took, got)
				}
			} else if err == nil || !strings.Contains(got, "us_ofac_cons  failed") || !strings.Contains(got, "gave up after") {
				t.Fatalf("run with retries shorter than the outage: %v after %v\n%s", err, took, got)
			}
			<-healed
		})
	}
}

func TestStoreRetryFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    storeFlags
		want string // error substring; "" = accepted
	}{
		{"defaults", storeFlags{retryInitial: 250 * time.Millisecond, retryMaxElapsed: 2 * time.Minute}, ""},
		{"no retry", storeFlags{retryInitial: time.Second}, ""},
		{"negative max elapsed", storeFlags{retryInitial: time.Second, retryMaxElapsed: -time.Second}, "--s3-retry-max-elapsed -1s"},
		{"zero initial", storeFlags{retryMaxElapsed: time.Second}, "--s3-retry-initial 0s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.f.retryPolicy()
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil || p.Initial != tc.f.retryInitial || p.MaxElapsed != tc.f.retryMaxElapsed || (p.MaxAttempts == 1) != (tc.f.retryMaxElapsed == 0) {
				t.Fatalf("policy %+v, %v", p, err)
			}
		})
	}
}

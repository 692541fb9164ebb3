package eu

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// A stand-in token: the real one is configuration and never written here.
const testToken = "dGVzdC10b2tlbg"

func TestInfo(t *testing.T) {
	info := New(Config{Token: testToken}).Info()
	if info.Name != "eu_fsf" || info.Publisher != "European Commission (FISMA)" ||
		info.Title != "EU Financial Sanctions Files (consolidated list)" || info.Schedule != "0 */2 * * *" || info.MaxDropShare != 0 {
		t.Errorf("info = %+v", info)
	}
	want := []sources.FileSet{
		{Format: "xml", Files: []sources.FileSpec{{Name: "xmlFullSanctionsList_1_1.xml",
			URL: "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=" + testToken}}},
		{Format: "csv", Files: []sources.FileSpec{{Name: "csvFullSanctionsList_1_1.csv",
			URL: "https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList_1_1/content?token=" + testToken}}},
	}
	if len(info.Formats) != 2 {
		t.Fatalf("formats = %+v", info.Formats)
	}
	for i := range want {
		got := info.Formats[i]
		if got.Format != want[i].Format || len(got.Files) != 1 || got.Files[0] != want[i].Files[0] {
			t.Errorf("format %d = %+v, want %+v", i, got, want[i])
		}
	}
}

// TestNoToken: without a token no URL is declared, nothing in Info
// carries a token, and a network fetch fails with "no URL configured"
// before any request.
func TestNoToken(t *testing.T) {
	info := New(Config{}).Info()
	for _, set := range info.Formats {
		for _, f := range set.Files {
			if f.URL != "" {
				t.Errorf("%s: URL %q without a token", f.Name, f.URL)
			}
		}
	}
	if strings.Contains(strings.ToLower(info.Title+info.Publisher), "token") {
		t.Errorf("info mentions a token: %+v", info)
	}
	_, err := sources.Acquire(context.Background(), info, noNetwork{t}, nil, &sources.Issues{})
	if err == nil || !strings.Contains(err.Error(), "no URL configured") {
		t.Errorf("acquire without a token: %v", err)
	}
	// An override still applies without a token.
	info = New(Config{URLs: map[string]string{XMLFile: "http://127.0.0.1:1/x.xml"}}).Info()
	if info.Formats[0].Files[0].URL != "http://127.0.0.1:1/x.xml" || info.Formats[1].Files[0].URL != "" {
		t.Errorf("override: %+v", info.Formats)
	}
}

// noNetwork fails the test on any fetch.
type noNetwork struct{ t *testing.T }

func (n noNetwork) Local() bool { return false }

func (n noNetwork) Fetch(_ context.Context, s fetch.Spec, _ fetch.Validators) (*fetch.File, error) {
	n.t.Errorf("fetched %s (%s)", s.Name, s.URL)
	return nil, errors.New("no network in this test")
}

func TestTokenEscaped(t *testing.T) {
	u := New(Config{Token: "a b&c=d"}).Info().Formats[0].Files[0].URL
	if !strings.HasSuffix(u, "/content?token=a+b%26c%3Dd") {
		t.Errorf("URL = %q", u)
	}
	if got := RedactURL(u); strings.Contains(got, "a+b") || !strings.HasSuffix(got, "?token=REDACTED") {
		t.Errorf("RedactURL(%q) = %q", u, got)
	}
}

func TestRedactURL(t *testing.T) {
	base := "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
	tests := []struct{ in, want string }{
		{base + "?token=" + testToken, base + "?token=REDACTED"},
		{base + "?token=" + testToken + "&checksum=AB12", base + "?token=REDACTED&checksum=AB12"},
		{base + "?checksum=AB12&TOKEN=x#frag", base + "?checksum=AB12&TOKEN=REDACTED#frag"},
		{base + "?token=", base + "?token=REDACTED"},
		{base, base},
		{base + "?tokens=x", base + "?tokens=x"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := RedactURL(tc.in); got != tc.want {
			t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestParseStops: a cancelled context and an emit error end the parse
// with that error, in both formats.
func TestParseStops(t *testing.T) {
	for _, format := range []string{"xml", "csv"} {
		var data []byte
		if format == "xml" {
			data = repeatedXML(t, 100)
		} else {
			data = repeatedCSV(t, 100)
		}
		in := inputOf(t, format, data)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := New(Config{}).Parse(ctx, in, func(*entity.Entity) error { return nil }, &sources.Issues{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled: err = %v", format, err)
		}
		stop := errors.New("stop")
		n := 0
		_, err = New(Config{}).Parse(context.Background(), in, func(*entity.Entity) error { n++; return stop }, &sources.Issues{})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("%s: emit error: err = %v after %d entities", format, err, n)
		}
	}
	if _, err := New(Config{}).Parse(context.Background(), &sources.Input{Format: "json"}, nil, &sources.Issues{}); err == nil ||
		!strings.Contains(err.Error(), `unknown format "json"`) {
		t.Errorf("unknown format: %v", err)
	}
}

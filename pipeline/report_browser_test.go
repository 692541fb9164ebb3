package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// chromium finds Debian's chromium. Without it the test skips, except
// under CI=true, where a missing browser is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium not installed")
	return ""
}

// browse runs headless chromium on a local file with extra flags and
// returns what it prints.
func browse(t *testing.T, bin, page string, flags ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(),
	}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", flags, err, errs.String())
	}
	return out.Bytes()
}

// The HTML report of a real UN replay, rendered by a real browser: it
// parses into the tables the Markdown report has, names the added
// entries, runs no script and draws a page.
func TestHTMLReportInBrowser(t *testing.T) {
	bin := chromium(t)
	st := newStore(t)
	c := newClock()
	for _, date := range []string{"2018-06-07", "2018-06-21"} {
		if res := runFrom(t, st, c, "un_sc", filepath.Join(testdata, "un_sc", date)); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	version := latestVersion(t, st, "un_sc")
	page := filepath.Join(st.Location(), filepath.FromSlash(layout.Object("un_sc", version, layout.ReportHTMLName)))

	dom := string(browse(t, bin, page, "--dump-dom"))
	for _, want := range []string{"un_sc-6908700", "un_sc-6908701", "<table", "Added (2)", "Removed (0)", "Normalization"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered report lacks %q", want)
		}
	}
	if strings.Contains(dom, "<script") {
		t.Error("the report carries a script")
	}
	if n := strings.Count(dom, "<table"); n < 5 {
		t.Errorf("%d tables rendered, want the summary, type, program, added and normalization tables at least", n)
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	browse(t, bin, page, "--window-size=1280,1600", "--screenshot="+shot)
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 20_000 {
		t.Fatalf("screenshot of %d bytes is not a drawn page", len(png))
	}
	if dir := os.Getenv("REPORT_SCREENSHOT_DIR"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report.png"), png, 0o644)
	}
}

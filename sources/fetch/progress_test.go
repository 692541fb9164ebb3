package fetch

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sanctions-etl/sanctions-etl/internal/progress"
)

// progressContext gives a context whose fetches report to the returned
// buffer through a clock that moves a second at every reading: every read
// of a body prints a line.
func progressContext(source string) (context.Context, *bytes.Buffer) {
	var buf bytes.Buffer
	var mu sync.Mutex
	t := time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
	r := progress.New(&buf, true, progress.Config{Now: now}).With(source)
	return progress.NewContext(context.Background(), r), &buf
}

func progressLines(buf *bytes.Buffer) []string {
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

// mb is how a progress line shows n bytes of a file between 1 and 999 MB.
func mb(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func TestHTTPProgressLines(t *testing.T) {
	data := gunzipFile(t, sdnCSVGz) // the real SDN.CSV of 2021-07-07, 2,013,896 bytes
	spec := func(url string) Spec { return Spec{Name: "SDN.CSV", URL: url} }
	h := NewHTTP(HTTPConfig{TempDir: t.TempDir(), ProgressInterval: -1})

	t.Run("Content-Length", func(t *testing.T) {
		srv, _ := server(t, serveContent(data, ""))
		ctx, buf := progressContext("us_ofac_sdn")
		f, err := h.Fetch(ctx, spec(srv.URL), Validators{})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		checkFile(t, f, data)
		lines := progressLines(buf)
		if want := "us_ofac_sdn: fetch SDN.CSV " + mb(len(data)) + " done"; lines[len(lines)-1] != want {
			t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
		}
		// Lines while the body streams, each with the Content-Length.
		if len(lines) < 3 {
			t.Fatalf("%d lines, want some while the body streams:\n%s", len(lines), buf)
		}
		for _, l := range lines[:len(lines)-1] {
			if !strings.HasPrefix(l, "us_ofac_sdn: fetch SDN.CSV ") || !strings.HasSuffix(l, " of "+mb(len(data))) {
				t.Errorf("line %q lacks the total %s", l, mb(len(data)))
			}
		}
	})

	t.Run("chunked", func(t *testing.T) {
		srv, _ := server(t, serveChunked(data))
		ctx, buf := progressContext("us_ofac_sdn")
		f, err := h.Fetch(ctx, spec(srv.URL), Validators{})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		lines := progressLines(buf)
		if want := "us_ofac_sdn: fetch SDN.CSV " + mb(len(data)) + " done"; lines[len(lines)-1] != want {
			t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
		}
		for _, l := range lines {
			if strings.Contains(l, " of ") {
				t.Errorf("line %q has a total, but the server sent none", l)
			}
		}
	})

	t.Run("cut body", func(t *testing.T) {
		srv, _ := server(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data[:len(data)/2])
		}))
		ctx, buf := progressContext("us_ofac_sdn")
		if _, err := h.Fetch(ctx, spec(srv.URL), Validators{}); err == nil {
			t.Fatal("a body cut in half was fetched")
		}
		if strings.Contains(buf.String(), "done") {
			t.Errorf("a failed fetch says done:\n%s", buf)
		}
	})
}

func TestDirProgressLines(t *testing.T) {
	plain := readFile(t, "../../testdata/us_ofac_sdn/excerpt-2025-05-16/sdn.csv") // 7,328 bytes
	gz := gunzipFile(t, sdnCSVGz)
	for _, tt := range []struct {
		name, dir, last string
		streamed        bool // lines while the file is read, without a total
	}{
		{"plain file", "../../testdata/us_ofac_sdn/excerpt-2025-05-16", fmt.Sprintf("us_ofac_sdn: fetch SDN.CSV %.1f kB done", float64(len(plain))/1e3), false},
		{"gzip file, counted decompressed", "../../testdata/us_ofac_sdn/2021-07-07", "us_ofac_sdn: fetch SDN.CSV " + mb(len(gz)) + " done", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, buf := progressContext("us_ofac_sdn")
			f, err := NewDir(tt.dir, 0, t.TempDir()).Fetch(ctx, Spec{Name: "SDN.CSV"}, Validators{})
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			lines := progressLines(buf)
			if last := lines[len(lines)-1]; last != tt.last {
				t.Errorf("last line %q, want %q", last, tt.last)
			}
			if !tt.streamed {
				return
			}
			if len(lines) < 3 {
				t.Errorf("%d lines, want some while the file is decompressed:\n%s", len(lines), buf)
			}
			for _, l := range lines {
				if strings.Contains(l, " of ") {
					t.Errorf("line %q has a total: a .gz does not tell its decompressed size", l)
				}
			}
		})
	}
}

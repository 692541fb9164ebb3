package sources_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// TestReportReplacementChars: the real UN list of 2026-02-27 prints two
// U+FFFD in un_sc-111076's Arabic name; each gives an issue with its line
// and byte offset, which a plain search of the bytes confirms. A file
// without one gives none; more than the bound give the bound and a total.
func TestReportReplacementChars(t *testing.T) {
	data := sourcetest.Gunzip(t, "../testdata/un_sc/2026-02-27/consolidated.xml.gz")
	dir := t.TempDir()
	write := func(name string, b []byte) *fetch.File {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return &fetch.File{Name: name, Path: p}
	}
	var is sources.Issues
	n, err := sources.ReportReplacementChars([]*fetch.File{write("consolidated.xml", data)}, &is)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte{0xef, 0xbf, 0xbd})
		if i < 0 {
			break
		}
		line := bytes.Count(data[:at+i], []byte("\n")) + 1
		want = append(want, strconv.Itoa(line)+" "+strconv.Itoa(at+i))
		at += i + 3
	}
	if n != 2 || len(want) != 2 || len(is.List()) != 2 {
		t.Fatalf("found %d, issues %v; a plain search finds %v", n, is.List(), want)
	}
	for i, got := range is.List() {
		if strconv.Itoa(got.Line)+" "+strconv.Itoa(byteOf(t, got.Problem)) != want[i] || got.File != "consolidated.xml" {
			t.Errorf("issue %+v, want line and byte %s", got, want[i])
		}
	}
	t.Logf("%v", is.List())

	var none sources.Issues
	if n, err := sources.ReportReplacementChars([]*fetch.File{write("clean.xml", []byte("<a>b</a>\n"))}, &none); n != 0 || err != nil || none.Total() != 0 {
		t.Errorf("clean file: %d, %v, %v", n, err, none.List())
	}
	var many sources.Issues
	if n, _ := sources.ReportReplacementChars([]*fetch.File{write("many.csv", []byte(strings.Repeat("a\uFFFDb\n", 25)))}, &many); n != 25 || many.Total() != 21 {
		t.Errorf("25 replacement characters: %d found, %d issues", n, many.Total())
	}
	var zip sources.Issues
	if n, _ := sources.ReportReplacementChars([]*fetch.File{write("list.xlsx", []byte("PK\x03\x04\uFFFD"))}, &zip); n != 0 {
		t.Errorf("xlsx scanned: %d", n)
	}
}

// byteOf reads the offset an issue names ("at byte N").
func byteOf(t *testing.T, problem string) int {
	_, rest, ok := strings.Cut(problem, "at byte ")
	var n int
	if _, err := fmt.Sscanf(rest, "%d", &n); !ok || err != nil {
		t.Fatalf("no byte offset in %q", problem)
	}
	return n
}

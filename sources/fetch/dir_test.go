package fetch

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDirFetch(t *testing.T) {
	csv := readFile(t, sdnCSV)
	gz := readFile(t, sdnCSVGz)
	big := gunzipFile(t, sdnCSVGz)
	tests := []struct {
		name     string
		files    map[string][]byte // the folder
		spec     string
		max      int64
		want     []byte
		wantRead string // the folder entry read
		wantTemp bool
	}{
		{"same case", map[string][]byte{"sdn.csv": csv}, "sdn.csv", 0, csv, "sdn.csv", false},
		{"upper spec, lower file", map[string][]byte{"sdn.csv": csv}, "SDN.CSV", 0, csv, "sdn.csv", false},
		{"mixed case file", map[string][]byte{"Sdn.Csv": csv, "add.csv": csv}, "SDN.CSV", 0, csv, "Sdn.Csv", false},
		{"gz decompressed", map[string][]byte{"sdn.csv.gz": gz}, "SDN.CSV", 0, big, "sdn.csv.gz", true},
		{"GZ upper case", map[string][]byte{"SDN.CSV.GZ": gz}, "SDN.CSV", 0, big, "SDN.CSV.GZ", true},
		{"plain wins over gz", map[string][]byte{"sdn.csv": csv, "sdn.csv.gz": gz}, "SDN.CSV", 0, csv, "sdn.csv", false},
		{"plain exactly the cap", map[string][]byte{"sdn.csv": csv}, "SDN.CSV", int64(len(csv)), csv, "sdn.csv", false},
		{"gz exactly the cap", map[string][]byte{"sdn.csv.gz": gz}, "SDN.CSV", int64(len(big)), big, "sdn.csv.gz", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			for name, b := range tt.files {
				writeFile(t, filepath.Join(dir, name), b)
			}
			d := NewDir(dir, tt.max, tmp)
			if !d.Local() {
				t.Error("Local() = false")
			}
			f, err := d.Fetch(t.Context(), Spec{Name: tt.spec, URL: "https://example.org/ignored"}, Validators{ETag: `"ignored"`})
			if err != nil {
				t.Fatal(err)
			}
			checkFile(t, f, tt.want)
			read := filepath.Join(dir, tt.wantRead)
			if f.Name != tt.spec || f.URL != read || f.Status != 0 || f.Temp() != tt.wantTemp || !f.Validators.IsZero() {
				t.Errorf("File = %+v", f)
			}
			if tt.wantTemp {
				if filepath.Dir(f.Path) != tmp {
					t.Errorf("Path %s not in the temp dir %s", f.Path, tmp)
				}
			} else if f.Path != read {
				t.Errorf("Path = %s, want the file itself, %s", f.Path, read)
			}
			if err := Remove(f); err != nil {
				t.Fatal(err)
			}
			checkEmpty(t, tmp)
			if _, err := os.Stat(read); err != nil {
				t.Errorf("the folder's own file is gone after Close: %v", err)
			}
		})
	}
}

func TestDirErrors(t *testing.T) {
	csv := readFile(t, sdnCSV)
	gz := readFile(t, sdnCSVGz)
	tests := []struct {
		name      string
		files     map[string][]byte
		subdir    string // a folder inside the folder
		spec      string
		max       int64
		missing   bool // the folder itself does not exist
		want      error
		wantInMsg []string
	}{
		{"not found", map[string][]byte{"add.csv": csv}, "", "SDN.CSV", 0, false, ErrNotFound, []string{"SDN.CSV", "<dir>"}},
		{"empty folder", nil, "", "SDN.CSV", 0, false, ErrNotFound, []string{"SDN.CSV", "<dir>"}},
		{"ambiguous", map[string][]byte{"sdn.csv": csv, "SDN.CSV": csv}, "", "SDN.CSV", 0, false, nil, []string{"ambiguous", "sdn.csv", "SDN.CSV"}},
		{"ambiguous gz", map[string][]byte{"sdn.csv.gz": gz, "Sdn.Csv.Gz": gz}, "", "SDN.CSV", 0, false, nil, []string{"ambiguous", "sdn.csv.gz", "Sdn.Csv.Gz"}},
		{"plain too large", map[string][]byte{"sdn.csv": csv}, "", "SDN.CSV", 1000, false, ErrTooLarge, []string{"SDN.CSV", "sdn.csv", "1000 bytes"}},
		{"gz too large decompressed", map[string][]byte{"sdn.csv.gz": gz}, "", "SDN.CSV", int64(len(gz)) + 1, false, ErrTooLarge, []string{"sdn.csv.gz", "bytes"}},
		{"gz truncated", map[string][]byte{"sdn.csv.gz": gz[:len(gz)/2]}, "", "SDN.CSV", 0, false, io.ErrUnexpectedEOF, []string{"sdn.csv.gz"}},
		{"gz not gzip", map[string][]byte{"sdn.csv.gz": csv}, "", "SDN.CSV", 0, false, nil, []string{"sdn.csv.gz", "decompress"}},
		{"a folder by that name", nil, "sdn.csv", "SDN.CSV", 0, false, nil, []string{"not a regular file"}},
		{"no such folder", nil, "", "SDN.CSV", 0, true, nil, []string{"SDN.CSV", "<dir>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			for name, b := range tt.files {
				writeFile(t, filepath.Join(dir, name), b)
			}
			if len(entries(t, dir)) < len(tt.files) {
				t.Skip("file system ignores letter case")
			}
			if tt.subdir != "" {
				if err := os.Mkdir(filepath.Join(dir, tt.subdir), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if tt.missing {
				dir = filepath.Join(dir, "absent")
			}
			f, err := NewDir(dir, tt.max, tmp).Fetch(t.Context(), Spec{Name: tt.spec}, Validators{})
			if err == nil {
				t.Fatalf("no error; File = %+v", f)
			}
			if f != nil {
				t.Errorf("File %+v returned with an error", f)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if tt.want != ErrNotFound && errors.Is(err, ErrNotFound) {
				t.Errorf("err = %v matches ErrNotFound; a caller would look for another format", err)
			}
			for _, s := range tt.wantInMsg {
				s = strings.ReplaceAll(s, "<dir>", dir)
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			checkEmpty(t, tmp)
		})
	}
}

func TestDirContextCancelled(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(dir, "sdn.csv.gz"), readFile(t, sdnCSVGz))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := NewDir(dir, 0, tmp).Fetch(ctx, Spec{Name: "SDN.CSV"}, Validators{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	checkEmpty(t, tmp)
}

func TestRemove(t *testing.T) {
	dir, tmp := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(dir, "sdn.xml"), readFile(t, sdnXML))
	writeFile(t, filepath.Join(dir, "sdn.csv.gz"), readFile(t, sdnCSVGz))
	d := NewDir(dir, 0, tmp)
	plain, err := d.Fetch(t.Context(), Spec{Name: "SDN.XML"}, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := d.Fetch(t.Context(), Spec{Name: "SDN.CSV"}, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	notModified := &File{Name: "X", NotModified: true, Status: 304}
	for range 2 { // idempotent
		if err := Remove(plain, unzipped, nil, notModified); err != nil {
			t.Fatal(err)
		}
	}
	checkEmpty(t, tmp)
	if got := entries(t, dir); len(got) != 2 {
		t.Errorf("folder holds %v after Remove, want both originals", got)
	}
	if unzipped.SHA256 == "" || unzipped.Bytes == 0 {
		t.Errorf("metadata lost on Close: %+v", unzipped)
	}
}

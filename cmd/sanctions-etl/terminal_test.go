package main

import (
	"os"
	"path/filepath"
	"testing"
)

// /dev/null is a character device but no terminal: `run 2>/dev/null`
// gets JSON logs and no progress lines. Nor is a regular file or a pipe.
func TestIsTerminalNotForDevNullFilesOrPipes(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, f := range map[string]*os.File{"/dev/null": devNull, "file": file, "pipe": w} {
		if isTerminal(f) {
			t.Errorf("%s taken for a terminal", name)
		}
	}
}

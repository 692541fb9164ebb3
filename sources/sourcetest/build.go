package sourcetest

import (
	"os"
	"os/exec"
	"testing"
)

// GoBuild builds the command in package directory pkg into the file out,
// static as `make build` builds it, for tests that run the real binary.
func GoBuild(tb testing.TB, out, pkg string) {
	tb.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

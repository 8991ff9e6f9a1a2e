// Package hallqtest builds the project's programs for tests that run them
// as real processes (a hall node to kill and restart, a centre, a display),
// once per test binary whichever package's tests ask.
package hallqtest

import (
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	built = map[string]result{}
)

type result struct {
	path string
	err  error
}

// Binary builds the program with import path pkg (e.g. "hallq/cmd/hallq")
// the first time a test asks for it and returns the executable's path; a
// failed build fails the test with the compiler's output.
func Binary(t testing.TB, pkg string) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	r, ok := built[pkg]
	if !ok {
		r = build(pkg)
		built[pkg] = r
	}
	if r.err != nil {
		t.Fatalf("build %s: %v", pkg, r.err)
	}
	return r.path
}

// build compiles pkg into a directory of its own; the directory outlives
// the test that asked, because later tests of the same run use it.
func build(pkg string) result {
	dir, err := os.MkdirTemp("", "hallqtest-")
	if err != nil {
		return result{err: err}
	}
	bin := filepath.Join(dir, path.Base(pkg))
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		return result{err: fmt.Errorf("%v\n%s", err, out)}
	}
	return result{path: bin}
}

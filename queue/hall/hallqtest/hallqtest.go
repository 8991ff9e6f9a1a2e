// Package hallqtest builds the project's programs for tests that run them
// as real processes (a hall node to kill and restart, a centre, a display),
// once per test binary whichever package's tests ask.
package hallqtest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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

// Hallq returns the hallq program, built once; with -short it skips the
// test, since building and running programs is the slow part of a run.
func Hallq(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the hallq program")
	}
	return Binary(t, "hallq/cmd/hallq")
}

// Run runs a hallq command over the data directory to completion, with
// stdin as its input (a password, say), and returns what it printed; a
// failure fails the test with what it said on stderr.
func Run(t testing.TB, data, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(Hallq(t), append([]string{"--data", data}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("hallq %v: %v %s", args, err, msg)
	}
	return string(out)
}

// Serve starts `hallq --data DATA serve --listen LISTEN EXTRA...` and waits
// for its first line, which names the URL it serves on; the test ends it
// (SIGKILL) if it is still running. Callers stop or kill it themselves to
// test restarts and crashes.
func Serve(t testing.TB, data, listen string, extra ...string) (cmd *exec.Cmd, url string) {
	t.Helper()
	cmd = exec.Command(Hallq(t), append([]string{"--data", data, "serve", "--listen", listen}, extra...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		for sc.Scan() { // keep the pipe drained
		}
	}()
	select {
	case l := <-line:
		const prefix = "hallq: serving on "
		if !strings.HasPrefix(l, prefix) {
			t.Fatalf("hallq serve: %s", l)
		}
		return cmd, strings.TrimPrefix(l, prefix)
	case <-time.After(20 * time.Second):
		t.Fatal("hallq serve did not start")
	}
	return nil, ""
}

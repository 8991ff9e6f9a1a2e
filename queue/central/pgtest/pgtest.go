// Package pgtest starts a throwaway PostgreSQL server for tests, from the
// distribution's binaries, the same way on a developer's machine and in CI:
// initdb into t.TempDir(), a free port on 127.0.0.1, pg_ctl start, and
// pg_ctl stop (immediate) in t.Cleanup.
//
// The binaries are looked up in /usr/lib/postgresql/*/bin (newest first)
// and then on PATH; with none, the test fails saying what to install
// (packaging/setup-debian.sh installs them), so a missing server never
// passes for a green run. PGTEST_SKIP=1 skips instead, for a machine that
// deliberately has no PostgreSQL. initdb and postgres refuse to run as root: when the test
// runs as root (containers, CI), they run as the "postgres" user through
// `runuser -u postgres --` (or setpriv), and the data directory is chowned
// to that user first.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// binDir finds the directory of initdb and pg_ctl.
func binDir() (string, bool) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, true
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		return filepath.Dir(p), true
	}
	return "", false
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// asUser wraps a command to run as the postgres user when we are root.
func asUser(root bool, name string, args ...string) *exec.Cmd {
	if !root {
		return exec.Command(name, args...)
	}
	if p, err := exec.LookPath("runuser"); err == nil {
		return exec.Command(p, append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	u, _ := user.Lookup("postgres")
	return exec.Command("setpriv", append([]string{"--reuid=" + u.Uid, "--regid=" + u.Gid, "--init-groups", name}, args...)...)
}

// unavailable fails the test, or skips it when PGTEST_SKIP=1.
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("PGTEST_SKIP") == "1" {
		t.Skip("pgtest: " + why + " (skipped: PGTEST_SKIP=1)")
	}
	t.Fatal("pgtest: " + why + "; set PGTEST_SKIP=1 to skip PostgreSQL tests knowingly")
}

// Start starts a server and returns the DSN of a fresh database on it.
func Start(t testing.TB) string {
	t.Helper()
	bin, ok := binDir()
	if !ok {
		unavailable(t, "no PostgreSQL binaries (initdb) in /usr/lib/postgresql/*/bin or on PATH; run packaging/setup-debian.sh (Debian: apt-get install postgresql)")
	}
	root := os.Geteuid() == 0
	var uid, gid int
	if root {
		u, err := user.Lookup("postgres")
		if err != nil {
			unavailable(t, "running as root and there is no postgres user to run the server as (Debian's postgresql package creates it)")
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
	}
	base := t.TempDir()
	dir := filepath.Join(base, "pg")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if root {
		// t.TempDir's parents are 0700 root: open the way for postgres.
		for p := base; p != "/" && p != os.TempDir(); p = filepath.Dir(p) {
			os.Chmod(p, 0o755)
		}
		os.Chmod(os.TempDir(), 0o1777)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	out, err := asUser(root, filepath.Join(bin, "initdb"), "-D", dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync").CombinedOutput()
	if err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if os.Getenv("PGTEST_DURABLE") != "" {
		opts = fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200", port, dir)
	}
	logf := filepath.Join(dir, "server.log")
	out, err = asUser(root, filepath.Join(bin, "pg_ctl"), "-D", dir, "-l", logf, "-o", opts, "-w", "-t", "60", "start").CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(logf)
		t.Fatalf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() {
		asUser(root, filepath.Join(bin, "pg_ctl"), "-D", dir, "-m", "immediate", "-w", "stop").Run()
	})
	dsn := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("pgtest: server at %s does not answer: %v", dsn, err)
	}
	name := "t" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", port, name)
}

package central

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

//go:embed schema_sqlite.sql
var sqliteSchema string

// OpenSQLite opens (creating) the centre's database in dir, with the same
// durability as the halls: WAL, synchronous=FULL, one writer connection
// with BEGIN IMMEDIATE, a separate reader pool. The pragmas are read back.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	dsn := func(immediate bool) string {
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "busy_timeout(10000)")
		if immediate {
			q.Set("_txlock", "immediate")
		}
		// SQLite reads a "file:" name as a URI: escape what would end the
		// path ('?', '#') and '%' itself, as the hall's store does.
		return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path) + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn(true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	for _, p := range [][2]string{{"journal_mode", "wal"}, {"synchronous", "2"}} {
		var got string
		if err := w.QueryRowContext(ctx, "PRAGMA "+p[0]).Scan(&got); err != nil {
			w.Close()
			return nil, fmt.Errorf("central: open %s: %w", path, err)
		}
		if strings.ToLower(got) != p[1] {
			w.Close()
			return nil, fmt.Errorf("central: pragma %s is %q, want %q", p[0], got, p[1])
		}
	}
	if _, err := w.ExecContext(ctx, sqliteSchema); err != nil {
		w.Close()
		return nil, fmt.Errorf("central: schema: %w", err)
	}
	r, err := sql.Open("sqlite", dsn(false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	return &sqlStore{w: w, r: r, d: dialect{name: "sqlite", maxParams: 30000}, group: newGroupCommit(w)}, nil
}

package central

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hallq/queue/store"

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
	// The hall store's DSN: its durability pragmas and its escaping of the
	// path (its foreign_keys pragma is moot here: the schema has no
	// references).
	w, err := sql.Open("sqlite", store.DSN(path, true))
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
	r, err := sql.Open("sqlite", store.DSN(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	return &sqlStore{w: w, r: r, d: dialect{name: "sqlite", maxParams: 30000}, group: newGroupCommit(w)}, nil
}

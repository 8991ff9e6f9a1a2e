// Package store keeps one hall's queue in a SQLite file (modernc.org/sqlite,
// pure Go): the schema and its migrations, durable transactions, and the
// event outbox that replication reads.
//
// # Durability
//
// The file runs in WAL mode with synchronous=FULL: a ticket that was printed
// must survive a power cut, and NORMAL can roll back committed transactions.
// The pragmas go in the DSN (modernc ignores mattn-style keys) and are read
// back at open; a mismatch refuses to start. All writes go through one
// connection and begin with BEGIN IMMEDIATE, so writers queue on SQLite's
// lock instead of failing when a read would upgrade to a write; reads use a
// separate pool.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var embedded embed.FS

// migrations is the schema's steps, one SQL file each, applied in name
// order. A variable only so that tests can add a step (export_test.go).
var migrations = func() fs.FS {
	sub, err := fs.Sub(embedded, "migrations")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}()

// DB is an open hall database.
type DB struct {
	path  string
	write *sql.DB // one connection: SQLite has one writer anyway
	// writer is write's connection, held from Open to Close. Write runs
	// BEGIN IMMEDIATE and COMMIT on it itself, with statements prepared on
	// it once: database/sql's own transaction starts a goroutine to watch
	// its context, and one more for every query inside it, and waking
	// them was a tenth of an issue's time (docs/benchmarks.md, issue 2).
	// wturn is the writer's turn: a token held by the one write
	// transaction running.
	writer *sql.Conn
	wturn  chan struct{}
	closed bool // by Close; read and written holding the turn
	read   *sql.DB
	wstmts *stmtCache
	rstmts *stmtCache

	// The idle checkpointer (checkpoint.go).
	lastWrite atomic.Int64 // Unix nanoseconds of the last commit
	stop      chan struct{}
	done      chan struct{}
}

// busyTimeoutMS is how long a writer waits for another process's write
// lock (several hallq commands or kiosks may share a hall file).
const busyTimeoutMS = 10000

// pragma is a setting every connection gets from the DSN and that Open
// reads back (as want) before it trusts the connection.
type pragma struct{ name, set, want string }

// durable are the pragmas of every connection: durable commits, waiting
// for another process's lock, foreign keys.
var durable = []pragma{
	{"journal_mode", "WAL", "wal"},
	{"synchronous", "FULL", "2"},
	{"busy_timeout", strconv.Itoa(busyTimeoutMS), strconv.Itoa(busyTimeoutMS)},
	{"foreign_keys", "1", "1"},
}

// writerOnly are the writer's own: it checkpoints by itself only as a
// backstop (checkpoint.go).
var writerOnly = []pragma{
	{"wal_autocheckpoint", strconv.Itoa(walBackstopPages), strconv.Itoa(walBackstopPages)},
}

// DSN is the data source name the store opens path with: the durability
// pragmas in modernc's form. Exported for benchmarks that compare raw
// SQLite with the store under identical settings.
func DSN(path string, immediate bool) string { return dsn(path, immediate, durable) }

func dsn(path string, immediate bool, pragmas []pragma) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p.name+"("+p.set+")")
	}
	if immediate {
		q.Set("_txlock", "immediate")
	}
	// SQLite reads a "file:" name as a URI: a '#' or '?' in the path would
	// end it, so a data directory named "a#b" opened the file "a" (shared
	// with every other such directory). Escape them, and '%' itself.
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Open opens (creating if needed) the database at path, applies the
// embedded migrations and checks the pragmas.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	writer := append(append([]pragma(nil), durable...), writerOnly...)
	w, err := sql.Open("sqlite", dsn(path, true, writer))
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db := &DB{path: path, write: w, wturn: make(chan struct{}, 1)}
	if err := retryBusy(ctx, func() error { return db.checkPragmas(ctx, w, writer) }); err != nil {
		w.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := db.takeWriter(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", DSN(path, false))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	r.SetMaxOpenConns(4)
	db.read, db.rstmts = r, &stmtCache{db: r}
	if err := retryBusy(ctx, func() error { return db.checkPragmas(ctx, r, durable) }); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.checkFileID(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.startCheckpointer(checkpointQuiet)
	return db, nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close waits for the write running, if any, then closes the writer
// connection and both pools.
func (db *DB) Close() error {
	var errs []error
	db.stopCheckpointer()
	db.wturn <- struct{}{} // after the write transaction running, if any
	if db.writer != nil {
		errs = append(errs, db.dropWriter())
	}
	db.closed = true // a later Write fails
	<-db.wturn
	if db.read != nil {
		db.rstmts.close()
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// retryBusy runs open, which opens a connection, again while SQLite answers
// SQLITE_BUSY, for up to the busy timeout. Opening a connection runs the
// DSN's pragmas, and SQLite answers some of them (journal_mode while another
// process switches the file to WAL, or while the last connection of another
// process checkpoints and removes the WAL on close) with SQLITE_BUSY at once,
// without its busy handler: a kiosk started next to a running hallq
// command failed to start.
func retryBusy(ctx context.Context, open func() error) error {
	deadline := time.Now().Add(busyTimeoutMS * time.Millisecond)
	wait := 5 * time.Millisecond
	for {
		err := open()
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 100*time.Millisecond)
	}
}

// checkPragmas reads the pragmas back: a driver that silently ignored
// them would lose printed tickets on a power cut.
func (db *DB) checkPragmas(ctx context.Context, pool *sql.DB, pragmas []pragma) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: check pragmas: %w", err)
	}
	defer conn.Close()
	for _, p := range pragmas {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&got); err != nil {
			return fmt.Errorf("store: read pragma %s: %w", p.name, err)
		}
		if strings.ToLower(got) != p.want {
			return fmt.Errorf("store: pragma %s is %q, want %q; refusing to run without durable commits", p.name, got, p.want)
		}
	}
	return nil
}

func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.ReadDir(migrations, ".") // in name order
	if err != nil {
		return err
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	// Foreign keys are off while migrating, as SQLite's procedure for
	// rebuilding a table that other tables reference asks (the setting
	// cannot change inside a transaction); each step checks them itself
	// before it commits (migrateStep), and they are back on, and checked
	// to be, before the connection serves anything else.
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	err = db.migrateSteps(ctx, conn, names)
	if _, onErr := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); onErr != nil && err == nil {
		err = fmt.Errorf("store: migrate: foreign keys back on: %w", onErr)
	}
	var on int
	if qErr := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); (qErr != nil || on != 1) && err == nil {
		err = fmt.Errorf("store: migrate: foreign keys are not back on (%d, %v)", on, qErr)
	}
	return err
}

// migrateSteps applies the migrations not yet applied. Each step reads the
// version inside its own BEGIN IMMEDIATE transaction, so two processes
// opening a new database at once (the kiosk starting while a hallq command
// runs) take turns: the second sees the first one's version instead of
// applying a step again.
func (db *DB) migrateSteps(ctx context.Context, conn *sql.Conn, names []fs.DirEntry) error {
	for {
		done, err := db.migrateStep(ctx, conn, names)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration, if any, in one transaction.
func (db *DB) migrateStep(ctx context.Context, conn *sql.Conn, names []fs.DirEntry) (done bool, err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("store: migrate: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, fmt.Errorf("store: migrate: %w", err)
	}
	if version > len(names) {
		return false, fmt.Errorf("store: database schema version %d is newer than this program (%d); refusing to touch it", version, len(names))
	}
	if version == len(names) {
		return true, nil
	}
	name := names[version].Name()
	body, err := fs.ReadFile(migrations, name)
	if err != nil {
		return false, err
	}
	broken, err := foreignKeyViolations(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("store: migrate %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, fmt.Errorf("store: migrate %s: %w", name, err)
	}
	after, err := foreignKeyViolations(ctx, tx)
	if err != nil {
		return false, fmt.Errorf("store: migrate %s: %w", name, err)
	}
	for _, v := range after {
		if !slices.Contains(broken, v) {
			return false, fmt.Errorf("store: migrate %s: a row of %s (rowid %d) references a missing row of %s", name, v.table, v.rowid, v.parent)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
		return false, fmt.Errorf("store: migrate %s: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("store: migrate %s: %w", name, err)
	}
	return false, nil
}

// fkViolation is a row that references a missing parent row.
type fkViolation struct {
	table  string
	rowid  int64
	parent string
	fk     int
}

// foreignKeyViolations lists what the foreign keys, turned off for a
// migration, would have refused. A step fails on a violation it made;
// one the file already had (written by a tool with foreign keys off)
// stays as it was and does not stop the hall from starting.
func foreignKeyViolations(ctx context.Context, tx *sql.Tx) ([]fkViolation, error) {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	var out []fkViolation
	for rows.Next() {
		var v fkViolation
		var rowid sql.NullInt64
		if err := rows.Scan(&v.table, &rowid, &v.parent, &v.fk); err != nil {
			return nil, fmt.Errorf("foreign key check: %w", err)
		}
		v.rowid = rowid.Int64
		out = append(out, v)
	}
	return out, rows.Err()
}

// takeWriter takes the write pool's connection for Write and prepares
// its statements on it from now on.
func (db *DB) takeWriter(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: writer: %w", err)
	}
	db.writer, db.wstmts = conn, &stmtCache{conn: conn}
	return nil
}

// Write runs fn in one write transaction (BEGIN IMMEDIATE) and commits it
// when fn returns nil. Every state change of the hall goes through here, so
// a change, its event and its outbox row commit together or not at all.
// Write transactions take turns; one whose ctx ends while it waits for its
// turn or for another process's lock, or before it commits, is rolled
// back and returns the context's error.
func (db *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	select {
	case db.wturn <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("store: begin: %w", ctx.Err())
	}
	defer func() { <-db.wturn }()
	if err := db.begin(ctx); err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	committed := false
	defer func() {
		// Also when fn panics (an HTTP handler's panic is recovered and
		// the node goes on): the writer must not stay inside a
		// transaction.
		if !committed {
			db.rollback()
		}
	}()
	if err := fn(&Tx{conn: db.writer, stmts: db.wstmts}); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	// COMMIT runs to its end whatever ctx does: an interrupt in the middle
	// of it would leave the outcome to SQLite's recovery.
	if _, err := db.writer.ExecContext(context.Background(), "COMMIT"); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	committed = true
	db.wrote()
	return nil
}

// begin starts a write transaction on the writer connection. A writer
// that was dropped (a failed ROLLBACK), was closed behind Write's back, or
// that the driver says is no longer valid (an interrupt left pending by a
// cancelled statement, one of SYNC.md's known modernc failures) is
// replaced by a fresh connection first: database/sql's pool checks and
// replaces the connections it hands out, but not one held as a Conn.
func (db *DB) begin(ctx context.Context) error {
	if db.closed {
		return errors.New("the database is closed")
	}
	if db.writer != nil {
		if valid, err := db.writerValid(); err != nil || !valid {
			db.dropWriter()
		}
	}
	if db.writer == nil {
		if err := db.takeWriter(ctx); err != nil {
			return err
		}
	}
	_, err := db.writer.ExecContext(ctx, "BEGIN IMMEDIATE")
	return err
}

// writerValid asks the driver whether the writer connection is still
// valid (driver.Validator, as the pool asks before it reuses one), without
// closing it; err is the Conn's own (sql.ErrConnDone once it is closed).
func (db *DB) writerValid() (valid bool, err error) {
	valid = true
	err = db.writer.Raw(func(dc any) error {
		if v, ok := dc.(driver.Validator); ok {
			valid = v.IsValid()
		}
		return nil
	})
	return valid, err
}

// rollback ends the writer's open transaction. SQLite rolls some failed
// transactions back by itself, and then ROLLBACK fails; whatever the
// reason, a writer whose ROLLBACK failed is dropped rather than trusted to
// be outside a transaction, and the next write takes a fresh one.
func (db *DB) rollback() {
	if _, err := db.writer.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		db.dropWriter()
	}
}

// dropWriter gives up the writer connection; the next write takes a
// fresh one. database/sql discards a connection whose Raw call answers
// ErrBadConn instead of pooling it. Its statements are closed first, so
// that SQLite can free the connection and its files, unless the
// connection is already gone (closed behind Write's back, or by
// database/sql after the driver said ErrBadConn): database/sql does not
// track statements prepared on a Conn, and closing one after its
// connection crashes the driver.
func (db *DB) dropWriter() error {
	if _, err := db.writerValid(); err == nil {
		db.wstmts.close()
		db.writer.Raw(func(any) error { return driver.ErrBadConn })
	}
	err := db.writer.Close()
	db.writer, db.wstmts = nil, &stmtCache{}
	if errors.Is(err, sql.ErrConnDone) {
		return nil // already closed: nothing left to close
	}
	return err
}

// Read runs fn in a read-only transaction on the reader pool: a consistent
// snapshot that never waits for writers.
func (db *DB) Read(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer db.rstmts.prepare()
	defer tx.Rollback()
	return fn(&Tx{tx: tx, stmts: db.rstmts})
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict ("ok").
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var res string
	err := db.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res)
	return res, err
}

// Backup writes a consistent copy of the database to path (VACUUM INTO),
// safe while the hall runs.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	_, err := db.read.ExecContext(ctx, "VACUUM INTO ?", path)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests are inside the package: they end a transaction behind
// Write's back, as a driver or SQLite itself can, and look at the writer
// connection.

func openWriteTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// metaOf reads a meta value in a read transaction ("" when unset).
func metaOf(t *testing.T, db *DB, key string) string {
	t.Helper()
	var v string
	if err := db.Read(context.Background(), func(tx *Tx) (err error) { v, err = tx.Meta(key); return err }); err != nil {
		t.Fatal(err)
	}
	return v
}

// holdWrite starts a write of key=value that waits inside its transaction
// until release is called; done tells how it ended.
func holdWrite(db *DB, key, value string) (release func(), done <-chan error) {
	inside, free := make(chan struct{}), make(chan struct{})
	result := make(chan error, 1)
	go func() {
		result <- db.Write(context.Background(), func(tx *Tx) error {
			close(inside)
			<-free
			return tx.SetMeta(key, value)
		})
	}()
	<-inside
	return func() { close(free) }, result
}

// writeWorks checks that a write of k commits and reads back: the writer
// is usable after whatever the test did to it.
func writeWorks(t *testing.T, db *DB, value string) {
	t.Helper()
	if err := setMeta(db, "k", value); err != nil {
		t.Fatalf("a later write: %v", err)
	}
	if got := metaOf(t, db, "k"); got != value {
		t.Errorf("k = %q, want %q", got, value)
	}
}

func setMeta(db *DB, key, value string) error {
	return db.Write(context.Background(), func(tx *Tx) error { return tx.SetMeta(key, value) })
}

func TestWriteCommitsOrRollsBack(t *testing.T) {
	db := openWriteTest(t)
	if err := setMeta(db, "k", "committed"); err != nil {
		t.Fatal(err)
	}
	refused := errors.New("refused")
	err := db.Write(context.Background(), func(tx *Tx) error {
		if err := tx.SetMeta("k", "rolled back"); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Write returned %v, want fn's error", err)
	}
	if got := metaOf(t, db, "k"); got != "committed" {
		t.Errorf("after a failed write k = %q, want the committed value", got)
	}
	writeWorks(t, db, "next")
}

// A panic inside a write (net/http recovers a handler's panic and the node
// goes on) must not leave the writer inside its transaction: every later
// BEGIN would fail.
func TestWriteRollsBackAPanic(t *testing.T) {
	db := openWriteTest(t)
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not come through Write")
			}
		}()
		db.Write(context.Background(), func(tx *Tx) error {
			tx.SetMeta("k", "from the panicking write")
			panic("handler bug")
		})
	}()
	if got := metaOf(t, db, "k"); got != "" {
		t.Errorf("the panicking write committed k = %q", got)
	}
	writeWorks(t, db, "after")
}

// When ROLLBACK fails (SQLite has ended the transaction itself, say), the
// writer connection is replaced rather than trusted, and writing goes on
// with statements prepared on the new one.
func TestWriteReplacesAWriterWhoseRollbackFailed(t *testing.T) {
	db := openWriteTest(t)
	writeWorks(t, db, "v1") // prepares the upsert on the first writer
	first := db.writer
	err := db.Write(context.Background(), func(tx *Tx) error {
		if _, err := tx.exec("ROLLBACK"); err != nil {
			return err
		}
		return errors.New("failed after its transaction ended")
	})
	if err == nil {
		t.Fatal("the write succeeded")
	}
	writeWorks(t, db, "v2")
	if db.writer == first {
		t.Error("the writer whose ROLLBACK failed is still in use")
	}
}

// A writer connection that broke (database/sql closes a connection whose
// driver answered ErrBadConn) is replaced at the next write, as the pool
// would replace one it held itself.
func TestWriteReplacesABrokenWriter(t *testing.T) {
	db := openWriteTest(t)
	writeWorks(t, db, "v1")
	db.writer.Raw(func(any) error { return driver.ErrBadConn })
	writeWorks(t, db, "v2")
}

// Close after the writer was closed behind Write's back, with no write in
// between to replace it, closes cleanly: finalizing the statements of a
// connection that is gone would crash the driver, and with it the process
// while Close holds the write turn.
func TestCloseAfterTheWriterWasClosedBehindItsBack(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	writeWorks(t, db, "v1")
	db.writer.Raw(func(any) error { return driver.ErrBadConn })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := setMeta(db, "k", "v"); err == nil {
		t.Fatal("a write after Close succeeded")
	}
}

// A write whose context ends while it waits for another process's lock is
// interrupted inside the driver, which then reports the writer no longer
// valid (SYNC.md lists such interrupts among the ways a modernc connection
// has broken). The writer is replaced and goes on writing, and the one it
// replaces is freed: however many waits time out, the process holds no
// more descriptors of the database than before.
func TestWriteAfterWaitsForTheLockWereCancelled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := Open(context.Background(), path) // another process's handle
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	writeWorks(t, db, "first")
	before := openFiles(t, path)
	interrupted := 0
	for i := range 5 {
		release, done := holdWrite(other, "k", fmt.Sprint("other ", i))
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err = db.Write(ctx, func(tx *Tx) error { return tx.SetMeta("k", "cancelled") })
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a write that waited past its deadline for the lock: %v", err)
		}
		release()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		// Interrupted inside the driver, the writer reports itself no
		// longer valid (unless the deadline came before the wait began),
		// and then the next write takes a fresh one.
		first := db.writer
		valid, err := db.writerValid()
		if err != nil {
			t.Fatal(err)
		}
		writeWorks(t, db, fmt.Sprint("after ", i))
		if !valid {
			interrupted++
			if db.writer == first {
				t.Fatalf("wait %d: the writer the driver called invalid was kept", i)
			}
		}
	}
	if interrupted == 0 {
		t.Error("no cancelled wait left the writer interrupted: the test did not test the replacement")
	}
	if after := openFiles(t, path); after > before {
		t.Errorf("%d descriptors of the database files open after five cancelled waits, %d before: replaced writers leak", after, before)
	}
}

// openFiles counts this process's descriptors of the database file and
// its -wal and -shm companions (Linux's /proc; the files are not opened:
// closing a descriptor of an open SQLite file would drop its locks).
func openFiles(t *testing.T, path string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(target, path) {
			n++
		}
	}
	return n
}

// A write waits for the one running; its context bounds the wait, and a
// context that ends before the commit rolls the write back.
func TestWriteWaitsItsTurnWithinItsContext(t *testing.T) {
	db := openWriteTest(t)
	release, first := holdWrite(db, "k", "first")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := db.Write(ctx, func(tx *Tx) error { ran = true; return nil })
	if !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Errorf("a write waiting past its deadline: err %v, ran %v", err, ran)
	}
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	err = db.Write(ctx, func(tx *Tx) error {
		cancel() // the client went away while the write ran
		return tx.SetMeta("k", "cancelled")
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a write whose context ended: %v", err)
	}
	if got := metaOf(t, db, "k"); got != "first" {
		t.Errorf("k = %q, want first (the cancelled write rolled back)", got)
	}
}

// Close waits for the write running, and a write after Close fails instead
// of waiting for ever.
func TestCloseWaitsForTheWriteAndLaterWritesFail(t *testing.T) {
	db := openWriteTest(t)
	release, done := holdWrite(db, "k", "v")
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	select {
	case <-closed:
		t.Fatal("Close returned while a write was running")
	case <-time.After(50 * time.Millisecond):
	}
	release()
	if err := <-done; err != nil {
		t.Errorf("the running write: %v", err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
	err := setMeta(db, "k", "late")
	if err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("a write after Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

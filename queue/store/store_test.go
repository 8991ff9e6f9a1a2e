package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue/store"
)

// openStore opens a new hall database in the test's directory, closed
// when the test ends.
func openStore(t *testing.T) *store.DB {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "hall.db"))
}

// openStoreAt opens the hall database at path, closed when the test ends.
func openStoreAt(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// appendEvents writes n events under epoch, one transaction each; pad
// bytes of payload per event make them take room in the database file.
func appendEvents(t *testing.T, db *store.DB, epoch string, n, pad int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := db.Write(context.Background(), func(tx *store.Tx) error {
			if err := tx.SetMeta(store.MetaEpoch, epoch); err != nil {
				return err
			}
			_, err := tx.AppendEvent("issued", "x", 0, "test", time.Now(), map[string]any{"i": i, "pad": strings.Repeat("x", pad)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenSetsDurablePragmasAndMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	openStoreAt(t, path) // creates and migrates the file, open while raw reads it
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var mode string
	var version int
	raw.QueryRow("PRAGMA journal_mode").Scan(&mode)
	raw.QueryRow("PRAGMA user_version").Scan(&version)
	if mode != "wal" || version < 2 {
		t.Fatalf("journal_mode %q, user_version %d", mode, version)
	}
	// Reopening an up-to-date database is a no-op.
	db2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, _ := sql.Open("sqlite", "file:"+path)
	if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := store.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Fatalf("a database from a newer program must be left alone: %v", err)
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openStoreAt(t, filepath.Join(dir, "hall.db"))
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Init(demohall.Config(), time.Now()) }); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, dst); err == nil {
		t.Fatal("a backup must not overwrite a file")
	}
	cp, err := store.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	err = cp.Read(ctx, func(tx *store.Tx) error {
		cfg, err := tx.Config()
		if err == nil && cfg.NameZH != demohall.Config().NameZH {
			t.Errorf("copy holds %q", cfg.NameZH)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Several programs opening a new hall database at once (the kiosk starting
// while a hallq command or the display's node runs) take turns migrating:
// none fails with a half-applied schema, and the schema ends complete.
func TestConcurrentOpensOfANewDatabaseMigrateOnce(t *testing.T) {
	ctx := context.Background()
	for round := 0; round < 5; round++ {
		path := filepath.Join(t.TempDir(), "hall.db")
		const openers = 8
		errs := make(chan error, openers)
		start := make(chan struct{})
		for i := 0; i < openers; i++ {
			go func() {
				<-start
				db, err := store.Open(ctx, path)
				if err == nil {
					err = db.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for i := 0; i < openers; i++ {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: a concurrent open failed: %v", round, err)
			}
		}
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := db.IntegrityCheck(ctx); err != nil || res != "ok" {
			t.Fatalf("integrity %q %v", res, err)
		}
		db.Close()
	}
}

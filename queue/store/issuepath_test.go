package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/queue/store"
)

// A hall database from before migration 0006 keeps its event sequence and
// queue order: the next event follows the last one, gets its outbox row
// from the trigger with the current epoch, and a rolled-back event leaves
// no gap.
func TestMigration0006ContinuesTheSequence(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	old, err := sql.Open("sqlite", store.DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"0001_init.sql", "0002_hall_data.sql", "0003_staff.sql", "0004_replica.sql", "0005_outbox_pending.sql"} {
		body, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, q := range []string{
		"PRAGMA user_version = 5",
		"INSERT INTO meta (key, value) VALUES ('epoch', 'e1'), ('outbox_seq', '3'), ('queue_pos', '2')",
		`INSERT INTO events (seq, type, at, data) VALUES (1, 'issued', 0, '{}'), (2, 'issued', 0, '{}'), (3, 'call', 0, '{}')`,
		"INSERT INTO outbox (seq, epoch) VALUES (1, 'e1'), (2, 'e1'), (3, 'e1')",
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	db := openStoreAt(t, path)
	appendOne := func() int64 {
		var seq int64
		err := db.Write(ctx, func(tx *store.Tx) error {
			last, err := tx.LastSeq()
			if err != nil {
				return err
			}
			seq, err = tx.AppendEvent("issued", "x", 0, "test", time.Now(), map[string]int{"n": 1})
			if err == nil && seq != last+1 {
				t.Errorf("LastSeq %d, then the event got %d", last, seq)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return seq
	}
	if seq := appendOne(); seq != 4 {
		t.Fatalf("the first event after the migration got %d, want 4", seq)
	}
	// A rolled-back transaction's event leaves no gap.
	boom := errors.New("boom")
	err = db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.AppendEvent("issued", "y", 0, "test", time.Now(), nil); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.SetMeta(store.MetaEpoch, "e2") }); err != nil {
		t.Fatal(err)
	}
	if seq := appendOne(); seq != 5 {
		t.Fatalf("after a rollback the next event got %d, want 5", seq)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		evs, err := tx.Events(0, 100)
		if err != nil {
			return err
		}
		want := []struct {
			seq   int64
			epoch string
		}{{1, "e1"}, {2, "e1"}, {3, "e1"}, {4, "e1"}, {5, "e2"}}
		if len(evs) != len(want) {
			t.Fatalf("%d events with outbox rows, want %d", len(evs), len(want))
		}
		for i, w := range want {
			if evs[i].Seq != w.seq || evs[i].Epoch != w.epoch {
				t.Errorf("event %d: seq %d epoch %s, want %d %s", i, evs[i].Seq, evs[i].Epoch, w.seq, w.epoch)
			}
		}
		for _, k := range []string{"outbox_seq", "queue_pos"} {
			if v, _ := tx.Meta(k); v != "" {
				t.Errorf("meta %s is still %q: two sources of one number", k, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// inDatabaseFile reports whether the database file holds every page, that
// is whether a checkpoint has copied the WAL back. It asks SQLite for the
// page count and the file system for the file's size: opening the file
// (or its -shm) in this process would drop SQLite's POSIX locks on close.
func inDatabaseFile(t *testing.T, path string) (pages, onDisk int64) {
	t.Helper()
	conn, err := sql.Open("sqlite", store.DSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var count, size int64
	if err := conn.QueryRow("PRAGMA page_count").Scan(&count); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return count * size, st.Size()
}

// quickCheckpoints makes the store checkpoint after 100 ms of quiet for the
// rest of the test.
func quickCheckpoints(t *testing.T) {
	t.Cleanup(store.SetCheckpointQuiet(quickQuiet))
}

const quickQuiet = 100 * time.Millisecond

// waitCheckpointed waits up to 5 s for the database file at path to hold
// every page, and fails with why otherwise.
func waitCheckpointed(t *testing.T, path, why string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		want, got := inDatabaseFile(t, path)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s, the database file has %d of %d bytes: the WAL was not checkpointed", why, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Commits no longer checkpoint until the WAL is large; the store copies the
// WAL back once the hall has been quiet for a moment.
func TestQuietDatabaseIsCheckpointed(t *testing.T) {
	quickCheckpoints(t)
	path := filepath.Join(t.TempDir(), "hall.db")
	db := openStoreAt(t, path)
	appendEvents(t, db, "e1", 30, 0)
	waitCheckpointed(t, path, "after 5 s of quiet")
}

// An event in a database without an epoch (never initialised) is refused
// with a sentence that says so, and nothing is written.
func TestEventWithoutEpochIsRefused(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.AppendEvent("issued", "x", 0, "test", time.Now(), nil)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "not initialised") {
		t.Fatalf("event without an epoch: %v", err)
	}
	db.Read(ctx, func(tx *store.Tx) error {
		if last, _ := tx.LastSeq(); last != 0 {
			t.Errorf("an event was kept: last seq %d", last)
		}
		return nil
	})
}

// A reader's snapshot stops a quiet-time checkpoint short; once the reader
// is gone the checkpoint completes without waiting for another commit.
func TestCheckpointHeldBackByAReaderCompletesLater(t *testing.T) {
	quickCheckpoints(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	db := openStoreAt(t, path)
	// A kilobyte per event, so the writes add pages to the database and a
	// checkpoint that stopped short shows in its size.
	appendEvents(t, db, "e1", 5, 1000)
	// A reader takes its snapshot here and keeps it while more is written.
	holding, release := make(chan struct{}), make(chan struct{})
	go db.Read(ctx, func(tx *store.Tx) error {
		tx.LastSeq()
		close(holding)
		<-release
		return nil
	})
	<-holding
	appendEvents(t, db, "e1", 30, 1000)
	time.Sleep(4 * quickQuiet) // a checkpoint ran and stopped at the reader
	if want, got := inDatabaseFile(t, path); got == want {
		t.Fatal("the checkpoint copied pages a reader still needed from the WAL")
	}
	close(release)
	waitCheckpointed(t, path, "5 s after the reader left, with no commit since")
}

// Events are append-only in the database: deleting the newest would give
// its sequence to the next event, which the centre would drop as already
// applied (its key is origin node and sequence).
func TestEventsCannotBeDeletedOrRenumbered(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hall.db")
	db := openStoreAt(t, path)
	appendEvents(t, db, "e1", 2, 0)
	raw, err := sql.Open("sqlite", store.DSN(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{"DELETE FROM events WHERE seq = 2", "UPDATE events SET seq = 9 WHERE seq = 2"} {
		if _, err := raw.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	appendEvents(t, db, "e1", 1, 0)
	db.Read(ctx, func(tx *store.Tx) error {
		if last, _ := tx.LastSeq(); last != 3 {
			t.Errorf("last sequence %d after a third event, want 3", last)
		}
		return nil
	})
}

package replica_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/central/pgtest"
	"hallq/queue/replica"
	"hallq/queue/store"
)

// A copied database must never reuse (node, epoch, seq) for other events:
// the centre would take the copy's events as repeats of the original's and
// both sides would lose them. These tests copy real database files the
// ways halls do (a restored `hallq backup`, a file copied over the old one
// while the node is stopped, a cloned disk running beside its original)
// against both centre stores.

type epochWorld struct {
	t   *testing.T
	ctx context.Context
	st  central.Store
	tok string
	dir string
	n   int // events written so far, for distinct contents
}

func epochStores(t *testing.T) map[string]func() central.Store {
	ctx := context.Background()
	return map[string]func() central.Store{
		"sqlite": func() central.Store {
			st, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "c.db"))
			if err != nil {
				t.Fatal(err)
			}
			return st
		},
		"postgres": func() central.Store {
			st, err := central.OpenPostgres(ctx, pgtest.Start(t))
			if err != nil {
				t.Fatal(err)
			}
			return st
		},
	}
}

func newEpochWorld(t *testing.T, st central.Store) *epochWorld {
	t.Cleanup(func() { st.Close() })
	tok, err := st.AddClient(context.Background(), "H1", central.KindNode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &epochWorld{t: t, ctx: context.Background(), st: st, tok: tok, dir: t.TempDir()}
}

func (w *epochWorld) open(path string) *store.DB {
	db, err := store.Open(w.ctx, path)
	if err != nil {
		w.t.Fatal(err)
	}
	if meta(w.t, db, store.MetaNodeID) == "" { // as `hallq init` does
		db.Write(w.ctx, func(tx *store.Tx) error {
			tx.SetMeta(store.MetaNodeID, store.RandomID(8))
			return tx.SetMeta(store.MetaEpoch, store.RandomID(8))
		})
	}
	return db
}

// write appends n events with contents no other database has.
func (w *epochWorld) write(db *store.DB, n int) {
	err := db.Write(w.ctx, func(tx *store.Tx) error {
		for range n {
			w.n++
			id := fmt.Sprintf("2026-11-23/A%03d", w.n)
			if _, err := tx.AppendEvent("call", id, 1, "window:1", time.Now(), map[string]any{"id": id, "n": w.n}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *epochWorld) sync(db *store.DB) *replica.Syncer {
	sy := &replica.Syncer{DB: db, T: central.Local{S: &central.Service{Store: w.st}, Token: w.tok}, Hall: "H1"}
	if err := sy.Once(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	if st := sy.Stats(); st.ChecksumMismatches != 0 {
		w.t.Fatalf("checksum mismatches: %+v", st)
	}
	return sy
}

func meta(t *testing.T, db *store.DB, key string) string {
	var v string
	db.Read(context.Background(), func(tx *store.Tx) error {
		v, _ = tx.Meta(key)
		return nil
	})
	return v
}

// streams returns, per epoch of the node, the sequences the centre holds
// and the node's own pending count.
func (w *epochWorld) seqs(node, epoch string) []int64 {
	s, err := central.StreamSeqs(w.ctx, w.st, "H1", node, epoch)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func wantRun(t *testing.T, what string, got []int64, from, to int64) {
	t.Helper()
	if int64(len(got)) != to-from+1 || got[0] != from || got[len(got)-1] != to {
		t.Fatalf("%s: centre holds %d events %v..., want %d..%d", what, len(got), got[:min(3, len(got))], from, to)
	}
}

// pendingAndChecksum fails unless every outbox row is acknowledged and
// every epoch's checksum on the node is what the centre computed.
func (w *epochWorld) allAcked(db *store.DB) {
	w.t.Helper()
	err := db.Read(w.ctx, func(tx *store.Tx) error {
		n, err := tx.OutboxPending()
		if n != 0 {
			w.t.Fatalf("%d outbox rows not acknowledged", n)
		}
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string, flags int) {
	src, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(to, flags, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestRestoredBackupStartsNewEpoch(t *testing.T) {
	for name, open := range epochStores(t) {
		t.Run(name, func(t *testing.T) {
			w := newEpochWorld(t, open())
			orig := filepath.Join(w.dir, "orig", "hall.db")
			a := w.open(orig)
			node, e1 := meta(t, a, store.MetaNodeID), meta(t, a, store.MetaEpoch)
			w.write(a, 50)
			w.sync(a)
			backup := filepath.Join(w.dir, "backup.db")
			if err := a.Backup(w.ctx, backup); err != nil { // what `hallq backup` does
				t.Fatal(err)
			}
			w.write(a, 50)
			w.sync(a)
			a.Close()

			// The hall's disk dies; the backup is restored on a new one.
			restored := filepath.Join(w.dir, "new", "hall.db")
			os.MkdirAll(filepath.Dir(restored), 0o750)
			copyFile(t, backup, restored, os.O_CREATE|os.O_EXCL|os.O_WRONLY)
			b := w.open(restored)
			defer b.Close()
			e2 := meta(t, b, store.MetaEpoch)
			if e2 == e1 || e2 == "" || meta(t, b, store.MetaNodeID) != node {
				t.Fatalf("restored database: node %s epoch %s, original epoch %s", meta(t, b, store.MetaNodeID), e2, e1)
			}
			w.write(b, 30) // sequences 51..80 again, other events
			sy := w.sync(b)
			w.allAcked(b)
			wantRun(t, "original epoch", w.seqs(node, e1), 1, 100)
			wantRun(t, "restored epoch", w.seqs(node, e2), 51, 80)
			if sy.Stats().Forks != 0 {
				t.Fatalf("a new file needed no fork: %+v", sy.Stats())
			}
			// Reopening the same file keeps its epoch.
			b.Close()
			b = w.open(restored)
			if got := meta(t, b, store.MetaEpoch); got != e2 {
				t.Fatalf("reopened: epoch %s, want %s", got, e2)
			}
		})
	}
}

// A backup copied over the old file keeps the file's inode, so the node
// cannot tell; the centre sees other events under held keys and the node
// moves its own to a new epoch.
func TestBackupCopiedInPlaceForks(t *testing.T) {
	for name, open := range epochStores(t) {
		t.Run(name, func(t *testing.T) {
			w := newEpochWorld(t, open())
			path := filepath.Join(w.dir, "hall.db")
			a := w.open(path)
			node, e1 := meta(t, a, store.MetaNodeID), meta(t, a, store.MetaEpoch)
			w.write(a, 40)
			w.sync(a)
			w.write(a, 10) // 41..50: in the backup, not yet at the centre
			backup := filepath.Join(w.dir, "backup.db")
			if err := a.Backup(w.ctx, backup); err != nil {
				t.Fatal(err)
			}
			w.write(a, 50)
			w.sync(a) // the centre holds 1..100
			a.Close()

			copyFile(t, backup, path, os.O_TRUNC|os.O_WRONLY) // cp backup.db hall.db
			b := w.open(path)
			defer b.Close()
			if got := meta(t, b, store.MetaEpoch); got != e1 {
				t.Fatalf("same inode: epoch %s, want the backup's %s", got, e1)
			}
			w.write(b, 30) // 51..80, other events than the centre's 51..80
			sy := w.sync(b)
			w.allAcked(b)
			if sy.Stats().Forks != 1 {
				t.Fatalf("stats %+v, want one fork", sy.Stats())
			}
			e2 := meta(t, b, store.MetaEpoch)
			wantRun(t, "original epoch", w.seqs(node, e1), 1, 100)
			wantRun(t, "forked epoch", w.seqs(node, e2), 51, 80)
			// The backup's 41..50 were the original's: acknowledged, not sent twice.
			if st, _ := w.st.Stats(w.ctx); st.Events != 130 {
				t.Fatalf("centre holds %d events, want 130", st.Events)
			}
		})
	}
}

// A cloned disk keeps the inode too and both machines go on: each event
// reaches the centre once, under its own machine's stream.
func TestClonedDiskBesideOriginal(t *testing.T) {
	w := newEpochWorld(t, epochStores(t)["sqlite"]())
	pa := filepath.Join(w.dir, "a", "hall.db")
	a := w.open(pa)
	defer a.Close()
	node, e1 := meta(t, a, store.MetaNodeID), meta(t, a, store.MetaEpoch)
	w.write(a, 20)
	w.sync(a)
	w.write(a, 5) // 21..25 on both disks, unsent
	pb := filepath.Join(w.dir, "b", "hall.db")
	os.MkdirAll(filepath.Dir(pb), 0o750)
	if err := a.Backup(w.ctx, pb); err != nil {
		t.Fatal(err)
	}
	b := w.open(pb)
	defer b.Close()
	// dd keeps the inode: undo the new file's new epoch to play the clone.
	if err := b.Write(w.ctx, func(tx *store.Tx) error { return tx.SetMeta(store.MetaEpoch, e1) }); err != nil {
		t.Fatal(err)
	}
	w.write(a, 10) // a: 26..35
	w.write(b, 7)  // b: 26..32, other events
	w.sync(a)
	if sy := w.sync(b); sy.Stats().Forks != 1 {
		t.Fatalf("the clone did not fork: %+v", sy.Stats())
	}
	w.write(a, 3)
	w.write(b, 4)
	sa := w.sync(a)
	sb := w.sync(b)
	w.allAcked(a)
	w.allAcked(b)
	if sa.Stats().Forks != 0 {
		t.Fatalf("the first to push keeps its epoch: %+v", sa.Stats())
	}
	eb := meta(t, b, store.MetaEpoch)
	if eb == e1 {
		t.Fatal("the clone kept the original's epoch")
	}
	wantRun(t, "original", w.seqs(node, e1), 1, 38)
	wantRun(t, "clone", w.seqs(node, eb), 26, 36)
	if st, _ := w.st.Stats(w.ctx); st.Events != 38+11 {
		t.Fatalf("centre holds %d events, want %d", st.Events, 38+11)
	}
	if sb.Stats().Forks != 0 {
		t.Fatalf("the clone forked twice: %+v", sb.Stats())
	}
}

package store

import (
	"context"
	"time"
)

// Checkpoints. In WAL mode every commit appends its pages to the -wal file
// and, from time to time, a checkpoint copies them back into the database
// file and syncs it. SQLite's default runs that checkpoint inside the
// commit that pushes the WAL past 1,000 pages, so one issue in every few
// dozen paid two to three milliseconds more than the others (issue 2's p99
// target). A hall writes in bursts with quiet seconds between them, so the
// store checkpoints in those quiet moments instead, on a reader connection,
// and keeps SQLite's automatic checkpoint only as a backstop for a long
// unbroken burst, at a size that a busy morning rarely reaches.

// walBackstopPages is the WAL size (in 4 KiB pages, 16 MiB) at which a
// commit checkpoints by itself.
const walBackstopPages = 4000

// checkpointQuiet is how long the database must go without a commit before
// the idle checkpointer copies the WAL back. Longer than the gap between
// the writes of one action (issue, then print result), shorter than the
// gap between citizens. A variable only so that tests can shorten it
// (export_test.go).
var checkpointQuiet = 500 * time.Millisecond

func (db *DB) startCheckpointer(quiet time.Duration) {
	db.stop = make(chan struct{})
	db.done = make(chan struct{})
	go db.checkpointWhenQuiet(quiet)
}

// wrote notes the time of a commit for the checkpointer: one atomic store,
// because waking a goroutine on every commit cost more than a statement.
func (db *DB) wrote() { db.lastWrite.Store(time.Now().UnixNano()) }

func (db *DB) stopCheckpointer() {
	if db.stop == nil {
		return
	}
	close(db.stop)
	<-db.done
	db.stop = nil
}

// checkpointWhenQuiet looks every quiet/2 for commits since its last
// checkpoint and runs a PASSIVE checkpoint once the newest of them is at
// least quiet old. PASSIVE never waits for readers or writers: a commit
// arriving meanwhile goes on, and whatever the checkpoint could not copy
// waits for the next quiet moment (or the backstop).
func (db *DB) checkpointWhenQuiet(quiet time.Duration) {
	defer close(db.done)
	tick := time.NewTicker(quiet / 2)
	defer tick.Stop()
	var done int64 // the commit time the last checkpoint covered
	for {
		select {
		case <-db.stop:
			return
		case now := <-tick.C:
			last := db.lastWrite.Load()
			if last == done || now.UnixNano()-last < int64(quiet) {
				continue
			}
			// A reader's snapshot can stop a PASSIVE checkpoint short: then
			// it is tried again at the next look, not left for the next
			// commit.
			if frames, copied, err := db.checkpoint(context.Background()); err == nil && copied == frames {
				done = last
			}
		}
	}
}

// checkpoint copies what it can of the WAL into the database file without
// waiting for anyone, and reports the WAL's frames and how many of them are
// now in the database file.
func (db *DB) checkpoint(ctx context.Context) (walFrames, copied int, err error) {
	var busy int
	err = db.read.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &walFrames, &copied)
	return walFrames, copied, err
}

package store

import (
	"io/fs"
	"time"
)

// SetCheckpointQuiet shortens the idle checkpointer's wait for databases
// opened from now on, for tests that watch a checkpoint happen, and
// returns what puts it back.
func SetCheckpointQuiet(d time.Duration) (restore func()) {
	saved := checkpointQuiet
	checkpointQuiet = d
	return func() { checkpointQuiet = saved }
}

// SetMigrations replaces the schema's steps for databases opened from now
// on, for tests of the migration runner, and returns what puts them back.
func SetMigrations(steps fs.FS) (restore func()) {
	saved := migrations
	migrations = steps
	return func() { migrations = saved }
}

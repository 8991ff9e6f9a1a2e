package store

import "time"

// SetCheckpointQuiet shortens the idle checkpointer's wait for databases
// opened from now on, for tests that watch a checkpoint happen, and
// returns what puts it back.
func SetCheckpointQuiet(d time.Duration) (restore func()) {
	saved := checkpointQuiet
	checkpointQuiet = d
	return func() { checkpointQuiet = saved }
}

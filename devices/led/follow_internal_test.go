package led

import (
	"testing"

	"hallq/queue/store"
)

// The follower reads the whole hall only for events that can change a
// window display: issuing a ticket at a kiosk, a print, a rating or a
// device's health (its own OnHealth reports among them) must not cost a
// snapshot; nor an event its last snapshot already holds.
func TestFollowerWakesOnlyForWhatMovesADisplay(t *testing.T) {
	f := &Follower{seq: 10}
	for _, c := range []struct {
		seq  int64
		typ  string
		wake bool
	}{
		{9, "call", false},           // already in the last snapshot
		{10, "window_paused", false}, // likewise
		{11, "issued", false},
		{12, "device_offline", false}, // the follower's own health report
		{14, "printed", false},
		{13, "call", true},
		{15, "finish", true},
		{16, "window_open", true},
		{17, "rated", false},
		{18, "print_failed", false},
	} {
		if got := f.wakes(store.Event{Seq: c.seq, Type: c.typ}); got != c.wake || f.seq != 10 {
			t.Errorf("event %d %s: wake %v, seq %d; want %v, 10", c.seq, c.typ, got, f.seq, c.wake)
		}
	}
}

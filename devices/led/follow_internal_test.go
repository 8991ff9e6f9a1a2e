package led

import (
	"testing"

	"hallq/queue/store"
)

// The follower reads the whole hall only for events that can change a
// window display: issuing a ticket at a kiosk, a print, a rating or a
// device's health (its own OnHealth reports among them) must not cost a
// snapshot, and such events move the followed sequence on so the outbox
// poll does not read them again.
func TestFollowerWakesOnlyForWhatMovesADisplay(t *testing.T) {
	f := &Follower{seq: 10}
	for _, c := range []struct {
		seq  int64
		typ  string
		wake bool
		seq2 int64 // f.seq after
	}{
		{9, "call", false, 10},            // already in the last snapshot
		{10, "window_paused", false, 10},  // likewise
		{11, "issued", false, 11},         // next in line, moves nothing
		{12, "device_offline", false, 12}, // the follower's own health report
		{14, "printed", false, 12},        // 13 not seen yet: the poll must still read it
		{13, "call", true, 12},
		{15, "finish", true, 12},
		{16, "window_open", true, 12},
		{17, "rated", false, 12},
	} {
		if got := f.wakes(store.Event{Seq: c.seq, Type: c.typ}); got != c.wake || f.seq != c.seq2 {
			t.Errorf("event %d %s: wake %v, seq %d; want %v, %d", c.seq, c.typ, got, f.seq, c.wake, c.seq2)
		}
	}
}

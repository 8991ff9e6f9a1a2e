package led

import (
	"context"
	"strings"
	"time"

	"hallq/assets/i18n"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// Follower keeps the window displays in step with the hall: each shows
// its window's called number (flashing), the number being served, 暂停服务
// when the window is paused or closed, or a greeting when idle. It reacts
// to the node's events and resends everything every Resync, so a display
// that was unplugged and came back blank, or an event the bus dropped, is
// put right.
type Follower struct {
	Node   *hall.Node
	Bus    *Bus
	Addr   map[int]byte // window number → display address
	Resync time.Duration
	// OnHealth hears when a window's display stops answering (err set)
	// and when it answers again (err nil), once per change, so the hall
	// records a device-health event, not one per retry. nil ignores it.
	OnHealth func(window int, addr byte, err error)

	shown  map[int]string // window → what its display took last
	failed map[int]string // window → what it failed to take (retried at resync)
	down   map[int]bool
	seq    int64 // the outbox sequence the displays follow
}

// Text returns what a window's display shows and how.
func Text(w hall.SnapshotWindow) (string, byte) {
	switch {
	case w.State != "open":
		return i18n.T(i18n.ZH, "web.led.paused"), Static
	case w.Current != nil && w.Current.State == "called":
		return i18n.T(i18n.ZH, "web.led.called", w.Current.Number), Flash
	case w.Current != nil:
		return i18n.T(i18n.ZH, "web.led.serving", w.Current.Number), Static
	}
	return i18n.T(i18n.ZH, "web.led.idle"), Scroll
}

// Run follows the hall until ctx ends or the node closes.
func (f *Follower) Run(ctx context.Context) error {
	if f.Resync == 0 {
		f.Resync = 5 * time.Second
	}
	f.shown, f.failed, f.down = map[int]string{}, map[int]string{}, map[int]bool{}
	events, stop := f.Node.Subscribe()
	defer stop()
	tick := time.NewTicker(f.Resync)
	defer tick.Stop()
	f.update(ctx)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-events:
			if !ok {
				return nil
			}
			// A burst (a sweep, several windows at once) is one update.
			wake := f.wakes(e)
			for drained := false; !drained; {
				select {
				case e, ok := <-events:
					if !ok {
						return nil
					}
					wake = f.wakes(e) || wake
				default:
					drained = true
				}
			}
			if !wake {
				continue
			}
		case <-tick.C:
			// Resend all: a display may have restarted blank.
			f.shown, f.failed = map[int]string{}, map[int]string{}
		}
		f.update(ctx)
	}
}

// wakes reports whether e calls for a snapshot read. Not when the last
// snapshot already holds it, and not for an event that cannot change what
// a window display shows (a ticket issued, printed or rated, a device's
// health): each update reads the whole hall (today's tickets included),
// and without this filter every ticket a kiosk issues cost one such read,
// and the follower's own health reports (OnHealth → DeviceEvent) woke it
// for another.
func (f *Follower) wakes(e store.Event) bool {
	if e.Seq <= f.seq {
		return false
	}
	switch {
	case e.Type == "issued", e.Type == "printed", e.Type == "print_failed", e.Type == "rated",
		strings.HasPrefix(e.Type, "device_"):
		return false
	}
	return true
}

// update sends each window's display what it should show, if it does not
// show it already. A display that failed to take a text is not tried
// again with the same text before the next resync: with retries, a dead
// display costs over a second per try, and the others must not wait for
// it at every call.
func (f *Follower) update(ctx context.Context) {
	snap, err := f.Node.Snapshot(ctx, 0)
	if err != nil {
		return
	}
	f.seq = snap.Seq
	for _, w := range snap.Windows {
		addr, ok := f.Addr[w.Number]
		if !ok {
			continue
		}
		text, mode := Text(w)
		key := string(rune(mode)) + text
		if f.shown[w.Number] == key || f.failed[w.Number] == key {
			continue
		}
		err := f.Bus.Show(ctx, addr, mode, text)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			delete(f.shown, w.Number)
			f.failed[w.Number] = key
		} else {
			f.shown[w.Number] = key
			delete(f.failed, w.Number)
		}
		if (err != nil) != f.down[w.Number] {
			f.down[w.Number] = err != nil
			if f.OnHealth != nil {
				f.OnHealth(w.Number, addr, err)
			}
		}
	}
}

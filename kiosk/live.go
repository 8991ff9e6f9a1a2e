package kiosk

import (
	"context"
)

// follow keeps part of the screen being built current while it is shown:
// for each value of the watch (a signal that the queue changed, the
// printer's new health) it reads what the screen shows (off the UI
// goroutine, one read at a time, so results arrive in order) and hands it
// to apply on the UI goroutine. apply must update widgets in place, not
// rebuild the screen: the citizen's scroll position and a choice being
// made stay as they are. Leaving the screen (any render) stops the watch
// and waits for its goroutine: nothing keeps running behind a screen that
// is gone, and a result already queued is dropped.
func follow[T, V any](k *Kiosk, watch func() (<-chan T, func()), read func(context.Context, T) (V, error), apply func(V, error)) {
	ch, unwatch := watch()
	ctx, cancel := context.WithCancel(context.Background())
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		for {
			var v T
			select {
			case <-ctx.Done():
				return
			case x, ok := <-ch:
				if !ok { // the backend closed
					return
				}
				v = x
			}
			rctx, rcancel := context.WithTimeout(ctx, k.opt.CallTimeout)
			r, err := read(rctx, v)
			rcancel()
			if ctx.Err() != nil {
				return
			}
			k.post(ctx, func() {
				if ctx.Err() != nil {
					return // the screen was left after the read
				}
				apply(r, err)
				k.relayout()
			})
		}
	}()
	k.onLeave(func() {
		cancel()
		unwatch()
		<-exited
	})
}

// post hands f to the UI goroutine: fyne.Do in production; in Inline
// mode (tests) the test takes it from k.inbox and runs it on its own
// goroutine, where the screens run, so an update is applied at a point
// the test chooses and never concurrently with a tap.
func (k *Kiosk) post(ctx context.Context, f func()) {
	if !k.opt.Inline {
		k.ui(f)
		return
	}
	select {
	case k.inbox <- f:
	case <-ctx.Done():
	}
}

// onLeave registers what to stop when the screen being built is left.
func (k *Kiosk) onLeave(f func()) {
	k.mu.Lock()
	k.leave = append(k.leave, f)
	k.mu.Unlock()
}

// leaveScreen stops what the shown screen follows.
func (k *Kiosk) leaveScreen() {
	k.mu.Lock()
	fs := k.leave
	k.leave = nil
	k.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// relayout re-lays out the screen after rows changed inside a scroll
// (the boxes around it do not notice); the scroll keeps its offset.
func (k *Kiosk) relayout() {
	if !k.building && k.w.Content() != nil {
		k.w.Content().Refresh()
	}
}

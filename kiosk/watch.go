package kiosk

import (
	"sync"

	"hallq/queue/hall/httpapi"
	"hallq/queue/store"
)

// queueStream reports whether events of a hall event stream (the names of
// httpapi.Stream) may change what the take-a-number list shows. Device
// health and ratings do not; tickets, calls, windows and the hall's
// configuration may change a count, an estimate or whether a service
// issues.
func queueStream(name string) bool {
	switch name {
	case "ticket", "call", "window", "hall":
		return true
	}
	return false
}

// queueSignals turns a node subscription into WatchQueue's coalescing
// signals. The returned stop ends the subscription and returns once the
// forwarding goroutine has ended: a screen that is left leaves nothing
// running.
func queueSignals(events <-chan store.Event, unsubscribe func()) (<-chan struct{}, func()) {
	out := make(chan struct{}, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer close(out)
		for e := range events { // closed by unsubscribe, or when the node closes
			if queueStream(httpapi.Stream(e.Type)) {
				signal(out)
			}
		}
	}()
	return out, sync.OnceFunc(func() {
		unsubscribe()
		<-exited
	})
}

// signal sends on a coalescing channel (capacity 1) without blocking: a
// signal already waiting stands for this one too.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// latest converts a stream of values into another, keeping only the
// newest unread one (capacity 1), as printjob.Subscribe does. stop ends
// the source and returns once the goroutine has ended.
func latest[T, U any](in <-chan T, unsubscribe func(), conv func(T) U) (<-chan U, func()) {
	out := make(chan U, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer close(out)
		for v := range in {
			select { // drop what the reader has not taken yet
			case <-out:
			default:
			}
			out <- conv(v) // the only sender, and the buffer is empty
		}
	}()
	return out, sync.OnceFunc(func() {
		unsubscribe()
		<-exited
	})
}

// never is a watch that sends nothing until stopped: a backend without
// the source (an Embedded without a printer in tests).
func never[T any]() (<-chan T, func()) {
	ch := make(chan T)
	return ch, sync.OnceFunc(func() { close(ch) })
}

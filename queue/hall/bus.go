package hall

import (
	"sync"

	"hallq/queue/store"
)

// bus fans committed events out to in-process subscribers (the kiosk's
// screens, the LAN event stream). A subscriber that falls behind loses
// events rather than slowing the hall: it can always re-read the outbox
// from the last sequence it saw.
type bus struct {
	mu   sync.Mutex
	subs map[chan store.Event]struct{}
}

// subscriberBuffer is how many events a subscriber may lag behind.
const subscriberBuffer = 256

// Subscribe returns a channel of events committed from now on, and a
// function that ends the subscription.
func (n *Node) Subscribe() (<-chan store.Event, func()) {
	ch := make(chan store.Event, subscriberBuffer)
	n.bus.mu.Lock()
	if n.bus.subs == nil {
		n.bus.subs = map[chan store.Event]struct{}{}
	}
	n.bus.subs[ch] = struct{}{}
	n.bus.mu.Unlock()
	return ch, func() {
		n.bus.mu.Lock()
		if _, ok := n.bus.subs[ch]; ok {
			delete(n.bus.subs, ch)
			close(ch)
		}
		n.bus.mu.Unlock()
	}
}

func (b *bus) publish(events []store.Event) {
	if len(events) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		for _, e := range events {
			select {
			case ch <- e:
			default: // lagging subscriber: it re-reads the outbox
			}
		}
	}
}

func (b *bus) closeAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		close(ch)
		delete(b.subs, ch)
	}
}

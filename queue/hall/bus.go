package hall

import (
	"context"
	"sync"
	"time"

	"hallq/queue/store"
)

// bus fans committed events out to in-process subscribers (the kiosk's
// screens, the LAN event stream). A subscriber that falls behind loses
// events rather than slowing the hall: it can always re-read the outbox
// from the last sequence it saw.
//
// Events other processes commit to the same file (the hallq command, a
// second program on the data directory) do not pass this bus by
// themselves; one watcher per node, started by the first subscription and
// stopped when the node closes, reads the outbox every WatchEvery and
// publishes what it finds (an indexed read that finds nothing when the
// hall is quiet). An event may therefore
// reach a subscriber twice (committed here and seen by the watcher before
// this process published it): subscribers take events as a signal to read,
// or skip sequences they have seen.
type bus struct {
	mu   sync.Mutex
	subs map[chan store.Event]struct{}
	last int64 // the highest sequence published

	watching bool
	stop     chan struct{} // closed when the node closes
	watched  sync.WaitGroup
}

// WatchEvery is how often the node reads the outbox for events committed
// by other processes, once anyone has subscribed.
const WatchEvery = time.Second

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
	if !n.bus.watching && n.bus.stop != nil {
		n.bus.watching = true
		n.bus.watched.Add(1)
		go n.watchOutbox(n.bus.stop)
	}
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
	if s := events[len(events)-1].Seq; s > b.last {
		b.last = s
	}
	for ch := range b.subs {
		for _, e := range events {
			select {
			case ch <- e:
			default: // lagging subscriber: it re-reads the outbox
			}
		}
	}
}

// watchOutbox publishes the events other processes commit, from the
// outbox's head when it starts, until stop closes.
func (n *Node) watchOutbox(stop <-chan struct{}) {
	defer n.bus.watched.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-stop
		cancel()
	}()
	var head int64
	if err := n.read(ctx, func(tx *store.Tx) (err error) { head, err = tx.LastSeq(); return err }); err == nil {
		n.bus.mu.Lock()
		n.bus.last = max(n.bus.last, head)
		n.bus.mu.Unlock()
	}
	tick := time.NewTicker(WatchEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		n.bus.mu.Lock()
		after := n.bus.last
		n.bus.mu.Unlock()
		if evs, err := n.Events(ctx, after, 1000); err == nil && len(evs) > 0 {
			events := make([]store.Event, len(evs))
			for i, e := range evs {
				events[i] = e.Event
			}
			n.bus.publish(events)
		}
	}
}

func (b *bus) closeAll() {
	b.mu.Lock()
	if b.stop != nil {
		close(b.stop)
		b.stop = nil
	}
	b.mu.Unlock()
	b.watched.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs {
		close(ch)
		delete(b.subs, ch)
	}
}

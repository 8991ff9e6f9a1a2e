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
// hall is quiet). The watcher keeps its own cursor: it reads every event
// after the last one it read, and leaves out those this process has
// published itself. One can still reach a subscriber twice (committed
// here and read by the watcher before this process published it), so
// subscribers take events as a signal to read, or skip sequences they
// have seen.
type bus struct {
	mu   sync.Mutex
	subs map[chan store.Event]struct{}
	// own holds, while the watcher runs, the sequences this process
	// published that the watcher has not read past yet.
	own map[int64]struct{}

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

// publish sends the events this process committed.
func (b *bus) publish(events []store.Event) {
	if len(events) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.watching {
		if b.own == nil {
			b.own = map[int64]struct{}{}
		}
		for _, e := range events {
			b.own[e.Seq] = struct{}{}
		}
	}
	b.send(events)
}

// send hands events to every subscriber; b.mu is held.
func (b *bus) send(events []store.Event) {
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
	var after int64 // the last sequence the watcher read
	for {
		err := n.read(ctx, func(tx *store.Tx) (err error) { after, err = tx.LastSeq(); return err })
		if err == nil {
			break
		}
		select {
		case <-stop:
			return
		case <-time.After(WatchEvery):
		}
	}
	tick := time.NewTicker(WatchEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		for {
			evs, err := n.Events(ctx, after, watchBatch)
			if err != nil || len(evs) == 0 {
				break
			}
			after = evs[len(evs)-1].Seq
			n.bus.publishOthers(evs, after)
			if len(evs) < watchBatch {
				break
			}
		}
	}
}

// watchBatch is how many events the watcher reads at once.
const watchBatch = 1000

// publishOthers sends the events the watcher read, leaving out those this
// process published itself, and forgets its own up to upto.
func (b *bus) publishOthers(evs []store.OutboxEvent, upto int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var others []store.Event
	for _, e := range evs {
		if _, mine := b.own[e.Seq]; !mine {
			others = append(others, e.Event)
		}
	}
	for s := range b.own {
		if s <= upto {
			delete(b.own, s)
		}
	}
	b.send(others)
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

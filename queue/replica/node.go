package replica

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"hallq/queue/store"
)

// Transport carries the node's requests to the centre: HTTP in production
// (HTTPClient), direct calls with injected faults in the simulation.
type Transport interface {
	Push(ctx context.Context, req *PushRequest) (*PushResponse, error)
	Feed(ctx context.Context, stream string, after int64, limit int) (*FeedResponse, error)
	Snapshot(ctx context.Context, stream string) (*Snapshot, error)
}

// Syncer replicates one hall database: it pushes the outbox up and pulls
// the hall's and the global streams down. Every step is a transaction on
// the node and an idempotent request to the centre, so a crash or a lost
// answer at any point is repaired by doing the step again.
type Syncer struct {
	DB        *store.DB
	T         Transport
	Hall      string           // the hall id at the centre
	Now       func() time.Time // node clock: ack times, retention, skew estimate only
	Retention time.Duration    // how long acknowledged outbox rows stay (default 7 days)
	// Backoff bounds of retries after a failure (default 200ms..30s), with
	// full jitter; PollEvery is how often an idle loop looks again (1s).
	MinBackoff, MaxBackoff, PollEvery time.Duration
	// WatchdogAfter: with events pending and no acknowledgement for this
	// long, the watchdog reports and resets the transport (default 1 min).
	WatchdogAfter time.Duration
	Log           func(format string, args ...any)

	mu       sync.Mutex
	behind   map[string]int64 // per epoch: 1 + the centre's high-water mark when it is behind our ack
	skewMS   int64
	stats    Stats
	rnd      *rand.Rand
	notifyCh chan struct{}
}

// Stats are what a syncer did, for tests and the status page.
type Stats struct {
	Pushed, Acked, Pulled, Resets, Kept, Quarantined int64
	ChecksumMismatches, WatchdogTrips, Pruned, Forks int64
	LastError                                        string
}

// Stats returns a copy of the counters.
func (s *Syncer) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Syncer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Syncer) logf(format string, args ...any) {
	if s.Log != nil {
		s.Log(format, args...)
	}
}

// ErrChecksum reports that the centre's running checksum of the stream
// differs from the node's: the same sequence holds different events.
var ErrChecksum = errors.New("replica: checksum mismatch")

// PushOnce sends one batch of the outbox after the acknowledged point and
// records the answer. idle is true when there was nothing to send.
//
// The outbox may hold several epochs (the database was copied or
// restored, see store.Tx.ForkEpoch): the oldest unacknowledged row's epoch
// goes first, each epoch its own stream at the centre.
func (s *Syncer) PushOnce(ctx context.Context) (idle bool, err error) {
	var node, epoch string
	var st store.PushState
	var evs []store.OutboxEvent
	var from int64
	s.mu.Lock()
	skew := s.skewMS
	s.mu.Unlock()
	err = s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if node, err = tx.Meta(store.MetaNodeID); err != nil {
			return err
		}
		if epoch, err = tx.Meta(store.MetaEpoch); err != nil {
			return err
		}
		e, _, pending, err := tx.OldestPending()
		if err != nil {
			return err
		}
		if pending {
			epoch = e
		}
		s.mu.Lock()
		from = s.behind[epoch]
		s.mu.Unlock()
		if !pending && from == 0 {
			return nil // idle: every row acknowledged, no resend asked for
		}
		if st, err = tx.PushState(epoch); err != nil {
			return err
		}
		after := st.Acked
		if from > 0 && from-1 < after {
			after = from - 1
		}
		evs, err = tx.Events(after, MaxBatch)
		return err
	})
	if err != nil {
		return false, err
	}
	req := &PushRequest{Node: node, Epoch: epoch, StartSeq: st.StartSeq, Skew: skew}
	for _, e := range evs {
		if e.Epoch != epoch {
			break // the next epoch's rows: its own stream, its own push
		}
		req.Events = append(req.Events, e.Event)
	}
	if len(req.Events) == 0 && from == 0 {
		return true, nil
	}
	t0 := s.now()
	req.SentAt = t0
	resp, err := s.T.Push(ctx, req)
	if err != nil {
		return false, err
	}
	t1 := s.now()
	s.mu.Lock()
	s.stats.Pushed += int64(len(req.Events))
	s.stats.Quarantined += int64(len(resp.Quarantined))
	// Centre minus node at the midpoint of the round trip.
	s.skewMS = resp.ServerTime.Sub(t0.Add(t1.Sub(t0) / 2)).Milliseconds()
	s.mu.Unlock()
	for _, q := range resp.Quarantined {
		s.logf("replica: centre quarantined event %d: %s", q.Seq, q.Reason)
	}
	if resp.Conflict > 0 {
		return false, s.fork(ctx, epoch, resp.Conflict)
	}
	return len(req.Events) == 0, s.ack(ctx, epoch, st.Acked, req.Events, resp)
}

// fork gives this database's events from seq on a new epoch: the centre
// holds other events under the same keys, written by the database this
// one was copied from.
func (s *Syncer) fork(ctx context.Context, epoch string, seq int64) error {
	var fresh string
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		fresh, err = tx.ForkEpoch(epoch, seq)
		return err
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.stats.Forks++
	delete(s.behind, epoch)
	s.mu.Unlock()
	s.logf("replica: the centre holds other events of epoch %s from %d on (a copied or restored database); they go up as epoch %s", epoch, seq, fresh)
	return nil
}

// ack moves the acknowledged point to the centre's high-water mark, but
// never past the last event this push sent (sent, in order; acked before
// it when it sent none): the centre may hold more of this epoch only if
// another copy of the database wrote it, and those are not this node's
// events. The acknowledged events are added to the node's checksum in the
// same transaction.
func (s *Syncer) ack(ctx context.Context, epoch string, acked int64, sent []Event, resp *PushResponse) error {
	last := acked
	if n := len(sent); n > 0 {
		last = sent[n-1].Seq
	}
	var mismatch bool
	var behind int64
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		st, err := tx.PushState(epoch)
		if err != nil {
			return err
		}
		if resp.HighWater < st.Acked {
			behind = resp.HighWater + 1
			return nil
		}
		behind = 0
		upto := min(resp.HighWater, max(last, st.Acked))
		if upto == st.Acked {
			mismatch = upto == resp.HighWater && (resp.Count != st.Count || resp.Sum != st.Sum)
			return nil
		}
		// The events to add are the ones this push just sent: a push sends
		// the run of its epoch after the acknowledged point (st.Acked only
		// moves forward, and upto is at most the last one sent), so they
		// cover st.Acked+1..upto. This write transaction holds the hall's
		// only writer (a ticket being issued waits for it), so it checks
		// that the outbox still holds them under this epoch instead of
		// reading and decoding them again.
		if len(sent) == 0 {
			return fmt.Errorf("replica: the centre acknowledged %d..%d of a push that sent nothing", st.Acked+1, upto)
		}
		i, k := st.Acked+1-sent[0].Seq, upto-st.Acked
		if i < 0 || i+k > int64(len(sent)) {
			return fmt.Errorf("replica: the push sent %d..%d, not the %d..%d the centre acknowledged", sent[0].Seq, last, st.Acked+1, upto)
		}
		if ok, err := tx.OutboxHolds(epoch, st.Acked+1, upto); err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("replica: outbox no longer holds events %d..%d of epoch %s to acknowledge", st.Acked+1, upto, epoch)
			}
			return err
		}
		for j, e := range sent[i : i+k] {
			if e.Seq != st.Acked+1+int64(j) {
				return fmt.Errorf("replica: the push sent event %d where %d was due", e.Seq, st.Acked+1+int64(j))
			}
			st.Count++
			st.Sum += EventHash(e)
		}
		// Below the centre's high-water mark there is no checksum to compare;
		// the centre compared each repeated event's hash instead.
		mismatch = upto == resp.HighWater && (resp.Count != st.Count || resp.Sum != st.Sum)
		n := upto - st.Acked
		st.Acked = upto
		if err := tx.AckPush(st, s.now()); err != nil {
			return err
		}
		s.mu.Lock()
		s.stats.Acked += n
		s.mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	if s.behind == nil {
		s.behind = map[string]int64{}
	}
	if behind > 0 {
		s.behind[epoch] = behind
	} else {
		delete(s.behind, epoch)
	}
	if mismatch {
		s.stats.ChecksumMismatches++
	}
	s.mu.Unlock()
	if behind > 0 {
		s.logf("replica: centre holds only up to %d; resending", behind-1)
	}
	if mismatch {
		return fmt.Errorf("%w: centre has %d events, sum %d at %d", ErrChecksum, resp.Count, resp.Sum, resp.HighWater)
	}
	return nil
}

// Prune drops acknowledged outbox rows older than the retention period.
func (s *Syncer) Prune(ctx context.Context) (int64, error) {
	ret := s.Retention
	if ret == 0 {
		ret = 7 * 24 * time.Hour
	}
	var n int64
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.PruneAcked(s.now().Add(-ret))
		return err
	})
	s.mu.Lock()
	s.stats.Pruned += n
	s.mu.Unlock()
	return n, err
}

// Streams returns the download streams of this hall.
func (s *Syncer) Streams() []string { return []string{HallStream(s.Hall), GlobalStream} }

// PullOnce applies the next changes of a stream; n is how many.
func (s *Syncer) PullOnce(ctx context.Context, stream string) (n int, err error) {
	var cur store.Cursor
	if err := s.DB.Read(ctx, func(tx *store.Tx) error {
		cur, err = tx.Cursor(stream)
		return err
	}); err != nil {
		return 0, err
	}
	resp, err := s.T.Feed(ctx, stream, cur.Seq, 500)
	if err != nil {
		return 0, err
	}
	if resp.Reset {
		return 0, s.Reset(ctx, stream)
	}
	var broken bool
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		now, err := tx.Cursor(stream)
		if err != nil {
			return err
		}
		if now != cur {
			return nil // another puller moved it; look again
		}
		for _, c := range resp.Changes {
			if c.Seq <= cur.Seq {
				continue
			}
			if c.Seq != cur.Seq+1 || c.Count != cur.Count+1 || c.Sum != cur.Sum+ChangeHash(c) {
				broken = true
				break
			}
			if err := s.apply(tx, stream, c); err != nil {
				return err
			}
			cur = store.Cursor{Seq: c.Seq, Count: c.Count, Sum: c.Sum}
			n++
		}
		return tx.PutCursor(stream, cur)
	})
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.stats.Pulled += int64(n)
	s.mu.Unlock()
	if broken {
		s.logf("replica: stream %s does not follow from cursor %d; resetting from a snapshot", stream, cur.Seq)
		return n, s.Reset(ctx, stream)
	}
	return n, nil
}

// apply applies one change, keeping what it cannot understand.
func (s *Syncer) apply(tx *store.Tx, stream string, c Change) error {
	if c.Schema <= SchemaMax {
		known, err := tx.ApplyChange(c.Type, c.Data)
		if known && err == nil {
			return nil
		}
		if known {
			s.logf("replica: change %s/%d (%s) does not apply, kept: %v", stream, c.Seq, c.Type, err)
		}
	}
	s.mu.Lock()
	s.stats.Kept++
	s.mu.Unlock()
	return tx.KeepUnknown(store.KeptChange{Stream: stream, Seq: c.Seq, Type: c.Type, Schema: c.Schema, Data: c.Data})
}

// Reset replaces what the node holds of a stream with the centre's
// snapshot and moves the cursor to it, in one transaction. The outbox and
// the events are not touched.
func (s *Syncer) Reset(ctx context.Context, stream string) error {
	snap, err := s.T.Snapshot(ctx, stream)
	if err != nil {
		return err
	}
	err = s.DB.Write(ctx, func(tx *store.Tx) error {
		if stream != GlobalStream {
			if err := tx.ResetCases(); err != nil {
				return err
			}
		}
		for _, c := range snap.Changes {
			if err := s.apply(tx, stream, c); err != nil {
				return err
			}
		}
		return tx.PutCursor(stream, store.Cursor{Seq: snap.Seq, Count: snap.Count, Sum: snap.Sum})
	})
	if err == nil {
		s.mu.Lock()
		s.stats.Resets++
		s.mu.Unlock()
	}
	return err
}

// Once pushes until the outbox is acknowledged and pulls until every
// stream is caught up. A failing push does not keep the downloads from
// being tried: downloads never wait for uploads.
func (s *Syncer) Once(ctx context.Context) error {
	var errs []error
	for {
		idle, err := s.PushOnce(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("push: %w", err))
			break
		}
		if idle {
			break
		}
	}
	for _, st := range s.Streams() {
		for {
			n, err := s.PullOnce(ctx, st)
			if err != nil {
				errs = append(errs, fmt.Errorf("pull %s: %w", st, err))
				break
			}
			if n == 0 {
				break
			}
		}
	}
	if _, err := s.Prune(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Notify wakes the push loop after a local write; the loop also polls, so
// a missed notification only costs PollEvery.
func (s *Syncer) Notify() {
	s.mu.Lock()
	ch := s.notifyCh
	s.mu.Unlock()
	if ch != nil {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (s *Syncer) backoff(attempt int) time.Duration {
	lo, hi := s.MinBackoff, s.MaxBackoff
	if lo == 0 {
		lo = 200 * time.Millisecond
	}
	if hi == 0 {
		hi = 30 * time.Second
	}
	d := lo << min(attempt, 20)
	if d > hi || d <= 0 {
		d = hi
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rnd == nil {
		s.rnd = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	}
	// Full jitter, never below lo: halls that failed together retry apart.
	return lo + time.Duration(s.rnd.Int64N(int64(d-lo)+1))
}

func (s *Syncer) setErr(err error) {
	s.mu.Lock()
	if err != nil {
		s.stats.LastError = err.Error()
	} else {
		s.stats.LastError = ""
	}
	s.mu.Unlock()
}

func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-wake:
	}
}

// Follow replicates until ctx ends: a push loop, a pull loop per stream
// (downloads never wait for uploads), a pruner and a watchdog. Failures
// retry with backoff and jitter on their own timer, never waiting for a
// new local write.
func (s *Syncer) Follow(ctx context.Context) error {
	poll := s.PollEvery
	if poll == 0 {
		poll = time.Second
	}
	wake := make(chan struct{}, 1)
	s.mu.Lock()
	s.notifyCh = wake
	s.mu.Unlock()
	var wg sync.WaitGroup
	wg.Go(func() {
		attempt := 0
		for ctx.Err() == nil {
			idle, err := s.PushOnce(ctx)
			s.setErr(err)
			switch {
			case err != nil:
				s.logf("replica: push: %v", err)
				sleep(ctx, s.backoff(attempt), nil)
				attempt++
			case idle:
				attempt = 0
				sleep(ctx, poll, wake)
			default:
				attempt = 0
			}
		}
	})
	for _, st := range s.Streams() {
		wg.Go(func() {
			attempt := 0
			for ctx.Err() == nil {
				n, err := s.PullOnce(ctx, st)
				switch {
				case err != nil:
					s.logf("replica: pull %s: %v", st, err)
					sleep(ctx, s.backoff(attempt), nil)
					attempt++
				case n == 0:
					attempt = 0
					sleep(ctx, poll, nil)
				default:
					attempt = 0
				}
			}
		})
	}
	wg.Go(func() { s.watchdog(ctx, poll) })
	wg.Wait()
	return ctx.Err()
}

// Resetter is a transport that can drop its connections, which the
// watchdog does when the outbox stops shrinking.
type Resetter interface{ Reset() }

func (s *Syncer) watchdog(ctx context.Context, poll time.Duration) {
	after := s.WatchdogAfter
	if after == 0 {
		after = time.Minute
	}
	// Progress is the oldest unacknowledged row moving on; new local
	// writes do not count, so a stuck connection is seen under load too.
	var lastOldest int64 = -1
	since := s.now()
	tick := min(after/2, time.Minute)
	var pruneAt time.Time
	for ctx.Err() == nil {
		sleep(ctx, tick, nil)
		// One indexed look-up a tick; the pending rows are counted only for
		// the message when the watchdog trips (after a three-day outage
		// they are a 150,000-row scan).
		var oldest int64
		var pending bool
		err := s.DB.Read(ctx, func(tx *store.Tx) error {
			var err error
			_, oldest, pending, err = tx.OldestPending()
			return err
		})
		if err != nil {
			continue
		}
		if oldest != lastOldest || !pending {
			lastOldest, since = oldest, s.now()
		} else if s.now().Sub(since) >= after {
			var count int64
			s.DB.Read(ctx, func(tx *store.Tx) error {
				var err error
				count, err = tx.OutboxPending()
				return err
			})
			s.mu.Lock()
			s.stats.WatchdogTrips++
			s.mu.Unlock()
			s.logf("replica: watchdog: %d events pending and nothing acknowledged for %s; resetting the connection", count, s.now().Sub(since).Round(time.Second))
			if r, ok := s.T.(Resetter); ok {
				r.Reset()
			}
			s.Notify()
			since = s.now()
		}
		if s.now().After(pruneAt) {
			if _, err := s.Prune(ctx); err != nil {
				s.logf("replica: prune: %v", err)
			}
			pruneAt = s.now().Add(time.Hour)
		}
	}
}

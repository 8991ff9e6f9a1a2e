package display

import (
	"context"
	"time"

	"hallq/queue/hall/httpapi"
)

// Feed keeps a Model following a hall node's event stream: it connects,
// takes the snapshot the stream starts with, applies events, and when the
// stream drops it marks the model lost and reconnects with backoff,
// resuming after the last event it saw (Last-Event-ID). It re-reads the
// waiting counts when events made them stale.
type Feed struct {
	Client *httpapi.Client
	Model  *Model
	// OnChange gets the state after each change (from the feed's
	// goroutines: a UI must hand it to its own thread).
	OnChange func(State)
	// OnCall gets each call to announce, in stream order.
	OnCall func(Call)
	Logf   func(string, ...any)

	// Stream sets the stream's backoff and silence watchdog
	// (httpapi.FollowOptions, whose defaults apply); Run fills in Down,
	// Logf and Name.
	Stream httpapi.FollowOptions
	// CountsDelay gathers a burst of ticket events into one read of the
	// waiting counts; 300 ms.
	CountsDelay time.Duration
}

// defaults fills CountsDelay; the stream's own settings go to
// httpapi.Client.Follow as they are, which has their defaults.
func (f *Feed) defaults() {
	if f.CountsDelay == 0 {
		f.CountsDelay = 300 * time.Millisecond
	}
	if f.Logf == nil {
		f.Logf = func(string, ...any) {}
	}
	if f.OnChange == nil {
		f.OnChange = func(State) {}
	}
	if f.OnCall == nil {
		f.OnCall = func(Call) {}
	}
}

// Run follows the stream until ctx ends (httpapi.Client.Follow: resume,
// silence watchdog, backoff with jitter).
func (f *Feed) Run(ctx context.Context) {
	f.defaults()
	kick := make(chan struct{}, 1)
	go f.counts(ctx, kick)
	down := func(error) {
		f.Model.Disconnected()
		f.OnChange(f.Model.State())
	}
	o := f.Stream
	o.Down, o.Logf, o.Name = down, f.Logf, "display"
	f.Client.Follow(ctx, -1, o,
		func(m httpapi.StreamMessage) error {
			calls, changed, err := f.Model.Apply(m)
			if err != nil {
				f.Logf("display: %v", err) // one bad message does not drop the stream
			}
			for _, c := range calls {
				f.OnCall(c)
			}
			if changed {
				f.OnChange(f.Model.State())
			}
			if _, stale := f.Model.Stale(); stale {
				select {
				case kick <- struct{}{}:
				default:
				}
			}
			return nil
		})
}

// counts re-reads the waiting counts after events made them stale, until
// they are fresh.
func (f *Feed) counts(ctx context.Context, kick <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
		}
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(f.CountsDelay):
			}
			gen, stale := f.Model.Stale()
			if !stale {
				break
			}
			rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			qs, err := f.Client.QueueState(rctx)
			cancel()
			if err != nil {
				break // the stream's reconnect brings a snapshot with counts
			}
			f.Model.SetCounts(gen, qs)
			f.OnChange(f.Model.State())
		}
	}
}

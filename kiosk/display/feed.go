package display

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
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

	MinBackoff, MaxBackoff time.Duration // 500 ms and 30 s by default
	// Silence: a stream that sends nothing (not even its 15 s heartbeat)
	// for this long is dropped, so a cut cable is noticed; 45 s.
	Silence time.Duration
	// CountsDelay gathers a burst of ticket events into one read of the
	// waiting counts; 300 ms.
	CountsDelay time.Duration
}

func (f *Feed) defaults() {
	if f.MinBackoff == 0 {
		f.MinBackoff = 500 * time.Millisecond
	}
	if f.MaxBackoff == 0 {
		f.MaxBackoff = 30 * time.Second
	}
	if f.Silence == 0 {
		f.Silence = 45 * time.Second
	}
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

// Run follows the stream until ctx ends.
func (f *Feed) Run(ctx context.Context) {
	f.defaults()
	kick := make(chan struct{}, 1)
	go f.counts(ctx, kick)
	last := int64(-1)
	backoff := f.MinBackoff
	failing := false
	for ctx.Err() == nil {
		sctx, cancel := context.WithCancel(ctx)
		var silent atomic.Bool
		watchdog := time.AfterFunc(f.Silence, func() { silent.Store(true); cancel() })
		var err error
		last, err = f.Client.Events(sctx, last, func(m httpapi.StreamMessage) error {
			watchdog.Reset(f.Silence)
			calls, changed, err := f.Model.Apply(m)
			if err != nil {
				f.Logf("display: %v", err) // one bad message does not drop the stream
			}
			if m.Event == "snapshot" {
				backoff = f.MinBackoff
				if failing {
					f.Logf("display: connected again to %s", f.Client.BaseURL)
					failing = false
				}
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
		watchdog.Stop()
		cancel()
		if ctx.Err() != nil {
			return
		}
		if silent.Load() {
			err = fmt.Errorf("nothing received for %s", f.Silence)
		}
		f.Model.Disconnected()
		f.OnChange(f.Model.State())
		if !failing {
			// Logged once per outage, not at every retry.
			f.Logf("display: event stream from %s ended (%v); reconnecting", f.Client.BaseURL, err)
			failing = true
		}
		var api *httpapi.APIError
		if errors.As(err, &api) && (api.Status == http.StatusUnauthorized || api.Status == http.StatusForbidden) {
			backoff = f.MaxBackoff // a wrong token will not heal in a second
		}
		// Jitter keeps a hall's displays from reconnecting in step.
		wait := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		backoff = min(2*backoff, f.MaxBackoff)
	}
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

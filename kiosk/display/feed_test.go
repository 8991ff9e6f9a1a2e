package display_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"hallq/kiosk/display"
	"hallq/queue/hall/httpapi"
)

// A hall node that answers and then goes quiet (a cut cable: no FIN, no
// heartbeat) is dropped after Silence, shown as lost, and reconnected,
// resuming after the last event seen.
func TestFeedDropsASilentStream(t *testing.T) {
	var conns atomic.Int32
	resumed := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := conns.Add(1)
		resumed <- r.Header.Get("Last-Event-ID")
		w.Header().Set("Content-Type", "text/event-stream")
		msg := snapshotMsg(41, "2026-11-30")
		fmt.Fprintf(w, "id: 41\nevent: snapshot\ndata: %s\n\n", msg.Data)
		w.(http.Flusher).Flush()
		if n > 1 {
			// The second connection stays healthy until the test ends.
			for {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
					fmt.Fprint(w, "event: heartbeat\ndata: {}\n\n")
					w.(http.Flusher).Flush()
				}
			}
		}
		<-r.Context().Done() // then silence
	}))
	defer srv.Close()
	states := make(chan display.State, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &display.Feed{Client: &httpapi.Client{BaseURL: srv.URL, Token: "hd_test"}, Model: display.NewModel(8),
		OnChange: func(s display.State) { states <- s }, Logf: t.Logf,
		Stream: httpapi.FollowOptions{Silence: 300 * time.Millisecond, MinBackoff: 10 * time.Millisecond}}
	go f.Run(ctx)
	w := watcher{ch: states}
	w.until(t, "live", func(s display.State) bool { return s.Conn == display.Live })
	w.until(t, "lost after the silence", func(s display.State) bool { return s.Conn == display.Lost })
	w.until(t, "live again", func(s display.State) bool { return s.Conn == display.Live })
	if first, second := <-resumed, <-resumed; first != "" || second != "41" {
		t.Fatalf("Last-Event-ID %q then %q, want none then 41", first, second)
	}
}

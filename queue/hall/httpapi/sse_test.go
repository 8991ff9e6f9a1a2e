package httpapi_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

// follow collects stream messages in a channel until ctx ends.
func follow(ctx context.Context, c *httpapi.Client, after int64) <-chan httpapi.StreamMessage {
	ch := make(chan httpapi.StreamMessage, 10000)
	go func() {
		defer close(ch)
		c.Events(ctx, after, func(m httpapi.StreamMessage) error {
			ch <- m
			return nil
		})
	}()
	return ch
}

func next(t *testing.T, ch <-chan httpapi.StreamMessage, skipHeartbeats bool) httpapi.StreamMessage {
	t.Helper()
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				t.Fatal("stream ended")
			}
			if skipHeartbeats && m.Event == "heartbeat" {
				continue
			}
			return m
		case <-time.After(5 * time.Second):
			t.Fatal("no stream message in 5 s")
		}
	}
}

func TestEventStreamSnapshotOrderAndResume(t *testing.T) {
	f := newFixture(t, httpapi.Options{Heartbeat: 200 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kiosk := f.device(t, "kiosk", 0)
	display := f.device(t, "display", 0)
	manager := f.user(t, "wang", "manager")
	kiosk.Issue(ctx, hall.IssueRequest{Service: "A"})
	manager.CallNext(ctx, 1, "", "")

	ch := follow(ctx, display, -1)
	m := next(t, ch, true)
	var snap hall.Snapshot
	if m.Event != "snapshot" || json.Unmarshal(m.Data, &snap) != nil {
		t.Fatalf("first message %s %s", m.Event, m.Data)
	}
	if snap.Windows[0].Current == nil || snap.Windows[0].Current.Number != "A001" || len(snap.RecentCalls) != 1 {
		t.Fatalf("snapshot: %+v", snap.Windows[0])
	}
	// A burst of 600 events, more than the bus buffers for a slow reader:
	// every one arrives once, in order.
	for i := 0; i < 300; i++ {
		kiosk.Issue(ctx, hall.IssueRequest{Service: "B"})
	}
	manager.Act(ctx, hall.ActRequest{Action: "start", Window: 1})
	manager.Act(ctx, hall.ActRequest{Action: "finish", Window: 1})
	v, _ := manager.CallNext(ctx, 3, "", "")
	last := snap.Seq
	sawCall, sawBeat := false, false
	for !sawCall {
		m := next(t, ch, false)
		if m.Event == "heartbeat" {
			sawBeat = true
			continue
		}
		id, _ := strconv.ParseInt(m.ID, 10, 64)
		if id != last+1 {
			t.Fatalf("after %d got %d (%s)", last, id, m.Event)
		}
		last = id
		if m.Event == "call" {
			var e httpapi.Event
			json.Unmarshal(m.Data, &e)
			if e.Ticket == nil || e.Ticket.Number != v.Number || e.Window != 3 {
				t.Fatalf("call event %s", m.Data)
			}
			sawCall = true
		}
	}
	time.Sleep(300 * time.Millisecond)
	for len(ch) > 0 {
		if (<-ch).Event == "heartbeat" {
			sawBeat = true
		}
	}
	if !sawBeat {
		t.Error("no heartbeat")
	}
	cancel()

	// Resume from an earlier id: the missed events, then a snapshot.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	ch2 := follow(ctx2, display, last-3)
	for want := last - 2; want <= last; want++ {
		m := next(t, ch2, true)
		if m.ID != strconv.FormatInt(want, 10) {
			t.Fatalf("replay: want %d, got %q %s", want, m.ID, m.Event)
		}
	}
	if m := next(t, ch2, true); m.Event != "snapshot" || m.ID != strconv.FormatInt(last, 10) {
		t.Fatalf("after replay: %s %s", m.Event, m.ID)
	}
}

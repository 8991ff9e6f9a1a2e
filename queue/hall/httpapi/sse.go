package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// recentCalls is how many past calls a snapshot lists.
const recentCalls = 10

// Event is one hall event as the stream sends it (the data of an SSE
// message; its id is Seq).
type Event struct {
	Seq      int64            `json:"seq"`
	Type     string           `json:"type"`
	TicketID string           `json:"ticket_id,omitempty"`
	Window   int              `json:"window,omitempty"`
	Actor    string           `json:"actor,omitempty"`
	At       time.Time        `json:"at"`
	Ticket   *hall.TicketView `json:"ticket,omitempty"` // the ticket after the change, for ticket events
	Data     json.RawMessage  `json:"data"`
}

// Stream names an event's SSE "event:" field: call (call and recall, what
// displays announce), ticket, window, device, rating or hall.
func Stream(typ string) string {
	switch typ {
	case "call", "recall":
		return "call"
	case "issued", "start", "finish", "no_show", "auto_no_show", "park", "return", "transfer", "rejoin", "cancel", "sweep", "printed", "print_failed":
		return "ticket"
	case "window_open", "window_paused", "window_closed", "window_sign_in", "window_sign_out":
		return "window"
	case "rated":
		return "rating"
	}
	// device_health (a device's own report), device_added, and the
	// health changes drivers record: device_offline, device_paper_out, ...
	if strings.HasPrefix(typ, "device_") {
		return "device"
	}
	return "hall"
}

// frame is an event ready to write.
type frame struct {
	seq int64
	b   []byte
}

func toFrame(e store.OutboxEvent, loc *time.Location) frame {
	ev := Event{Seq: e.Seq, Type: e.Type, TicketID: e.TicketID, Window: e.Window, Actor: e.Actor, At: e.At, Data: e.Data}
	if Stream(e.Type) == "ticket" || Stream(e.Type) == "call" {
		var t queue.Ticket
		raw := e.Data
		var wrapped struct {
			Ticket json.RawMessage `json:"ticket"`
		}
		if json.Unmarshal(raw, &wrapped) == nil && len(wrapped.Ticket) > 0 {
			raw = wrapped.Ticket
		}
		if json.Unmarshal(raw, &t) == nil && t.ID != "" {
			v := hall.View(t, loc)
			ev.Ticket = &v
		}
	}
	b, _ := json.Marshal(ev)
	return frame{seq: e.Seq, b: []byte(fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", e.Seq, Stream(e.Type), b))}
}

// hub reads committed events from the outbox once for all stream clients.
// The node's bus only wakes it (the bus drops events for a slow reader,
// and may repeat one): the hub always reads the outbox after the last
// sequence it holds, so it never skips or repeats one; events other
// processes (the hallq command) commit reach the bus through the node's
// outbox watcher. A read that fails is tried again after pullRetry, not
// left for the next commit, which a quiet hall may not make for a while.
// Clients wait on a channel that is closed at every change, so a slow
// client is never dropped: it reads what it missed from the ring, or from
// the outbox when the ring has moved past it.
type hub struct {
	node outbox
	loc  *time.Location
	log  *slog.Logger

	mu      sync.Mutex
	ring    []frame // consecutive sequences ending at last
	last    int64
	changed chan struct{}
	ready   chan struct{}
}

const ringSize = 4096

// outbox is what the hub reads: the hall node, or in a test one whose
// reads fail on purpose.
type outbox interface {
	Subscribe() (<-chan store.Event, func())
	Snapshot(ctx context.Context, recent int) (hall.Snapshot, error)
	Events(ctx context.Context, after int64, limit int) ([]store.OutboxEvent, error)
}

// pullRetry is how long the hub waits to read the outbox again after a
// read failed.
const pullRetry = time.Second

func newHub(node outbox, loc *time.Location, log *slog.Logger) *hub {
	return &hub{node: node, loc: loc, log: log, changed: make(chan struct{}), ready: make(chan struct{})}
}

func (h *hub) run(ctx context.Context) {
	sub, unsubscribe := h.node.Subscribe()
	defer unsubscribe()
	// The stream starts at the outbox's end. Until that is read no client
	// is served (they wait for ready): starting from 0 instead would read
	// the whole retained outbox into the ring.
	for said := false; ; said = true {
		snap, err := h.node.Snapshot(ctx, 0)
		if err == nil {
			h.mu.Lock()
			h.last = snap.Seq
			h.mu.Unlock()
			break
		}
		if !said {
			h.log.Error("event stream: reading where the outbox ends failed; retrying every second", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pullRetry):
		}
	}
	close(h.ready)
	// The node's bus also carries what other processes commit (its outbox
	// watcher), so the bus is the hub's only wake-up, with a retry timer
	// after a failed read.
	var retry <-chan time.Time
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-retry:
		case _, ok := <-sub:
			if !ok {
				return
			}
			// Take whatever else is queued, then read once.
			for drained := false; !drained; {
				select {
				case <-sub:
				default:
					drained = true
				}
			}
		}
		retry = nil
		err := h.pull(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			// Every stream stands still while this fails: said once, not
			// at every retry, and again when it reads again.
			if !failing {
				h.log.Error("event stream: reading the outbox failed; retrying every second", "err", err)
				failing = true
			}
			retry = time.After(pullRetry)
		case err == nil && failing:
			h.log.Info("event stream: reading the outbox again")
			failing = false
		}
	}
}

// pull reads the outbox after the last sequence the hub holds and wakes
// the clients; it returns the read's error, after keeping what it read
// before it.
func (h *hub) pull(ctx context.Context) error {
	h.mu.Lock()
	after := h.last
	h.mu.Unlock()
	var got []frame
	var err error
	for {
		var evs []store.OutboxEvent
		evs, err = h.node.Events(ctx, after, 1000)
		if err != nil || len(evs) == 0 {
			break
		}
		for _, e := range evs {
			got = append(got, toFrame(e, h.loc))
		}
		after = evs[len(evs)-1].Seq
		if len(evs) < 1000 {
			break
		}
	}
	if len(got) == 0 {
		return err
	}
	h.mu.Lock()
	h.ring = append(h.ring, got...)
	if len(h.ring) > ringSize {
		h.ring = append([]frame(nil), h.ring[len(h.ring)-ringSize:]...)
	}
	h.last = after
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
	return err
}

// since returns the frames after seq that the ring holds (ok false when the
// ring no longer reaches back to seq) and a channel closed at the next change.
func (h *hub) since(seq int64) (frames []frame, ok bool, changed <-chan struct{}) {
	h.mu.Lock()
	defer h.mu.Unlock()
	changed = h.changed
	if seq >= h.last {
		return nil, true, changed
	}
	if len(h.ring) == 0 || h.ring[0].seq > seq+1 {
		return nil, false, changed
	}
	i := int(seq + 1 - h.ring[0].seq)
	return append([]frame(nil), h.ring[i:]...), true, changed
}

// events is GET /api/v1/events, the hall's Server-Sent Events stream.
//
// On connect the client first gets the events it missed, when it sends
// Last-Event-ID (or ?after=), then a "snapshot" event with the whole state
// as of the snapshot's sequence, then every event after it in sequence
// order, without gaps or repeats, and a "heartbeat" event every Heartbeat.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	after := int64(-1)
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	if v != "" {
		// A garbled id must not read as 0: that would replay the whole
		// outbox to a client that wanted only what it missed.
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			s.writeError(w, r, apiErr(queue.CodeInvalid, "Last-Event-ID %q is not an event sequence", v))
			return
		}
		after = n
	}
	ctx := r.Context()
	select {
	case <-s.hub.ready:
	case <-ctx.Done():
		return
	}
	snap, err := s.node.Snapshot(ctx, recentCalls)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		_, err := w.Write(b)
		return err == nil
	}
	if !write([]byte("retry: 2000\n\n")) {
		return
	}
	cursor := after
	if after >= 0 && after < snap.Seq {
		// Replay what the client missed up to the snapshot, from the outbox.
		for cursor < snap.Seq {
			evs, err := s.node.Events(ctx, cursor, min(1000, int(snap.Seq-cursor)))
			if err != nil || len(evs) == 0 {
				break
			}
			for _, e := range evs {
				if !write(toFrame(e, s.loc).b) {
					return
				}
				cursor = e.Seq
			}
		}
	}
	sb, _ := json.Marshal(snap)
	if !write([]byte(fmt.Sprintf("id: %d\nevent: snapshot\ndata: %s\n\n", snap.Seq, sb))) {
		return
	}
	rc.Flush()
	cursor = snap.Seq
	beat := time.NewTicker(s.opts.Heartbeat)
	defer beat.Stop()
	for {
		frames, ok, changed := s.hub.since(cursor)
		if !ok {
			evs, err := s.node.Events(ctx, cursor, 1000)
			if err != nil {
				return
			}
			for _, e := range evs {
				frames = append(frames, toFrame(e, s.loc))
			}
		}
		for _, f := range frames {
			if f.seq != cursor+1 {
				// Never happens with a gap-free outbox; if it did, the
				// client must not think it saw what it did not.
				s.log.Error("event stream gap", "after", cursor, "got", f.seq)
			}
			if !write(f.b) {
				return
			}
			cursor = f.seq
		}
		if len(frames) > 0 {
			rc.Flush()
			if !ok {
				continue // more may wait in the outbox
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case t := <-beat.C:
			if !write([]byte(fmt.Sprintf("event: heartbeat\ndata: {\"at\":%q,\"seq\":%d}\n\n", t.UTC().Format(time.RFC3339), cursor))) {
				return
			}
			rc.Flush()
		}
	}
}

package display

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

// Call is one call of a number to a window.
type Call struct {
	Seq     int64     // the event's sequence; 0 when it came from a snapshot
	Ticket  string    // ticket id, to move a recalled number to the top
	Day     string    // business day
	Number  string    // A001
	Service string    // A
	Window  int       // 3
	Recall  bool      // a recall of a number already called
	At      time.Time // when it was called
}

// Service is one service's queue on the display: the snapshot's own
// type, so the snapshot's services are taken as they come.
type Service = hall.SnapshotService

// Conn is the state of the display's link to the hall node.
type Conn int

const (
	Connecting Conn = iota // no snapshot yet since start
	Live                   // following the event stream
	Lost                   // the stream dropped; showing the last state while reconnecting
)

func (c Conn) String() string { return [...]string{"connecting", "live", "lost"}[c] }

// State is what the display shows. Recent[0] is the number being called.
type State struct {
	Conn     Conn
	Hall     string // the hall's name
	Day      string
	Zone     *time.Location // the hall's time zone, for the clock; nil before the first snapshot
	Seq      int64          // the last event applied
	Recent   []Call
	Services []Service
}

// Current is the number being called, if any.
func (s State) Current() (Call, bool) {
	if len(s.Recent) == 0 {
		return Call{}, false
	}
	return s.Recent[0], true
}

// Model is the display's state, built from the hall's event stream: a
// snapshot (on every connect) sets it whole, and events after it change it.
// It knows no Fyne and no network, so it is tested with plain messages.
// Its methods are safe for concurrent use.
//
// Waiting counts are not in the events (a ticket event says what a ticket
// became, not what it was), so an event that may change them marks the
// counts stale and the feed re-reads them (Stale, SetCounts).
type Model struct {
	// Keep is how many calls the model keeps, the current one included.
	Keep int
	// ReplayAnnounce: a call the stream replays after a reconnect is
	// announced only when it is younger than this; older ones are shown
	// but not said, since the citizen has long gone to the window or been
	// recalled.
	ReplayAnnounce time.Duration
	Now            func() time.Time

	mu       sync.Mutex
	s        State
	live     bool   // a snapshot arrived on this connection
	staleGen uint64 // counts marked stale this many times
	fresh    uint64 // staleGen the counts were last read at
}

// NewModel returns an empty model keeping keep calls.
func NewModel(keep int) *Model {
	return &Model{Keep: keep, ReplayAnnounce: 30 * time.Second, Now: time.Now}
}

// State returns a copy of the state.
func (m *Model) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.s
	s.Recent = append([]Call(nil), m.s.Recent...)
	s.Services = append([]Service(nil), m.s.Services...)
	return s
}

// Disconnected records that the stream dropped. Calls that the stream
// replays before the next snapshot are announced only when recent.
func (m *Model) Disconnected() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.live = false
	if m.s.Conn == Live {
		m.s.Conn = Lost
	}
}

// Stale returns the generation of stale counts to pass to SetCounts, and
// whether the counts need reading.
func (m *Model) Stale() (gen uint64, stale bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.staleGen, m.staleGen != m.fresh
}

// SetCounts sets waiting counts read after Stale returned gen.
func (m *Model) SetCounts(gen uint64, qs []hall.ServiceState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	waiting := map[string]int{}
	for _, q := range qs {
		waiting[q.Service.Code] = q.Waiting
	}
	for i, sv := range m.s.Services {
		if n, ok := waiting[sv.Code]; ok {
			m.s.Services[i].Waiting = n
		}
	}
	m.fresh = max(m.fresh, gen)
}

// Apply applies one stream message. It returns the calls to announce and
// whether the state changed.
func (m *Model) Apply(msg httpapi.StreamMessage) (announce []Call, changed bool, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch msg.Event {
	case "heartbeat", "":
		return nil, false, nil
	case "snapshot":
		var snap hall.Snapshot
		if err := json.Unmarshal(msg.Data, &snap); err != nil {
			return nil, false, fmt.Errorf("display: snapshot: %w", err)
		}
		m.applySnapshot(snap)
		return nil, true, nil
	}
	var e httpapi.Event
	if err := json.Unmarshal(msg.Data, &e); err != nil {
		return nil, false, fmt.Errorf("display: %s event: %w", msg.Event, err)
	}
	if e.Seq <= m.s.Seq {
		return nil, false, nil // already in the state (a replay overlapping the snapshot)
	}
	m.s.Seq = e.Seq
	if e.Ticket != nil && e.Ticket.Day > m.s.Day {
		// The first ticket of a new business day: yesterday's calls go.
		m.s.Day, m.s.Recent = e.Ticket.Day, nil
		changed = true
	}
	switch msg.Event {
	case "call":
		if e.Ticket == nil {
			return nil, changed, fmt.Errorf("display: call event %d without its ticket", e.Seq)
		}
		c := Call{Seq: e.Seq, Ticket: e.Ticket.ID, Day: e.Ticket.Day, Number: e.Ticket.Number, Service: e.Ticket.Service,
			Window: e.Window, Recall: e.Type == "recall", At: e.At}
		if c.Window == 0 {
			c.Window = e.Ticket.Window
		}
		m.push(c)
		if !c.Recall {
			m.staleGen++ // the ticket left its queue
		}
		if m.live || m.Now().Sub(c.At) < m.ReplayAnnounce {
			announce = append(announce, c)
		}
		return announce, true, nil
	case "ticket":
		m.staleGen++
		return nil, changed, nil
	}
	return nil, changed, nil
}

func (m *Model) applySnapshot(snap hall.Snapshot) {
	s := State{Conn: Live, Hall: snap.HallName, Day: snap.Day, Seq: snap.Seq, Zone: m.s.Zone}
	// The snapshot's time carries the hall's offset (invariant 4: the
	// hall's zone, not the machine's, which may well be UTC).
	if at, err := time.Parse(time.RFC3339, snap.At); err == nil {
		s.Zone = at.Location()
	}
	s.Services = append([]Service(nil), snap.Services...)
	for _, t := range snap.RecentCalls {
		at, _ := time.Parse(time.RFC3339, t.CalledAt)
		s.Recent = append(s.Recent, Call{Ticket: t.ID, Day: t.Day, Number: t.Number, Service: t.Service,
			Window: t.Window, Recall: t.Recalls > 0, At: at})
	}
	if len(s.Recent) > m.Keep {
		s.Recent = s.Recent[:m.Keep]
	}
	m.s = s
	m.live = true
	m.fresh = m.staleGen // the snapshot's counts are current
}

// push puts c on top of the recent calls; a number called again (a recall,
// or a transfer called at another window) moves up instead of showing twice.
func (m *Model) push(c Call) {
	out := []Call{c}
	for _, r := range m.s.Recent {
		if r.Ticket != c.Ticket {
			out = append(out, r)
		}
	}
	if len(out) > m.Keep {
		out = out[:m.Keep]
	}
	m.s.Recent = out
}

package central

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"hallq/queue/replica"
)

// upgrades turn an event of schema v into schema v+1. Schema 0 is the
// event of nodes before versioning: the same record, without the version
// wrapper; it upgrades unchanged.
var upgrades = map[int]func(replica.Event) (replica.Event, error){
	0: func(e replica.Event) (replica.Event, error) { return e, nil },
}

// Upgrade brings an event to replica.SchemaMax.
func Upgrade(e replica.Event) (replica.Event, error) {
	if e.Schema > replica.SchemaMax {
		return e, fmt.Errorf("schema %d is newer than this centre's %d", e.Schema, replica.SchemaMax)
	}
	if e.Schema < replica.SchemaMin {
		return e, fmt.Errorf("schema %d is older than any this centre knows", e.Schema)
	}
	for e.Schema < replica.SchemaMax {
		up, ok := upgrades[e.Schema]
		if !ok {
			return e, fmt.Errorf("no upgrade from schema %d", e.Schema)
		}
		var err error
		if e, err = up(e); err != nil {
			return e, err
		}
		e.Schema++
	}
	return e, nil
}

// ticketRow is what the centre keeps of a ticket.
type ticketRow struct {
	ID         string     `json:"id"`
	Service    string     `json:"service"`
	Number     string     `json:"number"`
	State      string     `json:"state"`
	Window     int        `json:"window"`
	IssuedAt   time.Time  `json:"issued_at"`
	CalledAt   *time.Time `json:"called_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// derived collects a batch's changes to the derived tables, so each table
// gets one multi-row statement per batch.
type derived struct {
	hall, node, epoch string
	now               time.Time
	tickets           map[string]ticketRow
	ticketOrder       []string
	calls             [][]any
	ratings, devices  map[string][]any
	ratingOrder       []string
}

func newDerived(hall, node, epoch string, now time.Time) *derived {
	return &derived{hall: hall, node: node, epoch: epoch, now: now, tickets: map[string]ticketRow{}, devices: map[string][]any{}, ratings: map[string][]any{}}
}

// add derives from one event; a non-empty result is why the event is
// quarantined (it is stored and counted all the same).
func (d *derived) add(e replica.Event) string {
	e, err := Upgrade(e)
	if err != nil {
		return err.Error()
	}
	switch {
	case e.Type == "rating" || e.Type == "rated":
		// store.Rating: level 1..5 (score in early drafts).
		var r struct {
			TicketID string `json:"ticket_id"`
			Window   int    `json:"window"`
			Level    int    `json:"level"`
			Score    int    `json:"score"`
		}
		if err := json.Unmarshal(e.Data, &r); err != nil {
			return "rating: " + err.Error()
		}
		if r.Score == 0 {
			r.Score = r.Level
		}
		if r.Score < 1 || r.Score > 5 || r.TicketID == "" {
			return "rating: want ticket_id and a level of 1 to 5"
		}
		// One row per ticket and batch: PostgreSQL refuses to upsert a row twice in one statement.
		if _, ok := d.ratings[r.TicketID]; !ok {
			d.ratingOrder = append(d.ratingOrder, r.TicketID)
		}
		d.ratings[r.TicketID] = []any{d.hall, r.TicketID, int64(r.Window), int64(r.Score), e.At.UnixMilli()}
		return ""
	case strings.HasPrefix(e.Type, "device_"):
		var r struct {
			Device, Kind string
			State        json.RawMessage
		}
		if err := json.Unmarshal(e.Data, &r); err != nil || r.Device == "" {
			return "device event without a device"
		}
		d.devices[r.Device] = []any{d.hall, r.Device, r.Kind, deviceState(r.State), e.At.UnixMilli()}
		return ""
	case e.TicketID == "":
		return "" // stored only: hall and window changes, catalogue imports
	}
	var t ticketRow
	var wrapped struct {
		Ticket *ticketRow `json:"ticket"`
	}
	if err := json.Unmarshal(e.Data, &t); err != nil {
		return "ticket event: " + err.Error()
	}
	if t.ID == "" {
		if json.Unmarshal(e.Data, &wrapped) == nil && wrapped.Ticket != nil {
			t = *wrapped.Ticket
		}
	}
	if t.ID == "" {
		return "" // e.g. check_in names its ticket only
	}
	if t.ID != e.TicketID {
		return fmt.Sprintf("ticket event for %s carries ticket %s", e.TicketID, t.ID)
	}
	if _, ok := d.tickets[t.ID]; !ok {
		d.ticketOrder = append(d.ticketOrder, t.ID)
	}
	d.tickets[t.ID] = t
	if e.Type == "call" || e.Type == "recall" {
		d.calls = append(d.calls, []any{d.hall, d.node, d.epoch, e.Seq, t.ID, int64(e.Window), e.At.UnixMilli(), d.now.UnixMilli()})
	}
	return ""
}

// deviceState is the state column of a device event: the hall's drivers
// send an object ({"state":"paper_out","detail":...} from the printer, the
// paper counter on a restock), older ones a plain string. The summary word
// is kept when there is one, otherwise the object as JSON text, so no
// device event is quarantined for its shape.
func deviceState(raw json.RawMessage) string {
	var word string
	if json.Unmarshal(raw, &word) == nil {
		return word
	}
	var obj struct {
		State *string `json:"state"`
	}
	if json.Unmarshal(raw, &obj) == nil && obj.State != nil {
		return *obj.State
	}
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return string(raw)
}

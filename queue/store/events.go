package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// EventSchema is the version of the event data written by this program.
// The centre upgrades older versions on arrival (invariant 3 of DESIGN.md).
const EventSchema = 1

// Event is one state change of the hall, as recorded and replicated.
type Event struct {
	Seq      int64           `json:"seq"`  // the node's outbox sequence: gap-free, commit-ordered
	Type     string          `json:"type"` // issued, call, recall, start, finish, ...
	TicketID string          `json:"ticket_id,omitempty"`
	Window   int             `json:"window,omitempty"`
	Actor    string          `json:"actor,omitempty"` // kiosk:1, window:3, cli, system, device:printer
	At       time.Time       `json:"at"`
	Schema   int             `json:"schema"`
	Data     json.RawMessage `json:"data"` // the changed record after the change
}

// OutboxEvent is an event with the stream it belongs to.
type OutboxEvent struct {
	NodeID string `json:"node_id"`
	Epoch  string `json:"epoch"`
	Event
	Acked bool `json:"acked"`
}

// AppendEvent records an event and its outbox row in the current
// transaction and returns its sequence. The sequence is the events table's
// rowid, MAX(seq) + 1 under the write lock, and events are never deleted:
// sequences follow commit order and a rolled-back transaction leaves no
// gap. The outbox row comes from the events_outbox trigger (migration 0006)
// in the same statement.
func (t *Tx) AppendEvent(typ, ticketID string, window int, actor string, at time.Time, data any) (int64, error) {
	body, err := json.Marshal(data)
	if err != nil {
		return 0, fmt.Errorf("store: event %s: %w", typ, err)
	}
	// The rowid comes back as the last insert id (the outbox trigger's own
	// insert does not change it once the trigger ends), which costs less
	// than RETURNING on every event.
	res, err := t.exec("INSERT INTO events (type, ticket_id, window, actor, at, data) VALUES (?, ?, ?, ?, ?, ?)",
		typ, ticketID, window, actor, at.UnixMilli(), fmt.Sprintf(`{"v":%d,"record":%s}`, EventSchema, body))
	if err != nil {
		return 0, fmt.Errorf("store: event %s: %w", typ, err)
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("store: event %s: %w", typ, err)
	}
	return seq, nil
}

// lastSeqSQL reads the last outbox sequence handed out (0 for none).
const lastSeqSQL = "SELECT COALESCE(MAX(seq), 0) FROM events"

// LastSeq returns the last outbox sequence handed out (0 for none).
func (t *Tx) LastSeq() (int64, error) {
	var v int64
	if err := t.queryRow(lastSeqSQL).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: last seq: %w", err)
	}
	return v, nil
}

// NextSeq is the sequence the next AppendEvent of this transaction will
// get, by the rowid rule above: LastSeq + 1.
func (t *Tx) NextSeq() (int64, error) {
	last, err := t.LastSeq()
	return last + 1, err
}

// Events returns up to limit events of the outbox stream after seq, in order.
func (t *Tx) Events(after int64, limit int) ([]OutboxEvent, error) {
	node, err := t.Meta(MetaNodeID)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT e.seq, e.type, e.ticket_id, e.window, e.actor, e.at, e.data, o.epoch, o.acked_at
		FROM events e JOIN outbox o ON o.seq = e.seq WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	defer rows.Close()
	var out []OutboxEvent
	for rows.Next() {
		var e OutboxEvent
		var at int64
		var data string
		var acked sql.NullInt64
		if err := rows.Scan(&e.Seq, &e.Type, &e.TicketID, &e.Window, &e.Actor, &at, &data, &e.Epoch, &acked); err != nil {
			return nil, fmt.Errorf("store: events: %w", err)
		}
		var wrapped struct {
			V      int             `json:"v"`
			Record json.RawMessage `json:"record"`
		}
		if err := json.Unmarshal([]byte(data), &wrapped); err != nil {
			return nil, fmt.Errorf("store: event %d: %w", e.Seq, err)
		}
		e.NodeID, e.At, e.Schema, e.Data, e.Acked = node, time.UnixMilli(at).UTC(), wrapped.V, wrapped.Record, acked.Valid
		out = append(out, e)
	}
	return out, rows.Err()
}

// EventCountsByTicket returns, for every ticket, how many events and outbox
// rows name it; the crash test uses it to prove no change lost its event.
func (t *Tx) EventCountsByTicket() (map[string][2]int, error) {
	rows, err := t.query(`SELECT e.ticket_id, COUNT(e.seq), COUNT(o.seq) FROM events e
		LEFT JOIN outbox o ON o.seq = e.seq WHERE e.ticket_id != '' GROUP BY e.ticket_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]int{}
	for rows.Next() {
		var id string
		var ev, ob int
		if err := rows.Scan(&id, &ev, &ob); err != nil {
			return nil, err
		}
		out[id] = [2]int{ev, ob}
	}
	return out, rows.Err()
}

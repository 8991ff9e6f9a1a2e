package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"hallq/queue"
)

// PutCatalogue replaces the hall's catalogue with doc (JSON of
// catalogue.Catalogue) at version.
func (t *Tx) PutCatalogue(version string, doc []byte) error {
	_, err := t.exec(`INSERT INTO catalogue (id, version, doc) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc`, version, string(doc))
	if err != nil {
		return fmt.Errorf("store: put catalogue: %w", err)
	}
	return nil
}

// Catalogue returns the stored catalogue document, nil when there is none.
func (t *Tx) Catalogue() (version string, doc []byte, err error) {
	var s string
	err = t.queryRow("SELECT version, doc FROM catalogue WHERE id = 1").Scan(&version, &s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: catalogue: %w", err)
	}
	return version, []byte(s), nil
}

// PutCases inserts or updates cases. A change older than the stored one
// (by UpdatedAt, the centre's clock) is ignored, so replays and reordered
// deliveries never move a case backwards.
func (t *Tx) PutCases(cases []queue.Case) error {
	for _, c := range cases {
		doc, err := json.Marshal(c)
		if err != nil {
			return err
		}
		_, err = t.exec(`INSERT INTO cases (number, updated_at, doc) VALUES (?, ?, ?)
			ON CONFLICT (number) DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc
			WHERE excluded.updated_at >= cases.updated_at`, c.Number, c.UpdatedAt.UnixMilli(), string(doc))
		if err != nil {
			return fmt.Errorf("store: put case %s: %w", c.Number, err)
		}
	}
	return nil
}

// Case returns a case by number.
func (t *Tx) Case(number string) (queue.Case, error) {
	var doc string
	err := t.queryRow("SELECT doc FROM cases WHERE number = ?", number).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Case{}, queue.Errorf(queue.CodeUnknownCase, "no case %s", number)
	}
	if err != nil {
		return queue.Case{}, fmt.Errorf("store: case: %w", err)
	}
	var c queue.Case
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		return queue.Case{}, fmt.Errorf("store: case %s: %w", number, err)
	}
	return c, nil
}

// PutAppointments inserts or replaces appointments that have not checked in.
func (t *Tx) PutAppointments(as []queue.Appointment) error {
	for _, a := range as {
		doc, err := json.Marshal(a)
		if err != nil {
			return err
		}
		_, err = t.exec(`INSERT INTO appointments (code, service, at, ticket_id, doc) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET service = excluded.service, at = excluded.at, doc = excluded.doc
			WHERE appointments.ticket_id = ''`, a.Code, a.Service, a.At.UnixMilli(), a.TicketID, string(doc))
		if err != nil {
			return fmt.Errorf("store: put appointment %s: %w", a.Code, err)
		}
	}
	return nil
}

// Appointment returns an appointment by code.
func (t *Tx) Appointment(code string) (queue.Appointment, error) {
	var doc, ticket string
	err := t.queryRow("SELECT doc, ticket_id FROM appointments WHERE code = ?", code).Scan(&doc, &ticket)
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Appointment{}, queue.Errorf(queue.CodeUnknownAppt, "no appointment %s", code)
	}
	if err != nil {
		return queue.Appointment{}, fmt.Errorf("store: appointment: %w", err)
	}
	var a queue.Appointment
	if err := json.Unmarshal([]byte(doc), &a); err != nil {
		return a, fmt.Errorf("store: appointment %s: %w", code, err)
	}
	a.TicketID = ticket
	return a, nil
}

// MarkCheckedIn links an appointment to the ticket it checked in as.
func (t *Tx) MarkCheckedIn(code, ticketID string) error {
	_, err := t.exec("UPDATE appointments SET ticket_id = ? WHERE code = ?", ticketID, code)
	return err
}

// AppointmentsBetween returns appointments booked in [from, to).
func (t *Tx) AppointmentsBetween(from, to time.Time) ([]queue.Appointment, error) {
	rows, err := t.query("SELECT doc, ticket_id FROM appointments WHERE at >= ? AND at < ? ORDER BY at", from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("store: appointments: %w", err)
	}
	defer rows.Close()
	var out []queue.Appointment
	for rows.Next() {
		var doc, ticket string
		if err := rows.Scan(&doc, &ticket); err != nil {
			return nil, err
		}
		var a queue.Appointment
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			return nil, err
		}
		a.TicketID = ticket
		out = append(out, a)
	}
	return out, rows.Err()
}

// DeviceState reads a device's saved state into v; ok is false when none.
func (t *Tx) DeviceState(device string, v any) (ok bool, err error) {
	var s string
	err = t.queryRow("SELECT state FROM device_state WHERE device = ?", device).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: device state: %w", err)
	}
	return true, json.Unmarshal([]byte(s), v)
}

// PutDeviceState saves a device's state.
func (t *Tx) PutDeviceState(device string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO device_state (device, state) VALUES (?, ?)
		ON CONFLICT (device) DO UPDATE SET state = excluded.state`, device, string(b))
	return err
}

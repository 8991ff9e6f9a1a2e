package hall

import (
	"time"

	"hallq/queue"
)

// TicketView is a ticket as machines outside the hall node see it: times in
// the hall's zone, the priority as a word, no citizen hash.
type TicketView struct {
	ID              string `json:"id"`
	Day             string `json:"day"`
	Number          string `json:"number"`
	Service         string `json:"service"`
	Priority        string `json:"priority"`
	State           string `json:"state"`
	Window          int    `json:"window,omitempty"`
	IssuedAt        string `json:"issued_at"`
	CalledAt        string `json:"called_at,omitempty"`
	StartedAt       string `json:"started_at,omitempty"`
	FinishedAt      string `json:"finished_at,omitempty"`
	AppointmentAt   string `json:"appointment_at,omitempty"`
	Recalls         int    `json:"recalls,omitempty"`
	TransferredFrom string `json:"transferred_from,omitempty"`
	Reason          string `json:"reason,omitempty"`
	Print           string `json:"print,omitempty"`
	// Filled for a new ticket only.
	PeopleAhead          *int  `json:"people_ahead,omitempty"`
	EstimatedWaitSeconds *int  `json:"estimated_wait_seconds,omitempty"`
	EstimateKnown        *bool `json:"estimate_known,omitempty"`
}

func stamp(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// View returns the outside view of t in the hall's zone.
func View(t queue.Ticket, loc *time.Location) TicketView {
	return TicketView{
		ID: t.ID, Day: t.Day, Number: t.Number, Service: t.Service, Priority: t.Priority.Word(),
		State: string(t.State), Window: t.Window, IssuedAt: stamp(&t.IssuedAt, loc),
		CalledAt: stamp(t.CalledAt, loc), StartedAt: stamp(t.StartedAt, loc), FinishedAt: stamp(t.FinishedAt, loc),
		AppointmentAt: stamp(t.AppointmentAt, loc), Recalls: t.Recalls, TransferredFrom: t.TransferredFrom,
		Reason: t.Reason, Print: string(t.Print),
	}
}

// IssuedView is View with the estimate a new ticket's holder is told.
func IssuedView(is Issued, loc *time.Location) TicketView {
	v := View(is.Ticket, loc)
	ahead, secs, known := is.Estimate.PeopleAhead, is.Estimate.Seconds, is.Estimate.Known
	v.PeopleAhead, v.EstimatedWaitSeconds, v.EstimateKnown = &ahead, &secs, &known
	return v
}

// Issued turns a view back into the domain's ticket and estimate: what a
// LAN kiosk gets from the node. What the view leaves out (the queue
// position, the arrival time, the citizen hash) stays zero. A priority
// word this program does not know (from a newer node) reads as normal, not
// as the zero class, which is an appointment.
func (v TicketView) Issued() Issued {
	p, err := queue.ParsePriority(v.Priority)
	if err != nil {
		p = queue.Priority{Class: queue.ClassNormal}
	}
	t := queue.Ticket{ID: v.ID, Day: v.Day, Service: v.Service, Number: v.Number, Priority: p, State: queue.State(v.State),
		Window: v.Window, Recalls: v.Recalls, TransferredFrom: v.TransferredFrom, Reason: v.Reason, Print: queue.PrintState(v.Print)}
	t.IssuedAt, _ = time.Parse(time.RFC3339, v.IssuedAt)
	t.CalledAt, t.StartedAt, t.FinishedAt = unstamp(v.CalledAt), unstamp(v.StartedAt), unstamp(v.FinishedAt)
	t.AppointmentAt = unstamp(v.AppointmentAt)
	var e queue.Estimate
	if v.PeopleAhead != nil {
		e.PeopleAhead = *v.PeopleAhead
	}
	if v.EstimatedWaitSeconds != nil {
		e.Seconds = *v.EstimatedWaitSeconds
	}
	if v.EstimateKnown != nil {
		e.Known = *v.EstimateKnown
	}
	return Issued{Ticket: t, Estimate: e}
}

// unstamp is stamp's inverse: nil for "".
func unstamp(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil
	}
	return &t
}

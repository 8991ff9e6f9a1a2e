package queue

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// State is where a ticket is in its life.
type State string

const (
	Waiting   State = "waiting"   // in the queue
	Called    State = "called"    // called to a window, citizen on the way
	Serving   State = "serving"   // at the window
	Done      State = "done"      // service finished
	NoShow    State = "no_show"   // called and did not come (过号)
	Cancelled State = "cancelled" // withdrawn, voided by staff, or swept at day end
	Parked    State = "parked"    // set aside at the window (挂起), e.g. to fetch a copy
)

// Terminal reports whether no further transition is possible except a
// rejoin after a no-show.
func (s State) Terminal() bool { return s == Done || s == NoShow || s == Cancelled }

// Active reports whether the ticket still occupies the queue or a window.
func (s State) Active() bool { return s == Waiting || s == Called || s == Serving || s == Parked }

// Class is a priority class; a smaller value is served first under strict
// priority.
type Class int

const (
	ClassAppointment Class = iota // booked in advance (预约)
	ClassGreen                    // green channel for key projects (绿色通道)
	ClassPriority                 // elderly, disabled, pregnant, soldiers (优先)
	ClassNormal
)

var classNames = [...]string{"appointment", "green", "priority", "normal"}

func (c Class) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return fmt.Sprintf("class(%d)", int(c))
	}
	return classNames[c]
}

// Priority is a declared priority: a class and, for ClassPriority, the reason.
type Priority struct {
	Class  Class  `json:"class"`
	Reason string `json:"reason,omitempty"` // elderly, disabled, pregnant, soldier
}

// Priority reasons a citizen may declare at the kiosk.
var PriorityReasons = []string{"elderly", "disabled", "pregnant", "soldier"}

// ParsePriority maps a command-line or API word to a Priority: "" or a
// class's name (normal, appointment, green, priority: a priority citizen
// with no reason given), or one of PriorityReasons.
func ParsePriority(s string) (Priority, error) {
	if s == "" {
		return Priority{Class: ClassNormal}, nil
	}
	for c, name := range classNames {
		if s == name {
			return Priority{Class: Class(c)}, nil
		}
	}
	if slices.Contains(PriorityReasons, s) {
		return Priority{Class: ClassPriority, Reason: s}, nil
	}
	return Priority{}, Errorf(CodeInvalid, "unknown priority %q (%s, %s)", s,
		strings.Join(classNames[:], ", "), strings.Join(PriorityReasons, ", "))
}

// Word is the inverse of ParsePriority.
func (p Priority) Word() string {
	if p.Class == ClassPriority && p.Reason != "" {
		return p.Reason
	}
	return p.Class.String()
}

// Ticket is one citizen's place in one hall's queue for one business day.
type Ticket struct {
	ID       string   `json:"id"`      // "2026-11-22/A001": unique in the hall
	Day      string   `json:"day"`     // business day, YYYY-MM-DD in the hall's zone
	Service  string   `json:"service"` // current service code (changes on transfer)
	Number   string   `json:"number"`  // printed number, e.g. A001; never changes
	Seq      int      `json:"seq"`     // the number as an integer: 1 for A001
	Priority Priority `json:"priority"`
	State    State    `json:"state"`
	// QueuePos orders the queue: the hall's event sequence of the event
	// that queued the ticket (its issue or a rejoin), kept on transfer and
	// return. Ordering by it rather than by wall time keeps
	// first-come-first-served when the clock jumps.
	QueuePos int64     `json:"queue_pos"`
	IssuedAt time.Time `json:"issued_at"`
	// ArrivedAt is when the ticket joined its current queue; it is the
	// issue time, kept across transfers and returns, renewed on a rejoin.
	ArrivedAt       time.Time  `json:"arrived_at"`
	AppointmentAt   *time.Time `json:"appointment_at,omitempty"`
	AppointmentID   string     `json:"appointment_id,omitempty"`
	Window          int        `json:"window,omitempty"` // window that called it, while called/serving/parked
	CalledAt        *time.Time `json:"called_at,omitempty"`
	StartedAt       *time.Time `json:"started_at,omitempty"`
	FinishedAt      *time.Time `json:"finished_at,omitempty"` // done, no-show or cancelled
	Recalls         int        `json:"recalls"`
	TransferredFrom string     `json:"transferred_from,omitempty"`
	CitizenHash     string     `json:"-"`                // salted hash of the ID; never leaves the hall
	Reason          string     `json:"reason,omitempty"` // why it was cancelled or swept
	// Print is the outcome of printing the ticket ("" before any attempt).
	Print PrintState `json:"print,omitempty"`
}

// PrintState records what became of a ticket's paper.
type PrintState string

const (
	PrintPending PrintState = "pending" // row committed, not yet printed
	Printed      PrintState = "printed"
	PrintFailed  PrintState = "failed"
	PrintNone    PrintState = "none" // issued without paper (API, display of the number only)
)

// Action is a transition request on a ticket.
type Action string

const (
	ActCall     Action = "call"
	ActRecall   Action = "recall"
	ActStart    Action = "start"
	ActFinish   Action = "finish"
	ActNoShow   Action = "no_show"
	ActPark     Action = "park"
	ActReturn   Action = "return"   // a parked ticket goes back to the queue
	ActTransfer Action = "transfer" // to another service, keeping its arrival
	ActRejoin   Action = "rejoin"   // a late citizen after a no-show
	ActCancel   Action = "cancel"
	ActSweep    Action = "sweep" // end of business day
)

// Rules are the hall's limits that transitions depend on.
type Rules struct {
	RecallLimit int           // recalls allowed before an automatic no-show
	RejoinGrace time.Duration // how long after a no-show a late citizen may rejoin
}

// DefaultRules are used when a hall sets none.
var DefaultRules = Rules{RecallLimit: 2, RejoinGrace: 30 * time.Minute}

// Transition is an applied action: the event type recorded for it and the
// state before.
type Transition struct {
	Event string // event type: the action, or "auto_no_show" for a recall past the limit
	From  State
}

// Change carries what an action needs beyond the ticket itself.
type Change struct {
	Window   int    // acting window (call, recall, start, finish, no-show, park, transfer)
	Service  string // transfer target
	QueuePos int64  // new queue position for a rejoin
	Reason   string // cancel or sweep reason
}

// allowed lists the states each action may start from.
var allowed = map[Action][]State{
	ActCall:     {Waiting},
	ActRecall:   {Called},
	ActStart:    {Called},
	ActFinish:   {Serving},
	ActNoShow:   {Called},
	ActPark:     {Serving},
	ActReturn:   {Parked},
	ActTransfer: {Called, Serving},
	ActRejoin:   {NoShow},
	ActCancel:   {Waiting, Parked},
	ActSweep:    {Waiting, Called, Serving, Parked},
}

// Apply performs an action on the ticket at now, checking that the action is
// allowed from the ticket's state and at the acting window. On error the
// ticket is unchanged.
func (t *Ticket) Apply(a Action, c Change, now time.Time, r Rules) (Transition, error) {
	from := t.State
	ok := false
	for _, s := range allowed[a] {
		if s == from {
			ok = true
			break
		}
	}
	if !ok {
		return Transition{}, Errorf(CodeInvalidTransition, "ticket %s is %s; cannot %s", t.Number, from, a)
	}
	// Actions by a window act only on tickets at that window.
	switch a {
	case ActRecall, ActStart, ActFinish, ActNoShow, ActPark, ActTransfer:
		if c.Window != t.Window {
			return Transition{}, Errorf(CodeWrongWindow, "ticket %s is at window %d, not %d", t.Number, t.Window, c.Window)
		}
	}
	tr := Transition{Event: string(a), From: from}
	at := now
	switch a {
	case ActCall:
		if c.Window <= 0 {
			return Transition{}, Errorf(CodeInvalid, "call needs a window")
		}
		t.State, t.Window, t.CalledAt, t.Recalls = Called, c.Window, &at, 0
	case ActRecall:
		if t.Recalls >= r.RecallLimit {
			t.State, t.FinishedAt, t.Reason = NoShow, &at, "recall_limit"
			tr.Event = "auto_no_show"
			break
		}
		t.Recalls++
		t.CalledAt = &at
	case ActStart:
		t.State, t.StartedAt = Serving, &at
	case ActFinish:
		t.State, t.FinishedAt = Done, &at
	case ActNoShow:
		t.State, t.FinishedAt = NoShow, &at
	case ActPark:
		t.State = Parked
	case ActReturn:
		// Back in the queue with its original place: the citizen has
		// already waited once.
		t.State, t.Window, t.CalledAt, t.StartedAt = Waiting, 0, nil, nil
	case ActTransfer:
		if c.Service == "" || c.Service == t.Service {
			return Transition{}, Errorf(CodeInvalid, "transfer of %s needs another service", t.Number)
		}
		t.TransferredFrom, t.Service = t.Service, c.Service
		t.State, t.Window, t.CalledAt, t.StartedAt, t.Recalls = Waiting, 0, nil, nil, 0
	case ActRejoin:
		if t.FinishedAt == nil || now.Sub(*t.FinishedAt) > r.RejoinGrace {
			return Transition{}, Errorf(CodeInvalidTransition, "ticket %s missed its call more than %s ago; please take a new number", t.Number, r.RejoinGrace)
		}
		// A late citizen joins at the back: keeping the old place would
		// push back everyone who came on time.
		t.State, t.Window, t.CalledAt, t.StartedAt, t.FinishedAt = Waiting, 0, nil, nil, nil
		t.Recalls, t.QueuePos, t.ArrivedAt, t.Reason = 0, c.QueuePos, now, ""
	case ActCancel:
		t.State, t.FinishedAt, t.Reason, t.Window = Cancelled, &at, c.Reason, 0
	case ActSweep:
		switch from {
		case Serving:
			// The citizen was at the window: the service happened.
			t.State, t.FinishedAt = Done, &at
		case Called:
			t.State, t.FinishedAt = NoShow, &at
		default:
			t.State, t.FinishedAt, t.Window = Cancelled, &at, 0
		}
		t.Reason = "end_of_day"
	}
	return tr, nil
}

// NumberFor formats a ticket number: the prefix and three digits from 001.
func NumberFor(prefix string, seq int) string { return fmt.Sprintf("%s%03d", prefix, seq) }

// TicketID is the hall-unique id of a number on a business day.
func TicketID(day, number string) string { return day + "/" + number }

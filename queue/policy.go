package queue

import (
	"sort"
	"time"
)

// Policy decides which waiting ticket a window calls next. Implementations
// are pure: the same inputs give the same choice, so the choice can be
// replayed and tested.
type Policy interface {
	Name() string
	// Pick returns the index in waiting of the ticket window w should call
	// at now, or -1 when none of them is for this window. waiting holds
	// tickets in state Waiting; those of services w does not serve are
	// ignored.
	Pick(now time.Time, w Window, waiting []Ticket) int
}

// Policy names, as configured per hall.
const (
	PolicyStrict = "strict"
	PolicyAging  = "aging"
)

// PolicyConfig configures the calling policy of a hall.
type PolicyConfig struct {
	Name string `json:"name"` // PolicyStrict or PolicyAging
	// AppointmentLead: appointments due within this much time go first.
	AppointmentLead Duration `json:"appointment_lead"`
	// MaxWait bounds waiting under the aging policy: a ticket that has
	// waited this long is called before any ticket that has not.
	MaxWait Duration `json:"max_wait"`
	// Boost is the head start, under aging, of each class over normal.
	Boost ClassBoost `json:"boost"`
}

// ClassBoost is how much waiting time each class is credited with under the
// aging policy.
type ClassBoost struct {
	Appointment Duration `json:"appointment"`
	Green       Duration `json:"green"`
	Priority    Duration `json:"priority"`
}

func (b ClassBoost) of(c Class) time.Duration {
	switch c {
	case ClassAppointment:
		return b.Appointment.D()
	case ClassGreen:
		return b.Green.D()
	case ClassPriority:
		return b.Priority.D()
	}
	return 0
}

// DefaultPolicy is weighted aging with a one-hour bound.
var DefaultPolicy = PolicyConfig{
	Name:            PolicyAging,
	AppointmentLead: Duration(10 * time.Minute),
	MaxWait:         Duration(60 * time.Minute),
	Boost: ClassBoost{
		Appointment: Duration(30 * time.Minute),
		Green:       Duration(20 * time.Minute),
		Priority:    Duration(15 * time.Minute),
	},
}

// NewPolicy builds the named policy.
func NewPolicy(c PolicyConfig) (Policy, error) {
	switch c.Name {
	case PolicyStrict:
		return strictPolicy{c}, nil
	case PolicyAging, "":
		if c.MaxWait <= 0 {
			return nil, Errorf(CodeInvalid, "aging policy needs a positive max wait")
		}
		return agingPolicy{c}, nil
	}
	return nil, Errorf(CodeInvalid, "unknown calling policy %q (strict, aging)", c.Name)
}

// waitOf is how long t has waited in its current queue; never negative,
// even if the clock went back.
func waitOf(now time.Time, t Ticket) time.Duration {
	if d := now.Sub(t.ArrivedAt); d > 0 {
		return d
	}
	return 0
}

// due reports whether t is an appointment due within lead of now.
func due(now time.Time, t Ticket, lead time.Duration) bool {
	return t.Priority.Class == ClassAppointment && t.AppointmentAt != nil && !t.AppointmentAt.After(now.Add(lead))
}

// pickDueAppointment returns the eligible appointment due soonest, or -1.
func pickDueAppointment(now time.Time, w Window, waiting []Ticket, lead time.Duration) int {
	best := -1
	for i, t := range waiting {
		if !w.Serves(t.Service) || !due(now, t, lead) {
			continue
		}
		if best < 0 || t.AppointmentAt.Before(*waiting[best].AppointmentAt) ||
			(t.AppointmentAt.Equal(*waiting[best].AppointmentAt) && t.QueuePos < waiting[best].QueuePos) {
			best = i
		}
	}
	return best
}

// effectiveClass treats an appointment that is not yet due as normal: the
// citizen came early and waits like everyone else until the booked time.
func effectiveClass(now time.Time, t Ticket, lead time.Duration) Class {
	if t.Priority.Class == ClassAppointment && !due(now, t, lead) {
		return ClassNormal
	}
	return t.Priority.Class
}

// strictPolicy serves classes in order (due appointments, green, priority,
// normal), first come first served within a class and service; between the
// window's services of the best class present, the head that has waited
// longest in proportion to the service's weight goes first.
type strictPolicy struct{ c PolicyConfig }

func (p strictPolicy) Name() string { return PolicyStrict }

func (p strictPolicy) Pick(now time.Time, w Window, waiting []Ticket) int {
	if i := pickDueAppointment(now, w, waiting, p.c.AppointmentLead.D()); i >= 0 {
		return i
	}
	bestClass := Class(1 << 30)
	for _, t := range waiting {
		if w.Serves(t.Service) {
			if c := effectiveClass(now, t, p.c.AppointmentLead.D()); c < bestClass {
				bestClass = c
			}
		}
	}
	// Heads of each service queue within the best class.
	heads := map[string]int{}
	for i, t := range waiting {
		if !w.Serves(t.Service) || effectiveClass(now, t, p.c.AppointmentLead.D()) != bestClass {
			continue
		}
		if h, ok := heads[t.Service]; !ok || t.QueuePos < waiting[h].QueuePos {
			heads[t.Service] = i
		}
	}
	return pickWeighted(now, w, waiting, heads)
}

// pickWeighted chooses among service heads by wait × weight, ties to the
// earlier queue position, so the choice is deterministic.
func pickWeighted(now time.Time, w Window, waiting []Ticket, heads map[string]int) int {
	codes := make([]string, 0, len(heads))
	for c := range heads {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	best, bestScore := -1, time.Duration(-1)
	for _, c := range codes {
		i := heads[c]
		score := waitOf(now, waiting[i]) * time.Duration(w.Weight(c))
		if best < 0 || score > bestScore || (score == bestScore && waiting[i].QueuePos < waiting[best].QueuePos) {
			best, bestScore = i, score
		}
	}
	return best
}

// agingPolicy lets waiting time earn priority: each ticket scores
// (wait + class boost) × the window's weight for its service, and a ticket
// that has waited MaxWait goes before any that has not, so nobody starves
// behind a stream of priority tickets.
type agingPolicy struct{ c PolicyConfig }

func (p agingPolicy) Name() string { return PolicyAging }

func (p agingPolicy) Pick(now time.Time, w Window, waiting []Ticket) int {
	// The bound comes first: it is the promise to the longest waiting.
	over := -1
	for i, t := range waiting {
		if !w.Serves(t.Service) || waitOf(now, t) < p.c.MaxWait.D() {
			continue
		}
		if over < 0 || t.ArrivedAt.Before(waiting[over].ArrivedAt) ||
			(t.ArrivedAt.Equal(waiting[over].ArrivedAt) && t.QueuePos < waiting[over].QueuePos) {
			over = i
		}
	}
	if over >= 0 {
		return over
	}
	if i := pickDueAppointment(now, w, waiting, p.c.AppointmentLead.D()); i >= 0 {
		return i
	}
	best, bestScore := -1, time.Duration(-1)
	for i, t := range waiting {
		if !w.Serves(t.Service) {
			continue
		}
		boost := p.c.Boost.of(effectiveClass(now, t, p.c.AppointmentLead.D()))
		score := (waitOf(now, t) + boost) * time.Duration(w.Weight(t.Service))
		if best < 0 || score > bestScore || (score == bestScore && t.QueuePos < waiting[best].QueuePos) {
			best, bestScore = i, score
		}
	}
	return best
}

package queue

import (
	"math"
	"time"
)

// Estimate is what a citizen is told when taking a number.
type Estimate struct {
	PeopleAhead int `json:"people_ahead"`
	// Seconds is the expected wait; meaningful only when Known.
	Seconds int `json:"estimated_wait_seconds"`
	// Known is false when no window serves the service at all, so no
	// honest number can be given.
	Known bool `json:"estimate_known"`
}

// EWMAAlpha weighs the newest service time in a service's running average:
// about the last ten services dominate, so the estimate follows the day
// (a slow afternoon, a new clerk) without jumping at one long case.
const EWMAAlpha = 0.2

// UpdateEWMA folds one observed service duration into avg (seconds). avg
// starts at the service's configured average, which so counts as history:
// one unusually quick first case must not make the hall promise no wait.
func UpdateEWMA(avg float64, d time.Duration) float64 {
	s := d.Seconds()
	if s < 0 {
		s = 0
	}
	return EWMAAlpha*s + (1-EWMAAlpha)*avg
}

// EstimateWait estimates the wait of ticket t, which is not yet in waiting.
//
// People ahead are the waiting tickets of the same service that the policy
// calls first: those of a better or equal class (for a new ticket, every one
// of its class arrived earlier). Due appointments count as ahead of
// everyone. The time is a fluid approximation: people ahead × the service's
// average service time ÷ the service capacity, where each open window
// serving the service contributes its share (the service's weight over the
// weights of the window's services that have people waiting). With no open
// window, the windows that serve the service count as if they opened, since
// a hall opens its windows before serving; with none at all the wait is
// unknown.
//
// The store counts people ahead in SQL (a hall may have hundreds waiting and
// issuing must stay fast); Ahead is the rule in Go, and a test holds the two
// equal.
//
// busy says which services have someone waiting; the ticket's own service
// counts as busy whatever it says, since the ticket will wait in it. busy
// is only read.
func EstimateWait(service string, ahead int, busy map[string]bool, windows []Window, avgServiceSeconds float64) Estimate {
	capacity := serviceCapacity(service, windows, busy, true)
	if capacity == 0 {
		capacity = serviceCapacity(service, windows, busy, false)
	}
	if capacity == 0 {
		return Estimate{PeopleAhead: ahead}
	}
	secs := float64(ahead) * avgServiceSeconds / capacity
	return Estimate{PeopleAhead: ahead, Seconds: int(math.Round(secs)), Known: true}
}

// Ahead counts the waiting tickets of t's service that the policy calls
// before t: due appointments, and tickets of a better or equal class.
func Ahead(now time.Time, t Ticket, waiting []Ticket, lead time.Duration) int {
	myClass := effectiveClass(now, t, lead)
	n := 0
	for _, w := range waiting {
		if w.Service == t.Service && w.State == Waiting && (due(now, w, lead) || effectiveClass(now, w, lead) <= myClass) {
			n++
		}
	}
	return n
}

// EffectiveClass is the class t is served in at now: an appointment not yet
// due within lead counts as normal.
func EffectiveClass(now time.Time, t Ticket, lead time.Duration) Class {
	return effectiveClass(now, t, lead)
}

func serviceCapacity(code string, windows []Window, busy map[string]bool, openOnly bool) float64 {
	total := 0.0
	for _, w := range windows {
		if openOnly && w.State != WindowOpen {
			continue
		}
		mine := w.Weight(code)
		if mine == 0 {
			continue
		}
		sum := 0
		for _, s := range w.Services {
			if busy[s.Code] || s.Code == code {
				sum += s.Weight
			}
		}
		total += float64(mine) / float64(sum)
	}
	return total
}

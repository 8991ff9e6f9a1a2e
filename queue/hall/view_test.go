package hall_test

import (
	"testing"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
)

// A ticket seen from outside and turned back is the same ticket, as far as
// the view carries it, and the same in the view again.
func TestViewRoundTrip(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	at := func(min int) *time.Time {
		v := monday10.Add(time.Duration(min) * time.Minute).Truncate(time.Second)
		return &v
	}
	is := hall.Issued{
		Ticket: queue.Ticket{ID: "2026-11-23/A007", Day: "2026-11-23", Service: "B", Number: "A007",
			Priority: queue.Priority{Class: queue.ClassPriority, Reason: "elderly"}, State: queue.Serving, Window: 3,
			IssuedAt: *at(0), CalledAt: at(5), StartedAt: at(6), AppointmentAt: at(-30), Recalls: 1,
			TransferredFrom: "A", Reason: "r", Print: queue.Printed},
		Estimate: queue.Estimate{PeopleAhead: 4, Seconds: 600, Known: true},
	}
	v := hall.IssuedView(is, loc)
	back := v.Issued()
	if again := hall.IssuedView(back, loc); !viewsEqual(again, v) {
		t.Fatalf("view → domain → view changed it:\n%+v\n%+v", v, again)
	}
	if back.Estimate != is.Estimate || back.Ticket.Priority != is.Ticket.Priority || !back.Ticket.StartedAt.Equal(*is.Ticket.StartedAt) ||
		back.Ticket.FinishedAt != nil || !back.Ticket.IssuedAt.Equal(is.Ticket.IssuedAt) {
		t.Fatalf("back from the view: %+v", back)
	}
}

// Every priority comes back as it went, a priority class without its
// reason too; a word from a newer node reads as normal.
func TestViewPriorities(t *testing.T) {
	for _, p := range []queue.Priority{{Class: queue.ClassAppointment}, {Class: queue.ClassGreen}, {Class: queue.ClassNormal},
		{Class: queue.ClassPriority}, {Class: queue.ClassPriority, Reason: "soldier"}} {
		v := hall.View(queue.Ticket{Priority: p}, time.UTC)
		if back := v.Issued().Ticket.Priority; back != p {
			t.Errorf("%+v came back as %+v", p, back)
		}
	}
	if got := (hall.TicketView{Priority: "vip"}).Issued().Ticket.Priority; got.Class != queue.ClassNormal {
		t.Errorf("an unknown word came back as %+v", got)
	}
}

func viewsEqual(a, b hall.TicketView) bool {
	pa, pb := *a.PeopleAhead, *b.PeopleAhead
	sa, sb := *a.EstimatedWaitSeconds, *b.EstimatedWaitSeconds
	ka, kb := *a.EstimateKnown, *b.EstimateKnown
	a.PeopleAhead, a.EstimatedWaitSeconds, a.EstimateKnown = nil, nil, nil
	b.PeopleAhead, b.EstimatedWaitSeconds, b.EstimateKnown = nil, nil, nil
	return a == b && pa == pb && sa == sb && ka == kb
}

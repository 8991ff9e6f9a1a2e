package queue_test

import (
	"testing"
	"time"

	"hallq/queue"
)

func TestEstimateWait(t *testing.T) {
	windows := []queue.Window{
		{Number: 1, State: queue.WindowOpen, Services: []queue.WindowService{{Code: "A", Weight: 1}}},
		{Number: 2, State: queue.WindowOpen, Services: []queue.WindowService{{Code: "A", Weight: 1}, {Code: "B", Weight: 1}}},
		{Number: 3, State: queue.WindowClosed, Services: []queue.WindowService{{Code: "C", Weight: 1}}},
	}
	// B has nobody waiting, so window 2 gives A all its time: capacity 2.
	e := queue.EstimateWait("A", 10, map[string]bool{"A": true}, windows, 300)
	if !e.Known || e.PeopleAhead != 10 || e.Seconds != 1500 {
		t.Errorf("A alone: %+v", e)
	}
	// With B busy, window 2 splits its time: capacity 1.5.
	e = queue.EstimateWait("A", 9, map[string]bool{"A": true, "B": true}, windows, 300)
	if e.Seconds != 1800 {
		t.Errorf("A with B busy: %+v", e)
	}
	// C's only window is closed: counted as if it opened.
	e = queue.EstimateWait("C", 4, map[string]bool{}, windows, 600)
	if !e.Known || e.Seconds != 2400 {
		t.Errorf("C closed: %+v", e)
	}
	// Nobody serves D: unknown, not zero minutes.
	e = queue.EstimateWait("D", 4, map[string]bool{}, windows, 600)
	if e.Known {
		t.Errorf("D: %+v", e)
	}
	// The new ticket's own service counts as busy without being marked, and
	// the caller's map is left as it was (the kiosk's queue view passes one
	// map for every service).
	busy := map[string]bool{"B": true}
	if e := queue.EstimateWait("A", 9, busy, windows, 300); e.Seconds != 1800 {
		t.Errorf("A not marked busy, B busy: %+v", e)
	}
	if len(busy) != 1 || busy["A"] {
		t.Errorf("EstimateWait changed its busy map: %v", busy)
	}
}

func TestAhead(t *testing.T) {
	now := t0
	due := now.Add(5 * time.Minute)
	appt := wait("A005", "A", queue.ClassAppointment, 5, now)
	appt.AppointmentAt = &due
	ts := []queue.Ticket{
		wait("A001", "A", queue.ClassNormal, 1, now), wait("A002", "A", queue.ClassPriority, 2, now),
		wait("B001", "B", queue.ClassNormal, 3, now), appt,
	}
	lead := 10 * time.Minute
	if n := queue.Ahead(now, queue.Ticket{Service: "A", Priority: queue.Priority{Class: queue.ClassNormal}}, ts, lead); n != 3 {
		t.Errorf("normal: %d", n)
	}
	if n := queue.Ahead(now, queue.Ticket{Service: "A", Priority: queue.Priority{Class: queue.ClassPriority}}, ts, lead); n != 2 {
		t.Errorf("priority: %d", n)
	}
	if n := queue.Ahead(now, queue.Ticket{Service: "A", Priority: queue.Priority{Class: queue.ClassGreen}}, ts, lead); n != 1 {
		t.Errorf("green: %d", n)
	}
}

func TestEWMAStartsFromTheSeed(t *testing.T) {
	avg := queue.UpdateEWMA(300, 0)
	if avg != 240 {
		t.Fatalf("got %v", avg)
	}
}

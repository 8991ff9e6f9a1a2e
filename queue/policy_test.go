package queue_test

import (
	"testing"
	"time"

	"hallq/queue"
)

func wait(number, service string, class queue.Class, pos int64, arrived time.Time) queue.Ticket {
	return queue.Ticket{Number: number, Service: service, State: queue.Waiting, Priority: queue.Priority{Class: class}, QueuePos: pos, ArrivedAt: arrived}
}

func strict(t *testing.T) queue.Policy {
	p, err := queue.NewPolicy(queue.PolicyConfig{Name: queue.PolicyStrict, AppointmentLead: queue.Duration(10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func aging(t *testing.T) queue.Policy {
	p, err := queue.NewPolicy(queue.DefaultPolicy)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var winAH = queue.Window{Number: 1, State: queue.WindowOpen, Services: []queue.WindowService{{Code: "A", Weight: 3}, {Code: "H", Weight: 1}}}

func pick(p queue.Policy, now time.Time, w queue.Window, ts ...queue.Ticket) string {
	i := p.Pick(now, w, ts)
	if i < 0 {
		return ""
	}
	return ts[i].Number
}

func TestStrictPolicy(t *testing.T) {
	now := t0.Add(time.Hour)
	appt := t0.Add(time.Hour + 5*time.Minute) // due within the 10-minute lead
	later := t0.Add(3 * time.Hour)            // not due
	dueAppt := wait("A009", "A", queue.ClassAppointment, 9, now)
	dueAppt.AppointmentAt = &appt
	earlyAppt := wait("A008", "A", queue.ClassAppointment, 8, t0)
	earlyAppt.AppointmentAt = &later
	cases := []struct {
		name string
		ts   []queue.Ticket
		want string
	}{
		{"fifo within a class", []queue.Ticket{wait("A002", "A", queue.ClassNormal, 2, t0), wait("A001", "A", queue.ClassNormal, 1, t0)}, "A001"},
		{"priority before normal", []queue.Ticket{wait("A001", "A", queue.ClassNormal, 1, t0), wait("A002", "A", queue.ClassPriority, 2, now)}, "A002"},
		{"green before priority", []queue.Ticket{wait("A001", "A", queue.ClassPriority, 1, t0), wait("A002", "A", queue.ClassGreen, 2, now)}, "A002"},
		{"due appointment first", []queue.Ticket{wait("A001", "A", queue.ClassGreen, 1, t0), dueAppt}, "A009"},
		{"early appointment waits as normal", []queue.Ticket{wait("A001", "A", queue.ClassNormal, 1, t0.Add(-time.Minute)), earlyAppt}, "A001"},
		{"services the window does not serve are ignored", []queue.Ticket{wait("B001", "B", queue.ClassGreen, 1, t0)}, ""},
		// A waited 20 min × weight 3 = 60 beats H's 50 min × 1.
		{"weights between services", []queue.Ticket{wait("H001", "H", queue.ClassNormal, 1, now.Add(-50*time.Minute)), wait("A001", "A", queue.ClassNormal, 2, now.Add(-20*time.Minute))}, "A001"},
		{"weights let a long wait win", []queue.Ticket{wait("H001", "H", queue.ClassNormal, 1, now.Add(-70*time.Minute)), wait("A001", "A", queue.ClassNormal, 2, now.Add(-20*time.Minute))}, "H001"},
		{"empty", nil, ""},
	}
	for _, c := range cases {
		if got := pick(strict(t), now, winAH, c.ts...); got != c.want {
			t.Errorf("%s: got %q want %q", c.name, got, c.want)
		}
	}
}

func TestAgingPolicy(t *testing.T) {
	now := t0.Add(2 * time.Hour)
	p := aging(t)
	// A priority ticket's 15-minute boost beats 10 minutes of extra waiting...
	if got := pick(p, now, winAH, wait("A001", "A", queue.ClassNormal, 1, now.Add(-20*time.Minute)), wait("A002", "A", queue.ClassPriority, 2, now.Add(-10*time.Minute))); got != "A002" {
		t.Errorf("boost: got %s", got)
	}
	// ...but not 30 minutes.
	if got := pick(p, now, winAH, wait("A001", "A", queue.ClassNormal, 1, now.Add(-45*time.Minute)), wait("A002", "A", queue.ClassPriority, 2, now.Add(-10*time.Minute))); got != "A001" {
		t.Errorf("aging: got %s", got)
	}
	// The bound: an hour of waiting beats any class and any weight.
	if got := pick(p, now, winAH, wait("H001", "H", queue.ClassNormal, 1, now.Add(-61*time.Minute)), wait("A002", "A", queue.ClassGreen, 2, now.Add(-59*time.Minute))); got != "H001" {
		t.Errorf("bound: got %s", got)
	}
	// Among those over the bound, the longest waiting first.
	if got := pick(p, now, winAH, wait("A002", "A", queue.ClassGreen, 2, now.Add(-61*time.Minute)), wait("H001", "H", queue.ClassNormal, 1, now.Add(-90*time.Minute))); got != "H001" {
		t.Errorf("bound order: got %s", got)
	}
}

func TestPolicyIgnoresClockGoingBack(t *testing.T) {
	// Tickets issued "in the future" (the clock went back) count as having
	// waited zero, and queue position still decides.
	now := t0
	got := pick(strict(t), now, winAH, wait("A002", "A", queue.ClassNormal, 2, t0.Add(time.Hour)), wait("A001", "A", queue.ClassNormal, 1, t0.Add(2*time.Hour)))
	if got != "A001" {
		t.Fatalf("got %s", got)
	}
}

func TestNewPolicyRejectsUnknown(t *testing.T) {
	if _, err := queue.NewPolicy(queue.PolicyConfig{Name: "lottery"}); queue.ErrorCode(err) != queue.CodeInvalid {
		t.Fatal(err)
	}
	if _, err := queue.NewPolicy(queue.PolicyConfig{Name: queue.PolicyAging}); queue.ErrorCode(err) != queue.CodeInvalid {
		t.Fatal("aging without a bound must be refused:", err)
	}
}

package hall_test

import (
	"context"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/hall"
)

func TestCatalogueCasesAppointments(t *testing.T) {
	n, clk := openHall(t, demohall.Config(), monday10)
	ctx := context.Background()
	if c, err := n.Catalogue(ctx); err != nil || c.Len() != 0 {
		t.Fatalf("empty catalogue: %v", err)
	}
	if err := demohall.Seed(ctx, n); err != nil {
		t.Fatal(err)
	}
	c, err := n.Catalogue(ctx)
	if err != nil || c.Len() < 60 {
		t.Fatalf("catalogue after seed: %v", err)
	}

	// Case lookup: right code, wrong code, unknown number, throttling.
	got, err := n.LookupCase(ctx, "kiosk:1", "qs2026110002", demohall.DemoCheckCode)
	if err != nil || got.Status != queue.CaseInProgress || got.ApplicantMasked != "李**" {
		t.Fatalf("lookup: %v %+v", err, got)
	}
	if _, err := n.LookupCase(ctx, "kiosk:1", "QS2026110002", "9999"); code(err) != queue.CodeUnknownCase {
		t.Fatalf("wrong code: %v", err)
	}
	if _, err := n.LookupCase(ctx, "kiosk:1", "NOPE", "1234"); code(err) != queue.CodeUnknownCase {
		t.Fatalf("unknown: %v", err)
	}
	for i := 0; i < 2; i++ {
		n.LookupCase(ctx, "kiosk:1", "NOPE", "1234")
	}
	if _, err := n.LookupCase(ctx, "kiosk:1", "QS2026110002", demohall.DemoCheckCode); code(err) != queue.CodeThrottled {
		t.Fatalf("after four failures the source must wait: %v", err)
	}
	if _, err := n.LookupCase(ctx, "kiosk:2", "QS2026110002", demohall.DemoCheckCode); err != nil {
		t.Fatalf("another kiosk is not throttled: %v", err)
	}
	clk.Add(6 * time.Second)
	if _, err := n.LookupCase(ctx, "kiosk:1", "QS2026110002", demohall.DemoCheckCode); err != nil {
		t.Fatalf("after the delay: %v", err)
	}
	overdue, _ := n.LookupCase(ctx, "kiosk:1", "QS2026110003", demohall.DemoCheckCode)
	if !overdue.Overdue(clk.Now()) {
		t.Fatalf("case past its promised date must be overdue: %+v", overdue)
	}

	// Check-in: the 10:00 appointment of service D (Monday 10:00 now).
	appts, err := n.Appointments(ctx, "")
	if err != nil || len(appts) < 6 {
		t.Fatalf("appointments: %v %d", err, len(appts))
	}
	is, err := n.CheckIn(ctx, hall.CheckInRequest{Code: appts[1].Code})
	if err != nil || is.Ticket.Service != "D" || is.Ticket.Priority.Class != queue.ClassAppointment {
		t.Fatalf("check-in: %v %+v", err, is.Ticket)
	}
	if _, err := n.CheckIn(ctx, hall.CheckInRequest{Code: appts[1].Code}); code(err) != queue.CodeApptUsed {
		t.Fatalf("second check-in: %v", err)
	}
	if _, err := n.CheckIn(ctx, hall.CheckInRequest{Code: appts[5].Code}); code(err) != queue.CodeApptTooEarly {
		t.Fatalf("14:00 appointment at 10:00: %v", err)
	}
	if _, err := n.CheckIn(ctx, hall.CheckInRequest{Code: "YY000"}); code(err) != queue.CodeUnknownAppt {
		t.Fatalf("unknown: %v", err)
	}
	clk.Add(2 * time.Hour)
	if _, err := n.CheckIn(ctx, hall.CheckInRequest{Code: appts[0].Code}); code(err) != queue.CodeApptMissed {
		t.Fatalf("9:00 appointment at 12:00: %v", err)
	}

	// Pausing a service stops issuing until it reopens.
	clk.Set(monday10)
	if err := n.SetServiceOpen(ctx, "A", false, "staff"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "A"}); code(err) != queue.CodeServicePaused {
		t.Fatalf("paused: %v", err)
	}
	// Kiosks, displays and API clients read "issuing now" from the queue
	// state: a paused service must not look open there.
	if open := serviceOpen(t, n, "A"); open {
		t.Fatal("queue state says a paused service is issuing")
	}
	if err := n.SetServiceOpen(ctx, "A", true, "staff"); err != nil {
		t.Fatal(err)
	}
	if open := serviceOpen(t, n, "A"); !open {
		t.Fatal("queue state says a reopened service within its hours is not issuing")
	}
	mustIssue(t, n, "A")
}

func serviceOpen(t *testing.T, n *hall.Node, code string) bool {
	t.Helper()
	states, err := n.QueueState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.Service.Code == code {
			return s.Open
		}
	}
	t.Fatalf("no service %s in the queue state", code)
	return false
}

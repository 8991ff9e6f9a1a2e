package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	democat "hallq/assets/catalogue"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
	"hallq/queue/staff"
)

// kioskFixture is a hall with the demo catalogue, 501 cases (more than a
// page) and two appointments, and a kiosk's client.
func kioskFixture(t *testing.T) (*fixture, *httpapi.Client) {
	t.Helper()
	f := newFixture(t, httpapi.Options{})
	ctx := context.Background()
	cat, err := democat.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.node.PutCatalogue(ctx, cat, "test"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var cases []queue.Case
	for i := range 501 {
		n := fmt.Sprintf("QS%06d", i)
		cases = append(cases, queue.Case{Number: n, HallID: "h", ItemCode: "RS001", ItemName: "社会保障卡申领",
			ApplicantMasked: "张**", CheckHash: queue.CheckCodeHash(n, "1234"), Status: queue.CaseInProgress,
			AcceptedAt: now, UpdatedAt: now})
	}
	if err := f.node.PutCases(ctx, cases); err != nil {
		t.Fatal(err)
	}
	if err := f.node.PutAppointments(ctx, []queue.Appointment{
		{Code: "YY001", Service: "D", At: now.Add(10 * time.Minute).Truncate(time.Minute)},
		{Code: "YY009", Service: "D", At: now.Add(5 * time.Hour).Truncate(time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	return f, f.device(t, staff.Kiosk, 0)
}

func code(err error) queue.Code { return queue.ErrorCode(err) }

func status(err error) int {
	var ae *httpapi.APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// A LAN kiosk copies the hall's configuration, catalogue and cases (check
// codes as hashes only), and looks a case up at the node.
func TestKioskCopyAndLookup(t *testing.T) {
	f, k := kioskFixture(t)
	ctx := context.Background()
	h, err := k.KioskHall(ctx)
	if err != nil || h.Config.ID != testHall().ID || h.Zone != "Asia/Shanghai" || len(h.Config.Services) == 0 {
		t.Fatalf("hall %+v %v", h, err)
	}
	cat, err := k.KioskCatalogue(ctx)
	if err != nil || cat.Len() < 60 {
		t.Fatalf("catalogue %v %v", cat, err)
	}
	if _, err := cat.Lookup("RS001"); err != nil {
		t.Fatal(err)
	}
	cases, err := k.KioskCases(ctx)
	if err != nil || len(cases) != 501 {
		t.Fatalf("%d cases, %v", len(cases), err)
	}
	if c := cases[500]; c.Number != "QS000500" || c.CheckHash != queue.CheckCodeHash("QS000500", "1234") {
		t.Fatalf("last case %+v", c)
	}
	c, err := k.LookupCase(ctx, "qs000007", "1234")
	if err != nil || c.Number != "QS000007" || c.ApplicantMasked != "张**" {
		t.Fatalf("lookup %+v %v", c, err)
	}
	if _, err := k.LookupCase(ctx, "QS000007", "9999"); code(err) != queue.CodeUnknownCase || status(err) != http.StatusNotFound {
		t.Fatalf("wrong code: %v", err)
	}

	// Only kiosks: a display or a clerk is refused and nothing is read.
	d := f.device(t, staff.Display, 0)
	if _, err := d.KioskCases(ctx); code(err) != httpapi.CodeForbidden {
		t.Fatalf("display reading cases: %v", err)
	}
	clerk := f.user(t, "li", string(staff.Clerk))
	if _, err := clerk.LookupCase(ctx, "QS000007", "1234"); code(err) != httpapi.CodeForbidden {
		t.Fatalf("clerk looking up: %v", err)
	}
	if st, c, _ := raw(t, "GET", f.url+"/api/v1/kiosk/hall", "", "", ""); st != 401 || c != httpapi.CodeUnauthorized {
		t.Fatalf("no token: %d %s", st, c)
	}
}

// The kiosk prints on its own printer and tells the node how it went: a
// failed print is the node's print_failed event and staff's list; a reprint
// is claimed once; only a failed ticket can be voided from a kiosk.
func TestKioskPrintResults(t *testing.T) {
	f, k := kioskFixture(t)
	ctx := context.Background()
	v, err := k.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	if err != nil || v.Print != string(queue.PrintPending) {
		t.Fatalf("issue %+v %v", v, err)
	}
	events, unsub := f.node.Subscribe()
	defer unsub()
	if err := k.RecordPrint(ctx, v.ID, errors.New("paper out")); err != nil {
		t.Fatal(err)
	}
	select {
	case e := <-events:
		if e.Type != "print_failed" || e.Actor != "device:kiosk:kiosk-0" {
			t.Fatalf("event %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no print_failed event")
	}
	failed, err := k.PrintFailed(ctx)
	if err != nil || len(failed) != 1 || failed[0].Number != v.Number {
		t.Fatalf("failed %+v %v", failed, err)
	}
	// The manager's page sees it too: it is the hall's state.
	if ts, _ := f.node.PrintFailed(ctx); len(ts) != 1 {
		t.Fatalf("node's failed list %v", ts)
	}
	r, err := k.ClaimReprint(ctx, v.ID)
	if err != nil || r.Print != string(queue.PrintPending) {
		t.Fatalf("reprint %+v %v", r, err)
	}
	if _, err := k.ClaimReprint(ctx, v.ID); code(err) != queue.CodeInvalidTransition {
		t.Fatalf("second claim: %v", err)
	}
	if err := k.RecordPrint(ctx, v.ID, nil); err != nil {
		t.Fatal(err)
	}
	if tk, _ := f.node.Ticket(ctx, v.ID); tk.Print != queue.Printed {
		t.Fatalf("after reprint %s", tk.Print)
	}
	if err := k.Void(ctx, v.ID); code(err) != queue.CodeInvalidTransition {
		t.Fatalf("voiding a printed ticket: %v", err)
	}
	v2, _ := k.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	k.RecordPrint(ctx, v2.ID, errors.New("cover open"))
	if err := k.Void(ctx, v2.ID); err != nil {
		t.Fatal(err)
	}
	if tk, _ := f.node.Ticket(ctx, v2.ID); tk.State != queue.Cancelled {
		t.Fatalf("voided ticket %s", tk.State)
	}
}

func TestKioskCheckInAndServices(t *testing.T) {
	f, k := kioskFixture(t)
	ctx := context.Background()
	v, err := k.CheckIn(ctx, "yy001")
	if err != nil || v.Service != "D" || v.Priority != "appointment" || v.Print != string(queue.PrintPending) {
		t.Fatalf("check-in %+v %v", v, err)
	}
	if _, err := k.CheckIn(ctx, "YY001"); code(err) != queue.CodeApptUsed || status(err) != http.StatusUnprocessableEntity {
		t.Fatalf("second check-in: %v", err)
	}
	if _, err := k.CheckIn(ctx, "YY009"); code(err) != queue.CodeApptTooEarly {
		t.Fatalf("early: %v", err)
	}
	if _, err := k.CheckIn(ctx, "NOPE"); code(err) != queue.CodeUnknownAppt || status(err) != http.StatusNotFound {
		t.Fatalf("unknown: %v", err)
	}
	if err := k.SetServiceOpen(ctx, "b", false); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Issue(ctx, hall.IssueRequest{Service: "B"}); code(err) != queue.CodeServicePaused {
		t.Fatalf("issue at a paused service: %v", err)
	}
	if err := k.SetServiceOpen(ctx, "B", true); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Issue(ctx, hall.IssueRequest{Service: "B"}); err != nil {
		t.Fatal(err)
	}
	if err := k.SetServiceOpen(ctx, "ZZ", true); code(err) != queue.CodeUnknownService {
		t.Fatalf("unknown service: %v", err)
	}
	if err := k.ReportHealth(ctx, "fault", "printer: paper out"); err != nil {
		t.Fatal(err)
	}
	_ = f
}

// A LAN kiosk that stopped mid-print (killed, power cut) asks the node, once
// it is back, to fail the prints it left pending, so staff see them; the
// pending prints of another kiosk, which may be printing right now, stay.
func TestKioskRecoverFailsOnlyItsOwnPendingPrints(t *testing.T) {
	f, k := kioskFixture(t)
	other := f.device(t, staff.Kiosk, 1)
	ctx := context.Background()
	mine, err := k.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := other.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	if err != nil {
		t.Fatal(err)
	}
	printed, _ := k.Issue(ctx, hall.IssueRequest{Service: "B", Print: true})
	if err := k.RecordPrint(ctx, printed.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, err := k.KioskRecover(ctx)
	if err != nil || len(got) != 1 || got[0].ID != mine.ID || got[0].Print != string(queue.PrintFailed) {
		t.Fatalf("recover: %+v %v", got, err)
	}
	failed, _ := f.node.PrintFailed(ctx)
	if len(failed) != 1 || failed[0].ID != mine.ID {
		t.Fatalf("staff's list %+v", failed)
	}
	if tk, _ := f.node.Ticket(ctx, theirs.ID); tk.Print != queue.PrintPending {
		t.Fatalf("the other kiosk's print became %s", tk.Print)
	}
	if tk, _ := f.node.Ticket(ctx, printed.ID); tk.Print != queue.Printed {
		t.Fatalf("a printed ticket became %s", tk.Print)
	}
	if again, err := k.KioskRecover(ctx); err != nil || len(again) != 0 {
		t.Fatalf("a second recover: %+v %v", again, err)
	}
	// Only kiosks may ask.
	if _, err := f.device(t, staff.Display, 0).KioskRecover(ctx); status(err) != http.StatusForbidden {
		t.Fatalf("a display asked: %v", err)
	}
}

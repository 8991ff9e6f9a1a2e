package hall_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// A Monday, 10:00 in Shanghai.
var monday10 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func openHall(t testing.TB, cfg queue.HallConfig, at time.Time) (*hall.Node, *clock) {
	t.Helper()
	clk := &clock{t: at}
	n, err := hall.Open(context.Background(), t.TempDir(), hall.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if err := n.Init(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return n, clk
}

func mustIssue(t testing.TB, n *hall.Node, service string) hall.Issued {
	t.Helper()
	is, err := n.Issue(context.Background(), hall.IssueRequest{Service: service, Priority: queue.Priority{Class: queue.ClassNormal}})
	if err != nil {
		t.Fatalf("issue %s: %v", service, err)
	}
	return is
}

func code(err error) queue.Code { return queue.ErrorCode(err) }

func TestIssueNumbersAndEstimate(t *testing.T) {
	n, _ := openHall(t, demohall.Config(), monday10)
	ctx := context.Background()
	for i, want := range []string{"A001", "A002", "A003"} {
		is := mustIssue(t, n, "A")
		if is.Ticket.Number != want || is.Ticket.Day != "2026-11-23" || is.Estimate.PeopleAhead != i {
			t.Fatalf("ticket %d: %+v", i, is)
		}
	}
	if is := mustIssue(t, n, "B"); is.Ticket.Number != "B001" {
		t.Fatalf("B numbering: %s", is.Ticket.Number)
	}
	// A is served by windows 1 (A3/H1), 2 (A3/B1) and 3 (B3/A1), all open:
	// with A and B busy the capacity for A is 1 + 3/4 + 1/4 = 2; 3 ahead
	// × 360 s / 2 = 540 s.
	is := mustIssue(t, n, "A")
	if is.Estimate.PeopleAhead != 3 || is.Estimate.Seconds != 540 || !is.Estimate.Known {
		t.Fatalf("estimate: %+v", is.Estimate)
	}
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "Z"}); code(err) != queue.CodeUnknownService {
		t.Fatalf("unknown service: %v", err)
	}
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "E", Priority: queue.Priority{Class: queue.ClassPriority, Reason: "elderly"}}); code(err) != queue.CodeInvalid {
		t.Fatalf("declared priority where the service takes none: %v", err)
	}
}

func TestOutsideHoursRefusesAndKeepsNoNumber(t *testing.T) {
	n, clk := openHall(t, demohall.Config(), monday10)
	clk.Set(time.Date(2026, 11, 23, 4, 30, 0, 0, time.UTC)) // 12:30, lunch
	if _, err := n.Issue(context.Background(), hall.IssueRequest{Service: "A"}); code(err) != queue.CodeOutsideHours {
		t.Fatalf("lunch: %v", err)
	}
	clk.Set(monday10)
	if is := mustIssue(t, n, "A"); is.Ticket.Number != "A001" {
		t.Fatalf("a refused issue must not use a number: got %s", is.Ticket.Number)
	}
}

func TestDailyCapSlotAndOnePerCitizen(t *testing.T) {
	cfg := demohall.Config()
	for i := range cfg.Services {
		if cfg.Services[i].Code == "D" {
			cfg.Services[i].DailyCap = 5
			cfg.Services[i].Slots = []queue.SlotQuota{{Span: queue.Span{From: 510, To: 720}, Max: 3}}
		}
	}
	n, clk := openHall(t, cfg, monday10)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		mustIssue(t, n, "D")
	}
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "D"}); code(err) != queue.CodeSlotFull {
		t.Fatalf("slot: %v", err)
	}
	clk.Set(time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)) // 14:00, no slot quota
	mustIssue(t, n, "D")
	mustIssue(t, n, "D")
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "D"}); code(err) != queue.CodeDailyCap {
		t.Fatalf("cap: %v", err)
	}

	// C takes one waiting ticket per citizen, by ID.
	id := "11010519491231002X"
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "C"}); code(err) != queue.CodeInvalidID {
		t.Fatalf("C without an ID: %v", err)
	}
	first, err := n.Issue(ctx, hall.IssueRequest{Service: "C", CitizenID: id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "C", CitizenID: id}); code(err) != queue.CodeDuplicateCitizen {
		t.Fatalf("second C ticket: %v", err)
	}
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActCancel, Ticket: first.Ticket.Number}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Issue(ctx, hall.IssueRequest{Service: "C", CitizenID: id}); err != nil {
		t.Fatalf("after cancelling, the citizen may take a new ticket: %v", err)
	}
}

// 23:59 → 00:00 in Shanghai on a machine whose clock runs in UTC; then the
// clock jumps back over midnight.
func TestDayRolloverAndClockJumpBack(t *testing.T) {
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{} // the 24-hour area's services
		cfg.Services[i].Slots = nil
	}
	lateEvening := time.Date(2026, 11, 22, 15, 59, 0, 0, time.UTC) // 23:59 Shanghai
	n, clk := openHall(t, cfg, lateEvening)
	ctx := context.Background()
	a1 := mustIssue(t, n, "A")
	a2 := mustIssue(t, n, "A")
	if a1.Ticket.ID != "2026-11-22/A001" || a2.Ticket.Number != "A002" {
		t.Fatalf("evening: %s %s", a1.Ticket.ID, a2.Ticket.ID)
	}
	clk.Set(lateEvening.Add(time.Minute)) // 00:00 Shanghai, still the 22nd in UTC
	m1 := mustIssue(t, n, "A")
	if m1.Ticket.ID != "2026-11-23/A001" {
		t.Fatalf("after midnight: %s", m1.Ticket.ID)
	}
	if m1.Estimate.PeopleAhead != 0 {
		t.Fatalf("yesterday's tickets must not count as ahead: %+v", m1.Estimate)
	}
	old, err := n.Tickets(ctx, "2026-11-22")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range old {
		if k.State != queue.Cancelled || k.Reason != "end_of_day" {
			t.Fatalf("yesterday's %s is %s (%s), want swept", k.Number, k.State, k.Reason)
		}
	}
	// The clock jumps back to 23:58 of the 22nd: the day stays the 23rd.
	clk.Set(lateEvening.Add(-time.Minute))
	m2 := mustIssue(t, n, "A")
	if m2.Ticket.ID != "2026-11-23/A002" {
		t.Fatalf("after the clock went back: %s", m2.Ticket.ID)
	}
	// And the queue stays first-come-first-served by position.
	tk, err := n.CallNext(ctx, 1, "", "test")
	if err != nil || tk.Number != "A001" {
		t.Fatalf("call after jump: %v %+v", err, tk)
	}
}

func TestCallNextIsIdempotentAndChecksTheWindow(t *testing.T) {
	n, _ := openHall(t, demohall.Config(), monday10)
	ctx := context.Background()
	mustIssue(t, n, "A")
	mustIssue(t, n, "A")
	first, err := n.CallNext(ctx, 1, "req-1", "test")
	if err != nil {
		t.Fatal(err)
	}
	again, err := n.CallNext(ctx, 1, "req-1", "test")
	if err != nil || again.ID != first.ID {
		t.Fatalf("repeat: %v %s vs %s", err, again.ID, first.ID)
	}
	if _, err := n.CallNext(ctx, 2, "req-1", "test"); code(err) != queue.CodeConflict {
		t.Fatalf("same request id at another window: %v", err)
	}
	if _, err := n.CallNext(ctx, 1, "req-2", "test"); code(err) != queue.CodeWindowBusy {
		t.Fatalf("window still has a called ticket: %v", err)
	}
	if _, err := n.CallNext(ctx, 14, "", "test"); code(err) != queue.CodeWindowNotOpen {
		t.Fatalf("paused window: %v", err)
	}
	if _, err := n.CallNext(ctx, 99, "", "test"); code(err) != queue.CodeUnknownWindow {
		t.Fatalf("unknown window: %v", err)
	}
	if _, err := n.CallNext(ctx, 4, "", "test"); code(err) != queue.CodeQueueEmpty {
		t.Fatalf("nobody waits for C: %v", err)
	}
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActStart, Window: 2}); code(err) != queue.CodeUnknownTicket {
		t.Fatalf("start at a window with nothing called: %v", err)
	}
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActStart, Ticket: first.Number, Window: 2}); code(err) != queue.CodeWrongWindow {
		t.Fatalf("start another window's ticket: %v", err)
	}
}

func TestServiceLifecycleAndEvents(t *testing.T) {
	n, clk := openHall(t, demohall.Config(), monday10)
	ctx := context.Background()
	mustIssue(t, n, "A")
	mustIssue(t, n, "A")
	steps := []struct {
		do    func() (queue.Ticket, error)
		event string
	}{
		{func() (queue.Ticket, error) { return n.CallNext(ctx, 1, "", "window:1") }, "call"},
		{func() (queue.Ticket, error) { return n.Act(ctx, hall.ActRequest{Action: queue.ActStart, Window: 1}) }, "start"},
		{func() (queue.Ticket, error) { return n.Act(ctx, hall.ActRequest{Action: queue.ActPark, Window: 1}) }, "park"},
		{func() (queue.Ticket, error) {
			return n.Act(ctx, hall.ActRequest{Action: queue.ActReturn, Ticket: "A001"})
		}, "return"},
		{func() (queue.Ticket, error) { return n.CallNext(ctx, 2, "", "window:2") }, "call"},
		{func() (queue.Ticket, error) { return n.Act(ctx, hall.ActRequest{Action: queue.ActStart, Window: 2}) }, "start"},
		{func() (queue.Ticket, error) {
			clk.Add(10 * time.Minute)
			return n.Act(ctx, hall.ActRequest{Action: queue.ActFinish, Window: 2})
		}, "finish"},
	}
	ch, cancel := n.Subscribe()
	defer cancel()
	for i, s := range steps {
		tk, err := s.do()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if tk.Number != "A001" {
			t.Fatalf("step %d acted on %s; the returned A001 keeps its place ahead of A002", i, tk.Number)
		}
		select {
		case ev := <-ch:
			if ev.Type != s.event || ev.TicketID != tk.ID {
				t.Fatalf("step %d: event %+v", i, ev)
			}
		case <-time.After(time.Second):
			t.Fatalf("step %d: no event published", i)
		}
	}
	// The finished service moved A's average: 0.2 × 600 s + 0.8 × 360 s.
	st, err := n.QueueState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// One A waits; windows 1, 2, 3 give A a capacity of 3 (nobody else waits).
	if st[0].Service.Code != "A" || st[0].Waiting != 1 || st[0].Estimate.Seconds != int(0.2*600+0.8*360)/3 {
		t.Fatalf("queue state: %+v", st[0])
	}
	evs, err := n.Events(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range evs {
		if e.Seq != int64(i+1) || e.Schema != 1 || e.NodeID == "" || e.Epoch == "" {
			t.Fatalf("outbox not gap-free or incomplete at %d: %+v", i, e)
		}
	}
}

func TestTransferAndRejoin(t *testing.T) {
	n, clk := openHall(t, demohall.Config(), monday10)
	ctx := context.Background()
	mustIssue(t, n, "A")
	clk.Add(time.Minute)
	mustIssue(t, n, "H")
	if _, err := n.CallNext(ctx, 1, "", ""); err != nil {
		t.Fatal(err)
	}
	// Window 1 transfers A001 to H: it keeps its earlier arrival, so window
	// 13 (H) calls it before H001.
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActTransfer, Window: 1, Service: "H"}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActTransfer, Window: 1, Service: "Z"}); code(err) != queue.CodeUnknownService && code(err) != queue.CodeUnknownTicket {
		t.Fatalf("transfer to unknown service: %v", err)
	}
	tk, err := n.CallNext(ctx, 14-1, "", "")
	if err != nil || tk.Number != "A001" || tk.Service != "H" {
		t.Fatalf("after transfer: %v %+v", err, tk)
	}
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActNoShow, Window: 13}); err != nil {
		t.Fatal(err)
	}
	clk.Add(5 * time.Minute)
	back, err := n.Act(ctx, hall.ActRequest{Action: queue.ActRejoin, Ticket: "A001"})
	if err != nil || back.State != queue.Waiting {
		t.Fatalf("rejoin: %v %+v", err, back)
	}
	// Its new queue position is the sequence of the event that queued it
	// again: after every position handed out before.
	evs, err := n.Events(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if last.TicketID != back.ID || last.Seq != back.QueuePos || last.Type != string(queue.ActRejoin) {
		t.Fatalf("rejoined at position %d; the last event is %d %s %s", back.QueuePos, last.Seq, last.Type, last.TicketID)
	}
	// The late citizen goes to the back: H001 is called first.
	tk, err = n.CallNext(ctx, 13, "", "")
	if err != nil || tk.Number != "H001" {
		t.Fatalf("after rejoin: %v %+v", err, tk)
	}
}

func TestRecordPrint(t *testing.T) {
	n, _ := openHall(t, demohall.Config(), monday10)
	ctx := context.Background()
	is, err := n.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	if err != nil || is.Ticket.Print != queue.PrintPending {
		t.Fatalf("issue for print: %v %+v", err, is.Ticket)
	}
	got, err := n.RecordPrint(ctx, is.Ticket.ID, errors.New("paper out"), "kiosk:1")
	if err != nil || got.Print != queue.PrintFailed {
		t.Fatalf("record print: %v, returned print state %s", err, got.Print)
	}
	ts, _ := n.Tickets(ctx, "")
	if ts[0].Print != queue.PrintFailed {
		t.Fatalf("print state %s", ts[0].Print)
	}
	evs, _ := n.Events(ctx, 0, 100)
	if last := evs[len(evs)-1]; last.Type != "print_failed" || last.TicketID != is.Ticket.ID {
		t.Fatalf("last event %+v", last)
	}
}

// Today's tally counts what staff mode shows, from the day's tickets only:
// issued, waiting now, and failed prints still in the queue (a cancelled
// ticket's failed print no longer waits for staff).
func TestTallyCountsTodaysTickets(t *testing.T) {
	n, clk := openHall(t, alwaysOpen(queue.DefaultPolicy), monday10)
	ctx := context.Background()
	mustIssue(t, n, "A") // yesterday's, swept at the first ticket of today
	clk.Add(24 * time.Hour)
	var ids []string
	for _, s := range []string{"A", "A", "B", "B", "C"} {
		is, err := n.Issue(ctx, hall.IssueRequest{Service: s, Print: true})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, is.Ticket.ID)
	}
	for _, id := range ids[:3] {
		if _, err := n.RecordPrint(ctx, id, errors.New("paper out"), "kiosk:1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActCancel, Ticket: ids[0]}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CallNext(ctx, 1, "", "test"); err != nil {
		t.Fatal(err)
	}
	got, err := n.Tally(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := n.Tickets(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := hall.DayTally{Day: ts[0].Day, Issued: len(ts)}
	for _, k := range ts {
		if k.State == queue.Waiting {
			want.Waiting++
		}
		if k.Print == queue.PrintFailed && k.State.Active() {
			want.PrintFailed++
		}
	}
	if got != want || got.Issued != 5 || got.Waiting != 3 || got.PrintFailed != 2 {
		t.Fatalf("tally %+v, from the tickets %+v; want 5 issued, 3 waiting, 2 failed", got, want)
	}
}

// A kiosk starting again fails the prints it left pending: those it
// issued, and a reprint it claimed of another kiosk's ticket; another
// kiosk's print in progress is left alone, but not one pending for a
// quarter of an hour, whose kiosk has not come back.
func TestFailInterruptedPrintsOfOneKiosk(t *testing.T) {
	n, clk := openHall(t, alwaysOpen(queue.DefaultPolicy), monday10)
	ctx := context.Background()
	abandoned, _ := n.Issue(ctx, hall.IssueRequest{Service: "C", Print: true, Actor: "kiosk:removed"})
	clk.Add(15 * time.Minute)
	mine, _ := n.Issue(ctx, hall.IssueRequest{Service: "A", Print: true, Actor: "kiosk:1"})
	theirs, _ := n.Issue(ctx, hall.IssueRequest{Service: "A", Print: true, Actor: "kiosk:2"})
	claimed, _ := n.Issue(ctx, hall.IssueRequest{Service: "B", Print: true, Actor: "kiosk:2"})
	if _, err := n.RecordPrint(ctx, claimed.Ticket.ID, errors.New("paper out"), "kiosk:2"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.ClaimReprint(ctx, claimed.Ticket.ID, "kiosk:1"); err != nil {
		t.Fatal(err)
	}
	failed, err := n.FailInterruptedPrints(ctx, "kiosk:1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range failed {
		got = append(got, k.Number)
	}
	if strings.Join(got, " ") != abandoned.Ticket.Number+" "+mine.Ticket.Number+" "+claimed.Ticket.Number {
		t.Fatalf("kiosk 1's recovery failed %v", got)
	}
	if k, _ := n.Ticket(ctx, theirs.Ticket.ID); k.Print != queue.PrintPending {
		t.Fatalf("kiosk 2's print in progress became %s", k.Print)
	}
}

// Voiding is for a ticket whose paper never came out, checked in the same
// transaction as the cancel: a ticket claimed for a reprint meanwhile, or
// printed, stays in the queue.
func TestVoidFailedPrintOnly(t *testing.T) {
	n, _ := openHall(t, alwaysOpen(queue.DefaultPolicy), monday10)
	ctx := context.Background()
	failed, _ := n.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	reprinting, _ := n.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	printed, _ := n.Issue(ctx, hall.IssueRequest{Service: "A", Print: true})
	for _, id := range []string{failed.Ticket.ID, reprinting.Ticket.ID} {
		if _, err := n.RecordPrint(ctx, id, errors.New("paper out"), "kiosk:1"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.RecordPrint(ctx, printed.Ticket.ID, nil, "kiosk:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := n.ClaimReprint(ctx, reprinting.Ticket.ID, "staff"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{reprinting.Ticket.ID, printed.Ticket.ID} {
		if _, err := n.VoidFailedPrint(ctx, id, "kiosk:1"); code(err) != queue.CodeInvalidTransition {
			t.Errorf("void of %s: %v, want invalid transition", id, err)
		}
	}
	// By its number, as the kiosk's staff page names it.
	got, err := n.VoidFailedPrint(ctx, failed.Ticket.Number, "kiosk:1")
	if err != nil || got.State != queue.Cancelled || got.ID != failed.Ticket.ID {
		t.Fatalf("void of the failed ticket: %v %+v", err, got)
	}
	ts, _ := n.Tickets(ctx, "")
	for _, k := range ts {
		if want := k.ID != failed.Ticket.ID; k.State.Active() != want {
			t.Errorf("%s is %s after the voids", k.Number, k.State)
		}
	}
}

func TestInitTwiceIsRefused(t *testing.T) {
	n, _ := openHall(t, demohall.Config(), monday10)
	if err := n.Init(context.Background(), demohall.Config()); code(err) != queue.CodeInvalid {
		t.Fatalf("second init: %v", err)
	}
}

// Two programs on one data directory (the kiosk's node and a hallq
// command): a subscriber of one hears what the other commits, through the
// node's outbox watcher, without anything else polling.
func TestSubscriberHearsAnotherProcessesCommits(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := hall.Open(ctx, dir, hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Init(ctx, alwaysOpen(queue.DefaultPolicy)); err != nil {
		t.Fatal(err)
	}
	events, stop := a.Subscribe()
	defer stop()
	b, err := hall.Open(ctx, dir, hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	is, err := b.Issue(ctx, hall.IssueRequest{Service: "A"})
	if err != nil {
		t.Fatal(err)
	}
	// This node commits too before its watcher looks: the other node's
	// earlier event must still come through, and this one's once.
	mine, err := a.Issue(ctx, hall.IssueRequest{Service: "B"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * hall.WatchEvery)
	var theirs, own int
	for theirs == 0 || own == 0 {
		select {
		case e := <-events:
			switch e.TicketID {
			case is.Ticket.ID:
				theirs++
			case mine.Ticket.ID:
				own++
			}
		case <-deadline:
			t.Fatalf("the other node's ticket reached this node's subscriber %d times, this node's %d", theirs, own)
		}
	}
	// Two more watcher rounds: this node's event is not published again.
	time.Sleep(2 * hall.WatchEvery)
	for len(events) > 0 {
		if e := <-events; e.TicketID == mine.Ticket.ID {
			own++
		}
	}
	if own != 1 {
		t.Errorf("this node's own event reached its subscriber %d times", own)
	}
}

// The wait a kiosk shows for a service is the wait of the normal ticket it
// would print: QueueState counts everyone waiting as ahead of a normal
// ticket, Issue counts in SQL.
func TestQueueStateEstimateIsTheNextNormalTicket(t *testing.T) {
	n, _ := openHall(t, alwaysOpen(queue.DefaultPolicy), monday10)
	ctx := context.Background()
	for _, svc := range []string{"A", "A", "A", "B", "H", "H"} {
		mustIssue(t, n, svc)
	}
	states, err := n.QueueState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states[:3] {
		is := mustIssue(t, n, st.Service.Code)
		if is.Estimate != st.Estimate {
			t.Errorf("%s: queue state says %+v, the next ticket got %+v", st.Service.Code, st.Estimate, is.Estimate)
		}
		if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActCancel, Ticket: is.Ticket.ID}); err != nil {
			t.Fatal(err)
		}
	}
}

// Two clerks taking one window at once: the check and the sign-in are one
// transaction, so exactly one gets it and the other hears window_taken. A
// stale sign-in (a shift that never signed out) can be taken over.
func TestTakeWindowOnce(t *testing.T) {
	n, clk := openHall(t, alwaysOpen(queue.DefaultPolicy), monday10)
	ctx := context.Background()
	var clerks []store.Account
	for _, name := range []string{"wang", "li", "zhao", "sun"} {
		a, err := n.AddAccount(ctx, name, "clerk", "x", "test")
		if err != nil {
			t.Fatal(err)
		}
		clerks = append(clerks, a)
	}
	errs := make([]error, len(clerks))
	var wg sync.WaitGroup
	for i, a := range clerks {
		wg.Go(func() { errs[i] = n.TakeWindow(ctx, 1, a, a.Name, time.Hour) })
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch code(err) {
		case "":
			won++
		case queue.CodeWindowTaken:
		default:
			t.Fatalf("%s: %v", clerks[i].Name, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d clerks got window 1: %v", won, errs)
	}
	clk.Add(2 * time.Hour)
	var loser store.Account
	for i, err := range errs {
		if err != nil {
			loser = clerks[i]
			break
		}
	}
	if err := n.TakeWindow(ctx, 1, loser, loser.Name, time.Hour); err != nil {
		t.Fatalf("taking over a stale sign-in: %v", err)
	}
}

package hall_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"sync"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

func alwaysOpen(policy queue.PolicyConfig) queue.HallConfig {
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{}
		cfg.Services[i].Slots = nil
		cfg.Services[i].OnePerCitizen = false
		cfg.Services[i].PriorityAllowed = true
	}
	for i := range cfg.Windows {
		cfg.Windows[i].State = queue.WindowOpen
	}
	cfg.Policy = policy
	return cfg
}

func waitingNow(t *testing.T, n *hall.Node) []queue.Ticket {
	t.Helper()
	var out []queue.Ticket
	if err := n.DB().Read(context.Background(), func(tx *store.Tx) (err error) {
		out, err = tx.Waiting()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Thousands of random operations from many windows, under both policies;
// after each, the hall's invariants hold.
func TestRandomOperationsKeepInvariants(t *testing.T) {
	ops := 2500
	if testing.Short() {
		ops = 400
	}
	strictCfg := queue.PolicyConfig{Name: queue.PolicyStrict, AppointmentLead: queue.Duration(10 * time.Minute)}
	for _, pc := range []queue.PolicyConfig{strictCfg, queue.DefaultPolicy} {
		for seed := int64(1); seed <= 2; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", pc.Name, seed), func(t *testing.T) {
				runRandom(t, pc, seed, ops)
			})
		}
	}
}

func runRandom(t *testing.T, pc queue.PolicyConfig, seed int64, ops int) {
	cfg := alwaysOpen(pc)
	n, clk := openHall(t, cfg, monday10)
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	windows := map[int]queue.Window{}
	for _, w := range cfg.Windows {
		windows[w.Number] = w
	}
	classes := []queue.Class{queue.ClassNormal, queue.ClassNormal, queue.ClassNormal, queue.ClassPriority, queue.ClassGreen, queue.ClassAppointment}
	calls := 0
	var busy []int
	refused := map[queue.Code]int{}
	for op := 0; op < ops; op++ {
		clk.Add(time.Duration(rng.Intn(90)) * time.Second)
		now := clk.Now()
		win := cfg.Windows[rng.Intn(len(cfg.Windows))].Number
		switch r := rng.Intn(100); {
		case r < 35:
			svc := cfg.Services[rng.Intn(len(cfg.Services))].Code
			req := hall.IssueRequest{Service: svc, Priority: queue.Priority{Class: classes[rng.Intn(len(classes))]}}
			if req.Priority.Class == queue.ClassAppointment {
				at := now.Add(time.Duration(rng.Intn(60)-20) * time.Minute)
				req.AppointmentAt = &at
			}
			if _, err := n.Issue(ctx, req); err != nil {
				t.Fatalf("op %d issue: %v", op, err)
			}
		case r < 60:
			if rng.Intn(5) > 0 {
				win = idleWindow(rng, cfg.Windows, busy, win)
			}
			before := waitingNow(t, n)
			tk, err := n.CallNext(ctx, win, fmt.Sprintf("r%d", op), "test")
			switch code(err) {
			case "":
				calls++
				checkPick(t, op, pc, now, windows[win], before, tk)
			case queue.CodeWindowBusy, queue.CodeQueueEmpty, queue.CodeWindowNotOpen:
				refused[code(err)]++
			default:
				t.Fatalf("op %d call: %v", op, err)
			}
		default:
			actions := []queue.Action{queue.ActStart, queue.ActFinish, queue.ActFinish, queue.ActRecall, queue.ActNoShow, queue.ActPark, queue.ActTransfer}
			a := actions[rng.Intn(len(actions))]
			if len(busy) > 0 && rng.Intn(5) > 0 {
				win = busy[rng.Intn(len(busy))] // mostly act where there is a ticket
			}
			req := hall.ActRequest{Action: a, Window: win, Service: cfg.Services[rng.Intn(len(cfg.Services))].Code}
			if r >= 95 {
				// Act on a random ticket of today by number: return, rejoin, cancel.
				ts, _ := n.Tickets(ctx, "")
				if len(ts) == 0 {
					continue
				}
				req = hall.ActRequest{Action: []queue.Action{queue.ActReturn, queue.ActRejoin, queue.ActCancel}[rng.Intn(3)], Ticket: ts[rng.Intn(len(ts))].Number}
			}
			if r >= 93 && r < 95 {
				st := []queue.WindowState{queue.WindowOpen, queue.WindowOpen, queue.WindowOpen, queue.WindowPaused}[rng.Intn(4)]
				if _, err := n.SetWindowState(ctx, win, st, "test"); err != nil {
					t.Fatal(err)
				}
				w := windows[win]
				w.State = st
				windows[win] = w
				continue
			}
			_, err := n.Act(ctx, req)
			switch code(err) {
			case "", queue.CodeInvalidTransition, queue.CodeUnknownTicket, queue.CodeInvalid, queue.CodeWrongWindow:
			default:
				t.Fatalf("op %d %s: %v", op, a, err)
			}
		}
		busy = checkState(t, op, n)
	}
	if calls < ops/12 {
		t.Fatalf("only %d successful calls in %d operations (refused %v): the test exercised too little", calls, ops, refused)
	}
	checkOutbox(t, n)
}

// checkPick verifies one call against the queue as it was just before.
func checkPick(t *testing.T, op int, pc queue.PolicyConfig, now time.Time, w queue.Window, before []queue.Ticket, got queue.Ticket) {
	t.Helper()
	if got.Window != w.Number || got.State != queue.Called {
		t.Fatalf("op %d: called ticket %+v", op, got)
	}
	var picked *queue.Ticket
	for i := range before {
		if before[i].ID == got.ID {
			picked = &before[i]
		}
	}
	if picked == nil {
		t.Fatalf("op %d: called %s, which was not waiting", op, got.ID)
	}
	if !w.Serves(picked.Service) {
		t.Fatalf("op %d: window %d called %s of service %s", op, w.Number, got.Number, picked.Service)
	}
	lead := pc.AppointmentLead.D()
	isDue := func(k queue.Ticket) bool {
		return k.Priority.Class == queue.ClassAppointment && k.AppointmentAt != nil && !k.AppointmentAt.After(now.Add(lead))
	}
	wait := func(k queue.Ticket) time.Duration {
		if d := now.Sub(k.ArrivedAt); d > 0 {
			return d
		}
		return 0
	}
	switch pc.Name {
	case queue.PolicyStrict:
		pc := queue.EffectiveClass(now, *picked, lead)
		for _, k := range before {
			if !w.Serves(k.Service) || k.ID == picked.ID {
				continue
			}
			if isDue(k) && !isDue(*picked) {
				t.Fatalf("op %d: called %s while appointment %s was due", op, picked.Number, k.Number)
			}
			if isDue(*picked) {
				continue
			}
			kc := queue.EffectiveClass(now, k, lead)
			if kc < pc {
				t.Fatalf("op %d: strict priority called %s (%s) while %s (%s) waited", op, picked.Number, pc, k.Number, kc)
			}
			if kc == pc && k.Service == picked.Service && k.QueuePos < picked.QueuePos {
				t.Fatalf("op %d: FIFO broken: %s called before %s in class %s", op, picked.Number, k.Number, pc)
			}
		}
	case queue.PolicyAging:
		bound := pc.MaxWait.D()
		for _, k := range before {
			if !w.Serves(k.Service) || wait(k) < bound {
				continue
			}
			if wait(*picked) < bound || wait(k) > wait(*picked) {
				t.Fatalf("op %d: aging bound broken: called %s (waited %s) while %s waited %s", op, picked.Number, wait(*picked), k.Number, wait(k))
			}
		}
	}
}

// checkState verifies the invariants of the whole hall after an operation
// and returns the windows that have a called or serving ticket.
func checkState(t *testing.T, op int, n *hall.Node) []int {
	t.Helper()
	ts, err := n.Tickets(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	numbers := map[string]bool{}
	perPrefix := map[string]int{}
	atWindow := map[int]string{}
	for _, k := range ts {
		if numbers[k.Number] {
			t.Fatalf("op %d: number %s issued twice", op, k.Number)
		}
		numbers[k.Number] = true
		perPrefix[k.Number[:1]]++
		if k.State == queue.Called || k.State == queue.Serving {
			if other, busy := atWindow[k.Window]; busy {
				t.Fatalf("op %d: window %d has %s and %s at once", op, k.Window, other, k.Number)
			}
			atWindow[k.Window] = k.Number
		}
		if (k.State == queue.Waiting) != (k.Window == 0) && k.State != queue.Done && k.State != queue.NoShow && k.State != queue.Cancelled {
			t.Fatalf("op %d: %s is %s at window %d", op, k.Number, k.State, k.Window)
		}
	}
	for p, count := range perPrefix {
		for i := 1; i <= count; i++ {
			if !numbers[queue.NumberFor(p, i)] {
				t.Fatalf("op %d: numbers of %s have a gap at %d", op, p, i)
			}
		}
	}
	busy := make([]int, 0, len(atWindow))
	for w := range atWindow {
		busy = append(busy, w)
	}
	sort.Ints(busy)
	return busy
}

func checkOutbox(t *testing.T, n *hall.Node) {
	t.Helper()
	evs, err := n.Events(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("outbox sequence has a gap at %d: %d", i+1, e.Seq)
		}
	}
}

// Twenty windows press "call next" at once, again and again: no ticket is
// called twice and none is skipped.
func TestConcurrentCallNext(t *testing.T) {
	cfg := alwaysOpen(queue.DefaultPolicy)
	cfg.Services = cfg.Services[:1] // everyone serves A
	cfg.Windows = nil
	for i := 1; i <= 20; i++ {
		cfg.Windows = append(cfg.Windows, queue.Window{Number: i, State: queue.WindowOpen, Services: []queue.WindowService{{Code: "A", Weight: 1}}})
	}
	n, _ := openHall(t, cfg, monday10)
	ctx := context.Background()
	rounds, perRound := 10, 20
	if testing.Short() {
		rounds = 3
	}
	for r := 0; r < rounds; r++ {
		for i := 0; i < perRound; i++ {
			mustIssue(t, n, "A")
		}
		var wg sync.WaitGroup
		got := make([]queue.Ticket, 21)
		errs := make([]error, 21)
		for w := 1; w <= 20; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				got[w], errs[w] = n.CallNext(ctx, w, fmt.Sprintf("round%d-w%d", r, w), "test")
			}(w)
		}
		wg.Wait()
		seen := map[string]int{}
		for w := 1; w <= 20; w++ {
			if errs[w] != nil {
				t.Fatalf("round %d window %d: %v", r, w, errs[w])
			}
			if prev, dup := seen[got[w].ID]; dup {
				t.Fatalf("round %d: %s called at windows %d and %d", r, got[w].Number, prev, w)
			}
			seen[got[w].ID] = w
		}
		// Nobody skipped: exactly the 20 oldest were called.
		for i := 1; i <= perRound; i++ {
			if _, ok := seen[queue.TicketID("2026-11-23", queue.NumberFor("A", r*perRound+i))]; !ok {
				t.Fatalf("round %d: A%03d was skipped", r, r*perRound+i)
			}
		}
		for w := 1; w <= 20; w++ {
			if _, err := n.Act(ctx, hall.ActRequest{Action: queue.ActNoShow, Window: w}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The store counts people ahead in SQL; queue.Ahead is the rule in Go.
func TestCountAheadMatchesDomainRule(t *testing.T) {
	n, clk := openHall(t, alwaysOpen(queue.DefaultPolicy), monday10)
	ctx := context.Background()
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		clk.Add(time.Duration(rng.Intn(60)) * time.Second)
		req := hall.IssueRequest{Service: []string{"A", "B"}[rng.Intn(2)], Priority: queue.Priority{Class: queue.Class(rng.Intn(4))}}
		if req.Priority.Class == queue.ClassAppointment && rng.Intn(4) > 0 {
			at := clk.Now().Add(time.Duration(rng.Intn(90)-30) * time.Minute)
			req.AppointmentAt = &at
		}
		if _, err := n.Issue(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	waiting := waitingNow(t, n)
	lead := 10 * time.Minute
	now := clk.Now()
	for _, svc := range []string{"A", "B"} {
		for c := queue.ClassAppointment; c <= queue.ClassNormal; c++ {
			for _, appt := range []*time.Time{nil, ptr(now.Add(5 * time.Minute)), ptr(now.Add(time.Hour))} {
				probe := queue.Ticket{Service: svc, Priority: queue.Priority{Class: c}, AppointmentAt: appt}
				want := queue.Ahead(now, probe, waiting, lead)
				var got int
				n.DB().Read(ctx, func(tx *store.Tx) error {
					in, err := tx.IssueInputs(now.Format(time.DateOnly), svc, queue.EffectiveClass(now, probe, lead), now.Add(lead))
					got = in.Ahead
					return err
				})
				if got != want {
					t.Errorf("%s class %s appt %v: SQL %d, Go %d", svc, c, appt, got, want)
				}
			}
		}
	}
}

func ptr(t time.Time) *time.Time { return &t }

// idleWindow returns a window without a called or serving ticket, or
// fallback when all are busy.
func idleWindow(rng *rand.Rand, windows []queue.Window, busy []int, fallback int) int {
	isBusy := map[int]bool{}
	for _, b := range busy {
		isBusy[b] = true
	}
	var idle []int
	for _, w := range windows {
		if !isBusy[w.Number] {
			idle = append(idle, w.Number)
		}
	}
	if len(idle) == 0 {
		return fallback
	}
	return idle[rng.Intn(len(idle))]
}

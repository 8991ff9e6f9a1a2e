package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

func TestIssueCallAndActionsThroughTheAPI(t *testing.T) {
	f := newFixture(t, httpapi.Options{})
	ctx := context.Background()
	kiosk := f.device(t, "kiosk", 0)
	clerk := f.user(t, "zhang", "clerk")
	is, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A", Priority: queue.Priority{Class: queue.ClassNormal}})
	if err != nil || is.Number != "A001" || is.PeopleAhead == nil {
		t.Fatalf("issue: %+v %v", is, err)
	}
	if err := clerk.SignIn(ctx, 1); err != nil {
		t.Fatal(err)
	}
	called, err := clerk.CallNext(ctx, 1, "req-1", "")
	if err != nil || called.Number != "A001" || called.State != "called" || called.Window != 1 {
		t.Fatalf("call: %+v %v", called, err)
	}
	again, err := clerk.CallNext(ctx, 1, "req-1", "")
	if err != nil || again.Number != "A001" {
		t.Fatalf("repeated call: %+v %v", again, err)
	}
	for _, a := range []queue.Action{queue.ActRecall, queue.ActStart, queue.ActFinish} {
		v, err := clerk.Act(ctx, hall.ActRequest{Action: a, Window: 1})
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		t.Logf("%s -> %s", a, v.State)
	}
	_, err = clerk.CallNext(ctx, 1, "", "")
	if queue.ErrorCode(err) != queue.CodeQueueEmpty {
		t.Fatalf("empty queue: %v", err)
	}
	var ae *httpapi.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusConflict || ae.Message != "当前没有等候的号码" && ae.Message == "" {
		t.Fatalf("error answer: %+v", ae)
	}
	// Pause shows on the window; a paused window cannot call.
	if w, err := clerk.SetWindowState(ctx, 1, queue.WindowPaused, ""); err != nil || w.State != queue.WindowPaused {
		t.Fatalf("pause: %+v %v", w, err)
	}
	kiosk.Issue(ctx, hall.IssueRequest{Service: "A"})
	if _, err := clerk.CallNext(ctx, 1, "", ""); queue.ErrorCode(err) != queue.CodeWindowNotOpen {
		t.Fatalf("call at a paused window: %v", err)
	}
	// Idempotent mutations: the same key gives the same answer, once.
	seq := f.seq(t)
	for i := 0; i < 3; i++ {
		st, _, body := rawKey(t, "POST", f.url+"/api/v1/windows/1/state", clerk.Token, "state-1", `{"state":"open"}`)
		if st != 200 || !strings.Contains(body, `"open"`) {
			t.Fatalf("state %d: %d %s", i, st, body)
		}
	}
	if got := f.seq(t); got != seq+1 {
		t.Fatalf("three copies of one request wrote %d events", got-seq)
	}
	if st, code, _ := rawKey(t, "POST", f.url+"/api/v1/windows/1/state", clerk.Token, "state-1", `{"state":"paused"}`); st != 409 || code != queue.CodeConflict {
		t.Fatalf("reused key with another body: %d %s", st, code)
	}
	ts, err := clerk.Tickets(ctx, "")
	if err != nil || len(ts) != 2 || ts[0].State != "done" {
		t.Fatalf("tickets: %+v %v", ts, err)
	}
	// Staff mode's counts of the day: A001 done, A002 waiting.
	if tally, err := kiosk.Tally(ctx); err != nil || tally.Day != ts[0].Day || tally.Issued != 2 || tally.Waiting != 1 || tally.PrintFailed != 0 {
		t.Fatalf("tally: %+v %v", tally, err)
	}
}

// Twenty windows press "call next" at once over HTTP, round after round:
// no ticket is called twice and none is skipped.
func TestTwentyWindowsCallConcurrently(t *testing.T) {
	f := newFixture(t, httpapi.Options{})
	ctx := context.Background()
	manager := f.user(t, "wang", "manager")
	kiosk := f.device(t, "kiosk", 0)
	windows := []int{1, 2, 3}
	for n := 15; n <= 31; n++ {
		windows = append(windows, n)
	}
	// Twenty windows serving A, one caller each, each calling, starting
	// and finishing as fast as it can until the queue is empty.
	rounds, perRound := 5, 100
	if testing.Short() {
		rounds = 2
	}
	for round := 0; round < rounds; round++ {
		issued := map[string]bool{}
		for i := 0; i < perRound; i++ {
			v, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A"})
			if err != nil {
				t.Fatal(err)
			}
			issued[v.ID] = true
		}
		var mu sync.Mutex
		calledBy := map[string]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(windows))
		for g := range windows {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				w := windows[g]
				for {
					v, err := manager.CallNext(ctx, w, fmt.Sprintf("r%d-g%d-%d", round, g, time.Now().UnixNano()), "")
					switch queue.ErrorCode(err) {
					case "":
					case queue.CodeQueueEmpty:
						return
					default:
						errs <- err
						return
					}
					mu.Lock()
					if prev, dup := calledBy[v.ID]; dup {
						errs <- fmt.Errorf("%s called twice (windows %d and %d)", v.Number, prev, w)
					}
					calledBy[v.ID] = w
					mu.Unlock()
					if _, err := manager.Act(ctx, hall.ActRequest{Action: queue.ActStart, Window: w}); err != nil {
						errs <- err
						return
					}
					if _, err := manager.Act(ctx, hall.ActRequest{Action: queue.ActFinish, Window: w}); err != nil {
						errs <- err
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		var missing []string
		for id := range issued {
			if _, ok := calledBy[id]; !ok {
				missing = append(missing, id)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 || len(calledBy) != len(issued) {
			t.Fatalf("round %d: %d issued, %d called, skipped %v", round, len(issued), len(calledBy), missing)
		}
	}
}

// Only successful answers are kept for replay: a request refused for the
// citizen's sake (they already hold a number) may be sent again under the
// same key once that is no longer so, and is then carried out.
func TestRefusalIsNotReplayed(t *testing.T) {
	f := newFixture(t, httpapi.Options{})
	kiosk := f.device(t, "kiosk", 0)
	const body = `{"service":"C","citizen_id":"330102199001011234"}`
	first, err := kiosk.Issue(context.Background(), hall.IssueRequest{Service: "C", CitizenID: "330102199001011234"})
	if err != nil {
		t.Fatal(err)
	}
	if st, code, b := rawKey(t, "POST", f.url+"/api/v1/tickets", kiosk.Token, "again-1", body); st != 409 || code != queue.CodeDuplicateCitizen {
		t.Fatalf("second number for the citizen: %d %s %s", st, code, b)
	}
	if _, err := f.node.Act(context.Background(), hall.ActRequest{Action: queue.ActCancel, Ticket: first.ID}); err != nil {
		t.Fatal(err)
	}
	st, _, b := rawKey(t, "POST", f.url+"/api/v1/tickets", kiosk.Token, "again-1", body)
	if st != 201 || !strings.Contains(b, `"C002"`) {
		t.Fatalf("the same request after the first number was cancelled: %d %s", st, b)
	}
}

package queue_test

import (
	"strings"
	"testing"
	"time"

	"hallq/queue"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func ticketIn(s queue.State) queue.Ticket {
	t := queue.Ticket{ID: "2026-11-23/A001", Number: "A001", Service: "A", State: s, ArrivedAt: t0, IssuedAt: t0, QueuePos: 1}
	switch s {
	case queue.Called, queue.Serving, queue.Parked:
		t.Window = 3
	case queue.NoShow, queue.Done, queue.Cancelled:
		at := t0
		t.FinishedAt = &at
	}
	return t
}

// Every action from every state: allowed ones land in the right state,
// all others are refused with invalid_transition and change nothing.
func TestTransitionTable(t *testing.T) {
	states := []queue.State{queue.Waiting, queue.Called, queue.Serving, queue.Done, queue.NoShow, queue.Cancelled, queue.Parked}
	want := map[queue.Action]map[queue.State]queue.State{
		queue.ActCall:     {queue.Waiting: queue.Called},
		queue.ActRecall:   {queue.Called: queue.Called},
		queue.ActStart:    {queue.Called: queue.Serving},
		queue.ActFinish:   {queue.Serving: queue.Done},
		queue.ActNoShow:   {queue.Called: queue.NoShow},
		queue.ActPark:     {queue.Serving: queue.Parked},
		queue.ActReturn:   {queue.Parked: queue.Waiting},
		queue.ActTransfer: {queue.Called: queue.Waiting, queue.Serving: queue.Waiting},
		queue.ActRejoin:   {queue.NoShow: queue.Waiting},
		queue.ActCancel:   {queue.Waiting: queue.Cancelled, queue.Parked: queue.Cancelled},
		queue.ActSweep:    {queue.Waiting: queue.Cancelled, queue.Called: queue.NoShow, queue.Serving: queue.Done, queue.Parked: queue.Cancelled},
	}
	for action, ok := range want {
		for _, from := range states {
			t.Run(string(action)+"/"+string(from), func(t *testing.T) {
				tk := ticketIn(from)
				before := tk
				_, err := tk.Apply(action, queue.Change{Window: 3, Service: "B", QueuePos: 99}, t0.Add(time.Minute), queue.DefaultRules)
				to, allowed := ok[from]
				if !allowed {
					if queue.ErrorCode(err) != queue.CodeInvalidTransition {
						t.Fatalf("want invalid_transition, got %v", err)
					}
					if tk.State != before.State || tk.Window != before.Window {
						t.Fatalf("refused action changed the ticket: %+v", tk)
					}
					return
				}
				if err != nil {
					t.Fatalf("want %s, got error %v", to, err)
				}
				if tk.State != to {
					t.Fatalf("state %s, want %s", tk.State, to)
				}
			})
		}
	}
}

func TestWindowActionsOnlyAtTheTicketsWindow(t *testing.T) {
	for _, a := range []queue.Action{queue.ActRecall, queue.ActStart, queue.ActNoShow, queue.ActTransfer} {
		tk := ticketIn(queue.Called)
		_, err := tk.Apply(a, queue.Change{Window: 4, Service: "B"}, t0, queue.DefaultRules)
		if queue.ErrorCode(err) != queue.CodeWrongWindow {
			t.Errorf("%s from window 4 on a ticket at 3: got %v", a, err)
		}
	}
}

func TestRecallLimitThenAutomaticNoShow(t *testing.T) {
	tk := ticketIn(queue.Called)
	r := queue.Rules{RecallLimit: 2, RejoinGrace: time.Minute}
	for i := 1; i <= 2; i++ {
		tr, err := tk.Apply(queue.ActRecall, queue.Change{Window: 3}, t0, r)
		if err != nil || tk.State != queue.Called || tk.Recalls != i || tr.Event != "recall" {
			t.Fatalf("recall %d: %v %+v", i, err, tk)
		}
	}
	tr, err := tk.Apply(queue.ActRecall, queue.Change{Window: 3}, t0, r)
	if err != nil || tk.State != queue.NoShow || tr.Event != "auto_no_show" {
		t.Fatalf("third recall: %v, state %s, event %s", err, tk.State, tr.Event)
	}
}

func TestTransferKeepsArrivalAndNumber(t *testing.T) {
	tk := ticketIn(queue.Serving)
	if _, err := tk.Apply(queue.ActTransfer, queue.Change{Window: 3, Service: "B"}, t0.Add(time.Hour), queue.DefaultRules); err != nil {
		t.Fatal(err)
	}
	if tk.Service != "B" || tk.TransferredFrom != "A" || tk.Number != "A001" || !tk.ArrivedAt.Equal(t0) || tk.QueuePos != 1 || tk.Window != 0 {
		t.Fatalf("after transfer: %+v", tk)
	}
	tk2 := ticketIn(queue.Serving)
	if _, err := tk2.Apply(queue.ActTransfer, queue.Change{Window: 3, Service: "A"}, t0, queue.DefaultRules); queue.ErrorCode(err) != queue.CodeInvalid {
		t.Fatalf("transfer to its own service: %v", err)
	}
}

func TestRejoinOnlyWithinGraceAndAtTheBack(t *testing.T) {
	r := queue.Rules{RecallLimit: 2, RejoinGrace: 30 * time.Minute}
	tk := ticketIn(queue.NoShow)
	late := t0.Add(31 * time.Minute)
	if _, err := tk.Apply(queue.ActRejoin, queue.Change{QueuePos: 50}, late, r); queue.ErrorCode(err) != queue.CodeInvalidTransition {
		t.Fatalf("rejoin after grace: %v", err)
	}
	inTime := t0.Add(29 * time.Minute)
	if _, err := tk.Apply(queue.ActRejoin, queue.Change{QueuePos: 50}, inTime, r); err != nil {
		t.Fatal(err)
	}
	if tk.State != queue.Waiting || tk.QueuePos != 50 || !tk.ArrivedAt.Equal(inTime) || tk.FinishedAt != nil {
		t.Fatalf("after rejoin: %+v", tk)
	}
}

func TestReturnKeepsPlace(t *testing.T) {
	tk := ticketIn(queue.Parked)
	if _, err := tk.Apply(queue.ActReturn, queue.Change{}, t0.Add(time.Hour), queue.DefaultRules); err != nil {
		t.Fatal(err)
	}
	if tk.State != queue.Waiting || tk.QueuePos != 1 || !tk.ArrivedAt.Equal(t0) {
		t.Fatalf("after return: %+v", tk)
	}
}

func TestParsePriority(t *testing.T) {
	for _, w := range []string{"normal", "appointment", "green", "priority", "elderly", "disabled", "pregnant", "soldier"} {
		p, err := queue.ParsePriority(w)
		if err != nil || p.Word() != w {
			t.Errorf("%s: %v %+v", w, err, p)
		}
	}
	if p, err := queue.ParsePriority(""); err != nil || p.Class != queue.ClassNormal {
		t.Errorf("no word: %v %+v", err, p)
	}
	// The refusal names every word that would have been taken.
	if _, err := queue.ParsePriority("vip"); queue.ErrorCode(err) != queue.CodeInvalid || !strings.Contains(err.Error(), "priority, normal, elderly") {
		t.Errorf("vip: %v", err)
	}
}

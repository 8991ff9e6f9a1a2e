package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// The call candidates carry every field the calling policies read, equal
// to the whole rows', in the same order, so each policy picks the same
// ticket from them as from the whole rows: waiting tickets of two
// services over every class, with appointments due and not yet due and
// arrivals out of queue order (as transfers and returns leave them), and
// tickets in other states that must not be candidates.
func TestCallCandidatesPickAsWholeRows(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(7, 11))
	const day = "2026-11-30"
	err := db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetMeta(store.MetaEpoch, "e1"); err != nil {
			return err
		}
		for i := 1; i <= 300; i++ {
			svc := []string{"A", "B", "C"}[rng.IntN(3)]
			k := queue.Ticket{Day: day, Service: svc, Seq: i, State: queue.Waiting, QueuePos: int64(rng.IntN(100000)),
				Priority:  queue.Priority{Class: queue.Class(rng.IntN(4))},
				IssuedAt:  now.Add(-time.Duration(rng.IntN(7200)) * time.Second),
				ArrivedAt: now.Add(-time.Duration(rng.IntN(7200)) * time.Second)}
			k.Number = fmt.Sprintf("%s%03d", "X", i)
			k.ID = queue.TicketID(day, k.Number)
			if k.Priority.Class == queue.ClassAppointment {
				at := now.Add(time.Duration(rng.IntN(7200)-3600) * time.Second)
				k.AppointmentAt = &at
			}
			if rng.IntN(5) == 0 {
				k.State = []queue.State{queue.Called, queue.Done, queue.Cancelled, queue.Parked}[rng.IntN(4)]
			}
			if err := tx.InsertTicket(k, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		for _, services := range [][]string{{"A"}, {"A", "B"}, {"C", "B", "A"}} {
			whole, err := tx.Waiting(services...)
			if err != nil {
				return err
			}
			cands, err := tx.CallCandidates(services...)
			if err != nil {
				return err
			}
			if len(whole) != len(cands) || len(whole) < 20 {
				t.Fatalf("%v: %d candidates, %d waiting", services, len(cands), len(whole))
			}
			for i, w := range whole {
				c := cands[i]
				if c.ID != w.ID || c.Service != w.Service || c.Priority.Class != w.Priority.Class || c.QueuePos != w.QueuePos ||
					!c.ArrivedAt.Equal(w.ArrivedAt) || (c.AppointmentAt == nil) != (w.AppointmentAt == nil) ||
					c.AppointmentAt != nil && !c.AppointmentAt.Equal(*w.AppointmentAt) || c.State != queue.Waiting {
					t.Fatalf("%v: candidate %d is %+v, the row %+v", services, i, c, w)
				}
			}
			var win queue.Window
			for i, s := range services {
				win.Services = append(win.Services, queue.WindowService{Code: s, Weight: i + 1})
			}
			for _, pc := range []queue.PolicyConfig{
				queue.DefaultPolicy,
				{Name: queue.PolicyStrict, AppointmentLead: queue.Duration(10 * time.Minute)},
				{Name: queue.PolicyAging, MaxWait: queue.Duration(30 * time.Minute), AppointmentLead: queue.Duration(20 * time.Minute)},
			} {
				p, err := queue.NewPolicy(pc)
				if err != nil {
					return err
				}
				for _, at := range []time.Time{now, now.Add(40 * time.Minute), now.Add(3 * time.Hour)} {
					if a, b := p.Pick(at, win, whole), p.Pick(at, win, cands); a != b {
						t.Errorf("%s at %s over %v: picks %d from rows, %d from candidates", pc.Name, at, services, a, b)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

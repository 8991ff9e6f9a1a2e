package replica_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/replica"
	"hallq/queue/store"
)

func outboxCounts(t *testing.T, db *store.DB) (rows, pending, events int) {
	t.Helper()
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		p, err := tx.OutboxPending()
		pending = int(p)
		evs, err2 := tx.Events(0, 1<<20)
		rows = len(evs)
		counts, err3 := tx.EventCountsByTicket()
		for _, c := range counts {
			events += c[0]
		}
		return errors.Join(err, err2, err3)
	})
	if err != nil {
		t.Fatal(err)
	}
	return
}

// Acknowledged outbox rows go after the retention period, pending ones
// never; the events themselves stay in the hall's history.
func TestPruneAfterRetention(t *testing.T) {
	ctx := context.Background()
	st := newCentre(t)
	tok, _ := st.AddClient(ctx, "H1", central.KindNode, time.Now())
	db := newNode(t)
	clock := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	sy := &replica.Syncer{DB: db, T: central.Local{S: &central.Service{Store: st}, Token: tok}, Hall: "H1",
		Now: func() time.Time { return clock }, Retention: 7 * 24 * time.Hour}
	appendEvents(t, db, 40)
	if err := sy.Once(ctx); err != nil {
		t.Fatal(err)
	}
	appendEvents(t, db, 5) // written later, not yet sent
	clock = clock.Add(6 * 24 * time.Hour)
	if n, _ := sy.Prune(ctx); n != 0 {
		t.Fatalf("pruned %d rows inside the retention period", n)
	}
	clock = clock.Add(2 * 24 * time.Hour)
	if n, err := sy.Prune(ctx); n != 40 || err != nil {
		t.Fatalf("pruned %d rows (%v), want the 40 acknowledged", n, err)
	}
	rows, pending, events := outboxCounts(t, db)
	if rows != 5 || pending != 5 || events != 45 {
		t.Fatalf("after pruning: %d outbox rows, %d pending, %d events; want 5, 5, 45", rows, pending, events)
	}
	if err := sy.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if ps := pushState(t, db); ps.Acked != 45 || ps.Count != 45 {
		t.Fatalf("push state after pruning %+v", ps)
	}
}

// pushDown fails every push: the centre is unreachable for uploads
// (a proxy that refuses large bodies, say) but answers reads.
type pushDown struct{ replica.Transport }

func (pushDown) Push(context.Context, *replica.PushRequest) (*replica.PushResponse, error) {
	return nil, errors.New("upload refused")
}

// Downloads never wait for uploads, and a snapshot reset leaves the
// outbox alone: pending events stay pending and are sent afterwards.
func TestDownloadsWithoutUploadsAndResetKeepsOutbox(t *testing.T) {
	ctx := context.Background()
	st := newCentre(t)
	tok, _ := st.AddClient(ctx, "H1", central.KindNode, time.Now())
	now := time.Now()
	in := []central.CaseIn{{Number: "SP1", Hall: "H1", ItemCode: "I1", Kind: "promised", Applicant: "李四", CheckCode: "1", Accepted: now, Status: "accepted"}}
	if _, err := central.PublishCases(ctx, st, in, now); err != nil {
		t.Fatal(err)
	}
	db := newNode(t)
	appendEvents(t, db, 12)
	local := central.Local{S: &central.Service{Store: st}, Token: tok}
	sy := &replica.Syncer{DB: db, T: pushDown{local}, Hall: "H1"}
	if err := sy.Once(ctx); err == nil {
		t.Fatal("a refused upload went unreported")
	}
	caseStatus := func() string {
		var s string
		db.Read(ctx, func(tx *store.Tx) error {
			c, err := tx.Case("SP1")
			s = string(c.Status)
			return err
		})
		return s
	}
	if got := caseStatus(); got != "accepted" {
		t.Fatalf("case not pulled while uploads fail: %q", got)
	}
	// The stream is compacted past the node's cursor: a snapshot reset.
	in[0].Status = "finished"
	central.PublishCases(ctx, st, in, now.Add(time.Minute))
	central.PublishCases(ctx, st, in, now.Add(2*time.Minute))
	if err := st.Compact(ctx, "H1", 3); err != nil {
		t.Fatal(err)
	}
	if err := sy.Once(ctx); err == nil {
		t.Fatal("a refused upload went unreported")
	}
	if s := sy.Stats(); s.Resets == 0 || caseStatus() != "finished" {
		t.Fatalf("no snapshot reset: %+v, case %q", s, caseStatus())
	}
	if rows, pending, events := outboxCounts(t, db); rows != 12 || pending != 12 || events != 12 {
		t.Fatalf("the reset touched the outbox: %d rows, %d pending, %d events", rows, pending, events)
	}
	sy.T = local
	if err := sy.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if ps := pushState(t, db); ps.Acked != 12 {
		t.Fatalf("after the reset: %+v", ps)
	}
}

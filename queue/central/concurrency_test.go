package central_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/replica"
)

// Writers publish to one hall's stream at the same time while a node
// follows it. A sequence handed out before commit would let the follower
// read seq k+1 before a slower transaction committed k, and skip k for
// good; here every change it reads must follow from the one before
// (sequence, count and checksum), and it must end at the head.
func TestConcurrentPublishFollowsCommitOrder(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			const writers, rounds = 8, 30
			var wg sync.WaitGroup
			done := make(chan struct{})
			for w := range writers {
				wg.Go(func() {
					for r := range rounds {
						puts := make([]central.Put, 1+(w+r)%3)
						for i := range puts {
							puts[i] = central.Put{Type: "case", Key: fmt.Sprintf("case/W%d-%d-%d", w, r, i),
								Data: json.RawMessage(fmt.Sprintf(`{"number":"W%d-%d-%d"}`, w, r, i)), UpdatedAt: time.Now()}
						}
						if _, err := st.Publish(ctx, "C", puts); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			go func() { wg.Wait(); close(done) }()
			var seq, count int64
			var sum uint32
			finished := false
			for {
				select {
				case <-done:
					finished = true
				default:
				}
				fr, err := st.Feed(ctx, "C", seq, 50)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range fr.Changes {
					if c.Seq != seq+1 || c.Count != count+1 || c.Sum != sum+replica.ChangeHash(c) {
						t.Fatalf("after %d (%d/%d) came %d (%d/%d): a change was skipped", seq, count, sum, c.Seq, c.Count, c.Sum)
					}
					seq, count, sum = c.Seq, c.Count, c.Sum
				}
				if finished && len(fr.Changes) == 0 {
					if seq != fr.Head || seq == 0 {
						t.Fatalf("follower at %d, head %d", seq, fr.Head)
					}
					break
				}
			}
			snap, err := st.Snapshot(ctx, "C")
			if err != nil || snap.Seq != seq || snap.Count != count || snap.Sum != sum {
				t.Fatalf("snapshot %d/%d/%d, follower %d/%d/%d (%v)", snap.Seq, snap.Count, snap.Sum, seq, count, sum, err)
			}
		})
	}
}

// The same batches pushed several times at once (a node's retry racing
// its first attempt through a slow proxy) land exactly once.
func TestConcurrentDuplicatePushes(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			now := time.Now()
			var batches [][]replica.Event
			var calls int
			for b := range 10 {
				var evs []replica.Event
				for i := range 50 {
					seq := int64(b*50 + i + 1)
					id := fmt.Sprintf("t%d", seq%37)
					typ := "issued"
					if seq%2 == 0 {
						typ = "call"
						calls++
					}
					evs = append(evs, ev(seq, typ, id, fmt.Sprintf(`{"id":%q,"service":"A","number":"A001","state":"called"}`, id)))
				}
				batches = append(batches, evs)
			}
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for b := 0; b < len(batches); {
						resp, err := st.Ingest(ctx, "D", &replica.PushRequest{Node: "n", Epoch: "e", StartSeq: 1, Events: batches[b]}, now)
						if err != nil {
							t.Error(err)
							return
						}
						if resp.Conflict != 0 {
							t.Errorf("identical repeats reported as a conflict: %+v", resp)
							return
						}
						b = int(resp.HighWater / 50) // resend what the centre lacks
					}
				})
			}
			wg.Wait()
			seqs, err := central.StreamSeqs(ctx, st, "D", "n", "e")
			if err != nil || len(seqs) != 500 || seqs[0] != 1 || seqs[499] != 500 {
				t.Fatalf("centre holds %d events (%v)", len(seqs), err)
			}
			stats, _ := st.Stats(ctx)
			if stats.Calls != int64(calls) {
				t.Fatalf("%d calls at the centre, %d pushed", stats.Calls, calls)
			}
			// A different event under a held key is a conflict, not a repeat.
			other := batches[3][7]
			other.Actor = "kiosk:9"
			resp, err := st.Ingest(ctx, "D", &replica.PushRequest{Node: "n", Epoch: "e", StartSeq: 1, Events: []replica.Event{batches[3][6], other, ev(501, "call", "t1", `{}`)}}, now)
			if err != nil || resp.Conflict != other.Seq || resp.HighWater != 500 {
				t.Fatalf("conflicting repeat: %+v %v", resp, err)
			}
			if seqs, _ := central.StreamSeqs(ctx, st, "D", "n", "e"); len(seqs) != 500 {
				t.Fatalf("a batch with a conflict was applied: %d events", len(seqs))
			}
		})
	}
}

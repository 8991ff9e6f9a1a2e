package central_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/central/pgtest"
	"hallq/queue/replica"
)

func stores(t *testing.T) map[string]central.Store {
	ctx := context.Background()
	sq, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sq.Close() })
	out := map[string]central.Store{"sqlite": sq}
	{
		pg, err := central.OpenPostgres(ctx, pgtest.Start(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pg.Close() })
		out["postgres"] = pg
	}
	return out
}

func ev(seq int64, typ, ticket string, data string) replica.Event {
	return replica.Event{Seq: seq, Type: typ, TicketID: ticket, Window: 2, Actor: "window:2", At: time.UnixMilli(1_800_000_000_000 + seq).UTC(), Schema: 1, Data: json.RawMessage(data)}
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			svc := &central.Service{Store: st, Now: func() time.Time { return now }}
			tokA, err := st.AddClient(ctx, "A", central.KindNode, now)
			if err != nil {
				t.Fatal(err)
			}
			tokB, _ := st.AddClient(ctx, "B", central.KindNode, now)
			appr, _ := st.AddClient(ctx, "*", central.KindApproval, now)

			if _, err := svc.Push(ctx, tokA+"x", &replica.PushRequest{Node: "n", Epoch: "e"}); !isCode(err, replica.CodeUnauthorized) {
				t.Fatalf("wrong secret: %v", err)
			}
			ticket := func(id string) string {
				return fmt.Sprintf(`{"id":%q,"service":"A","number":"A001","state":"called"}`, id)
			}
			batch := []replica.Event{ev(1, "issued", "t1", ticket("t1")), ev(2, "call", "t1", ticket("t1")), ev(3, "rating", "", `{"ticket_id":"t1","level":9}`),
				ev(4, "device_paper_out", "", `{"device":"printer-k1","kind":"paper_out","state":{"state":"paper_out","detail":"paper out","paper_remaining_mm":0}}`), ev(5, "future", "", `{}`)}
			batch[4].Schema = 99
			resp, err := svc.Push(ctx, tokA, &replica.PushRequest{Node: "n", Epoch: "e", StartSeq: 1, SentAt: now.Add(-3 * time.Second), Events: batch})
			if err != nil {
				t.Fatal(err)
			}
			if resp.HighWater != 5 || resp.Count != 5 || len(resp.Quarantined) != 2 {
				t.Fatalf("first push: %+v", resp)
			}
			var sum uint32
			for _, e := range batch {
				sum += replica.EventHash(e)
			}
			if resp.Sum != sum {
				t.Fatalf("sum %d, want %d", resp.Sum, sum)
			}
			// Repeats are ignored; a batch after a gap gets the expected sequence.
			resp2, err := svc.Push(ctx, tokA, &replica.PushRequest{Node: "n", Epoch: "e", StartSeq: 1, Events: batch[:3]})
			if err != nil || resp2.HighWater != 5 || resp2.Count != 5 || resp2.Sum != sum {
				t.Fatalf("repeat: %+v %v", resp2, err)
			}
			resp3, err := svc.Push(ctx, tokA, &replica.PushRequest{Node: "n", Epoch: "e", Events: []replica.Event{ev(8, "call", "t1", ticket("t1"))}})
			if err != nil || resp3.Expect != 6 || resp3.HighWater != 5 {
				t.Fatalf("gap: %+v %v", resp3, err)
			}
			// An old node (schema 0) is upgraded, not refused.
			old := ev(6, "finish", "t1", ticket("t1"))
			old.Schema = 0
			resp4, err := svc.Push(ctx, tokA, &replica.PushRequest{Node: "n", Epoch: "e", Events: []replica.Event{old}})
			if err != nil || resp4.HighWater != 6 || len(resp4.Quarantined) != 0 {
				t.Fatalf("old schema: %+v %v", resp4, err)
			}
			stats, _ := st.Stats(ctx)
			if stats.Events != 6 || stats.Quarantined != 2 || stats.Tickets != 1 || stats.Calls != 1 || stats.Devices != 1 {
				t.Fatalf("stats %+v", stats)
			}
			if skew, _ := central.Skew(ctx, st, central.Client{Hall: "A", ID: strings.Split(tokA, "/")[1]}); skew != 3000 {
				t.Fatalf("skew %d, want 3000", skew)
			}
			// Streams: a node reads its own hall's and the global one only.
			if _, err := svc.Feed(ctx, tokA, replica.HallStream("B"), 0, 10); !isCode(err, replica.CodeForbidden) {
				t.Fatalf("other hall's stream: %v", err)
			}
			if _, err := svc.PutCases(ctx, tokB, nil); !isCode(err, replica.CodeForbidden) {
				t.Fatalf("node posting cases: %v", err)
			}
			in := []central.CaseIn{{Number: "SP1", Hall: "A", ItemCode: "I1", Kind: "promised", Applicant: "张三丰", CheckCode: "5678", Accepted: now, Status: "accepted"},
				{Number: "SP2", Hall: "B", ItemCode: "I1", Kind: "immediate", Applicant: "330102199001011234", Accepted: now, Status: "finished"}}
			if _, err := svc.PutCases(ctx, appr, in); err != nil {
				t.Fatal(err)
			}
			fr, err := svc.Feed(ctx, tokA, replica.HallStream("A"), 0, 10)
			if err != nil || len(fr.Changes) != 1 || fr.Head != 1 {
				t.Fatalf("feed A: %+v %v", fr, err)
			}
			body := string(fr.Changes[0].Data)
			if strings.Contains(body, "三丰") || strings.Contains(body, "5678") || !strings.Contains(body, "张**") {
				t.Fatalf("case not masked: %s", body)
			}
			// Compaction past a cursor asks for a snapshot.
			in[0].Status = "finished"
			now = now.Add(time.Minute)
			svc.PutCases(ctx, appr, in[:1])
			if err := st.Compact(ctx, "A", 1); err != nil {
				t.Fatal(err)
			}
			if fr, _ := svc.Feed(ctx, tokA, replica.HallStream("A"), 0, 10); !fr.Reset {
				t.Fatalf("compacted feed: %+v", fr)
			}
			snap, err := svc.Snapshot(ctx, tokA, replica.HallStream("A"))
			if err != nil || snap.Seq != 2 || snap.Count != 2 || len(snap.Changes) != 1 {
				t.Fatalf("snapshot: %+v %v", snap, err)
			}
		})
	}
}

func isCode(err error, code string) bool {
	var e *replica.Error
	return errors.As(err, &e) && e.Code == code
}

func TestParseCasesCSV(t *testing.T) {
	csv := "受理编号,大厅,事项编码,办件类型,申请人,查询码,受理时间,承诺办结日期,状态,办结时间\n" +
		"SP1,A,I1,promised,张三,1234,2026-11-20 09:30,2026-11-27,processing,\n" +
		"SP2,A,I1,sometimes,李四,1,2026-11-20 09:30,,accepted,\n"
	_, err := central.ParseCasesCSV(strings.NewReader(csv), time.UTC)
	if err == nil || !strings.Contains(err.Error(), "row 3") {
		t.Fatalf("bad kind not reported by row: %v", err)
	}
	in, err := central.ParseCasesCSV(strings.NewReader(strings.Split(csv, "SP2")[0]), time.UTC)
	if err != nil || len(in) != 1 || in[0].Accepted.Hour() != 9 {
		t.Fatalf("%+v %v", in, err)
	}
}

package display_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"hallq/kiosk/display"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

// fuzzEvents are the stream's event names a script line can pick by its
// first byte.
var fuzzEvents = []string{"call", "ticket", "window", "snapshot", "heartbeat", "rating", "device", "hall", ""}

// The display applies whatever the hall's stream carries. Whatever the
// messages, the model does not panic and keeps what it promises: at most
// Keep recent calls; a number called again shows once (at the top); an
// event the state already holds, or one it cannot read, changes nothing;
// "unchanged" means nothing a viewer sees changed.
func FuzzModelApply(f *testing.F) {
	snap := func(s hall.Snapshot) []byte { b, _ := json.Marshal(s); return b }
	line := func(kind byte, seq int64, typ string, window int, tv *hall.TicketView) []byte {
		b, _ := json.Marshal(httpapi.Event{Seq: seq, Type: typ, Window: window, At: t0, Ticket: tv})
		return append([]byte{kind}, b...)
	}
	script := func(lines ...[]byte) []byte { return bytes.Join(lines, []byte("\n")) }
	day := "2026-11-30"
	s0 := snap(hall.Snapshot{Seq: 10, HallName: "青山县政务服务中心", Day: day, At: "2026-11-30T10:00:00+08:00",
		Services:    []hall.SnapshotService{{Code: "A", NameZH: "社会保险", NameEN: "Social Insurance", Waiting: 4}},
		RecentCalls: []hall.TicketView{*ticket("t2", "A002", day, 2), *ticket("t1", "A001", day, 1)}})
	f.Add(uint8(3), s0, script(
		line(0, 11, "call", 3, ticket("t3", "A003", day, 3)),
		line(0, 12, "recall", 2, ticket("t2", "A002", day, 2)),
		line(1, 13, "finish", 0, ticket("t3", "A003", day, 3)),
		line(0, 11, "call", 1, ticket("t9", "A009", day, 1)), // a replay
	))
	f.Add(uint8(1), s0, script(
		line(0, 11, "call", 3, ticket("t3", "A003", "2026-12-01", 3)), // a new day
		line(0, 12, "call", 3, nil),
		[]byte("\x00{\"seq\":"),
	))
	f.Add(uint8(2), []byte(`{"seq":-5,"day":"","recent_calls":[{"id":"x"},{"id":"x"},{"id":"y"}],"at":"bad"}`), script(
		line(0, -4, "call", 0, ticket("x", "A001", "", 0)),
		line(3, 0, "", 0, nil),
		[]byte("\x03"+string(s0)),
	))
	f.Add(uint8(5), []byte(`null`), []byte("\x04{}\n\x02{\"seq\":1,\"type\":\"window\",\"window\":3}"))
	f.Fuzz(func(t *testing.T, keep uint8, snapshot, script []byte) {
		m := display.NewModel(int(keep%8) + 1)
		m.Now = func() time.Time { return t0 }
		msgs := []httpapi.StreamMessage{{Event: "snapshot", Data: snapshot}}
		for _, l := range bytes.Split(script, []byte("\n")) {
			if len(l) == 0 {
				continue
			}
			msgs = append(msgs, httpapi.StreamMessage{Event: fuzzEvents[int(l[0])%len(fuzzEvents)], Data: l[1:]})
		}
		for _, msg := range msgs {
			before := m.State()
			_, changed, err := m.Apply(msg)
			after := m.State()
			if len(after.Recent) > m.Keep {
				t.Fatalf("%d recent calls, keeping %d", len(after.Recent), m.Keep)
			}
			if msg.Event == "snapshot" {
				if err != nil && !reflect.DeepEqual(before, after) {
					t.Fatalf("an unreadable snapshot changed the state: %+v -> %+v", before, after)
				}
				continue
			}
			var e httpapi.Event
			readable := json.Unmarshal(msg.Data, &e) == nil
			switch {
			case msg.Event == "heartbeat" || msg.Event == "" || !readable || e.Seq <= before.Seq:
				if changed || !reflect.DeepEqual(before, after) {
					t.Fatalf("%s %q (state at %d) changed the state: %+v -> %+v", msg.Event, msg.Data, before.Seq, before, after)
				}
				continue
			}
			if after.Seq != e.Seq {
				t.Fatalf("applied event %d, state at %d", e.Seq, after.Seq)
			}
			if !changed {
				seen := after
				seen.Seq = before.Seq
				if !reflect.DeepEqual(before, seen) {
					t.Fatalf("%s %q: reported unchanged but the state changed: %+v -> %+v", msg.Event, msg.Data, before, after)
				}
			}
			if msg.Event == "call" && err == nil {
				if c, ok := after.Current(); !ok || c.Ticket != e.Ticket.ID || c.Seq != e.Seq {
					t.Fatalf("call %d of %q is not the current number: %+v", e.Seq, e.Ticket.ID, after.Recent)
				}
				for _, r := range after.Recent[1:] {
					if r.Ticket == e.Ticket.ID {
						t.Fatalf("ticket %q shows twice: %+v", r.Ticket, after.Recent)
					}
				}
			}
		}
	})
}

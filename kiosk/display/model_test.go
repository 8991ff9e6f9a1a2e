package display_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"hallq/devices/voice"
	"hallq/kiosk/display"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

var t0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

func snapshotMsg(seq int64, day string, recent ...hall.TicketView) httpapi.StreamMessage {
	s := hall.Snapshot{Seq: seq, HallName: "青山县政务服务中心", Day: day, RecentCalls: recent,
		Services: []hall.SnapshotService{{Code: "A", NameZH: "社会保险", NameEN: "Social Insurance", Waiting: 4},
			{Code: "B", NameZH: "医疗保障", NameEN: "Medical Insurance", Waiting: 1}}}
	b, _ := json.Marshal(s)
	return httpapi.StreamMessage{ID: fmt.Sprint(seq), Event: "snapshot", Data: b}
}

func eventMsg(seq int64, typ string, window int, at time.Time, t *hall.TicketView) httpapi.StreamMessage {
	b, _ := json.Marshal(httpapi.Event{Seq: seq, Type: typ, Window: window, At: at, Ticket: t})
	return httpapi.StreamMessage{ID: fmt.Sprint(seq), Event: httpapi.Stream(typ), Data: b}
}

func ticket(id, number, day string, window int) *hall.TicketView {
	return &hall.TicketView{ID: id, Number: number, Service: number[:1], Day: day, Window: window, State: "called"}
}

func numbers(s display.State) string {
	var out []string
	for _, c := range s.Recent {
		out = append(out, fmt.Sprintf("%s@%d", c.Number, c.Window))
	}
	return strings.Join(out, " ")
}

func apply(t *testing.T, m *display.Model, msg httpapi.StreamMessage) []display.Call {
	t.Helper()
	calls, _, err := m.Apply(msg)
	if err != nil {
		t.Fatal(err)
	}
	return calls
}

func TestModelFollowsSnapshotAndCalls(t *testing.T) {
	m := display.NewModel(3)
	m.Now = func() time.Time { return t0 }
	if s := m.State(); s.Conn != display.Connecting {
		t.Fatalf("new model %v", s.Conn)
	}
	prev := *ticket("t0", "B001", "2026-11-30", 3)
	prev.CalledAt = t0.Add(-time.Minute).Format(time.RFC3339)
	apply(t, m, snapshotMsg(10, "2026-11-30", prev))
	s := m.State()
	if s.Conn != display.Live || numbers(s) != "B001@3" || s.Services[0].Waiting != 4 || s.Hall == "" {
		t.Fatalf("after snapshot %+v", s)
	}
	// Live calls are announced; a recall moves its number up and is
	// announced again; the list keeps Keep calls.
	var said []string
	for i, c := range []struct {
		seq    int64
		typ    string
		id, no string
		window int
	}{{11, "call", "t1", "A001", 1}, {12, "call", "t2", "A002", 2}, {13, "recall", "t1", "A001", 1}, {14, "call", "t3", "C001", 5}} {
		for _, a := range apply(t, m, eventMsg(c.seq, c.typ, c.window, t0.Add(time.Duration(i)*time.Second), ticket(c.id, c.no, "2026-11-30", c.window))) {
			said = append(said, a.Number)
		}
	}
	if strings.Join(said, ",") != "A001,A002,A001,C001" {
		t.Fatalf("announced %v", said)
	}
	s = m.State()
	if numbers(s) != "C001@5 A001@1 A002@2" || s.Seq != 14 {
		t.Fatalf("recent %q seq %d", numbers(s), s.Seq)
	}
	// An event the state already holds (a replay overlapping the
	// snapshot) changes nothing and is not said again.
	if calls := apply(t, m, eventMsg(12, "call", 2, t0, ticket("t2", "A002", "2026-11-30", 2))); len(calls) != 0 || numbers(m.State()) != "C001@5 A001@1 A002@2" {
		t.Fatal("old event applied again")
	}
	// A heartbeat changes nothing.
	if _, changed, _ := m.Apply(httpapi.StreamMessage{Event: "heartbeat", Data: []byte(`{}`)}); changed {
		t.Fatal("heartbeat changed the state")
	}
}

func TestModelReconnectReplayAndStaleCounts(t *testing.T) {
	now := t0
	m := display.NewModel(6)
	m.Now = func() time.Time { return now }
	apply(t, m, snapshotMsg(10, "2026-11-30"))
	m.Disconnected()
	if s := m.State(); s.Conn != display.Lost {
		t.Fatalf("after drop %v", s.Conn)
	}
	// Replayed before the new snapshot: a call made 5 minutes ago is shown
	// but not said; one made 5 seconds ago is said.
	now = t0.Add(10 * time.Minute)
	if c := apply(t, m, eventMsg(11, "call", 1, now.Add(-5*time.Minute), ticket("t1", "A001", "2026-11-30", 1))); len(c) != 0 {
		t.Fatal("stale replayed call announced")
	}
	if c := apply(t, m, eventMsg(12, "call", 2, now.Add(-5*time.Second), ticket("t2", "A002", "2026-11-30", 2))); len(c) != 1 {
		t.Fatal("fresh replayed call not announced")
	}
	if s := m.State(); s.Conn != display.Lost || numbers(s) != "A002@2 A001@1" {
		t.Fatalf("during replay %v %q", s.Conn, numbers(s))
	}
	apply(t, m, snapshotMsg(12, "2026-11-30", *ticket("t2", "A002", "2026-11-30", 2), *ticket("t1", "A001", "2026-11-30", 1)))
	if s := m.State(); s.Conn != display.Live {
		t.Fatalf("after snapshot %v", s.Conn)
	}
	if _, stale := m.Stale(); stale {
		t.Fatal("counts stale right after a snapshot")
	}
	// A ticket event makes the counts stale; counts read before a later
	// event do not make them fresh.
	apply(t, m, eventMsg(13, "issued", 0, now, &hall.TicketView{ID: "t3", Number: "A003", Service: "A", Day: "2026-11-30", State: "waiting"}))
	gen, stale := m.Stale()
	if !stale {
		t.Fatal("issued did not make counts stale")
	}
	apply(t, m, eventMsg(14, "issued", 0, now, &hall.TicketView{ID: "t4", Number: "A004", Service: "A", Day: "2026-11-30", State: "waiting"}))
	m.SetCounts(gen, []hall.ServiceState{{Service: queue.Service{Code: "A"}, Waiting: 5}})
	if m.State().Services[0].Waiting != 5 {
		t.Fatal("counts not set")
	}
	gen, stale = m.Stale()
	if !stale {
		t.Fatal("counts read before the last event taken as fresh")
	}
	m.SetCounts(gen, []hall.ServiceState{{Service: queue.Service{Code: "A"}, Waiting: 6}})
	if _, stale := m.Stale(); stale || m.State().Services[0].Waiting != 6 {
		t.Fatal("counts not fresh")
	}
	// The first ticket of the next business day clears yesterday's calls.
	apply(t, m, eventMsg(15, "issued", 0, now, &hall.TicketView{ID: "t9", Number: "A001", Service: "A", Day: "2026-12-01", State: "waiting"}))
	if s := m.State(); len(s.Recent) != 0 || s.Day != "2026-12-01" {
		t.Fatalf("new day kept %q", numbers(s))
	}
}

func TestSpokenNumberAndAnnouncement(t *testing.T) {
	for in, want := range map[string]string{"A001": "A 零零一", "H120": "H 一二零", "B9": "B 九", "12": "一二"} {
		if got := display.SpokenNumberZH(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
	parts := display.Announcement(display.Call{Number: "A001", Window: 3}, 2, true)
	want := []voice.Utterance{
		{Lang: voice.Mandarin, Text: "请 A 零零一 号到 3 号窗口办理"},
		{Lang: voice.Mandarin, Text: "请 A 零零一 号到 3 号窗口办理"},
		{Lang: voice.English, Text: "Number A001, please go to window 3"},
	}
	if fmt.Sprint(parts) != fmt.Sprint(want) {
		t.Fatalf("announcement %v", parts)
	}
	if p := display.Announcement(display.Call{Number: "A001", Window: 3}, 0, false); len(p) != 1 {
		t.Fatalf("repeat 0 without English: %v", p)
	}
}

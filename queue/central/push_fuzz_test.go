package central_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/replica"
)

// pushFixture is a centre on a SQLite file behind its real handler, with a
// node credential of hall H1.
type pushFixture struct {
	st  central.Store
	url string
	tok string
}

func newPushFixture(f *testing.F) *pushFixture {
	ctx := context.Background()
	st, err := central.OpenSQLite(ctx, filepath.Join(f.TempDir(), "c.db"))
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer((&central.Service{Store: st}).Handler())
	f.Cleanup(func() { srv.Close(); st.Close() })
	tok, err := st.AddClient(ctx, "H1", central.KindNode, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	return &pushFixture{st: st, url: srv.URL, tok: tok}
}

// push posts body and checks what every answer must be: never a 5xx, and
// a refusal is a JSON error with a code that changed nothing.
func (p *pushFixture) push(t *testing.T, body []byte) (replica.PushResponse, bool) {
	t.Helper()
	ctx := context.Background()
	before, err := p.st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", p.url+"/api/v1/push", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+p.tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Fatalf("push %q: %d %s", body, resp.StatusCode, b)
	}
	if resp.StatusCode != http.StatusOK {
		var e replica.Error
		if json.Unmarshal(b, &e) != nil || e.Code == "" {
			t.Fatalf("push %q: %d without an error code: %s", body, resp.StatusCode, b)
		}
		if after, _ := p.st.Stats(ctx); after != before {
			t.Fatalf("push %q refused (%d %s) but the centre changed: %+v -> %+v", body, resp.StatusCode, b, before, after)
		}
		return replica.PushResponse{}, false
	}
	var out replica.PushResponse
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("push %q: 200 with %s: %v", body, b, err)
	}
	if after, _ := p.st.Stats(ctx); out.Conflict > 0 && (after.Events != before.Events || after.Quarantined != before.Quarantined) {
		t.Fatalf("push %q: conflict at %d but events were applied: %+v -> %+v", body, out.Conflict, before, after)
	}
	return out, true
}

// Whatever a node (or anything holding its credential) posts as a push body,
// the centre answers 200 or a 4xx JSON error, and a 4xx changes nothing.
func FuzzPushBody(f *testing.F) {
	p := newPushFixture(f)
	f.Add([]byte(`{"node":"n1","epoch":"e1","start_seq":1,"events":[]}`))
	f.Add([]byte(`{"node":"n1","epoch":"e1","start_seq":1,"sent_at":"2026-11-30T02:00:00Z","skew_ms":-120,"events":[{"seq":1,"type":"issued","ticket_id":"20261130-A001","window":0,"actor":"kiosk:1","at":"2026-11-30T01:00:00Z","schema":1,"data":{"id":"20261130-A001","service":"A","number":"A001","state":"waiting"}}]}`))
	f.Add([]byte(`{"node":"","epoch":"e1"}`))
	f.Add([]byte(`{"node":"n1","epoch":"e1","events":[{"seq":"1"}]}`))
	f.Add([]byte(`{"node":"n1","epoch":"e1","start_seq":-9223372036854775808,"skew_ms":9223372036854775807}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"node":"n1"`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p.push(t, body)
	})
}

// Inside a well-formed envelope, arbitrary events: the stream's high-water
// mark only moves forward, and only by the events the centre stored; a
// refused or conflicting batch leaves it where it was.
func FuzzPushEvents(f *testing.F) {
	p := newPushFixture(f)
	ev := func(seq int64, typ, data string) string {
		return fmt.Sprintf(`{"seq":%d,"type":%q,"ticket_id":"20261130-A%03d","window":2,"actor":"window:2","at":"2026-11-30T01:%02d:00Z","schema":1,"data":%s}`,
			seq, typ, seq, seq%60, data)
	}
	ticket := `{"id":"20261130-A001","day":"2026-11-30","service":"A","number":"A001","state":"called","window":2}`
	f.Add(int64(1), "["+ev(1, "issued", ticket)+"]")
	f.Add(int64(1), "["+ev(1, "issued", ticket)+","+ev(2, "call", ticket)+","+ev(3, "rating", `{"ticket_id":"20261130-A001","level":5}`)+"]")
	f.Add(int64(1), "["+ev(5, "call", ticket)+"]") // after a gap
	f.Add(int64(1), "["+ev(1, "issued", `{"id":"other"}`)+"]")
	f.Add(int64(0), "["+ev(2, "device", `{"kind":"printer","status":"paper_low"}`)+","+ev(2, "device", `{}`)+"]")
	f.Add(int64(100), "["+ev(100, "hall_init", `null`)+"]")
	f.Add(int64(1), `[{"seq":9223372036854775807,"type":"x","at":"0001-01-01T00:00:00Z","schema":-1,"data":"\u0000"}]`)
	f.Add(int64(1), `[{}]`)
	f.Add(int64(1), `{"seq":1}`)
	f.Fuzz(func(t *testing.T, start int64, events string) {
		env := func(evs string) []byte {
			return []byte(fmt.Sprintf(`{"node":"n1","epoch":"e1","start_seq":%d,"sent_at":"2026-11-30T02:00:00Z","events":%s}`, start, evs))
		}
		// The mark before, by an empty push (which also creates the stream).
		first, ok := p.push(t, env("[]"))
		if !ok {
			t.Fatal("an empty push was refused")
		}
		ctx := context.Background()
		before, _ := p.st.Stats(ctx)
		if !json.Valid([]byte(events)) {
			events = fmt.Sprintf("%q", events) // still a well-formed envelope
		}
		out, ok := p.push(t, env(events))
		if !ok {
			return
		}
		after, _ := p.st.Stats(ctx)
		stored := after.Events - before.Events
		if out.HighWater < first.HighWater {
			t.Fatalf("events %s: high-water mark went back from %d to %d", events, first.HighWater, out.HighWater)
		}
		if out.HighWater-first.HighWater != stored || out.Count-first.Count != stored {
			t.Fatalf("events %s: mark %d -> %d, count %d -> %d, but %d events stored", events, first.HighWater, out.HighWater, first.Count, out.Count, stored)
		}
		if out.Conflict > 0 && stored != 0 {
			t.Fatalf("events %s: conflict at %d yet %d events stored", events, out.Conflict, stored)
		}
	})
}

package httpapi_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
	"hallq/queue/store"
)

// hallData is what a refused request must leave as it was: the outbox
// (every change the hall makes writes one event), today's tickets and
// ratings.
type hallData struct {
	seq     int64
	tickets []queue.Ticket
	ratings []store.Rating
}

func dataOf(t testing.TB, n *hall.Node) hallData {
	t.Helper()
	ctx := context.Background()
	s, err := n.Snapshot(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := n.Tickets(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := n.Ratings(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	return hallData{seq: s.Seq, tickets: ts, ratings: rs}
}

// The mutation endpoints take bodies from kiosks, pads and browsers on the
// hall's network. Whatever the bytes, the answer is a JSON error the caller
// can act on (4xx) or a success, never a 5xx; and a refused request
// changes nothing in the hall.
func FuzzMutationBodies(f *testing.F) {
	fx := newFixture(f, httpapi.Options{})
	ctx := context.Background()
	kiosk := fx.device(f, "kiosk", 0)
	pad := fx.device(f, "pad", 1)
	clerk := fx.user(f, "zhang", "clerk")
	if err := clerk.SignIn(ctx, 1); err != nil {
		f.Fatal(err)
	}
	for range 3 {
		if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
			f.Fatal(err)
		}
	}
	endpoints := []struct{ path, token string }{
		{"/api/v1/tickets", kiosk.Token},
		{"/api/v1/windows/1/call", clerk.Token},
		{"/api/v1/ratings", pad.Token},
		{"/api/v1/windows/1/state", clerk.Token},
		{"/api/v1/windows/1/start", clerk.Token},
		{"/api/v1/windows/1/finish", clerk.Token},
		{"/api/v1/windows/1/transfer", clerk.Token},
		{"/api/v1/devices/health", kiosk.Token},
	}

	f.Add(uint8(0), false, `{"service":"A","priority":"normal"}`)
	f.Add(uint8(0), true, `{"service":"B","priority":"elderly","citizen_id":"110101199003077777","print":true}`)
	f.Add(uint8(0), false, `{"service":"A","appointment_id":"Y1","appointment_at":"2026-11-30T09:00:00+08:00"}`)
	f.Add(uint8(0), true, `{"service":"Z"}`)
	f.Add(uint8(1), false, `{}`)
	f.Add(uint8(1), true, ``)
	f.Add(uint8(2), false, `{"ticket":"A001","level":5,"reasons":["态度好"]}`)
	f.Add(uint8(2), false, `{"ticket":"A001","level":-1}`)
	f.Add(uint8(3), false, `{"state":"paused"}`)
	f.Add(uint8(3), false, `{"state":"open"}`)
	f.Add(uint8(5), false, `{"request_id":"r1"}`)
	f.Add(uint8(6), false, `{"service":"B","reason":"转办"}`)
	f.Add(uint8(7), false, `{"printer":"ok","paper":"low"}`)
	f.Add(uint8(0), false, `{"service":"A","priority":"normal"`)
	f.Add(uint8(2), false, `[1,2,3]`)
	f.Add(uint8(1), false, "\xff\xfe{\"request_id\":\""+strings.Repeat("x", 200)+"\"}")

	var keys int
	f.Fuzz(func(t *testing.T, which uint8, withKey bool, body string) {
		ep := endpoints[int(which)%len(endpoints)]
		before := dataOf(t, fx.node)
		key := ""
		if withKey {
			keys++
			key = fmt.Sprintf("fuzz-%d", keys)
		}
		a := send(t, "POST", fx.url+ep.path, ep.token, "application/json", key, body)
		if a.status >= 500 {
			t.Fatalf("POST %s %q: %d %s", ep.path, body, a.status, a.body)
		}
		if a.status < 400 {
			return
		}
		if !strings.HasPrefix(a.contentType, "application/json") {
			t.Fatalf("POST %s %q: %d answered as %q: %s", ep.path, body, a.status, a.contentType, a.body)
		}
		if a.code == "" {
			t.Fatalf("POST %s %q: %d without an error code: %s", ep.path, body, a.status, a.body)
		}
		if after := dataOf(t, fx.node); !reflect.DeepEqual(before, after) {
			t.Fatalf("POST %s %q refused (%d %s) but the hall changed: outbox %d -> %d, tickets %d -> %d, ratings %d -> %d",
				ep.path, body, a.status, a.body, before.seq, after.seq, len(before.tickets), len(after.tickets), len(before.ratings), len(after.ratings))
		}
	})
}

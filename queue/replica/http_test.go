package replica_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hallq/queue/central"
	"hallq/queue/replica"
	"hallq/queue/store"
)

func newNode(t *testing.T) *store.DB {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Write(context.Background(), func(tx *store.Tx) error {
		tx.SetMeta(store.MetaNodeID, store.RandomID(8))
		return tx.SetMeta(store.MetaEpoch, store.RandomID(8))
	})
	return db
}

// newCentre opens a central store in a SQLite file of the test's own,
// closed when the test ends.
func newCentre(t *testing.T) central.Store {
	t.Helper()
	st, err := central.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func appendEvents(t *testing.T, db *store.DB, n int) {
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		for range n {
			if _, err := tx.AppendEvent("call", "2026-11-23/A001", 1, "window:1", time.Now(), map[string]string{"id": "2026-11-23/A001"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func pushState(t *testing.T, db *store.DB) store.PushState {
	var ps store.PushState
	db.Read(context.Background(), func(tx *store.Tx) error {
		e, _ := tx.Meta(store.MetaEpoch)
		ps, _ = tx.PushState(e)
		return nil
	})
	return ps
}

// Over HTTPS: push in batches, cases and catalogue down, and a node kept
// to its own hall.
func TestHTTPS(t *testing.T) {
	ctx := context.Background()
	st := newCentre(t)
	svc := &central.Service{Store: st}
	srv := httptest.NewTLSServer(svc.Handler())
	defer srv.Close()
	tok, _ := st.AddClient(ctx, "H1", central.KindNode, time.Now())
	other, _ := st.AddClient(ctx, "H2", central.KindNode, time.Now())
	appr, _ := st.AddClient(ctx, "*", central.KindApproval, time.Now())

	body := `{"cases":[{"number":"SP9","hall_id":"H1","item_code":"I1","kind":"supplement","applicant":"王小明","check_code":"4321","accepted":"2026-11-20T01:00:00Z","status":"supplement"}]}`
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/cases", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+appr)
	resp, err := srv.Client().Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("post cases: %v %v", resp.Status, err)
	}
	if _, err := central.PublishCatalogue(ctx, st, "2026.11", []byte(`{"version":"2026.11","items":[]}`), time.Now()); err != nil {
		t.Fatal(err)
	}

	db := newNode(t)
	appendEvents(t, db, 2500)
	sy := &replica.Syncer{DB: db, T: &replica.HTTPClient{Base: srv.URL, Token: tok, Client: srv.Client()}, Hall: "H1"}
	if err := sy.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if ps := pushState(t, db); ps.Acked != 2500 || ps.Count != 2500 {
		t.Fatalf("push state %+v", ps)
	}
	err = db.Read(ctx, func(tx *store.Tx) error {
		c, err := tx.Case("SP9")
		if err != nil {
			return err
		}
		if c.ApplicantMasked != "王**" || c.CheckHash == "" || c.Status != "supplement" {
			t.Errorf("case %+v", c)
		}
		v, _, err := tx.Catalogue()
		if v != "2026.11" {
			t.Errorf("catalogue %q", v)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bad := &replica.Syncer{DB: newNode(t), T: &replica.HTTPClient{Base: srv.URL, Token: other, Client: srv.Client()}, Hall: "H1"}
	var e *replica.Error
	if err := bad.Once(ctx); !errors.As(err, &e) || e.Code != replica.CodeForbidden {
		t.Fatalf("reading another hall's stream: %v", err)
	}
	// Plain JSON from an older node without a schema field is accepted.
	old := []byte(`{"node":"old","epoch":"e1","start_seq":1,"events":[{"seq":1,"type":"call","at":"2026-11-23T01:00:00Z","data":{}}]}`)
	req, _ = http.NewRequest("POST", srv.URL+"/api/v1/push", bytes.NewReader(old))
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := srv.Client().Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("old node refused: %v %v", resp.Status, err)
	}
}

// failing fails its first n pushes, then passes them on; it counts resets.
type failing struct {
	replica.Transport
	n, resets atomic.Int64
}

func (f *failing) Push(ctx context.Context, r *replica.PushRequest) (*replica.PushResponse, error) {
	if f.n.Add(-1) >= 0 {
		return nil, errors.New("connection reset")
	}
	return f.Transport.Push(ctx, r)
}

func (f *failing) Reset() { f.resets.Add(1) }

// Follow retries on its own timer (no new local write needed) and the
// watchdog trips while the outbox does not shrink.
func TestFollowRetriesAndWatchdog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st := newCentre(t)
	tok, _ := st.AddClient(ctx, "H1", central.KindNode, time.Now())
	f := &failing{Transport: central.Local{S: &central.Service{Store: st}, Token: tok}}
	f.n.Store(20)
	db := newNode(t)
	appendEvents(t, db, 30)
	sy := &replica.Syncer{DB: db, T: f, Hall: "H1", MinBackoff: 10 * time.Millisecond, MaxBackoff: 80 * time.Millisecond,
		PollEvery: 50 * time.Millisecond, WatchdogAfter: 200 * time.Millisecond}
	go sy.Follow(ctx)
	for pushState(t, db).Acked != 30 {
		if ctx.Err() != nil {
			t.Fatalf("not acknowledged: %+v %+v", pushState(t, db), sy.Stats())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if f.resets.Load() == 0 || sy.Stats().WatchdogTrips == 0 {
		t.Fatalf("watchdog never tripped: %+v", sy.Stats())
	}
}

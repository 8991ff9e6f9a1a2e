package replica_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/central"
	"hallq/queue/hall"
	"hallq/queue/replica"
)

// Start syncs in the background, a ticket reaching the centre within a
// round trip, and the function it returns ends the sync and waits for it:
// after it returns the node can close, and the centre hears nothing more.
func TestStartAndStop(t *testing.T) {
	ctx := context.Background()
	st := newCentre(t)
	var requests atomic.Int64
	handler := (&central.Service{Store: st}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		handler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	node, err := hall.Open(ctx, t.TempDir(), hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := node.Init(ctx, demohall.Config()); err != nil {
		t.Fatal(err)
	}
	tok, _ := st.AddClient(ctx, demohall.Config().ID, central.KindNode, time.Now())
	stop, err := replica.Start(ctx, node, replica.Config{Central: srv.URL, Token: tok})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := node.SetWindowState(ctx, 1, queue.WindowPaused, "test"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if s, _ := st.Stats(ctx); s.Events > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the node's events never reached the centre")
		}
	}
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return")
	}
	if err := node.Close(); err != nil {
		t.Fatal(err)
	}
	before := requests.Load()
	time.Sleep(1500 * time.Millisecond) // the sync loop polls every second
	if after := requests.Load(); after != before {
		t.Fatalf("%d requests reached the centre after stop returned", after-before)
	}
}

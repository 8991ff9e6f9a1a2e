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

// Start syncs in the background, and a commit goes up at once: the node's
// event bus wakes the sync, so with a poll an hour away the event still
// reaches the centre within a round trip. The function Start returns ends
// the sync and waits for it: a commit after it returns reaches nobody, and
// the node can close.
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
	defer node.Close()
	if err := node.Init(ctx, demohall.Config()); err != nil {
		t.Fatal(err)
	}
	tok, _ := st.AddClient(ctx, demohall.Config().ID, central.KindNode, time.Now())
	stop, err := replica.Start(ctx, node, replica.Config{Central: srv.URL, Token: tok, PollEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	arrived := func() int64 {
		s, _ := st.Stats(ctx)
		return s.Events
	}
	// The first round (the events of Init) is under way; let it finish.
	for deadline := time.Now().Add(10 * time.Second); arrived() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the node's first events never reached the centre")
		}
	}
	first := arrived()
	if _, err := node.SetWindowState(ctx, 1, queue.WindowPaused, "test"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); arrived() == first; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a commit did not go up until the next poll: the sync does not hear the node's bus")
		}
	}
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("stop did not return")
	}
	before := requests.Load()
	if _, err := node.SetWindowState(ctx, 1, queue.WindowOpen, "test"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if after := requests.Load(); after != before {
		t.Fatalf("%d requests reached the centre after stop returned", after-before)
	}
}

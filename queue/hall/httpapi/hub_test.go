package httpapi

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// flakyOutbox is a real hall node whose next outbox reads fail.
type flakyOutbox struct {
	*hall.Node
	fail  atomic.Int32 // reads still to fail
	reads atomic.Int32
}

func (f *flakyOutbox) Events(ctx context.Context, after int64, limit int) ([]store.OutboxEvent, error) {
	f.reads.Add(1)
	if f.fail.Add(-1) >= 0 {
		return nil, errors.New("disk I/O error (injected)")
	}
	return f.Node.Events(ctx, after, limit)
}

// A failed outbox read is tried again by itself: in a quiet hall no
// further commit would come to wake the hub, and the call would stay off
// the displays. The failure is logged, and so is the recovery.
func TestHubRetriesAFailedRead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n, err := hall.Open(ctx, t.TempDir(), hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.Init(ctx, demohall.Config()); err != nil {
		t.Fatal(err)
	}
	src := &flakyOutbox{Node: n}
	var logged bytes.Buffer
	h := newHub(src, time.UTC, slog.New(slog.NewTextHandler(&logged, nil)))
	done := make(chan struct{})
	go func() { defer close(done); h.run(ctx) }()
	defer cancel()
	<-h.ready

	h.mu.Lock()
	before := h.last
	h.mu.Unlock()
	_, _, changed := h.since(before)
	src.fail.Store(1)
	// One commit, and with it one wake-up of the hub; its read fails.
	if _, err := n.SetWindowState(ctx, 1, queue.WindowPaused, "test"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(pullRetry + 3*time.Second):
		t.Fatalf("the event never reached the hub (%d reads)", src.reads.Load())
	}
	if got := src.reads.Load(); got < 2 {
		t.Errorf("%d outbox reads: the event came without the failed read being retried", got)
	}
	cancel()
	<-done
	if got := logged.String(); strings.Count(got, "reading the outbox failed") != 1 || strings.Count(got, "reading the outbox again") != 1 {
		t.Errorf("the hub logged:\n%s\nwant the failure and the recovery once each", got)
	}
	frames, ok, _ := h.since(before)
	if !ok || len(frames) != 1 || frames[0].seq != before+1 {
		t.Fatalf("after the retry the hub holds %d frames after %d (ok %v), want the one event", len(frames), before, ok)
	}
}

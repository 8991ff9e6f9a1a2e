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
	fail     atomic.Int32 // reads still to fail
	reads    atomic.Int32
	failSnap atomic.Int32 // snapshots still to fail
}

func (f *flakyOutbox) Snapshot(ctx context.Context, recent int) (hall.Snapshot, error) {
	if f.failSnap.Add(-1) >= 0 {
		return hall.Snapshot{}, errors.New("disk I/O error (injected)")
	}
	return f.Node.Snapshot(ctx, recent)
}

func (f *flakyOutbox) Events(ctx context.Context, after int64, limit int) ([]store.OutboxEvent, error) {
	f.reads.Add(1)
	if f.fail.Add(-1) >= 0 {
		return nil, errors.New("disk I/O error (injected)")
	}
	return f.Node.Events(ctx, after, limit)
}

// demoNode is a new demo hall in a real SQLite file, closed at the end.
func demoNode(t *testing.T) *hall.Node {
	t.Helper()
	n, err := hall.Open(context.Background(), t.TempDir(), hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if err := n.Init(context.Background(), demohall.Config()); err != nil {
		t.Fatal(err)
	}
	return n
}

// A failed outbox read is tried again by itself: in a quiet hall no
// further commit would come to wake the hub, and the call would stay off
// the displays. A lasting failure is logged once, and so is the recovery.
func TestHubRetriesAFailedRead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := demoNode(t)
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
	src.fail.Store(3)
	// One commit, and with it one wake-up of the hub; its read fails, and
	// so do the next two tries.
	if _, err := n.SetWindowState(ctx, 1, queue.WindowPaused, "test"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(3*pullRetry + 3*time.Second):
		t.Fatalf("the event never reached the hub (%d reads)", src.reads.Load())
	}
	if got := src.reads.Load(); got < 4 {
		t.Errorf("%d outbox reads: the event came without the three failed reads being retried", got)
	}
	cancel()
	<-done
	if got := logged.String(); strings.Count(got, "reading the outbox failed") != 1 || strings.Count(got, "reading the outbox again") != 1 {
		t.Errorf("the hub logged:\n%s\nwant the failure (three reads in a row) and the recovery once each", got)
	}
	frames, ok, _ := h.since(before)
	if !ok || len(frames) != 1 || frames[0].seq != before+1 {
		t.Fatalf("after the retry the hub holds %d frames after %d (ok %v), want the one event", len(frames), before, ok)
	}
}

// A hub whose first read of the outbox's end fails serves nobody until it
// has it, then starts there: from 0 it would replay the whole retained
// outbox. The failure is logged once.
func TestHubStartsAtTheOutboxEnd(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := demoNode(t)
	end, err := n.Snapshot(ctx, 0)
	if err != nil || end.Seq == 0 {
		t.Fatalf("the new hall's outbox ends at %d (%v)", end.Seq, err)
	}
	src := &flakyOutbox{Node: n}
	src.failSnap.Store(2)
	var logged bytes.Buffer
	h := newHub(src, time.UTC, slog.New(slog.NewTextHandler(&logged, nil)))
	done := make(chan struct{})
	go func() { defer close(done); h.run(ctx) }()
	select {
	case <-h.ready:
	case <-time.After(2*pullRetry + 3*time.Second):
		t.Fatal("the hub never became ready")
	}
	h.mu.Lock()
	last := h.last
	h.mu.Unlock()
	if last != end.Seq {
		t.Errorf("the hub starts after %d, want the outbox end %d", last, end.Seq)
	}
	cancel()
	<-done
	if got := strings.Count(logged.String(), "reading where the outbox ends failed"); got != 1 {
		t.Errorf("the start-up failure was logged %d times, want once:\n%s", got, logged.String())
	}
}

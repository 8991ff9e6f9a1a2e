package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
)

// pct returns the p-quantile of ds (sorted in place).
func pct(ds []time.Duration, p float64) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[int(float64(len(ds)-1)*p)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Call → event at 100 connected display clients: each iteration a clerk
// calls over HTTP, and the time from sending the call to each client
// reading its "call" event is one sample. p50 and p99 are over every
// client of every call. Each client has its own connection and parses
// the stream as the displays do.
// Run with -benchtime=Nx, N < 999 (one service's numbers for a day).
func BenchmarkCallToEvent100Clients(b *testing.B) {
	const clients = 100
	f := newFixture(b, httpapi.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	manager := f.user(b, "wang", "manager")
	display := f.device(b, "display", 0)
	got := make(chan time.Time, clients*4)
	var ready sync.WaitGroup
	ready.Add(clients)
	for i := 0; i < clients; i++ {
		c := &httpapi.Client{BaseURL: f.url, Token: display.Token, HTTP: &http.Client{Transport: &http.Transport{}}}
		go func() {
			first := true
			c.Events(ctx, -1, func(m httpapi.StreamMessage) error {
				switch {
				case m.Event == "call":
					got <- time.Now()
				case first && m.Event == "snapshot":
					first = false
					ready.Done()
				}
				return nil
			})
		}()
	}
	ready.Wait()
	if b.N >= 999 {
		b.Fatalf("b.N %d: use -benchtime=Nx with N < 999", b.N)
	}
	samples := make([]time.Duration, 0, b.N*clients)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := f.node.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if _, err := manager.CallNext(ctx, 1, "", ""); err != nil {
			b.Fatal(err)
		}
		for k := 0; k < clients; k++ {
			select {
			case at := <-got:
				samples = append(samples, at.Sub(t0))
			case <-time.After(10 * time.Second):
				b.Fatalf("call %d: only %d of %d clients got the event", i, k, clients)
			}
		}
		b.StopTimer()
		if _, err := f.node.Act(ctx, hall.ActRequest{Action: queue.ActNoShow, Window: 1, Actor: "bench"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(ms(pct(samples, 0.50)), "p50-ms")
	b.ReportMetric(ms(pct(samples, 0.99)), "p99-ms")
	b.ReportMetric(ms(pct(samples, 1)), "max-ms")
}

// Issue throughput over real HTTP on 127.0.0.1: kiosks (20 in parallel)
// take numbers, spread over the hall's services (999 numbers each a day).
func BenchmarkIssueHTTP(b *testing.B) {
	f := newFixture(b, httpapi.Options{})
	ctx := context.Background()
	kiosk := f.device(b, "kiosk", 0)
	snap, err := f.node.Snapshot(ctx, 0)
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.SetParallelism(10) // 10 × GOMAXPROCS kiosks
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			svc := snap.Services[int(i)%len(snap.Services)].Code
			if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: svc}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "issues/s")
}

// Call throughput over real HTTP: twenty windows serving one queue call
// in parallel. The queue is kept at a fixed depth, since the engine reads
// the waiting queue at every call: after each call the clerk marks a
// no-show and a kiosk issues a new number, both over HTTP (req/s counts
// the three requests). Run with -benchtime=Nx, N + depth < 999.
func BenchmarkCallHTTP(b *testing.B) {
	for _, depth := range []int{20, 500} {
		b.Run(fmt.Sprintf("waiting=%d", depth), func(b *testing.B) { benchCall(b, depth) })
	}
}

func benchCall(b *testing.B, depth int) {
	f := newFixture(b, httpapi.Options{})
	ctx := context.Background()
	manager := f.user(b, "wang", "manager")
	kiosk := f.device(b, "kiosk", 0)
	if b.N+depth >= 999 {
		b.Fatalf("b.N %d: use -benchtime=Nx with N + %d < 999", b.N, depth)
	}
	for i := 0; i < depth; i++ {
		if _, err := f.node.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
			b.Fatal(err)
		}
	}
	windows := []int{1, 2, 3}
	for w := 15; w <= 31; w++ {
		windows = append(windows, w)
	}
	var next atomic.Int64
	var calls atomic.Int64
	b.SetParallelism((len(windows) + 1) / 2) // ≥ 20 callers on 2 cores
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		w := windows[int(next.Add(1)-1)%len(windows)]
		for pb.Next() {
			_, err := manager.CallNext(ctx, w, fmt.Sprintf("bench-%d-%d", w, time.Now().UnixNano()), "")
			if queue.ErrorCode(err) == queue.CodeWindowBusy {
				continue // two callers share this window this run
			}
			if err != nil {
				b.Error(err)
				return
			}
			calls.Add(1)
			if _, err := manager.Act(ctx, hall.ActRequest{Action: queue.ActNoShow, Window: w}); err != nil {
				b.Error(err)
				return
			}
			if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(calls.Load())/el, "calls/s")
	b.ReportMetric(3*float64(calls.Load())/el, "req/s")
}

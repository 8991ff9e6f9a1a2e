package central_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"hallq/queue/central"
	"hallq/queue/central/pgtest"
	"hallq/queue/replica"
	"hallq/queue/store"
)

// Benchmarks of the centre; figures and commands in
// docs/bench-notes/replication.md. Run with -benchtime=1x: each is one
// fixed workload that reports its own rates.

func benchEvents(from int64, n int, hall int) []replica.Event {
	evs := make([]replica.Event, n)
	at := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for i := range evs {
		seq := from + int64(i)
		id := fmt.Sprintf("2026-11-23/A%04d", seq%5000)
		typ := "call"
		if seq%3 == 0 {
			typ = "issued"
		}
		data, _ := json.Marshal(map[string]any{"id": id, "service": "A", "number": id[11:], "state": "called", "window": 3, "issued_at": at})
		evs[i] = replica.Event{Seq: seq, Type: typ, TicketID: id, Window: 3, Actor: "window:3", At: at.Add(time.Duration(seq) * time.Second), Schema: 1, Data: data}
	}
	return evs
}

// ingest has halls push perHall events each, in batches, all at once.
func ingest(b *testing.B, st central.Store, prefix string, halls, perHall, batch int) (time.Duration, int) {
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	for h := range halls {
		wg.Go(func() {
			hall := fmt.Sprintf("%s%04d", prefix, h)
			for seq := int64(1); seq <= int64(perHall); seq += int64(batch) {
				req := &replica.PushRequest{Node: "n", Epoch: "e", StartSeq: 1, Events: benchEvents(seq, batch, h)}
				if _, err := st.Ingest(ctx, hall, req, time.Now()); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start), halls * perHall
}

func BenchmarkIngestSQLite(b *testing.B) {
	st, err := central.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "c.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for range b.N {
		d, n := ingest(b, st, fmt.Sprintf("s%d-", time.Now().UnixNano()), 50, 4000, 500)
		b.ReportMetric(float64(n)/d.Seconds(), "events/s")
	}
}

// BenchmarkIngestPostgres compares ingest by many halls at once with
// PostgreSQL's own COPY of the same rows into the same table.
func BenchmarkIngestPostgres(b *testing.B) {
	b.Setenv("PGTEST_DURABLE", "1")
	dsn := pgtest.Start(b)
	ctx := context.Background()
	st, err := central.OpenPostgres(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	const halls, perHall, batch = 50, 4000, 500
	for i := range b.N {
		d, n := ingest(b, st, fmt.Sprintf("p%d-", i), halls, perHall, batch)
		ours := float64(n) / d.Seconds()
		// COPY of the same rows (events only, one COPY per hall batch, the
		// same concurrency) into the same table.
		start := time.Now()
		var wg sync.WaitGroup
		for h := range halls {
			wg.Go(func() {
				c, err := pgx.Connect(ctx, dsn)
				if err != nil {
					b.Error(err)
					return
				}
				defer c.Close(ctx)
				hall := fmt.Sprintf("copy%d-%04d", i, h)
				for seq := int64(1); seq <= perHall; seq += batch {
					evs := benchEvents(seq, batch, h)
					rows := make([][]any, len(evs))
					now := time.Now().UnixMilli()
					for j, e := range evs {
						rows[j] = []any{hall, "n", "e", e.Seq, e.Type, e.TicketID, int64(e.Window), e.Actor, e.At.UnixMilli(), int64(e.Schema), string(e.Data), int64(replica.EventHash(e)), now}
					}
					_, err := c.CopyFrom(ctx, pgx.Identifier{"events"}, []string{"hall", "node", "epoch", "seq", "type", "ticket_id", "win", "actor", "at", "schema", "data", "hash", "received_at"}, pgx.CopyFromRows(rows))
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		cp := float64(halls*perHall) / time.Since(start).Seconds()
		b.ReportMetric(ours, "events/s")
		b.ReportMetric(cp, "copy-rows/s")
		b.ReportMetric(ours/cp, "ratio")
	}
}

func newNode(b *testing.B) *store.DB {
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "hall.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.Write(context.Background(), func(tx *store.Tx) error {
		tx.SetMeta(store.MetaNodeID, store.RandomID(8))
		return tx.SetMeta(store.MetaEpoch, store.RandomID(8))
	})
	return db
}

func backlog(b *testing.B, st central.Store) {
	ctx := context.Background()
	db := newNode(b)
	const n = 150_000
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range n {
			id := fmt.Sprintf("2026-11-23/A%04d", i%5000)
			if _, err := tx.AppendEvent("call", id, 3, "window:3", time.Now(), map[string]any{"id": id, "service": "A", "state": "called"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := st.AddClient(ctx, "backlog", central.KindNode, time.Now())
	srv := httptest.NewServer((&central.Service{Store: st}).Handler())
	defer srv.Close()
	sy := &replica.Syncer{DB: db, T: replica.NewHTTPClient(srv.URL, tok, nil), Hall: "backlog"}
	b.ResetTimer()
	start := time.Now()
	if err := sy.Once(ctx); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	b.ReportMetric(d.Seconds(), "s/150k-backlog")
	b.ReportMetric(n/d.Seconds(), "events/s")
}

func BenchmarkBacklogSQLite(b *testing.B) {
	st, err := central.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "c.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	backlog(b, st)
}

func BenchmarkBacklogPostgres(b *testing.B) {
	b.Setenv("PGTEST_DURABLE", "1")
	st, err := central.OpenPostgres(context.Background(), pgtest.Start(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	backlog(b, st)
}

// lag measures, while 1,000 simulated halls push small batches over HTTP,
// the time from a call committed at a real hall node to its
// acknowledgement by the centre (an upper bound of the lag to the centre).
func lag(b *testing.B, st central.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer((&central.Service{Store: st}).Handler())
	defer srv.Close()
	const halls = 1000
	var pushed atomic.Int64
	var wg sync.WaitGroup
	for h := range halls {
		tok, err := st.AddClient(ctx, fmt.Sprintf("lag-%04d", h), central.KindNode, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		cl := replica.NewHTTPClient(srv.URL, tok, nil)
		wg.Go(func() {
			seq := int64(1)
			// Spread the halls over the second; each pushes 1-10 events a second.
			time.Sleep(time.Duration(h) * time.Millisecond)
			for ctx.Err() == nil {
				k := 1 + int(seq%10)
				if _, err := cl.Push(ctx, &replica.PushRequest{Node: "n", Epoch: "e", StartSeq: 1, Events: benchEvents(seq, k, h)}); err == nil {
					seq += int64(k)
					pushed.Add(int64(k))
				}
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		})
	}
	db := newNode(b)
	tok, _ := st.AddClient(ctx, "probe", central.KindNode, time.Now())
	sy := &replica.Syncer{DB: db, T: replica.NewHTTPClient(srv.URL, tok, nil), Hall: "probe", PollEvery: time.Second}
	go sy.Follow(ctx)
	time.Sleep(2 * time.Second)
	start := pushed.Load()
	t0 := time.Now()
	var lags []time.Duration
	for i := range 200 {
		var seq int64
		at := time.Now()
		db.Write(ctx, func(tx *store.Tx) error {
			var err error
			seq, err = tx.AppendEvent("call", fmt.Sprintf("2026-11-23/A%03d", i), 1, "window:1", at, map[string]string{"id": fmt.Sprintf("2026-11-23/A%03d", i)})
			return err
		})
		sy.Notify()
		for {
			var ps store.PushState
			db.Read(ctx, func(tx *store.Tx) error {
				e, _ := tx.Meta(store.MetaEpoch)
				ps, _ = tx.PushState(e)
				return nil
			})
			if ps.Acked >= seq {
				break
			}
			time.Sleep(200 * time.Microsecond)
		}
		lags = append(lags, time.Since(at))
		time.Sleep(20 * time.Millisecond)
	}
	rate := float64(pushed.Load()-start) / time.Since(t0).Seconds()
	cancel()
	wg.Wait()
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(rate, "background-events/s")
}

func BenchmarkLagSQLite(b *testing.B) {
	st, err := central.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "c.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	lag(b, st)
}

func BenchmarkLagPostgres(b *testing.B) {
	b.Setenv("PGTEST_DURABLE", "1")
	st, err := central.OpenPostgres(context.Background(), pgtest.Start(b))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	lag(b, st)
}

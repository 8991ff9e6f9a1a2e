package replica_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"hallq/queue"
	"hallq/queue/central"
	"hallq/queue/central/pgtest"
	"hallq/queue/replica"
	"hallq/queue/store"
)

// The simulation runs the protocol in process over a transport that drops,
// duplicates, delays and reorders messages and loses answers, while both
// sides crash (close and reopen their databases, losing all memory) at
// random points. Once the faults stop, sync must converge: every event at
// the centre exactly once, checksums equal, every download applied.

var errNet = errors.New("sim: network fault")

// faulty wraps a transport with seeded faults.
type faulty struct {
	t       replica.Transport
	rnd     *rand.Rand
	on      bool
	delayed []func()
}

func (f *faulty) fault() int {
	if !f.on {
		return 0
	}
	return f.rnd.IntN(10) // 0-4 fine, 5 drop, 6 lose answer, 7 duplicate, 8 delay, 9 replay an old one first
}

func do[T any](f *faulty, call func() (T, error)) (T, error) {
	var zero T
	switch f.fault() {
	case 5:
		return zero, errNet
	case 6:
		call()
		return zero, errNet
	case 7:
		call()
		return call()
	case 8:
		f.delayed = append(f.delayed, func() { call() })
		return zero, errNet
	case 9:
		if len(f.delayed) > 0 {
			i := f.rnd.IntN(len(f.delayed))
			f.delayed[i]()
			f.delayed = append(f.delayed[:i], f.delayed[i+1:]...)
		}
	}
	return call()
}

func (f *faulty) Push(ctx context.Context, req *replica.PushRequest) (*replica.PushResponse, error) {
	r := *req
	r.Events = append([]replica.Event(nil), req.Events...)
	if f.on && f.rnd.IntN(8) == 0 && len(r.Events) > 1 {
		f.rnd.Shuffle(len(r.Events), func(i, j int) { r.Events[i], r.Events[j] = r.Events[j], r.Events[i] })
	}
	return do(f, func() (*replica.PushResponse, error) { return f.t.Push(ctx, &r) })
}

func (f *faulty) Feed(ctx context.Context, stream string, after int64, limit int) (*replica.FeedResponse, error) {
	return do(f, func() (*replica.FeedResponse, error) { return f.t.Feed(ctx, stream, after, limit) })
}

func (f *faulty) Snapshot(ctx context.Context, stream string) (*replica.Snapshot, error) {
	return do(f, func() (*replica.Snapshot, error) { return f.t.Snapshot(ctx, stream) })
}

type simWorld struct {
	t        testing.TB
	ctx      context.Context
	dir      string
	rnd      *rand.Rand
	st       central.Store
	svc      *central.Service
	token    string
	db       *store.DB
	net      *faulty
	sy       *replica.Syncer
	clock    time.Time
	futures  map[string]bool
	nextCase int
	hall     string
	open     func(ctx context.Context) (central.Store, error)

	// Restores: the node's disk is replaced by an earlier backup now and
	// then (copied over the file, or onto a new one), so its streams fork.
	restores  bool
	nodePath  string
	backups   []string
	retention time.Duration
	forks     int64 // forks of syncers closed by restores
	epochs    int   // epochs in the final outbox
}

func (w *simWorld) now() time.Time { return w.clock }

func (w *simWorld) openCentre() {
	st, err := w.open(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	w.st = st
	w.svc = &central.Service{Store: st, Now: w.now}
	if w.net != nil {
		w.net.t = central.Local{S: w.svc, Token: w.token}
	}
}

func (w *simWorld) openNode() {
	if w.nodePath == "" {
		w.nodePath = filepath.Join(w.dir, "node.db")
	}
	db, err := store.Open(w.ctx, w.nodePath)
	if err != nil {
		w.t.Fatal(err)
	}
	w.db = db
	w.sy = &replica.Syncer{DB: db, T: w.net, Hall: w.hall, Now: w.now, Retention: time.Hour}
	if w.retention > 0 {
		w.sy.Retention = w.retention
	}
}

func tempRoot() string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		return "/dev/shm"
	}
	return ""
}

func newSimWorld(t testing.TB, seed uint64, open func(dir string) func(context.Context) (central.Store, error)) *simWorld {
	dir, err := os.MkdirTemp(tempRoot(), "hallq-sim-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	w := &simWorld{t: t, ctx: context.Background(), dir: dir, rnd: rand.New(rand.NewPCG(seed, 7)),
		clock: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), futures: map[string]bool{}, hall: fmt.Sprintf("330102-%d", seed)}
	w.open = open(dir)
	w.openCentre()
	tok, err := w.st.AddClient(w.ctx, w.hall, central.KindNode, w.clock)
	if err != nil {
		t.Fatal(err)
	}
	w.token = tok
	w.net = &faulty{t: central.Local{S: w.svc, Token: tok}, rnd: rand.New(rand.NewPCG(seed, 11)), on: true}
	w.openNode()
	err = w.db.Write(w.ctx, func(tx *store.Tx) error {
		tx.SetMeta(store.MetaNodeID, "node-"+strconv.FormatUint(seed, 10))
		return tx.SetMeta(store.MetaEpoch, store.RandomID(8))
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.db.Close(); w.st.Close() })
	return w
}

func (w *simWorld) localWrites() {
	n := 1 + w.rnd.IntN(40)
	err := w.db.Write(w.ctx, func(tx *store.Tx) error {
		for range n {
			id := fmt.Sprintf("2026-11-23/A%03d", w.rnd.IntN(200))
			typ := []string{"issued", "call", "recall", "finish", "window_open", "device_paper", "rating"}[w.rnd.IntN(7)]
			var data any = map[string]any{"id": id, "service": "A", "number": id[11:], "state": "waiting", "issued_at": w.clock}
			tid := id
			switch typ {
			case "window_open":
				tid, data = "", map[string]any{"number": 3}
			case "device_paper":
				tid, data = "", map[string]any{"device": "printer-1", "kind": "paper", "state": "near_end"}
			case "rating":
				// Some ratings are out of range: the centre must quarantine, not stall.
				tid, data = "", map[string]any{"ticket_id": id, "window": 2, "score": w.rnd.IntN(7)}
			}
			if _, err := tx.AppendEvent(typ, tid, 2, "window:2", w.clock, data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *simWorld) centreWrites() {
	switch w.rnd.IntN(5) {
	case 0, 1:
		var in []central.CaseIn
		for range 1 + w.rnd.IntN(5) {
			num := fmt.Sprintf("SP%06d", w.rnd.IntN(w.nextCase+3))
			if num >= fmt.Sprintf("SP%06d", w.nextCase) {
				w.nextCase++
			}
			in = append(in, central.CaseIn{Number: num, Hall: w.hall, ItemCode: "330100-001", Kind: "promised", Applicant: "张三丰",
				CheckCode: "1234", Accepted: w.clock, Status: []string{"accepted", "processing", "finished"}[w.rnd.IntN(3)]})
		}
		if _, err := central.PublishCases(w.ctx, w.st, in, w.clock); err != nil {
			w.t.Fatal(err)
		}
	case 2:
		v := "v" + strconv.Itoa(w.rnd.IntN(1000))
		if _, err := central.PublishCatalogue(w.ctx, w.st, v, []byte(`{"version":"`+v+`","items":[]}`), w.clock); err != nil {
			w.t.Fatal(err)
		}
	case 3:
		// A change type from a newer centre: the node must keep it.
		key := "future/" + strconv.Itoa(w.rnd.IntN(1000))
		w.futures[key] = true
		if _, err := w.st.Publish(w.ctx, w.hall, []central.Put{{Type: "queue_forecast", Key: key, Data: json.RawMessage(`{"x":1}`), UpdatedAt: w.clock}}); err != nil {
			w.t.Fatal(err)
		}
	case 4:
		fr, err := w.st.Feed(w.ctx, w.hall, 0, 1)
		if err == nil && fr.Head > 2 {
			if err := w.st.Compact(w.ctx, w.hall, fr.Head-int64(w.rnd.IntN(3))); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

func sqliteCentre(dir string) func(context.Context) (central.Store, error) {
	return func(ctx context.Context) (central.Store, error) {
		return central.OpenSQLite(ctx, filepath.Join(dir, "centre.db"))
	}
}

// backupOrRestore takes a backup of the node, or replaces the node's
// database by one of its backups: written over the file (the inode stays:
// the centre must detect the fork) or as a new file (a new epoch at open).
func (w *simWorld) backupOrRestore() {
	if len(w.backups) == 0 || w.rnd.IntN(2) == 0 {
		b := filepath.Join(w.dir, fmt.Sprintf("backup-%d.db", len(w.backups)))
		if err := w.db.Backup(w.ctx, b); err != nil {
			w.t.Fatal(err)
		}
		w.backups = append(w.backups, b)
		return
	}
	data, err := os.ReadFile(w.backups[w.rnd.IntN(len(w.backups))])
	if err != nil {
		w.t.Fatal(err)
	}
	w.forks += w.sy.Stats().Forks
	w.db.Close()
	if w.rnd.IntN(2) == 0 {
		os.Remove(w.nodePath + "-wal")
		os.Remove(w.nodePath + "-shm")
		f, err := os.OpenFile(w.nodePath, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			w.t.Fatal(err)
		}
		f.Write(data)
		f.Close()
	} else {
		w.nodePath = filepath.Join(w.dir, fmt.Sprintf("node-%d.db", w.rnd.Uint32()))
		if err := os.WriteFile(w.nodePath, data, 0o600); err != nil {
			w.t.Fatal(err)
		}
	}
	w.openNode()
}

func runSim(t testing.TB, seed uint64, steps int, open func(dir string) func(context.Context) (central.Store, error)) {
	runSimWorld(newSimWorld(t, seed, open), seed, steps)
}

func runSimWorld(w *simWorld, seed uint64, steps int) {
	t := w.t
	for range steps {
		if w.restores && w.rnd.IntN(25) == 0 {
			w.backupOrRestore()
			continue
		}
		w.clock = w.clock.Add(time.Duration(w.rnd.IntN(120)) * time.Second)
		switch r := w.rnd.IntN(20); {
		case r < 4:
			w.localWrites()
		case r < 6:
			w.centreWrites()
		case r < 11:
			w.sy.PushOnce(w.ctx)
		case r < 15:
			w.sy.PullOnce(w.ctx, w.sy.Streams()[w.rnd.IntN(2)])
		case r < 16:
			w.db.Close()
			w.openNode()
		case r < 17:
			w.st.Close()
			w.openCentre()
		case r < 18:
			w.sy.Prune(w.ctx)
		default:
			if len(w.net.delayed) > 0 {
				i := w.rnd.IntN(len(w.net.delayed))
				w.net.delayed[i]()
				w.net.delayed = append(w.net.delayed[:i], w.net.delayed[i+1:]...)
			}
		}
	}
	// Faults stop; stale messages still arrive, then sync must converge.
	for _, d := range w.net.delayed {
		d()
	}
	w.net.on = false
	var err error
	for range 50 {
		if err = w.sy.Once(w.ctx); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("seed %d: sync did not recover: %v", seed, err)
	}
	w.check(seed)
}

func (w *simWorld) check(seed uint64) {
	t := w.t
	var node, epoch string
	var last int64
	var ps store.PushState
	var evs []store.OutboxEvent
	var hallCur, globCur store.Cursor
	var kept []store.KeptChange
	nodeCases := map[string]queue.Case{}
	var catVersion string
	err := w.db.Read(w.ctx, func(tx *store.Tx) error {
		node, _ = tx.Meta(store.MetaNodeID)
		epoch, _ = tx.Meta(store.MetaEpoch)
		last, _ = tx.LastSeq()
		var err error
		if ps, err = tx.PushState(epoch); err != nil {
			return err
		}
		if evs, err = tx.Events(0, 1<<30); err != nil {
			return err
		}
		hallCur, _ = tx.Cursor(replica.HallStream(w.hall))
		globCur, _ = tx.Cursor(replica.GlobalStream)
		kept, _ = tx.KeptChanges()
		catVersion, _, _ = tx.Catalogue()
		for i := range w.nextCase + 3 {
			if c, err := tx.Case(fmt.Sprintf("SP%06d", i)); err == nil {
				nodeCases[c.Number] = c
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.restores {
		w.checkForkedUploads(seed, node)
	} else {
		w.checkUploads(seed, node, epoch, last, ps, evs)
	}
	for i, want := range map[string]store.Cursor{replica.HallStream(w.hall): hallCur, replica.GlobalStream: globCur} {
		h := ""
		if i != replica.GlobalStream {
			h = w.hall
		}
		snap, err := w.st.Snapshot(w.ctx, h)
		if err != nil {
			t.Fatal(err)
		}
		if snap.Seq != want.Seq || snap.Count != want.Count || snap.Sum != want.Sum {
			t.Fatalf("seed %d: stream %s: centre at %d (%d/%d), node cursor %+v", seed, i, snap.Seq, snap.Count, snap.Sum, want)
		}
		for _, c := range snap.Changes {
			switch c.Type {
			case store.ChangeCase:
				var cc queue.Case
				json.Unmarshal(c.Data, &cc)
				got, ok := nodeCases[cc.Number]
				if !ok || got.Status != cc.Status {
					t.Fatalf("seed %d: case %s at centre %s, at node %v %s", seed, cc.Number, cc.Status, ok, got.Status)
				}
				delete(nodeCases, cc.Number)
			case store.ChangeCatalogue:
				var cc store.CatalogueChange
				json.Unmarshal(c.Data, &cc)
				if cc.Version != catVersion {
					t.Fatalf("seed %d: catalogue %s at centre, %s at node", seed, cc.Version, catVersion)
				}
			}
		}
	}
	if len(nodeCases) != 0 {
		t.Fatalf("seed %d: node has cases the centre does not: %v", seed, nodeCases)
	}
	keptKeys := map[string]bool{}
	for _, k := range kept {
		if k.Type == "queue_forecast" {
			keptKeys[k.Stream] = true
		}
	}
	if len(w.futures) > 0 && !keptKeys[replica.HallStream(w.hall)] {
		t.Fatalf("seed %d: unknown changes were not kept", seed)
	}
	if ps.Sum == 0 && last > 0 && !w.restores { // after a fork the current epoch may be empty
		t.Fatalf("seed %d: zero checksum", seed)
	}
}

func TestSimulation(t *testing.T) {
	seeds := 600
	if testing.Short() {
		seeds = 60
	}
	if s := os.Getenv("HALLQ_SIM_SEEDS"); s != "" {
		seeds, _ = strconv.Atoi(s)
	}
	base := uint64(time.Now().UnixNano())
	if s := os.Getenv("HALLQ_SIM_BASE"); s != "" {
		base, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seeds %d..%d (HALLQ_SIM_BASE=%d to repeat)", base, base+uint64(seeds)-1, base)
	for i := range seeds {
		seed := base + uint64(i)
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) { runSim(t, seed, 120, sqliteCentre) })
	}
}

// TestSimulationRestores adds restores of the node from its own backups,
// over the file and onto a new one, to the faults: every event the
// surviving database holds must reach the centre once, under an epoch
// where the centre holds that very event.
func TestSimulationRestores(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 30
	}
	base := uint64(time.Now().UnixNano())
	if s := os.Getenv("HALLQ_SIM_BASE"); s != "" {
		base, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seeds %d..%d (HALLQ_SIM_BASE=%d to repeat)", base, base+uint64(seeds)-1, base)
	var forks int64
	var forked int
	for i := range seeds {
		seed := base + uint64(i)
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			w := newSimWorld(t, seed, sqliteCentre)
			w.restores, w.retention = true, 1000*time.Hour
			w.sy.Retention = w.retention
			runSimWorld(w, seed, 150)
			forks += w.forks + w.sy.Stats().Forks
			if w.epochs > 1 {
				forked++
			}
		})
	}
	// The faults must have done their work: streams split both ways.
	t.Logf("%d of %d runs ended with several epochs; %d forks detected by the centre", forked, seeds, forks)
	if forked == 0 || forks == 0 {
		t.Fatalf("restores never split a stream (%d runs with several epochs, %d forks)", forked, forks)
	}
}

// TestSimulationPostgres runs the simulation against the PostgreSQL store
// (a server started by pgtest), each seed in its own hall.
func TestSimulationPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	base := uint64(time.Now().UnixNano())
	t.Logf("seeds %d..%d", base, base+uint64(seeds)-1)
	open := func(string) func(context.Context) (central.Store, error) {
		return func(ctx context.Context) (central.Store, error) { return central.OpenPostgres(ctx, dsn) }
	}
	for i := range seeds {
		seed := base + uint64(i)
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) { runSim(t, seed, 120, open) })
	}
}

func (w *simWorld) checkUploads(seed uint64, node, epoch string, last int64, ps store.PushState, evs []store.OutboxEvent) {
	t := w.t
	seqs, err := central.StreamSeqs(w.ctx, w.st, w.hall, node, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(seqs)) != last {
		t.Fatalf("seed %d: centre holds %d events, node wrote %d", seed, len(seqs), last)
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("seed %d: centre's sequence %d is %d", seed, i+1, s)
		}
	}
	if ps.Acked != last {
		t.Fatalf("seed %d: node acked %d of %d", seed, ps.Acked, last)
	}
	// The node's own checksum of the acknowledged events, recomputed from
	// whatever events the outbox still has (pruned ones are gone, so only
	// when nothing was pruned).
	if int64(len(evs)) == last {
		var sum uint32
		for _, e := range evs {
			sum += replica.EventHash(e.Event)
		}
		if sum != ps.Sum || ps.Count != last {
			t.Fatalf("seed %d: node checksum %d/%d, recomputed %d/%d", seed, ps.Count, ps.Sum, last, sum)
		}
	}
	resp, err := w.st.Ingest(w.ctx, w.hall, &replica.PushRequest{Node: node, Epoch: epoch}, w.clock)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Count != ps.Count || resp.Sum != ps.Sum || resp.HighWater != last {
		t.Fatalf("seed %d: centre checksum %d/%d at %d, node %d/%d at %d", seed, resp.Count, resp.Sum, resp.HighWater, ps.Count, ps.Sum, last)
	}
}

// checkForkedUploads: after restores every outbox row of the node (none
// are pruned) is acknowledged, and the centre holds the very same event
// under the row's (node, epoch, seq); each stream gap-free.
func (w *simWorld) checkForkedUploads(seed uint64, node string) {
	t := w.t
	var evs []store.OutboxEvent
	var last int64
	err := w.db.Read(w.ctx, func(tx *store.Tx) error {
		last, _ = tx.LastSeq()
		var err error
		evs, err = tx.Events(0, 1<<30)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(evs)) != last {
		t.Fatalf("seed %d: %d outbox rows for %d events", seed, len(evs), last)
	}
	held := map[string]map[int64]uint32{}
	for _, e := range evs {
		if !e.Acked {
			t.Fatalf("seed %d: event %d of epoch %s not acknowledged", seed, e.Seq, e.Epoch)
		}
		hs, ok := held[e.Epoch]
		if !ok {
			if hs, err = w.st.StreamHashes(w.ctx, w.hall, node, e.Epoch); err != nil {
				t.Fatal(err)
			}
			held[e.Epoch] = hs
		}
		if h, ok := hs[e.Seq]; !ok || h != replica.EventHash(e.Event) {
			t.Fatalf("seed %d: the centre holds %v (%d) for event %d of epoch %s, the node %d", seed, ok, h, e.Seq, e.Epoch, replica.EventHash(e.Event))
		}
	}
	w.epochs = len(held)
	for epoch, hs := range held {
		lo, hi := int64(1<<62), int64(0)
		for s := range hs {
			lo, hi = min(lo, s), max(hi, s)
		}
		if int64(len(hs)) != hi-lo+1 {
			t.Fatalf("seed %d: stream %s at the centre has gaps: %d events in %d..%d", seed, epoch, len(hs), lo, hi)
		}
	}
}

// Package hall is the hall node: the queue engine of one hall, applying the
// domain's decisions (package queue) inside one store transaction each, and
// publishing every committed event to in-process subscribers.
//
// Every path that changes the queue (the kiosk, the hallq command, the LAN
// API, a window caller) goes through a Node method, so every change writes
// its row, its event and its outbox row together, and every display sees it.
package hall

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// DBFile is the database's file name inside the data directory.
const DBFile = "hall.db"

// Options configure a Node.
type Options struct {
	// Now is the clock; time.Now when nil. Tests inject a fake one.
	Now func() time.Time
}

// Node is an open hall.
type Node struct {
	db  *store.DB
	now func() time.Time
	bus bus

	mu     sync.Mutex // guards the cached configuration
	cached *config

	lookups throttle // failed case lookups per source
}

// config is the hall's configuration with what is derived from it.
type config struct {
	version  string
	cfg      queue.HallConfig
	loc      *time.Location
	policy   queue.Policy
	services map[string]queue.Service
	windows  map[int]queue.Window
	salt     []byte
}

// Open opens the hall in dataDir, creating the directory and database if
// needed. Use Init once to make it a hall.
func Open(ctx context.Context, dataDir string, opts Options) (*Node, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("hall: data directory: %w", err)
	}
	db, err := store.Open(ctx, filepath.Join(dataDir, DBFile))
	if err != nil {
		return nil, err
	}
	n := &Node{db: db, now: opts.Now}
	n.bus.stop = make(chan struct{})
	if n.now == nil {
		n.now = time.Now
	}
	return n, nil
}

// Close closes the database and ends all subscriptions.
func (n *Node) Close() error {
	n.bus.closeAll()
	return n.db.Close()
}

// DB returns the node's store, for replication and maintenance commands.
func (n *Node) DB() *store.DB { return n.db }

// Now returns the node's clock reading.
func (n *Node) Now() time.Time { return n.now() }

// Init makes the data directory a hall with the given configuration.
func (n *Node) Init(ctx context.Context, cfg queue.HallConfig) error {
	if cfg.Zone == "" {
		cfg.Zone = queue.DefaultZone
	}
	if cfg.Policy.Name == "" {
		cfg.Policy = queue.DefaultPolicy
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	return n.write(ctx, func(w *writeTx) error {
		if err := w.Init(cfg, n.now()); err != nil {
			return err
		}
		_, err := w.event("hall_init", "", 0, "cli", cfg)
		return err
	})
}

// configOf returns the cached configuration, reloading it when its version
// in the database changed (another process may have changed it).
func (n *Node) configOf(tx *store.Tx) (*config, error) {
	ver, err := tx.ConfigVersion()
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	c := n.cached
	n.mu.Unlock()
	if c != nil && c.version == ver {
		return c, nil
	}
	cfg, err := tx.Config()
	if err != nil {
		return nil, err
	}
	loc, err := queue.LoadZone(cfg.Zone)
	if err != nil {
		return nil, err
	}
	policy, err := queue.NewPolicy(cfg.Policy)
	if err != nil {
		return nil, err
	}
	saltHex, err := tx.Meta(store.MetaSalt)
	if err != nil {
		return nil, err
	}
	salt, err := hex.DecodeString(saltHex)
	if err != nil {
		return nil, fmt.Errorf("hall: citizen salt: %w", err)
	}
	c = &config{version: ver, cfg: cfg, loc: loc, policy: policy, salt: salt,
		services: map[string]queue.Service{}, windows: map[int]queue.Window{}}
	for _, s := range cfg.Services {
		c.services[s.Code] = s
	}
	for _, w := range cfg.Windows {
		c.windows[w.Number] = w
	}
	n.mu.Lock()
	n.cached = c
	n.mu.Unlock()
	return c, nil
}

// writeTx is a store transaction that remembers the events it appended, to
// publish them once the transaction commits.
type writeTx struct {
	*store.Tx
	now    time.Time
	events []store.Event
	// posSeq is the sequence queuePos promised to the next event, 0 when
	// none is promised.
	posSeq int64
}

// queuePos is the queue position of a ticket joining (or rejoining) the
// queue: the sequence of the event that records it. Event sequences follow
// commit order, so the queue does too, without a counter row of its own
// (one page less for every issue to write). The ticket's event must be the
// next one this transaction appends; event checks that it is.
func (w *writeTx) queuePos() (int64, error) {
	next, err := w.NextSeq()
	if err != nil {
		return 0, err
	}
	return w.expectPos(next), nil
}

// expectPos makes next, the sequence the transaction's next event must
// get, a queue position (see queuePos) and returns it; event checks it.
func (w *writeTx) expectPos(next int64) int64 {
	w.posSeq = next
	return next
}

func (w *writeTx) event(typ, ticketID string, window int, actor string, data any) (int64, error) {
	seq, err := w.AppendEvent(typ, ticketID, window, actor, w.now, data)
	if err != nil {
		return 0, err
	}
	if w.posSeq != 0 {
		if seq != w.posSeq {
			return 0, fmt.Errorf("hall: queue position %d given to a ticket whose event got sequence %d", w.posSeq, seq)
		}
		w.posSeq = 0
	}
	w.events = append(w.events, store.Event{Seq: seq, Type: typ, TicketID: ticketID, Window: window, Actor: actor, At: w.now, Schema: store.EventSchema})
	return seq, nil
}

// write runs fn in one store write transaction and publishes its events
// after the commit. Errors that are not domain errors are wrapped as
// internal, so callers can always map them to a code.
func (n *Node) write(ctx context.Context, fn func(*writeTx) error) error {
	var w *writeTx
	err := n.db.Write(ctx, func(tx *store.Tx) error {
		w = &writeTx{Tx: tx, now: n.now()}
		return fn(w)
	})
	if err != nil {
		var qe *queue.Error
		if errors.As(err, &qe) {
			return err
		}
		return &queue.Error{Code: queue.CodeInternal, Detail: "storage", Err: err}
	}
	n.bus.publish(w.events)
	return nil
}

// read runs fn in a read transaction, mapping storage errors to internal.
func (n *Node) read(ctx context.Context, fn func(*store.Tx) error) error {
	err := n.db.Read(ctx, fn)
	if err != nil {
		var qe *queue.Error
		if errors.As(err, &qe) {
			return err
		}
		return &queue.Error{Code: queue.CodeInternal, Detail: "storage", Err: err}
	}
	return nil
}

// Config returns the hall's configuration.
func (n *Node) Config(ctx context.Context) (queue.HallConfig, *time.Location, error) {
	var c *config
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		c, err = n.configOf(tx)
		return err
	})
	if err != nil {
		return queue.HallConfig{}, nil, err
	}
	return c.cfg, c.loc, nil
}

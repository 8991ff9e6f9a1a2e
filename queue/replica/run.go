package replica

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// Config is how a hall node reaches its centre. `hallq sync` fills one and
// calls Run (--follow) or RunOnce; `hallq serve --central` and the kiosk
// call Start.
type Config struct {
	Central string // the centre's base URL, e.g. https://centre.example:8443
	Token   string // this node's credential from `central node add`
	// CAFile is a PEM file of the CA that signed the centre's certificate;
	// empty: the system's roots.
	CAFile string
	// Retention is how long acknowledged outbox rows stay (default 7 days).
	Retention time.Duration
	// PollEvery is how often an idle sync asks the centre for what came
	// down (default 1 s); what this node commits goes up at once.
	PollEvery time.Duration
	// Log receives what sync has to say (retries, forks, quarantined
	// events); nil: silent.
	Log func(format string, args ...any)
}

// Node is what sync needs of a hall node; *hall.Node has it.
type Node interface {
	DB() *store.DB
	Config(ctx context.Context) (queue.HallConfig, *time.Location, error)
	// Subscribe delivers events after they commit; sync pushes at once
	// instead of waiting for its next poll.
	Subscribe() (<-chan store.Event, func())
}

// NewSyncer builds the syncer of node for cfg: the HTTP(S) transport and
// the hall id from the node's configuration.
func NewSyncer(ctx context.Context, node Node, cfg Config) (*Syncer, error) {
	if cfg.Central == "" || cfg.Token == "" {
		return nil, errors.New("replica: the centre's URL and this node's credential are both needed")
	}
	var tlsConf *tls.Config
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("replica: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("replica: no certificate in %s", cfg.CAFile)
		}
		tlsConf = &tls.Config{RootCAs: pool}
	}
	hc, _, err := node.Config(ctx)
	if err != nil {
		return nil, err
	}
	return &Syncer{
		DB:        node.DB(),
		T:         NewHTTPClient(cfg.Central, cfg.Token, tlsConf),
		Hall:      hc.ID,
		Retention: cfg.Retention,
		PollEvery: cfg.PollEvery,
		Log:       cfg.Log,
	}, nil
}

// Run replicates node with the centre until ctx ends, then returns nil:
// the outbox goes up as it is written, case status, hall configuration
// and the catalogue come down, failures retry on their own. Only a wrong
// configuration is an error.
func Run(ctx context.Context, node Node, cfg Config) error {
	s, err := NewSyncer(ctx, node, cfg)
	if err != nil {
		return err
	}
	follow(ctx, node, s)
	return nil
}

// Start runs replication in the background as Run does, for a program
// that serves the hall meanwhile (`hallq serve --central`, the kiosk): a
// wrong configuration is refused here, network failures retry on their
// own. stop ends it and waits, so the node closes after the last sync
// transaction.
func Start(ctx context.Context, node Node, cfg Config) (stop func(), err error) {
	s, err := NewSyncer(ctx, node, cfg)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		follow(ctx, node, s)
	}()
	return func() { cancel(); <-done }, nil
}

// follow pushes at each local commit and follows the centre until ctx ends.
func follow(ctx context.Context, node Node, s *Syncer) {
	events, stop := node.Subscribe()
	defer stop()
	go func() {
		for range events {
			s.Notify()
		}
	}()
	s.Follow(ctx)
}

// RunOnce syncs node until the outbox is acknowledged and every stream is
// caught up, and returns what it did.
func RunOnce(ctx context.Context, node Node, cfg Config) (Stats, error) {
	s, err := NewSyncer(ctx, node, cfg)
	if err != nil {
		return Stats{}, err
	}
	err = s.Once(ctx)
	return s.Stats(), err
}

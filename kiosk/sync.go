package kiosk

import (
	"context"
	"crypto/tls"
	"errors"
	"sync"

	"hallq/queue/replica"
)

// SyncConfig points an embedded hall node at its centre (cmd/central).
type SyncConfig struct {
	Central string      // the centre's base URL
	Token   string      // the node's credential from `central node add`
	TLS     *tls.Config // nil: the system's roots
	Logf    func(format string, args ...any)
}

// StartSync runs the node's replication with the centre in the
// background, as `hallq sync --follow` does: the outbox goes up, cases,
// the configuration and the catalogue come down. Each local change wakes
// the push loop, so a ticket reaches the centre without waiting for the
// poll. stop ends it and waits.
func (l *Local) StartSync(sc SyncConfig) (sy *replica.Syncer, stop func(), err error) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg, _, err := l.Node.Config(ctx)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	logf := sc.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	sy = &replica.Syncer{DB: l.Node.DB(), T: replica.NewHTTPClient(sc.Central, sc.Token, sc.TLS), Hall: cfg.ID, Log: logf}
	events, unsub := l.Node.Subscribe()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range events {
			sy.Notify()
		}
	})
	wg.Go(func() {
		if err := sy.Follow(ctx); err != nil && !errors.Is(err, context.Canceled) {
			logf("kiosk: sync with %s ended: %v", sc.Central, err)
		}
	})
	logf("kiosk: syncing hall %s with %s", cfg.ID, sc.Central)
	return sy, func() {
		cancel()
		unsub()
		wg.Wait()
	}, nil
}

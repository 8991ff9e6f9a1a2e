package kiosk

import (
	"context"

	"hallq/queue/replica"
)

// StartSync runs the embedded node's replication with the centre in the
// background, as `hallq sync --follow` and `hallq serve --central` do
// (replica.Run): the outbox goes up as it is written, each commit pushed
// at once; cases, the configuration and the catalogue come down. A wrong
// configuration is refused here; network failures retry on their own.
// stop ends it and waits, so the node closes after the last sync
// transaction.
func (l *Local) StartSync(cfg replica.Config) (stop func(), err error) {
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := replica.NewSyncer(ctx, l.Node, cfg); err != nil {
		cancel()
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		replica.Run(ctx, l.Node, cfg)
	}()
	return func() { cancel(); <-done }, nil
}

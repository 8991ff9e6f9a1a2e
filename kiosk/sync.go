package kiosk

import (
	"context"

	"hallq/queue/replica"
)

// StartSync runs the embedded node's replication with the centre in the
// background, as `hallq sync --follow` and `hallq serve --central` do
// (replica.Start): the outbox goes up as it is written, each commit pushed
// at once; cases, the configuration and the catalogue come down. A wrong
// configuration is refused here; network failures retry on their own.
// stop ends it and waits, so the node closes after the last sync
// transaction.
func (l *Local) StartSync(cfg replica.Config) (stop func(), err error) {
	return replica.Start(context.Background(), l.Node, cfg)
}

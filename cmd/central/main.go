// Command central is the centre's server: it takes the halls' outboxes,
// serves case status, hall configuration and the catalogue back down, and
// takes cases from the approval system.
//
//	central --data DIR --listen ADDR [--postgres DSN] [--tls-cert F --tls-key F]
//	central node add --hall H          prints the node's credential, once
//	central approval add               a credential for POST /api/v1/cases
//	central cases import FILE.csv
//	central catalogue publish FILE     (.json, or .csv with --materials FILE)
//	central hall config FILE.json      a hall's configuration, down its stream
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

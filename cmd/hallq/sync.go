package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"hallq/queue/replica"
)

// syncFlags are the flags of hallq sync.
var syncFlags struct {
	central, token, ca string
	once, follow       bool
	retention          time.Duration
}

func init() {
	register(&command{
		name:    "sync",
		args:    "--central URL --token T (--once | --follow)",
		summary: "replicate with the centre: push the outbox, pull cases, config and the catalogue",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&syncFlags.central, "central", os.Getenv("HALLQ_CENTRAL"), "the centre's base URL (env HALLQ_CENTRAL)")
			fs.StringVar(&syncFlags.token, "token", os.Getenv("HALLQ_CENTRAL_TOKEN"), "this node's credential from `central node add` (env HALLQ_CENTRAL_TOKEN)")
			fs.StringVar(&syncFlags.ca, "ca", "", "PEM file of the CA that signed the centre's certificate (default: the system's)")
			fs.BoolVar(&syncFlags.once, "once", false, "sync until caught up, then exit")
			fs.BoolVar(&syncFlags.follow, "follow", false, "keep syncing until stopped")
			fs.DurationVar(&syncFlags.retention, "retention", 7*24*time.Hour, "how long acknowledged outbox rows are kept")
		},
		run: runSync,
	})
}

func runSync(e *env) error {
	f := syncFlags
	if f.central == "" || f.token == "" {
		return usagef("sync needs --central and --token")
	}
	if f.once == f.follow {
		return usagef("sync needs exactly one of --once and --follow")
	}
	var tlsConf *tls.Config
	if f.ca != "" {
		pem, err := os.ReadFile(f.ca)
		if err != nil {
			return usagef("sync: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return usagef("sync: no certificate in %s", f.ca)
		}
		tlsConf = &tls.Config{RootCAs: pool}
	}
	cfg, _, err := e.node.Config(e.ctx)
	if err != nil {
		return err
	}
	sy := &replica.Syncer{
		DB:        e.node.DB(),
		T:         replica.NewHTTPClient(f.central, f.token, tlsConf),
		Hall:      cfg.ID,
		Retention: f.retention,
		Log:       func(format string, args ...any) { fmt.Fprintf(e.errOut, format+"\n", args...) },
	}
	if f.once {
		if err := sy.Once(e.ctx); err != nil {
			return err
		}
		st := sy.Stats()
		return e.emit(st, fmt.Sprintf("synced: %d events acknowledged, %d changes applied, %d resets, %d kept unknown", st.Acked, st.Pulled, st.Resets, st.Kept))
	}
	err = sy.Follow(e.ctx)
	if errors.Is(err, e.ctx.Err()) {
		return nil
	}
	return err
}

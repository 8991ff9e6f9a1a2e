package main

import (
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
			fs.StringVar(&syncFlags.ca, "ca", os.Getenv("HALLQ_CENTRAL_CA"), "PEM file of the CA that signed the centre's certificate (default: the system's; env HALLQ_CENTRAL_CA)")
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
	cfg := replica.Config{Central: f.central, Token: f.token, CAFile: f.ca, Retention: f.retention,
		Log: func(format string, args ...any) { fmt.Fprintf(e.errOut, format+"\n", args...) }}
	if f.follow {
		return replica.Run(e.ctx, e.node, cfg)
	}
	st, err := replica.RunOnce(e.ctx, e.node, cfg)
	if err != nil {
		return err
	}
	return e.emit(st, fmt.Sprintf("synced: %d events acknowledged, %d changes applied, %d resets, %d kept unknown", st.Acked, st.Pulled, st.Resets, st.Kept))
}

// serveSync is replication inside `hallq serve`: with --central, the node
// syncs with the centre while it serves the hall, the way `hallq sync
// --follow` would, sharing the serving process's database handle.
type serveSync struct {
	central, token, ca string
}

func (s *serveSync) register(fs *flag.FlagSet) {
	fs.StringVar(&s.central, "central", os.Getenv("HALLQ_CENTRAL"), "replicate with the centre at this base URL while serving (env HALLQ_CENTRAL)")
	fs.StringVar(&s.token, "central-token", os.Getenv("HALLQ_CENTRAL_TOKEN"), "this node's credential from `central node add` (env HALLQ_CENTRAL_TOKEN)")
	fs.StringVar(&s.ca, "central-ca", os.Getenv("HALLQ_CENTRAL_CA"), "PEM file of the CA that signed the centre's certificate (env HALLQ_CENTRAL_CA)")
}

// start starts sync when a centre is configured; stop ends it and waits,
// so the database closes after the last sync transaction.
func (s *serveSync) start(e *env) (stop func(), err error) {
	if s.central == "" {
		return func() {}, nil
	}
	if s.token == "" {
		return nil, usagef("serve: --central needs --central-token")
	}
	cfg := replica.Config{Central: s.central, Token: s.token, CAFile: s.ca,
		Log: func(format string, args ...any) { fmt.Fprintf(e.errOut, format+"\n", args...) }}
	stop, err = replica.Start(e.ctx, e.node, cfg)
	if err != nil {
		return nil, usagef("serve: %v", err)
	}
	return stop, nil
}

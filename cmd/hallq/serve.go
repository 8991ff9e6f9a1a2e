package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"hallq/queue/hall/httpapi"
)

func init() {
	var listen string
	var leds ledFlags
	var repl serveSync
	register(&command{
		name: "serve", args: "[--listen ADDR] [--led PORT [--led-windows W=A,...] [--led-baud N]] [--central URL --central-token T]", summary: "run the hall node: HTTP API, event stream, window caller and rating pad",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks one)")
			leds.register(fs)
			repl.register(fs)
		},
		run: func(e *env) error {
			log := slog.New(slog.NewTextHandler(os.Stderr, nil))
			srv, err := httpapi.New(e.node, httpapi.Options{Log: log})
			if err != nil {
				return err
			}
			stopLED, err := startLED(e, leds, log)
			if err != nil {
				return err
			}
			defer stopLED()
			stopSync, err := repl.start(e)
			if err != nil {
				return err
			}
			defer stopSync()
			if err := srv.Open(listen); err != nil {
				return usagef("serve: %v", err)
			}
			// The first line tells scripts and tests where the node listens.
			fmt.Fprintf(e.out, "hallq: serving on %s\n", srv.URL())
			<-e.ctx.Done()
			return srv.Close()
		},
	})
}

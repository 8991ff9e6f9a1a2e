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
	register(&command{
		name: "serve", args: "[--listen ADDR]", summary: "run the hall node: HTTP API, event stream, window caller and rating pad",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks one)")
		},
		run: func(e *env) error {
			srv, err := httpapi.New(e.node, httpapi.Options{Log: slog.New(slog.NewTextHandler(os.Stderr, nil))})
			if err != nil {
				return err
			}
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

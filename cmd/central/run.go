package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hallq/queue/catalogue"
	"hallq/queue/central"
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("central", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("CENTRAL_DATA", "var/central"), "data directory (the SQLite database)")
	listen := fs.String("listen", "127.0.0.1:8480", "address to serve on")
	pg := fs.String("postgres", os.Getenv("CENTRAL_POSTGRES"), "PostgreSQL DSN; empty: SQLite in --data")
	cert := fs.String("tls-cert", "", "TLS certificate file (with --tls-key): serve HTTPS")
	key := fs.String("tls-key", "", "TLS key file")
	hall := fs.String("hall", "", "hall id (node add)")
	materials := fs.String("materials", "", "materials CSV (catalogue publish of a CSV)")
	version := fs.String("version", "", "catalogue version (default: the file's, or a digest)")
	var cmd []string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		rest = fs.Args()
		if len(rest) > 0 {
			cmd = append(cmd, rest[0])
			rest = rest[1:]
		}
	}
	st, err := open(ctx, *data, *pg)
	if err != nil {
		fmt.Fprintln(stderr, "central:", err)
		return 1
	}
	defer st.Close()
	err = dispatch(ctx, st, strings.Join(cmd, " "), cmd, options{listen: *listen, cert: *cert, key: *key, hall: *hall, materials: *materials, version: *version}, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "central:", err)
		var u usage
		if errors.As(err, &u) {
			return 2
		}
		return 1
	}
	return 0
}

type usage struct{ error }

type options struct{ listen, cert, key, hall, materials, version string }

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func open(ctx context.Context, data, pg string) (central.Store, error) {
	if pg != "" {
		return central.OpenPostgres(ctx, pg)
	}
	return central.OpenSQLite(ctx, filepath.Join(data, "central.db"))
}

func dispatch(ctx context.Context, st central.Store, name string, cmd []string, o options, stdout, stderr io.Writer) error {
	now := time.Now()
	switch {
	case name == "" || name == "serve":
		return serve(ctx, st, o, stderr)
	case name == "node add":
		if o.hall == "" {
			return usage{errors.New("node add needs --hall")}
		}
		tok, err := st.AddClient(ctx, o.hall, central.KindNode, now)
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "the credential is shown only this once; the centre keeps its hash")
		fmt.Fprintln(stdout, tok)
		return nil
	case name == "approval add":
		tok, err := st.AddClient(ctx, "*", central.KindApproval, now)
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, "the credential is shown only this once; the centre keeps its hash")
		fmt.Fprintln(stdout, tok)
		return nil
	case len(cmd) == 3 && cmd[0] == "cases" && cmd[1] == "import":
		f, err := os.Open(cmd[2])
		if err != nil {
			return err
		}
		defer f.Close()
		loc, _ := time.LoadLocation("Asia/Shanghai")
		if loc == nil {
			loc = time.FixedZone("CST", 8*3600)
		}
		in, err := central.ParseCasesCSV(f, loc)
		if err != nil {
			return err
		}
		n, err := central.PublishCases(ctx, st, in, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d cases published\n", n)
		return nil
	case len(cmd) == 3 && cmd[0] == "hall" && cmd[1] == "config":
		doc, err := os.ReadFile(cmd[2])
		if err != nil {
			return err
		}
		h, head, err := central.PublishHallConfig(ctx, st, doc, now)
		if err != nil {
			return usage{err}
		}
		fmt.Fprintf(stdout, "configuration of hall %s published at %d\n", h, head)
		return nil
	case len(cmd) == 3 && cmd[0] == "catalogue" && cmd[1] == "publish":
		c, err := readCatalogue(cmd[2], o.materials)
		if err != nil {
			return err
		}
		doc, err := c.MarshalJSON()
		if err != nil {
			return err
		}
		v := c.Version()
		if o.version != "" {
			v = o.version
		}
		head, err := central.PublishCatalogue(ctx, st, v, doc, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "catalogue %s (%d items) published at %d\n", v, c.Len(), head)
		return nil
	}
	return usage{fmt.Errorf("unknown command %q; commands: serve, node add, approval add, cases import, catalogue publish, hall config", name)}
}

func readCatalogue(path, materials string) (*catalogue.Catalogue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(path), ".csv") {
		var m io.Reader = strings.NewReader("")
		if materials != "" {
			mf, err := os.Open(materials)
			if err != nil {
				return nil, err
			}
			defer mf.Close()
			m = mf
		}
		return catalogue.ParseCSV(f, m)
	}
	return catalogue.ParseJSON(f)
}

func serve(ctx context.Context, st central.Store, o options, stderr io.Writer) error {
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	svc := &central.Service{Store: st}
	srv := &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if o.cert != "" {
		scheme = "https"
	}
	// Tests and scripts read the address from this line (port 0 picks one).
	fmt.Fprintf(stderr, "central: listening on %s://%s\n", scheme, ln.Addr())
	errc := make(chan error, 1)
	go func() {
		if o.cert != "" {
			errc <- srv.ServeTLS(ln, o.cert, o.key)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/web"
	"hallq/queue/staff"
)

// Options tune a Server; the zero value is the hall's defaults.
type Options struct {
	SessionTTL   time.Duration // how long a staff session lasts; 12 h
	Heartbeat    time.Duration // SSE heartbeat interval; 15 s
	MaxBody      int64         // request body limit in bytes; 16 KiB
	LoginLimit   int           // failed logins per account within LoginWindow; 5
	IPLoginLimit int           // failed logins per client address within LoginWindow; 20
	LoginWindow  time.Duration // 15 min
	Log          *slog.Logger
}

// Server is the hall node's HTTP API, event stream and web pages.
type Server struct {
	node *hall.Node
	opts Options
	log  *slog.Logger
	loc  *time.Location

	acctThrottle, ipThrottle *staff.Throttle

	hub *hub

	http    *http.Server
	ln      net.Listener
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	keyLock keyedMutex
}

// New returns a server of node.
func New(node *hall.Node, opts Options) (*Server, error) {
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.Heartbeat == 0 {
		opts.Heartbeat = 15 * time.Second
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = 16 << 10
	}
	if opts.LoginLimit == 0 {
		opts.LoginLimit = 5
	}
	if opts.IPLoginLimit == 0 {
		opts.IPLoginLimit = 20
	}
	if opts.LoginWindow == 0 {
		opts.LoginWindow = 15 * time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	_, loc, err := node.Config(context.Background())
	if err != nil {
		return nil, err
	}
	s := &Server{node: node, opts: opts, log: opts.Log, loc: loc,
		acctThrottle: staff.NewThrottle(opts.LoginLimit, opts.LoginWindow),
		ipThrottle:   staff.NewThrottle(opts.IPLoginLimit, opts.LoginWindow),
		done:         make(chan struct{})}
	s.acctThrottle.Now, s.ipThrottle.Now = node.Now, node.Now
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.hub = newHub(node, loc, s.log)
	return s, nil
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	m.HandleFunc("POST /api/v1/login", s.login)
	m.HandleFunc("POST /api/v1/logout", s.auth(anyone, s.logout))
	m.HandleFunc("GET /api/v1/me", s.auth(anyone, s.me))
	m.HandleFunc("GET /api/v1/messages", s.messages)

	m.HandleFunc("POST /api/v1/tickets", s.auth(canIssue, s.idempotent(s.issue)))
	m.HandleFunc("GET /api/v1/tickets", s.auth(anyone, s.tickets))
	m.HandleFunc("GET /api/v1/tickets/{ref}", s.auth(anyone, s.ticket))
	m.HandleFunc("POST /api/v1/tickets/{ref}/{action}", s.auth(staffOnly, s.idempotent(s.ticketAction)))

	m.HandleFunc("GET /api/v1/windows", s.auth(anyone, s.windows))
	m.HandleFunc("GET /api/v1/windows/{n}/waiting", s.auth(anyone, s.waiting))
	m.HandleFunc("POST /api/v1/windows/{n}/call", s.auth(staffOnly, s.idempotent(s.call)))
	m.HandleFunc("POST /api/v1/windows/{n}/state", s.auth(staffOnly, s.idempotent(s.windowState)))
	m.HandleFunc("POST /api/v1/windows/{n}/signin", s.auth(staffOnly, s.signIn))
	m.HandleFunc("POST /api/v1/windows/{n}/signout", s.auth(staffOnly, s.signOut))
	m.HandleFunc("POST /api/v1/windows/{n}/{action}", s.auth(staffOnly, s.idempotent(s.windowAction)))

	m.HandleFunc("GET /api/v1/queue", s.auth(anyone, s.queueState))
	m.HandleFunc("GET /api/v1/tally", s.auth(anyone, s.tally))
	m.HandleFunc("GET /api/v1/snapshot", s.auth(anyone, s.snapshot))
	m.HandleFunc("GET /api/v1/events", s.auth(anyone, s.events))

	m.HandleFunc("GET /api/v1/pad", s.auth(padOnly, s.padTicket))
	m.HandleFunc("POST /api/v1/ratings", s.auth(padOnly, s.idempotent(s.rate)))
	m.HandleFunc("GET /api/v1/ratings", s.auth(managerOnly, s.ratings))
	m.HandleFunc("POST /api/v1/devices/health", s.auth(deviceOnly, s.deviceHealth))
	s.kioskRoutes(m) // kiosk.go: what a LAN kiosk needs beyond issuing

	pages := web.Handler()
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			s.writeError(w, r, apiErr(CodeNotFound, "no API %s %s", r.Method, r.URL.Path))
			return
		}
		pages.ServeHTTP(w, r)
	})
	return s.limits(m)
}

// limits caps request bodies and refuses bodies that are not JSON, which
// also keeps cross-site forms (no preflight) from riding a session cookie.
func (s *Server) limits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.opts.MaxBody {
			s.writeError(w, r, apiErr(CodeTooLarge, "body of %d bytes; at most %d", r.ContentLength, s.opts.MaxBody))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBody)
		if r.Method == http.MethodPost && r.ContentLength != 0 {
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				s.writeError(w, r, apiErr(queue.CodeInvalid, "Content-Type %q; send application/json", ct))
				return
			}
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

// decode reads a JSON body into v; an empty body leaves v as it is.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apiErr(CodeTooLarge, "body over %d bytes", mbe.Limit)
		}
		return apiErr(queue.CodeInvalid, "reading body: %v", err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return apiErr(queue.CodeInvalid, "malformed JSON body: %v", err)
	}
	return nil
}

// Open listens on addr ("127.0.0.1:0" in tests) and serves in the background.
func (s *Server) Open(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.http = &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	go s.hub.run(s.ctx)
	go func() {
		defer close(s.done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serve", "err", err)
		}
	}()
	return nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL returns the server's base URL.
func (s *Server) URL() string { return "http://" + s.Addr() }

// Close ends event streams and stops the server, waiting up to five
// seconds for requests in flight.
func (s *Server) Close() error {
	s.cancel()
	if s.http == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	<-s.done
	return err
}

// keyedMutex serializes requests that carry the same idempotency key, so
// two copies of one request in flight cannot both act.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyEntry
}

type keyEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) func() {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyEntry{}
	}
	e := k.m[key]
	if e == nil {
		e = &keyEntry{}
		k.m[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}

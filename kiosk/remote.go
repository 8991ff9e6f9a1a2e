package kiosk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/printjob"
	"hallq/devices/vprinter"
	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/hall"
	"hallq/queue/hall/httpapi"
	"hallq/queue/store"
)

// ErrNodeUnreachable says the hall node on the LAN does not answer. The
// screens turn it into a calm sentence: taking a number and check-in wait
// for the node, guides and case progress go on from the local copy.
var ErrNodeUnreachable = errors.New("kiosk: the hall node is unreachable")

// errLocalCopy marks a fault of the kiosk's own copy (its SQLite file), so
// that it is neither taken for the node's absence nor blamed on the node.
var errLocalCopy = errors.New("kiosk: local copy")

// localCopy wraps a fault of the local copy in errLocalCopy.
func localCopy(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", errLocalCopy, err)
}

// LANStatus is a Backend whose hall node runs elsewhere on the LAN.
type LANStatus interface {
	// Offline returns when the local copy was last refreshed and why the
	// hall node cannot be reached (nil while it answers).
	Offline() (copied time.Time, reason error)
}

// Watcher is a Backend that tells when what the screens show may have
// changed (the node went away or came back); the kiosk rebuilds home.
type Watcher interface {
	Watch() (<-chan struct{}, func())
}

// RemoteConfig configures a kiosk whose hall node runs elsewhere on the LAN
// (hallq serve), with its own ticket printer.
type RemoteConfig struct {
	// Node is the hall node's base URL (http://10.0.0.2:8080); Token is
	// the kiosk's device token (hallq device add kiosk --name k1).
	Node, Token string
	// Data is the kiosk's own directory: copy/hall.db, the local copy of
	// the hall's configuration, catalogue and cases (check codes as
	// hashes), which also keeps the paper counter; printed/ for the
	// virtual printer.
	Data    string
	Printer string // serial port; "" for the virtual printer
	Profile escpos.Profile
	KioskID string
	Virtual vprinter.Config
	A4      a4.Printer // nil: no A4 printer
	// Probe is how often the kiosk asks the node whether it is there [5 s];
	// Refresh how often the local copy is refreshed while it is [5 min];
	// Timeout bounds one request [5 s].
	Probe, Refresh, Timeout time.Duration
	Logf                    func(format string, args ...any)
}

// Remote is the Backend of a kiosk on the LAN: the queue is the node's,
// the printer is the kiosk's. Tickets are issued at the node (their print
// pending), printed here, and the outcome is told to the node, which
// records it as an embedded kiosk's print service does; an outcome the
// node could not hear is kept and told when it is back.
type Remote struct {
	*printerParts
	API  *httpapi.Client
	Copy *hall.Node // the local copy
	cfg  RemoteConfig
	// stream follows the node's event stream (WatchQueue): API's client
	// has an overall timeout, which would cut a stream after Timeout.
	stream *httpapi.Client

	mu      sync.Mutex
	down    error     // why the node does not answer; nil while it does
	copied  time.Time // last complete refresh of the copy
	catVer  string
	pending []printOutcome
	// unsentHealth is the printer's latest health for the node, "" once told.
	unsentHealth healthReport
	watchers     map[chan struct{}]struct{}
	// tell wakes the loop to tell the node the print outcomes and the
	// printer health waiting in pending and unsentHealth.
	tell chan struct{}
	// recovered is set once the node has failed the prints this kiosk
	// left pending when it last stopped (see recover).
	recovered bool

	stop context.CancelFunc
	done chan struct{}
	// closing makes Close run once; a second Close returns the first's
	// answer.
	closing  sync.Once
	closeErr error
}

var (
	_ Backend   = (*Remote)(nil)
	_ A4Guides  = (*Remote)(nil)
	_ LANStatus = (*Remote)(nil)
	_ Watcher   = (*Remote)(nil)
)

// copyDevice names the local copy's own state in the copy's device
// states: when it was refreshed and the catalogue version it holds.
const copyDevice = "kiosk:copy"

type copyState struct {
	Copied    time.Time `json:"copied"`
	Catalogue string    `json:"catalogue"`
}

// healthReport is a printer health change waiting to be told to the node.
type healthReport struct{ status, detail string }

// printOutcome is a print result waiting to be told to the node.
type printOutcome struct {
	ticket, number string
	err            error
}

// OpenRemote opens the local copy and the printer and refreshes the copy
// from the node. A node that does not answer is no error (the kiosk starts
// offline and keeps asking); a node that refuses the token is.
func OpenRemote(ctx context.Context, cfg RemoteConfig) (*Remote, error) {
	if cfg.Profile.Name == "" {
		cfg.Profile = escpos.Generic80
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	if cfg.Probe <= 0 {
		cfg.Probe = 5 * time.Second
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 5 * time.Minute
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	cp, err := hall.Open(ctx, filepath.Join(cfg.Data, "copy"), hall.Options{})
	if err != nil {
		return nil, err
	}
	r := &Remote{Copy: cp, cfg: cfg, done: make(chan struct{}), tell: make(chan struct{}, 1),
		API: &httpapi.Client{BaseURL: cfg.Node, Token: cfg.Token, HTTP: &http.Client{Timeout: cfg.Timeout}},
		stream: &httpapi.Client{BaseURL: cfg.Node, Token: cfg.Token, HTTP: &http.Client{Transport: &http.Transport{
			DialContext:           (&net.Dialer{Timeout: cfg.Timeout}).DialContext,
			ResponseHeaderTimeout: cfg.Timeout,
		}}}}
	// A kiosk restarted while the node is away still knows how old its
	// copy is.
	var cs copyState
	if ok, err := cp.DeviceState(ctx, copyDevice, &cs); err == nil && ok {
		r.copied, r.catVer = cs.Copied, cs.Catalogue
	}
	if err := r.check(ctx); err != nil && !errors.Is(err, ErrNodeUnreachable) {
		cp.Close()
		return nil, fmt.Errorf("kiosk: hall node %s: %w", cfg.Node, err)
	}
	r.printerParts, err = openPrinter(cp, printerSetup{Data: cfg.Data, Port: cfg.Printer, Profile: cfg.Profile, KioskID: cfg.KioskID, Virtual: cfg.Virtual}, r.printerEvent)
	if err != nil {
		cp.Close()
		return nil, err
	}
	lctx, cancel := context.WithCancel(context.Background())
	r.stop = cancel
	go r.loop(lctx)
	return r, nil
}

// Close stops the probe loop, tells the node the print outcomes still
// queued (for up to Timeout: a ticket whose paper came out must not be
// failed by the next start's recovery), and stops the printer and the
// copy.
func (r *Remote) Close() error {
	r.closing.Do(func() {
		r.stop()
		<-r.done
		ctx, cancel := context.WithTimeout(context.Background(), r.cfg.Timeout)
		defer cancel()
		if err := r.flush(ctx); err != nil {
			r.cfg.Logf("kiosk: closing without telling the node: %v; the next start has staff check those tickets", err)
		}
		r.closeErr = errors.Join(r.printerParts.close(), r.Copy.Close())
	})
	return r.closeErr
}

func (r *Remote) loop(ctx context.Context) {
	defer close(r.done)
	t := time.NewTicker(r.cfg.Probe)
	defer t.Stop()
	// The node going away, refusing and coming back is logged by setDown
	// as it changes; a fault of the local copy is this kiosk's own, logged
	// here once for as long as it stays the same.
	var copyFault string
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fault := ""
			if err := r.check(ctx); errors.Is(err, errLocalCopy) {
				fault = err.Error()
			}
			if fault != "" && fault != copyFault {
				r.cfg.Logf("%s; guides and case progress show what the copy last held", fault)
			}
			copyFault = fault
		case <-r.tell:
			tctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
			if err := r.flush(tctx); err != nil {
				r.note(err)
			}
			cancel()
		}
	}
}

// check asks the node whether it is there; when it is back, or the copy
// is due, it refreshes the copy and tells the node the print outcomes it
// missed. It returns ErrNodeUnreachable (wrapped) when the node does not
// answer, the node's refusal when it answers but will not serve this
// kiosk, and errLocalCopy (wrapped) for a fault of the copy. The probe
// loop calls it every RemoteConfig.Probe.
func (r *Remote) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 4*r.cfg.Timeout)
	defer cancel()
	h, err := r.API.KioskHall(ctx)
	var refusal *httpapi.APIError
	if errors.As(err, &refusal) {
		// The node answers but will not serve this kiosk (its token
		// revoked, a node too old for the endpoint): no number can be
		// taken, so the kiosk is offline as when the node is away, and
		// says why.
		r.setDown(err)
		return err
	}
	if err != nil {
		return r.note(err)
	}
	r.mu.Lock()
	due := r.down != nil || time.Since(r.copied) >= r.cfg.Refresh
	r.mu.Unlock()
	if err := r.putConfig(ctx, h.Config); err != nil {
		return err
	}
	if due {
		if err := r.refresh(ctx); err != nil {
			return r.note(err)
		}
	}
	if err := r.flush(ctx); err != nil {
		return r.note(err)
	}
	if err := r.recover(ctx); err != nil {
		return r.note(err)
	}
	r.setDown(nil)
	return nil
}

// recover asks the node, the first time this process reaches it, to fail
// the prints this kiosk left pending when it stopped (killed, power cut
// between the node's commit and the printer's answer), so staff see them
// (invariant 2). Check tells the node the outcomes this process kept
// first, so none of those is failed by mistake (the pending test keeps it
// so should that order change); and the kiosk issues nothing before it,
// since taking a number needs the node.
func (r *Remote) recover(ctx context.Context) error {
	r.mu.Lock()
	skip := r.recovered || len(r.pending) > 0
	r.mu.Unlock()
	if skip {
		return nil
	}
	lost, err := r.API.KioskRecover(ctx)
	if err != nil {
		return err
	}
	for _, t := range lost {
		r.cfg.Logf("kiosk: ticket %s was printing when the kiosk stopped; staff mode lists it to reprint or void", t.Number)
	}
	r.mu.Lock()
	r.recovered = true
	r.mu.Unlock()
	return nil
}

// putConfig stores the hall's configuration in the copy when it changed.
func (r *Remote) putConfig(ctx context.Context, cfg queue.HallConfig) error {
	old, _, err := r.Copy.Config(ctx)
	if err != nil {
		// A new copy: the first configuration makes it a hall.
		return localCopy(r.Copy.Init(ctx, cfg))
	}
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(cfg)
	if bytes.Equal(a, b) {
		return nil
	}
	return localCopy(r.Copy.DB().Write(ctx, func(tx *store.Tx) error { return tx.PutConfig(cfg) }))
}

// refresh copies the catalogue (when its version changed) and every case.
func (r *Remote) refresh(ctx context.Context) error {
	cat, err := r.API.KioskCatalogue(ctx)
	if err != nil {
		return err
	}
	r.mu.Lock()
	same := cat.Version() == r.catVer && r.catVer != ""
	r.mu.Unlock()
	if !same {
		if err := r.Copy.PutCatalogue(ctx, cat, kioskActor(r.cfg.KioskID)); err != nil {
			return localCopy(err)
		}
	}
	cases, err := r.API.KioskCases(ctx)
	if err != nil {
		return err
	}
	// The node's set replaces the copy's in one transaction: a case the
	// centre withdrew is gone, and a lookup never sees half a refresh.
	err = r.Copy.DB().Write(ctx, func(tx *store.Tx) error {
		if err := tx.ResetCases(); err != nil {
			return err
		}
		return tx.PutCases(cases)
	})
	if err != nil {
		return localCopy(err)
	}
	now := time.Now()
	if err := r.Copy.SaveDeviceState(ctx, copyDevice, copyState{Copied: now, Catalogue: cat.Version()}); err != nil {
		return localCopy(err)
	}
	r.mu.Lock()
	r.catVer, r.copied = cat.Version(), now
	r.mu.Unlock()
	r.cfg.Logf("kiosk: local copy refreshed from %s: %d items (%s), %d cases", r.cfg.Node, cat.Len(), cat.Version(), len(cases))
	return nil
}

// unreachable reports whether err says the node did not answer, rather
// than answering no.
func unreachable(err error) bool {
	if err == nil || errors.Is(err, ErrNodeUnreachable) {
		return err != nil
	}
	var ae *httpapi.APIError
	return !errors.As(err, &ae) && !errors.Is(err, context.Canceled) && !errors.Is(err, errLocalCopy)
}

// note marks the node unreachable when err says so, and returns err
// wrapped in ErrNodeUnreachable then.
func (r *Remote) note(err error) error {
	if !unreachable(err) {
		return err
	}
	r.setDown(err)
	if errors.Is(err, ErrNodeUnreachable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNodeUnreachable, err)
}

// setDown records whether the node answers and tells the watchers when
// that changed.
func (r *Remote) setDown(err error) {
	r.mu.Lock()
	was := r.down
	r.down = err
	changed := (was != nil) != (err != nil)
	var ws []chan struct{}
	if changed {
		for w := range r.watchers {
			ws = append(ws, w)
		}
	}
	r.mu.Unlock()
	switch {
	case downReason(was) == downReason(err):
	case err == nil:
		r.cfg.Logf("kiosk: hall node %s answers again", r.cfg.Node)
	case unreachable(err):
		r.cfg.Logf("kiosk: hall node %s unreachable: %v; guides and case progress go on from the local copy", r.cfg.Node, err)
	default:
		r.cfg.Logf("kiosk: hall node %s answers but refuses this kiosk: %v; no numbers until it accepts, guides and case progress go on from the local copy", r.cfg.Node, err)
	}
	for _, w := range ws {
		signal(w)
	}
}

// downReason is what makes a change of setDown worth a log line: a
// refusal by its text, since a different refusal is news, and the node's
// absence as one reason, since its errors (timeouts, refused connections)
// vary from probe to probe.
func downReason(err error) string {
	switch {
	case err == nil:
		return ""
	case unreachable(err):
		return "unreachable"
	default:
		return err.Error()
	}
}

// online returns ErrNodeUnreachable while the node is known not to
// answer, so a citizen is not kept waiting for a timeout: the probe loop
// notices when it is back.
func (r *Remote) online() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down != nil {
		return fmt.Errorf("%w: %w", ErrNodeUnreachable, r.down)
	}
	return nil
}

// Offline implements LANStatus.
func (r *Remote) Offline() (time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.copied, r.down
}

// Watch implements Watcher: a signal each time the node goes away or
// comes back.
func (r *Remote) Watch() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	r.mu.Lock()
	if r.watchers == nil {
		r.watchers = map[chan struct{}]struct{}{}
	}
	r.watchers[ch] = struct{}{}
	r.mu.Unlock()
	return ch, func() {
		r.mu.Lock()
		delete(r.watchers, ch)
		r.mu.Unlock()
	}
}

func (r *Remote) actor() string { return kioskActor(r.cfg.KioskID) }

func (r *Remote) Hall(ctx context.Context) (queue.HallConfig, *time.Location, error) {
	return r.Copy.Config(ctx)
}

func (r *Remote) Now() time.Time { return r.Copy.Now() }

func (r *Remote) Queue(ctx context.Context) ([]hall.ServiceState, error) {
	if err := r.online(); err != nil {
		return nil, err
	}
	st, err := r.API.QueueState(ctx)
	return st, r.note(err)
}

// Catalogue is the local copy's: the same with or without the node.
func (r *Remote) Catalogue(ctx context.Context) (*catalogue.Catalogue, error) {
	return r.Copy.Catalogue(ctx)
}

func (r *Remote) TakeNumber(ctx context.Context, req hall.IssueRequest, lang i18n.Lang) (hall.Issued, error) {
	if err := r.online(); err != nil {
		return hall.Issued{}, err
	}
	req.Print = true
	v, err := r.API.Issue(ctx, req)
	if err != nil {
		return hall.Issued{}, r.note(err)
	}
	is := v.Issued()
	return is, r.printTicket(ctx, is)
}

func (r *Remote) CheckIn(ctx context.Context, code string, lang i18n.Lang) (hall.Issued, error) {
	if err := r.online(); err != nil {
		return hall.Issued{}, err
	}
	v, err := r.API.CheckIn(ctx, code)
	if err != nil {
		return hall.Issued{}, r.note(err)
	}
	is := v.Issued()
	return is, r.printTicket(ctx, is)
}

// LookupCase asks the node (which throttles failures per kiosk), and the
// local copy when the node does not answer (the copy's node throttles
// the same way).
func (r *Remote) LookupCase(ctx context.Context, number, checkCode string) (queue.Case, error) {
	if r.online() == nil {
		c, err := r.API.LookupCase(ctx, number, checkCode)
		if !unreachable(err) {
			return c, err
		}
		r.note(err)
	}
	return r.Copy.LookupCase(ctx, r.actor(), number, checkCode)
}

func (r *Remote) PrintGuide(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	return r.Jobs.PrintGuide(ctx, it, lang)
}

func (r *Remote) PrintMaterials(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	return r.Jobs.PrintMaterials(ctx, it, nil, lang)
}

func (r *Remote) PrintCaseSlip(ctx context.Context, c queue.Case, lang i18n.Lang) error {
	return r.Jobs.PrintCaseSlip(ctx, c, lang)
}

func (r *Remote) HasA4() bool { return r.cfg.A4 != nil }

// PrintGuideA4 prints from the local copy: a full guide needs no node.
func (r *Remote) PrintGuideA4(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	return printGuideA4(ctx, r.cfg.A4, r.Copy, it, lang)
}

func (r *Remote) PrinterHealth() PrinterHealth { return r.health() }

// WatchPrinter follows this kiosk's own printer: it is local in LAN mode
// too.
func (r *Remote) WatchPrinter() (<-chan PrinterHealth, func()) { return r.watchHealth() }

// streamRetry is the backoff of a broken event stream: Follow waits a
// jittered half to whole of it (1–2 s) before it reconnects. A silent
// stream is taken for dead after Follow's default, three of the node's
// 15 s heartbeats: a node whose host vanished sends no FIN.
const streamRetry = 2 * time.Second

// WatchQueue follows the node's event stream (GET /api/v1/events) while
// a screen needs it, rather than polling the queue: a change reaches the
// screen within one round trip, an unchanged hall costs nothing but the
// heartbeats, and the node already serves a stream to every display (100
// clients measured in docs/bench-notes). Each (re)connection starts with
// a snapshot (FollowOptions.Fresh: the node replays nothing), which
// signals too, so a screen re-reads the queue after a reconnection
// whatever it missed.
func (r *Remote) WatchQueue() (<-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan struct{}, 1)
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		defer close(out)
		r.followEvents(ctx, func() { signal(out) })
	}()
	return out, sync.OnceFunc(func() {
		cancel()
		<-exited
	})
}

// followEvents follows the stream until ctx ends (httpapi.Client.Follow)
// and signals each message that may change the queue. The probe loop, not
// the stream, decides whether the node is down: a stream can break for
// reasons of its own.
func (r *Remote) followEvents(ctx context.Context, changed func()) {
	r.stream.Follow(ctx, -1, httpapi.FollowOptions{MinBackoff: streamRetry, MaxBackoff: streamRetry, Fresh: true, Logf: r.cfg.Logf, Name: "kiosk"},
		func(m httpapi.StreamMessage) error {
			if m.Event == "snapshot" || queueStream(m.Event) {
				changed()
			}
			return nil
		})
}

func (r *Remote) Restocked(ctx context.Context) error { return r.Jobs.Restocked(ctx) }

func (r *Remote) TestPrint(ctx context.Context, lang i18n.Lang) error {
	return r.Jobs.TestPrint(ctx, lang)
}

func (r *Remote) FailedTickets(ctx context.Context) ([]queue.Ticket, error) {
	if err := r.online(); err != nil {
		return nil, err
	}
	vs, err := r.API.PrintFailed(ctx)
	if err != nil {
		return nil, r.note(err)
	}
	out := make([]queue.Ticket, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.Issued().Ticket)
	}
	return out, nil
}

// Reprint claims the ticket at the node (once, whichever kiosk asks) and
// prints it here.
func (r *Remote) Reprint(ctx context.Context, id string, lang i18n.Lang) error {
	if err := r.online(); err != nil {
		return err
	}
	v, err := r.API.ClaimReprint(ctx, id)
	if err != nil {
		return r.note(err)
	}
	return r.printTicket(ctx, v.Issued())
}

func (r *Remote) Void(ctx context.Context, id string) error {
	if err := r.online(); err != nil {
		return err
	}
	return r.note(r.API.Void(ctx, id))
}

func (r *Remote) SetServiceOpen(ctx context.Context, code string, open bool) error {
	if err := r.online(); err != nil {
		return err
	}
	return r.note(r.API.SetServiceOpen(ctx, code, open))
}

func (r *Remote) Status(ctx context.Context) (NodeStatus, error) {
	st := NodeStatus{Location: r.cfg.Node}
	if cfg, _, err := r.Copy.Config(ctx); err == nil {
		st.HallID = cfg.ID
	}
	if cat, err := r.Copy.Catalogue(ctx); err == nil {
		st.CopyItems = cat.Len()
	}
	r.Copy.DB().Read(ctx, func(tx *store.Tx) (err error) {
		st.CopyCases, err = tx.CaseCount()
		return err
	})
	st.Copied, st.Unreachable = r.Offline()
	if st.Unreachable != nil {
		return st, nil
	}
	tally, err := r.API.Tally(ctx)
	if unreachable(err) {
		st.Unreachable = r.note(err)
		return st, nil
	}
	if err != nil {
		return st, err // the node answers, but not this question
	}
	st.DayTally = tally
	return st, nil
}

// printTicket prints an issued ticket on this kiosk's printer and has
// the outcome told to the node. Printing is the print service's (its
// layout, job queue, health and paper counter), so a LAN kiosk's ticket
// and staff mode's printer health are the embedded one's.
func (r *Remote) printTicket(ctx context.Context, is hall.Issued) error {
	perr := r.Jobs.PrintIssued(ctx, is)
	r.report(printOutcome{ticket: is.Ticket.ID, number: is.Ticket.Number, err: perr})
	if perr != nil {
		return &printjob.PrintError{TicketID: is.Ticket.ID, Number: is.Ticket.Number, Err: perr}
	}
	return nil
}

// report queues a print outcome for the loop to tell the node, so the
// citizen sees the ticket screen as soon as the paper is out, not after a
// round trip (up to Timeout when the node has just gone). The ticket stays
// "pending" at the node until it is told: never silently printed or lost.
func (r *Remote) report(o printOutcome) {
	r.mu.Lock()
	r.pending = append(r.pending, o)
	r.mu.Unlock()
	signal(r.tell)
}

// flush tells the node the print outcomes and the printer health it has
// not heard, outcomes in order. It stops at the first that finds the node
// away and returns that error; what is left waits for the next try.
func (r *Remote) flush(ctx context.Context) error {
	r.mu.Lock()
	ps := r.pending
	r.pending = nil
	r.mu.Unlock()
	for i, o := range ps {
		err := r.API.RecordPrint(ctx, o.ticket, o.err)
		if err != nil && (unreachable(err) || ctx.Err() != nil) {
			r.mu.Lock()
			r.pending = append(ps[i:], r.pending...)
			r.mu.Unlock()
			return fmt.Errorf("telling the node ticket %s's print outcome: %w", o.number, err)
		} else if err != nil {
			r.cfg.Logf("kiosk: print outcome of %s refused: %v", o.number, err)
		}
	}
	r.mu.Lock()
	h := r.unsentHealth
	r.unsentHealth = healthReport{}
	r.mu.Unlock()
	if h.status == "" {
		return nil
	}
	err := r.API.ReportHealth(ctx, h.status, h.detail)
	if err != nil && (unreachable(err) || ctx.Err() != nil) {
		r.mu.Lock()
		if r.unsentHealth.status == "" { // nothing newer came meanwhile
			r.unsentHealth = h
		}
		r.mu.Unlock()
		return fmt.Errorf("telling the node the printer's health: %w", err)
	} else if err != nil {
		r.cfg.Logf("kiosk: printer health refused by the node: %v", err)
	}
	return nil
}

// printerEvent has the printer's health told to the node, so staff and the
// hall's displays see a kiosk out of paper. Only the latest state is kept,
// and the loop tells it, so changes reach the node in order, and one the
// node missed is told when it is back.
func (r *Remote) printerEvent(e printer.Event) {
	status := "fault"
	switch e.Kind {
	case printer.KindOnline, printer.KindRecovered:
		status = "ok"
	case printer.KindPaperNearEnd:
		status = "warning"
	}
	r.mu.Lock()
	r.unsentHealth = healthReport{status: status, detail: fmt.Sprintf("printer %s: %s", e.Kind, e.Detail)}
	r.mu.Unlock()
	signal(r.tell)
}

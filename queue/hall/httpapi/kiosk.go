package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/hall"
	"hallq/queue/staff"
	"hallq/queue/store"
)

// What a kiosk on the LAN needs beyond issuing: the hall's configuration,
// catalogue and case copies for its own local copy, case lookups and
// appointment check-ins, and the print path. A LAN kiosk prints on its
// own printer, so it tells the node how each ticket's print went; the node
// records it exactly as an embedded kiosk's print service does (invariant
// 2: print_failed events reach staff, reprints are claimed once).
//
// Every route is for kiosk devices only and acts as device:kiosk:NAME.

func kioskOnly(p Principal) bool { return p.Device != nil && p.Device.Kind == staff.Kiosk }

// kioskRoutes registers the kiosk routes on m.
func (s *Server) kioskRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /api/v1/kiosk/hall", s.auth(kioskOnly, s.kioskHall))
	m.HandleFunc("GET /api/v1/kiosk/catalogue", s.auth(kioskOnly, s.kioskCatalogue))
	m.HandleFunc("GET /api/v1/kiosk/cases", s.auth(kioskOnly, s.kioskCases))
	m.HandleFunc("POST /api/v1/kiosk/cases/lookup", s.auth(kioskOnly, s.kioskLookup))
	m.HandleFunc("POST /api/v1/kiosk/checkin", s.auth(kioskOnly, s.idempotent(s.kioskCheckIn)))
	m.HandleFunc("GET /api/v1/kiosk/print-failed", s.auth(kioskOnly, s.kioskPrintFailed))
	m.HandleFunc("POST /api/v1/kiosk/recover", s.auth(kioskOnly, s.kioskRecover))
	m.HandleFunc("POST /api/v1/kiosk/tickets/{ref}/print", s.auth(kioskOnly, s.idempotent(s.kioskPrinted)))
	m.HandleFunc("POST /api/v1/kiosk/tickets/{ref}/reprint", s.auth(kioskOnly, s.idempotent(s.kioskReprint)))
	m.HandleFunc("POST /api/v1/kiosk/tickets/{ref}/void", s.auth(kioskOnly, s.idempotent(s.kioskVoid)))
	m.HandleFunc("POST /api/v1/kiosk/services/{code}/{state}", s.auth(kioskOnly, s.idempotent(s.kioskService)))
}

// KioskHall is the hall's configuration with its time zone resolved.
type KioskHall struct {
	Config queue.HallConfig `json:"config"`
	Zone   string           `json:"zone"`
}

func (s *Server) kioskHall(w http.ResponseWriter, r *http.Request) {
	cfg, loc, err := s.node.Config(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, KioskHall{Config: cfg, Zone: loc.String()})
}

func (s *Server) kioskCatalogue(w http.ResponseWriter, r *http.Request) {
	cat, err := s.node.Catalogue(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("ETag", strconv.Quote(cat.Version()))
	if m := r.Header.Get("If-None-Match"); m != "" && m == strconv.Quote(cat.Version()) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, cat)
}

// KioskCasesPage is one page of the hall's case copies, in number order.
type KioskCasesPage struct {
	Cases []queue.Case `json:"cases"`
	Next  string       `json:"next,omitempty"` // pass as ?after= for the next page; "" at the end
}

// kioskCasePage is the page size of GET /api/v1/kiosk/cases.
const kioskCasePage = 500

func (s *Server) kioskCases(w http.ResponseWriter, r *http.Request) {
	after := r.URL.Query().Get("after")
	var cs []queue.Case
	err := s.node.DB().Read(r.Context(), func(tx *store.Tx) (err error) {
		cs, err = tx.CasesAfter(after, kioskCasePage)
		return err
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page := KioskCasesPage{Cases: cs}
	if page.Cases == nil {
		page.Cases = []queue.Case{}
	}
	if len(cs) == kioskCasePage {
		page.Next = cs[len(cs)-1].Number
	}
	writeJSON(w, http.StatusOK, page)
}

// LookupBody is the body of POST /api/v1/kiosk/cases/lookup.
type LookupBody struct {
	Number    string `json:"number"`
	CheckCode string `json:"check_code"`
}

// kioskLookup finds a case; the node throttles failures per kiosk.
func (s *Server) kioskLookup(w http.ResponseWriter, r *http.Request) {
	var b LookupBody
	if err := decode(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.node.LookupCase(r.Context(), principalOf(r).Actor(), b.Number, b.CheckCode)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// CheckInBody is the body of POST /api/v1/kiosk/checkin.
type CheckInBody struct {
	Code      string `json:"code"`
	RequestID string `json:"request_id,omitempty"`
}

func (s *Server) kioskCheckIn(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var b CheckInBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	is, err := s.node.CheckIn(r.Context(), hall.CheckInRequest{Code: b.Code, Print: true, Actor: principalOf(r).Actor()})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, hall.IssuedView(is, s.loc), nil
}

// PrintedBody is the body of POST /api/v1/kiosk/tickets/{ref}/print: how
// the kiosk's printing of the ticket went.
type PrintedBody struct {
	Error     string `json:"error,omitempty"` // "" when the paper came out
	RequestID string `json:"request_id,omitempty"`
}

// printFault is a kiosk's print failure as the node records it.
type printFault string

func (e printFault) Error() string { return string(e) }

func (s *Server) kioskPrinted(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var b PrintedBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	t, err := s.node.Ticket(r.Context(), r.PathValue("ref"))
	if err != nil {
		return 0, nil, err
	}
	var perr error
	if b.Error != "" {
		perr = printFault(b.Error)
	}
	t, err = s.node.RecordPrint(r.Context(), t.ID, perr, principalOf(r).Actor())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, hall.View(t, s.loc), nil
}

// kioskReprint claims a failed ticket for printing at this kiosk, once.
func (s *Server) kioskReprint(w http.ResponseWriter, r *http.Request) (int, any, error) {
	t, err := s.node.Ticket(r.Context(), r.PathValue("ref"))
	if err != nil {
		return 0, nil, err
	}
	t, err = s.node.ClaimReprint(r.Context(), t.ID, principalOf(r).Actor())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, hall.View(t, s.loc), nil
}

// kioskVoid cancels a ticket whose paper never came out. Only such a
// ticket: a kiosk cannot cancel a citizen's printed ticket.
func (s *Server) kioskVoid(w http.ResponseWriter, r *http.Request) (int, any, error) {
	t, err := s.node.VoidFailedPrint(r.Context(), r.PathValue("ref"), principalOf(r).Actor())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, hall.View(t, s.loc), nil
}

func (s *Server) kioskPrintFailed(w http.ResponseWriter, r *http.Request) {
	ts, err := s.node.PrintFailed(r.Context())
	s.handle(w, r, http.StatusOK, s.views(ts), err)
}

// kioskRecover fails the prints this kiosk left pending: a kiosk killed
// or cut off from power between the node's commit and its printer's
// answer asks for it when it first reaches the node after starting, so
// staff see those tickets (invariant 2). Other kiosks' pending prints may
// be in progress and are left alone. Repeating it is harmless.
func (s *Server) kioskRecover(w http.ResponseWriter, r *http.Request) {
	actor := principalOf(r).Actor()
	ts, err := s.node.FailInterruptedPrints(r.Context(), actor)
	s.handle(w, r, http.StatusOK, s.views(ts), err)
}

// kioskService opens or pauses issuing for a service from the kiosk's
// staff mode (behind the kiosk's staff PIN).
func (s *Server) kioskService(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var open bool
	switch r.PathValue("state") {
	case "open":
		open = true
	case "pause":
	default:
		return 0, nil, apiErr(CodeNotFound, "no service state %q (open, pause)", r.PathValue("state"))
	}
	code := strings.ToUpper(r.PathValue("code"))
	if err := s.node.SetServiceOpen(r.Context(), code, open, principalOf(r).Actor()); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"service": code, "open": open}, nil
}

// The kiosk's side of these routes.

// KioskRecover asks the node to fail the prints this kiosk left pending
// when it stopped; it returns those tickets.
func (c *Client) KioskRecover(ctx context.Context) ([]hall.TicketView, error) {
	var out []hall.TicketView
	err := c.do(ctx, "POST", "/api/v1/kiosk/recover", struct{}{}, &out, "")
	return out, err
}

// KioskHall returns the hall's configuration and time zone.
func (c *Client) KioskHall(ctx context.Context) (KioskHall, error) {
	var out KioskHall
	err := c.do(ctx, "GET", "/api/v1/kiosk/hall", nil, &out, "")
	return out, err
}

// KioskCatalogue returns the hall's catalogue.
func (c *Client) KioskCatalogue(ctx context.Context) (*catalogue.Catalogue, error) {
	out := &catalogue.Catalogue{}
	err := c.do(ctx, "GET", "/api/v1/kiosk/catalogue", nil, out, "")
	return out, err
}

// KioskCases returns every case copy of the hall, page by page.
func (c *Client) KioskCases(ctx context.Context) ([]queue.Case, error) {
	var all []queue.Case
	after := ""
	for {
		var page KioskCasesPage
		if err := c.do(ctx, "GET", "/api/v1/kiosk/cases?after="+url.QueryEscape(after), nil, &page, ""); err != nil {
			return nil, err
		}
		all = append(all, page.Cases...)
		if page.Next == "" {
			return all, nil
		}
		after = page.Next
	}
}

// LookupCase finds a case by number and check code.
func (c *Client) LookupCase(ctx context.Context, number, checkCode string) (queue.Case, error) {
	var out queue.Case
	err := c.do(ctx, "POST", "/api/v1/kiosk/cases/lookup", LookupBody{Number: number, CheckCode: checkCode}, &out, "")
	return out, err
}

// CheckIn checks an appointment in; the ticket's print is pending until
// RecordPrint.
func (c *Client) CheckIn(ctx context.Context, code string) (hall.TicketView, error) {
	var out hall.TicketView
	err := c.retry(ctx, "POST", "/api/v1/kiosk/checkin", CheckInBody{Code: code}, &out, "")
	return out, err
}

// RecordPrint tells the node how printing a ticket went (printErr nil:
// the paper came out).
func (c *Client) RecordPrint(ctx context.Context, ticketID string, printErr error) error {
	b := PrintedBody{}
	if printErr != nil {
		b.Error = printErr.Error()
	}
	return c.retry(ctx, "POST", "/api/v1/kiosk/tickets/"+url.PathEscape(ticketID)+"/print", b, nil, "")
}

// ClaimReprint claims a failed ticket for printing here.
func (c *Client) ClaimReprint(ctx context.Context, ticketID string) (hall.TicketView, error) {
	var out hall.TicketView
	err := c.retry(ctx, "POST", "/api/v1/kiosk/tickets/"+url.PathEscape(ticketID)+"/reprint", struct{}{}, &out, "")
	return out, err
}

// Void cancels a ticket whose print failed.
func (c *Client) Void(ctx context.Context, ticketID string) error {
	return c.retry(ctx, "POST", "/api/v1/kiosk/tickets/"+url.PathEscape(ticketID)+"/void", struct{}{}, nil, "")
}

// PrintFailed lists the hall's tickets whose print failed.
func (c *Client) PrintFailed(ctx context.Context) ([]hall.TicketView, error) {
	var out []hall.TicketView
	err := c.do(ctx, "GET", "/api/v1/kiosk/print-failed", nil, &out, "")
	return out, err
}

// SetServiceOpen opens or pauses issuing for a service.
func (c *Client) SetServiceOpen(ctx context.Context, code string, open bool) error {
	state := "pause"
	if open {
		state = "open"
	}
	return c.retry(ctx, "POST", fmt.Sprintf("/api/v1/kiosk/services/%s/%s", url.PathEscape(code), state), struct{}{}, nil, "")
}

// ReportHealth reports this device's health (ok, warning, fault; a kiosk's printer) to the
// node, which makes it a device event for staff and displays.
func (c *Client) ReportHealth(ctx context.Context, status, detail string) error {
	return c.do(ctx, "POST", "/api/v1/devices/health", HealthBody{Status: status, Detail: detail}, nil, "")
}

package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/staff"
	"hallq/queue/store"
)

// result is a handler that returns its answer, so idempotent can store it.
type result func(w http.ResponseWriter, r *http.Request) (status int, v any, err error)

type requestIDKey struct{}

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// idempotent makes a mutation safe to repeat. The request id comes from
// the Idempotency-Key header or the body's "request_id". A repeated id
// with the same method, path, principal and body gets the stored answer
// (header Idempotent-Replayed: true); with anything else it is a conflict.
// Only successful answers are stored, so a refused request may be retried.
// Copies in flight at once are serialized by the key.
//
// Call next is idempotent inside its own transaction (the node keeps
// request id → ticket). Other mutations store their answer in a second
// transaction right after the change commits: a crash between the two
// lets a retry run once more, where the ticket's state machine refuses
// most repeats (a second finish or start is an invalid transition); a
// repeated issue or recall in that window would act twice.
func (s *Server) idempotent(h result) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				s.writeError(w, r, apiErr(CodeTooLarge, "body over %d bytes", mbe.Limit))
				return
			}
			s.writeError(w, r, apiErr(queue.CodeInvalid, "reading body: %v", err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		key := r.Header.Get("Idempotency-Key")
		if key == "" && len(body) > 0 {
			var k struct {
				RequestID string `json:"request_id"`
			}
			json.Unmarshal(body, &k) // a malformed body is the handler's to refuse
			key = k.RequestID
		}
		if len(key) > 128 {
			s.writeError(w, r, apiErr(queue.CodeInvalid, "request id over 128 bytes"))
			return
		}
		if key == "" {
			status, v, err := h(w, r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			writeJSON(w, status, v)
			return
		}
		sum := sha256.Sum256(body)
		fp := r.Method + " " + r.URL.Path + " " + principalOf(r).Actor() + " " + hex.EncodeToString(sum[:8])
		unlock := s.keyLock.lock(key)
		defer unlock()
		prev, ok, err := s.node.Answered(r.Context(), key)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if ok {
			if prev.Fingerprint != fp {
				s.writeError(w, r, apiErr(queue.CodeConflict, "request id %s was used for another request", key))
				return
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			w.Write(prev.Body)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, key))
		status, v, err := h(w, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		b, err := marshal(v)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.node.Answer(r.Context(), key, hall.RequestAnswer{Fingerprint: fp, Status: status, Body: b}); err != nil {
			s.log.Error("store request answer", "request_id", key, "err", err)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		w.Write(b)
	}
}

// handle adapts a result handler without idempotency (reads, sign-ins).
func (s *Server) handle(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// IssueBody is the body of POST /api/v1/tickets.
type IssueBody struct {
	Service       string     `json:"service"`
	Priority      string     `json:"priority,omitempty"` // normal, appointment, green, elderly, ...
	CitizenID     string     `json:"citizen_id,omitempty"`
	AppointmentID string     `json:"appointment_id,omitempty"`
	AppointmentAt *time.Time `json:"appointment_at,omitempty"`
	Print         bool       `json:"print,omitempty"`
	RequestID     string     `json:"request_id,omitempty"`
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var b IssueBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	if b.Service == "" {
		return 0, nil, apiErr(queue.CodeInvalid, "service is required")
	}
	p, err := queue.ParsePriority(b.Priority)
	if err != nil {
		return 0, nil, err
	}
	is, err := s.node.Issue(r.Context(), hall.IssueRequest{Service: strings.ToUpper(b.Service), Priority: p, CitizenID: b.CitizenID,
		AppointmentID: b.AppointmentID, AppointmentAt: b.AppointmentAt, Print: b.Print, Actor: principalOf(r).Actor()})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, hall.IssuedView(is, s.loc), nil
}

func (s *Server) tickets(w http.ResponseWriter, r *http.Request) {
	date := r.URL.Query().Get("date")
	if date != "" {
		if _, err := time.Parse(queue.DayLayout, date); err != nil {
			s.writeError(w, r, apiErr(queue.CodeInvalid, "date %q is not YYYY-MM-DD", date))
			return
		}
	}
	ts, err := s.node.Tickets(r.Context(), date)
	s.handle(w, r, http.StatusOK, s.views(ts), err)
}

func (s *Server) views(ts []queue.Ticket) []hall.TicketView {
	out := make([]hall.TicketView, 0, len(ts))
	for _, t := range ts {
		out = append(out, hall.View(t, s.loc))
	}
	return out
}

func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	t, err := s.node.Ticket(r.Context(), r.PathValue("ref"))
	s.handle(w, r, http.StatusOK, hall.View(t, s.loc), err)
}

// ActBody is the body of ticket and window actions.
type ActBody struct {
	Window    int    `json:"window,omitempty"`  // acting window, for ticket actions
	Ticket    string `json:"ticket,omitempty"`  // for window actions on a parked ticket (return)
	Service   string `json:"service,omitempty"` // transfer target
	Reason    string `json:"reason,omitempty"`  // cancel reason
	RequestID string `json:"request_id,omitempty"`
}

func parseAction(s string) (queue.Action, error) {
	switch a := queue.Action(strings.ReplaceAll(s, "-", "_")); a {
	case queue.ActRecall, queue.ActStart, queue.ActFinish, queue.ActNoShow, queue.ActPark, queue.ActReturn,
		queue.ActTransfer, queue.ActRejoin, queue.ActCancel:
		return a, nil
	}
	return "", apiErr(CodeNotFound, "no action %q", s)
}

// ticketAction is POST /api/v1/tickets/{ref}/{action}: the acting window
// is the body's, else the ticket's own; a ticket at no window (a waiting
// ticket being cancelled) is the hall manager's.
func (s *Server) ticketAction(w http.ResponseWriter, r *http.Request) (int, any, error) {
	a, err := parseAction(r.PathValue("action"))
	if err != nil {
		return 0, nil, err
	}
	var b ActBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	p := principalOf(r)
	window := b.Window
	if window == 0 {
		t, err := s.node.Ticket(r.Context(), r.PathValue("ref"))
		if err != nil {
			return 0, nil, err
		}
		window = t.Window
	}
	if window == 0 && p.role() != staff.Manager {
		return 0, nil, apiErr(CodeForbidden, "a ticket at no window is the hall manager's")
	}
	if window != 0 {
		if err := s.mayActAt(r.Context(), p, window); err != nil {
			return 0, nil, err
		}
	}
	t, err := s.node.Act(r.Context(), hall.ActRequest{Action: a, Window: window, Ticket: r.PathValue("ref"),
		Service: strings.ToUpper(b.Service), Reason: b.Reason, Actor: p.Actor()})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, hall.View(t, s.loc), nil
}

func windowOf(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 || n > 999 {
		return 0, apiErr(queue.CodeInvalid, "window %q is not a number 1-999", r.PathValue("n"))
	}
	return n, nil
}

func (s *Server) call(w http.ResponseWriter, r *http.Request) (int, any, error) {
	n, err := windowOf(r)
	if err != nil {
		return 0, nil, err
	}
	p := principalOf(r)
	if err := s.mayActAt(r.Context(), p, n); err != nil {
		return 0, nil, err
	}
	t, err := s.node.CallNext(r.Context(), n, requestID(r), p.Actor())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, hall.View(t, s.loc), nil
}

func (s *Server) windowAction(w http.ResponseWriter, r *http.Request) (int, any, error) {
	n, err := windowOf(r)
	if err != nil {
		return 0, nil, err
	}
	a, err := parseAction(r.PathValue("action"))
	if err != nil {
		return 0, nil, err
	}
	var b ActBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	p := principalOf(r)
	if err := s.mayActAt(r.Context(), p, n); err != nil {
		return 0, nil, err
	}
	if b.Ticket != "" {
		// A named ticket must be at this window: a clerk's rights end there.
		t, err := s.node.Ticket(r.Context(), b.Ticket)
		if err != nil {
			return 0, nil, err
		}
		if t.Window != n {
			return 0, nil, apiErr(queue.CodeWrongWindow, "ticket %s is at window %d, not %d", t.Number, t.Window, n)
		}
	}
	t, err := s.node.Act(r.Context(), hall.ActRequest{Action: a, Window: n, Ticket: b.Ticket,
		Service: strings.ToUpper(b.Service), Reason: b.Reason, Actor: p.Actor()})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, hall.View(t, s.loc), nil
}

// StateBody is the body of POST /api/v1/windows/{n}/state.
type StateBody struct {
	State     string `json:"state"` // open, paused, closed (or pause, close)
	RequestID string `json:"request_id,omitempty"`
}

func (s *Server) windowState(w http.ResponseWriter, r *http.Request) (int, any, error) {
	n, err := windowOf(r)
	if err != nil {
		return 0, nil, err
	}
	var b StateBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	state := map[string]queue.WindowState{"open": queue.WindowOpen, "paused": queue.WindowPaused, "pause": queue.WindowPaused,
		"closed": queue.WindowClosed, "close": queue.WindowClosed}[b.State]
	if state == "" {
		return 0, nil, apiErr(queue.CodeInvalid, "window state %q (open, paused, closed)", b.State)
	}
	p := principalOf(r)
	if err := s.mayActAt(r.Context(), p, n); err != nil {
		return 0, nil, err
	}
	win, err := s.node.SetWindowState(r.Context(), n, state, p.Actor())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, win, nil
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	n, err := windowOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principalOf(r)
	if p.role() == staff.Maintainer {
		s.writeError(w, r, apiErr(CodeForbidden, "a maintainer does not serve at windows"))
		return
	}
	if p.role() == staff.Clerk {
		// A clerk takes a free window, or their own; one signed in by a
		// colleague is theirs until they sign out, the hall manager
		// signs someone else in, or the sign-in outlives a session
		// (a shift that ended without signing out). Otherwise "a clerk
		// acts only at their windows" would mean nothing.
		err = s.node.TakeWindow(r.Context(), n, *p.Account, p.Actor(), s.opts.SessionTTL)
	} else {
		err = s.node.SignIn(r.Context(), n, *p.Account, p.Actor())
	}
	s.handle(w, r, http.StatusOK, map[string]any{"window": n, "clerk": p.Account.Name}, err)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	n, err := windowOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p := principalOf(r)
	if err := s.mayActAt(r.Context(), p, n); err != nil {
		s.writeError(w, r, err)
		return
	}
	err = s.node.SignOut(r.Context(), n, p.Actor())
	s.handle(w, r, http.StatusOK, map[string]any{"window": n}, err)
}

func (s *Server) windows(w http.ResponseWriter, r *http.Request) {
	snap, err := s.node.Snapshot(r.Context(), 0)
	s.handle(w, r, http.StatusOK, snap.Windows, err)
}

func (s *Server) waiting(w http.ResponseWriter, r *http.Request) {
	n, err := windowOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ts, err := s.node.WaitingFor(r.Context(), n)
	s.handle(w, r, http.StatusOK, s.views(ts), err)
}

func (s *Server) queueState(w http.ResponseWriter, r *http.Request) {
	st, err := s.node.QueueState(r.Context())
	s.handle(w, r, http.StatusOK, st, err)
}

func (s *Server) tally(w http.ResponseWriter, r *http.Request) {
	t, err := s.node.Tally(r.Context())
	s.handle(w, r, http.StatusOK, t, err)
}

func (s *Server) snapshot(w http.ResponseWriter, r *http.Request) {
	snap, err := s.node.Snapshot(r.Context(), recentCalls)
	s.handle(w, r, http.StatusOK, snap, err)
}

// PadState is what a window's rating pad shows.
type PadState struct {
	Window  int              `json:"window"`
	Ticket  *hall.TicketView `json:"ticket"` // the ticket to rate, or null
	Reasons []string         `json:"reasons"`
}

func (s *Server) padTicket(w http.ResponseWriter, r *http.Request) {
	d := principalOf(r).Device
	t, ok, err := s.node.ToRate(r.Context(), d.Window)
	st := PadState{Window: d.Window, Reasons: hall.RatingReasons}
	if ok {
		v := hall.View(t, s.loc)
		st.Ticket = &v
	}
	s.handle(w, r, http.StatusOK, st, err)
}

// RateBody is the body of POST /api/v1/ratings.
type RateBody struct {
	Ticket    string   `json:"ticket"`
	Level     int      `json:"level"`
	Reasons   []string `json:"reasons,omitempty"`
	Comment   string   `json:"comment,omitempty"`
	RequestID string   `json:"request_id,omitempty"`
}

func (s *Server) rate(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var b RateBody
	if err := decode(r, &b); err != nil {
		return 0, nil, err
	}
	p := principalOf(r)
	if p.Device.Window == 0 {
		return 0, nil, apiErr(CodeForbidden, "this rating pad belongs to no window")
	}
	rt, err := s.node.Rate(r.Context(), hall.RateRequest{Ticket: b.Ticket, Window: p.Device.Window, Level: b.Level,
		Reasons: b.Reasons, Comment: b.Comment, Actor: p.Actor()})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, rt, nil
}

// RatingView is a rating as the manager reads it, with the ticket's number.
type RatingView struct {
	store.Rating
	Number string `json:"number"`
	Time   string `json:"time"` // HH:MM in the hall's time zone
}

// ratings is GET /api/v1/ratings?date=YYYY-MM-DD&flagged=1: a business
// day's ratings (today by default); flagged=1 keeps the low ones the hall
// manager follows up.
func (s *Server) ratings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	date := q.Get("date")
	if date != "" {
		if _, err := time.Parse(queue.DayLayout, date); err != nil {
			s.writeError(w, r, apiErr(queue.CodeInvalid, "date %q is not YYYY-MM-DD", date))
			return
		}
	}
	flagged := false
	if v := q.Get("flagged"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.writeError(w, r, apiErr(queue.CodeInvalid, "flagged %q is not a boolean", v))
			return
		}
		flagged = b
	}
	rs, err := s.node.Ratings(r.Context(), date)
	out := []RatingView{}
	for _, rt := range rs {
		if flagged && !rt.Flagged {
			continue
		}
		_, number, _ := strings.Cut(rt.TicketID, "/")
		out = append(out, RatingView{Rating: rt, Number: number, Time: rt.At.In(s.loc).Format("15:04")})
	}
	s.handle(w, r, http.StatusOK, out, err)
}

// HealthBody is the body of POST /api/v1/devices/health.
type HealthBody struct {
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func (s *Server) deviceHealth(w http.ResponseWriter, r *http.Request) {
	var b HealthBody
	if err := decode(r, &b); err != nil {
		s.writeError(w, r, err)
		return
	}
	d := principalOf(r).Device
	err := s.node.ReportDevice(r.Context(), d.Window, hall.DeviceHealth{Device: d.Kind + ":" + d.Name, Status: b.Status, Detail: b.Detail})
	s.handle(w, r, http.StatusOK, map[string]bool{"ok": true}, err)
}

// messages serves the catalogue's text for the web pages: web.*, and the
// state, window and error words they show.
func (s *Server) messages(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	out := map[string]string{}
	for _, id := range i18n.IDs() {
		for _, p := range []string{"web.", "state.", "window.", "error."} {
			if strings.HasPrefix(id, p) {
				out[id] = i18n.T(lang, id)
			}
		}
	}
	w.Header().Set("Cache-Control", "max-age=300")
	writeJSON(w, http.StatusOK, map[string]any{"lang": lang, "messages": out})
}

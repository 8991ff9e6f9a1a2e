package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/staff"
	"hallq/queue/store"
)

// Client talks to a hall node's API with the node's method shapes, so a
// kiosk can use a remote hall node as it uses one in its own process.
// Errors are *APIError, whose code queue.ErrorCode reads.
type Client struct {
	BaseURL string // http://host:port
	Token   string // session or device token
	HTTP    *http.Client
}

// APIError is an error answer of the API.
type APIError struct {
	Status int
	ErrorDetail
}

func (e *APIError) Error() string {
	return fmt.Sprintf("hall node: %d %s: %s", e.Status, e.Code, e.Detail)
}

// Unwrap lets queue.ErrorCode see the code.
func (e *APIError) Unwrap() error { return &queue.Error{Code: e.Code, Detail: e.Detail} }

func (c *Client) do(ctx context.Context, method, path string, body, out any, requestID string) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	if requestID != "" {
		req.Header.Set("Idempotency-Key", requestID)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return &queue.Error{Code: queue.CodeInternal, Detail: "hall node unreachable", Err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return &queue.Error{Code: queue.CodeInternal, Detail: "reading answer", Err: err}
	}
	if resp.StatusCode >= 300 {
		var eb ErrorBody
		if json.Unmarshal(b, &eb) != nil || eb.Error.Code == "" {
			eb.Error = ErrorDetail{Code: queue.CodeInternal, Detail: strings.TrimSpace(string(b))}
		}
		return &APIError{Status: resp.StatusCode, ErrorDetail: eb.Error}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return &queue.Error{Code: queue.CodeInternal, Detail: "decoding answer", Err: err}
		}
	}
	return nil
}

// newRequestID returns a fresh idempotency key.
func newRequestID() string { return strings.TrimPrefix(staff.NewToken("r"), "r")[:22] }

// Login signs in and keeps the session token.
func (c *Client) Login(ctx context.Context, name, password string) (LoginResponse, error) {
	var out LoginResponse
	err := c.do(ctx, "POST", "/api/v1/login", LoginRequest{Name: name, Password: password}, &out, "")
	if err == nil {
		c.Token = out.Token
	}
	return out, err
}

// Issue takes a number. The request is sent with a fresh request id and
// repeated once with the same id if the connection fails.
func (c *Client) Issue(ctx context.Context, req hall.IssueRequest) (hall.TicketView, error) {
	var out hall.TicketView
	// The zero Priority is the appointment class; without an appointment
	// it can only mean an ordinary ticket.
	word := req.Priority.Word()
	if req.Priority.Class == queue.ClassAppointment && req.AppointmentID == "" && req.AppointmentAt == nil {
		word = "normal"
	}
	body := IssueBody{Service: req.Service, Priority: word, CitizenID: req.CitizenID,
		AppointmentID: req.AppointmentID, AppointmentAt: req.AppointmentAt, Print: req.Print}
	err := c.retry(ctx, "POST", "/api/v1/tickets", body, &out, "")
	return out, err
}

func (c *Client) retry(ctx context.Context, method, path string, body, out any, id string) error {
	if id == "" {
		id = newRequestID()
	}
	err := c.do(ctx, method, path, body, out, id)
	if _, api := err.(*APIError); err != nil && !api && ctx.Err() == nil {
		err = c.do(ctx, method, path, body, out, id)
	}
	return err
}

// CallNext calls the next ticket to a window; requestID makes it
// idempotent ("" for a fresh one). actor is ignored: the server names the
// signed-in principal.
func (c *Client) CallNext(ctx context.Context, window int, requestID, actor string) (hall.TicketView, error) {
	var out hall.TicketView
	err := c.retry(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/call", window), struct{}{}, &out, requestID)
	return out, err
}

// Act applies an action: at the request's window when it names no ticket,
// else to the named ticket.
func (c *Client) Act(ctx context.Context, req hall.ActRequest) (hall.TicketView, error) {
	var out hall.TicketView
	body := ActBody{Window: req.Window, Ticket: req.Ticket, Service: req.Service, Reason: req.Reason}
	path := fmt.Sprintf("/api/v1/windows/%d/%s", req.Window, req.Action)
	if req.Window == 0 || (req.Ticket != "" && req.Action != queue.ActReturn) {
		path = fmt.Sprintf("/api/v1/tickets/%s/%s", url.PathEscape(req.Ticket), req.Action)
		body.Ticket = ""
	}
	err := c.retry(ctx, "POST", path, body, &out, "")
	return out, err
}

// SetWindowState opens, pauses or closes a window.
func (c *Client) SetWindowState(ctx context.Context, window int, state queue.WindowState, actor string) (queue.Window, error) {
	var out queue.Window
	err := c.retry(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/state", window), StateBody{State: string(state)}, &out, "")
	return out, err
}

// SignIn signs the session's account in at a window.
func (c *Client) SignIn(ctx context.Context, window int) error {
	return c.do(ctx, "POST", fmt.Sprintf("/api/v1/windows/%d/signin", window), nil, nil, "")
}

// Tickets returns a business day's tickets; "" is today.
func (c *Client) Tickets(ctx context.Context, day string) ([]hall.TicketView, error) {
	var out []hall.TicketView
	q := ""
	if day != "" {
		q = "?date=" + url.QueryEscape(day)
	}
	err := c.do(ctx, "GET", "/api/v1/tickets"+q, nil, &out, "")
	return out, err
}

// QueueState returns every service's queue now.
func (c *Client) QueueState(ctx context.Context) ([]hall.ServiceState, error) {
	var out []hall.ServiceState
	err := c.do(ctx, "GET", "/api/v1/queue", nil, &out, "")
	return out, err
}

// Tally counts today's tickets.
func (c *Client) Tally(ctx context.Context) (hall.DayTally, error) {
	var out hall.DayTally
	err := c.do(ctx, "GET", "/api/v1/tally", nil, &out, "")
	return out, err
}

// Snapshot returns the hall's whole state.
func (c *Client) Snapshot(ctx context.Context) (hall.Snapshot, error) {
	var out hall.Snapshot
	err := c.do(ctx, "GET", "/api/v1/snapshot", nil, &out, "")
	return out, err
}

// Rate rates a finished ticket (a rating pad's token).
func (c *Client) Rate(ctx context.Context, ticket string, level int, reasons []string) (store.Rating, error) {
	var out store.Rating
	err := c.retry(ctx, "POST", "/api/v1/ratings", RateBody{Ticket: ticket, Level: level, Reasons: reasons}, &out, "")
	return out, err
}

// Ticket returns one ticket by today's number or id.
func (c *Client) Ticket(ctx context.Context, ref string) (hall.TicketView, error) {
	var out hall.TicketView
	err := c.do(ctx, "GET", "/api/v1/tickets/"+url.PathEscape(ref), nil, &out, "")
	return out, err
}

// Ratings returns a business day's ratings ("" today), only the flagged
// low ones when flagged is set (a hall manager's session).
func (c *Client) Ratings(ctx context.Context, day string, flagged bool) ([]RatingView, error) {
	var out []RatingView
	q := url.Values{}
	if day != "" {
		q.Set("date", day)
	}
	if flagged {
		q.Set("flagged", "1")
	}
	err := c.do(ctx, "GET", "/api/v1/ratings?"+q.Encode(), nil, &out, "")
	return out, err
}

// StreamMessage is one message of the event stream.
type StreamMessage struct {
	ID    string // the outbox sequence, "" for heartbeats
	Event string // snapshot, call, ticket, window, device, rating, hall, heartbeat
	Data  []byte
}

// Events follows the event stream from after (-1: from now, with a
// snapshot) and calls fn for each message until ctx ends, fn fails or the
// connection drops; it returns the last id seen so a caller can resume.
func (c *Client) Events(ctx context.Context, after int64, fn func(StreamMessage) error) (last int64, err error) {
	last = after
	req, err := http.NewRequestWithContext(ctx, "GET", c.BaseURL+"/api/v1/events", nil)
	if err != nil {
		return last, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	req.Header.Set("Accept", "text/event-stream")
	if after >= 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(after, 10))
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return last, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var eb ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		return last, &APIError{Status: resp.StatusCode, ErrorDetail: eb.Error}
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	var m StreamMessage
	hasData := false // a data line came, maybe empty
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if m.Event != "" || hasData {
				if m.ID != "" {
					last, _ = strconv.ParseInt(m.ID, 10, 64)
				}
				if err := fn(m); err != nil {
					return last, err
				}
			}
			m, hasData = StreamMessage{}, false
		case strings.HasPrefix(line, ":"):
			// a comment: proxies and the server's keep-alives
		default:
			// As the SSE format has it: "field: value" or "field:value",
			// one space after the colon dropped; several data lines make
			// one message joined by line feeds.
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch field {
			case "id":
				m.ID = value
			case "event":
				m.Event = value
			case "data":
				if hasData {
					m.Data = append(m.Data, '\n')
				}
				m.Data, hasData = append(m.Data, value...), true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return last, err
	}
	return last, io.ErrUnexpectedEOF
}

// FollowOptions tunes Client.Follow; zero values take the defaults.
type FollowOptions struct {
	MinBackoff time.Duration // 500 ms: the first wait after a dropped stream, doubling
	MaxBackoff time.Duration // 30 s, and at once for a refused token (it will not heal in a second)
	// Silence: a connection that brings nothing (not even the server's
	// 15 s heartbeat) for this long is dropped, so a cut cable is noticed;
	// 45 s.
	Silence time.Duration
	// Down hears each time a connection ends, with why; nil ignores it.
	Down func(err error)
	// Fresh starts every connection with a snapshot instead of resuming
	// after the last id: for a client that only needs to know that
	// something changed, so the node does not replay what it missed.
	Fresh bool
	// Logf, when set, hears of the stream's outages: once when
	// connections start failing, not at every retry, and once when one
	// brings something again. Name begins each line.
	Logf func(format string, args ...any)
	Name string
}

// Follow follows the event stream until ctx ends: each connection resumes
// after the last id seen (the first, from after: -1 starts with a
// snapshot; with o.Fresh every one starts so), a silent connection is dropped, and a dropped one is retried
// after a jittered backoff (jitter keeps a hall's screens from
// reconnecting in step) that starts again once a connection has brought
// something. fn sees every message; an error from fn ends that connection.
func (c *Client) Follow(ctx context.Context, after int64, o FollowOptions, fn func(StreamMessage) error) {
	if o.MinBackoff == 0 {
		o.MinBackoff = 500 * time.Millisecond
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.Silence == 0 {
		o.Silence = 45 * time.Second
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	backoff := o.MinBackoff
	failing := false // logged as down, and nothing received since
	for ctx.Err() == nil {
		sctx, cancel := context.WithCancel(ctx)
		var silent, got atomic.Bool
		watchdog := time.AfterFunc(o.Silence, func() { silent.Store(true); cancel() })
		var err error
		after, err = c.Events(sctx, after, func(m StreamMessage) error {
			watchdog.Reset(o.Silence)
			got.Store(true)
			if failing {
				o.Logf("%s: event stream from %s works again", o.Name, c.BaseURL)
				failing = false
			}
			return fn(m)
		})
		watchdog.Stop()
		cancel()
		if ctx.Err() != nil {
			return
		}
		if o.Fresh {
			after = -1
		}
		if silent.Load() {
			err = fmt.Errorf("nothing received for %s", o.Silence)
		}
		if !failing {
			o.Logf("%s: event stream from %s ended (%v); reconnecting", o.Name, c.BaseURL, err)
			failing = true
		}
		if o.Down != nil {
			o.Down(err)
		}
		if got.Load() {
			backoff = o.MinBackoff
		}
		var api *APIError
		if errors.As(err, &api) && (api.Status == http.StatusUnauthorized || api.Status == http.StatusForbidden) {
			backoff = o.MaxBackoff
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff/2 + rand.N(backoff/2+1)):
		}
		backoff = min(2*backoff, o.MaxBackoff)
	}
}

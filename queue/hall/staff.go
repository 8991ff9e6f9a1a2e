package hall

import (
	"context"
	"sort"
	"strings"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// Staff accounts, device tokens, sessions and window sign-ins. The node
// stores what package staff decides (hashes only); adding an account or a
// device and signing in at a window are events, so they replicate and
// every display sees who serves at which window. Sessions are local to the
// node and are not events.

// AddAccount creates a staff account with a password hash.
func (n *Node) AddAccount(ctx context.Context, name, role, passwordHash, actor string) (store.Account, error) {
	a := store.Account{Name: strings.TrimSpace(name), Role: role, PasswordHash: passwordHash}
	if a.Name == "" || len(a.Name) > 64 || strings.ContainsAny(a.Name, "\x00\r\n\t") {
		return a, queue.Errorf(queue.CodeInvalid, "an account name has 1 to 64 bytes and no control characters")
	}
	err := n.write(ctx, func(w *writeTx) error {
		a.CreatedAt = w.now
		id, err := w.InsertAccount(a)
		if err != nil {
			return err
		}
		a.ID = id
		_, err = w.event("staff_added", "", 0, actorOr(actor), a) // the hash is not in the JSON
		return err
	})
	return a, err
}

// SetAccountPassword replaces a password hash and ends the account's sessions.
func (n *Node) SetAccountPassword(ctx context.Context, name, passwordHash, actor string) error {
	return n.write(ctx, func(w *writeTx) error {
		a, err := w.AccountByName(name)
		if err != nil {
			return err
		}
		if err := w.SetPassword(a.ID, passwordHash); err != nil {
			return err
		}
		_, err = w.event("staff_password", "", 0, actorOr(actor), a)
		return err
	})
}

// Account returns the account with that name; its absence is CodeInvalid
// (callers that log people in must not tell a wrong name from a wrong
// password).
func (n *Node) Account(ctx context.Context, name string) (store.Account, error) {
	var a store.Account
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		a, err = tx.AccountByName(name)
		return err
	})
	return a, err
}

// Accounts returns every staff account.
func (n *Node) Accounts(ctx context.Context) ([]store.Account, error) {
	var out []store.Account
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.Accounts()
		return err
	})
	return out, err
}

// StartSession records a session of an account for a token hash.
func (n *Node) StartSession(ctx context.Context, accountID int64, tokenHash string, ttl time.Duration) (store.Session, error) {
	var s store.Session
	err := n.write(ctx, func(w *writeTx) error {
		s = store.Session{TokenHash: tokenHash, AccountID: accountID, CreatedAt: w.now, ExpiresAt: w.now.Add(ttl)}
		return w.InsertSession(s)
	})
	return s, err
}

// Session returns the live session of a token hash and its account; ok is
// false for an unknown or expired session or a disabled account.
func (n *Node) Session(ctx context.Context, tokenHash string) (s store.Session, a store.Account, ok bool, err error) {
	err = n.read(ctx, func(tx *store.Tx) error {
		s, a, ok, err = tx.SessionByHash(tokenHash)
		return err
	})
	if ok && (!n.now().Before(s.ExpiresAt) || a.Disabled) {
		ok = false
	}
	return s, a, ok, err
}

// EndSession ends a session.
func (n *Node) EndSession(ctx context.Context, tokenHash string) error {
	return n.write(ctx, func(w *writeTx) error { return w.DeleteSession(tokenHash) })
}

// AddDevice records a device and the hash of its token.
func (n *Node) AddDevice(ctx context.Context, kind, name string, window int, tokenHash, actor string) (store.Device, error) {
	d := store.Device{Kind: kind, Name: name, Window: window, TokenHash: tokenHash}
	err := n.write(ctx, func(w *writeTx) error {
		if window != 0 {
			c, err := n.configOf(w.Tx)
			if err != nil {
				return err
			}
			if _, ok := c.windows[window]; !ok {
				return queue.Errorf(queue.CodeUnknownWindow, "no window %d", window)
			}
		}
		d.CreatedAt = w.now
		id, err := w.InsertDevice(d)
		if err != nil {
			return err
		}
		d.ID = id
		_, err = w.event("device_added", "", window, actorOr(actor), d)
		return err
	})
	return d, err
}

// Device returns the device of a token hash; ok is false when unknown or revoked.
func (n *Node) Device(ctx context.Context, tokenHash string) (d store.Device, ok bool, err error) {
	err = n.read(ctx, func(tx *store.Tx) error {
		d, ok, err = tx.DeviceByHash(tokenHash)
		return err
	})
	return d, ok, err
}

// DeviceHealth is what a device reports about itself.
type DeviceHealth struct {
	Device string `json:"device"` // kind:name
	Status string `json:"status"` // ok, warning, fault
	Detail string `json:"detail,omitempty"`
}

// ReportDevice records a device's health as an event, so displays and the
// centre see a fault; callers report changes, not every poll.
func (n *Node) ReportDevice(ctx context.Context, window int, h DeviceHealth) error {
	switch h.Status {
	case "ok", "warning", "fault":
	default:
		return queue.Errorf(queue.CodeInvalid, "device status %q (ok, warning, fault)", h.Status)
	}
	return n.write(ctx, func(w *writeTx) error {
		_, err := w.event("device_health", "", window, actorOr(h.Device), h)
		return err
	})
}

// SignIn signs an account in at a window (replacing whoever was there).
func (n *Node) SignIn(ctx context.Context, window int, a store.Account, actor string) error {
	return n.signIn(ctx, window, a, actor, 0)
}

// TakeWindow signs a clerk in at a window that is free, theirs already, or
// held by a sign-in older than stale (a shift that ended without signing
// out); a colleague's fresh sign-in is refused with CodeWindowTaken. The
// check and the sign-in are one transaction, so two clerks taking one
// window at once cannot both get it.
func (n *Node) TakeWindow(ctx context.Context, window int, a store.Account, actor string, stale time.Duration) error {
	return n.signIn(ctx, window, a, actor, stale)
}

// signIn signs a in at window; with stale > 0 it refuses a colleague's
// sign-in younger than stale.
func (n *Node) signIn(ctx context.Context, window int, a store.Account, actor string, stale time.Duration) error {
	return n.write(ctx, func(w *writeTx) error {
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		if _, ok := c.windows[window]; !ok {
			return queue.Errorf(queue.CodeUnknownWindow, "no window %d", window)
		}
		if stale > 0 {
			sis, err := w.SignIns()
			if err != nil {
				return err
			}
			for _, si := range sis {
				if si.Window == window && si.AccountID != a.ID && w.now.Sub(si.Since) < stale {
					return queue.Errorf(queue.CodeWindowTaken, "window %d is signed in by %s since %s",
						window, si.Name, si.Since.In(c.loc).Format("15:04"))
				}
			}
		}
		if err := w.PutSignIn(window, a.ID, w.now); err != nil {
			return err
		}
		_, err = w.event("window_sign_in", "", window, actorOr(actor), store.SignIn{Window: window, AccountID: a.ID, Name: a.Name, Since: w.now})
		return err
	})
}

// SignOut signs whoever is at a window out.
func (n *Node) SignOut(ctx context.Context, window int, actor string) error {
	return n.write(ctx, func(w *writeTx) error {
		if err := w.DeleteSignIn(window); err != nil {
			return err
		}
		_, err := w.event("window_sign_out", "", window, actorOr(actor), map[string]int{"window": window})
		return err
	})
}

// SignIns returns who is signed in at which window.
func (n *Node) SignIns(ctx context.Context) ([]store.SignIn, error) {
	var out []store.SignIn
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.SignIns()
		return err
	})
	return out, err
}

// RequestAnswer is the stored answer to an idempotent request.
type RequestAnswer struct {
	Fingerprint string
	Status      int
	Body        []byte
}

// Answered returns the stored answer to a request id; ok is false when new.
func (n *Node) Answered(ctx context.Context, requestID string) (a RequestAnswer, ok bool, err error) {
	err = n.read(ctx, func(tx *store.Tx) error {
		a.Fingerprint, a.Status, a.Body, ok, err = tx.APIRequest(requestID)
		return err
	})
	return a, ok, err
}

// Answer stores the answer to a request id (the first answer stays).
func (n *Node) Answer(ctx context.Context, requestID string, a RequestAnswer) error {
	return n.write(ctx, func(w *writeTx) error {
		return w.PutAPIRequest(requestID, a.Fingerprint, a.Status, a.Body, w.now)
	})
}

// Snapshot is the whole visible state of the hall at one outbox sequence:
// what a display, a window caller or an LED needs to be right at once
// after (re)connecting, before it follows the events after Seq.
type Snapshot struct {
	Seq         int64             `json:"seq"`
	Hall        string            `json:"hall"`
	HallName    string            `json:"hall_name"`
	Day         string            `json:"day"`
	Services    []SnapshotService `json:"services"`
	Windows     []SnapshotWindow  `json:"windows"`
	RecentCalls []TicketView      `json:"recent_calls"`
	At          string            `json:"at"`
}

// SnapshotService is one service's queue.
type SnapshotService struct {
	Code    string `json:"code"`
	NameZH  string `json:"name_zh"`
	NameEN  string `json:"name_en"`
	Waiting int    `json:"waiting"`
}

// SnapshotWindow is one window: its state, clerk, current and parked tickets.
type SnapshotWindow struct {
	Number   int          `json:"number"`
	Name     string       `json:"name"`
	State    string       `json:"state"`
	Services []string     `json:"services"`
	Clerk    string       `json:"clerk,omitempty"`
	Current  *TicketView  `json:"current,omitempty"` // called or serving
	Parked   []TicketView `json:"parked,omitempty"`
}

// Snapshot reads the hall's state and the last outbox sequence in one read
// transaction, so the state is exactly the state after event Seq. recent
// bounds the last calls listed.
func (n *Node) Snapshot(ctx context.Context, recent int) (Snapshot, error) {
	var s Snapshot
	err := n.read(ctx, func(tx *store.Tx) error {
		c, err := n.configOf(tx)
		if err != nil {
			return err
		}
		if s.Seq, err = tx.LastSeq(); err != nil {
			return err
		}
		now := n.now()
		if s.Day, err = n.today(tx, now); err != nil {
			return err
		}
		s.Hall, s.HallName, s.At = c.cfg.ID, c.cfg.NameZH, now.In(c.loc).Format(time.RFC3339)
		counts, err := tx.WaitingCounts()
		if err != nil {
			return err
		}
		for _, sv := range c.cfg.Services {
			s.Services = append(s.Services, SnapshotService{Code: sv.Code, NameZH: sv.NameZH, NameEN: sv.NameEN, Waiting: counts[sv.Code]})
		}
		signins, err := tx.SignIns()
		if err != nil {
			return err
		}
		clerk := map[int]string{}
		for _, si := range signins {
			clerk[si.Window] = si.Name
		}
		windows, err := tx.Windows()
		if err != nil {
			return err
		}
		for _, win := range windows {
			sw := SnapshotWindow{Number: win.Number, Name: win.Name, State: string(win.State), Clerk: clerk[win.Number], Services: []string{}}
			for _, ws := range win.Services {
				sw.Services = append(sw.Services, ws.Code)
			}
			at, err := tx.AtWindow(win.Number)
			if err != nil {
				return err
			}
			for _, t := range at {
				v := View(t, c.loc)
				if t.State == queue.Parked {
					sw.Parked = append(sw.Parked, v)
				} else if sw.Current == nil {
					sw.Current = &v
				}
			}
			s.Windows = append(s.Windows, sw)
		}
		s.RecentCalls = []TicketView{}
		if recent <= 0 {
			return nil // the day's tickets are read only for recent calls
		}
		today, err := tx.TicketsOfDay(s.Day)
		if err != nil {
			return err
		}
		var called []queue.Ticket
		for _, t := range today {
			if t.CalledAt != nil {
				called = append(called, t)
			}
		}
		sort.SliceStable(called, func(i, j int) bool { return called[i].CalledAt.After(*called[j].CalledAt) })
		if len(called) > recent {
			called = called[:recent]
		}
		for _, t := range called {
			s.RecentCalls = append(s.RecentCalls, View(t, c.loc))
		}
		return nil
	})
	return s, err
}

// Waiting returns today's waiting tickets a window serves, in queue order
// (the order of arrival; the hall's policy decides who is called first).
func (n *Node) WaitingFor(ctx context.Context, window int) ([]queue.Ticket, error) {
	var out []queue.Ticket
	err := n.read(ctx, func(tx *store.Tx) error {
		c, err := n.configOf(tx)
		if err != nil {
			return err
		}
		win, ok := c.windows[window]
		if !ok {
			return queue.Errorf(queue.CodeUnknownWindow, "no window %d", window)
		}
		codes := make([]string, 0, len(win.Services))
		for _, s := range win.Services {
			codes = append(codes, s.Code)
		}
		out, err = tx.Waiting(codes...)
		return err
	})
	return out, err
}

// Ticket returns a ticket by id, or by number of today.
func (n *Node) Ticket(ctx context.Context, ref string) (queue.Ticket, error) {
	var out queue.Ticket
	err := n.read(ctx, func(tx *store.Tx) error {
		id, err := n.ticketID(tx, ref, n.now())
		if err != nil {
			return err
		}
		out, err = tx.Ticket(id)
		return err
	})
	return out, err
}

// ticketID resolves a ticket number of the business day at now (A001) or
// an id.
func (n *Node) ticketID(tx *store.Tx, ref string, now time.Time) (string, error) {
	if strings.Contains(ref, "/") {
		return ref, nil
	}
	day, err := n.today(tx, now)
	if err != nil {
		return "", err
	}
	return queue.TicketID(day, strings.ToUpper(ref)), nil
}

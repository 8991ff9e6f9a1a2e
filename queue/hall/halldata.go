package hall

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/store"
)

// Catalogue returns the hall's service catalogue; an empty one when none
// was imported yet.
func (n *Node) Catalogue(ctx context.Context) (*catalogue.Catalogue, error) {
	var version string
	var doc []byte
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		version, doc, err = tx.Catalogue()
		return err
	})
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return catalogue.New("", nil)
	}
	c := new(catalogue.Catalogue)
	if err := json.Unmarshal(doc, c); err != nil {
		return nil, &queue.Error{Code: queue.CodeInternal, Detail: "stored catalogue " + version, Err: err}
	}
	return c, nil
}

// PutCatalogue replaces the hall's catalogue. The event records the version
// and size only: the catalogue comes from the centre, which has it.
func (n *Node) PutCatalogue(ctx context.Context, c *catalogue.Catalogue, actor string) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return &queue.Error{Code: queue.CodeInternal, Detail: "encode catalogue", Err: err}
	}
	return n.write(ctx, func(w *writeTx) error {
		if err := w.PutCatalogue(c.Version(), doc); err != nil {
			return err
		}
		_, err := w.event("catalogue", "", 0, actorOr(actor), map[string]any{"version": c.Version(), "items": c.Len()})
		return err
	})
}

// PutCases stores cases from the centre (or the demo). They are the
// centre's records, so no event goes back up the outbox for them.
func (n *Node) PutCases(ctx context.Context, cases []queue.Case) error {
	return n.write(ctx, func(w *writeTx) error { return w.PutCases(cases) })
}

// PutAppointments stores appointments from the centre (or the demo).
func (n *Node) PutAppointments(ctx context.Context, as []queue.Appointment) error {
	return n.write(ctx, func(w *writeTx) error { return w.PutAppointments(as) })
}

// Appointments returns the appointments of a business day ("" for today).
func (n *Node) Appointments(ctx context.Context, day string) ([]queue.Appointment, error) {
	var out []queue.Appointment
	err := n.read(ctx, func(tx *store.Tx) error {
		c, err := n.configOf(tx)
		if err != nil {
			return err
		}
		d := n.now().In(c.loc)
		if day != "" {
			if d, err = time.ParseInLocation(queue.DayLayout, day, c.loc); err != nil {
				return queue.Errorf(queue.CodeInvalid, "day %q is not YYYY-MM-DD", day)
			}
		}
		from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, c.loc)
		out, err = tx.AppointmentsBetween(from, from.AddDate(0, 0, 1))
		return err
	})
	return out, err
}

// throttle slows down guessing of case check codes: after a few failures
// from one source (a kiosk, an address), each further attempt must wait
// longer, up to a cap. It lives in memory: a restart forgives, which is
// acceptable for a four-digit code behind a case number.
type throttle struct {
	mu      sync.Mutex
	sources map[string]*attempts
}

type attempts struct {
	failures int
	until    time.Time
}

const (
	freeFailures = 3
	firstDelay   = 5 * time.Second
	maxDelay     = 5 * time.Minute
)

func (t *throttle) check(source string, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if a := t.sources[source]; a != nil && now.Before(a.until) {
		return queue.Errorf(queue.CodeThrottled, "retry in %s", a.until.Sub(now).Round(time.Second))
	}
	return nil
}

func (t *throttle) record(source string, ok bool, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ok {
		delete(t.sources, source)
		return
	}
	if t.sources == nil {
		t.sources = map[string]*attempts{}
	}
	a := t.sources[source]
	if a == nil {
		a = &attempts{}
		t.sources[source] = a
	}
	a.failures++
	if a.failures > freeFailures {
		d := firstDelay << (a.failures - freeFailures - 1)
		if d > maxDelay || d <= 0 {
			d = maxDelay
		}
		a.until = now.Add(d)
	}
}

// LookupCase returns a case when the check code matches. Unknown numbers
// and wrong codes get the same answer, so the kiosk cannot be used to find
// out which case numbers exist; repeated failures from one source slow
// down (CodeThrottled).
func (n *Node) LookupCase(ctx context.Context, source, number, checkCode string) (queue.Case, error) {
	now := n.now()
	if err := n.lookups.check(source, now); err != nil {
		return queue.Case{}, err
	}
	number = strings.ToUpper(strings.TrimSpace(number))
	var c queue.Case
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.Case(number)
		return err
	})
	if err != nil && queue.ErrorCode(err) != queue.CodeUnknownCase {
		return queue.Case{}, err
	}
	ok := err == nil && subtle.ConstantTimeCompare([]byte(c.CheckHash), []byte(queue.CheckCodeHash(number, checkCode))) == 1
	n.lookups.record(source, ok, now)
	if !ok {
		return queue.Case{}, queue.Errorf(queue.CodeUnknownCase, "no case %s with that check code", number)
	}
	return c, nil
}

// CheckInRequest checks an appointment in.
type CheckInRequest struct {
	Code  string
	Print bool
	Actor string
}

// CheckIn turns an appointment into an appointment-class ticket for its
// service, in one transaction: the appointment can be used once.
func (n *Node) CheckIn(ctx context.Context, req CheckInRequest) (Issued, error) {
	var out Issued
	err := n.write(ctx, func(w *writeTx) error {
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		a, err := w.Appointment(strings.ToUpper(strings.TrimSpace(req.Code)))
		if err != nil {
			return err
		}
		if err := queue.CheckAppointment(a, w.now, c.loc, queue.DefaultCheckIn); err != nil {
			return err
		}
		at := a.At
		out, err = n.issueTx(w, c, IssueRequest{Service: a.Service, Priority: queue.Priority{Class: queue.ClassAppointment},
			AppointmentID: a.Code, AppointmentAt: &at, Print: req.Print, Actor: req.Actor})
		if err != nil {
			return err
		}
		if err := w.MarkCheckedIn(a.Code, out.Ticket.ID); err != nil {
			return err
		}
		_, err = w.event("check_in", out.Ticket.ID, 0, actorOr(req.Actor), map[string]string{"appointment": a.Code, "ticket": out.Ticket.ID})
		return err
	})
	return out, err
}

// SetServiceOpen pauses or resumes issuing for a service.
func (n *Node) SetServiceOpen(ctx context.Context, code string, open bool, actor string) error {
	return n.write(ctx, func(w *writeTx) error {
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		if _, ok := c.services[code]; !ok {
			return queue.Errorf(queue.CodeUnknownService, "no service %q", code)
		}
		cfg := c.cfg
		cfg.Services = append([]queue.Service(nil), cfg.Services...)
		for i := range cfg.Services {
			if cfg.Services[i].Code == code {
				cfg.Services[i].Paused = !open
			}
		}
		if err := w.PutConfig(cfg); err != nil {
			return err
		}
		typ := "service_paused"
		if open {
			typ = "service_open"
		}
		_, err = w.event(typ, "", 0, actorOr(actor), map[string]string{"service": code})
		return err
	})
}

// DeviceState loads a device's saved state (e.g. a printer's paper counter).
func (n *Node) DeviceState(ctx context.Context, device string, v any) (bool, error) {
	var ok bool
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		ok, err = tx.DeviceState(device, v)
		return err
	})
	return ok, err
}

// DeviceEvent records a device's health change as an event (so it
// replicates and every display sees it) and saves its state.
func (n *Node) DeviceEvent(ctx context.Context, device, kind string, state any) error {
	return n.write(ctx, func(w *writeTx) error {
		if state != nil {
			if err := w.PutDeviceState(device, state); err != nil {
				return err
			}
		}
		_, err := w.event("device_"+kind, "", 0, "device:"+device, map[string]any{"device": device, "kind": kind, "state": state})
		return err
	})
}

// SaveDeviceState saves a device's state without an event (a paper counter
// after each job is not news).
func (n *Node) SaveDeviceState(ctx context.Context, device string, state any) error {
	return n.write(ctx, func(w *writeTx) error { return w.PutDeviceState(device, state) })
}

// CaseByNumber returns a case for staff, without a check code: staff print
// its notices at the window. It is not for the kiosk.
func (n *Node) CaseByNumber(ctx context.Context, number string) (queue.Case, error) {
	var c queue.Case
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		c, err = tx.Case(strings.ToUpper(strings.TrimSpace(number)))
		return err
	})
	return c, err
}

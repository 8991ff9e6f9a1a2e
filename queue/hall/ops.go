package hall

import (
	"context"
	"errors"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// IssueRequest asks for a new ticket.
type IssueRequest struct {
	Service  string
	Priority queue.Priority
	// CitizenID is the resident ID number where the service allows one
	// waiting ticket per citizen. Only its salted hash is kept.
	CitizenID     string
	AppointmentID string
	AppointmentAt *time.Time
	// Print says the ticket will be printed: it is recorded as pending until
	// RecordPrint says how printing went (invariant 2).
	Print bool
	Actor string // kiosk:1, cli, api:...
}

// Issued is a new ticket and what its holder is told.
type Issued struct {
	Ticket   queue.Ticket   `json:"ticket"`
	Estimate queue.Estimate `json:"estimate"`
}

// Issue takes a number: admission control, numbering, the ticket row, its
// event and outbox row, all in one transaction.
func (n *Node) Issue(ctx context.Context, req IssueRequest) (Issued, error) {
	var out Issued
	err := n.write(ctx, func(w *writeTx) error {
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		out, err = n.issueTx(w, c, req)
		return err
	})
	return out, err
}

// issueTx issues a ticket inside the caller's transaction.
func (n *Node) issueTx(w *writeTx, c *config, req IssueRequest) (Issued, error) {
	var out Issued
	err := func() error {
		svc, ok := c.services[req.Service]
		if !ok {
			return queue.Errorf(queue.CodeUnknownService, "no service %q in this hall", req.Service)
		}
		if req.Priority.Class == queue.ClassPriority && !svc.PriorityAllowed {
			// Declared priority is a hall rule per service, not a citizen's choice.
			return queue.Errorf(queue.CodeInvalid, "service %s takes no declared priority", svc.Code)
		}
		local := w.now.In(c.loc)
		day, err := n.rollover(w, c)
		if err != nil {
			return err
		}

		var hash string
		if req.CitizenID != "" {
			id, err := queue.NormalizeID(req.CitizenID)
			if err != nil {
				return err
			}
			hash = queue.CitizenHash(c.salt, id)
		} else if svc.OnePerCitizen {
			return queue.Errorf(queue.CodeInvalidID, "service %s needs the citizen's ID number", svc.Code)
		}
		// One read gives the number, the queue position and the estimate's
		// inputs. The estimate counts those already waiting, so it is read
		// before the insert.
		lead := c.cfg.Policy.AppointmentLead.D()
		t := queue.Ticket{
			Day: day, Service: svc.Code, Priority: req.Priority, State: queue.Waiting,
			IssuedAt: w.now, ArrivedAt: w.now, AppointmentAt: req.AppointmentAt, AppointmentID: req.AppointmentID,
			CitizenHash: hash, Print: queue.PrintNone,
		}
		in, err := w.IssueInputs(day, svc.Code, queue.EffectiveClass(w.now, t, lead), w.now.Add(lead))
		if err != nil {
			return err
		}
		var slot *store.Slot
		if q, ok := svc.SlotAt(local); ok {
			slot = &store.Slot{From: q.From.On(local), To: q.To.On(local)}
		}
		counts, err := w.DayCounts(day, svc.Code, slot, hash)
		if err != nil {
			return err
		}
		counts.Issued = in.Number - 1
		if err := queue.Admit(svc, local, counts); err != nil {
			return err // the transaction rolls back, and with it the number
		}
		t.Seq, t.Number = in.Number, queue.NumberFor(svc.Code, in.Number)
		t.ID, t.QueuePos = queue.TicketID(day, t.Number), w.expectPos(in.Seq)
		printBy := ""
		if req.Print {
			t.Print, printBy = queue.PrintPending, actorOr(req.Actor)
		}
		avg := in.AvgSeconds
		if in.Samples == 0 {
			avg = float64(svc.AvgServiceSeconds)
		}
		if err := w.InsertTicket(t, printBy); err != nil {
			return err
		}
		if _, err := w.event("issued", t.ID, 0, actorOr(req.Actor), t); err != nil {
			return err
		}
		out = Issued{Ticket: t, Estimate: queue.EstimateWait(svc.Code, in.Ahead, in.Busy, c.cfg.Windows, avg)}
		return nil
	}()
	return out, err
}

func actorOr(a string) string {
	if a == "" {
		return "cli"
	}
	return a
}

// CallNext calls the next ticket for a window under the hall's policy.
// It is serialized by the database's write lock, so two windows never get
// the same ticket, and idempotent per requestID: repeating a request
// returns the ticket the first one called.
func (n *Node) CallNext(ctx context.Context, window int, requestID, actor string) (queue.Ticket, error) {
	var out queue.Ticket
	err := n.write(ctx, func(w *writeTx) error {
		if requestID != "" {
			win, id, err := w.CallRequest(requestID)
			if err != nil {
				return err
			}
			if id != "" {
				if win != window {
					return queue.Errorf(queue.CodeConflict, "request %s was a call at window %d", requestID, win)
				}
				out, err = w.Ticket(id)
				return err
			}
		}
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		win, ok := c.windows[window]
		if !ok {
			return queue.Errorf(queue.CodeUnknownWindow, "no window %d", window)
		}
		if _, err := n.rollover(w, c); err != nil {
			return err
		}
		if win.State != queue.WindowOpen {
			return queue.Errorf(queue.CodeWindowNotOpen, "window %d is %s", window, win.State)
		}
		at, err := w.AtWindow(window)
		if err != nil {
			return err
		}
		for _, t := range at {
			if t.State == queue.Called || t.State == queue.Serving {
				return queue.Errorf(queue.CodeWindowBusy, "window %d still has %s (%s)", window, t.Number, t.State)
			}
		}
		codes := make([]string, 0, len(win.Services))
		for _, s := range win.Services {
			codes = append(codes, s.Code)
		}
		candidates, err := w.CallCandidates(codes...)
		if err != nil {
			return err
		}
		i := c.policy.Pick(w.now, win, candidates)
		if i < 0 {
			return queue.Errorf(queue.CodeQueueEmpty, "nobody waits for window %d", window)
		}
		t, err := w.Ticket(candidates[i].ID)
		if err != nil {
			return err
		}
		if _, err := t.Apply(queue.ActCall, queue.Change{Window: window}, w.now, c.cfg.Rules()); err != nil {
			return err
		}
		if err := w.UpdateTicket(t); err != nil {
			return err
		}
		if requestID != "" {
			if err := w.PutCallRequest(requestID, window, t.ID, w.now); err != nil {
				return err
			}
		}
		if _, err := w.event("call", t.ID, window, actorOr(actor), t); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// ActRequest is a transition on one ticket.
type ActRequest struct {
	Action queue.Action
	// Window acts on the ticket called or served at this window when
	// Ticket is empty; Ticket names a ticket of today by number (A001) or
	// by id (2026-11-22/A001).
	Window  int
	Ticket  string
	Service string // transfer target
	Reason  string // cancel reason
	Actor   string
}

// Act applies a transition to a ticket and records it.
func (n *Node) Act(ctx context.Context, req ActRequest) (queue.Ticket, error) {
	return n.act(ctx, req, nil)
}

// VoidFailedPrint cancels a ticket whose paper never came out, and only
// such a ticket: checked in the cancelling transaction, so a reprint that
// lands first (another kiosk, the staff page) keeps the citizen's ticket.
// ticket is an id or a number of today.
func (n *Node) VoidFailedPrint(ctx context.Context, ticket, actor string) (queue.Ticket, error) {
	req := ActRequest{Action: queue.ActCancel, Ticket: ticket, Reason: "void", Actor: actor}
	return n.act(ctx, req, func(t queue.Ticket) error {
		if t.Print != queue.PrintFailed {
			return queue.Errorf(queue.CodeInvalidTransition, "ticket %s print state is %s; only a failed print is voided", t.Number, t.Print)
		}
		return nil
	})
}

// act is Act with a guard that may refuse the ticket inside the transaction.
func (n *Node) act(ctx context.Context, req ActRequest, guard func(queue.Ticket) error) (queue.Ticket, error) {
	var out queue.Ticket
	err := n.write(ctx, func(w *writeTx) error {
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		t, err := n.findTicket(w, c, req)
		if err != nil {
			return err
		}
		if guard != nil {
			if err := guard(t); err != nil {
				return err
			}
		}
		change := queue.Change{Window: req.Window, Service: req.Service, Reason: req.Reason}
		switch req.Action {
		case queue.ActTransfer:
			if _, ok := c.services[req.Service]; !ok {
				return queue.Errorf(queue.CodeUnknownService, "no service %q to transfer to", req.Service)
			}
		case queue.ActRejoin:
			if change.QueuePos, err = w.queuePos(); err != nil {
				return err
			}
		case queue.ActCall, queue.ActSweep:
			return queue.Errorf(queue.CodeInvalid, "%s is not a ticket action; use call next or the end-of-day sweep", req.Action)
		}
		tr, err := t.Apply(req.Action, change, w.now, c.cfg.Rules())
		if err != nil {
			return err
		}
		if req.Action == queue.ActFinish && t.StartedAt != nil {
			if err := n.recordServiceTime(w, c, t); err != nil {
				return err
			}
		}
		if err := w.UpdateTicket(t); err != nil {
			return err
		}
		if _, err := w.event(tr.Event, t.ID, req.Window, actorOr(req.Actor), t); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

func (n *Node) recordServiceTime(w *writeTx, c *config, t queue.Ticket) error {
	avg, samples, err := w.ServiceStats(t.Service)
	if err != nil {
		return err
	}
	if samples == 0 {
		avg = float64(c.services[t.Service].AvgServiceSeconds)
	}
	avg = queue.UpdateEWMA(avg, t.FinishedAt.Sub(*t.StartedAt))
	return w.PutServiceStats(t.Service, avg, samples+1)
}

// findTicket resolves the ticket a request names.
func (n *Node) findTicket(w *writeTx, c *config, req ActRequest) (queue.Ticket, error) {
	if req.Ticket != "" {
		id, err := n.ticketID(w.Tx, req.Ticket, w.now)
		if err != nil {
			return queue.Ticket{}, err
		}
		return w.Ticket(id)
	}
	if req.Window == 0 {
		return queue.Ticket{}, queue.Errorf(queue.CodeInvalid, "name a ticket or a window")
	}
	if _, ok := c.windows[req.Window]; !ok {
		return queue.Ticket{}, queue.Errorf(queue.CodeUnknownWindow, "no window %d", req.Window)
	}
	at, err := w.AtWindow(req.Window)
	if err != nil {
		return queue.Ticket{}, err
	}
	// The window's current ticket is its called or serving one; a parked
	// ticket is named explicitly.
	for _, t := range at {
		if t.State == queue.Called || t.State == queue.Serving {
			return t, nil
		}
	}
	return queue.Ticket{}, queue.Errorf(queue.CodeUnknownTicket, "window %d has no called or serving ticket", req.Window)
}

// SetWindowState opens, pauses or closes a window.
func (n *Node) SetWindowState(ctx context.Context, window int, state queue.WindowState, actor string) (queue.Window, error) {
	var out queue.Window
	err := n.write(ctx, func(w *writeTx) error {
		if !state.Valid() {
			return queue.Errorf(queue.CodeInvalid, "window state %q (open, paused, closed)", state)
		}
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		win, ok := c.windows[window]
		if !ok {
			return queue.Errorf(queue.CodeUnknownWindow, "no window %d", window)
		}
		win.State = state
		if err := w.PutWindow(win); err != nil {
			return err
		}
		if _, err := w.event("window_"+string(state), "", window, actorOr(actor), win); err != nil {
			return err
		}
		out = win
		return nil
	})
	return out, err
}

// Sweep closes what is left of business days before today (see rollover)
// and returns how many tickets it closed. Issuing and calling sweep by
// themselves at the first write of a new day; the command line and the
// hall node's daily timer call this to close the day without waiting for
// the next morning.
func (n *Node) Sweep(ctx context.Context, actor string) (int, error) {
	count := 0
	err := n.write(ctx, func(w *writeTx) error {
		c, err := n.configOf(w.Tx)
		if err != nil {
			return err
		}
		today := queue.BusinessDay(w.now, c.loc, "")
		count, err = n.sweepBefore(w, c, today, actorOr(actor))
		return err
	})
	return count, err
}

// rollover returns today's business day and, at the first write of a new
// day, closes what is left of earlier days and remembers the new day. The
// day never goes back (queue.BusinessDay), so a clock jumping back over
// midnight cannot reopen yesterday's numbering.
func (n *Node) rollover(w *writeTx, c *config) (string, error) {
	last, err := w.Meta(store.MetaLastDay)
	if err != nil {
		return "", err
	}
	day := queue.BusinessDay(w.now, c.loc, last)
	if day == last {
		return day, nil
	}
	if _, err := n.sweepBefore(w, c, day, "system"); err != nil {
		return "", err
	}
	return day, w.SetMeta(store.MetaLastDay, day)
}

// sweepBefore closes every active ticket of a day before today: waiting and
// parked ones are cancelled, called ones become no-shows, and those being
// served are finished.
func (n *Node) sweepBefore(w *writeTx, c *config, today, actor string) (int, error) {
	active, err := w.Active()
	if err != nil {
		return 0, err
	}
	count := 0
	for _, t := range active {
		if t.Day >= today {
			continue
		}
		if _, err := t.Apply(queue.ActSweep, queue.Change{}, w.now, c.cfg.Rules()); err != nil {
			return 0, err
		}
		if err := w.UpdateTicket(t); err != nil {
			return 0, err
		}
		if _, err := w.event("sweep", t.ID, 0, actor, t); err != nil {
			return 0, err
		}
		count++
	}
	return count, nil
}

// RecordPrint records how printing a ticket went (invariant 2): printed, or
// failed with a reason, in which case staff can reprint or void it.
func (n *Node) RecordPrint(ctx context.Context, ticketID string, printErr error, actor string) (queue.Ticket, error) {
	var t queue.Ticket
	err := n.write(ctx, func(w *writeTx) error {
		var err error
		if t, err = w.Ticket(ticketID); err != nil {
			return err
		}
		return w.recordPrint(&t, printErr, actor)
	})
	return t, err
}

// recordPrint stores a print outcome and its event (printed, or
// print_failed with the reason).
// It sets t.Print to the state recorded.
func (w *writeTx) recordPrint(t *queue.Ticket, printErr error, actor string) error {
	state, typ, detail := queue.Printed, "printed", ""
	if printErr != nil {
		state, typ, detail = queue.PrintFailed, "print_failed", printErr.Error()
	}
	if err := w.SetPrint(t.ID, state, detail); err != nil {
		return err
	}
	t.Print = state
	_, err := w.event(typ, t.ID, 0, actorOr(actor), map[string]any{"ticket": *t, "error": detail})
	return err
}

// ErrPrintInterrupted is the recorded reason of a print that never got a
// result because the printing process stopped (power cut, kill, crash).
var ErrPrintInterrupted = errors.New("print interrupted: the kiosk stopped before the printer confirmed the ticket")

// stalePrint is how long a print may stay pending before any kiosk's
// start fails it. A ticket prints in seconds; one pending this long
// belongs to a kiosk that has not come back (removed, or renamed), and
// would otherwise stay off staff's list until the day's sweep. Should its
// outcome still arrive, it is recorded over the failure.
const stalePrint = 10 * time.Minute

// FailInterruptedPrints marks the tickets whose print printer (a kiosk's
// actor) left pending as failed (invariant 2: never silently lost), each
// with a print_failed event, so staff see them and reprint or void them:
// whether their paper came out is unknown. A kiosk calls it when it starts,
// before it prints anything, embedded or on the LAN. It fails its own and
// any pending longer than stalePrint, not another kiosk's recent ones,
// which may be printing. It returns the tickets it marked.
func (n *Node) FailInterruptedPrints(ctx context.Context, printer string) ([]queue.Ticket, error) {
	var out []queue.Ticket
	err := n.write(ctx, func(w *writeTx) error {
		pending, err := w.PrintPending(printer, w.now.Add(-stalePrint))
		if err != nil {
			return err
		}
		for _, t := range pending {
			if err := w.recordPrint(&t, ErrPrintInterrupted, printer); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Tickets returns a business day's tickets; day "" means today.
func (n *Node) Tickets(ctx context.Context, day string) ([]queue.Ticket, error) {
	var out []queue.Ticket
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		if day == "" {
			if day, err = n.today(tx, n.now()); err != nil {
				return err
			}
		}
		out, err = tx.TicketsOfDay(day)
		return err
	})
	return out, err
}

// today is the business day at now, in the hall's zone, never before the
// last day a ticket was issued on.
func (n *Node) today(tx *store.Tx, now time.Time) (string, error) {
	c, err := n.configOf(tx)
	if err != nil {
		return "", err
	}
	last, err := tx.Meta(store.MetaLastDay)
	if err != nil {
		return "", err
	}
	return queue.BusinessDay(now, c.loc, last), nil
}

// DayTally is what staff mode shows of today's tickets.
type DayTally struct {
	Day         string `json:"day"`
	Issued      int    `json:"issued"`
	Waiting     int    `json:"waiting"`
	PrintFailed int    `json:"print_failed"` // still in the queue, for staff to reprint or void
}

// Tally counts today's tickets.
func (n *Node) Tally(ctx context.Context) (DayTally, error) {
	var out DayTally
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		if out.Day, err = n.today(tx, n.now()); err != nil {
			return err
		}
		out.Issued, out.Waiting, out.PrintFailed, err = tx.DayTally(out.Day)
		return err
	})
	return out, err
}

// Events returns up to limit outbox events after seq.
func (n *Node) Events(ctx context.Context, after int64, limit int) ([]store.OutboxEvent, error) {
	var out []store.OutboxEvent
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.Events(after, limit)
		return err
	})
	return out, err
}

// ServiceState is what a kiosk shows for a service right now.
type ServiceState struct {
	Service  queue.Service  `json:"service"`
	Waiting  int            `json:"waiting"`
	Estimate queue.Estimate `json:"estimate"` // for a normal ticket taken now
	Open     bool           `json:"open"`     // issuing now: within its hours and not paused by staff
}

// QueueState returns every service's queue now.
func (n *Node) QueueState(ctx context.Context) ([]ServiceState, error) {
	var out []ServiceState
	err := n.read(ctx, func(tx *store.Tx) error {
		c, err := n.configOf(tx)
		if err != nil {
			return err
		}
		now := n.now()
		counts, err := tx.WaitingCounts()
		if err != nil {
			return err
		}
		busy := make(map[string]bool, len(counts))
		for code, n := range counts {
			busy[code] = n > 0
		}
		stats, err := tx.AllServiceStats()
		if err != nil {
			return err
		}
		for _, s := range c.cfg.Services {
			// A normal ticket taken now is the last class: everyone waiting
			// is ahead of it (queue.Ahead), so no count of its own.
			ahead := counts[s.Code]
			avg := float64(s.AvgServiceSeconds)
			if st, ok := stats[s.Code]; ok && st.Samples > 0 {
				avg = st.AvgSeconds
			}
			out = append(out, ServiceState{Service: s, Waiting: counts[s.Code],
				Estimate: queue.EstimateWait(s.Code, ahead, busy, c.cfg.Windows, avg), Open: s.Issuing(now.In(c.loc))})
		}
		return nil
	})
	return out, err
}

// ClaimReprint marks a ticket whose printing failed as being printed again.
// It refuses a ticket that printed or is printing, and one no longer in the
// queue: a ticket is never printed twice by accident.
func (n *Node) ClaimReprint(ctx context.Context, ticketID, actor string) (queue.Ticket, error) {
	var out queue.Ticket
	err := n.write(ctx, func(w *writeTx) error {
		t, err := w.Ticket(ticketID)
		if err != nil {
			return err
		}
		if !t.State.Active() {
			return queue.Errorf(queue.CodeInvalidTransition, "ticket %s is %s; nothing to reprint", t.Number, t.State)
		}
		ok, err := w.ClaimPrint(t.ID, actorOr(actor), queue.PrintFailed)
		if err != nil {
			return err
		}
		if !ok {
			return queue.Errorf(queue.CodeInvalidTransition, "ticket %s print state is %s; only a failed print is reprinted", t.Number, t.Print)
		}
		t.Print = queue.PrintPending
		if _, err := w.event("reprint", t.ID, 0, actorOr(actor), t); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// PrintFailed returns today's active tickets whose printing failed, for
// staff to reprint or void.
func (n *Node) PrintFailed(ctx context.Context) ([]queue.Ticket, error) {
	var out []queue.Ticket
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		out, err = tx.PrintFailed()
		return err
	})
	return out, err
}

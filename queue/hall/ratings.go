package hall

import (
	"context"
	"time"

	"hallq/queue"
	"hallq/queue/store"
)

// Rating levels of the national 好差评 scheme, 5 best. A rating of
// LowRating or less is flagged for the hall manager to follow up.
const (
	VeryDissatisfied = 1 // 非常不满意
	Dissatisfied     = 2 // 不满意
	Basic            = 3 // 基本满意
	Satisfied        = 4 // 满意
	VerySatisfied    = 5 // 非常满意

	LowRating = Dissatisfied
)

// RatingReasons are the reasons a citizen may tick for a low rating.
var RatingReasons = []string{"attitude", "slow", "unclear", "materials", "wait", "other"}

// RatingWindow is how long after a ticket is finished its window's pad
// offers to rate it.
const RatingWindow = 10 * time.Minute

// RateRequest rates a finished ticket.
type RateRequest struct {
	Ticket  string // number of today or id
	Window  int    // the rating pad's window: it rates only its own tickets
	Level   int
	Reasons []string
	Comment string
	Actor   string
}

// Rate records a citizen's rating of a finished ticket, once per ticket,
// linked to the window and the clerk signed in there. It is an event, so
// it replicates to the centre like every change.
func (n *Node) Rate(ctx context.Context, req RateRequest) (store.Rating, error) {
	var r store.Rating
	if req.Level < VeryDissatisfied || req.Level > VerySatisfied {
		return r, queue.Errorf(queue.CodeInvalid, "rating level %d (1-5)", req.Level)
	}
	if len(req.Reasons) > 0 && req.Level > LowRating {
		return r, queue.Errorf(queue.CodeInvalid, "reasons go with a low rating only")
	}
	for _, reason := range req.Reasons {
		known := false
		for _, k := range RatingReasons {
			known = known || k == reason
		}
		if !known {
			return r, queue.Errorf(queue.CodeInvalid, "rating reason %q", reason)
		}
	}
	if len([]rune(req.Comment)) > 200 {
		return r, queue.Errorf(queue.CodeInvalid, "a comment has at most 200 characters")
	}
	err := n.write(ctx, func(w *writeTx) error {
		id, err := n.ticketID(w.Tx, req.Ticket, w.now)
		if err != nil {
			return err
		}
		t, err := w.Ticket(id)
		if err != nil {
			return err
		}
		if t.State != queue.Done {
			return queue.Errorf(queue.CodeInvalidTransition, "ticket %s is %s; only a finished ticket is rated", t.Number, t.State)
		}
		if req.Window != 0 && t.Window != req.Window {
			return queue.Errorf(queue.CodeWrongWindow, "ticket %s was served at window %d, not %d", t.Number, t.Window, req.Window)
		}
		signins, err := w.SignIns()
		if err != nil {
			return err
		}
		r = store.Rating{TicketID: t.ID, Day: t.Day, Window: t.Window, Level: req.Level, Reasons: req.Reasons,
			Comment: req.Comment, Flagged: req.Level <= LowRating, At: w.now}
		for _, s := range signins {
			if s.Window == t.Window {
				r.Clerk = s.Name
			}
		}
		if err := w.InsertRating(r); err != nil {
			return err
		}
		_, err = w.event("rated", t.ID, t.Window, actorOr(req.Actor), r)
		return err
	})
	return r, err
}

// ToRate returns the ticket a window's rating pad should ask about: the
// one finished there last, within RatingWindow, not yet rated.
func (n *Node) ToRate(ctx context.Context, window int) (queue.Ticket, bool, error) {
	var t queue.Ticket
	var ok bool
	err := n.read(ctx, func(tx *store.Tx) error {
		var err error
		t, ok, err = tx.LastFinishedAt(window, n.now().Add(-RatingWindow))
		if err != nil || !ok {
			return err
		}
		_, rated, err := tx.RatingOf(t.ID)
		ok = !rated
		return err
	})
	return t, ok, err
}

// Ratings returns a business day's ratings; day "" means today.
func (n *Node) Ratings(ctx context.Context, day string) ([]store.Rating, error) {
	var out []store.Rating
	err := n.read(ctx, func(tx *store.Tx) (err error) {
		if day == "" {
			if day, err = n.today(tx, n.now()); err != nil {
				return err
			}
		}
		out, err = tx.RatingsOfDay(day)
		return err
	})
	return out, err
}

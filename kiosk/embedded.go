package kiosk

import (
	"context"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/a4"
	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/hall"
	"hallq/queue/store"
)

// Node is what the embedded adapter uses of the hall node (*hall.Node).
type Node interface {
	Now() time.Time
	Config(ctx context.Context) (queue.HallConfig, *time.Location, error)
	QueueState(ctx context.Context) ([]hall.ServiceState, error)
	Catalogue(ctx context.Context) (*catalogue.Catalogue, error)
	LookupCase(ctx context.Context, source, number, checkCode string) (queue.Case, error)
	SetServiceOpen(ctx context.Context, code string, open bool, actor string) error
	Tally(ctx context.Context) (hall.DayTally, error)
	// Subscribe follows the events the node commits (WatchQueue).
	Subscribe() (<-chan store.Event, func())
}

// PrintService is what the embedded adapter uses of the print service
// (*printjob.Service): it commits a ticket before the first byte goes to
// the printer and records how printing went.
type PrintService interface {
	IssueTicket(ctx context.Context, req hall.IssueRequest, lang i18n.Lang) (hall.Issued, error)
	CheckIn(ctx context.Context, code, actor string, lang i18n.Lang) (hall.Issued, error)
	Reprint(ctx context.Context, ticketID, actor string, lang i18n.Lang) error
	Void(ctx context.Context, ticketID, actor string) error
	PrintGuide(ctx context.Context, item catalogue.Item, lang i18n.Lang) error
	PrintMaterials(ctx context.Context, item catalogue.Item, missing []int, lang i18n.Lang) error
	PrintCaseSlip(ctx context.Context, c queue.Case, lang i18n.Lang) error
	TestPrint(ctx context.Context, lang i18n.Lang) error
	Restocked(ctx context.Context) error
	FailedTickets(ctx context.Context) ([]queue.Ticket, error)
}

// Embedded is the Backend of a kiosk that runs its hall node in-process.
type Embedded struct {
	Node  Node
	Print PrintService
	// Health reads the printer's health (printjob.Service.Health,
	// converted).
	Health func() PrinterHealth
	// WatchHealth follows the printer's health (printjob.Service.Subscribe,
	// converted); nil: the health never changes.
	WatchHealth func() (<-chan PrinterHealth, func())
	KioskID     string
	DataDir     string
	// A4 prints full guides; nil: no A4 printer.
	A4 a4.Printer
}

var _ Backend = (*Embedded)(nil)

func (e *Embedded) actor() string { return kioskActor(e.KioskID) }

// kioskActor names a kiosk in the hall's events.
func kioskActor(id string) string { return "kiosk:" + id }

func (e *Embedded) Hall(ctx context.Context) (queue.HallConfig, *time.Location, error) {
	return e.Node.Config(ctx)
}

func (e *Embedded) Now() time.Time { return e.Node.Now() }

func (e *Embedded) Queue(ctx context.Context) ([]hall.ServiceState, error) {
	return e.Node.QueueState(ctx)
}

func (e *Embedded) Catalogue(ctx context.Context) (*catalogue.Catalogue, error) {
	return e.Node.Catalogue(ctx)
}

func (e *Embedded) TakeNumber(ctx context.Context, req hall.IssueRequest, lang i18n.Lang) (hall.Issued, error) {
	// Always this kiosk: start-up recovery fails the prints pending under
	// this name (OpenLocal), so a ticket printed under any other would stay
	// pending for good after a crash.
	req.Print, req.Actor = true, e.actor()
	return e.Print.IssueTicket(ctx, req, lang)
}

func (e *Embedded) CheckIn(ctx context.Context, code string, lang i18n.Lang) (hall.Issued, error) {
	return e.Print.CheckIn(ctx, code, e.actor(), lang)
}

func (e *Embedded) LookupCase(ctx context.Context, number, checkCode string) (queue.Case, error) {
	return e.Node.LookupCase(ctx, e.actor(), number, checkCode)
}

func (e *Embedded) PrintGuide(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	return e.Print.PrintGuide(ctx, it, lang)
}

// PrintMaterials prints the item's whole materials list: at the kiosk the
// citizen prepares, nothing has been checked yet.
func (e *Embedded) PrintMaterials(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	return e.Print.PrintMaterials(ctx, it, nil, lang)
}

func (e *Embedded) PrintCaseSlip(ctx context.Context, c queue.Case, lang i18n.Lang) error {
	return e.Print.PrintCaseSlip(ctx, c, lang)
}

func (e *Embedded) PrinterHealth() PrinterHealth {
	if e.Health == nil {
		return PrinterHealth{}
	}
	return e.Health()
}

// WatchQueue follows the node's own event bus: an issue at another
// kiosk of this node, a call at a window, a pause in staff mode.
func (e *Embedded) WatchQueue() (<-chan struct{}, func()) {
	return queueSignals(e.Node.Subscribe())
}

func (e *Embedded) WatchPrinter() (<-chan PrinterHealth, func()) {
	if e.WatchHealth == nil {
		return never[PrinterHealth]()
	}
	return e.WatchHealth()
}

func (e *Embedded) Restocked(ctx context.Context) error { return e.Print.Restocked(ctx) }

func (e *Embedded) TestPrint(ctx context.Context, lang i18n.Lang) error {
	return e.Print.TestPrint(ctx, lang)
}

func (e *Embedded) FailedTickets(ctx context.Context) ([]queue.Ticket, error) {
	return e.Print.FailedTickets(ctx)
}

func (e *Embedded) Reprint(ctx context.Context, id string, lang i18n.Lang) error {
	return e.Print.Reprint(ctx, id, e.actor(), lang)
}

func (e *Embedded) Void(ctx context.Context, id string) error {
	return e.Print.Void(ctx, id, e.actor())
}

func (e *Embedded) SetServiceOpen(ctx context.Context, code string, open bool) error {
	return e.Node.SetServiceOpen(ctx, code, open, e.actor())
}

func (e *Embedded) Status(ctx context.Context) (NodeStatus, error) {
	cfg, _, err := e.Node.Config(ctx)
	if err != nil {
		return NodeStatus{}, err
	}
	tally, err := e.Node.Tally(ctx)
	if err != nil {
		return NodeStatus{}, err
	}
	return NodeStatus{HallID: cfg.ID, DayTally: tally, Embedded: true, Location: e.DataDir}, nil
}

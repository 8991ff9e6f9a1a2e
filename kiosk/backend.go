package kiosk

import (
	"context"
	"time"

	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/hall"
)

// Backend is everything the kiosk screens ask of the hall. The embedded
// adapter (Embedded) serves it from an in-process hall node and print
// service; a LAN client can serve it over HTTP. Errors carry queue codes
// (queue.ErrorCode), which the screens turn into catalogue sentences.
type Backend interface {
	// Hall returns the hall's configuration and time zone.
	Hall(ctx context.Context) (queue.HallConfig, *time.Location, error)
	// Now is the hall's clock (the node's, so tests can fake it).
	Now() time.Time
	// Queue returns every service's queue now: waiting, estimate, open.
	Queue(ctx context.Context) ([]hall.ServiceState, error)
	// Catalogue returns the hall's service guides.
	Catalogue(ctx context.Context) (*catalogue.Catalogue, error)

	// TakeNumber issues and prints a ticket. When the ticket was issued
	// but printing failed, it returns the ticket (Issued.Ticket.ID set)
	// AND a non-nil error: the number exists and staff can reprint it.
	TakeNumber(ctx context.Context, req hall.IssueRequest, lang i18n.Lang) (hall.Issued, error)
	// CheckIn turns an appointment code into a printed priority ticket,
	// with the same contract as TakeNumber when printing fails.
	CheckIn(ctx context.Context, code string, lang i18n.Lang) (hall.Issued, error)
	// LookupCase finds a case by number and check code (the last four
	// digits of the applicant's phone); codes unknown_case, throttled.
	LookupCase(ctx context.Context, number, checkCode string) (queue.Case, error)

	PrintGuide(ctx context.Context, item catalogue.Item, lang i18n.Lang) error
	PrintMaterials(ctx context.Context, item catalogue.Item, lang i18n.Lang) error
	PrintCaseSlip(ctx context.Context, c queue.Case, lang i18n.Lang) error

	// WatchQueue signals after changes of the hall's queue (a ticket
	// issued, called or finished; a service paused or opened; the hall's
	// configuration) until the returned function is called, which closes
	// the channel and returns once nothing of the watch runs any more.
	// Signals coalesce (one may stand for many changes): the screen reads
	// Queue again, so a missed intermediate state does not matter.
	WatchQueue() (<-chan struct{}, func())
	// WatchPrinter sends the printer's health after each change, with the
	// same contract; a slow reader gets the latest, never a stale one.
	WatchPrinter() (<-chan PrinterHealth, func())

	// Staff mode.
	PrinterHealth() PrinterHealth
	Restocked(ctx context.Context) error
	TestPrint(ctx context.Context, lang i18n.Lang) error
	FailedTickets(ctx context.Context) ([]queue.Ticket, error)
	Reprint(ctx context.Context, ticketID string, lang i18n.Lang) error
	Void(ctx context.Context, ticketID string) error
	SetServiceOpen(ctx context.Context, code string, open bool) error
	Status(ctx context.Context) (NodeStatus, error)
}

// Printer states as PrinterHealth.State reports them.
const (
	PrinterOK        = "ok"
	PrinterNearEnd   = "near_end"
	PrinterPaperOut  = "paper_out"
	PrinterCoverOpen = "cover_open"
	PrinterOffline   = "offline"
	PrinterUnplugged = "unplugged"
)

// PrinterHealth is the ticket printer's state for staff mode.
type PrinterHealth struct {
	State            string // one of the Printer* constants
	PaperRemainingMM float64
	LastError        string
	Updated          time.Time
}

// NodeStatus is the hall node's state for staff mode.
type NodeStatus struct {
	HallID        string
	hall.DayTally        // today's counts, from the node (Node.Tally)
	Embedded      bool   // the node runs inside this kiosk
	Location      string // data directory or server address
	// A LAN kiosk's: why the node does not answer (nil: it does), and its
	// local copy (catalogue items, cases, when refreshed).
	Unreachable          error
	CopyItems, CopyCases int
	Copied               time.Time
}

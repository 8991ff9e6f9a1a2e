// Package printjob is the kiosk's print path: it issues a ticket through
// the hall node, lays it out with devices/receipt, prints it with the
// thermal printer driver and records the outcome, and it turns the
// printer's health changes into hall events.
//
// # Invariant 2 of DESIGN.md
//
// The ticket row commits (print state "pending") before the first byte
// goes to the printer; the outcome is recorded as "printed" or "failed"
// with its reason; a failed ticket stays in the queue, shown to staff, who
// reprint or void it. A reprint claims the ticket first, so two staff
// pressing reprint print it once, and a printed ticket is never reprinted
// by accident.
package printjob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/receipt"
	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/hall"
)

// Driver is what the service needs of a thermal printer; *printer.Printer
// is one.
type Driver interface {
	PrintJob(ctx context.Context, job printer.Job) (printer.Result, error)
	PaperState() printer.Paper
	SetPaper(usedMM float64, restockedAt time.Time)
	Restocked()
}

// PrintError says a ticket exists but its paper did not come out. The
// kiosk shows the number and sends the citizen to the service desk.
type PrintError struct {
	TicketID string
	Number   string
	Err      error
}

func (e *PrintError) Error() string {
	return fmt.Sprintf("printjob: ticket %s was issued but not printed: %v", e.Number, e.Err)
}

func (e *PrintError) Unwrap() error { return e.Err }

// MessageID is the catalogue message that explains the printer's fault.
func (e *PrintError) MessageID() string {
	var je *printer.JobError
	if errors.As(e.Err, &je) {
		return je.MessageID()
	}
	return "print.status.unknown"
}

// Health is the printer's state as staff see it.
type Health struct {
	State            string    `json:"state"` // ok, near_end, paper_out, cover_open, cutter_error, offline, unplugged, unknown
	PaperRemainingMM float64   `json:"paper_remaining_mm"`
	PaperUsedMM      float64   `json:"paper_used_mm"`
	RestockedAt      time.Time `json:"restocked_at"`
	LastError        string    `json:"last_error,omitempty"`
	Updated          time.Time `json:"updated"`
}

// paperState is what the hall database keeps of the paper counter.
type paperState struct {
	UsedMM      float64   `json:"used_mm"`
	RestockedAt time.Time `json:"restocked_at"`
}

// Service prints for one kiosk.
type Service struct {
	node    *hall.Node
	profile escpos.Profile
	device  string

	jobs sync.Mutex // one job at a time: tickets come out in issue order

	mu     sync.Mutex
	drv    Driver
	health Health
	subs   map[chan Health]struct{}
}

// New returns the print service of a kiosk. drv may be nil and attached
// later with SetDriver, because the driver's health callback
// (PrinterEvent) must exist before the driver does.
func New(node *hall.Node, drv Driver, profile escpos.Profile) *Service {
	s := &Service{node: node, profile: profile, device: "printer", health: Health{State: "unknown"}}
	if drv != nil {
		s.SetDriver(drv)
	}
	return s
}

// SetDevice names the printer in events and saved state (e.g.
// "printer:kiosk-1"); call it before SetDriver.
func (s *Service) SetDevice(name string) { s.device = name }

// SetDriver attaches the printer and restores its saved paper counter.
func (s *Service) SetDriver(drv Driver) {
	var ps paperState
	if ok, err := s.node.DeviceState(context.Background(), s.device, &ps); err == nil && ok {
		drv.SetPaper(ps.UsedMM, ps.RestockedAt)
	}
	s.mu.Lock()
	s.drv = drv
	s.health = s.withPaper(s.health)
	s.mu.Unlock()
}

func (s *Service) driver() (Driver, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.drv == nil {
		return nil, &printer.JobError{Op: "print", Err: printer.ErrUnplugged}
	}
	return s.drv, nil
}

// withPaper fills h's paper figures from the driver; s.mu must be held.
func (s *Service) withPaper(h Health) Health {
	if s.drv != nil {
		p := s.drv.PaperState()
		h.PaperRemainingMM, h.PaperUsedMM, h.RestockedAt = p.LeftMM, p.UsedMM, p.RestockedAt
	}
	return h
}

// hallInfo is what layouts need of the hall.
type hallInfo struct {
	cfg queue.HallConfig
	loc *time.Location
}

func (s *Service) hall(ctx context.Context) (hallInfo, error) {
	cfg, loc, err := s.node.Config(ctx)
	return hallInfo{cfg, loc}, err
}

func (h hallInfo) service(code string) queue.Service {
	for _, sv := range h.cfg.Services {
		if sv.Code == code {
			return sv
		}
	}
	return queue.Service{Code: code, NameZH: code}
}

// IssueTicket issues a ticket and prints it. When printing fails the
// ticket still exists: the Issued is returned together with a *PrintError.
func (s *Service) IssueTicket(ctx context.Context, req hall.IssueRequest, lang i18n.Lang) (hall.Issued, error) {
	req.Print = true
	is, err := s.node.Issue(ctx, req)
	if err != nil {
		return is, err
	}
	return is, s.printTicket(ctx, is, req.Actor)
}

// CheckIn checks an appointment in and prints its priority ticket.
func (s *Service) CheckIn(ctx context.Context, code, actor string, lang i18n.Lang) (hall.Issued, error) {
	is, err := s.node.CheckIn(ctx, hall.CheckInRequest{Code: code, Print: true, Actor: actor})
	if err != nil {
		return is, err
	}
	return is, s.printTicket(ctx, is, actor)
}

// Reprint prints a ticket whose printing failed, once.
func (s *Service) Reprint(ctx context.Context, ticketID, actor string, lang i18n.Lang) error {
	t, err := s.node.ClaimReprint(ctx, ticketID, actor)
	if err != nil {
		return err
	}
	return s.printTicket(ctx, hall.Issued{Ticket: t, Estimate: queue.Estimate{}}, actor)
}

// Void cancels a ticket whose paper never came out, and no other.
func (s *Service) Void(ctx context.Context, ticketID, actor string) error {
	_, err := s.node.VoidFailedPrint(ctx, ticketID, actor)
	return err
}

// FailedTickets lists tickets waiting for a reprint or a void.
func (s *Service) FailedTickets(ctx context.Context) ([]queue.Ticket, error) {
	return s.node.PrintFailed(ctx)
}

func (s *Service) printTicket(ctx context.Context, is hall.Issued, actor string) error {
	return s.record(ctx, is.Ticket, s.PrintIssued(ctx, is), actor)
}

// PrintIssued prints a ticket that is already committed, on this kiosk's
// printer, through the same job queue, health and paper counter as every
// print, without recording the outcome: a LAN kiosk tells its remote hall
// node itself. The layout comes from this service's node's configuration.
func (s *Service) PrintIssued(ctx context.Context, is hall.Issued) error {
	h, err := s.hall(ctx)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := escpos.New(&buf, s.profile)
	if err := receipt.WriteTicket(enc, TicketLayout(h.cfg, h.loc, is)); err != nil {
		return err
	}
	_, err = s.run(ctx, printer.Job{Data: buf.Bytes(), LengthMM: float64(enc.FeedDots()) / 8})
	return err
}

// TicketLayout is the paper of a ticket: what the hall prints for it.
func TicketLayout(cfg queue.HallConfig, loc *time.Location, is hall.Issued) receipt.Ticket {
	h := hallInfo{cfg, loc}
	t := is.Ticket
	svc := h.service(t.Service)
	wait := -1
	if is.Estimate.Known {
		wait = (is.Estimate.Seconds + 59) / 60
	}
	mark := receipt.NoMark
	switch t.Priority.Class {
	case queue.ClassPriority:
		mark = receipt.MarkPriority
	case queue.ClassGreen:
		mark = receipt.MarkGreen
	case queue.ClassAppointment:
		mark = receipt.MarkAppointment
	}
	url := ""
	if cfg.StatusURL != "" {
		url = cfg.StatusURL + strings.ReplaceAll(t.ID, "/", "-")
	}
	return receipt.Ticket{Hall: cfg.NameZH, Service: svc.NameZH, ServiceEN: svc.NameEN, Number: t.Number, Mark: mark,
		Ahead: is.Estimate.PeopleAhead, WaitMinutes: wait, Issued: t.IssuedAt.In(loc), StatusURL: url, Notices: cfg.Notices}
}

// record stores the outcome of printing a ticket; the recording outlives a
// cancelled request, since the paper's fate is a fact either way.
func (s *Service) record(ctx context.Context, t queue.Ticket, perr error, actor string) error {
	if _, err := s.node.RecordPrint(context.WithoutCancel(ctx), t.ID, perr, actor); err != nil {
		return err
	}
	if perr != nil {
		return &PrintError{TicketID: t.ID, Number: t.Number, Err: perr}
	}
	return nil
}

// run prints one job, one at a time, and saves the paper counter.
func (s *Service) run(ctx context.Context, job printer.Job) (printer.Result, error) {
	drv, err := s.driver()
	if err != nil {
		s.noteError(err)
		return printer.Result{}, err
	}
	s.jobs.Lock()
	res, err := drv.PrintJob(ctx, job)
	s.jobs.Unlock()
	p := drv.PaperState()
	s.node.SaveDeviceState(context.WithoutCancel(ctx), s.device, paperState{UsedMM: p.UsedMM, RestockedAt: p.RestockedAt})
	if err != nil {
		s.noteError(err)
	} else {
		s.update(func(h *Health) {
			if h.State == "unknown" {
				h.State = "ok"
			}
			for _, w := range res.Warnings {
				if errors.Is(w, printer.ErrPaperNearEnd) {
					h.State = "near_end"
				}
			}
		})
	}
	return res, err
}

func (s *Service) noteError(err error) {
	s.update(func(h *Health) { h.LastError = err.Error() })
}

// PrintGuide prints an item's short service guide.
func (s *Service) PrintGuide(ctx context.Context, it catalogue.Item, lang i18n.Lang) error {
	h, err := s.hall(ctx)
	if err != nil {
		return err
	}
	g := receipt.Guide{Item: it.Name.In(string(lang)), Department: it.Department.In(string(lang)), What: it.Summary,
		Steps: it.Steps, Materials: materials(it.Materials), LegalDays: it.LegalDays, PromisedDays: it.PromisedDays,
		FeeBasis: it.Basis, URL: it.OnlineURL, Printed: s.node.Now().In(h.loc)}
	if !it.Fee.Free() {
		g.Fee = it.Fee.Standard
		if g.Fee == "" {
			g.Fee = it.Fee.Yuan()
		}
		if it.Fee.Basis != "" {
			g.FeeBasis = it.Fee.Basis
		}
	}
	return s.printWith(ctx, func(e *escpos.Encoder) error { return receipt.WriteGuide(e, g) })
}

// PrintMaterials prints the one-time notification of the materials an item
// needs (missing nil: all of them), so a citizen leaves knowing everything
// to bring.
func (s *Service) PrintMaterials(ctx context.Context, it catalogue.Item, missing []int, lang i18n.Lang) error {
	h, err := s.hall(ctx)
	if err != nil {
		return err
	}
	ms := it.Materials
	if len(missing) > 0 {
		ms = nil
		for _, i := range missing {
			m, err := it.MaterialAt(i)
			if err != nil {
				return queue.Errorf(queue.CodeInvalid, "%v", err)
			}
			ms = append(ms, m)
		}
	}
	n := receipt.Notification{Hall: h.cfg.NameZH, Item: it.Name.In(string(lang)), Missing: materials(ms),
		Contact: h.cfg.Phone, Issued: s.node.Now().In(h.loc)}
	return s.printWith(ctx, func(e *escpos.Encoder) error { return receipt.WriteNotification(e, n) })
}

// PrintCaseSlip prints a case's status.
func (s *Service) PrintCaseSlip(ctx context.Context, c queue.Case, lang i18n.Lang) error {
	h, err := s.hall(ctx)
	if err != nil {
		return err
	}
	now := s.node.Now().In(h.loc)
	slip := receipt.CaseSlip{Hall: h.cfg.NameZH, CaseNumber: c.Number, Applicant: c.ApplicantMasked, Item: c.ItemName,
		State: caseState(c.Status), Overdue: c.Overdue(now), Printed: now}
	if c.PromisedDate != "" {
		if d, err := time.ParseInLocation(queue.DayLayout, c.PromisedDate, h.loc); err == nil {
			slip.Promised = d
		}
	}
	return s.printWith(ctx, func(e *escpos.Encoder) error { return receipt.WriteCaseSlip(e, slip) })
}

// TestPrint prints a short page that shows the printer, its font and its
// QR work, from staff mode.
func (s *Service) TestPrint(ctx context.Context, lang i18n.Lang) error {
	h, err := s.hall(ctx)
	if err != nil {
		return err
	}
	now := s.node.Now().In(h.loc)
	return s.printWith(ctx, func(e *escpos.Encoder) error {
		e.Init()
		e.Align(escpos.Center)
		e.Bold(true)
		e.Line(h.cfg.NameZH)
		e.Bold(false)
		e.Line(i18n.T(i18n.ZH, "printjob.test_page"))
		e.Line(i18n.T(i18n.EN, "printjob.test_page"))
		e.Line(now.Format("2006-01-02 15:04:05"))
		e.QR("hallq test "+now.Format(time.RFC3339), 6, escpos.QRLevelM)
		e.Feed(3)
		e.Cut(escpos.PartialCut, 0)
		e.EndOfJob()
		return e.Err()
	})
}

func (s *Service) printWith(ctx context.Context, layout func(*escpos.Encoder) error) error {
	var buf bytes.Buffer
	enc := escpos.New(&buf, s.profile)
	if err := layout(enc); err != nil {
		return err
	}
	_, err := s.run(ctx, printer.Job{Data: buf.Bytes(), LengthMM: float64(enc.FeedDots()) / 8})
	return err
}

func materials(ms []catalogue.Material) []receipt.Material {
	out := make([]receipt.Material, 0, len(ms))
	for _, m := range ms {
		r := receipt.Material{Name: m.Name}
		switch m.Form {
		case catalogue.Original:
			r.Originals = 1
		case catalogue.Copy:
			r.Copies = max(m.Copies, 1)
		case catalogue.OriginalAndCopy:
			r.Originals, r.Copies = 1, max(m.Copies, 1)
		case catalogue.Electronic:
			r.Copies = max(m.Copies, 1)
		}
		out = append(out, r)
	}
	return out
}

func caseState(s queue.CaseStatus) receipt.CaseState {
	switch s {
	case queue.CaseInProgress:
		return receipt.CaseInProgress
	case queue.CaseWaiting:
		return receipt.CaseSupplement
	case queue.CaseFinished:
		return receipt.CaseDone
	case queue.CaseRefused:
		return receipt.CaseReturned
	}
	return receipt.CaseAccepted
}

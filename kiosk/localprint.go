package kiosk

import (
	"bytes"
	"context"
	"errors"
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

// directPrint is the kiosk's own print path over the hall node and the
// printer driver, used until devices/printjob (the lead's print service)
// is wired in. It keeps invariant 2: the ticket row commits (Issue with
// Print) before the first byte goes to the printer, and RecordPrint
// records how printing went.
type directPrint struct {
	node    *hall.Node
	drv     *printer.Printer
	profile escpos.Profile
	actor   string

	mu     sync.Mutex
	health PrinterHealth
}

func (d *directPrint) event(e printer.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch e.Kind {
	case printer.KindOnline, printer.KindRecovered:
		d.health.State = PrinterOK
	case printer.KindPaperNearEnd:
		d.health.State = PrinterNearEnd
	case printer.KindPaperOut:
		d.health.State = PrinterPaperOut
	case printer.KindCoverOpen:
		d.health.State = PrinterCoverOpen
	case printer.KindOffline, printer.KindCutterError:
		d.health.State = PrinterOffline
	case printer.KindUnplugged:
		d.health.State = PrinterUnplugged
	}
	if e.Kind != printer.KindOnline && e.Kind != printer.KindRecovered {
		d.health.LastError = string(e.Kind)
		if e.Detail != "" {
			d.health.LastError += ": " + e.Detail
		}
	}
	d.health.Updated = e.Time
}

func (d *directPrint) Health() PrinterHealth {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := d.health
	if h.State == "" {
		h.State = PrinterOK
	}
	h.PaperRemainingMM = d.drv.PaperState().LeftMM
	return h
}

func (d *directPrint) job(ctx context.Context, write func(e *escpos.Encoder) error) error {
	var buf bytes.Buffer
	e := escpos.New(&buf, d.profile)
	if err := write(e); err != nil {
		return err
	}
	_, err := d.drv.PrintJob(ctx, printer.Job{Data: buf.Bytes(), LengthMM: float64(e.FeedDots()) / float64(d.profile.DotsPerMM)})
	if err != nil {
		d.mu.Lock()
		d.health.LastError, d.health.Updated = err.Error(), time.Now()
		d.mu.Unlock()
	}
	return err
}

func (d *directPrint) printTicket(ctx context.Context, t queue.Ticket, est queue.Estimate) error {
	cfg, loc, err := d.node.Config(ctx)
	if err != nil {
		return err
	}
	var svc queue.Service
	for _, s := range cfg.Services {
		if s.Code == t.Service {
			svc = s
		}
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
	wait := -1
	if est.Known {
		wait = est.Seconds / 60
	}
	rt := receipt.Ticket{Hall: cfg.NameZH, Service: svc.NameZH, ServiceEN: svc.NameEN, Number: t.Number, Mark: mark,
		Ahead: est.PeopleAhead, WaitMinutes: wait, Issued: t.IssuedAt.In(loc), Notices: cfg.Notices}
	if cfg.StatusURL != "" {
		rt.StatusURL = cfg.StatusURL + t.ID
	}
	perr := d.job(ctx, func(e *escpos.Encoder) error { return receipt.WriteTicket(e, rt) })
	if rerr := d.node.RecordPrint(context.WithoutCancel(ctx), t.ID, perr, d.actor); rerr != nil {
		return errors.Join(perr, rerr)
	}
	return perr
}

func (d *directPrint) IssueTicket(ctx context.Context, req hall.IssueRequest, _ i18n.Lang) (hall.Issued, error) {
	req.Print = true
	is, err := d.node.Issue(ctx, req)
	if err != nil {
		return is, err
	}
	return is, d.printTicket(ctx, is.Ticket, is.Estimate)
}

func (d *directPrint) CheckIn(ctx context.Context, code string, _ i18n.Lang) (hall.Issued, error) {
	is, err := d.node.CheckIn(ctx, hall.CheckInRequest{Code: code, Print: true, Actor: d.actor})
	if err != nil {
		return is, err
	}
	return is, d.printTicket(ctx, is.Ticket, is.Estimate)
}

func (d *directPrint) ticket(ctx context.Context, id string) (queue.Ticket, error) {
	ts, err := d.node.Tickets(ctx, "")
	if err != nil {
		return queue.Ticket{}, err
	}
	for _, t := range ts {
		if t.ID == id {
			return t, nil
		}
	}
	return queue.Ticket{}, queue.Errorf(queue.CodeUnknownTicket, "no ticket %s today", id)
}

func (d *directPrint) Reprint(ctx context.Context, id string, _ i18n.Lang) error {
	t, err := d.ticket(ctx, id)
	if err != nil {
		return err
	}
	return d.printTicket(ctx, t, queue.Estimate{})
}

func (d *directPrint) Void(ctx context.Context, id, actor string) error {
	_, err := d.node.Act(ctx, hall.ActRequest{Action: queue.ActCancel, Ticket: id, Reason: "print failed; voided by staff", Actor: actor})
	return err
}

func (d *directPrint) guide(ctx context.Context, it catalogue.Item, materialsOnly bool) error {
	_, loc, err := d.node.Config(ctx)
	if err != nil {
		return err
	}
	g := receipt.Guide{Item: it.Name.ZH, Department: it.Department.ZH, LegalDays: it.LegalDays, PromisedDays: it.PromisedDays,
		Printed: d.node.Now().In(loc)}
	for _, m := range it.Materials {
		rm := receipt.Material{Name: m.Name, Copies: m.Copies}
		if m.Form != catalogue.Form("copy") {
			rm.Originals = 1
		}
		g.Materials = append(g.Materials, rm)
	}
	if !materialsOnly {
		g.What, g.Steps, g.FeeBasis, g.URL = it.Summary, it.Steps, it.Basis, it.OnlineURL
		if !it.Fee.Free() {
			g.Fee = it.Fee.Yuan() + "元 " + it.Fee.Standard
		}
	}
	return d.job(ctx, func(e *escpos.Encoder) error { return receipt.WriteGuide(e, g) })
}

func (d *directPrint) PrintGuide(ctx context.Context, it catalogue.Item, _ i18n.Lang) error {
	return d.guide(ctx, it, false)
}

func (d *directPrint) PrintMaterials(ctx context.Context, it catalogue.Item, _ []int, _ i18n.Lang) error {
	return d.guide(ctx, it, true)
}

func (d *directPrint) PrintCaseSlip(ctx context.Context, c queue.Case, _ i18n.Lang) error {
	cfg, loc, err := d.node.Config(ctx)
	if err != nil {
		return err
	}
	st := map[queue.CaseStatus]receipt.CaseState{queue.CaseAccepted: receipt.CaseAccepted, queue.CaseInProgress: receipt.CaseInProgress,
		queue.CaseWaiting: receipt.CaseSupplement, queue.CaseFinished: receipt.CaseDone, queue.CaseRefused: receipt.CaseReturned}[c.Status]
	now := d.node.Now().In(loc)
	slip := receipt.CaseSlip{Hall: cfg.NameZH, CaseNumber: c.Number, Applicant: c.ApplicantMasked, Item: c.ItemName, State: st,
		Overdue: c.Overdue(now), Printed: now}
	if p, err := time.ParseInLocation(queue.DayLayout, c.PromisedDate, loc); err == nil {
		slip.Promised = p
	}
	return d.job(ctx, func(e *escpos.Encoder) error { return receipt.WriteCaseSlip(e, slip) })
}

func (d *directPrint) TestPrint(ctx context.Context, lang i18n.Lang) error {
	return d.job(ctx, func(e *escpos.Encoder) error {
		e.Init()
		e.ChineseOn()
		e.Line(i18n.T(lang, "kiosk.testprint", d.node.Now().Format("2006-01-02 15:04:05")))
		e.Cut(escpos.PartialCut, 0)
		e.EndOfJob()
		return e.Err()
	})
}

func (d *directPrint) Restocked(context.Context) error {
	d.drv.Restocked()
	return nil
}

func (d *directPrint) FailedTickets(ctx context.Context) ([]queue.Ticket, error) {
	ts, err := d.node.Tickets(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []queue.Ticket
	for _, t := range ts {
		if t.Print == queue.PrintFailed && t.State.Active() {
			out = append(out, t)
		}
	}
	return out, nil
}

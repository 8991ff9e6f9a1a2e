package kiosk

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"hallq/queue"
	"hallq/queue/hall"
)

// staffPIN asks for the staff PIN (after five taps on the hall name).
func (k *Kiosk) staffPIN() {
	k.show(screen{name: "staff.pin", form: true, build: func() fyne.CanvasObject {
		msg := text("", theme.SizeNameSubHeadingText, theme.ColorNameError, fyne.TextAlignCenter)
		ok := newTile(k.t("kiosk.staff.enter"), "", tilePrimary, nil)
		pad, display, keys := k.newKeypad(keysDigits, 8, true, nil)
		ok.onTap = k.tap(func() {
			good, locked, left := k.opt.PIN.Check(pad.value)
			pad.clear()
			switch {
			case good:
				k.opt.Logf("kiosk %s: staff mode opened", k.opt.KioskID)
				k.Staff()
			case locked > 0:
				k.opt.Logf("kiosk %s: staff PIN locked for %s", k.opt.KioskID, locked)
				setText(msg, k.t("kiosk.staff.locked", int((locked+time.Minute-1)/time.Minute)))
			default:
				setText(msg, k.t("kiosk.staff.wrong", left))
			}
		})
		return container.NewBorder(container.NewVBox(heading(k.t("kiosk.staff.pin")), display, msg), ok, nil, nil, keys)
	}})
}

// Staff shows staff mode: printer health and paper, failed tickets to
// reprint or void, services to open or pause, the node's status, and the
// way out of the kiosk.
func (k *Kiosk) Staff() {
	k.show(screen{name: "staff", build: k.staffScreen})
}

func (k *Kiosk) staffScreen() fyne.CanvasObject {
	lang := k.lang
	msg := text("", theme.SizeNameText, theme.ColorNamePrimary, fyne.TextAlignCenter)
	act := func(op string, f func(ctx context.Context) error) func() {
		return k.tap(func() {
			setText(msg, k.t("kiosk.staff.working"))
			background(k, func(ctx context.Context) (struct{}, error) { return struct{}{}, f(ctx) }, func(_ struct{}, err error) {
				if err != nil {
					setText(msg, k.t("kiosk.staff.failed", op, k.errText(op, err)))
					return
				}
				k.opt.Logf("kiosk %s: staff %s", k.opt.KioskID, op)
				k.staffNote = k.t("kiosk.staff.ok", op)
				k.Staff()
			})
		})
	}

	// Printer: its health follows the driver live (paper out shows
	// while staff mode is open); the buttons stay the same objects.
	buttons := container.NewGridWithColumns(2,
		newTile(k.t("kiosk.staff.restocked"), "", tileNormal, act(k.t("kiosk.staff.restocked"), k.b.Restocked)),
		newTile(k.t("kiosk.staff.testprint"), "", tileNormal, act(k.t("kiosk.staff.testprint"), func(ctx context.Context) error { return k.b.TestPrint(ctx, lang) })),
	)
	printer := container.NewVBox()
	showHealth := func(h PrinterHealth, _ error) {
		objs := append([]fyne.CanvasObject{text(k.t("kiosk.staff.printer"), theme.SizeNameSubHeadingText, theme.ColorNamePrimary, fyne.TextAlignLeading)},
			k.healthLines(h)...)
		printer.Objects = append(objs, buttons)
		printer.Refresh()
	}
	showHealth(k.b.PrinterHealth(), nil)
	follow(k, k.b.WatchPrinter, func(_ context.Context, h PrinterHealth) (PrinterHealth, error) { return h, nil }, showHealth)

	// Failed tickets.
	failed := container.NewVBox(text(k.t("kiosk.staff.failed_tickets"), theme.SizeNameSubHeadingText, theme.ColorNamePrimary, fyne.TextAlignLeading))
	fillFailed := func(ts []queue.Ticket, err error) {
		failed.Objects = failed.Objects[:1] // the heading
		defer failed.Refresh()
		if err != nil {
			failed.Add(body(k.errText("failed tickets", err)))
			return
		}
		if len(ts) == 0 {
			failed.Add(body(k.t("kiosk.staff.failed_none")))
		}
		for _, t := range ts {
			id := t.ID
			failed.Add(container.NewGridWithColumns(3,
				body(k.t("kiosk.staff.ticket", t.Number, t.IssuedAt.In(k.loc).Format("15:04"))),
				newTile(k.t("kiosk.staff.reprint"), "", tileNormal, act(k.t("kiosk.staff.reprint")+" "+t.Number, func(ctx context.Context) error { return k.b.Reprint(ctx, id, lang) })),
				newTile(k.t("kiosk.staff.void"), "", tileDanger, act(k.t("kiosk.staff.void")+" "+t.Number, func(ctx context.Context) error { return k.b.Void(ctx, id) })),
			))
		}
	}
	background(k, k.b.FailedTickets, fillFailed)

	// Services.
	services := container.NewVBox(text(k.t("kiosk.staff.services"), theme.SizeNameSubHeadingText, theme.ColorNamePrimary, fyne.TextAlignLeading))
	fillServices := func(states []hall.ServiceState, err error) {
		services.Objects = services.Objects[:1]
		defer services.Refresh()
		if err != nil {
			services.Add(body(k.errText("queue state", err)))
			return
		}
		var rows []fyne.CanvasObject
		for _, s := range states {
			code := s.Service.Code
			label := k.t("kiosk.staff.service.open", code, s.Service.Name(string(lang)), s.Waiting)
			if s.Service.Paused {
				label = k.t("kiosk.staff.service.paused", code, s.Service.Name(string(lang)), s.Waiting)
				rows = append(rows, newTile(label, k.t("kiosk.staff.resume"), tileNormal, act(k.t("kiosk.staff.resume")+" "+code, func(ctx context.Context) error { return k.b.SetServiceOpen(ctx, code, true) })))
			} else {
				rows = append(rows, newTile(label, k.t("kiosk.staff.pause"), tileQuiet, act(k.t("kiosk.staff.pause")+" "+code, func(ctx context.Context) error { return k.b.SetServiceOpen(ctx, code, false) })))
			}
		}
		services.Add(container.NewGridWithColumns(2, rows...))
	}
	background(k, k.b.Queue, fillServices)

	// Node.
	node := container.NewVBox(text(k.t("kiosk.staff.node"), theme.SizeNameSubHeadingText, theme.ColorNamePrimary, fyne.TextAlignLeading))
	fillNode := func(st NodeStatus, err error) {
		node.Objects = node.Objects[:1]
		defer node.Refresh()
		if err != nil {
			node.Add(body(k.errText("node status", err)))
			return
		}
		if st.Embedded {
			node.Add(body(k.t("kiosk.staff.node.status", st.HallID, st.Day, st.Issued, st.Waiting, st.PrintFailed)))
			node.Add(body(k.t("kiosk.staff.node.embedded", st.Location)))
			return
		}
		if st.Unreachable != nil {
			k.opt.Logf("kiosk %s: node status: %v", k.opt.KioskID, st.Unreachable)
			node.Add(text(k.t("kiosk.staff.node.offline", st.Location), theme.SizeNameText, theme.ColorNameError, fyne.TextAlignLeading))
		} else {
			node.Add(body(k.t("kiosk.staff.node.status", st.HallID, st.Day, st.Issued, st.Waiting, st.PrintFailed)))
			node.Add(body(k.t("kiosk.staff.node.lan", st.Location)))
		}
		node.Add(body(k.t("kiosk.staff.node.copy", st.CopyItems, st.CopyCases, k.copyTime(st.Copied))))
	}
	background(k, k.b.Status, fillNode)

	// The hall follows too: a ticket whose print fails (paper out) shows
	// among the failed ones, a service paused elsewhere shows paused.
	follow(k, k.b.WatchQueue, k.readStaff, func(v staffView, _ error) {
		fillFailed(v.failed, v.failedErr)
		fillServices(v.states, v.statesErr)
		fillNode(v.status, v.statusErr)
	})

	if k.staffNote != "" {
		setText(msg, k.staffNote)
		k.staffNote = ""
	}
	exit := []fyne.CanvasObject{newTile(k.t("kiosk.staff.refresh"), "", tileNormal, k.tap(k.Staff)),
		newTile(k.t("kiosk.staff.leave"), "", tilePrimary, k.tap(k.Home))}
	if k.opt.Quit != nil {
		exit = append(exit, newTile(k.t("kiosk.staff.quit"), "", tileDanger, k.tap(func() {
			k.opt.Logf("kiosk %s: staff quit the kiosk", k.opt.KioskID)
			k.opt.Quit()
		})))
	}
	return container.NewBorder(container.NewVBox(heading(k.t("kiosk.staff.title")), msg), container.NewGridWithColumns(len(exit), exit...), nil, nil,
		container.NewVScroll(container.NewVBox(printer, failed, services, node)))
}

// healthLines say the printer's state, the paper left, the last error and
// when the state last changed.
func (k *Kiosk) healthLines(h PrinterHealth) []fyne.CanvasObject {
	st := h.State
	if st == "" {
		st = "unknown"
	}
	col := theme.ColorNameSuccess
	if h.State != PrinterOK {
		col = theme.ColorNameError
	}
	lines := []fyne.CanvasObject{
		text(k.t("kiosk.staff.printer.state", k.t("kiosk.printer."+st)), theme.SizeNameText, col, fyne.TextAlignLeading),
		body(k.t("kiosk.staff.printer.paper", fmt.Sprintf("%.1f", h.PaperRemainingMM/1000))),
	}
	if h.LastError != "" {
		lines = append(lines, body(k.t("kiosk.staff.printer.error", h.LastError)))
	}
	if !h.Updated.IsZero() {
		lines = append(lines, body(k.t("kiosk.staff.printer.updated", h.Updated.In(k.loc).Format("15:04:05"))))
	}
	return lines
}

// staffView is what staff mode reads of the hall after a change.
type staffView struct {
	failed               []queue.Ticket
	states               []hall.ServiceState
	status               NodeStatus
	failedErr, statesErr error
	statusErr            error
}

func (k *Kiosk) readStaff(ctx context.Context, _ struct{}) (staffView, error) {
	var v staffView
	v.failed, v.failedErr = k.b.FailedTickets(ctx)
	v.states, v.statesErr = k.b.Queue(ctx)
	v.status, v.statusErr = k.b.Status(ctx)
	return v, nil
}

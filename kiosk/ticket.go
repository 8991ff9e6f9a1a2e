package kiosk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"hallq/queue"
	"hallq/queue/hall"
)

// ticketIdle is how long a shown ticket stays before the kiosk goes home
// for the next citizen.
const ticketIdle = 20 * time.Second

// printing shows "printing" while issue runs, then the ticket.
func (k *Kiosk) printing(svc queue.Service, issue func(ctx context.Context) (hall.Issued, error)) {
	k.show(screen{name: "printing", build: func() fyne.CanvasObject {
		background(k, issue, func(is hall.Issued, err error) {
			switch {
			case err == nil:
				k.ticket(svc, is, nil)
			case is.Ticket.ID != "":
				k.ticket(svc, is, err) // issued, not printed
			default:
				k.failure(k.errText("issue", err))
			}
		})
		return container.NewVBox(heading(k.t("kiosk.printing")), big(k.t("kiosk.printing.hint")))
	}})
}

// ticket shows the number, large, and what to do next. When printing
// failed, the number stays on screen with the way to the service desk;
// the print service has recorded the failure for staff.
func (k *Kiosk) ticket(svc queue.Service, is hall.Issued, printErr error) {
	if printErr != nil {
		k.opt.Logf("kiosk %s: ticket %s issued, print failed: %v", k.opt.KioskID, is.Ticket.ID, printErr)
	}
	if svc.Code == "" {
		svc = k.svcs[is.Ticket.Service]
		if svc.Code == "" {
			svc = queue.Service{Code: is.Ticket.Service, NameZH: is.Ticket.Service}
		}
	}
	name := "ticket"
	if printErr != nil {
		name = "ticket.unprinted"
	}
	k.show(screen{name: name, idle: ticketIdle, build: func() fyne.CanvasObject {
		number := text(is.Ticket.Number, sizeNameHuge, theme.ColorNamePrimary, fyne.TextAlignCenter)
		rows := []fyne.CanvasObject{}
		if printErr == nil {
			rows = append(rows, heading(k.t("kiosk.ticket.take")))
		} else {
			setColour(number, theme.ColorNameError)
			rows = append(rows, heading(k.t("kiosk.ticket.unprinted")))
		}
		rows = append(rows, number, big(svc.Code+"  "+svc.Name(string(k.lang))))
		if is.Ticket.Priority.Class == queue.ClassAppointment {
			rows = append(rows, big(k.t("kiosk.ticket.appointment")))
		}
		if is.Estimate.PeopleAhead == 0 {
			rows = append(rows, big(k.t("kiosk.ticket.next")))
		} else if is.Estimate.Known {
			rows = append(rows, big(k.t("kiosk.ticket.ahead.est", is.Estimate.PeopleAhead, minutes(is.Estimate.Seconds))))
		} else {
			rows = append(rows, big(k.t("kiosk.ticket.ahead", is.Estimate.PeopleAhead)))
		}
		if printErr != nil {
			msg := text(k.t("kiosk.ticket.desk", is.Ticket.Number), theme.SizeNameSubHeadingText, theme.ColorNameError, fyne.TextAlignCenter)
			rows = append(rows, msg)
		} else {
			rows = append(rows, big(k.t("kiosk.ticket.listen")))
		}
		done := newTile(k.t("kiosk.done"), "", tilePrimary, k.tap(k.Home))
		done.tall, done.big = true, true
		return container.NewBorder(nil, done, nil, nil, container.NewVBox(rows...))
	}})
}

// failure shows a sentence and the way back.
func (k *Kiosk) failure(msg string) {
	k.show(screen{name: "error", build: func() fyne.CanvasObject {
		done := newTile(k.t("kiosk.done"), "", tilePrimary, k.tap(k.Home))
		done.tall, done.big = true, true
		return container.NewBorder(nil, done, nil, nil, container.NewVBox(
			heading(k.t("kiosk.error.title")),
			text(msg, theme.SizeNameHeadingText, theme.ColorNameError, fyne.TextAlignCenter),
		))
	}})
}

package kiosk

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"hallq/queue"
)

// Progress asks for a case number, then the check code (the last four
// digits of the applicant's phone), and shows the case's status.
func (k *Kiosk) Progress() {
	k.show(screen{name: "progress", form: true, build: func() fyne.CanvasObject {
		next := newTile(k.t("kiosk.next"), "", tilePrimary, nil)
		next.setDisabled(true)
		pad, display, keys := k.newKeypad(keysAlnum, 24, false, func(v string) { next.setDisabled(len(v) < 4) })
		next.onTap = k.tap(func() { k.progressCode(pad.value) })
		next.tall = true
		return container.NewBorder(container.NewVBox(heading(k.t("kiosk.progress.title")), centred(k.t("kiosk.progress.number")), display),
			next, nil, nil, keys)
	}})
}

func (k *Kiosk) progressCode(number string) {
	k.show(screen{name: "progress.code", form: true, build: func() fyne.CanvasObject {
		next := newTile(k.t("kiosk.progress.lookup"), "", tilePrimary, nil)
		next.setDisabled(true)
		pad, display, keys := k.newKeypad(keysDigits, 4, false, func(v string) { next.setDisabled(len(v) != 4) })
		next.onTap = k.tap(func() {
			code := pad.value
			background(k, func(ctx context.Context) (queue.Case, error) { return k.b.LookupCase(ctx, number, code) },
				func(c queue.Case, err error) {
					if err != nil {
						k.progressFailed(err)
						return
					}
					k.progressResult(c)
				})
		})
		next.tall = true
		return container.NewBorder(container.NewVBox(heading(k.t("kiosk.progress.title")), big(k.t("kiosk.progress.case", number)),
			centred(k.t("kiosk.progress.code")), display), next, nil, nil, keys)
	}})
}

// progressFailed answers plainly: not found (number or code wrong, the
// same answer for both), or please wait after too many attempts.
func (k *Kiosk) progressFailed(err error) {
	name := "progress.notfound"
	if queue.ErrorCode(err) == queue.CodeThrottled {
		name = "progress.throttled"
	}
	msg := k.errText("lookup case", err)
	k.show(screen{name: name, build: func() fyne.CanvasObject {
		again := newTile(k.t("kiosk.progress.again"), "", tilePrimary, k.tap(k.Progress))
		again.tall, again.big = true, true
		return container.NewBorder(nil, again, nil, nil, container.NewVBox(
			heading(k.t("kiosk.progress.title")),
			text(msg, theme.SizeNameHeadingText, theme.ColorNameError, fyne.TextAlignCenter),
		))
	}})
}

func (k *Kiosk) progressResult(c queue.Case) {
	k.show(screen{name: "progress.result", build: func() fyne.CanvasObject {
		now := k.b.Now().In(k.loc)
		rows := []fyne.CanvasObject{
			heading(k.t("kiosk.progress.title")),
			big(k.t("kiosk.case.number", c.Number)),
			big(k.t("kiosk.case.applicant", c.ApplicantMasked)),
			big(k.t("kiosk.case.item", c.ItemName)),
			text(k.t("kiosk.case.status", k.t("kiosk.case.status."+string(c.Status))), theme.SizeNameHeadingText, theme.ColorNamePrimary, fyne.TextAlignCenter),
		}
		if c.PromisedDate != "" {
			rows = append(rows, big(k.t("kiosk.case.promised", c.PromisedDate)))
		}
		if c.Overdue(now) {
			rows = append(rows, text(k.t("kiosk.case.overdue"), theme.SizeNameSubHeadingText, theme.ColorNameError, fyne.TextAlignCenter))
		}
		if c.Note != "" {
			rows = append(rows, big(k.t("kiosk.case.note", c.Note)))
		}
		// A LAN kiosk without its node answered from its copy: say how old.
		if lan, ok := k.b.(LANStatus); ok {
			if copied, down := lan.Offline(); down != nil {
				rows = append(rows, text(k.t("kiosk.progress.from_copy", k.copyTime(copied)),
					theme.SizeNameText, theme.ColorNameForeground, fyne.TextAlignCenter))
			}
		}
		status := centred("")
		lang := k.lang
		var slip *tile
		slip = newTile(k.t("kiosk.case.print"), "", tilePrimary, k.tap(func() {
			slip.setDisabled(true)
			setText(status, k.t("kiosk.printing"))
			background(k, func(ctx context.Context) (struct{}, error) { return struct{}{}, k.b.PrintCaseSlip(ctx, c, lang) },
				func(_ struct{}, err error) {
					slip.setDisabled(false)
					if err != nil {
						setText(status, k.t("kiosk.print.failed", k.errText("print case slip", err)))
						return
					}
					setText(status, k.t("kiosk.print.done"))
				})
		}))
		slip.tall = true
		return container.NewBorder(nil, container.NewVBox(status, slip), nil, nil, container.NewVBox(rows...))
	}})
}

// copyTime says when a LAN kiosk's local copy was refreshed.
func (k *Kiosk) copyTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(k.loc).Format("01-02 15:04")
}

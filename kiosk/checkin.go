package kiosk

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"hallq/queue"
	"hallq/queue/hall"
)

// CheckIn turns an appointment code into a priority ticket.
func (k *Kiosk) CheckIn() {
	k.show(screen{name: "checkin", form: true, build: func() fyne.CanvasObject {
		next := newTile(k.t("kiosk.checkin.ok"), "", tilePrimary, nil)
		next.setDisabled(true)
		pad, display, keys := k.newKeypad(keysAlnum, 20, false, func(v string) { next.setDisabled(len(v) < 4) })
		next.onTap = k.tap(func() {
			code, lang := pad.value, k.lang
			k.printing(queue.Service{}, func(ctx context.Context) (hall.Issued, error) { return k.b.CheckIn(ctx, code, lang) })
		})
		next.tall = true
		return container.NewBorder(container.NewVBox(heading(k.t("kiosk.checkin.title")), centred(k.t("kiosk.checkin.hint")), display),
			next, nil, nil, keys)
	}})
}

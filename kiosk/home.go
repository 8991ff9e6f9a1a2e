package kiosk

import (
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"hallq/queue/hall"
)

// Home shows the home screen: take a number, guides, case progress,
// appointment check-in, and elder mode.
func (k *Kiosk) Home() {
	k.show(screen{name: "home", build: k.homeScreen})
}

func (k *Kiosk) homeScreen() fyne.CanvasObject {
	take := newTile(k.t("kiosk.home.take"), k.t("kiosk.home.take.sub"), tilePrimary, k.tap(k.TakeNumber))
	guides := newTile(k.t("kiosk.home.guides"), k.t("kiosk.home.guides.sub"), tileNormal, k.tap(k.Guides))
	progress := newTile(k.t("kiosk.home.progress"), k.t("kiosk.home.progress.sub"), tileNormal, k.tap(k.Progress))
	checkin := newTile(k.t("kiosk.home.checkin"), k.t("kiosk.home.checkin.sub"), tileNormal, k.tap(k.CheckIn))
	elderLabel, elderSub := k.t("kiosk.home.elder"), k.t("kiosk.home.elder.sub")
	if k.elder {
		elderLabel, elderSub = k.t("kiosk.home.standard"), k.t("kiosk.home.standard.sub")
	}
	elder := newTile(elderLabel, elderSub, tileQuiet, func() { k.SetElder(!k.elder) })
	for _, t := range []*tile{take, guides, progress, checkin} {
		t.big = true
	}
	notice := container.NewVBox()

	var grid *fyne.Container
	if k.elder {
		grid = container.NewGridWithRows(5, take, guides, progress, checkin, elder)
	} else {
		grid = container.NewGridWithRows(3, take,
			container.NewGridWithColumns(2, guides, progress),
			container.NewGridWithColumns(2, checkin, elder))
	}
	background(k, k.b.Queue, func(states []hall.ServiceState, err error) {
		if errors.Is(err, ErrNodeUnreachable) {
			// Calm, not red: nothing is wrong with what the citizen did,
			// and most of the kiosk still works.
			k.opt.Logf("kiosk %s: home: %v", k.opt.KioskID, err)
			for _, t := range []*tile{take, checkin} {
				t.sub = k.t("kiosk.offline.take")
				t.setDisabled(true)
			}
			notice.Add(band(colTile, text(k.t("kiosk.offline.banner"), theme.SizeNameSubHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)))
			return
		}
		if err != nil {
			notice.Add(text(k.errText("queue state", err), theme.SizeNameSubHeadingText, theme.ColorNameError, fyne.TextAlignCenter))
			return
		}
		if ok, reason := k.issuing(states); !ok {
			take.sub = reason
			take.setDisabled(true)
			notice.Add(text(reason, theme.SizeNameSubHeadingText, theme.ColorNameError, fyne.TextAlignCenter))
		}
	})
	return container.NewBorder(
		container.NewVBox(heading(k.t("kiosk.home.welcome")), centred(k.t("kiosk.home.hint")), notice),
		nil, nil, nil, grid)
}

// issuing reports whether any service issues tickets now and, if none
// does, why and when the next one opens.
func (k *Kiosk) issuing(states []hall.ServiceState) (bool, string) {
	now := k.b.Now().In(k.loc)
	var next time.Time
	paused := 0
	for _, s := range states {
		if s.Open {
			return true, ""
		}
		if s.Service.Paused {
			paused++
			continue
		}
		if at, ok := s.Service.Hours.NextOpening(now); ok && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	if len(states) > 0 && paused == len(states) {
		return false, k.t("kiosk.closed.paused")
	}
	if next.IsZero() {
		return false, k.t("kiosk.closed.hours")
	}
	return false, k.t("kiosk.closed.next", k.when(now, next))
}

// when formats a coming moment for citizens: "14:30", or "周一 08:30".
func (k *Kiosk) when(now, at time.Time) string {
	at = at.In(now.Location())
	if at.Year() == now.Year() && at.YearDay() == now.YearDay() {
		return at.Format("15:04")
	}
	if at.Sub(now) < 24*time.Hour && at.YearDay() != now.YearDay() {
		return k.t("kiosk.tomorrow", at.Format("15:04"))
	}
	return k.t("kiosk.weekday."+at.Weekday().String(), at.Format("15:04"))
}

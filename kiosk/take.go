package kiosk

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"hallq/queue"
	"hallq/queue/hall"
)

// TakeNumber starts taking a number: categories, then services, each with
// the people waiting and the estimated wait now.
func (k *Kiosk) TakeNumber() { k.takeList("", 0) }

// takeList lists the categories of services or, when every category has a
// single service (or one category is chosen), the services themselves.
// The list follows the hall while it is shown (another kiosk issues, a
// window calls, staff pause a service).
func (k *Kiosk) takeList(category string, page int) {
	name := "take"
	if category != "" {
		name = "take.category"
	}
	k.show(screen{name: name, build: func() fyne.CanvasObject {
		l := &takeList{k: k, list: container.NewVBox(), category: category, page: page}
		title := heading(k.t("kiosk.take.title"))
		background(k, k.b.Queue, l.fill)
		follow(k, k.b.WatchQueue, func(ctx context.Context, _ struct{}) ([]hall.ServiceState, error) { return k.b.Queue(ctx) }, l.fill)
		return container.NewBorder(container.NewVBox(title, centred(k.t("kiosk.take.hint"))), nil, nil, nil, container.NewVScroll(l.list))
	}})
}

// takeList is the list of choices on the take screen.
type takeList struct {
	k        *Kiosk
	list     *fyne.Container
	category string
	page     int
	keys     []string // the choices shown, in order
	tiles    []*tile  // their tiles, in the same order
}

// choice is one tile of the take list: a service, or a category of
// several.
type choice struct {
	key, title, sub string
	off             bool
	tap             func()
}

// fill shows the queue. While the same choices are shown in the same
// order, it changes the tiles in place: the scroll position stays, and a
// finger on a tile finds the same tile. Only a new set of services (the
// hall's configuration changed) rebuilds the page.
func (l *takeList) fill(states []hall.ServiceState, err error) {
	k := l.k
	if err != nil {
		if l.tiles == nil && len(l.list.Objects) == 0 {
			l.list.Add(centred(k.errText("queue state", err)))
		} else {
			// Keep what is shown: it was right a moment ago, and the
			// service is checked again when the citizen takes a number.
			k.opt.Logf("kiosk %s: take list update: %v", k.opt.KioskID, err)
		}
		return
	}
	cs := k.takeChoices(states, l.category)
	keys := make([]string, len(cs))
	for i, c := range cs {
		keys[i] = c.key
	}
	if l.tiles != nil && slices.Equal(keys, l.keys) {
		for i, c := range cs {
			l.tiles[i].update(c.title, c.sub, c.off, c.tap)
		}
		return
	}
	l.keys, l.tiles = keys, nil
	l.list.RemoveAll()
	tiles := make([]fyne.CanvasObject, len(cs))
	for i, c := range cs {
		t := newTile(c.title, c.sub, tileNormal, c.tap)
		t.tall, t.disabled = true, c.off
		l.tiles = append(l.tiles, t)
		tiles[i] = t
	}
	per := 8
	if k.elder {
		per = 4
	}
	k.paged(l.list, tiles, l.page, per, func(p int) { k.takeList(l.category, p) })
}

// takeChoices are the tiles of the take list: categories with several
// services and lone services, or the services of one category.
func (k *Kiosk) takeChoices(states []hall.ServiceState, category string) []choice {
	byCat := map[string][]hall.ServiceState{}
	var cats []string
	for _, s := range states {
		c := s.Service.Category
		if _, ok := byCat[c]; !ok {
			cats = append(cats, c)
		}
		byCat[c] = append(byCat[c], s)
	}
	var out []choice
	if category == "" && len(cats) < len(states) {
		for _, c := range cats {
			if len(byCat[c]) == 1 {
				out = append(out, k.serviceChoice(byCat[c][0]))
				continue
			}
			waiting := 0
			for _, s := range byCat[c] {
				waiting += s.Waiting
			}
			out = append(out, choice{key: "category:" + c, title: c,
				sub: k.t("kiosk.take.category.sub", len(byCat[c]), waiting), tap: k.tap(func() { k.takeList(c, 0) })})
		}
		return out
	}
	shown := states
	if category != "" {
		shown = byCat[category]
	}
	for _, s := range shown {
		out = append(out, k.serviceChoice(s))
	}
	return out
}

// paged adds one page of tiles to list, with previous and next buttons.
func (k *Kiosk) paged(list *fyne.Container, tiles []fyne.CanvasObject, page, per int, goTo func(int)) {
	from, to := page*per, (page+1)*per
	if from > len(tiles) {
		from = len(tiles)
	}
	if to > len(tiles) {
		to = len(tiles)
	}
	cols := 2
	if k.elder {
		cols = 1
	}
	list.Add(container.NewGridWithColumns(cols, tiles[from:to]...))
	if len(tiles) > per {
		prev := newTile(k.t("kiosk.page.prev"), "", tileQuiet, k.tap(func() { goTo(page - 1) }))
		next := newTile(k.t("kiosk.page.next"), "", tileQuiet, k.tap(func() { goTo(page + 1) }))
		prev.setDisabled(page == 0)
		next.setDisabled(to >= len(tiles))
		pages := (len(tiles) + per - 1) / per
		list.Add(container.NewGridWithColumns(3, prev, centred(k.t("kiosk.page.of", page+1, pages)), next))
	}
}

// serviceChoice is a service's tile: the people waiting and the expected
// wait, or why it does not issue now.
func (k *Kiosk) serviceChoice(s hall.ServiceState) choice {
	c := choice{key: "service:" + s.Service.Code, title: s.Service.Code + "  " + s.Service.Name(string(k.lang)),
		sub: k.t("kiosk.take.waiting", s.Waiting), tap: k.tap(func() { k.takeService(s.Service) })}
	if s.Waiting == 0 {
		c.sub = k.t("kiosk.take.nowait")
	} else if s.Estimate.Known {
		c.sub = k.t("kiosk.take.waiting.est", s.Waiting, minutes(s.Estimate.Seconds))
	}
	if !s.Open {
		c.off = true
		if s.Service.Paused {
			c.sub = k.t("kiosk.take.paused")
		} else if next, ok := s.Service.Hours.NextOpening(k.b.Now().In(k.loc)); ok {
			c.sub = k.t("kiosk.closed.next", k.when(k.b.Now().In(k.loc), next))
		} else {
			c.sub = k.t("kiosk.closed.hours")
		}
	}
	return c
}

// minutes rounds a wait up to whole minutes, at least one.
func minutes(secs int) int {
	m := (secs + 59) / 60
	if m < 1 {
		m = 1
	}
	return m
}

// takeRequest is a ticket being asked for, step by step.
type takeRequest struct {
	svc      queue.Service
	priority queue.Priority
	id       string
}

func (k *Kiosk) takeService(svc queue.Service) {
	r := &takeRequest{svc: svc, priority: queue.Priority{Class: queue.ClassNormal}}
	switch {
	case svc.PriorityAllowed:
		k.takePriority(r)
	case svc.OnePerCitizen:
		k.takeID(r)
	default:
		k.takeConfirm(r)
	}
}

// takePriority asks whether the citizen declares a priority.
func (k *Kiosk) takePriority(r *takeRequest) {
	k.show(screen{name: "take.priority", form: true, build: func() fyne.CanvasObject {
		next := func(p queue.Priority) func() {
			return k.tap(func() {
				r.priority = p
				if r.svc.OnePerCitizen {
					k.takeID(r)
				} else {
					k.takeConfirm(r)
				}
			})
		}
		tiles := []fyne.CanvasObject{newTile(k.t("kiosk.priority.normal"), k.t("kiosk.priority.normal.sub"), tilePrimary, next(queue.Priority{Class: queue.ClassNormal}))}
		var reasons []fyne.CanvasObject
		for _, reason := range queue.PriorityReasons {
			reasons = append(reasons, newTile(k.t("kiosk.priority."+reason), "", tileNormal, next(queue.Priority{Class: queue.ClassPriority, Reason: reason})))
		}
		cols := 2
		if k.elder {
			cols = 1
		}
		return container.NewVBox(
			heading(r.svc.Name(string(k.lang))),
			centred(k.t("kiosk.priority.question")),
			tiles[0],
			container.NewGridWithColumns(cols, reasons...),
			centred(k.t("kiosk.priority.note")),
		)
	}})
}

// takeID asks for the resident ID number where a service allows one
// waiting ticket per citizen.
func (k *Kiosk) takeID(r *takeRequest) {
	k.show(screen{name: "take.id", form: true, build: func() fyne.CanvasObject {
		next := newTile(k.t("kiosk.next"), "", tilePrimary, nil)
		next.setDisabled(true)
		pad, display, keys := k.newKeypad(keysID, 18, false, func(v string) {
			next.setDisabled(len(v) != 18)
		})
		next.onTap = k.tap(func() {
			r.id = pad.value
			k.takeConfirm(r)
		})
		next.tall = true
		return container.NewBorder(container.NewVBox(heading(k.t("kiosk.id.title")), centred(k.t("kiosk.id.hint")), display),
			next, nil, nil, keys)
	}})
}

// priorityText is how a priority is named on the confirmation.
func (k *Kiosk) priorityText(p queue.Priority) string {
	if p.Class == queue.ClassPriority {
		return k.t("kiosk.priority." + p.Reason)
	}
	return k.t("kiosk.priority.normal")
}

// takeConfirm shows what will be issued.
func (k *Kiosk) takeConfirm(r *takeRequest) {
	k.show(screen{name: "take.confirm", form: true, build: func() fyne.CanvasObject {
		rows := []fyne.CanvasObject{
			heading(k.t("kiosk.confirm.title")),
			big(k.t("kiosk.confirm.service", r.svc.Code, r.svc.Name(string(k.lang)))),
			big(k.t("kiosk.confirm.priority", k.priorityText(r.priority))),
		}
		if r.id != "" {
			rows = append(rows, big(k.t("kiosk.confirm.id", maskID(r.id))))
		}
		ok := newTile(k.t("kiosk.confirm.ok"), "", tilePrimary, k.tap(func() { k.issue(r) }))
		ok.tall, ok.big = true, true
		return container.NewBorder(nil, ok, nil, nil, container.NewVBox(rows...))
	}})
}

// issue takes the number and prints it.
func (k *Kiosk) issue(r *takeRequest) {
	req := hall.IssueRequest{Service: r.svc.Code, Priority: r.priority, CitizenID: r.id, Print: true}
	lang := k.lang
	k.printing(r.svc, func(ctx context.Context) (hall.Issued, error) { return k.b.TakeNumber(ctx, req, lang) })
}

// maskID hides all but the first four and last four characters.
func maskID(id string) string {
	if len(id) <= 8 {
		return id
	}
	b := []byte(id)
	for i := 4; i < len(b)-4; i++ {
		b[i] = '*'
	}
	return string(b)
}

package kiosk

import (
	"context"
	"fmt"
	"sort"

	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/catalogue"
)

// Screens are the names ShowScreen accepts, for screenshots and demos.
var Screens = []string{
	"home", "home.en", "home.elder", "take", "take.priority", "take.id", "take.confirm",
	"ticket", "ticket.unprinted", "guides", "guides.dept", "guide", "guides.search",
	"progress", "progress.result", "progress.notfound", "checkin", "staff.pin", "staff",
}

// ShowScreen opens a screen by name with demo content, as cmd/kiosk's
// --screen flag does for screenshots. "ticket" really takes a number (of
// service H) and prints it; "progress.result" needs the demo case
// QS2026110001 with check code 1234 (see cmd/kiosk's demo seed).
func (k *Kiosk) ShowScreen(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), k.opt.CallTimeout)
	defer cancel()
	svc := func(code string) (queue.Service, error) {
		s, ok := k.svcs[code]
		if !ok {
			return s, fmt.Errorf("kiosk: no service %s for screen %s", code, name)
		}
		return s, nil
	}
	item := func() (catalogue.Item, error) {
		c, err := k.b.Catalogue(ctx)
		if err != nil {
			return catalogue.Item{}, err
		}
		items := c.ByService("A")
		if len(items) == 0 {
			return catalogue.Item{}, fmt.Errorf("kiosk: empty catalogue")
		}
		sort.Slice(items, func(i, j int) bool { return items[i].Code < items[j].Code })
		return items[0], nil
	}
	switch name {
	case "home":
		k.Home()
	case "home.en":
		k.lang = i18n.EN
		k.Home()
	case "home.elder":
		k.elder = true
		k.Home()
	case "take":
		k.TakeNumber()
	case "take.priority", "take.id", "take.confirm":
		s, err := svc("C")
		if err != nil {
			return err
		}
		r := &takeRequest{svc: s, priority: queue.Priority{Class: queue.ClassPriority, Reason: "elderly"}}
		switch name {
		case "take.priority":
			k.takePriority(r)
		case "take.id":
			k.takeID(r)
		default:
			r.id = "330102198001011234"
			k.takeConfirm(r)
		}
	case "ticket", "ticket.unprinted":
		s, err := svc("H")
		if err != nil {
			return err
		}
		k.issue(&takeRequest{svc: s, priority: queue.Priority{Class: queue.ClassNormal}})
	case "guides":
		k.Guides()
	case "guides.dept", "guide":
		it, err := item()
		if err != nil {
			return err
		}
		if name == "guide" {
			k.guide(it)
		} else {
			k.guidesIn(it.Department.ZH, 0)
		}
	case "guides.search":
		k.guideSearch()
	case "progress":
		k.Progress()
	case "progress.result":
		c, err := k.b.LookupCase(ctx, "QS2026110001", "1234")
		if err != nil {
			return err
		}
		k.progressResult(c)
	case "progress.notfound":
		_, err := k.b.LookupCase(ctx, "QS2026119999", "0000")
		k.progressFailed(err)
	case "checkin":
		k.CheckIn()
	case "staff.pin":
		k.staffPIN()
	case "staff":
		k.Staff()
	default:
		return fmt.Errorf("kiosk: no screen %q (%v)", name, Screens)
	}
	return nil
}

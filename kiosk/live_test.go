package kiosk

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"hallq/assets/i18n"
)

// scrollOf returns the scroll container on the window.
func scrollOf(t testing.TB, w fyne.Window) *container.Scroll {
	t.Helper()
	for _, o := range objects(w) {
		if s, ok := o.(*container.Scroll); ok {
			return s
		}
	}
	t.Fatal("no scroll on the screen")
	return nil
}

// noFollowers fails when a goroutine of a screen's watch still runs.
// Leaving a screen waits for them, so there is nothing to wait for here.
func noFollowers(t testing.TB) {
	t.Helper()
	for _, g := range strings.Split(stacks(), "\n\n") {
		for _, fn := range []string{"hallq/kiosk.follow[", "hallq/kiosk.queueSignals", "hallq/kiosk.latest[", "(*Remote).WatchQueue"} {
			if strings.Contains(g, fn) {
				t.Fatalf("a watch still runs after the screen was left:\n%s", g)
			}
		}
	}
}

// The take list follows the hall while it is open: a ticket issued at
// another kiosk raises the count on the tile in place (the scroll stays
// where the citizen put it), a service paused by staff turns its tile off
// with the reason, and leaving the screen ends the watch.
func TestTakeListFollowsTheHall(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	w.Resize(fyne.NewSize(1080, 700)) // a list longer than the screen
	tapTile(t, w, "取号")
	wantScreen(t, k, "take")
	h := findTile(t, w, "H  综合窗口")
	if h.sub != i18n.T(i18n.ZH, "kiosk.take.nowait") {
		t.Fatalf("H before: %q", h.sub)
	}
	sc := scrollOf(t, w)
	sc.ScrollToBottom()
	at := sc.Offset
	if at.Y == 0 {
		t.Fatal("the list does not scroll at this size")
	}

	f.issueElsewhere("H")
	f.issueElsewhere("H")
	updateUntil(t, k, "H has two waiting", func() bool { return strings.HasPrefix(h.sub, "等候 2 人") })
	if findTile(t, w, "H  综合窗口") != h {
		t.Fatal("the tile was rebuilt rather than updated")
	}
	if scrollOf(t, w) != sc || sc.Offset != at {
		t.Fatalf("scroll moved from %v to %v", at, sc.Offset)
	}

	f.SetServiceOpen(context.Background(), "H", false) // staff, elsewhere
	updateUntil(t, k, "H paused", func() bool { return h.disabled })
	if h.sub != i18n.T(i18n.ZH, "kiosk.take.paused") {
		t.Fatalf("paused H says %q", h.sub)
	}
	issued := len(f.tickets)
	tapTile(t, w, "E  企业开办") // the others still work
	wantScreen(t, k, "take.confirm")
	if f.watches() != 0 {
		t.Fatalf("%d watches open after leaving the list", f.watches())
	}
	noFollowers(t)
	if len(f.tickets) != issued {
		t.Fatal("a ticket was issued by looking")
	}
}

// A category of several services and its page follow the hall as the
// list does; switching the language rebuilds the screen with one watch,
// not two.
func TestTakeCategoryFollowsAndRebuildsOnce(t *testing.T) {
	f := newFake(monday10, false)
	f.cfg.Services[0].Category, f.cfg.Services[1].Category = "社保医保", "社保医保" // A and B
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	tapTile(t, w, "取号")
	k.SetLang(i18n.EN)
	k.SetLang(i18n.ZH)
	if n := f.watches(); n != 1 {
		t.Fatalf("%d watches after two re-renders, want 1", n)
	}
	cat := findTile(t, w, "社保医保")
	f.issueElsewhere("A")
	updateUntil(t, k, "the category counts one", func() bool { return cat.sub == i18n.T(i18n.ZH, "kiosk.take.category.sub", 2, 1) })

	tapTile(t, w, "社保医保")
	wantScreen(t, k, "take.category")
	b := findTile(t, w, "B  ")
	f.issueElsewhere("B")
	updateUntil(t, k, "B has one waiting", func() bool { return strings.HasPrefix(b.sub, "等候 1 人") })
	if n := f.watches(); n != 1 {
		t.Fatalf("%d watches on the category page, want 1", n)
	}
	k.Home()
	if f.watches() != 0 {
		t.Fatalf("%d watches open at home", f.watches())
	}
	noFollowers(t)
}

// Staff mode follows the printer: paper out shows without a tap, and
// paper back too.
func TestStaffFollowsThePrinter(t *testing.T) {
	f := newFake(monday10, false)
	k, w := newTestKiosk(t, f, f.Now, i18n.ZH)
	k.Staff()
	paperOut := i18n.T(i18n.ZH, "kiosk.staff.printer.state", i18n.T(i18n.ZH, "kiosk.printer.paper_out"))
	if strings.Contains(shown(w), paperOut) {
		t.Fatal("paper out before it ran out")
	}
	f.setPaperOut(true)
	updateUntil(t, k, "paper out", func() bool { return strings.Contains(shown(w), paperOut) })
	f.setPaperOut(false)
	updateUntil(t, k, "paper back", func() bool { return !strings.Contains(shown(w), paperOut) })
	findTile(t, w, "已换新纸卷") // the buttons are still there
	k.Home()
	if f.watches() != 0 {
		t.Fatalf("%d watches open after staff mode", f.watches())
	}
	noFollowers(t)
}

// stacks returns every goroutine's stack.
func stacks() string {
	buf := make([]byte, 4<<20)
	return string(buf[:runtime.Stack(buf, true)])
}

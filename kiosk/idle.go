package kiosk

import (
	"time"
)

// Run starts the idle timer; it returns when Stop is called. cmd/kiosk
// runs it in a goroutine; every tick reaches the UI through fyne.Do.
func (k *Kiosk) Run() {
	k.mu.Lock()
	if k.stop != nil {
		k.mu.Unlock()
		return
	}
	stop := make(chan struct{})
	k.stop = stop
	k.mu.Unlock()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	var changed <-chan struct{}
	if w, ok := k.b.(Watcher); ok {
		ch, unwatch := w.Watch()
		defer unwatch()
		changed = ch
	}
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			k.ui(k.idleTick)
		case <-changed:
			k.ui(k.backendChanged)
		}
	}
}

// backendChanged follows the backend: a LAN kiosk's node went away or
// came back. Home says so at once; a citizen on another screen is not
// interrupted (home is rebuilt when they come back).
func (k *Kiosk) backendChanged() {
	k.loadHall()
	if k.cur.name == "home" {
		k.render()
	}
}

// Stop ends Run and what the shown screen follows.
func (k *Kiosk) Stop() {
	k.mu.Lock()
	if k.stop != nil {
		close(k.stop)
		k.stop = nil
	}
	k.mu.Unlock()
	k.leaveScreen()
}

// homeRefresh is how often an untouched home screen is rebuilt.
const homeRefresh = 30 * time.Second

// idleTick returns home when nobody touched the screen for Options.Idle,
// and updates the countdown on forms.
func (k *Kiosk) idleTick() {
	now := k.opt.Now()
	if k.cur.name == "home" {
		// Home reflects the hall: issuing opens in the morning, staff
		// pause a service. Refresh it while nobody is using it.
		if now.Sub(k.shownAt) >= homeRefresh && now.Sub(k.last) >= homeRefresh {
			k.render()
		}
		return
	}
	idle := k.opt.Idle
	if k.cur.idle > 0 && k.cur.idle < idle {
		idle = k.cur.idle
	}
	left := idle - now.Sub(k.last)
	if left <= 0 {
		k.opt.Logf("kiosk %s: idle on %s, back home", k.opt.KioskID, k.cur.name)
		// The next citizen starts afresh: default language, standard mode.
		k.lang, k.elder = k.opt.Lang, false
		k.Home()
		return
	}
	if k.countdn != nil {
		k.countdn(left)
	}
}

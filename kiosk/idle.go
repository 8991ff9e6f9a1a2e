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
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			k.ui(k.idleTick)
		}
	}
}

// Stop ends Run.
func (k *Kiosk) Stop() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stop != nil {
		close(k.stop)
		k.stop = nil
	}
}

// idleTick returns home when nobody touched the screen for Options.Idle,
// and updates the countdown on forms.
func (k *Kiosk) idleTick() {
	if k.cur.name == "home" {
		return
	}
	left := k.opt.Idle - k.opt.Now().Sub(k.last)
	if left <= 0 {
		k.opt.Logf("kiosk %s: idle on %s, back home", k.opt.KioskID, k.cur.name)
		k.Home()
		return
	}
	if k.countdn != nil {
		k.countdn(left)
	}
}

package kiosk

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"hallq/assets/i18n"
	"hallq/queue"
)

// Options configure a Kiosk.
type Options struct {
	KioskID string
	Lang    i18n.Lang
	// Idle is how long a screen other than home stays without a touch
	// before the kiosk returns home [60 s].
	Idle time.Duration
	// Now is the clock [time.Now]; tests inject a fake one.
	Now func() time.Time
	// PIN guards staff mode; nil disables staff mode.
	PIN *PINLock
	// Quit leaves the kiosk (staff mode); nil hides the button.
	Quit func()
	// Inline runs backend calls on the calling goroutine, so tests are
	// deterministic. Production leaves it false: calls run in goroutines
	// and their results reach widgets through fyne.Do.
	Inline bool
	// Logf receives error details and events [log.Printf].
	Logf func(format string, args ...any)
	// CallTimeout bounds one backend call [30 s].
	CallTimeout time.Duration
}

// Kiosk is the kiosk UI in one window.
type Kiosk struct {
	w   fyne.Window
	b   Backend
	opt Options

	lang  i18n.Lang
	elder bool

	cur     screen // the screen shown
	gen     int    // navigation generation; results for older ones are dropped
	hallZH  string
	hallEN  string
	loc     *time.Location
	svcs    map[string]queue.Service
	taps    []time.Time // staff gesture
	last    time.Time   // last touch
	shownAt time.Time   // when the screen was rendered
	countdn func(left time.Duration)

	mu        sync.Mutex // guards stop and leave
	stop      chan struct{}
	leave     []func()    // stops what the shown screen follows (live.go)
	inbox     chan func() // Inline mode: live updates for the test to apply
	staffNote string      // shown once on the next staff screen

	building bool     // a screen is being built (Inline mode)
	pending  []func() // Inline mode: results to apply once it is shown
}

// screen is one screen: a name (for tests and --screen), whether it is a
// form (shows the idle countdown), and a builder.
type screen struct {
	name  string
	form  bool
	idle  time.Duration // overrides Options.Idle (a shown ticket goes home sooner)
	build func() fyne.CanvasObject
}

// New shows the home screen of a kiosk in w.
func New(w fyne.Window, b Backend, opt Options) *Kiosk {
	if opt.Idle <= 0 {
		opt.Idle = 60 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logf == nil {
		opt.Logf = log.Printf
	}
	if opt.CallTimeout <= 0 {
		opt.CallTimeout = 30 * time.Second
	}
	if opt.Lang == "" {
		opt.Lang = i18n.ZH
	}
	k := &Kiosk{w: w, b: b, opt: opt, lang: opt.Lang, last: opt.Now(), inbox: make(chan func())}
	k.loadHall()
	k.Home()
	return k
}

// Screen returns the name of the screen shown.
func (k *Kiosk) Screen() string { return k.cur.name }

// Lang returns the language shown.
func (k *Kiosk) Lang() i18n.Lang { return k.lang }

func (k *Kiosk) t(id string, args ...any) string { return i18n.T(k.lang, id, args...) }

func (k *Kiosk) loadHall() {
	ctx, cancel := context.WithTimeout(context.Background(), k.opt.CallTimeout)
	defer cancel()
	k.loc = time.Local
	cfg, loc, err := k.b.Hall(ctx)
	if err != nil {
		k.opt.Logf("kiosk: hall config: %v", err)
		return
	}
	k.hallZH, k.hallEN, k.loc = cfg.NameZH, cfg.NameEN, loc
	k.svcs = map[string]queue.Service{}
	for _, s := range cfg.Services {
		k.svcs[s.Code] = s
	}
}

func (k *Kiosk) hallName() string {
	if k.lang == i18n.EN && k.hallEN != "" {
		return k.hallEN
	}
	if k.hallZH == "" {
		return k.t("kiosk.title")
	}
	return k.hallZH
}

// show replaces the window's content with s.
func (k *Kiosk) show(s screen) {
	k.gen++
	k.cur = s
	k.countdn = nil
	k.last = k.opt.Now()
	k.render()
}

// render builds the current screen inside the kiosk frame.
func (k *Kiosk) render() {
	k.leaveScreen()
	k.shownAt = k.opt.Now()
	k.building = true
	content := k.cur.build()
	k.building = false
	var top fyne.CanvasObject = newTapCounter(text(k.hallName(), theme.SizeNameHeadingText, theme.ColorNameForegroundOnPrimary, fyne.TextAlignCenter), k.hallTapped)
	top = band(colHeaderBar, top)

	var foot []fyne.CanvasObject
	if k.cur.name != "home" {
		foot = append(foot, newTile(k.t("kiosk.home"), "", tileQuiet, k.tap(k.Home)))
	} else {
		foot = append(foot, layout.NewSpacer())
	}
	if k.cur.form {
		cd := text("", theme.SizeNameText, theme.ColorNameForeground, fyne.TextAlignCenter)
		k.countdn = func(left time.Duration) {
			setText(cd, k.t("kiosk.idle.countdown", int((left+time.Second-1)/time.Second)))
		}
		k.countdn(k.opt.Idle)
		foot = append(foot, cd)
	} else {
		foot = append(foot, layout.NewSpacer())
	}
	other := i18n.EN
	if k.lang == i18n.EN {
		other = i18n.ZH
	}
	foot = append(foot, newTile(i18n.T(other, "kiosk.lang.switch"), "", tileQuiet, k.tap(func() { k.SetLang(other) })))
	bottom := container.NewGridWithColumns(3, foot...)

	frame := container.NewBorder(top, container.NewPadded(bottom), nil, nil,
		container.NewPadded(content))
	// Setting a theme re-parses the fonts and re-lays out every window:
	// only when elder mode changes.
	if th, ok := fyne.CurrentApp().Settings().Theme().(kioskTheme); !ok || th.elder != k.elder {
		fyne.CurrentApp().Settings().SetTheme(kioskTheme{elder: k.elder})
	}
	k.w.SetContent(frame)
	pending := k.pending
	k.pending = nil
	for _, f := range pending {
		f()
	}
}

// SetLang switches the language and re-renders the current screen.
func (k *Kiosk) SetLang(l i18n.Lang) {
	k.lang = l
	k.touched()
	k.render()
}

// SetElder switches elder mode (larger type, fewer items per screen).
func (k *Kiosk) SetElder(on bool) {
	k.elder = on
	k.touched()
	k.render()
}

// touched records a touch for the idle timer.
func (k *Kiosk) touched() { k.last = k.opt.Now() }

// tap wraps a button action so that it counts as a touch.
func (k *Kiosk) tap(f func()) func() {
	return func() {
		k.touched()
		f()
	}
}

// hallTapped counts taps on the hall name: five within three seconds
// open the staff PIN screen.
func (k *Kiosk) hallTapped() {
	now := k.opt.Now()
	k.touched()
	keep := k.taps[:0]
	for _, t := range k.taps {
		if now.Sub(t) < 3*time.Second {
			keep = append(keep, t)
		}
	}
	k.taps = append(keep, now)
	if len(k.taps) >= 5 && k.opt.PIN != nil {
		k.taps = nil
		k.staffPIN()
	}
}

// background runs work off the UI goroutine and hands its result to done
// on the UI goroutine, unless the citizen has left the screen meanwhile.
func background[T any](k *Kiosk, work func(ctx context.Context) (T, error), done func(T, error)) {
	gen := k.gen
	run := func() {
		ctx, cancel := context.WithTimeout(context.Background(), k.opt.CallTimeout)
		defer cancel()
		v, err := work(ctx)
		k.ui(func() {
			if k.gen != gen {
				return
			}
			done(v, err)
			k.relayout()
		})
	}
	if k.opt.Inline {
		if k.building {
			k.pending = append(k.pending, run) // after the screen is on the window
			return
		}
		run()
		return
	}
	go run()
}

// ui runs f on the UI goroutine.
func (k *Kiosk) ui(f func()) {
	if k.opt.Inline {
		f()
		return
	}
	fyne.Do(f)
}

// errText is the citizen's sentence for err; the detail goes to the log.
func (k *Kiosk) errText(op string, err error) string {
	code := queue.ErrorCode(err)
	k.opt.Logf("kiosk %s: %s: %v", k.opt.KioskID, op, err)
	if errors.Is(err, ErrNodeUnreachable) {
		return k.t("kiosk.offline.error")
	}
	id := "error." + string(code)
	if !i18n.Has(id) {
		id = "error.internal"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		id = "kiosk.error.timeout"
	}
	return k.t(id)
}

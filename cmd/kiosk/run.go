package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"hallq/assets/i18n"
	"hallq/devices/escpos"
	"hallq/kiosk"
)

// DefaultPIN is the staff PIN a new data directory gets; the log says to
// change it (kiosk --set-pin).
const DefaultPIN = "2468"

// Main is the kiosk program: flags, then Run.
type Main struct {
	Data     string
	Printer  string
	Profile  string
	KioskID  string
	Idle     time.Duration
	Lang     string
	Windowed bool
	Screen   string
	SetPIN   string
	Bench    int
	// StartedAt is when the process started, for the start-up time log.
	StartedAt time.Time
}

// ParseFlags reads the command line.
func ParseFlags(args []string) (*Main, error) {
	m := &Main{StartedAt: time.Now()}
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.StringVar(&m.Data, "data", "var/kiosk", "data directory of the embedded hall node; an empty one becomes the demo hall")
	fs.StringVar(&m.Printer, "printer", "", "serial port of the ticket printer (/dev/ttyUSB0); empty: the virtual printer, tickets saved to DATA/printed/")
	fs.StringVar(&m.Profile, "profile", escpos.Generic80.Name, "printer profile (generic-80, generic-58, generic-80-raster)")
	fs.StringVar(&m.KioskID, "kiosk-id", "k1", "this kiosk's id in the hall's events")
	fs.DurationVar(&m.Idle, "idle", 60*time.Second, "return home after this long without a touch")
	fs.StringVar(&m.Lang, "lang", "zh-CN", "language at start (zh-CN, en)")
	fs.BoolVar(&m.Windowed, "windowed", false, "a normal window instead of fullscreen (development)")
	fs.StringVar(&m.Screen, "screen", "", "open this screen at start, for screenshots: "+strings.Join(kiosk.Screens, ", "))
	fs.StringVar(&m.SetPIN, "set-pin", "", "store a new staff PIN (hashed) and exit")
	fs.IntVar(&m.Bench, "bench-take", 0, "measurement: take this many numbers through the screens, log memory, quit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if _, ok := escpos.Profiles[m.Profile]; !ok {
		return nil, fmt.Errorf("unknown printer profile %q", m.Profile)
	}
	return m, nil
}

// pinFile holds the staff PIN's bcrypt hash.
func (m *Main) pinFile() string { return filepath.Join(m.Data, "staff-pin.bcrypt") }

// pin loads the staff PIN hash, storing the default on first start.
func (m *Main) pin(set string) ([]byte, error) {
	if set == "" {
		if b, err := os.ReadFile(m.pinFile()); err == nil {
			return b, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		set = DefaultPIN
		log.Printf("kiosk: staff PIN set to the default; change it with kiosk --data %s --set-pin NNNN", m.Data)
	}
	h, err := kiosk.HashPIN(set)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(m.Data, 0o750); err != nil {
		return nil, err
	}
	return h, os.WriteFile(m.pinFile(), h, 0o600)
}

// Run opens the hall and the printer and shows the kiosk until staff
// quit it.
func (m *Main) Run() error {
	if m.SetPIN != "" {
		_, err := m.pin(m.SetPIN)
		return err
	}
	// The live heap is about 30 MB, most of it the parsed CJK font. A
	// soft memory limit and a lower GC target keep the heap near it
	// instead of letting it double between collections on a kiosk that
	// runs for months (docs/bench-notes/kiosk.md).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(64 << 20)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	ctx := context.Background()
	hash, err := m.pin("")
	if err != nil {
		return err
	}
	// The app first, so that parsing the CJK font (the slowest part of
	// start-up) runs while the hall node and the printer open.
	a := app.NewWithID("cn.gov.hallq.kiosk")
	warm := make(chan struct{})
	go func() {
		defer close(warm)
		fyne.MeasureText("政务 A1", 20, fyne.TextStyle{})
	}()
	phase := time.Now()
	local, err := kiosk.OpenLocal(ctx, kiosk.LocalConfig{Data: m.Data, Printer: m.Printer, Profile: escpos.Profiles[m.Profile],
		KioskID: m.KioskID, Demo: true, Logf: log.Printf})
	if err != nil {
		return err
	}
	defer local.Close()
	if local.Virtual != nil {
		log.Printf("kiosk: virtual printer on %s, tickets in %s", local.Virtual.Path(), filepath.Join(m.Data, "printed"))
	}

	log.Printf("kiosk: hall node and printer opened in %s", time.Since(phase).Round(time.Millisecond))
	phase = time.Now()
	<-warm
	log.Printf("kiosk: font ready %s later", time.Since(phase).Round(time.Millisecond))
	w := a.NewWindow("hallq kiosk")
	// The kiosk cannot be closed from the screen: staff leave it from
	// staff mode. The window manager's close button does nothing.
	w.SetCloseIntercept(func() { log.Printf("kiosk: close request ignored; use staff mode") })
	w.SetPadded(false)
	if m.Windowed {
		w.Resize(fyne.NewSize(1080/2, 1920/2))
	} else {
		w.SetFullScreen(true)
	}
	k := kiosk.New(w, local, kiosk.Options{KioskID: m.KioskID, Lang: i18n.Parse(m.Lang), Idle: m.Idle,
		PIN: kiosk.NewPINLock(hash, nil), Quit: a.Quit, Logf: log.Printf})
	if m.Screen != "" {
		if err := k.ShowScreen(m.Screen); err != nil {
			return err
		}
	}
	log.Printf("kiosk: home screen built %s after main", time.Since(m.StartedAt).Round(time.Millisecond))
	go k.Run()
	defer k.Stop()
	a.Lifecycle().SetOnStarted(func() {
		now := time.Now()
		log.Printf("kiosk: home screen shown %s after main (unix-ms %d)", now.Sub(m.StartedAt).Round(time.Millisecond), now.UnixMilli())
		// Start-up garbage (font parsing, migrations) is 30 MB: give it back.
		time.AfterFunc(2*time.Second, debug.FreeOSMemory)
	})
	if m.Bench > 0 {
		go benchTake(a, k, m.Bench)
	}
	w.ShowAndRun()
	return nil
}

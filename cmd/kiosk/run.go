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
	"hallq/devices/a4"
	"hallq/devices/escpos"
	"hallq/kiosk"
	"hallq/kiosk/appliance"
	"hallq/queue/replica"
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
	// LAN mode: the hall node's URL and this kiosk's device token.
	Node, Token string
	// A4 is "cups:PRINTER" or "dir:PATH"; "" for no A4 printer; a4 is
	// that printer, read once by ParseFlags.
	A4 string
	a4 a4.Printer
	// Central and CentralToken run replication in embedded mode.
	Central, CentralToken, CentralCA string
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
	fs.StringVar(&m.Node, "node", "", "LAN mode: the hall node's URL (http://10.0.0.2:8080) instead of the embedded node")
	fs.StringVar(&m.Token, "token", os.Getenv("HALLQ_KIOSK_TOKEN"), "LAN mode: this kiosk's device token from `hallq device add --kind kiosk` (env HALLQ_KIOSK_TOKEN)")
	fs.StringVar(&m.A4, "a4", "", "A4 printer for full guides: cups:PRINTER (lp -d PRINTER) or dir:PATH (a folder of PDFs); empty: none")
	fs.StringVar(&m.Central, "central", "", "embedded mode: the centre's URL; the kiosk replicates with it in the background")
	fs.StringVar(&m.CentralToken, "central-token", os.Getenv("HALLQ_CENTRAL_TOKEN"), "the node's credential from `central node add` (env HALLQ_CENTRAL_TOKEN)")
	fs.StringVar(&m.CentralCA, "central-ca", "", "PEM file of the CA that signed the centre's certificate (default: the system's)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if _, ok := escpos.Profiles[m.Profile]; !ok {
		return nil, fmt.Errorf("unknown printer profile %q", m.Profile)
	}
	// The tokens may come from the environment, which an embedded kiosk
	// may share with other hallq processes: only a token given on the
	// command line without its URL is a mistake.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if (m.Node != "" && m.Token == "") || (m.Node == "" && given["token"]) {
		return nil, fmt.Errorf("LAN mode needs both --node and --token")
	}
	if m.Node != "" && m.Central != "" {
		return nil, fmt.Errorf("--central is for the embedded node; a LAN kiosk's node syncs itself (hallq sync)")
	}
	if (m.Central != "" && m.CentralToken == "") || (m.Central == "" && given["central-token"]) {
		return nil, fmt.Errorf("sync needs both --central and --central-token")
	}
	var err error
	if m.a4, err = a4Printer(m.A4); err != nil {
		return nil, err
	}
	return m, nil
}

// a4Printer reads --a4: cups:PRINTER or dir:PATH.
func a4Printer(spec string) (a4.Printer, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	switch {
	case spec == "":
		return nil, nil
	case kind == "cups" && arg != "":
		return a4.New(arg, ""), nil
	case kind == "dir" && arg != "":
		return a4.New("", arg), nil
	}
	return nil, fmt.Errorf("--a4 %q: want cups:PRINTER or dir:PATH", spec)
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
	appliance.MemoryBudget()
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
	b, closeB, err := m.open(ctx)
	if err != nil {
		return err
	}
	defer closeB()
	log.Printf("kiosk: hall node and printer opened in %s", time.Since(phase).Round(time.Millisecond))
	phase = time.Now()
	<-warm
	log.Printf("kiosk: font ready %s later", time.Since(phase).Round(time.Millisecond))
	w := a.NewWindow("hallq kiosk")
	// The kiosk cannot be closed from the screen: staff leave it from
	// staff mode.
	appliance.Screen(w, m.Windowed, fyne.NewSize(1080/2, 1920/2), func() { log.Printf("kiosk: close request ignored; use staff mode") })
	k := kiosk.New(w, b, kiosk.Options{KioskID: m.KioskID, Lang: i18n.Parse(m.Lang), Idle: m.Idle,
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

// open opens the backend: the embedded hall node (syncing with the centre
// when --central is set), or the hall node on the LAN with --node.
func (m *Main) open(ctx context.Context) (kiosk.Backend, func(), error) {
	profile := escpos.Profiles[m.Profile]
	if m.Node != "" {
		r, err := kiosk.OpenRemote(ctx, kiosk.RemoteConfig{Node: m.Node, Token: m.Token, Data: m.Data, Printer: m.Printer,
			Profile: profile, KioskID: m.KioskID, A4: m.a4, Logf: log.Printf})
		if err != nil {
			return nil, nil, err
		}
		if r.Virtual != nil {
			log.Printf("kiosk: virtual printer on %s, tickets in %s", r.Virtual.Path(), filepath.Join(m.Data, "printed"))
		}
		log.Printf("kiosk: LAN mode, hall node %s, local copy in %s", m.Node, filepath.Join(m.Data, "copy"))
		return r, func() { r.Close() }, nil
	}
	local, err := kiosk.OpenLocal(ctx, kiosk.LocalConfig{Data: m.Data, Printer: m.Printer, Profile: profile,
		KioskID: m.KioskID, Demo: true, A4: m.a4, Logf: log.Printf})
	if err != nil {
		return nil, nil, err
	}
	if local.Virtual != nil {
		log.Printf("kiosk: virtual printer on %s, tickets in %s", local.Virtual.Path(), filepath.Join(m.Data, "printed"))
	}
	stop := func() {}
	if m.Central != "" {
		stop, err = local.StartSync(replica.Config{Central: m.Central, Token: m.CentralToken, CAFile: m.CentralCA, Log: log.Printf})
		if err != nil {
			local.Close()
			return nil, nil, err
		}
	}
	return local, func() { stop(); local.Close() }, nil
}

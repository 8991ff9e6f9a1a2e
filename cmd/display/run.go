package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"hallq/assets/i18n"
	"hallq/devices/voice"
	"hallq/kiosk/appliance"
	"hallq/kiosk/display"
	"hallq/queue/hall/httpapi"
)

// Main is the display program: flags, then Run.
type Main struct {
	Node     string
	Token    string
	Lang     string
	Voice    bool
	Repeat   int
	English  bool
	Notice   string
	FPS      int
	Windowed bool
}

// ParseFlags reads the command line. The token may come from
// HALLQ_DISPLAY_TOKEN instead, to keep it out of the process list.
func ParseFlags(args []string) (*Main, error) {
	m := &Main{}
	fs := flag.NewFlagSet("display", flag.ContinueOnError)
	fs.StringVar(&m.Node, "node", "http://127.0.0.1:8080", "the hall node's URL (hallq serve)")
	fs.StringVar(&m.Token, "token", os.Getenv("HALLQ_DISPLAY_TOKEN"), "device token from `hallq device add --kind display` (or HALLQ_DISPLAY_TOKEN)")
	fs.StringVar(&m.Lang, "lang", "zh-CN", "screen language (zh-CN, en)")
	voiceOn := fs.String("voice", "on", "announce calls aloud: on or off (silent anyway without a sound device)")
	fs.IntVar(&m.Repeat, "repeat", 2, "times the Mandarin sentence is said per call")
	fs.BoolVar(&m.English, "english", true, "say each call in English after Mandarin")
	fs.StringVar(&m.Notice, "notice", "", "the scrolling notice line (default: the catalogue's hall notice)")
	fs.IntVar(&m.FPS, "notice-fps", 12, "steps a second of a notice line too long for the screen (5 px each); 0: still")
	fs.BoolVar(&m.Windowed, "windowed", false, "a normal window instead of fullscreen (development)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch *voiceOn {
	case "on":
		m.Voice = true
	case "off":
	default:
		return nil, fmt.Errorf("--voice: want on or off, not %q", *voiceOn)
	}
	if m.Token == "" {
		return nil, errors.New("--token is required: create one with hallq device add --kind display")
	}
	if m.Repeat < 1 || m.Repeat > 5 {
		return nil, fmt.Errorf("--repeat: want 1 to 5, not %d", m.Repeat)
	}
	m.Node = strings.TrimRight(m.Node, "/")
	return m, nil
}

// Run shows the display until SIGTERM or SIGINT.
func (m *Main) Run() error {
	appliance.MemoryBudget()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	a := app.NewWithID("cn.gov.hallq.display")
	a.Driver().SetDisableScreenBlanking(true)
	w := a.NewWindow("hallq display")
	// Nobody closes the hall screen by accident: the service manager stops
	// it with SIGTERM.
	appliance.Screen(w, m.Windowed, fyne.NewSize(1920/2, 1080/2), func() { log.Printf("display: close request ignored; stop the service instead") })
	fps := m.FPS
	if fps <= 0 {
		fps = -1 // the option's zero means the default
	}
	d := display.New(display.Options{Lang: i18n.Parse(m.Lang), Notice: m.Notice, NoticeFPS: fps})
	w.SetContent(d.Content())

	var ann *voice.Announcer
	if m.Voice {
		ann = voice.NewAnnouncer(voice.Detect(log.Printf), log.Printf)
		go ann.Run(ctx)
	}
	feed := &display.Feed{
		Client:   &httpapi.Client{BaseURL: m.Node, Token: m.Token},
		Model:    display.NewModel(d.Rows() + 1),
		OnChange: func(s display.State) { fyne.Do(func() { d.Render(s) }) },
		OnCall: func(c display.Call) {
			log.Printf("display: %s to window %d (recall %v)", c.Number, c.Window, c.Recall)
			if ann != nil {
				ann.Announce(display.Announcement(c, m.Repeat, m.English)...)
			}
		},
		Logf: log.Printf,
	}
	go feed.Run(ctx)
	go d.Animate(ctx)
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	log.Printf("display: following %s", m.Node)
	w.ShowAndRun()
	return nil
}

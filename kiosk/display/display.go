package display

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"hallq/assets/i18n"
)

// Options configure a Display.
type Options struct {
	Lang   i18n.Lang
	Notice string           // the scrolling line; "" is the catalogue's default notice
	Now    func() time.Time // the clock; time.Now by default
	Rows   int              // last calls listed besides the current one; 7 by default
	// NoticeFPS is how many times a second the notice line moves (5 px a
	// step); 12 by default, negative for a still line. Every frame redraws
	// the whole screen, which costs a software-rendered display about 3 %
	// of a core per frame a second (docs/display.md).
	NoticeFPS int
}

// Display is the hall display's screen. Render and Tick run on the UI
// goroutine.
type Display struct {
	opts Options
	root *fyne.Container

	hall, clock              *canvas.Text
	banner                   *fyne.Container
	bannerBG                 *canvas.Rectangle
	bannerText, bannerDetail *canvas.Text
	nowLabel, number, window *canvas.Text
	recentTitle, waitTitle   *canvas.Text
	rows                     []recentRow
	services                 *fyne.Container
	tiles                    []tile
	codes                    string // the services the tiles show
	notice                   *marquee
	state                    State
}

type recentRow struct{ number, window, recall *canvas.Text }

type tile struct{ name, count *canvas.Text }

func text(s string, size float32, c color.Color, align fyne.TextAlign) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.Alignment = align
	return t
}

// vcenter centres o vertically in the space it gets.
func vcenter(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(), o, layout.NewSpacer())
}

func inset(h float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewCustomPaddedLayout(0, 0, h, h), o)
}

// New builds the display's screen. It sets the display's theme on the
// current app, once: setting a theme re-parses the fonts.
func New(opts Options) *Display {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rows == 0 {
		opts.Rows = 7
	}
	if opts.NoticeFPS == 0 {
		opts.NoticeFPS = 12
	}
	if opts.Notice == "" {
		opts.Notice = i18n.T(opts.Lang, "display.notice.default")
	}
	if _, ok := fyne.CurrentApp().Settings().Theme().(displayTheme); !ok {
		fyne.CurrentApp().Settings().SetTheme(displayTheme{})
	}
	d := &Display{opts: opts}
	t := func(id string, args ...any) string { return i18n.T(opts.Lang, id, args...) }

	d.hall = text("", 44, colText, fyne.TextAlignLeading)
	d.clock = text("", 44, colText, fyne.TextAlignTrailing)
	bar := container.NewStack(canvas.NewRectangle(colBar),
		inset(48, container.NewBorder(nil, nil, nil, vcenter(d.clock), vcenter(d.hall))))

	d.bannerBG = canvas.NewRectangle(colConnecting)
	d.bannerText = text("", 52, colText, fyne.TextAlignCenter)
	d.bannerDetail = text("", 26, colText, fyne.TextAlignCenter)
	d.banner = container.NewStack(d.bannerBG, vcenter(container.NewVBox(d.bannerText, d.bannerDetail)))
	// The banner covers the header instead of pushing the screen down:
	// the layout fills 1080 lines exactly.
	header := minHeight(120, bar, d.banner)

	d.nowLabel = text(t("display.now"), 56, colMuted, fyne.TextAlignCenter)
	d.number = text("", 300, colNumber, fyne.TextAlignCenter)
	d.window = text("", 100, colText, fyne.TextAlignCenter)
	if opts.Lang == i18n.EN {
		d.window.TextSize = 88 // "Please go to window 12" is longer
	}
	calling := vcenter(container.NewVBox(d.nowLabel, d.number, d.window))

	d.recentTitle = text(t("display.recent"), 44, colMuted, fyne.TextAlignLeading)
	list := container.NewVBox(minHeight(64, vcenter(d.recentTitle)))
	for range opts.Rows {
		r := recentRow{number: text("", 56, colNumber, fyne.TextAlignLeading),
			window: text("", 52, colText, fyne.TextAlignTrailing),
			recall: text("", 34, colMuted, fyne.TextAlignCenter)}
		d.rows = append(d.rows, r)
		list.Add(minHeight(78, container.NewBorder(nil, nil, vcenter(r.number), vcenter(r.window), vcenter(r.recall))))
	}
	recent := container.NewStack(canvas.NewRectangle(colPanel), inset(40, list))

	d.waitTitle = text(t("display.waiting.title"), 40, colMuted, fyne.TextAlignLeading)
	d.services = container.NewGridWithColumns(4)
	waitBox := minHeight(0, canvas.NewRectangle(colPanel),
		inset(40, container.NewVBox(minHeight(64, vcenter(d.waitTitle)), d.services, minHeight(12))))

	d.notice = newMarquee(text(opts.Notice, 44, colText, fyne.TextAlignLeading))
	noticeBar := minHeight(84, canvas.NewRectangle(colNotice), d.notice.box)

	middle := container.New(&split{left: 0.6, gap: 24}, calling, recent)
	bottom := container.NewVBox(waitBox, noticeBar)
	d.root = container.NewBorder(header, bottom, nil, nil,
		container.New(layout.NewCustomPaddedLayout(16, 16, 0, 24), middle))
	d.Render(State{})
	d.Tick()
	return d
}

// Content is the screen to put in a window.
func (d *Display) Content() fyne.CanvasObject { return d.root }

// State is the state last rendered.
func (d *Display) State() State { return d.state }

// Render shows s.
func (d *Display) Render(s State) {
	d.state = s
	d.Tick()
	t := func(id string, args ...any) string { return i18n.T(d.opts.Lang, id, args...) }
	d.hall.Text = s.Hall
	switch s.Conn {
	case Live:
		d.banner.Hide()
	case Connecting:
		d.bannerBG.FillColor = colConnecting
		d.bannerText.Text, d.bannerDetail.Text = t("display.connecting"), ""
		d.banner.Show()
	case Lost:
		d.bannerBG.FillColor = colLost
		d.bannerText.Text, d.bannerDetail.Text = t("display.lost"), t("display.lost.detail")
		d.banner.Show()
	}
	// What was shown before the link dropped stays, in grey: it may be
	// out of date.
	numCol := color.Color(colNumber)
	if s.Conn != Live {
		numCol = colMuted
	}
	if c, ok := s.Current(); ok {
		d.nowLabel.Text = t("display.now")
		if c.Recall {
			d.nowLabel.Text = t("display.now.recall")
		}
		d.number.Text = c.Number
		d.window.Text = t("display.call.window", c.Window)
	} else {
		d.nowLabel.Text, d.number.Text, d.window.Text = t("display.now"), "", t("display.none")
	}
	d.number.Color = numCol
	for i, r := range d.rows {
		r.number.Text, r.window.Text, r.recall.Text = "", "", ""
		if i+1 < len(s.Recent) {
			c := s.Recent[i+1]
			r.number.Text, r.window.Text = c.Number, t("display.window", c.Window)
			if c.Recall {
				r.recall.Text = t("display.recall")
			}
		}
		r.number.Color = numCol
	}
	d.renderServices(s.Services, numCol)
	d.root.Refresh()
}

func (d *Display) renderServices(svs []Service, numCol color.Color) {
	codes := ""
	for _, sv := range svs {
		codes += sv.Code + ","
	}
	if codes != d.codes {
		// The hall's services changed (or first render): new tiles.
		d.codes, d.tiles = codes, nil
		d.services.RemoveAll()
		// Two rows, however many services: the screen has no room for more.
		d.services.Layout = layout.NewGridLayoutWithColumns(max(4, (len(svs)+1)/2))
		for range svs {
			size := float32(38)
			if d.opts.Lang == i18n.EN {
				size = 30 // "Real Estate Registration"
			}
			tl := tile{name: text("", size, colText, fyne.TextAlignLeading), count: text("", 46, colNumber, fyne.TextAlignTrailing)}
			d.tiles = append(d.tiles, tl)
			d.services.Add(minHeight(66, inset(16, container.NewBorder(nil, nil, nil, vcenter(tl.count), vcenter(tl.name)))))
		}
	}
	for i, sv := range svs {
		name := sv.NameZH
		if d.opts.Lang == i18n.EN && sv.NameEN != "" {
			name = sv.NameEN
		}
		d.tiles[i].name.Text = name
		d.tiles[i].count.Text = i18n.T(d.opts.Lang, "display.waiting", sv.Waiting)
		d.tiles[i].count.Color = numCol
	}
}

// Tick sets the clock and moves the notice line one step.
func (d *Display) Tick() {
	now := d.opts.Now()
	if d.state.Zone != nil {
		now = now.In(d.state.Zone)
	}
	if c := now.Format("2006-01-02  15:04"); c != d.clock.Text {
		d.clock.Text = c
		d.clock.Refresh()
	}
}

// Animate moves the notice line and keeps the clock until ctx ends; it
// runs on its own goroutine and touches widgets only through fyne.Do.
func (d *Display) Animate(ctx context.Context) {
	every := time.Second
	if d.opts.NoticeFPS > 0 {
		every = time.Second / time.Duration(d.opts.NoticeFPS)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			fyne.Do(func() {
				if d.opts.NoticeFPS > 0 {
					d.notice.step(5)
				}
				d.Tick()
			})
		}
	}
}

// Rows is how many last calls the screen lists besides the current one.
func (d *Display) Rows() int { return d.opts.Rows }

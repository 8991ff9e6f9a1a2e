package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tileStyle is how a tile looks: an ordinary choice, the primary action of
// a screen, or a quiet secondary action.
type tileStyle int

const (
	tileNormal tileStyle = iota
	tilePrimary
	tileQuiet
	tileDanger
)

// tile is the kiosk's touch target: a large coloured box with a title and
// an optional second line, tappable anywhere, at least sizeNameTarget high.
type tile struct {
	widget.BaseWidget
	title, sub string
	style      tileStyle
	disabled   bool
	big        bool // home screen: heading-size title
	tall       bool // twice the minimum height: lists of choices
	onTap      func()
}

func newTile(title, sub string, style tileStyle, onTap func()) *tile {
	t := &tile{title: title, sub: sub, style: style, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tile) Tapped(*fyne.PointEvent) {
	if t.disabled || t.onTap == nil {
		return
	}
	t.onTap()
}

// setDisabled greys the tile out and ignores taps.
func (t *tile) setDisabled(d bool) {
	t.disabled = d
	t.Refresh()
}

// update changes what the tile says and does, in place (a live list):
// it redraws only when something shows differently.
func (t *tile) update(title, sub string, disabled bool, onTap func()) {
	t.onTap = onTap
	if t.title == title && t.sub == sub && t.disabled == disabled {
		return
	}
	t.title, t.sub, t.disabled = title, sub, disabled
	t.Refresh()
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{t: t, bg: canvas.NewRectangle(colTile), text: widget.NewRichText()}
	r.bg.CornerRadius = 10
	r.text.Wrapping = fyne.TextWrapWord
	r.content = container.NewPadded(r.text)
	r.Refresh()
	return r
}

type tileRenderer struct {
	t       *tile
	bg      *canvas.Rectangle
	text    *widget.RichText
	content *fyne.Container
}

func (r *tileRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.content.Resize(s)
	// Centre the text vertically when the tile is taller than its text.
	min := r.content.MinSize()
	if s.Height > min.Height {
		r.content.Move(fyne.NewPos(0, (s.Height-min.Height)/2))
		r.content.Resize(fyne.NewSize(s.Width, min.Height))
	} else {
		r.content.Move(fyne.NewPos(0, 0))
	}
}

func (r *tileRenderer) MinSize() fyne.Size {
	m := r.content.MinSize()
	h := theme.SizeForWidget(sizeNameTarget, r.t)
	if r.t.tall {
		h *= 1.75
	}
	if m.Height < h {
		m.Height = h
	}
	return m
}

func (r *tileRenderer) Refresh() {
	fg := theme.ColorNameForeground
	switch {
	case r.t.disabled:
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = colDisabled, colDisabled, 0
		fg = theme.ColorNameDisabled
	case r.t.style == tilePrimary:
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = colPrimary, colPrimary, 0
		fg = theme.ColorNameForegroundOnPrimary
	case r.t.style == tileDanger:
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = colError, colError, 0
		fg = theme.ColorNameForegroundOnError
	case r.t.style == tileQuiet:
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = colPaper, colTileEdge, 2
	default:
		r.bg.FillColor, r.bg.StrokeColor, r.bg.StrokeWidth = colTile, colTileEdge, 2
	}
	size := theme.SizeNameSubHeadingText
	if r.t.big {
		size = theme.SizeNameHeadingText
	}
	segs := []widget.RichTextSegment{&widget.TextSegment{Text: r.t.title,
		Style: widget.RichTextStyle{ColorName: fg, SizeName: size, Alignment: fyne.TextAlignCenter}}}
	if r.t.sub != "" {
		segs = append(segs, &widget.TextSegment{Text: r.t.sub,
			Style: widget.RichTextStyle{ColorName: fg, SizeName: theme.SizeNameText, Alignment: fyne.TextAlignCenter}})
	}
	r.text.Segments = segs
	r.text.Refresh()
	r.bg.Refresh()
}

func (r *tileRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.content} }
func (r *tileRenderer) Destroy()                     {}

// text returns a wrapping label of the given size and colour.
func text(s string, size fyne.ThemeSizeName, col fyne.ThemeColorName, align fyne.TextAlign) *widget.RichText {
	rt := widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{
		SizeName: size, ColorName: col, Alignment: align}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

func heading(s string) *widget.RichText {
	return text(s, theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
}

func body(s string) *widget.RichText {
	return text(s, theme.SizeNameText, theme.ColorNameForeground, fyne.TextAlignLeading)
}

// big is a centred sub-heading line: what a citizen must read on a result.
func big(s string) *widget.RichText {
	return text(s, theme.SizeNameSubHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
}

func centred(s string) *widget.RichText {
	return text(s, theme.SizeNameText, theme.ColorNameForeground, fyne.TextAlignCenter)
}

// setText replaces the text of a label made by text, keeping its style.
func setText(rt *widget.RichText, s string) {
	if len(rt.Segments) > 0 {
		if seg, ok := rt.Segments[0].(*widget.TextSegment); ok {
			seg.Text = s
			rt.Refresh()
			return
		}
	}
	rt.ParseMarkdown(s)
}

// setColour changes the colour of a label made by text.
func setColour(rt *widget.RichText, c fyne.ThemeColorName) {
	if len(rt.Segments) > 0 {
		if seg, ok := rt.Segments[0].(*widget.TextSegment); ok {
			seg.Style.ColorName = c
			rt.Refresh()
		}
	}
}

// tapCounter is a label that counts taps, for the hidden staff gesture.
type tapCounter struct {
	widget.BaseWidget
	label *widget.RichText
	onTap func()
}

func newTapCounter(label *widget.RichText, onTap func()) *tapCounter {
	t := &tapCounter{label: label, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapCounter) Tapped(*fyne.PointEvent) { t.onTap() }

func (t *tapCounter) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.label)
}

// band is a coloured full-width background behind content.
func band(c color.Color, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewStack(canvas.NewRectangle(c), container.NewPadded(content))
}

// keypad is an on-screen keyboard: digits, and optionally X (resident ID
// numbers end in X) or the letters A–Z (case numbers, appointment codes,
// pinyin initials). It edits a value shown in its display.
type keypad struct {
	value   string
	max     int
	mask    bool // show dots (the staff PIN)
	display *widget.RichText
	changed func(string)
	touch   func()
}

type keys int

const (
	keysDigits keys = iota
	keysID          // digits and X
	keysAlnum       // digits and A–Z
)

// newKeypad returns the keypad, its display (for the top of a screen) and
// its keys (for the centre, where they grow to fill the screen).
func (k *Kiosk) newKeypad(kind keys, max int, mask bool, changed func(string)) (*keypad, fyne.CanvasObject, fyne.CanvasObject) {
	p := &keypad{max: max, mask: mask, changed: changed, touch: k.touched}
	p.display = text("", theme.SizeNameHeadingText, theme.ColorNameForeground, fyne.TextAlignCenter)
	p.display.Wrapping = fyne.TextWrapBreak
	key := func(label string, f func()) fyne.CanvasObject {
		t := newTile(label, "", tileNormal, func() { p.touch(); f() })
		t.big = true
		return t
	}
	var rows []fyne.CanvasObject
	digits := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}
	for _, d := range digits {
		rows = append(rows, key(d, func() { p.add(d) }))
	}
	switch kind {
	case keysID:
		rows = append(rows, key("X", func() { p.add("X") }))
	default:
		rows = append(rows, key(k.t("kiosk.key.clear"), p.clear))
	}
	rows = append(rows, key("0", func() { p.add("0") }))
	rows = append(rows, key(k.t("kiosk.key.back"), p.back))
	grid := container.NewGridWithColumns(3, rows...)
	if kind == keysAlnum {
		cols := 7
		if k.elder {
			cols = 6
		}
		var letters []fyne.CanvasObject
		for c := 'A'; c <= 'Z'; c++ {
			s := string(c)
			letters = append(letters, key(s, func() { p.add(s) }))
		}
		return p, p.framed(), container.NewGridWithRows(2, container.NewGridWithColumns(cols, letters...), grid)
	}
	return p, p.framed(), grid
}

func (p *keypad) framed() fyne.CanvasObject {
	bg := canvas.NewRectangle(colPaper)
	bg.StrokeColor, bg.StrokeWidth, bg.CornerRadius = colInk, 3, 6
	return container.NewStack(bg, container.NewPadded(p.display))
}

func (p *keypad) add(s string) {
	if p.max > 0 && len(p.value) >= p.max {
		return
	}
	p.set(p.value + s)
}

func (p *keypad) back() {
	if p.value != "" {
		p.set(p.value[:len(p.value)-1])
	}
}

func (p *keypad) clear() { p.set("") }

func (p *keypad) set(v string) {
	p.value = v
	shown := v
	if p.mask {
		shown = ""
		for range v {
			shown += "*" // in both fonts: a glyph in neither makes Fyne search the system fonts
		}
	}
	setText(p.display, shown)
	if p.changed != nil {
		p.changed(v)
	}
}

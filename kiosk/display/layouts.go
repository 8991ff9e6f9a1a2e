package display

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// heightLayout stacks its objects and is at least h high. It asks for
// height only: a long English line must not widen the fullscreen window
// past the screen (Fyne would draw the rest off the edge).
type heightLayout struct{ h float32 }

func (l heightLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l heightLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := l.h
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(0, h)
}

func minHeight(h float32, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(heightLayout{h}, objs...)
}

// split puts two objects side by side, the first taking the fraction
// left of the width, whatever their content asks for.
type split struct{ left, gap float32 }

func (l *split) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := (size.Width - l.gap) * l.left
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(w, size.Height))
	objs[1].Move(fyne.NewPos(w+l.gap, 0))
	objs[1].Resize(fyne.NewSize(size.Width-w-l.gap, size.Height))
}

// MinSize asks for height only, as heightLayout does.
func (l *split) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, max(objs[0].MinSize().Height, objs[1].MinSize().Height))
}

// marquee scrolls a line of text from right to left across its box when
// it is too long for it, and otherwise shows it still, centred (a still
// line costs no redraws). A long line starts at the left edge, so a still
// frame (a test, a screenshot) shows its beginning; after it has left on
// the left it comes in again from the right.
type marquee struct {
	text   *canvas.Text
	box    *fyne.Container
	offset float32
	width  float32
}

const marqueeStart = 48

func newMarquee(t *canvas.Text) *marquee {
	m := &marquee{text: t, offset: marqueeStart}
	m.box = container.New(m, t)
	return m
}

func (m *marquee) fits() bool { return m.text.MinSize().Width+2*marqueeStart <= m.width }

func (m *marquee) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	m.width = size.Width
	ts := m.text.MinSize()
	m.text.Resize(ts)
	x := m.offset
	if m.fits() {
		x = (size.Width - ts.Width) / 2
	}
	m.text.Move(fyne.NewPos(x, (size.Height-ts.Height)/2))
}

func (m *marquee) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, m.text.MinSize().Height)
}

func (m *marquee) step(px float32) {
	if m.width == 0 || m.fits() {
		return
	}
	m.offset -= px
	if m.offset < -m.text.MinSize().Width {
		m.offset = m.width
	}
	m.Layout(nil, m.box.Size())
	canvas.Refresh(m.box)
}

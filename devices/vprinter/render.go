package vprinter

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"hallq/assets"
)

// Margin is the unprintable strip on each side of 80 mm paper (the head is
// 72 mm wide), drawn so that a QR code keeps a quiet zone in the PNG.
const Margin = 32

// Renderer draws jobs as they would come out of the printer. It is safe for
// concurrent use.
type Renderer struct {
	// Width is the printable width in dots (576 for 80 mm).
	Width int

	mu    sync.Mutex
	font  *opentype.Font // CJK: Droid Sans Fallback has no Latin letters or digits
	mono  *opentype.Font // Go Mono for the rest, like the printer's font A
	faces map[faceKey]font.Face
	err   error
	once  sync.Once
}

type faceKey struct {
	mono bool
	h    int
}

func (r *Renderer) load() {
	if r.font, r.err = opentype.Parse(assets.CJKFont); r.err != nil {
		return
	}
	if r.mono, r.err = opentype.Parse(gomono.TTF); r.err != nil {
		return
	}
	r.faces = map[faceKey]font.Face{}
}

// face returns a face whose line (ascent+descent) is h pixels, so that a
// character fills its cell like the printer's 24-dot font does.
func (r *Renderer) face(mono bool, h int) (font.Face, error) {
	k := faceKey{mono, h}
	if f, ok := r.faces[k]; ok {
		return f, nil
	}
	fnt := r.font
	if mono {
		fnt = r.mono
	}
	ref, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: 100, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	m := ref.Metrics()
	ratio := float64(m.Ascent+m.Descent) / 64 / 100
	f, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: float64(h) / ratio, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	r.faces[k] = f
	return f, nil
}

// Render draws a job and returns it as a PNG.
func (r *Renderer) Render(j *Job) ([]byte, error) {
	img, err := r.Image(j)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Image draws a job on white paper: the printable width plus Margin on
// each side, and Margin above and below.
func (r *Renderer) Image(j *Job) (*image.Gray, error) {
	r.once.Do(r.load)
	if r.err != nil {
		return nil, fmt.Errorf("vprinter: font: %w", r.err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.Width
	if w <= 0 {
		w = defaultPaperDots
	}
	h := j.Dots() + 2*Margin
	if h > 1<<15 { // a runaway feed must not allocate gigabytes
		h = 1 << 15
	}
	img := image.NewGray(image.Rect(0, 0, w+2*Margin, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	y := Margin
	for _, e := range j.Elements {
		if y >= h {
			break
		}
		switch e.Kind {
		case KindText:
			r.line(img, e, y, w)
		case KindQR:
			r.qr(img, e, y, w)
		case KindBarcode:
			r.barcode(img, e, y, w)
		case KindRaster, KindLogo:
			if e.Raster != nil {
				mode := e.Raster.Mode
				if e.Kind == KindLogo {
					mode = 0
				}
				drawRaster(img, e.Raster, mode, x0(e.Align, w, e.Raster.WidthBytes*8*(1+mode&1)), y)
			}
		}
		y += e.Dots
	}
	return img, nil
}

func x0(a Align, width, w int) int {
	switch a {
	case AlignCenter:
		return Margin + max(0, (width-w)/2)
	case AlignRight:
		return Margin + max(0, width-w)
	}
	return Margin
}

func drawRaster(img *image.Gray, ras *Raster, mode, x, y int) {
	sx, sy := 1+mode&1, 1+(mode&2)/2
	for row := 0; row < ras.Rows; row++ {
		for col := 0; col < ras.WidthBytes*8; col++ {
			if ras.Dot(col, row) {
				fill(img, x+col*sx, y+row*sy, sx, sy, color.Gray{0})
			}
		}
	}
}

func fill(img *image.Gray, x, y, w, h int, c color.Gray) {
	draw.Draw(img, image.Rect(x, y, x+w, y+h).Intersect(img.Bounds()), image.NewUniform(c), image.Point{}, draw.Src)
}

func runCell(s Style, wide bool) (w, h int) {
	cw, ch := halfCharWidth, baseCharHeight
	if s.FontB {
		cw, ch = halfCharWidthB, 17
	}
	if wide {
		cw, ch = fullCharWidth, baseCharHeight
	}
	return cw * max(1, s.Width), ch * max(1, s.Height)
}

func (r *Renderer) line(img *image.Gray, e Element, y, width int) {
	lw, lh := 0, 0
	for _, run := range e.Runs {
		for range run.Text {
			cw, ch := runCell(run.Style, run.Wide)
			lw += cw
			lh = max(lh, ch)
		}
	}
	x := x0(e.Align, width, lw)
	for _, run := range e.Runs {
		for _, c := range run.Text {
			cw, ch := runCell(run.Style, run.Wide)
			top := y + lh - ch // characters of a line share the baseline
			r.glyph(img, c, x, top, cw, ch, run.Style)
			x += cw
		}
	}
}

// glyph draws c scaled into a cw×ch cell, the way the printer multiplies
// its bitmap font for GS ! sizes.
func (r *Renderer) glyph(img *image.Gray, c rune, x, y, cw, ch int, s Style) {
	fg, bg := color.Gray{0}, color.Gray{255}
	if s.Reverse {
		fg, bg = bg, fg
		fill(img, x, y, cw, ch, bg)
	}
	if c != ' ' {
		unit := ch / max(1, s.Height) // unscaled height of the cell
		f, err := r.face(c < 0x2E80 && c != '\uFFFD', unit)
		if err == nil {
			adv, ok := f.GlyphAdvance(c)
			aw := int(math.Ceil(float64(adv) / 64))
			if !ok || aw <= 0 {
				aw = unit
			}
			tmp := image.NewAlpha(image.Rect(0, 0, aw+1, unit))
			d := font.Drawer{Dst: tmp, Src: image.Opaque, Face: f, Dot: fixed.Point26_6{Y: f.Metrics().Ascent}}
			d.DrawString(string(c))
			if s.Bold {
				d.Dot = fixed.Point26_6{X: 64, Y: f.Metrics().Ascent}
				d.DrawString(string(c))
			}
			mask := image.NewAlpha(image.Rect(0, 0, cw, ch))
			draw.BiLinear.Scale(mask, mask.Bounds(), tmp, tmp.Bounds(), draw.Src, nil)
			draw.DrawMask(img, image.Rect(x, y, x+cw, y+ch), image.NewUniform(fg), image.Point{}, mask, image.Point{}, draw.Over)
		}
	}
	if s.Underline > 0 {
		fill(img, x, y+ch-s.Underline, cw, s.Underline, fg)
	}
}

func (r *Renderer) qr(img *image.Gray, e Element, y, width int) {
	q, err := qrcode.New(string(e.QR.Data), qrLevel(e.QR.ECC))
	if err != nil {
		return
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	m := e.QR.Module
	x := x0(e.Align, width, len(bm)*m)
	for row := range bm {
		for col := range bm[row] {
			if bm[row][col] {
				fill(img, x+col*m, y+row*m, m, m, color.Gray{0})
			}
		}
	}
}

func (r *Renderer) barcode(img *image.Gray, e Element, y, width int) {
	bc := e.Barcode
	var bars []bool
	if bc.System == 73 {
		mat, err := oned.NewCode128Writer().Encode(bc.Text, gozxing.BarcodeFormat_CODE_128, 0, 1,
			map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_MARGIN: 0})
		if err == nil {
			for i := 0; i < mat.GetWidth(); i++ {
				bars = append(bars, mat.Get(i, 0))
			}
		}
	}
	if bars == nil { // other systems: a recognisable stripe pattern, not a real symbol
		for _, c := range bc.Data {
			for bit := 7; bit >= 0; bit-- {
				bars = append(bars, c&(1<<bit) != 0)
			}
		}
	}
	bw := len(bars) * bc.Module
	x := x0(e.Align, width, bw)
	top := y
	hri := func(yy int) {
		tw := len(bc.Text) * halfCharWidth
		xx := x0(e.Align, width, tw)
		for _, c := range bc.Text {
			r.glyph(img, c, xx, yy, halfCharWidth, baseCharHeight, Style{Width: 1, Height: 1})
			xx += halfCharWidth
		}
	}
	if bc.HRI == 1 || bc.HRI == 3 {
		hri(y)
		top += baseCharHeight + 6
	}
	for i, b := range bars {
		if b {
			fill(img, x+i*bc.Module, top, bc.Module, bc.Height, color.Gray{0})
		}
	}
	if bc.HRI == 2 || bc.HRI == 3 {
		hri(top + bc.Height + 6)
	}
}

// TextLogo draws text centred in a width×rows raster with the CJK font:
// a stand-in for the logo a hall stores in the printer's NV memory at
// installation (FS q), so that FS p prints something recognisable.
func TextLogo(text string, width, rows int) (*Raster, error) {
	r := &Renderer{Width: width}
	j := &Job{Elements: []Element{{Kind: KindText, Align: AlignCenter, Dots: rows,
		Runs: []Run{{Text: text, Style: Style{Width: 2, Height: 2, Bold: true}, Wide: true}}}}}
	img, err := r.Image(j)
	if err != nil {
		return nil, err
	}
	ras := &Raster{WidthBytes: (width + 7) / 8, Rows: rows}
	ras.Data = make([]byte, ras.WidthBytes*rows)
	top := (rows - 2*baseCharHeight) / 2
	for y := 0; y < rows; y++ {
		for x := 0; x < width; x++ {
			sy := Margin + y - top
			border := y < 3 || y >= rows-3 // a frame, so the logo's extent shows
			if border || (sy >= Margin && sy < Margin+2*baseCharHeight && img.GrayAt(Margin+x, sy).Y < 128) {
				ras.Data[y*ras.WidthBytes+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	return ras, nil
}

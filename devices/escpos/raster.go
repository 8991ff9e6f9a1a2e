package escpos

import (
	"image"
	"image/color"
	"image/draw"
	"sync"

	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"hallq/assets"
)

// Dither selects how a grey image becomes black and white.
type Dither int

const (
	Threshold      Dither = iota // 50 % threshold: crisp text, line art, QR codes
	FloydSteinberg               // error diffusion: photographs and logos with shading
)

// rasterBand is the most rows sent in one GS v 0 command. Small printers
// limit yL+yH×256 and buffer little; bands also let the printer start
// printing before a long image has arrived.
const rasterBand = 256

// Image prints img as a raster bit image (GS v 0), dithered as d, placed by
// the current alignment. This is the fallback for what the printer cannot
// draw itself: 72 bytes per dot row on 80 mm paper. Transparent pixels are
// white.
//
// Raster data is binary and may contain any byte, including DLE EOT n,
// which some printers answer as a status request: status readers must
// tolerate unrequested bytes.
func (e *Encoder) Image(img image.Image, d Dither) {
	if e.err != nil {
		return
	}
	b := img.Bounds()
	if b.Dx() > e.p.Dots {
		e.fail("image", ErrImageTooWide)
		return
	}
	if b.Empty() {
		return
	}
	gray := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(gray, gray.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(gray, gray.Bounds(), img, b.Min, draw.Over)
	bw := image.NewPaletted(gray.Bounds(), color.Palette{color.White, color.Black})
	if d == FloydSteinberg {
		draw.FloydSteinberg.Draw(bw, bw.Bounds(), gray, image.Point{})
	} else {
		for i, v := range gray.Pix {
			if v < 0x80 {
				bw.Pix[i] = 1
			}
		}
	}
	e.raster("image", bw, e.align)
}

// raster sends a black-and-white image (palette index 1 = black) as GS v 0
// bands, shifted right by whole bytes for the alignment.
func (e *Encoder) raster(op string, bw *image.Paletted, a Align) {
	e.flushRaster()
	if e.err != nil {
		return
	}
	w, h := bw.Rect.Dx(), bw.Rect.Dy()
	pad := 0 // bytes of white on the left
	switch a {
	case Center:
		pad = (e.p.Dots - w) / 2 / 8
	case Right:
		pad = (e.p.Dots - w) / 8
	}
	rowBytes := pad + (w+7)/8
	if e.p.HasCJKFont && e.align != Left {
		// Some printers apply ESC a to raster images too; the image is
		// already placed, so switch it off for the image and back after.
		e.write(op, []byte{esc, 'a', 0})
		defer e.write(op, []byte{esc, 'a', byte(e.align)})
	}
	for y0 := 0; y0 < h; y0 += rasterBand {
		rows := min(rasterBand, h-y0)
		cmd := make([]byte, 8, 8+rowBytes*rows)
		copy(cmd, []byte{gs, 'v', '0', 0, byte(rowBytes), byte(rowBytes >> 8), byte(rows), byte(rows >> 8)})
		for y := y0; y < y0+rows; y++ {
			row := make([]byte, rowBytes)
			pix := bw.Pix[y*bw.Stride : y*bw.Stride+w]
			for x, p := range pix {
				if p != 0 {
					row[pad+x/8] |= 0x80 >> (x % 8)
				}
			}
			cmd = append(cmd, row...)
		}
		e.write(op, cmd)
	}
	e.dots += int64(h)
}

// qrModules returns the side of the QR symbol for data, in modules,
// without quiet zone, as the version a printer picks for it.
func qrModules(data string, level QRLevel) (int, error) {
	q, err := qrcode.New(data, qrLevel(level))
	if err != nil {
		return 0, err
	}
	return 17 + 4*q.VersionNumber, nil
}

func qrLevel(l QRLevel) qrcode.RecoveryLevel {
	return [...]qrcode.RecoveryLevel{qrcode.Low, qrcode.Medium, qrcode.High, qrcode.Highest}[l]
}

// rasterQR draws the QR code for printers without GS ( k.
func (e *Encoder) rasterQR(data string, module int, level QRLevel) {
	q, err := qrcode.New(data, qrLevel(level))
	if err != nil {
		e.fail("qr", err)
		return
	}
	q.DisableBorder = true // like the native command: the paper margin is the quiet zone
	bits := q.Bitmap()
	side := len(bits) * module
	if side > e.p.Dots {
		e.fail("qr", ErrImageTooWide)
		return
	}
	bw := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			if bits[y/module][x/module] {
				bw.Pix[y*bw.Stride+x] = 1
			}
		}
	}
	e.raster("qr", bw, e.align)
}

// The embedded fonts are parsed once; faces are per encoder because an
// opentype.Face is not safe for concurrent use. The CJK font has no Latin
// glyphs (they come out as boxes), so ASCII is drawn with Go Mono at a size
// whose advance is 12 dots per height unit: the printer's own 12×24 font,
// so raster lines wrap at the same columns as native ones.
var (
	fontOnce sync.Once
	cjkFont  *opentype.Font
	monoFont *opentype.Font
	fontErr  error
)

type faceKey struct {
	hmul  int
	latin bool
}

func (e *Encoder) face(hmul int, latin bool) (font.Face, error) {
	fontOnce.Do(func() {
		if cjkFont, fontErr = opentype.Parse(assets.CJKFont); fontErr == nil {
			monoFont, fontErr = opentype.Parse(gomono.TTF)
		}
	})
	if fontErr != nil {
		return nil, fontErr
	}
	k := faceKey{hmul, latin}
	if f, ok := e.faces[k]; ok {
		return f, nil
	}
	f, size := cjkFont, 24.0
	if latin {
		f, size = monoFont, 20.0 // Go Mono advances 0.6 em: 12 dots
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size * float64(hmul), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	if e.faces == nil {
		e.faces = map[faceKey]font.Face{}
	}
	e.faces[k] = face
	return face, nil
}

// rasterText collects text for profiles without a CJK font; each completed
// line becomes one full-width image.
func (e *Encoder) rasterText(text string) {
	if e.err != nil {
		return
	}
	clean := Sanitize(text)
	start := 0
	for i := 0; i <= len(clean); i++ {
		if i < len(clean) && clean[i] != '\n' {
			continue
		}
		if i > start {
			e.pending = append(e.pending, segment{text: clean[start:i], hmul: e.hmul, bold: e.bold})
		}
		if i < len(clean) {
			e.renderLine()
		}
		start = i + 1
	}
}

// flushRaster prints a raster line left without '\n' before another command.
func (e *Encoder) flushRaster() {
	if len(e.pending) > 0 {
		e.renderLine()
	}
}

func (e *Encoder) renderLine() {
	segs := e.pending
	e.pending = e.pending[:0]
	if e.err != nil {
		return
	}
	hmax := e.hmul
	for _, s := range segs {
		hmax = max(hmax, s.hmul)
	}
	visible := false
	for _, s := range segs {
		for _, r := range s.text {
			if r != ' ' {
				visible = true
			}
		}
	}
	if !visible { // an empty line is a plain line feed, no image
		e.write("lf", []byte{lf})
		e.dots += int64(lineDots(hmax))
		return
	}
	height := lineDots(hmax)
	img := image.NewAlpha(image.Rect(0, 0, e.p.Dots, height))
	// Two passes over the runes: measure for the alignment, then draw.
	run := func(draw bool, x fixed.Int26_6) (fixed.Int26_6, error) {
		for _, s := range segs {
			// Baseline so the 24·h em box sits at the top of the line with
			// the spacing below; CJK glyphs descend about 1/8 em.
			base := fixed.I(24*hmax) - fixed.I(24*s.hmul)/8
			for _, r := range s.text {
				f, err := e.face(s.hmul, r < 0x80)
				if err != nil {
					return 0, err
				}
				adv, _ := f.GlyphAdvance(r)
				if draw {
					d := font.Drawer{Dst: img, Src: image.Opaque, Face: f, Dot: fixed.Point26_6{X: x, Y: base}}
					d.DrawString(string(r))
					if s.bold {
						d.Dot = fixed.Point26_6{X: x + fixed.I(1), Y: base}
						d.DrawString(string(r))
					}
				}
				x += adv
			}
		}
		return x, nil
	}
	total, err := run(false, 0)
	if err != nil {
		e.fail("text", err)
		return
	}
	x := fixed.I(0)
	switch e.align {
	case Center:
		x = (fixed.I(e.p.Dots) - total) / 2
	case Right:
		x = fixed.I(e.p.Dots) - total
	}
	if _, err := run(true, max(x, 0)); err != nil {
		e.fail("text", err)
		return
	}
	bw := image.NewPaletted(img.Rect, color.Palette{color.White, color.Black})
	for i, a := range img.Pix {
		if a >= 0x80 {
			bw.Pix[i] = 1
		}
	}
	e.raster("text", bw, Left)
}

package escpos_test

import (
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"hallq/devices/escpos"
	"hallq/devices/escpos/escpostest"
)

// The raster QR fallback must scan: it checks the bit order of GS v 0
// (MSB leftmost, 1 = black) and the alignment padding at once.
func TestRasterQRScans(t *testing.T) {
	const link = "https://hall.example.gov.cn/q/330106/20261122/A001"
	for _, a := range []escpos.Align{escpos.Left, escpos.Center, escpos.Right} {
		got, err := encode(escpos.Generic80Raster, func(e *escpos.Encoder) {
			e.Align(a)
			e.QR(link, 4, escpos.QRLevelM)
		})
		if err != nil {
			t.Fatal(err)
		}
		img := escpostest.Raster(got, 16)
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("align %d: %v", a, err)
		}
		if res.GetText() != link {
			t.Errorf("align %d: scanned %q", a, res.GetText())
		}
	}
}

// Raster text lines are full width and as tall as the model says.
func TestRasterTextLine(t *testing.T) {
	got, err := encode(escpos.Generic80Raster, func(e *escpos.Encoder) {
		e.Line("取号 A001")
		e.Size(2, 2)
		e.Line("A001")
	})
	if err != nil {
		t.Fatal(err)
	}
	imgs := escpostest.Find(got, "GS v 0")
	if len(imgs) != 2 {
		t.Fatalf("%d images, want 2", len(imgs))
	}
	for i, want := range []int{escpos.LineDots, 54} {
		p := imgs[i].Bytes
		if x, y := int(p[4])|int(p[5])<<8, int(p[6])|int(p[7])<<8; x != 72 || y != want {
			t.Errorf("line %d: %d bytes × %d rows, want 72 × %d", i, x, y, want)
		}
	}
	black := 0
	for _, b := range imgs[0].Bytes[8:] {
		for ; b != 0; b &= b - 1 {
			black++
		}
	}
	if black < 200 {
		t.Errorf("first line has only %d black dots: glyphs missing?", black)
	}
}

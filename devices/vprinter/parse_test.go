package vprinter_test

import (
	"bytes"
	"image"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/text/encoding/simplifiedchinese"

	"hallq/devices/vprinter"
)

func gb(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// ticket is written byte by byte from the Epson manual, independent of
// devices/escpos, so that the two are checked against each other.
func ticket(t testing.TB, qr string) []byte {
	q := []byte(qr)
	l := len(q) + 3
	return cat(
		[]byte{0x1B, '@'},       // ESC @
		[]byte{0x1C, '&'},       // FS & Chinese mode
		[]byte{0x1B, 'a', 1},    // ESC a 1 centre
		[]byte{0x1D, '!', 0x11}, // GS ! double width and height
		[]byte{0x1B, 'E', 1},    // ESC E bold
		gb(t, "A012"), []byte{'\n'},
		[]byte{0x1D, '!', 0x00, 0x1B, 'E', 0},
		gb(t, "社保卡办理"), []byte{'\n'},
		[]byte{0x1B, 'a', 0},
		gb(t, "前面还有 3 人"), []byte{'\n'},
		[]byte{0x1D, '(', 'k', 4, 0, 49, 65, 50, 0}, // QR model 2
		[]byte{0x1D, '(', 'k', 3, 0, 49, 67, 6},     // module 6
		[]byte{0x1D, '(', 'k', 3, 0, 49, 69, 49},    // ECC M
		[]byte{0x1D, '(', 'k', byte(l), byte(l >> 8), 49, 80, 48}, q,
		[]byte{0x1D, '(', 'k', 3, 0, 49, 81, 48}, // print
		[]byte{0x1D, 'h', 80, 0x1D, 'w', 2, 0x1D, 'H', 2},
		[]byte{0x1D, 'k', 73, 7, '{', 'B', 'A', '0', '1', '2', '3'},
		[]byte{0x1C, '.'},
		[]byte{0x1B, 'd', 3},
		[]byte{0x1D, 'V', 66, 0}, // feed and partial cut
	)
}

func parseAll(t testing.TB, data []byte, chunk int) []*vprinter.Job {
	var jobs []*vprinter.Job
	p := &vprinter.Parser{Done: func(j *vprinter.Job) { jobs = append(jobs, j) }}
	for len(data) > 0 {
		n := min(chunk, len(data))
		if got := p.Feed(data[:n]); got != n {
			t.Fatalf("Feed consumed %d of %d", got, n)
		}
		data = data[n:]
	}
	return jobs
}

func TestParseTicket(t *testing.T) {
	data := ticket(t, "https://hall.example/t/A012")
	for _, chunk := range []int{1, 2, 3, 7, 64, len(data)} {
		jobs := parseAll(t, data, chunk)
		if len(jobs) != 1 {
			t.Fatalf("chunk %d: %d jobs, want 1", chunk, len(jobs))
		}
		j := jobs[0]
		if len(j.Errors) > 0 {
			t.Errorf("chunk %d: errors %q", chunk, j.Errors)
		}
		if got, want := j.Text(), "A012\n社保卡办理\n前面还有 3 人"; got != want {
			t.Errorf("chunk %d: text %q, want %q", chunk, got, want)
		}
		if q := j.QRs(); len(q) != 1 || q[0] != "https://hall.example/t/A012" {
			t.Errorf("chunk %d: QR %q", chunk, q)
		}
		if j.Cut != vprinter.CutPartial {
			t.Errorf("chunk %d: cut %q", chunk, j.Cut)
		}
		if !bytes.Equal(j.Raw, data) {
			t.Errorf("chunk %d: raw differs", chunk)
		}
		e := j.Elements[0]
		if e.Align != vprinter.AlignCenter || !e.Runs[0].Style.Bold || e.Runs[0].Style.Width != 2 || e.Runs[0].Style.Height != 2 {
			t.Errorf("chunk %d: first line %+v", chunk, e)
		}
		var bc *vprinter.Barcode
		for _, e := range j.Elements {
			if e.Kind == vprinter.KindBarcode {
				bc = e.Barcode
			}
			if e.Kind == vprinter.KindQR && (e.QR.Module != 6 || e.QR.ECC != 'M') {
				t.Errorf("QR settings %+v", e.QR)
			}
		}
		if bc == nil || bc.Text != "A0123" || bc.Height != 80 || bc.Module != 2 || bc.HRI != 2 {
			t.Errorf("barcode %+v", bc)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cut := []byte{0x1D, 'V', 0}
	tests := []struct {
		name string
		data []byte
		want string // substring of the first error
		text string
	}{
		{"no FS &", cat([]byte{0x1B, '@'}, gb(t, "中"), []byte{'\n'}), "", "╓╨"}, // CP437 garbage, as on paper
		{"four-byte GB18030", cat([]byte{0x1C, '&'}, gb(t, "¥"), []byte{'\n'}), "four-byte", ""},
		{"unknown ESC", []byte{0x1B, 0x01}, "unknown command ESC 0x01", ""},
		{"unknown GS", []byte{0x1D, 0xEE}, "unknown command GS 0xEE", ""},
		{"QR print without data", []byte{0x1D, '(', 'k', 3, 0, 49, 81, 48}, "no data", ""},
		{"QR size sent as ECC", []byte{0x1D, '(', 'k', 3, 0, 49, 69, 6}, "error correction 6", ""},
		{"QR bad length", []byte{0x1D, '(', 'k', 4, 0, 49, 67, 6, 0}, "parameter bytes", ""},
		{"CODE128 without code set", []byte{0x1D, 'k', 73, 3, 'A', '1', '2'}, "{A, {B or {C", ""},
		{"barcode height 0", []byte{0x1D, 'h', 0}, "height", ""},
		{"GS ! out of range", []byte{0x1D, '!', 0x88}, "out of range", ""},
		{"NV write", []byte{0x1C, 'q', 1, 1, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8}, "NV memory", ""},
		{"FS p unknown image", []byte{0x1C, 'p', 1, 0}, "no NV image", ""},
		{"raster too wide", cat([]byte{0x1D, 'v', '0', 0, 80, 0, 1, 0}, make([]byte, 80)), "exceeds", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := parseAll(t, cat(tt.data, cut), 5)
			if len(jobs) != 1 {
				t.Fatalf("%d jobs", len(jobs))
			}
			j := jobs[0]
			if tt.want == "" {
				if len(j.Errors) != 0 {
					t.Errorf("errors %q", j.Errors)
				}
			} else if len(j.Errors) == 0 || !strings.Contains(j.Errors[0], tt.want) {
				t.Errorf("errors %q, want %q", j.Errors, tt.want)
			}
			if tt.text != "" && j.Text() != tt.text {
				t.Errorf("text %q, want %q", j.Text(), tt.text)
			}
		})
	}
}

func TestParseLengths(t *testing.T) {
	// Each command is followed by "X\n": a wrong length would eat the X or
	// print parameter bytes as text.
	cmds := [][]byte{
		{0x1B, '@'}, {0x1B, '2'}, {0x1B, '3', 40}, {0x1B, '!', 0x38}, {0x1B, 'E', 1},
		{0x1B, '-', 1}, {0x1B, 'a', 2}, {0x1B, 'M', 1}, {0x1B, 't', 0}, {0x1B, 'R', 15},
		{0x1B, '$', 1, 2}, {0x1B, 'p', 0, 25, 250}, {0x1B, 'D', 8, 16, 0}, {0x1B, 'c', '5', 0},
		{0x1B, '*', 0, 2, 0, 0xFF, 0x81}, {0x1B, '*', 33, 1, 0, 1, 2, 3},
		{0x1C, '&'}, {0x1C, '.'}, {0x1C, '!', 4}, {0x1C, 'S', 0, 0}, {0x1C, '-', 1},
		{0x1D, '!', 0x11}, {0x1D, 'B', 0}, {0x1D, 'h', 50}, {0x1D, 'w', 2}, {0x1D, 'H', 0},
		{0x1D, 'L', 0, 0}, {0x1D, 'W', 64, 2}, {0x1D, 'a', 0}, {0x1D, 'r', 1}, {0x1D, 'I', 1},
		{0x1D, '(', 'A', 2, 0, 0, 1},
		{0x1D, 'k', 4, '1', '2', 0}, {0x1D, 'k', 73, 4, '{', 'C', 12, 34},
		{0x1D, 'v', '0', 0, 1, 0, 2, 0, 0xF0, 0x0F},
		{0x1D, '*', 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0x1D, '/', 0},
		{0x10, 0x04, 1}, {0x10, 0x04, 4}, {0x10, 0x05, 1},
		{0x10, 0x14, 1, 0, 1}, {0x10, 0x14, 8, 1, 3, 20, 1, 6, 2, 8},
		{0x1D, '8', 'L', 2, 0, 0, 0, 0x30, 0x45},
	}
	for _, c := range cmds {
		jobs := parseAll(t, cat(c, []byte("X\n"), []byte{0x1D, 'V', 1}), 3)
		j := jobs[0]
		lines := j.Lines()
		if len(lines) == 0 || lines[len(lines)-1] != "X" {
			t.Errorf("% X: lines %q", c, lines)
		}
		for _, e := range j.Errors {
			if !strings.Contains(e, "not emulated") {
				t.Errorf("% X: %s", c, e)
			}
		}
	}
}

func TestESCBangDoesNotEnlargeChinese(t *testing.T) {
	// ESC ! 0x30 (double width and height) then "A中": on a Chinese
	// printer only the A grows; GS ! grows both.
	jobs := parseAll(t, cat([]byte{0x1C, '&', 0x1B, '!', 0x30}, []byte("A"), gb(t, "中"), []byte{'\n', 0x1D, '!', 0x11}, []byte("A"), gb(t, "中"), []byte{'\n', 0x1D, 'V', 0}), 64)
	e := jobs[0].Elements
	if r := e[0].Runs; len(r) != 2 || r[0].Style.Width != 2 || r[1].Style.Width != 1 {
		t.Errorf("ESC ! line: %+v", r)
	}
	if r := e[1].Runs; len(r) != 2 || r[0].Style.Width != 2 || r[1].Style.Width != 2 {
		t.Errorf("GS ! line: %+v", r)
	}
}

func TestWrapAndWidth(t *testing.T) {
	// 80 mm paper holds 48 font-A characters or 24 Chinese ones.
	jobs := parseAll(t, cat([]byte{0x1C, '&'}, bytes.Repeat([]byte("a"), 50), []byte{'\n'}, gb(t, strings.Repeat("中", 25)), []byte{'\n', 0x1D, 'V', 0}), 64)
	lines := jobs[0].Lines()
	if len(lines) != 4 || len(lines[0]) != 48 || lines[2] != strings.Repeat("中", 24) {
		t.Fatalf("lines %q", lines)
	}
	if !jobs[0].Elements[0].Wrapped {
		t.Error("wrap not reported")
	}
}

func TestRenderQRDecodes(t *testing.T) {
	const url = "https://hall.example/t/A012?d=20261122"
	jobs := parseAll(t, ticket(t, url), 4096)
	r := &vprinter.Renderer{}
	img, err := r.Image(jobs[0])
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		if png, err := r.Render(jobs[0]); err == nil {
			os.WriteFile(filepath.Join(os.TempDir(), "vprinter-ticket.png"), png, 0o644)
		}
	}
	if got := decodeQR(t, img); got != url {
		t.Fatalf("decoded %q, want %q", got, url)
	}
	// Glyphs were drawn: the first line (double size, bold) has ink.
	ink := 0
	for y := vprinter.Margin; y < vprinter.Margin+48; y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if img.GrayAt(x, y).Y < 128 {
				ink++
			}
		}
	}
	if ink < 500 {
		t.Fatalf("first line has %d black dots; glyphs missing?", ink)
	}
}

func decodeQR(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("QR not readable: %v", err)
	}
	return res.GetText()
}

func TestStatusBytes(t *testing.T) {
	tests := []struct {
		s    vprinter.State
		want [4]byte // DLE EOT 1..4
	}{
		{vprinter.StateOK, [4]byte{0x12, 0x12, 0x12, 0x12}},
		{vprinter.StateNearEnd, [4]byte{0x12, 0x12, 0x12, 0x1E}},
		{vprinter.StatePaperOut, [4]byte{0x1A, 0x32, 0x12, 0x72}},
		{vprinter.StateCoverOpen, [4]byte{0x1A, 0x16, 0x12, 0x12}},
		{vprinter.StateOffline, [4]byte{0x1A, 0x12, 0x12, 0x12}},
		{vprinter.StateCutterError, [4]byte{0x1A, 0x52, 0x1A, 0x12}},
	}
	for _, tt := range tests {
		for n := byte(1); n <= 4; n++ {
			got := vprinter.StatusByte(tt.s, n)
			if got != tt.want[n-1] {
				t.Errorf("%s DLE EOT %d = %#02x, want %#02x", tt.s, n, got, tt.want[n-1])
			}
			if got&0x93 != 0x12 {
				t.Errorf("%s DLE EOT %d = %#02x breaks the fixed pattern 0xx1xx10", tt.s, n, got)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(ticket(f, "x"))
	f.Add([]byte{0x1D, 'v', '0', 0, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte{0x1D, '8', 'L', 0xFF, 0xFF, 0xFF, 0x7F})
	f.Add([]byte{0x1C, 'q', 2, 1, 0, 1, 0})
	f.Add([]byte{0x1B, '&', 3, 32, 126, 12})
	f.Add([]byte{0x1C, '&', 0x81, 0x30, 0x81, 0x30, 0x80, 0xFF})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		p := &vprinter.Parser{Done: func(j *vprinter.Job) { n++ }}
		// Split into two pieces to exercise resumption.
		h := len(data) / 2
		if p.Feed(data[:h]) != h || p.Feed(data[h:]) != len(data)-h {
			t.Fatal("Feed did not consume everything")
		}
		p.Feed([]byte{0x1D, 'V', 0})
	})
}

// TestRenderArbitrary renders jobs parsed from random command soup: the
// renderer must not panic on anything the parser accepts.
func TestRenderArbitrary(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	rng := rand.New(rand.NewSource(7))
	alphabet := []byte{0x1B, 0x1D, 0x1C, 0x0A, '(', 'k', 'v', '0', 'V', '!', 'a', 'E', '*', 'p', 'h', 'w', 'H', 'B', '-', 3, 0, 1, 2, 49, 65, 67, 69, 80, 81, 0x11, 0x88, 0xB0, 0xA1}
	r := &vprinter.Renderer{}
	for i := 0; i < n; i++ {
		d := make([]byte, rng.Intn(200))
		for j := range d {
			if rng.Intn(4) == 0 {
				d[j] = byte(rng.Intn(256))
			} else {
				d[j] = alphabet[rng.Intn(len(alphabet))]
			}
		}
		p := &vprinter.Parser{NV: map[int]*vprinter.Raster{1: {WidthBytes: 2, Rows: 2, Data: []byte{1, 2, 3, 4}}}}
		p.Feed(d)
		if _, err := r.Image(p.Pending()); err != nil {
			t.Fatal(err)
		}
	}
}

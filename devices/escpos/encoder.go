package escpos

import (
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/image/font"
)

// Control bytes the commands start with.
const (
	lf  = 0x0a
	esc = 0x1b
	fs  = 0x1c
	gs  = 0x1d
	dle = 0x10
	eot = 0x04
)

// Align is a horizontal justification (ESC a n).
type Align byte

const (
	Left   Align = 0
	Center Align = 1
	Right  Align = 2
)

// LineDots is the paper advance of one line of the normal font in the model
// used for time estimates: the 24-dot font plus the printer's default line
// spacing, 30 dots or 3.75 mm at 8 dots/mm.
const LineDots = 30

// logoDots is the assumed height of an NV logo for time estimates.
const logoDots = 120

// Encoder writes ESC/POS commands for one printer profile to an io.Writer.
// It keeps the first error; once set, every method does nothing, and Err
// returns it. An Encoder is not safe for concurrent use; make one per job.
type Encoder struct {
	w   io.Writer
	p   Profile
	err error
	n   int64 // bytes written
	san *sanitizer
	buf []byte // scratch for one command

	chinese bool  // FS & sent since the last init
	align   Align // current ESC a
	bold    bool
	wmul    int // character size multipliers (GS !)
	hmul    int
	lineH   int   // largest hmul used on the current native line
	midLine bool  // text written since the last line feed
	dots    int64 // estimated paper advance so far

	// Raster text (profiles without a CJK font).
	pending []segment
	faces   map[faceKey]font.Face
}

type segment struct {
	text string // sanitised
	hmul int
	bold bool
}

// New returns an Encoder writing to w for printer profile p.
func New(w io.Writer, p Profile) *Encoder {
	if p.Dots <= 0 {
		p.Dots = Generic80.Dots
	}
	if p.DotsPerMM <= 0 {
		p.DotsPerMM = 8
	}
	return &Encoder{w: w, p: p, san: newSanitizer(), wmul: 1, hmul: 1, lineH: 1}
}

// Err returns the first error any command met, or nil.
func (e *Encoder) Err() error { return e.err }

// Written returns the number of bytes written so far.
func (e *Encoder) Written() int64 { return e.n }

// Profile returns the profile the encoder writes for.
func (e *Encoder) Profile() Profile { return e.p }

// FeedDots estimates how far the paper has advanced, in dots, for the bytes
// written so far. It follows the model in docs/bench-notes/printing-encoder.md:
// LineDots per line (times the height multiplier), QR modules times module
// size, raster rows as sent, CutFeedDots per cut.
func (e *Encoder) FeedDots() int64 { return e.dots }

func (e *Encoder) fail(op string, err error) {
	if e.err == nil {
		e.err = opErr(op, err)
	}
}

func (e *Encoder) write(op string, b []byte) {
	if e.err != nil {
		return
	}
	n, err := e.w.Write(b)
	e.n += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	if err != nil {
		e.fail(op, err)
	}
}

func (e *Encoder) cmd(op string, b ...byte) {
	// Commands other than text end a pending raster line first, so that the
	// order on paper is the order of the calls.
	e.flushRaster()
	e.write(op, b)
}

// Init resets the printer to its power-on settings (ESC @) and forgets the
// encoder's idea of the printer's modes.
func (e *Encoder) Init() {
	e.pending = e.pending[:0]
	e.cmd("init", esc, '@')
	e.chinese, e.align, e.bold, e.wmul, e.hmul, e.lineH, e.midLine = false, Left, false, 1, 1, 1, false
}

// ChineseOn enters Chinese character mode (FS &): two-byte GB18030 prints
// as Chinese. Text calls it by itself before the first non-ASCII character.
func (e *Encoder) ChineseOn() {
	if !e.p.HasCJKFont {
		return // raster text does not need it, and the printer may not know it
	}
	e.cmd("chinese-on", fs, '&')
	e.chinese = true
}

// ChineseOff leaves Chinese character mode (FS .).
func (e *Encoder) ChineseOff() {
	if !e.p.HasCJKFont {
		return
	}
	e.cmd("chinese-off", fs, '.')
	e.chinese = false
}

// Align sets the justification of the following lines (ESC a n). Printers
// apply it at the start of a line, so call it before the line's text.
func (e *Encoder) Align(a Align) {
	if a > Right {
		e.fail("align", ErrArgument)
		return
	}
	e.align = a
	if e.p.HasCJKFont {
		e.cmd("align", esc, 'a', byte(a))
	}
	// Raster text is aligned inside its full-width image; the printer's own
	// justification stays Left so that it cannot shift images a second time.
}

// Bold turns emphasised printing on or off (ESC E n); it applies to ASCII
// and Chinese characters alike.
func (e *Encoder) Bold(on bool) {
	e.bold = on
	var n byte
	if on {
		n = 1
	}
	if e.p.HasCJKFont {
		e.write("bold", []byte{esc, 'E', n})
	}
}

// Size sets the character size multipliers, 1..8 each (GS ! n). GS ! rather
// than ESC ! because ESC ! does not enlarge Chinese characters in Chinese mode.
func (e *Encoder) Size(w, h int) {
	if w < 1 || w > 8 || h < 1 || h > 8 {
		e.fail("size", ErrArgument)
		return
	}
	e.wmul, e.hmul = w, h
	if !e.midLine || h > e.lineH {
		e.lineH = h
	}
	if e.p.HasCJKFont {
		e.write("size", []byte{gs, '!', byte((w-1)<<4 | (h - 1))})
	}
}

// Text prints text through the sanitiser (see Sanitize): control bytes
// never reach the printer, '\n' ends a line. Without a CJK font the line is
// rendered to raster when it ends.
func (e *Encoder) Text(text string) {
	if e.err != nil || text == "" {
		return
	}
	if !e.p.HasCJKFont {
		e.rasterText(text)
		return
	}
	e.buf = e.san.appendText(e.buf[:0], nil, text)
	if len(e.buf) == 0 {
		return
	}
	if !e.chinese {
		for _, c := range e.buf {
			if c >= 0x80 {
				e.ChineseOn()
				break
			}
		}
	}
	for _, c := range e.buf {
		if c == lf {
			e.newline()
		}
	}
	e.write("text", e.buf)
	e.midLine = e.buf[len(e.buf)-1] != lf
}

// Line prints text and ends the line.
func (e *Encoder) Line(text string) {
	e.Text(text)
	e.LF()
}

// LF prints the line buffer and advances one line.
func (e *Encoder) LF() {
	if !e.p.HasCJKFont {
		e.rasterText("\n")
		return
	}
	e.newline()
	e.write("lf", []byte{lf})
}

func (e *Encoder) newline() {
	e.dots += int64(lineDots(e.lineH))
	e.lineH = e.hmul
	e.midLine = false
}

func lineDots(h int) int {
	if d := 24*h + 6; d > LineDots {
		return d
	}
	return LineDots
}

// Feed prints the line buffer and feeds n lines, 0..255 (ESC d n).
func (e *Encoder) Feed(n int) {
	if n < 0 || n > 255 {
		e.fail("feed", ErrArgument)
		return
	}
	e.cmd("feed", esc, 'd', byte(n))
	if e.midLine { // ESC d prints the pending line first
		e.newline()
	}
	e.dots += int64(n * LineDots)
}

// CutMode selects a full or a partial cut.
type CutMode byte

const (
	PartialCut CutMode = 66 // GS V 66 n: feed to the cutter, leave one point uncut
	FullCut    CutMode = 65 // GS V 65 n: feed to the cutter, cut through
)

// Cut feeds the paper to the cutter plus feed dots (0..255 vertical motion
// units) and cuts (GS V m n). Feeding first means the last line is not cut
// through, whatever the distance from head to cutter on this model.
func (e *Encoder) Cut(mode CutMode, feed int) {
	if (mode != PartialCut && mode != FullCut) || feed < 0 || feed > 255 {
		e.fail("cut", ErrArgument)
		return
	}
	e.cmd("cut", gs, 'V', byte(mode), byte(feed))
	e.dots += int64(e.p.CutFeedDots + feed)
}

// EndOfJob asks for the paper sensor status (GS r 1). The printer handles
// it in order with the print data, so its one-byte answer means everything
// before it has been printed; a printer out of paper does not answer, so
// the reader must wait with a timeout.
func (e *Encoder) EndOfJob() {
	e.cmd("end-of-job", gs, 'r', 1)
}

// StatusKind selects a real-time status (DLE EOT n).
type StatusKind byte

const (
	PrinterStatus StatusKind = 1 // online, drawer
	OfflineStatus StatusKind = 2 // cover, feed button, paper end stop, error
	ErrorStatus   StatusKind = 3 // cutter, unrecoverable, auto-recoverable
	PaperStatus   StatusKind = 4 // paper roll sensors
)

// RequestStatus asks for a real-time status (DLE EOT n); the printer answers
// one byte even while busy or offline. Decode it with ParseStatus.
func (e *Encoder) RequestStatus(k StatusKind) {
	if k < PrinterStatus || k > PaperStatus {
		e.fail("status", ErrArgument)
		return
	}
	e.cmd("status", dle, eot, byte(k))
}

// ASB bits for AutoStatus: which changes make the printer send its four
// status bytes.
const (
	ASBDrawer = 1 << 0
	ASBOnline = 1 << 1
	ASBError  = 1 << 2
	ASBPaper  = 1 << 3
	ASBAll    = ASBDrawer | ASBOnline | ASBError | ASBPaper
)

// AutoStatus enables automatic status back for the given ASB bits (GS a n);
// 0 disables it. Decode the four-byte messages with ParseASB.
func (e *Encoder) AutoStatus(mask byte) {
	if mask&^ASBAll != 0 {
		e.fail("auto-status", ErrArgument)
		return
	}
	e.cmd("auto-status", gs, 'a', mask)
}

// NVLogo prints NV graphic n (1..255) stored at installation (FS p n m);
// mode 0 normal, 1 double width, 2 double height, 3 quadruple. Uploading
// is not offered: NV memory wears out, so that is done once at install.
func (e *Encoder) NVLogo(n, mode int) {
	if n < 1 || n > 255 || mode < 0 || mode > 3 {
		e.fail("nv-logo", ErrArgument)
		return
	}
	if !e.p.NVLogo {
		return // no logo stored: print nothing rather than an error mid-ticket
	}
	e.cmd("nv-logo", fs, 'p', byte(n), byte(mode))
	e.dots += logoDots
}

// Code128 prints data as a CODE128 barcode in code set B (GS k 73), bars
// height dots high (1..255, GS h) with modules width dots wide (2..6, GS w),
// and the human-readable text below (GS H 2). Code set B holds printable
// ASCII; '{' is escaped as the printer requires.
func (e *Encoder) Code128(data string, height, width int) {
	if height < 1 || height > 255 || width < 2 || width > 6 {
		e.fail("code128", ErrArgument)
		return
	}
	if data == "" {
		e.fail("code128", ErrInvalidData)
		return
	}
	body := []byte{'{', 'B'}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c < 0x20 || c > 0x7e {
			e.fail("code128", fmt.Errorf("%w: byte %#02x at %d", ErrInvalidData, c, i))
			return
		}
		body = append(body, c)
		if c == '{' {
			body = append(body, '{')
		}
	}
	if len(body) > 255 {
		e.fail("code128", ErrTooLong)
		return
	}
	e.cmd("code128", gs, 'h', byte(height))
	e.write("code128", []byte{gs, 'w', byte(width)}) // width, not height: a bug other libraries have
	e.write("code128", []byte{gs, 'H', 2})
	e.write("code128", append([]byte{gs, 'k', 73, byte(len(body))}, body...))
	e.dots += int64(height + LineDots)
}

// QRLevel is a QR error correction level.
type QRLevel byte

const (
	QRLevelL QRLevel = iota // 7 %
	QRLevelM                // 15 %
	QRLevelQ                // 25 %
	QRLevelH                // 30 %
)

// QRMaxData is the most data a QR code holds (version 40, level L, bytes).
const QRMaxData = 2953

// QR prints data as a QR code, model 2, with modules of module dots (1..16)
// and error correction level. Natively it is five GS ( k commands, 41 bytes
// plus the data; profiles without native QR get a raster image instead.
// Data must not hold control bytes (below 0x20, or 0x7F): the payload is a
// link the encoder's own caller built, and a control byte in it is a bug.
func (e *Encoder) QR(data string, module int, level QRLevel) {
	if module < 1 || module > 16 || level > QRLevelH {
		e.fail("qr", ErrArgument)
		return
	}
	if data == "" {
		e.fail("qr", ErrInvalidData)
		return
	}
	if len(data) > QRMaxData {
		e.fail("qr", ErrTooLong)
		return
	}
	for i := 0; i < len(data); i++ {
		if c := data[i]; c < 0x20 || c == 0x7f {
			e.fail("qr", fmt.Errorf("%w: byte %#02x at %d", ErrInvalidData, c, i))
			return
		}
	}
	if !utf8.ValidString(data) {
		e.fail("qr", fmt.Errorf("%w: not UTF-8", ErrInvalidData))
		return
	}
	if !e.p.NativeQR {
		e.rasterQR(data, module, level)
		return
	}
	n := len(data) + 3
	// Function numbers as in the Epson reference: 165 model (fn 65),
	// 167 module size (fn 67), 169 error level (fn 69), 180 store (fn 80),
	// 181 print (fn 81). cn = 49 selects QR Code.
	e.cmd("qr", gs, '(', 'k', 4, 0, 49, 65, 50, 0) // model 2
	e.write("qr", []byte{gs, '(', 'k', 3, 0, 49, 67, byte(module)})
	e.write("qr", []byte{gs, '(', 'k', 3, 0, 49, 69, 48 + byte(level)})
	e.write("qr", append([]byte{gs, '(', 'k', byte(n), byte(n >> 8), 49, 80, 48}, data...))
	e.write("qr", []byte{gs, '(', 'k', 3, 0, 49, 81, 48})
	if side, err := qrModules(data, level); err == nil {
		e.dots += int64(side * module)
	}
}

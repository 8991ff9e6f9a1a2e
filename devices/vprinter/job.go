package vprinter

import (
	"fmt"
	"strings"
	"time"
)

// DotsPerMM is the resolution of every common 58 and 80 mm thermal printer
// (203 dpi).
const DotsPerMM = 8

// Align is the justification set by ESC a.
type Align int

// Justifications, in ESC a order.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

func (a Align) String() string {
	switch a {
	case AlignCenter:
		return "center"
	case AlignRight:
		return "right"
	}
	return "left"
}

// Style is the character style in force when a character was received.
type Style struct {
	Bold      bool // ESC E, ESC ! bit 3
	Underline int  // ESC -, ESC ! bit 7: 0, 1 or 2 dots
	Width     int  // 1..8, GS ! high nibble, ESC ! bit 5
	Height    int  // 1..8, GS ! low nibble, ESC ! bit 4
	FontB     bool // ESC M, ESC ! bit 0
	Reverse   bool // GS B
	UpsideDn  bool // ESC {
}

// Run is text of one style within a line.
type Run struct {
	Text  string
	Style Style
	// Wide is true for double-byte characters received in Chinese mode
	// (24 dots wide), false for single-byte ones (12 dots).
	Wide bool
}

// Kind says what an Element is.
type Kind string

// Element kinds.
const (
	KindText    Kind = "text"    // a printed line (possibly empty: a line feed)
	KindFeed    Kind = "feed"    // paper feed without printing (ESC d, ESC J)
	KindQR      Kind = "qr"      // GS ( k print
	KindBarcode Kind = "barcode" // GS k
	KindRaster  Kind = "raster"  // GS v 0, ESC *
	KindLogo    Kind = "logo"    // FS p: an NV image the printer holds
)

// Element is one thing on the paper, in order.
type Element struct {
	Kind  Kind
	Align Align
	// Dots is how far the paper advanced for this element, in dots.
	Dots int

	Runs    []Run // KindText
	Wrapped bool  // KindText: the printer wrapped the line because it was too wide

	QR      *QR
	Barcode *Barcode
	Raster  *Raster
	Logo    int // KindLogo: NV image number
}

// Text returns the characters of a text element.
func (e Element) Text() string {
	var b strings.Builder
	for _, r := range e.Runs {
		b.WriteString(r.Text)
	}
	return b.String()
}

// QR is a printed QR code symbol with the settings in force when it printed.
type QR struct {
	Data   []byte
	Model  int  // 1 or 2 (GS ( k fn 65)
	Module int  // dots per module (fn 67)
	ECC    byte // 'L', 'M', 'Q' or 'H' (fn 69)
}

// Barcode is a printed 1-D barcode.
type Barcode struct {
	System int    // GS k m (73 = CODE128)
	Data   []byte // as sent, including CODE128 code-set selectors like "{B"
	Text   string // human-readable content (code-set selectors removed)
	Height int    // GS h
	Module int    // GS w
	HRI    int    // GS H: 0 none, 1 above, 2 below, 3 both
}

// Raster is a monochrome image, one bit per dot, MSB first, 1 = black.
type Raster struct {
	WidthBytes int
	Rows       int
	Mode       int // GS v 0 m: 1 double width, 2 double height, 3 both
	Data       []byte
}

// Dot reports whether the dot at (x, y) of the unscaled image is black.
func (r *Raster) Dot(x, y int) bool {
	i := y*r.WidthBytes + x/8
	if i >= len(r.Data) {
		return false
	}
	return r.Data[i]&(0x80>>(x%8)) != 0
}

// Cut is how a job ended.
type Cut string

// Cut kinds.
const (
	CutNone    Cut = ""        // not cut (yet)
	CutFull    Cut = "full"    // GS V 0/48/65/97
	CutPartial Cut = "partial" // GS V 1/49/66/98, ESC i, ESC m
)

// Job is the paper between two cuts, with the bytes that produced it.
type Job struct {
	Seq      int
	Elements []Element
	Cut      Cut
	// Raw holds the bytes that the mechanism processed for this job
	// (capped at 1 MiB; oversized images are counted, not kept).
	Raw []byte
	// Errors are protocol errors met while the job printed: unknown
	// commands, 4-byte GB18030, QR print without data, and so on.
	Errors []string
	Done   time.Time
	// PNG is the rendered ticket, File where it was saved ("" if not).
	PNG  []byte
	File string
}

// Lines returns the text lines, one per text element, in order.
func (j *Job) Lines() []string {
	var out []string
	for _, e := range j.Elements {
		if e.Kind == KindText {
			out = append(out, e.Text())
		}
	}
	return out
}

// Text returns the printed text lines joined by newlines.
func (j *Job) Text() string { return strings.Join(j.Lines(), "\n") }

// QRs returns the payloads of the QR codes printed, in order.
func (j *Job) QRs() []string {
	var out []string
	for _, e := range j.Elements {
		if e.Kind == KindQR {
			out = append(out, string(e.QR.Data))
		}
	}
	return out
}

// Dots is the length of paper the job used, in dots.
func (j *Job) Dots() int {
	n := 0
	for _, e := range j.Elements {
		n += e.Dots
	}
	return n
}

// LengthMM is the length of paper the job used.
func (j *Job) LengthMM() float64 { return float64(j.Dots()) / DotsPerMM }

// Measure returns the paper a byte stream uses, in dots, as the virtual
// printer would print it on paper width dots wide (0: 80 mm). Drivers use
// it to keep a paper counter when the caller does not know the length.
func Measure(data []byte, width int) int {
	dots := 0
	p := &Parser{Width: width, Advance: func(d int) { dots += d }}
	p.Feed(data)
	return dots
}

// Describe returns a readable account of the job, one element a line, for
// logs and the emulator's output.
func (j *Job) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "job %d: %.1f mm, cut %q\n", j.Seq, j.LengthMM(), j.Cut)
	for _, e := range j.Elements {
		switch e.Kind {
		case KindText:
			style := ""
			if len(e.Runs) > 0 {
				s := e.Runs[0].Style
				style = fmt.Sprintf(" %dx%d", s.Width, s.Height)
				if s.Bold {
					style += " bold"
				}
			}
			fmt.Fprintf(&b, "  text %-6s%s %q\n", e.Align, style, e.Text())
		case KindQR:
			fmt.Fprintf(&b, "  qr   %-6s module %d ecc %c %q\n", e.Align, e.QR.Module, e.QR.ECC, e.QR.Data)
		case KindBarcode:
			fmt.Fprintf(&b, "  barcode %d %q height %d module %d\n", e.Barcode.System, e.Barcode.Text, e.Barcode.Height, e.Barcode.Module)
		case KindRaster:
			fmt.Fprintf(&b, "  raster %dx%d\n", e.Raster.WidthBytes*8, e.Raster.Rows)
		case KindLogo:
			fmt.Fprintf(&b, "  logo %d\n", e.Logo)
		case KindFeed:
			fmt.Fprintf(&b, "  feed %d dots\n", e.Dots)
		}
	}
	for _, e := range j.Errors {
		fmt.Fprintf(&b, "  error: %s\n", e)
	}
	return b.String()
}

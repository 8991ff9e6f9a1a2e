package vprinter

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits that keep a hostile or broken stream from exhausting memory: a
// command whose data is larger than maxCommand is counted and discarded
// (and reported), never buffered.
const (
	maxCommand = 1 << 20
	maxRaw     = 1 << 20
)

// Defaults of a printer after ESC @.
const (
	defaultSpacing   = 30  // ESC 2: 1/6 inch at 180 dpi motion units, ~3.75 mm
	defaultBCHeight  = 162 // GS h
	defaultBCModule  = 3   // GS w
	defaultQRModule  = 3   // GS ( k fn 67
	baseCharHeight   = 24  // font A and Chinese characters are 24 dots high
	halfCharWidth    = 12  // font A
	halfCharWidthB   = 9   // font B
	fullCharWidth    = 24  // Chinese
	defaultPaperDots = 576 // 80 mm paper, 72 mm printable
)

// Parser is a streaming ESC/POS interpreter: the printer's mechanism. It
// takes bytes in arbitrary pieces (a command may be split anywhere) and
// builds Jobs. It never panics on any input and always makes progress;
// unknown or malformed commands are recorded in Job.Errors.
//
// Real-time commands (DLE EOT, DLE ENQ, DLE DC4) are only skipped here: a
// real printer answers them when they arrive on the wire, not when the
// mechanism reaches them, and so does Printer.
type Parser struct {
	// Width is the printable width in dots (576 for 80 mm, 384 for 58 mm).
	Width int
	// ChineseDefault is the DIP-switch setting: whether the printer starts
	// (and returns after ESC @) in Chinese mode. Off by default so that an
	// encoder that forgets FS & prints garbage here as it would in a hall.
	ChineseDefault bool
	// NV holds the images stored in non-volatile memory, by FS p number.
	NV map[int]*Raster

	// Ready is checked before each command; when it returns false, Feed
	// stops and returns what it consumed so far (the printer holds the
	// rest, e.g. when paper is out).
	Ready func() bool
	// Advance is called whenever paper moves, with the distance in dots.
	Advance func(dots int)
	// Query is called for commands that the printer answers in stream
	// order: "GS r", "GS I", "ESC v", "ESC u".
	Query func(cmd string, n byte)
	// ASB is called for GS a n (automatic status back).
	ASB func(n byte)
	// Done is called when a cut ends a job.
	Done func(*Job)

	pend []byte // start of an incomplete command
	need int    // bytes pend must reach before trying again
	skip int    // data bytes of an oversized command still to discard

	inited bool
	st     pstate
	job    *Job
	seq    int

	line      []Run
	lineW     int
	lineH     int // tallest character or ESC * band on the line
	lineAlign Align
	lineUsed  bool

	gbk    func([]byte) (rune, bool)
	cutJob *Job    // cut by the command being executed; delivered once its bytes are in Raw
	dl     *Raster // GS * downloaded image
	dlErr  bool
}

type pstate struct {
	chinese bool
	style   Style
	fsWide  bool // FS ! bit 2
	fsTall  bool // FS ! bit 3
	// Size of Chinese characters: GS ! sets it, ESC ! does not (on
	// Chinese printers ESC ! enlarges only single-byte characters).
	cjkW, cjkH int
	align      Align
	spacing    int
	codepage   byte
	qrModel    int
	qrModule   int
	qrECC      byte
	qrData     []byte
	bcHeight   int
	bcModule   int
	bcHRI      int
	upsideDwn  bool
}

func (p *Parser) init() {
	if p.inited {
		return
	}
	p.inited = true
	if p.Width <= 0 {
		p.Width = defaultPaperDots
	}
	p.reset()
	p.newJob()
	dec := simplifiedchinese.GB18030.NewDecoder()
	p.gbk = func(b []byte) (rune, bool) {
		out, err := dec.Bytes(b)
		if err != nil {
			return utf8.RuneError, false
		}
		r, _ := utf8.DecodeRune(out)
		return r, r != utf8.RuneError
	}
}

func (p *Parser) reset() {
	p.st = pstate{
		chinese:  p.ChineseDefault,
		style:    Style{Width: 1, Height: 1},
		cjkW:     1,
		cjkH:     1,
		spacing:  defaultSpacing,
		qrModel:  2,
		qrModule: defaultQRModule,
		qrECC:    'L',
		bcHeight: defaultBCHeight,
		bcModule: defaultBCModule,
	}
	// ESC @ clears the print buffer: a half-built line is lost.
	p.line, p.lineW, p.lineH, p.lineUsed = nil, 0, 0, false
}

func (p *Parser) newJob() {
	p.seq++
	p.job = &Job{Seq: p.seq}
}

// Pending returns the job being built (no cut yet). It shares state with
// the parser: call it only from the goroutine that feeds.
func (p *Parser) Pending() *Job {
	p.init()
	return p.job
}

func (p *Parser) errorf(format string, args ...any) {
	if len(p.job.Errors) < 1000 {
		p.job.Errors = append(p.job.Errors, fmt.Sprintf(format, args...))
	}
}

func (p *Parser) raw(b []byte) { p.job.Raw = appendCapped(p.job.Raw, b) }

func appendCapped(raw, b []byte) []byte {
	if room := maxRaw - len(raw); room > 0 {
		if len(b) > room {
			b = b[:room]
		}
		raw = append(raw, b...)
	}
	return raw
}

// Feed processes data and returns how many bytes it consumed. It consumes
// everything unless Ready returned false; an incomplete trailing command is
// consumed and kept until the rest arrives.
func (p *Parser) Feed(data []byte) int {
	p.init()
	consumed := 0
	for consumed < len(data) {
		if p.skip > 0 {
			k := min(p.skip, len(data)-consumed)
			p.skip -= k
			consumed += k
			continue
		}
		if len(p.pend) > 0 && len(p.pend)+len(data)-consumed < p.need {
			p.pend = append(p.pend, data[consumed:]...)
			return len(data)
		}
		if len(p.pend) == 0 && p.Ready != nil && !p.Ready() {
			break
		}
		b := data[consumed:]
		base := len(p.pend)
		if base > 0 {
			b = append(p.pend, b...)
		}
		n, need := p.step(b)
		if need > 0 && need <= len(b) {
			need = len(b) + 1 // never wait for bytes already here
		}
		if need > 0 {
			p.pend = append(p.pend[:0:0], b...)
			p.need = need
			return len(data)
		}
		if n <= 0 {
			n = 1 // progress is guaranteed whatever step says
		}
		if j := p.cutJob; j != nil {
			p.cutJob = nil
			j.Raw = appendCapped(j.Raw, b[:n])
			if p.Done != nil {
				p.Done(j)
			}
		} else {
			p.raw(b[:n])
		}
		p.need = 0
		if n < base { // a malformed command consumed less than what was pending
			p.pend = append([]byte(nil), p.pend[n:]...)
			continue
		}
		p.pend = p.pend[:0]
		consumed += n - base
	}
	return consumed
}

// step executes the command at the start of b. It returns the bytes it
// consumed (at least 1), or need > len(b) when b holds an incomplete command.
func (p *Parser) step(b []byte) (n, need int) {
	c := b[0]
	switch {
	case c == 0x1B:
		return p.esc(b)
	case c == 0x1D:
		return p.gs(b)
	case c == 0x1C:
		return p.fs(b)
	case c == 0x10:
		return p.dle(b)
	case c == '\n':
		p.printLine(0)
		return 1, 0
	case c == '\r', c == 0x00, c == 0x18: // CR is ignored when LF ends lines; NUL and CAN do nothing in standard mode
		return 1, 0
	case c == '\t':
		col := p.lineW / halfCharWidth
		next := (col/8 + 1) * 8
		for i := col; i < next; i++ {
			p.addChar(' ', false)
		}
		return 1, 0
	case c == 0x0C: // FF in standard mode prints and feeds like LF
		p.printLine(0)
		return 1, 0
	case c < 0x20:
		p.errorf("unknown control byte 0x%02X", c)
		return 1, 0
	}
	return p.text(b)
}

func (p *Parser) text(b []byte) (n, need int) {
	c := b[0]
	if p.st.chinese && c >= 0x80 {
		if c == 0x80 || c == 0xFF {
			p.errorf("byte 0x%02X is not a GB18030 lead byte", c)
			p.addChar('\uFFFD', true)
			return 1, 0
		}
		if len(b) < 2 {
			return 0, 2
		}
		s := b[1]
		switch {
		case s >= 0x30 && s <= 0x39:
			// A Chinese printer knows two-byte GB18030 only: a four-byte
			// sequence prints as two junk characters.
			p.errorf("four-byte GB18030 sequence starting % X prints as junk", b[:2])
			p.addChar('\uFFFD', true)
			return 2, 0
		case s < 0x40 || s == 0x7F || s == 0xFF:
			p.errorf("invalid GB18030 pair % X", b[:2])
			p.addChar('\uFFFD', true)
			return 2, 0
		}
		r, ok := p.gbk(b[:2])
		if !ok {
			p.errorf("undecodable GB18030 pair % X", b[:2])
			r = '\uFFFD'
		}
		p.addChar(r, true)
		return 2, 0
	}
	if c >= 0x80 {
		r := charmap.CodePage437.DecodeByte(c)
		p.addChar(r, false)
		return 1, 0
	}
	i := 0
	for i < len(b) && b[i] >= 0x20 && b[i] < 0x80 {
		p.addChar(rune(b[i]), false)
		i++
	}
	return i, 0
}

func (p *Parser) charSize(wide bool) (w, h int) {
	s := p.st.style
	w, h = s.Width, s.Height
	if wide {
		w, h = p.st.cjkW, p.st.cjkH
		if p.st.fsWide {
			w = max(w, 2)
		}
		if p.st.fsTall {
			h = max(h, 2)
		}
		return fullCharWidth * w, baseCharHeight * h
	}
	cw := halfCharWidth
	if s.FontB {
		cw = halfCharWidthB
		return cw * w, 17 * h
	}
	return cw * w, baseCharHeight * h
}

func (p *Parser) addChar(r rune, wide bool) {
	w, h := p.charSize(wide)
	if p.lineW > 0 && p.lineW+w > p.Width {
		p.printLine(0)
		p.job.Elements[len(p.job.Elements)-1].Wrapped = true
	}
	if !p.lineUsed {
		p.lineAlign = p.st.align
		p.lineUsed = true
	}
	p.lineW += w
	p.lineH = max(p.lineH, h)
	st := p.st.style
	if wide {
		st.Width, st.Height = w/fullCharWidth, h/baseCharHeight
	}
	if n := len(p.line); n > 0 && p.line[n-1].Style == st && p.line[n-1].Wide == wide {
		p.line[n-1].Text += string(r)
		return
	}
	p.line = append(p.line, Run{Text: string(r), Style: st, Wide: wide})
}

// printLine prints the line buffer and feeds one line (or feed dots when
// feed > 0, for ESC J).
func (p *Parser) printLine(feed int) {
	d := p.st.spacing
	if feed > 0 {
		d = feed
	}
	d = max(d, p.lineH)
	al := p.st.align
	if p.lineUsed {
		al = p.lineAlign
	}
	p.add(Element{Kind: KindText, Align: al, Runs: p.line, Dots: d})
	p.line, p.lineW, p.lineH, p.lineUsed = nil, 0, 0, false
}

// flushLine prints a non-empty line buffer, as commands that must start at
// the beginning of a line do.
func (p *Parser) flushLine() {
	if len(p.line) > 0 {
		p.printLine(0)
	}
}

func (p *Parser) add(e Element) {
	p.job.Elements = append(p.job.Elements, e)
	if e.Dots > 0 && p.Advance != nil {
		p.Advance(e.Dots)
	}
}

func (p *Parser) feed(dots int) {
	if dots > 0 {
		p.add(Element{Kind: KindFeed, Dots: dots})
	}
}

func (p *Parser) cut(kind Cut, feed int) {
	p.flushLine()
	p.feed(feed)
	j := p.job
	j.Cut = kind
	j.Done = time.Now()
	p.newJob()
	p.cutJob = j
}

// fixedLen returns the length l if b holds it, else asks for l bytes.
func fixedLen(b []byte, l int) (int, int) {
	if len(b) < l {
		return 0, l
	}
	return l, 0
}

// withData handles "header + count bytes of data": the data is buffered
// when small and skipped (with an error) when larger than maxCommand.
// It reports ok when the whole command is in b.
func (p *Parser) withData(b []byte, header, count int, name string) (n, need int, ok bool) {
	if count > maxCommand {
		p.errorf("%s: %d data bytes exceed the %d limit, discarded", name, count, maxCommand)
		p.skip = count
		return header, 0, false
	}
	if len(b) < header+count {
		return 0, header + count, false
	}
	return header + count, 0, true
}

func (p *Parser) esc(b []byte) (int, int) {
	if len(b) < 2 {
		return 0, 2
	}
	c := b[1]
	switch c {
	case '@':
		p.reset()
		return 2, 0
	case '2':
		p.st.spacing = defaultSpacing
		return 2, 0
	case 'i', 'm': // old partial cut
		p.cut(CutPartial, 0)
		return 2, 0
	case 'L', 'S', 'v', 0x0C, 'K':
		// page mode on/off, paper sensor status (old), print in page mode
		if c == 'L' {
			p.errorf("ESC L: page mode is not emulated")
		}
		if c == 'v' {
			if p.Query != nil {
				p.Query("ESC v", 0)
			}
		}
		if c == 'K' {
			return fixedLen(b, 3)
		}
		return 2, 0
	case '3':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.spacing = int(b[2])
		}
		return n, need
	case '!':
		n, need := fixedLen(b, 3)
		if need == 0 {
			v := b[2]
			s := &p.st.style
			s.FontB = v&0x01 != 0
			s.Bold = v&0x08 != 0
			s.Height, s.Width = 1, 1
			if v&0x10 != 0 {
				s.Height = 2
			}
			if v&0x20 != 0 {
				s.Width = 2
			}
			s.Underline = 0
			if v&0x80 != 0 {
				s.Underline = 1
			}
		}
		return n, need
	case 'E', 'G':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.style.Bold = b[2]&1 != 0
		}
		return n, need
	case '-':
		n, need := fixedLen(b, 3)
		if need == 0 {
			switch v := b[2]; v {
			case 0, 1, 2, '0', '1', '2':
				p.st.style.Underline = int(v & 0x03)
			default:
				p.errorf("ESC - %d: out of range", v)
			}
		}
		return n, need
	case 'a':
		n, need := fixedLen(b, 3)
		if need == 0 {
			switch v := b[2]; v {
			case 0, 1, 2, '0', '1', '2':
				p.st.align = Align(v & 0x03)
			default:
				p.errorf("ESC a %d: out of range", v)
			}
		}
		return n, need
	case 'M':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.style.FontB = b[2]&1 != 0
		}
		return n, need
	case '{':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.style.UpsideDn = b[2]&1 != 0
		}
		return n, need
	case 't':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.codepage = b[2]
		}
		return n, need
	case 'd':
		n, need := fixedLen(b, 3)
		if need == 0 {
			lines := int(b[2])
			if len(p.line) > 0 {
				p.printLine(0)
				lines--
			}
			p.feed(lines * p.st.spacing)
		}
		return n, need
	case 'J':
		n, need := fixedLen(b, 3)
		if need == 0 {
			if len(p.line) > 0 {
				p.printLine(int(b[2]))
			} else {
				p.feed(int(b[2]))
			}
		}
		return n, need
	case 'e': // reverse feed: the paper does not come back for our purposes
		return fixedLen(b, 3)
	case ' ', '%', '=', '?', 'R', 'T', 'V', 'r', 'u', 'U', 'I', 'k', 'l', 'X', 'Y':
		n, need := fixedLen(b, 3)
		if need == 0 && c == 'u' && p.Query != nil {
			p.Query("ESC u", b[2])
		}
		return n, need
	case '$', '\\':
		return fixedLen(b, 4)
	case 'c':
		return fixedLen(b, 4) // ESC c 3/4/5 n: panel and sensor settings
	case 'p':
		return fixedLen(b, 5) // drawer kick
	case 'W':
		return fixedLen(b, 10)
	case 'D': // tab positions, NUL-terminated, at most 32
		for i := 2; i < len(b) && i < 35; i++ {
			if b[i] == 0 {
				return i + 1, 0
			}
		}
		if len(b) >= 35 {
			p.errorf("ESC D: no NUL after 32 tab positions")
			return 2, 0
		}
		return 0, len(b) + 1
	case '*':
		if len(b) < 5 {
			return 0, 5
		}
		m, cols := b[2], int(b[3])|int(b[4])<<8
		bytesPerCol := 1
		switch m {
		case 0, 1:
		case 32, 33:
			bytesPerCol = 3
		default:
			p.errorf("ESC * mode %d: out of range", m)
			return 5, 0
		}
		n, need, ok := p.withData(b, 5, cols*bytesPerCol, "ESC *")
		if ok {
			p.bitImage(b[5:n], cols, bytesPerCol)
		}
		return n, need
	case '&': // user-defined characters: ESC & y c1 c2 [x d1..d(y*x)]...
		if len(b) < 5 {
			return 0, 5
		}
		y, c1, c2 := int(b[2]), int(b[3]), int(b[4])
		if y > 3 || c1 < 32 || c2 > 126 || c1 > c2 {
			p.errorf("ESC & %d %d %d: out of range", y, c1, c2)
			return 5, 0
		}
		i := 5
		for ch := c1; ch <= c2; ch++ {
			if i >= len(b) {
				return 0, i + 1
			}
			i += 1 + y*int(b[i])
		}
		if len(b) < i {
			return 0, i
		}
		return i, 0
	case '(': // ESC ( A / ESC ( Y: pL pH then data
		if len(b) < 5 {
			return 0, 5
		}
		n, need, _ := p.withData(b, 5, int(b[3])|int(b[4])<<8, "ESC (")
		return n, need
	}
	p.errorf("unknown command ESC 0x%02X", c)
	return 2, 0
}

func (p *Parser) bitImage(d []byte, cols, bytesPerCol int) {
	rows := 8 * bytesPerCol
	r := &Raster{WidthBytes: (cols + 7) / 8, Rows: rows}
	r.Data = make([]byte, r.WidthBytes*rows)
	for x := 0; x < cols; x++ {
		for k := 0; k < bytesPerCol; k++ {
			v := d[x*bytesPerCol+k]
			for bit := 0; bit < 8; bit++ {
				if v&(0x80>>bit) != 0 {
					y := k*8 + bit
					r.Data[y*r.WidthBytes+x/8] |= 0x80 >> (x % 8)
				}
			}
		}
	}
	// The band belongs to the current line: the LF that follows moves the
	// paper, so the element itself takes no length.
	if !p.lineUsed {
		p.lineAlign = p.st.align
		p.lineUsed = true
	}
	p.lineH = max(p.lineH, rows)
	p.add(Element{Kind: KindRaster, Align: p.st.align, Raster: r})
}

func (p *Parser) fs(b []byte) (int, int) {
	if len(b) < 2 {
		return 0, 2
	}
	switch c := b[1]; c {
	case '&':
		p.st.chinese = true
		return 2, 0
	case '.':
		p.st.chinese = false
		return 2, 0
	case '!':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.fsWide = b[2]&0x04 != 0
			p.st.fsTall = b[2]&0x08 != 0
		}
		return n, need
	case '-', 'C', 'W', 'r':
		return fixedLen(b, 3)
	case 'S':
		return fixedLen(b, 4)
	case '2': // user-defined Chinese character: c1 c2 + 72 bytes
		return fixedLen(b, 76)
	case 'p':
		n, need := fixedLen(b, 4)
		if need == 0 {
			p.flushLine()
			num := int(b[2])
			img := p.NV[num]
			if img == nil {
				p.errorf("FS p %d: no NV image %d stored", num, num)
				return n, 0
			}
			dots := img.Rows
			if b[3]&2 != 0 {
				dots *= 2
			}
			p.add(Element{Kind: KindLogo, Align: p.st.align, Logo: num, Raster: img, Dots: dots})
		}
		return n, need
	case 'q':
		// Defining NV images rewrites flash that wears out: a printer must
		// get its logo once at install, never inside a ticket.
		if len(b) < 3 {
			return 0, 3
		}
		p.errorf("FS q: NV memory written inside a job")
		i := 3
		imgs := map[int]*Raster{}
		for k := 1; k <= int(b[2]); k++ {
			if len(b) < i+4 {
				return 0, i + 4
			}
			x, y := int(b[i])|int(b[i+1])<<8, int(b[i+2])|int(b[i+3])<<8
			size := x * y * 8
			if size > maxCommand {
				p.errorf("FS q: image %d too large", k)
				return 3, 0
			}
			if len(b) < i+4+size {
				return 0, i + 4 + size
			}
			imgs[k] = columnImage(b[i+4:i+4+size], x*8, y)
			i += 4 + size
		}
		if p.NV == nil {
			p.NV = map[int]*Raster{}
		}
		for k, v := range imgs {
			p.NV[k] = v
		}
		return i, 0
	}
	p.errorf("unknown command FS 0x%02X", b[1])
	return 2, 0
}

// columnImage converts column-major bit images (GS *, FS q): cols columns
// of colBytes bytes, MSB at the top.
func columnImage(d []byte, cols, colBytes int) *Raster {
	r := &Raster{WidthBytes: (cols + 7) / 8, Rows: colBytes * 8}
	r.Data = make([]byte, r.WidthBytes*r.Rows)
	for x := 0; x < cols; x++ {
		for k := 0; k < colBytes; k++ {
			i := x*colBytes + k
			if i >= len(d) {
				return r
			}
			for bit := 0; bit < 8; bit++ {
				if d[i]&(0x80>>bit) != 0 {
					y := k*8 + bit
					r.Data[y*r.WidthBytes+x/8] |= 0x80 >> (x % 8)
				}
			}
		}
	}
	return r
}

func (p *Parser) dle(b []byte) (int, int) {
	if len(b) < 2 {
		return 0, 2
	}
	switch b[1] {
	case 0x04: // DLE EOT n (n 7, 8 take one more byte)
		if len(b) < 3 {
			return 0, 3
		}
		if b[2] == 7 || b[2] == 8 {
			return fixedLen(b, 4)
		}
		return 3, 0
	case 0x05: // DLE ENQ n
		return fixedLen(b, 3)
	case 0x14: // DLE DC4 fn ...
		if len(b) < 3 {
			return 0, 3
		}
		switch b[2] {
		case 1, 2:
			return fixedLen(b, 5)
		case 7:
			return fixedLen(b, 4)
		case 8:
			return fixedLen(b, 10)
		}
		p.errorf("unknown command DLE DC4 %d", b[2])
		return 3, 0
	}
	// A lone DLE is data to no one; the next byte is parsed afresh.
	p.errorf("unknown command DLE 0x%02X", b[1])
	return 1, 0
}

func (p *Parser) gs(b []byte) (int, int) {
	if len(b) < 2 {
		return 0, 2
	}
	c := b[1]
	switch c {
	case '!':
		n, need := fixedLen(b, 3)
		if need == 0 {
			w, h := int(b[2]>>4)+1, int(b[2]&0x0F)+1
			if w > 8 || h > 8 {
				p.errorf("GS ! 0x%02X: size out of range", b[2])
			} else {
				p.st.style.Width, p.st.style.Height = w, h
				p.st.cjkW, p.st.cjkH = w, h
			}
		}
		return n, need
	case 'B':
		n, need := fixedLen(b, 3)
		if need == 0 {
			p.st.style.Reverse = b[2]&1 != 0
		}
		return n, need
	case 'h':
		n, need := fixedLen(b, 3)
		if need == 0 {
			if b[2] == 0 {
				p.errorf("GS h 0: barcode height out of range")
			} else {
				p.st.bcHeight = int(b[2])
			}
		}
		return n, need
	case 'w':
		n, need := fixedLen(b, 3)
		if need == 0 {
			if v := b[2]; v < 1 || v > 6 {
				p.errorf("GS w %d: barcode module out of range 2..6", v)
			} else {
				p.st.bcModule = int(v)
			}
		}
		return n, need
	case 'H':
		n, need := fixedLen(b, 3)
		if need == 0 {
			if v := b[2]; v <= 3 {
				p.st.bcHRI = int(v)
			} else if v >= '0' && v <= '3' {
				p.st.bcHRI = int(v - '0')
			} else {
				p.errorf("GS H %d: out of range", v)
			}
		}
		return n, need
	case 'r':
		n, need := fixedLen(b, 3)
		if need == 0 && p.Query != nil {
			p.Query("GS r", b[2])
		}
		return n, need
	case 'I':
		n, need := fixedLen(b, 3)
		if need == 0 && p.Query != nil {
			p.Query("GS I", b[2])
		}
		return n, need
	case 'a':
		n, need := fixedLen(b, 3)
		if need == 0 && p.ASB != nil {
			p.ASB(b[2])
		}
		return n, need
	case 'f', 'b', 'E', 'g', 'j', 'z', 'T':
		return fixedLen(b, 3)
	case '$', 'L', 'W', '\\', 'P':
		return fixedLen(b, 4)
	case '^':
		return fixedLen(b, 5)
	case ':':
		return 2, 0
	case 'V':
		if len(b) < 3 {
			return 0, 3
		}
		switch m := b[2]; m {
		case 0, '0':
			p.cut(CutFull, 0)
			return 3, 0
		case 1, '1':
			p.cut(CutPartial, 0)
			return 3, 0
		case 'A', 'B', 'a', 'b', 'g', 'h':
			if len(b) < 4 {
				return 0, 4
			}
			kind := CutFull
			if m == 'B' || m == 'b' || m == 'h' {
				kind = CutPartial
			}
			p.cut(kind, int(b[3]))
			return 4, 0
		default:
			p.errorf("GS V %d: unknown cut mode", m)
			return 3, 0
		}
	case 'k':
		return p.barcode(b)
	case 'v':
		if len(b) < 8 {
			return 0, 8
		}
		if b[2] != '0' {
			p.errorf("GS v 0x%02X: unknown", b[2])
			return 3, 0
		}
		m := b[3]
		x, y := int(b[4])|int(b[5])<<8, int(b[6])|int(b[7])<<8
		if m > 3 && (m < '0' || m > '3') {
			p.errorf("GS v 0 mode %d: out of range", m)
		}
		if x == 0 || y == 0 {
			p.errorf("GS v 0: empty image %dx%d", x, y)
			return 8, 0
		}
		n, need, ok := p.withData(b, 8, x*y, "GS v 0")
		if ok {
			p.flushLine()
			r := &Raster{WidthBytes: x, Rows: y, Mode: int(m & 3), Data: append([]byte(nil), b[8:n]...)}
			scaleX := 1 + int(m&1)
			if x*8*scaleX > p.Width {
				p.errorf("GS v 0: image %d dots wide exceeds the %d-dot paper", x*8*scaleX, p.Width)
			}
			p.add(Element{Kind: KindRaster, Align: p.st.align, Raster: r, Dots: y * (1 + int(m&2)/2)})
		}
		return n, need
	case '*':
		if len(b) < 4 {
			return 0, 4
		}
		x, y := int(b[2]), int(b[3])
		n, need, ok := p.withData(b, 4, x*y*8, "GS *")
		if ok {
			p.dl = columnImage(b[4:n], x*8, y)
		}
		return n, need
	case '/':
		n, need := fixedLen(b, 3)
		if need == 0 {
			if p.dl == nil {
				p.errorf("GS /: no downloaded image")
			} else {
				p.flushLine()
				p.add(Element{Kind: KindRaster, Align: p.st.align, Raster: p.dl, Dots: p.dl.Rows})
			}
		}
		return n, need
	case '(':
		if len(b) < 5 {
			return 0, 5
		}
		l := int(b[3]) | int(b[4])<<8
		n, need, ok := p.withData(b, 5, l, "GS (")
		if ok {
			switch b[2] {
			case 'k':
				p.symbol(b[5:n])
			case 'L':
				p.errorf("GS ( L: graphics data not emulated")
			}
		}
		return n, need
	case '8':
		if len(b) < 7 {
			return 0, 7
		}
		if b[2] != 'L' {
			p.errorf("GS 8 0x%02X: unknown", b[2])
			return 3, 0
		}
		l := int(b[3]) | int(b[4])<<8 | int(b[5])<<16 | int(b[6])<<24
		p.errorf("GS 8 L: graphics data not emulated")
		n, need, _ := p.withData(b, 7, l, "GS 8 L")
		return n, need
	}
	p.errorf("unknown command GS 0x%02X", c)
	return 2, 0
}

// symbol handles GS ( k after pL pH: cn fn parameters.
func (p *Parser) symbol(d []byte) {
	if len(d) < 2 {
		p.errorf("GS ( k: %d parameter bytes, need cn and fn", len(d))
		return
	}
	cn, fn := d[0], d[1]
	if cn != 49 {
		p.errorf("GS ( k cn=%d: only QR (49) is emulated", cn)
		return
	}
	arg := d[2:]
	want := func(l int) bool {
		if len(arg) != l {
			p.errorf("GS ( k QR fn %d: %d parameter bytes, want %d", fn, len(arg), l)
			return false
		}
		return true
	}
	switch fn {
	case 65:
		if want(2) {
			if arg[0] < 49 || arg[0] > 51 || arg[1] != 0 {
				p.errorf("GS ( k QR model %d %d: out of range", arg[0], arg[1])
				return
			}
			p.st.qrModel = int(arg[0] - 48)
		}
	case 67:
		if want(1) {
			if arg[0] < 1 || arg[0] > 16 {
				p.errorf("GS ( k QR module size %d: out of range 1..16", arg[0])
				return
			}
			p.st.qrModule = int(arg[0])
		}
	case 69:
		if want(1) {
			if arg[0] < 48 || arg[0] > 51 {
				p.errorf("GS ( k QR error correction %d: out of range 48..51", arg[0])
				return
			}
			p.st.qrECC = "LMQH"[arg[0]-48]
		}
	case 80:
		if len(arg) < 2 || arg[0] != 48 {
			p.errorf("GS ( k QR store: want m=48 and data")
			return
		}
		p.st.qrData = append([]byte(nil), arg[1:]...)
	case 81:
		if want(1) {
			p.printQR()
		}
	case 82:
		if p.Query != nil {
			p.Query("GS ( k 82", 0)
		}
	default:
		p.errorf("GS ( k QR fn %d: unknown", fn)
	}
}

func qrLevel(ecc byte) qrcode.RecoveryLevel {
	switch ecc {
	case 'M':
		return qrcode.Medium
	case 'Q':
		return qrcode.High
	case 'H':
		return qrcode.Highest
	}
	return qrcode.Low
}

func (p *Parser) printQR() {
	if len(p.st.qrData) == 0 {
		p.errorf("GS ( k QR print: no data stored")
		return
	}
	q, err := qrcode.New(string(p.st.qrData), qrLevel(p.st.qrECC))
	if err != nil {
		p.errorf("GS ( k QR print: %v", err)
		return
	}
	q.DisableBorder = true
	modules := len(q.Bitmap())
	p.flushLine()
	p.add(Element{Kind: KindQR, Align: p.st.align, Dots: modules * p.st.qrModule, QR: &QR{
		Data: append([]byte(nil), p.st.qrData...), Model: p.st.qrModel, Module: p.st.qrModule, ECC: p.st.qrECC,
	}})
}

func (p *Parser) barcode(b []byte) (int, int) {
	if len(b) < 3 {
		return 0, 3
	}
	m := int(b[2])
	var data []byte
	var n int
	switch {
	case m <= 6:
		i := 3
		for ; i < len(b) && b[i] != 0; i++ {
			if i > 258 {
				p.errorf("GS k %d: no NUL terminator", m)
				return 3, 0
			}
		}
		if i >= len(b) {
			return 0, len(b) + 1
		}
		data, n = b[3:i], i+1
	case m >= 65 && m <= 79:
		if len(b) < 4 {
			return 0, 4
		}
		l := int(b[3])
		if len(b) < 4+l {
			return 0, 4 + l
		}
		data, n = b[4:4+l], 4+l
	default:
		p.errorf("GS k %d: unknown barcode system", m)
		return 3, 0
	}
	bc := &Barcode{System: m, Data: append([]byte(nil), data...), Text: string(data),
		Height: p.st.bcHeight, Module: p.st.bcModule, HRI: p.st.bcHRI}
	if m == 73 {
		t, err := code128Text(data)
		if err != nil {
			p.errorf("GS k CODE128: %v", err)
		}
		bc.Text = t
	}
	if len(data) == 0 {
		p.errorf("GS k %d: no data", m)
		return n, 0
	}
	p.flushLine()
	dots := bc.Height
	if bc.HRI == 1 || bc.HRI == 2 {
		dots += baseCharHeight + 6
	} else if bc.HRI == 3 {
		dots += 2 * (baseCharHeight + 6)
	}
	p.add(Element{Kind: KindBarcode, Align: p.st.align, Barcode: bc, Dots: dots})
	return n, 0
}

// code128Text turns ESC/POS CODE128 data ({A/{B/{C code-set selectors,
// code C as one byte per digit pair) into the characters it encodes.
func code128Text(d []byte) (string, error) {
	if len(d) < 2 || d[0] != '{' || (d[1] != 'A' && d[1] != 'B' && d[1] != 'C') {
		return string(d), fmt.Errorf("data must start with {A, {B or {C, got %q", d)
	}
	var sb strings.Builder
	set := byte('B')
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c == '{' && i+1 < len(d) {
			i++
			switch d[i] {
			case 'A', 'B', 'C':
				set = d[i]
			case '{':
				sb.WriteByte('{')
			}
			continue
		}
		if set == 'C' {
			if c > 99 {
				return sb.String(), fmt.Errorf("code C value %d out of range", c)
			}
			fmt.Fprintf(&sb, "%02d", c)
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String(), nil
}

// Discard drops an incomplete command and the unprinted line, as the
// printer does when told to clear its buffers (DLE DC4 8, DLE ENQ 2).
func (p *Parser) Discard() {
	p.init()
	p.pend, p.need, p.skip = nil, 0, 0
	p.line, p.lineW, p.lineH, p.lineUsed = nil, 0, 0, false
}

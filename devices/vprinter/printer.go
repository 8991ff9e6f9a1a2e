package vprinter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"hallq/devices/pty"
)

// State is the condition of the virtual printer's mechanism, set by the
// test or operator. A pulled cable is not a State: see Unplug.
type State int

// States.
const (
	StateOK          State = iota
	StateNearEnd           // paper near end: still prints
	StatePaperOut          // printing stops; the rest of the data is held
	StateCoverOpen         // printing stops
	StateOffline           // offline for no reported cause
	StateCutterError       // auto-cutter jammed: a recoverable error, printing stops
)

func (s State) String() string {
	switch s {
	case StateOK:
		return "ok"
	case StateNearEnd:
		return "paper near end"
	case StatePaperOut:
		return "paper out"
	case StateCoverOpen:
		return "cover open"
	case StateOffline:
		return "offline"
	case StateCutterError:
		return "cutter error"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Config describes the virtual printer. The zero value is an 80 mm,
// 9600-baud printer with endless paper, serving on a pseudo-terminal.
type Config struct {
	// Baud is the modelled line speed (8N1: Baud/10 bytes per second).
	Baud int
	// Speedup multiplies the line speed, to keep tests fast. 0 means 1.
	Speedup float64
	// BufferSize is the receive buffer in bytes (default 4096). Data that
	// arrives when it is full is lost, as on a printer whose host ignores
	// flow control, and recorded in Errors.
	BufferSize int
	// Width is the printable width in dots (576 for 80 mm, 384 for 58 mm).
	Width int
	// Dir, when set, receives job-NNNN.png and job-NNNN.bin for each job.
	Dir string
	// Link, when set, is a symlink kept pointing at the current slave
	// device, so that a driver reopening Link finds the printer again
	// after Replug (which creates a new pty with a new number).
	Link string
	// TCP also serves on a loopback TCP listener (Addr).
	TCP bool
	// RollMM is the paper on the roll; printing it all runs the paper out
	// mid-job. 0 means endless.
	RollMM float64
	// NearEndMM trips the near-end sensor when less paper than this remains.
	NearEndMM float64
	// XonXoff makes the printer send XOFF when its buffer is 3/4 full and
	// XON when it drains below 1/4.
	XonXoff bool
	// ChineseDefault is the DIP switch "Chinese mode at power on".
	ChineseDefault bool
	// NoRender skips PNG rendering (fuzzing, benchmarks).
	NoRender bool
	// NV holds the NV images (FS p) the printer has in flash. Nil means
	// the hall's installation stored logo 1 (TextLogo "政务服务中心",
	// 120 rows, what devices/escpos assumes); an empty map, no logo.
	NV map[int]*Raster
	// MMPerSecond is the mechanism's speed (times Speedup); 0 prints
	// instantly. With it, GS r 1 is answered only once the paper before
	// it has come out, as on a real printer.
	MMPerSecond float64
	// NoGSr makes the printer ignore GS r, as some cheap models do: a
	// driver waiting for the end-of-job answer must time out cleanly.
	NoGSr bool
	// Logf, when set, receives one line per job and per fault.
	Logf func(format string, args ...any)
}

// Printer is a virtual ESC/POS thermal printer. It serves on the master
// side of a pseudo-terminal (and optionally TCP), paces its reading to the
// configured baud rate, answers real-time status queries as bytes arrive,
// interprets the rest with a Parser and renders every cut job to PNG.
//
// Faults follow a real printer: paper out, cover open, offline and cutter
// error stop the mechanism and the unprinted data stays in the receive
// buffer; it prints when the fault clears (the "stale job after refill"
// that PRINTING.md warns about). DLE ENQ 2 or DLE DC4 8 clear it.
type Printer struct {
	cfg  Config
	rate float64 // bytes per second on the line
	rend Renderer

	mu        sync.Mutex
	cond      *sync.Cond
	notify    chan struct{} // closed and replaced on every change
	state     State
	paperLeft int // dots; <0 when endless
	plugged   bool
	closed    bool
	rb        []byte // receive buffer
	clearGen  int
	cur       *link // where in-stream replies go: the last link data came from
	links     map[*link]struct{}
	master    *os.File
	hold      *os.File // our own slave descriptor: see Replug
	slave     string
	ln        net.Listener
	jobs      []*Job
	received  int64
	lost      int64
	xoff      bool
	asb       byte
	errs      []string

	parser Parser // owned by the mechanism goroutine
	wg     sync.WaitGroup
}

type link struct {
	rw   io.ReadWriteCloser
	tx   chan []byte
	done chan struct{}
	once sync.Once
}

func (l *link) close() {
	l.once.Do(func() {
		close(l.done)
		l.rw.Close()
	})
}

// send queues a reply without ever blocking the caller: a host that does
// not read its replies loses them, it does not stall the printer.
func (l *link) send(b []byte) {
	select {
	case l.tx <- append([]byte(nil), b...):
	default:
	}
}

func (l *link) writer() {
	for {
		select {
		case <-l.done:
			return
		case b := <-l.tx:
			if _, err := l.rw.Write(b); err != nil {
				return
			}
		}
	}
}

// New starts a virtual printer: it opens a pseudo-terminal (and a TCP
// listener when cfg.TCP) and serves until Close.
func New(cfg Config) (*Printer, error) {
	if cfg.Baud <= 0 {
		cfg.Baud = 9600
	}
	if cfg.Speedup <= 0 {
		cfg.Speedup = 1
	}
	if cfg.BufferSize <= 0 {
		cfg.BufferSize = 4096
	}
	if cfg.Width <= 0 {
		cfg.Width = defaultPaperDots
	}
	if cfg.NV == nil {
		logo, err := TextLogo("政务服务中心", cfg.Width, 120)
		if err != nil {
			return nil, fmt.Errorf("vprinter: logo: %w", err)
		}
		cfg.NV = map[int]*Raster{1: logo}
	}
	if cfg.Dir != "" {
		if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("vprinter: %w", err)
		}
	}
	p := &Printer{
		cfg:       cfg,
		rate:      float64(cfg.Baud) / 10 * cfg.Speedup,
		rend:      Renderer{Width: cfg.Width},
		notify:    make(chan struct{}),
		paperLeft: -1,
		links:     map[*link]struct{}{},
	}
	if cfg.RollMM > 0 {
		p.paperLeft = int(cfg.RollMM * DotsPerMM)
	}
	p.cond = sync.NewCond(&p.mu)
	p.parser = Parser{
		Width:          cfg.Width,
		ChineseDefault: cfg.ChineseDefault,
		NV:             cfg.NV,
		Ready:          p.ready,
		Advance:        p.advance,
		Query:          p.query,
		ASB:            p.setASB,
		Done:           p.done,
	}
	if err := p.plug(); err != nil {
		return nil, err
	}
	if cfg.TCP {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("vprinter: %w", err)
		}
		p.ln = ln
		p.wg.Add(1)
		go p.accept()
	}
	p.wg.Add(1)
	go p.mechanism()
	return p, nil
}

func (p *Printer) logf(format string, args ...any) {
	if p.cfg.Logf != nil {
		p.cfg.Logf(format, args...)
	}
}

// changed wakes everyone waiting on the printer. Called with p.mu held.
func (p *Printer) changed() {
	close(p.notify)
	p.notify = make(chan struct{})
	p.cond.Broadcast()
}

func (p *Printer) plug() error {
	m, slave, err := pty.Open()
	if err != nil {
		return fmt.Errorf("vprinter: %w", err)
	}
	// Holding a descriptor of the slave ourselves keeps the master
	// readable while no driver has the port open (with no slave open,
	// read on the master fails with EIO), so a driver may close and reopen
	// the port at will, as it may a real serial port.
	hold, err := pty.OpenSlave(slave)
	if err != nil {
		m.Close()
		return fmt.Errorf("vprinter: %w", err)
	}
	if p.cfg.Link != "" {
		tmp := p.cfg.Link + ".new"
		os.Remove(tmp)
		if err := os.Symlink(slave, tmp); err != nil {
			m.Close()
			hold.Close()
			return fmt.Errorf("vprinter: link: %w", err)
		}
		if err := os.Rename(tmp, p.cfg.Link); err != nil {
			m.Close()
			hold.Close()
			return fmt.Errorf("vprinter: link: %w", err)
		}
	}
	l := &link{rw: m, tx: make(chan []byte, 256), done: make(chan struct{})}
	p.mu.Lock()
	p.master, p.hold, p.slave, p.plugged = m, hold, slave, true
	p.links[l] = struct{}{}
	p.changed()
	p.mu.Unlock()
	p.serve(l)
	p.logf("vprinter: serving on %s", slave)
	return nil
}

func (p *Printer) serve(l *link) {
	p.wg.Add(2)
	go func() { defer p.wg.Done(); l.writer() }()
	go func() { defer p.wg.Done(); p.rx(l) }()
}

func (p *Printer) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		l := &link{rw: c, tx: make(chan []byte, 256), done: make(chan struct{})}
		p.mu.Lock()
		if !p.plugged || p.closed {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.links[l] = struct{}{}
		p.mu.Unlock()
		p.serve(l)
	}
}

// Path returns where a driver opens the printer: Link when configured,
// else the current slave device.
func (p *Printer) Path() string {
	if p.cfg.Link != "" {
		return p.cfg.Link
	}
	return p.SlavePath()
}

// SlavePath returns the current /dev/pts/N (it changes on Replug).
func (p *Printer) SlavePath() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.slave
}

// Addr returns the TCP address ("" without cfg.TCP).
func (p *Printer) Addr() string {
	if p.ln == nil {
		return ""
	}
	return p.ln.Addr().String()
}

// Open opens the slave side as an io.ReadWriteCloser, for a kiosk that
// embeds the virtual printer and needs no serial library.
func (p *Printer) Open() (io.ReadWriteCloser, error) {
	return pty.OpenSlave(p.SlavePath())
}

// Unplug pulls the cable: the master closes, so a driver holding the
// slave reads EOF and its writes fail with EIO. TCP connections close and
// new ones are refused. Data already received still prints.
func (p *Printer) Unplug() {
	p.mu.Lock()
	if !p.plugged {
		p.mu.Unlock()
		return
	}
	p.plugged = false
	var ls []*link
	for l := range p.links {
		ls = append(ls, l)
		delete(p.links, l)
	}
	hold := p.hold
	p.master, p.hold, p.cur = nil, nil, nil
	p.changed()
	p.mu.Unlock()
	for _, l := range ls {
		l.close()
	}
	if hold != nil {
		hold.Close()
	}
	p.logf("vprinter: unplugged")
}

// Replug plugs the cable back: a new pseudo-terminal (a new /dev/pts/N,
// Link re-pointed at it). A driver must reopen the port, which is what
// happens with a USB-serial adapter too.
func (p *Printer) Replug() error {
	p.mu.Lock()
	if p.plugged || p.closed {
		p.mu.Unlock()
		return nil
	}
	p.mu.Unlock()
	return p.plug()
}

// Inject sends b to the host on every link, as line noise or an
// unrequested reply would arrive: for testing a driver's reader.
func (p *Printer) Inject(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		l.send(b)
	}
}

// Plugged reports whether the cable is in.
func (p *Printer) Plugged() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.plugged
}

// SetState sets the mechanism's condition. Clearing a fault resumes
// printing of whatever the receive buffer holds.
func (p *Printer) SetState(s State) {
	p.mu.Lock()
	p.state = s
	p.sendASBLocked()
	p.changed()
	p.mu.Unlock()
	p.logf("vprinter: state %s", s)
}

// State returns the mechanism's condition.
func (p *Printer) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// LoadPaper puts a new roll in: the paper counter restarts at RollMM and
// a paper fault clears.
func (p *Printer) LoadPaper() {
	p.mu.Lock()
	if p.cfg.RollMM > 0 {
		p.paperLeft = int(p.cfg.RollMM * DotsPerMM)
	}
	if p.state == StatePaperOut || p.state == StateNearEnd {
		p.state = StateOK
	}
	p.sendASBLocked()
	p.changed()
	p.mu.Unlock()
}

// PaperLeftMM returns the paper left on the roll (-1 when endless).
func (p *Printer) PaperLeftMM() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paperLeft < 0 {
		return -1
	}
	return float64(p.paperLeft) / DotsPerMM
}

// Jobs returns the jobs printed so far (cut), oldest first.
func (p *Printer) Jobs() []*Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Job(nil), p.jobs...)
}

// Received returns the bytes that arrived on the line so far.
func (p *Printer) Received() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.received
}

// Buffered returns the bytes in the receive buffer, not yet printed.
func (p *Printer) Buffered() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.rb)
}

// Errors returns line-level errors (receive buffer overflows). Protocol
// errors are per job, in Job.Errors.
func (p *Printer) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errs...)
}

// Wait blocks until cond (called with the printer locked, so it may call
// no Printer method) is true or ctx ends.
func (p *Printer) wait(ctx context.Context, cond func() bool) error {
	for {
		p.mu.Lock()
		ok, ch := cond(), p.notify
		p.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// WaitJobs waits until at least n jobs have been cut and returns them.
func (p *Printer) WaitJobs(ctx context.Context, n int) ([]*Job, error) {
	err := p.wait(ctx, func() bool { return len(p.jobs) >= n })
	return p.Jobs(), err
}

// WaitReceived waits until at least n bytes have arrived on the line.
func (p *Printer) WaitReceived(ctx context.Context, n int64) error {
	return p.wait(ctx, func() bool { return p.received >= n })
}

// WaitIdle waits until the receive buffer is empty.
func (p *Printer) WaitIdle(ctx context.Context) error {
	return p.wait(ctx, func() bool { return len(p.rb) == 0 })
}

// Close stops the printer and releases the pseudo-terminal.
func (p *Printer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.changed()
	p.mu.Unlock()
	p.Unplug()
	if p.ln != nil {
		p.ln.Close()
	}
	p.wg.Wait()
	if p.cfg.Link != "" {
		os.Remove(p.cfg.Link)
	}
	return nil
}

// rx reads one link at the line speed and handles real-time commands the
// moment they arrive, as the printer's interface board does.
func (p *Printer) rx(l *link) {
	defer func() {
		p.mu.Lock()
		delete(p.links, l)
		if p.cur == l {
			p.cur = nil
		}
		p.mu.Unlock()
		l.close()
	}()
	chunk := min(max(int(p.rate/200), 1), 512) // about 5 ms of line time per read
	buf := make([]byte, chunk)
	var rt realtime
	next := time.Now()
	for {
		n, err := l.rw.Read(buf)
		if n > 0 {
			// Keep the schedule across small oversleeps (else the line
			// runs slow by the timer slack); restart it after idle time.
			if now := time.Now(); now.Sub(next) > 20*time.Millisecond {
				next = now
			}
			next = next.Add(time.Duration(float64(n) / p.rate * float64(time.Second)))
			p.receive(l, buf[:n], &rt)
			if d := time.Until(next); d > 0 {
				time.Sleep(d)
			}
		}
		if err != nil {
			return
		}
	}
}

// realtime is the DLE command scanner. Like the firmware it looks at every
// byte, including those inside raster data: 10 04 n in an image gets an
// answer nobody asked for.
type realtime struct {
	st  int
	dc4 []byte
}

var clearBuffers = []byte{8, 1, 3, 20, 1, 6, 2, 8} // DLE DC4 after fn: fn=8 d1..d7

func (p *Printer) receive(l *link, b []byte, rt *realtime) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.received += int64(len(b))
	p.cur = l
	start := 0
	for i, c := range b {
		switch rt.st {
		case 0:
			if c == 0x10 {
				rt.st = 1
			}
		case 1:
			switch c {
			case 0x04:
				rt.st = 2
			case 0x05:
				rt.st = 3
			case 0x14:
				rt.st, rt.dc4 = 4, rt.dc4[:0]
			case 0x10:
			default:
				rt.st = 0
			}
		case 2:
			if c >= 1 && c <= 4 {
				l.send([]byte{p.statusLocked(c)})
			}
			rt.st = 0
		case 3: // DLE ENQ n: 1 recover and resume, 2 recover and clear buffers
			if (c == 1 || c == 2) && p.state == StateCutterError {
				p.state = StateOK
			}
			if c == 2 {
				p.clearLocked()
				start = i + 1
			}
			rt.st = 0
		case 4:
			rt.dc4 = append(rt.dc4, c)
			if rt.dc4[0] != 8 || c != clearBuffers[len(rt.dc4)-1] {
				rt.st = 0
			} else if len(rt.dc4) == len(clearBuffers) {
				p.clearLocked()
				start = i + 1
				l.send([]byte{0x37, 0x25, 0x00})
				rt.st = 0
			}
		}
	}
	data := b[start:]
	room := p.cfg.BufferSize - len(p.rb)
	if len(data) > room {
		lost := len(data) - room
		if p.lost == 0 || len(p.errs) < 100 {
			p.errs = append(p.errs, fmt.Sprintf("receive buffer overflow: %d bytes lost", lost))
		}
		p.lost += int64(lost)
		data = data[:room]
	}
	p.rb = append(p.rb, data...)
	if p.cfg.XonXoff && !p.xoff && len(p.rb) >= p.cfg.BufferSize*3/4 {
		p.xoff = true
		l.send([]byte{0x13})
	}
	p.changed()
}

func (p *Printer) clearLocked() {
	p.rb = p.rb[:0]
	p.clearGen++
}

// statusLocked answers DLE EOT n. Every byte carries the fixed pattern
// 0xx1xx10.
func (p *Printer) statusLocked(n byte) byte {
	b := byte(0x12)
	out := p.state == StatePaperOut
	near := p.state == StateNearEnd || (p.paperLeft >= 0 && float64(p.paperLeft) < p.cfg.NearEndMM*DotsPerMM)
	switch n {
	case 1:
		if p.state != StateOK && p.state != StateNearEnd {
			b |= 0x08 // offline
		}
	case 2:
		if p.state == StateCoverOpen {
			b |= 0x04
		}
		if out {
			b |= 0x20
		}
		if p.state == StateCutterError {
			b |= 0x40
		}
	case 3:
		if p.state == StateCutterError {
			b |= 0x08
		}
	case 4:
		if out {
			b |= 0x60
		} else if near {
			b |= 0x0C
		}
	}
	return b
}

// StatusByte returns what a printer in state s answers to DLE EOT n.
func StatusByte(s State, n byte) byte {
	p := &Printer{state: s, paperLeft: -1}
	return p.statusLocked(n)
}

func (p *Printer) canPrintLocked() bool {
	return p.state == StateOK || p.state == StateNearEnd
}

func (p *Printer) ready() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.canPrintLocked() && !p.closed
}

func (p *Printer) advance(dots int) {
	if v := p.cfg.MMPerSecond * p.cfg.Speedup; v > 0 {
		time.Sleep(time.Duration(float64(dots) / DotsPerMM / v * float64(time.Second)))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.paperLeft < 0 {
		return
	}
	p.paperLeft = max(0, p.paperLeft-dots)
	if p.paperLeft == 0 && p.state != StatePaperOut {
		p.state = StatePaperOut
		p.sendASBLocked()
		p.changed()
		p.logf("vprinter: paper ran out")
	}
}

// query answers the commands processed in stream order. GS r is never
// reached while paper is out: the mechanism holds the data before it.
func (p *Printer) query(cmd string, n byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil {
		return
	}
	if cmd == "GS r" && p.cfg.NoGSr {
		return
	}
	switch cmd {
	case "GS r", "ESC v":
		if n == 1 || n == 49 || cmd == "ESC v" {
			var b byte
			if p.paperLeft >= 0 && float64(p.paperLeft) < p.cfg.NearEndMM*DotsPerMM || p.state == StateNearEnd {
				b |= 0x03
			}
			p.cur.send([]byte{b})
		} else {
			p.cur.send([]byte{0x00})
		}
	case "GS I":
		switch n {
		case 1, 49:
			p.cur.send([]byte{0x20})
		case 2, 50:
			p.cur.send([]byte{0x02})
		case 3, 51:
			p.cur.send([]byte{0x01})
		}
	case "ESC u":
		p.cur.send([]byte{0x00})
	}
}

func (p *Printer) setASB(n byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asb = n
	p.sendASBLocked()
}

// sendASBLocked sends the 4 automatic status bytes when GS a enabled them.
func (p *Printer) sendASBLocked() {
	if p.asb == 0 || p.cur == nil {
		return
	}
	b := [4]byte{0x10, 0x00, 0x00, 0x00}
	if !p.canPrintLocked() {
		b[0] |= 0x08
	}
	if p.state == StateCoverOpen {
		b[0] |= 0x20
	}
	if p.state == StateCutterError {
		b[1] |= 0x08
	}
	if p.state == StateNearEnd || (p.paperLeft >= 0 && float64(p.paperLeft) < p.cfg.NearEndMM*DotsPerMM) {
		b[2] |= 0x03
	}
	if p.state == StatePaperOut {
		b[2] |= 0x0C
	}
	p.cur.send(b[:])
}

// mechanism feeds the receive buffer to the parser while the printer can
// print, and holds it while it cannot.
func (p *Printer) mechanism() {
	defer p.wg.Done()
	seen := 0
	for {
		p.mu.Lock()
		for !p.closed && seen == p.clearGen && (len(p.rb) == 0 || !p.canPrintLocked()) {
			p.cond.Wait()
		}
		if p.closed {
			p.mu.Unlock()
			return
		}
		if seen != p.clearGen {
			seen = p.clearGen
			p.mu.Unlock()
			p.parser.Discard()
			continue
		}
		data := append([]byte(nil), p.rb...)
		p.mu.Unlock()

		n := p.parser.Feed(data)

		p.mu.Lock()
		if seen == p.clearGen {
			p.rb = append(p.rb[:0], p.rb[n:]...)
		}
		if p.xoff && len(p.rb) <= p.cfg.BufferSize/4 {
			p.xoff = false
			if p.cur != nil {
				p.cur.send([]byte{0x11})
			}
		}
		p.changed()
		p.mu.Unlock()
	}
}

func (p *Printer) done(j *Job) {
	if !p.cfg.NoRender {
		png, err := p.rend.Render(j)
		if err != nil {
			j.Errors = append(j.Errors, "render: "+err.Error())
		}
		j.PNG = png
		if p.cfg.Dir != "" && png != nil {
			base := filepath.Join(p.cfg.Dir, fmt.Sprintf("job-%04d", j.Seq))
			if err := errors.Join(os.WriteFile(base+".png", png, 0o644), os.WriteFile(base+".bin", j.Raw, 0o644)); err != nil {
				j.Errors = append(j.Errors, "save: "+err.Error())
			} else {
				j.File = base + ".png"
			}
		}
	}
	p.mu.Lock()
	p.jobs = append(p.jobs, j)
	p.changed()
	p.mu.Unlock()
	p.logf("vprinter: job %d: %.1f mm, %d errors %s", j.Seq, j.LengthMM(), len(j.Errors), j.File)
}

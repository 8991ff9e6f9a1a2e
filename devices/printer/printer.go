package printer

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"hallq/devices/escpos"
	"hallq/devices/vprinter"
)

// Flow-control bytes the printer sends; no status reply equals them.
const (
	xon  = 0x11
	xoff = 0x13
)

// Config tunes the driver. Zero values take the defaults in brackets.
type Config struct {
	// Baud paces writes to the line speed (Baud/10 bytes per second), so
	// the printer's receive buffer is never flooded even without flow
	// control. 0 disables pacing (TCP, tests).
	Baud int
	// StatusTimeout bounds the wait for one DLE EOT reply [500 ms].
	StatusTimeout time.Duration
	// ConfirmTimeout bounds the wait for the GS r 1 answer after the last
	// byte of a job, on top of the job's estimated printing time [5 s].
	ConfirmTimeout time.Duration
	// XoffTimeout bounds how long a job waits for XON [10 s].
	XoffTimeout time.Duration
	// PrintSpeed is the mechanism's speed in mm/s, to estimate printing
	// time [100].
	PrintSpeed float64
	// RollMM is the length of a new paper roll [80000: an 80 m roll].
	RollMM float64
	// Width is the printable width in dots, for length estimates [576].
	Width int
	// BackoffMin and BackoffMax bound the reconnect delays [100 ms, 5 s].
	BackoffMin, BackoffMax time.Duration
	// NoClear stops the driver from sending DLE DC4 8 (clear buffers)
	// after an interrupted job and after a reconnect, for printers that
	// misread it. Without it, the unprinted rest of a job stopped by paper
	// out prints after the refill, and a reconnect in the middle of an
	// image leaves the printer eating the next job as image data.
	NoClear bool
	// OnEvent receives health changes, in order, from one goroutine. It
	// may call the Printer; Close waits for it to return.
	OnEvent func(Event)
	// Now is the clock [time.Now].
	Now func() time.Time
}

func (c *Config) defaults() {
	if c.StatusTimeout <= 0 {
		c.StatusTimeout = 500 * time.Millisecond
	}
	if c.ConfirmTimeout <= 0 {
		c.ConfirmTimeout = 5 * time.Second
	}
	if c.XoffTimeout <= 0 {
		c.XoffTimeout = 10 * time.Second
	}
	if c.PrintSpeed <= 0 {
		c.PrintSpeed = 100
	}
	if c.RollMM <= 0 {
		c.RollMM = 80000
	}
	if c.Width <= 0 {
		c.Width = 576
	}
	if c.BackoffMin <= 0 {
		c.BackoffMin = 100 * time.Millisecond
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Printer drives an ESC/POS printer over a byte stream: it checks status
// before a job, paces the job to the line, confirms the end of the job with
// GS r 1, reconnects after the cable is pulled, counts paper and reports
// health changes. Its methods are safe for concurrent use; jobs and status
// queries take turns on the line.
type Printer struct {
	cfg  Config
	open func() (io.ReadWriteCloser, error)

	line sync.Mutex // one conversation with the printer at a time

	mu       sync.Mutex
	conn     *conn
	closed   bool
	redial   bool // a reconnect loop is running
	dirty    bool // the printer may hold part of an interrupted job
	usedMM   float64
	restock  time.Time
	health   health
	events   []Event
	evSignal chan struct{}
	done     chan struct{}
	wg       sync.WaitGroup
}

// conn is one open port and its reader.
type conn struct {
	rw   io.ReadWriter
	in   chan byte     // reply bytes, flow control removed
	dead chan struct{} // closed when the reader stops
	xoff atomic.Bool
	xonC chan struct{} // signalled on XON
}

// New returns a driver over rw, periph style: no reconnects, rw is used as
// is (and closed by Close if it is an io.Closer).
func New(rw io.ReadWriter, cfg Config) *Printer {
	p := newPrinter(cfg, nil)
	p.attach(rw)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.probe()
	}()
	return p
}

// ConfigFor returns the driver settings a printer profile implies (line
// speed for pacing, paper width for length estimates).
func ConfigFor(prof escpos.Profile) Config {
	return Config{Baud: prof.Baud, Width: prof.Dots}
}

// Open returns a driver that gets its port from open, and calls open again
// with backoff whenever the line goes dead. If the first open fails, the
// driver starts disconnected and keeps trying: a kiosk may boot before its
// printer is plugged in.
func Open(open func() (io.ReadWriteCloser, error), cfg Config) *Printer {
	p := newPrinter(cfg, open)
	rw, err := open()
	if err != nil {
		p.mu.Lock()
		p.health.observe(p, snapshot{unplugged: true, detail: err.Error()})
		p.startRedialLocked()
		p.mu.Unlock()
		return p
	}
	p.attach(rw)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.probe()
	}()
	return p
}

// probe asks for the status at once, so that health reports "online" (or
// what is wrong) without waiting for a job or the next poll.
func (p *Printer) probe() {
	ctx, cancel := context.WithTimeout(context.Background(), 4*p.cfg.StatusTimeout)
	defer cancel()
	p.Status(ctx)
}

func newPrinter(cfg Config, open func() (io.ReadWriteCloser, error)) *Printer {
	cfg.defaults()
	p := &Printer{cfg: cfg, open: open, evSignal: make(chan struct{}, 1), done: make(chan struct{})}
	p.restock = cfg.Now()
	p.wg.Add(1)
	go p.dispatch()
	return p
}

func (p *Printer) attach(rw io.ReadWriter) {
	c := &conn{rw: rw, in: make(chan byte, 4096), dead: make(chan struct{}), xonC: make(chan struct{}, 1)}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		closeRW(rw)
		return
	}
	p.conn = c
	p.mu.Unlock()
	p.wg.Add(1)
	go p.reader(c)
}

func closeRW(rw io.ReadWriter) {
	if c, ok := rw.(io.Closer); ok {
		c.Close()
	}
}

// reader moves reply bytes to c.in. It takes XON/XOFF out of the stream
// (they never collide with a status byte) and drops the oldest bytes if
// nobody reads: stray replies must not stall the line.
func (p *Printer) reader(c *conn) {
	defer p.wg.Done()
	buf := make([]byte, 256)
	for {
		n, err := c.rw.Read(buf)
		for _, b := range buf[:n] {
			switch b {
			case xoff:
				c.xoff.Store(true)
			case xon:
				c.xoff.Store(false)
				select {
				case c.xonC <- struct{}{}:
				default:
				}
			default:
				select {
				case c.in <- b:
				default:
					select {
					case <-c.in:
					default:
					}
					c.in <- b
				}
			}
		}
		if err != nil {
			p.lost(c, err)
			return
		}
	}
}

// lost handles a dead line: close it, tell health, start reconnecting.
func (p *Printer) lost(c *conn, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-c.dead:
		return
	default:
	}
	close(c.dead)
	closeRW(c.rw)
	if p.conn != c {
		return
	}
	p.conn = nil
	p.dirty = true
	if p.closed {
		return
	}
	p.health.observe(p, snapshot{unplugged: true, detail: err.Error()})
	p.startRedialLocked()
}

func (p *Printer) startRedialLocked() {
	if p.open == nil || p.redial || p.closed {
		return
	}
	p.redial = true
	p.wg.Add(1)
	go p.redialLoop()
}

func (p *Printer) redialLoop() {
	defer p.wg.Done()
	delay := p.cfg.BackoffMin
	for {
		select {
		case <-p.done:
			return
		case <-time.After(delay):
		}
		rw, err := p.open()
		if err != nil {
			delay = min(delay*2, p.cfg.BackoffMax)
			continue
		}
		p.mu.Lock()
		p.redial = false
		p.mu.Unlock()
		p.attach(rw)
		p.probe()
		return
	}
}

// Connected reports whether the driver has an open line.
func (p *Printer) Connected() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conn != nil
}

// Close stops the driver and closes the port.
func (p *Printer) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	c := p.conn
	p.conn = nil
	p.mu.Unlock()
	if c != nil {
		closeRW(c.rw)
		// A reader blocked on a port that is not an io.Closer (a bare
		// io.ReadWriter) stays blocked until the caller closes it: do not
		// wait for it.
		if _, ok := c.rw.(io.Closer); !ok {
			return nil
		}
	}
	p.wg.Wait()
	return nil
}

func (p *Printer) current() *conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conn
}

// Job is a print job: ESC/POS bytes from devices/escpos, ending with a cut.
type Job struct {
	Data []byte
	// LengthMM is the paper the job uses (escpos.Encoder.FeedDots / 8);
	// 0 lets the driver measure it from Data.
	LengthMM float64
}

// Result describes a job that printed.
type Result struct {
	Sent     int           // bytes written
	LengthMM float64       // paper counted for the job
	Took     time.Duration // from the first status query to the GS r 1 answer
	// Warnings are conditions that did not stop the job (ErrPaperNearEnd).
	Warnings []error
	Status   escpos.Status // status read before the job
}

// Print runs a job and returns nil once the printer confirmed it; see
// PrintJob.
func (p *Printer) Print(ctx context.Context, job []byte) error {
	_, err := p.PrintJob(ctx, Job{Data: job})
	return err
}

// PrintJob runs a job: it reads the printer status (DLE EOT 1–4) and
// refuses with a typed error when the printer cannot print, writes the job
// paced to the line, then sends GS r 1 and waits for its answer, which the
// printer gives only once everything before it has printed. A failure
// after the first byte is an interrupted job (JobError.Interrupted); the
// driver never resends it.
func (p *Printer) PrintJob(ctx context.Context, job Job) (Result, error) {
	p.line.Lock()
	defer p.line.Unlock()
	start := p.cfg.Now()
	res := Result{}
	fail := func(op string, sent int, st escpos.Status, err error) (Result, error) {
		res.Sent = sent
		return res, &JobError{Op: op, Interrupted: sent > 0, Sent: sent, Total: len(job.Data), Status: st, Err: err}
	}
	c := p.current()
	if c == nil {
		p.mu.Lock()
		closed := p.closed
		p.mu.Unlock()
		if closed {
			return fail("connect", 0, escpos.Status{}, ErrClosed)
		}
		return fail("connect", 0, escpos.Status{}, ErrUnplugged)
	}
	st, err := p.statusLocked(ctx, c)
	if err != nil {
		return fail("status", 0, st, err)
	}
	res.Status = st
	if ok, r := st.CanPrint(); !ok {
		return fail("status", 0, st, r.Err())
	}
	if st.PaperNearEnd {
		res.Warnings = append(res.Warnings, ErrPaperNearEnd)
	}

	lengthMM := job.LengthMM
	if lengthMM <= 0 {
		lengthMM = float64(vprinter.Measure(job.Data, p.cfg.Width)) / vprinter.DotsPerMM
	}
	sent, err := p.write(ctx, c, job.Data)
	if err != nil {
		p.countPaper(lengthMM * float64(sent) / float64(max(1, len(job.Data))))
		cause := p.causeLocked(c)
		p.clearLocked(c)
		return fail("write", sent, cause, err)
	}
	drain(c)
	if _, err := c.rw.Write([]byte{0x1D, 'r', 1}); err != nil {
		p.countPaper(lengthMM)
		return fail("confirm", sent, escpos.Status{}, p.lineErr(c, err))
	}
	wait := p.cfg.ConfirmTimeout + time.Duration(lengthMM/p.cfg.PrintSpeed*float64(time.Second))
	b, err := p.confirm(ctx, c, wait)
	if err != nil {
		cause := p.causeLocked(c)
		if ok, r := cause.CanPrint(); !ok && cause.Known != 0 && !errors.Is(err, ErrUnplugged) && ctx.Err() == nil {
			err = r.Err() // paper ran out (or the cover opened) mid-job
			// Drop the held rest now, so that it does not come out
			// headless after the refill.
			p.clearLocked(c)
		} else if errors.Is(err, ErrNoResponse) || errors.Is(err, errStopped) {
			err = ErrConfirmTimeout
		}
		// The printer holds the rest of the job and may print it after a
		// refill: count what was sent, since that is what will come out.
		p.countPaper(lengthMM)
		return fail("confirm", sent, cause, err)
	}
	if b&0x03 != 0 && !st.PaperNearEnd {
		res.Warnings = append(res.Warnings, ErrPaperNearEnd)
		st.PaperNearEnd = true
		p.mu.Lock()
		p.health.observe(p, snapshotOf(st))
		p.mu.Unlock()
	}
	p.countPaper(lengthMM)
	res.Sent, res.LengthMM, res.Took = sent, lengthMM, p.cfg.Now().Sub(start)
	return res, nil
}

// errStopped: the printer reported, twice, that it stopped mid-job.
var errStopped = errors.New("printer stopped")

// confirm waits up to wait for the answer to GS r 1 (a byte 0xx0xxxx).
// A printer that stops mid-job never answers, so while waiting it asks
// DLE EOT 2 after each quiet StatusTimeout: the reply (0xx1xx10, told
// apart from the GS r answer by bit 4) says cover open, stopped by paper
// end or error, and the job fails then instead of at the timeout. It takes
// two such replies in a row, to an outstanding query, to fail: a stray
// status byte cannot end a job that is printing.
func (p *Printer) confirm(ctx context.Context, c *conn, wait time.Duration) (byte, error) {
	deadline := time.Now().Add(wait)
	outstanding, stopped := 0, 0
	ask := func() error {
		if _, err := c.rw.Write([]byte{0x10, 0x04, byte(escpos.OfflineStatus)}); err != nil {
			return p.lineErr(c, err)
		}
		outstanding++
		return nil
	}
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return 0, ErrNoResponse
		}
		b, err := p.reply(ctx, c, min(p.cfg.StatusTimeout, left), func(b byte) bool {
			return b&0x90 == 0 || escpos.ValidStatus(b)
		})
		switch {
		case errors.Is(err, ErrNoResponse):
			if err := ask(); err != nil {
				return 0, err
			}
			continue
		case err != nil:
			return 0, err
		case b&0x90 == 0:
			return b, nil
		case outstanding == 0:
			continue // unrequested
		}
		outstanding--
		if b&0x64 == 0 { // cover open, paper end stop, error
			stopped = 0
			continue
		}
		if stopped++; stopped >= 2 {
			return 0, errStopped
		}
		if err := ask(); err != nil {
			return 0, err
		}
	}
}

// causeLocked asks the printer why a job stopped; a zero Status when it
// cannot tell.
func (p *Printer) causeLocked(c *conn) escpos.Status {
	select {
	case <-c.dead:
		return escpos.Status{}
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*p.cfg.StatusTimeout)
	defer cancel()
	st, _ := p.statusLocked(ctx, c)
	return st
}

// clearBuffers is DLE DC4 8 1 3 20 1 6 2 8 (Epson "clear buffers"): a
// real-time command, so it works even while the printer is stopped; the
// printer drops its receive and print buffers and answers 37 25 00.
var clearBuffers = []byte{0x10, 0x14, 8, 1, 3, 20, 1, 6, 2, 8}

// clearLocked makes the printer forget a partial job. Called with p.line.
func (p *Printer) clearLocked(c *conn) {
	p.mu.Lock()
	p.dirty = false
	p.mu.Unlock()
	if p.cfg.NoClear {
		return
	}
	select {
	case <-c.dead:
		return
	default:
	}
	if _, err := c.rw.Write(clearBuffers); err != nil {
		p.lost(c, err)
		return
	}
	// A printer without the command stays silent; wait briefly either way.
	p.reply(context.Background(), c, p.cfg.StatusTimeout, func(b byte) bool { return b == 0x00 })
	drain(c)
}

func drain(c *conn) {
	for {
		select {
		case <-c.in:
		default:
			return
		}
	}
}

// lineErr turns a failed write into ErrUnplugged when the line is gone
// (a hung-up tty fails writes with EIO before the reader sees EOF).
func (p *Printer) lineErr(c *conn, err error) error {
	p.lost(c, err)
	return errors.Join(ErrUnplugged, err)
}

// write sends data in chunks of about 10 ms of line time, no faster than
// the baud rate, pausing while the printer holds XOFF.
func (p *Printer) write(ctx context.Context, c *conn, data []byte) (int, error) {
	rate := float64(p.cfg.Baud) / 10
	chunk := 4096
	if rate > 0 {
		chunk = max(16, int(rate/100))
	}
	start := time.Now()
	sent := 0
	for sent < len(data) {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		if c.xoff.Load() {
			if err := p.waitXON(ctx, c); err != nil {
				return sent, err
			}
		}
		n := min(chunk, len(data)-sent)
		w, err := c.rw.Write(data[sent : sent+n])
		sent += w
		if err != nil {
			return sent, p.lineErr(c, err)
		}
		if rate > 0 {
			due := start.Add(time.Duration(float64(sent) / rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-ctx.Done():
					t.Stop()
					return sent, ctx.Err()
				case <-c.dead:
					t.Stop()
					return sent, ErrUnplugged
				case <-t.C:
				}
			}
		}
		select {
		case <-c.dead:
			return sent, ErrUnplugged
		default:
		}
	}
	return sent, nil
}

func (p *Printer) waitXON(ctx context.Context, c *conn) error {
	t := time.NewTimer(p.cfg.XoffTimeout)
	defer t.Stop()
	for c.xoff.Load() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.dead:
			return ErrUnplugged
		case <-t.C:
			return ErrFlowStopped
		case <-c.xonC:
		case <-time.After(20 * time.Millisecond): // XON may have come before we waited
		}
	}
	return nil
}

// reply waits for a byte that want accepts, skipping others (unrequested
// status bytes, e.g. from 10 04 n inside raster data).
func (p *Printer) reply(ctx context.Context, c *conn, timeout time.Duration, want func(byte) bool) (byte, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	for {
		select {
		case b := <-c.in:
			if want(b) {
				return b, nil
			}
		case <-c.dead:
			return 0, ErrUnplugged
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-t.C:
			return 0, ErrNoResponse
		}
	}
}

// Status reads the printer status (DLE EOT 1 to 4) and reports changes to
// OnEvent.
func (p *Printer) Status(ctx context.Context) (escpos.Status, error) {
	p.line.Lock()
	defer p.line.Unlock()
	c := p.current()
	if c == nil {
		return escpos.Status{}, ErrUnplugged
	}
	return p.statusLocked(ctx, c)
}

// statusLocked queries the four real-time statuses. Called with p.line.
func (p *Printer) statusLocked(ctx context.Context, c *conn) (escpos.Status, error) {
	var st escpos.Status
	p.mu.Lock()
	dirty := p.dirty
	p.mu.Unlock()
	if dirty {
		p.clearLocked(c)
	}
	drain(c)
	for k := escpos.PrinterStatus; k <= escpos.PaperStatus; k++ {
		if _, err := c.rw.Write([]byte{0x10, 0x04, byte(k)}); err != nil {
			return st, p.lineErr(c, err) // lost() already told health
		}
		b, err := p.reply(ctx, c, p.cfg.StatusTimeout, escpos.ValidStatus)
		if err != nil {
			if errors.Is(err, ErrNoResponse) {
				p.mu.Lock()
				p.health.observe(p, snapshot{offline: true, detail: "no answer to DLE EOT"})
				p.mu.Unlock()
			}
			return st, err
		}
		st.Apply(k, b)
	}
	p.mu.Lock()
	p.health.observe(p, snapshotOf(st))
	p.mu.Unlock()
	return st, nil
}

// Package led drives the window LED displays (条屏) above each service
// window: one RS485 bus through a USB serial adapter, one address per
// display. It speaks one protocol, documented below, keeps a virtual
// display for tests and demos (on a pseudo-terminal, see devices/pty), and
// follows the hall node's events so each window's display shows its
// current number, or 暂停服务 when the window is paused.
//
// # Protocol
//
// Every frame from the controller to a display:
//
//	AA 55            sync
//	ADDR             display address 1..254 (the window's DIP switches)
//	SEQ              frame number 0..255; the display echoes it in its ack
//	CMD              01 show text, 02 clear, 03 brightness
//	LEN              payload length 0..200
//	PAYLOAD          show: mode (00 static, 01 scroll, 02 flash), then the
//	                 text in GB18030; brightness: one byte 1..16
//	SUM              (ADDR + SEQ + CMD + LEN + PAYLOAD bytes) mod 256
//	0D               end
//
// The display answers AA 55 ADDR SEQ 06 SUM when it took the frame (ACK),
// or AA 55 ADDR SEQ 15 SUM when the checksum failed (NAK), with SUM =
// (ADDR + SEQ + 06|15) mod 256. The controller waits Timeout for the
// answer and sends the same frame (same SEQ) again up to Retries times;
// displays treat a repeated frame as the same command, so a lost ack
// costs a repeat, never a wrong display. RS485 is half duplex: frames go
// one at a time, each after the previous one's answer or timeout.
//
// The controller finds answers byte by byte (sync, a known kind, a good
// checksum), so noise on the line never puts it out of step. A display
// that never answers is ErrNoAck; a bus whose adapter is gone is
// ErrUnplugged, and OpenBus reopens the port at the next frame.
package led

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Commands.
const (
	CmdShow       = 0x01
	CmdClear      = 0x02
	CmdBrightness = 0x03

	ack = 0x06
	nak = 0x15
)

// Modes of CmdShow.
const (
	Static = 0x00
	Scroll = 0x01
	Flash  = 0x02
)

// MaxPayload is the longest payload a frame carries.
const MaxPayload = 200

// Frame is one command to one display.
type Frame struct {
	Addr    byte
	Seq     byte
	Cmd     byte
	Payload []byte
}

// Encode returns the frame's bytes.
func (f Frame) Encode() ([]byte, error) {
	if f.Addr == 0 || f.Addr == 0xFF {
		return nil, fmt.Errorf("led: address %d out of 1..254", f.Addr)
	}
	if len(f.Payload) > MaxPayload {
		return nil, fmt.Errorf("led: payload of %d bytes; at most %d", len(f.Payload), MaxPayload)
	}
	b := []byte{0xAA, 0x55, f.Addr, f.Seq, f.Cmd, byte(len(f.Payload))}
	b = append(b, f.Payload...)
	var sum byte
	for _, c := range b[2:] {
		sum += c
	}
	return append(b, sum, 0x0D), nil
}

// ShowPayload encodes text for CmdShow in GB18030; characters GB18030
// cannot hold do not exist (it covers all of Unicode), control characters
// are dropped so text never becomes a command, and so are private-use
// characters: they mean nothing on a display, and GB18030's mapping of
// them changed between editions (the fuzzer found U+E3CD coming back as
// U+F3E1), so the display would show something else.
func ShowPayload(mode byte, text string) ([]byte, error) {
	clean := make([]rune, 0, len(text))
	for _, r := range text {
		if Displayable(r) {
			clean = append(clean, r)
		}
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(string(clean)))
	if err != nil {
		return nil, fmt.Errorf("led: encode %q: %w", text, err)
	}
	return append([]byte{mode}, gb...), nil
}

// Displayable says whether ShowPayload keeps a character: not a control
// character and not in a private-use area.
func Displayable(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7F:
		return false
	case r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000:
		return false
	}
	return true
}

// Errors of Send.
var (
	// ErrNoAck: a display did not acknowledge a frame after every retry
	// (unplugged, wrong address, switched off, a broken bus).
	ErrNoAck = errors.New("led: display did not acknowledge")
	// ErrUnplugged: the bus itself is gone (the USB adapter was pulled,
	// the port cannot be opened).
	ErrUnplugged = errors.New("led: bus adapter unplugged")
)

// Bus is the controller's side of one RS485 bus.
type Bus struct {
	Timeout time.Duration // wait for an answer; 300 ms
	Retries int           // extra tries after the first; 3

	open func() (io.ReadWriteCloser, error) // nil: no reconnects

	mu   sync.Mutex // one frame on the wire at a time
	seq  byte
	line *line // nil while the bus is down
}

// line is one open port and the goroutine reading its answers.
type line struct {
	rw   io.ReadWriter
	acks chan answer
	dead chan struct{} // closed when the reader stops
	err  error         // why it stopped; read after dead is closed
}

type answer struct {
	addr, seq, kind byte
}

// NewBus returns a bus on rw (an open serial port, a pipe) and starts
// reading answers from it. It does not reconnect: see OpenBus.
func NewBus(rw io.ReadWriter) *Bus {
	b := &Bus{Timeout: 300 * time.Millisecond, Retries: 3}
	b.line = startLine(rw)
	return b
}

// OpenBus returns a bus whose port comes from open, called again at the
// next Send after the port failed (a USB adapter pulled and plugged back
// in, or a virtual display's link re-pointed at a new pty). A failing
// first open is not an error here: Send reports it.
func OpenBus(open func() (io.ReadWriteCloser, error)) *Bus {
	b := &Bus{Timeout: 300 * time.Millisecond, Retries: 3, open: open}
	if rw, err := open(); err == nil {
		b.line = startLine(rw)
	}
	return b
}

func startLine(rw io.ReadWriter) *line {
	l := &line{rw: rw, acks: make(chan answer, 16), dead: make(chan struct{})}
	go l.read()
	return l
}

// read parses answers until the port fails. It resynchronises byte by
// byte, so noise on the line (a half answer, a display's boot banner, a
// stray AA 55) costs at most the answer it overlaps, which the retry
// covers, and never shifts the parser out of step for later answers.
func (l *line) read() {
	defer close(l.dead)
	br := bufio.NewReader(l.rw)
	for {
		a, err := br.Peek(6)
		if err != nil {
			l.err = err
			return
		}
		if a[0] == 0xAA && a[1] == 0x55 && (a[4] == ack || a[4] == nak) && a[2]+a[3]+a[4] == a[5] {
			select {
			case l.acks <- answer{a[2], a[3], a[4]}:
			default: // nobody is waiting: an answer to a frame given up on
			}
			br.Discard(6)
			continue
		}
		br.Discard(1)
	}
}

// close closes the port, which ends the reader.
func (l *line) close() {
	if c, ok := l.rw.(io.Closer); ok {
		c.Close()
	}
}

// Close closes the bus's port.
func (b *Bus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.line != nil {
		b.line.close()
		<-b.line.dead
		b.line = nil
	}
	b.open = nil
	return nil
}

// ensure returns the open line, reopening it if it failed and the bus
// has an opener. Called with mu held.
func (b *Bus) ensure() (*line, error) {
	if b.line != nil {
		select {
		case <-b.line.dead:
			b.line.close()
			b.line = nil
		default:
			return b.line, nil
		}
	}
	if b.open == nil {
		return nil, fmt.Errorf("%w: the port is closed", ErrUnplugged)
	}
	rw, err := b.open()
	if err != nil {
		if errors.Is(err, ErrUnplugged) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrUnplugged, err)
	}
	b.line = startLine(rw)
	return b.line, nil
}

// lost drops a line that failed under Send. Called with mu held.
func (b *Bus) lost(l *line, err error) error {
	l.close()
	if b.line == l {
		b.line = nil
	}
	return fmt.Errorf("%w: %w", ErrUnplugged, err)
}

// Send sends a frame to a display and waits for its acknowledgement,
// sending the same frame again on a NAK or when no answer comes within
// Timeout, up to Retries more times.
func (b *Bus) Send(ctx context.Context, addr, cmd byte, payload []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	f := Frame{Addr: addr, Seq: b.seq, Cmd: cmd, Payload: payload}
	raw, err := f.Encode()
	if err != nil {
		return err
	}
	l, err := b.ensure()
	if err != nil {
		return err
	}
	// Answers to frames given up on earlier are of no use now.
	for drained := false; !drained; {
		select {
		case <-l.acks:
		default:
			drained = true
		}
	}
	naks := 0
	for try := 0; try <= b.Retries; try++ {
		if _, err := l.rw.Write(raw); err != nil {
			return b.lost(l, err)
		}
		timer := time.NewTimer(b.Timeout)
	wait:
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return ctx.Err()
			case <-l.dead:
				timer.Stop()
				return b.lost(l, l.err)
			case a := <-l.acks:
				if a.addr != addr || a.seq != f.Seq {
					continue // a late answer to an earlier frame
				}
				timer.Stop()
				if a.kind == ack {
					return nil
				}
				naks++
				break wait // NAK: the display got noise; send again
			case <-timer.C:
				break wait
			}
		}
	}
	return fmt.Errorf("%w: address %d after %d tries (%d refused as garbled)", ErrNoAck, addr, b.Retries+1, naks)
}

// Show shows text on a display.
func (b *Bus) Show(ctx context.Context, addr byte, mode byte, text string) error {
	p, err := ShowPayload(mode, text)
	if err != nil {
		return err
	}
	return b.Send(ctx, addr, CmdShow, p)
}

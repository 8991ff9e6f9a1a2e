package led

import (
	"bufio"
	"io"
	"sync"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Virtual is a bus of virtual LED displays: it reads frames from the
// controller (the master side of a pseudo-terminal, for instance), keeps
// what each address shows, and answers as real displays do. Every address
// answers unless it was unplugged.
type Virtual struct {
	mu      sync.Mutex
	shown   map[byte]Display // what each address that took a frame shows
	frames  map[byte]int     // frames taken per address, repeats included
	naks    map[byte]int     // frames refused as garbled per address
	gone    map[byte]bool
	drop    int // acks still to lose
	noise   int // frames still to garble
	garbage []byte
	change  chan struct{}
}

// NewVirtual returns virtual displays; Serve runs them on a connection.
func NewVirtual() *Virtual {
	return &Virtual{shown: map[byte]Display{}, frames: map[byte]int{}, naks: map[byte]int{},
		gone: map[byte]bool{}, change: make(chan struct{})}
}

// DropAcks makes the displays lose their next n acknowledgements (the
// frame is taken, the answer never reaches the controller).
func (v *Virtual) DropAcks(n int) {
	v.mu.Lock()
	v.drop = n
	v.mu.Unlock()
}

// Noise garbles the next n frames on their way in (one payload bit
// flipped, as line noise does): the display's checksum catches it and it
// answers NAK.
func (v *Virtual) Noise(n int) {
	v.mu.Lock()
	v.noise = n
	v.mu.Unlock()
}

// Garbage makes the displays' side send b before their next answer, as a
// display booting or a loose cable does.
func (v *Virtual) Garbage(b []byte) {
	v.mu.Lock()
	v.garbage = append([]byte(nil), b...)
	v.mu.Unlock()
}

// Unplug takes the display at addr off the bus: it neither shows nor
// answers. Replug puts it back blank, as a display that was powered off.
func (v *Virtual) Unplug(addr byte) {
	v.mu.Lock()
	v.gone[addr] = true
	v.mu.Unlock()
}

// Replug puts the display at addr back on the bus, showing nothing.
func (v *Virtual) Replug(addr byte) {
	v.mu.Lock()
	delete(v.gone, addr)
	v.shown[addr] = Display{Mode: Static}
	v.changed()
	v.mu.Unlock()
}

// Text returns what the display at addr shows.
func (v *Virtual) Text(addr byte) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.shown[addr].Text
}

// Mode returns how the display at addr shows its text (Static, Scroll, Flash).
func (v *Virtual) Mode(addr byte) byte {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.shown[addr].Mode
}

// Frames returns how many good frames addr took, repeats included.
func (v *Virtual) Frames(addr byte) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.frames[addr]
}

// NAKs returns how many frames addr refused as garbled.
func (v *Virtual) NAKs(addr byte) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.naks[addr]
}

// Changed returns a channel closed at the next change of any display.
func (v *Virtual) Changed() <-chan struct{} {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.change
}

// changed wakes Changed's waiters; called with mu held.
func (v *Virtual) changed() {
	close(v.change)
	v.change = make(chan struct{})
}

// Serve answers frames on rw until it fails (the controller hung up). It
// finds frames the way a display's firmware does: sync bytes, then a
// header whose length is possible; anything else is skipped byte by byte.
func (v *Virtual) Serve(rw io.ReadWriter) error {
	br := bufio.NewReader(rw)
	for {
		h, err := br.Peek(6) // AA 55 addr seq cmd len
		if err != nil {
			return err
		}
		if h[0] != 0xAA || h[1] != 0x55 || h[5] > MaxPayload {
			br.Discard(1)
			continue
		}
		n := 6 + int(h[5]) + 2
		f, err := br.Peek(n)
		if err != nil {
			return err
		}
		f = append([]byte(nil), f...)
		br.Discard(n)
		addr, seq, cmd, payload := f[2], f[3], f[4], f[6:n-2]
		v.mu.Lock()
		if v.noise > 0 && len(payload) > 0 {
			v.noise--
			payload[len(payload)-1] ^= 0x10
		}
		gone := v.gone[addr]
		v.mu.Unlock()
		if gone {
			continue
		}
		var sum byte
		for _, c := range f[2 : n-2] {
			sum += c
		}
		kind := byte(ack)
		if sum != f[n-2] || f[n-1] != 0x0D {
			kind = nak
		}
		v.mu.Lock()
		if kind == ack {
			v.apply(addr, cmd, payload)
		} else {
			v.naks[addr]++
		}
		lose := kind == ack && v.drop > 0
		if lose {
			v.drop--
		}
		out := append(v.garbage, 0xAA, 0x55, addr, seq, kind, addr+seq+kind)
		v.garbage = nil
		v.mu.Unlock()
		if lose {
			continue
		}
		if _, err := rw.Write(out); err != nil {
			return err
		}
	}
}

// apply carries out a good frame; called with mu held.
func (v *Virtual) apply(addr, cmd byte, payload []byte) {
	v.frames[addr]++
	switch cmd {
	case CmdShow:
		if len(payload) == 0 {
			return
		}
		text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(payload[1:])
		if err != nil {
			return
		}
		v.shown[addr] = Display{Text: string(text), Mode: payload[0]}
	case CmdClear:
		d := v.shown[addr]
		d.Text = ""
		v.shown[addr] = d
	}
	v.changed()
}

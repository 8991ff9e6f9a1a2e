// Package serialport opens the serial lines the device drivers talk over
// (the ticket printer, the RS485 bus of the window LED displays): USB
// adapters, on-board ports and, in tests and demos, pseudo-terminals. It
// is the project's only importer of github.com/tarm/serial; the drivers
// work on the io.ReadWriteCloser it returns.
package serialport

import (
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/tarm/serial"
)

// MinReadTimeout is the shortest read timeout Open uses.
const MinReadTimeout = 100 * time.Millisecond

// Config names a port. The line is 8N1.
type Config struct {
	Name string // /dev/ttyUSB0, /dev/ttyS0, or a pty slave / symlink
	Baud int
	// ReadTimeout bounds each read inside the port (default and minimum
	// MinReadTimeout). It is never zero: with no timeout tarm's port
	// blocks in read(2) outside the runtime poller, and Close then waits
	// for that read for ever. Callers never see the timeouts: see Open.
	ReadTimeout time.Duration
}

// Open opens a serial port. The returned port's Read blocks until data
// arrives and returns io.EOF only when the other end is gone. tarm reports
// a read timeout as (0, io.EOF) too; the two are told apart by time: a
// timeout takes ReadTimeout, a hung-up line (USB adapter pulled, pty master
// closed) answers at once. A port that does not exist is an error that
// errors.Is(err, os.ErrNotExist) recognizes, so drivers can say
// "unplugged".
//
// Software flow control is not given to the kernel (IXON): a write the
// kernel holds for XOFF cannot be cancelled, so drivers that need XON/XOFF
// watch for it themselves, honouring their job's context.
func Open(cfg Config) (io.ReadWriteCloser, error) {
	if cfg.ReadTimeout < MinReadTimeout {
		cfg.ReadTimeout = MinReadTimeout
	}
	p, err := serial.OpenPort(&serial.Config{Name: cfg.Name, Baud: cfg.Baud, ReadTimeout: cfg.ReadTimeout})
	if err != nil {
		return nil, err
	}
	return &port{p: p, timeout: cfg.ReadTimeout}, nil
}

type port struct {
	p       *serial.Port
	timeout time.Duration
	closed  atomic.Bool
}

func (s *port) Read(b []byte) (int, error) {
	for {
		if s.closed.Load() {
			return 0, os.ErrClosed
		}
		start := time.Now()
		n, err := s.p.Read(b)
		if n > 0 {
			return n, nil
		}
		if err != nil && err != io.EOF {
			return 0, err
		}
		if time.Since(start) < s.timeout/2 {
			return 0, io.EOF // hung up
		}
	}
}

func (s *port) Write(b []byte) (int, error) { return s.p.Write(b) }

func (s *port) Close() error {
	s.closed.Store(true)
	return s.p.Close()
}

package printer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/tarm/serial"
)

// SerialConfig names a serial port. The line is 8N1.
type SerialConfig struct {
	Name string // /dev/ttyUSB0, /dev/ttyS0, or a pty slave / symlink
	Baud int
	// ReadTimeout bounds each read inside the port (default and minimum
	// 100 ms). It is never zero: tarm's Close deadlocks with a Read blocked
	// without a timeout. Callers never see timeouts: see OpenSerial.
	ReadTimeout time.Duration
}

// OpenSerial opens a serial port. It is the only place that knows about
// github.com/tarm/serial; the driver works on the io.ReadWriteCloser.
//
// The returned port's Read blocks until data arrives and returns io.EOF
// only when the other end is gone. tarm reports a read timeout as
// (0, io.EOF) too; the two are told apart by time: a timeout takes
// ReadTimeout, a hung-up line (USB adapter pulled, pty master closed)
// answers at once.
//
// Software flow control is not given to the kernel (IXON): the driver
// watches XON/XOFF itself, because a write the kernel holds for XOFF
// cannot be cancelled, while the driver's own pause honours the job's
// context and a deadline, and works the same over TCP.
func OpenSerial(cfg SerialConfig) (io.ReadWriteCloser, error) {
	if cfg.ReadTimeout < 100*time.Millisecond {
		cfg.ReadTimeout = 100 * time.Millisecond
	}
	p, err := serial.OpenPort(&serial.Config{Name: cfg.Name, Baud: cfg.Baud, ReadTimeout: cfg.ReadTimeout})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("printer: open %s: %w: %w", cfg.Name, ErrUnplugged, err)
		}
		return nil, fmt.Errorf("printer: open %s: %w", cfg.Name, err)
	}
	return &serialPort{p: p, timeout: cfg.ReadTimeout}, nil
}

// SerialOpener returns an opener for New that reopens cfg after a
// reconnect. With the virtual printer, name its Link (a symlink re-pointed
// at each new pty) so the same name finds it after a replug.
func SerialOpener(cfg SerialConfig) func() (io.ReadWriteCloser, error) {
	return func() (io.ReadWriteCloser, error) { return OpenSerial(cfg) }
}

type serialPort struct {
	p       *serial.Port
	timeout time.Duration
	closed  atomic.Bool
}

func (s *serialPort) Read(b []byte) (int, error) {
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

func (s *serialPort) Write(b []byte) (int, error) { return s.p.Write(b) }

func (s *serialPort) Close() error {
	s.closed.Store(true)
	return s.p.Close()
}

package led

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/tarm/serial"
)

// readTimeout bounds each read inside the port. It must not be zero:
// with no timeout tarm's port blocks in read(2) outside the runtime
// poller, and Close then waits for that read for ever (the hang the first
// version of this package had in its tests). Callers never see the
// timeouts: see serialPort.Read.
const readTimeout = 100 * time.Millisecond

// OpenSerial opens an RS485 adapter (or a virtual display's pty) at baud
// (default 9600, the displays' factory setting), 8N1. It is the package's
// only use of github.com/tarm/serial; the Bus works on the
// io.ReadWriteCloser.
//
// The port's Read blocks until data arrives and returns io.EOF only when
// the line is gone (adapter pulled, pty master closed). tarm reports a
// read timeout as (0, io.EOF) too; the two are told apart by time: a
// timeout takes readTimeout, a hung-up line answers at once.
func OpenSerial(path string, baud int) (io.ReadWriteCloser, error) {
	if baud == 0 {
		baud = 9600
	}
	p, err := serial.OpenPort(&serial.Config{Name: path, Baud: baud, ReadTimeout: readTimeout})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("led: open %s: %w: %w", path, ErrUnplugged, err)
		}
		return nil, fmt.Errorf("led: open %s: %w", path, err)
	}
	return &serialPort{p: p}, nil
}

type serialPort struct {
	p      *serial.Port
	closed atomic.Bool
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
		if time.Since(start) < readTimeout/2 {
			return 0, io.EOF // hung up
		}
	}
}

func (s *serialPort) Write(b []byte) (int, error) { return s.p.Write(b) }

func (s *serialPort) Close() error {
	s.closed.Store(true)
	return s.p.Close()
}

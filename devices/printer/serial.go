package printer

import (
	"errors"
	"fmt"
	"io"
	"os"

	"hallq/devices/serialport"
)

// SerialConfig names a serial port: name, baud and read timeout (never
// zero; see devices/serialport).
type SerialConfig = serialport.Config

// OpenSerial opens the printer's serial port (through devices/serialport,
// the only place that knows github.com/tarm/serial); the driver works on
// the io.ReadWriteCloser. Its Read returns io.EOF only when the other end
// is gone (USB adapter pulled, pty master closed); a port that does not
// exist is ErrUnplugged.
//
// Software flow control is not given to the kernel (IXON): the driver
// watches XON/XOFF itself, because a write the kernel holds for XOFF
// cannot be cancelled, while the driver's own pause honours the job's
// context and a deadline, and works the same over TCP.
func OpenSerial(cfg SerialConfig) (io.ReadWriteCloser, error) {
	p, err := serialport.Open(cfg)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("printer: open %s: %w: %w", cfg.Name, ErrUnplugged, err)
		}
		return nil, fmt.Errorf("printer: open %s: %w", cfg.Name, err)
	}
	return p, nil
}

// SerialOpener returns an opener for New that reopens cfg after a
// reconnect. With the virtual printer, name its Link (a symlink re-pointed
// at each new pty) so the same name finds it after a replug.
func SerialOpener(cfg SerialConfig) func() (io.ReadWriteCloser, error) {
	return func() (io.ReadWriteCloser, error) { return OpenSerial(cfg) }
}

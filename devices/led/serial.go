package led

import (
	"errors"
	"fmt"
	"io"
	"os"

	"hallq/devices/serialport"
)

// OpenSerial opens an RS485 adapter (or a virtual display's pty) at baud
// (default 9600, the displays' factory setting), 8N1, through
// devices/serialport (never a zero read timeout: tarm's Close would wait
// for a blocked read for ever, the hang the first version of this package
// had in its tests). The port's Read returns io.EOF only when the line is
// gone; a port that does not exist is ErrUnplugged.
func OpenSerial(path string, baud int) (io.ReadWriteCloser, error) {
	if baud == 0 {
		baud = 9600
	}
	p, err := serialport.Open(serialport.Config{Name: path, Baud: baud})
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("led: open %s: %w: %w", path, ErrUnplugged, err)
		}
		return nil, fmt.Errorf("led: open %s: %w", path, err)
	}
	return p, nil
}

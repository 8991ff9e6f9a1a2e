package pty

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Open creates a pseudo-terminal pair and returns the master side and the
// path of the slave device (/dev/pts/N). The caller owns master; closing it
// hangs up the slave, which is how a pulled cable looks to whoever holds the
// slave open (reads return EOF, writes fail with EIO).
func Open() (master *os.File, slavePath string, err error) {
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, "", fmt.Errorf("pty: open /dev/ptmx: %w", err)
	}
	// unlockpt: the kernel refuses to open the slave until it is unlocked.
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("pty: unlockpt: %w", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("pty: ptsname: %w", err)
	}
	// Termios ioctls on a master act on the slave's settings, so the pair
	// is raw before anyone opens the slave.
	if err := MakeRaw(fd); err != nil {
		unix.Close(fd)
		return nil, "", err
	}
	// Non-blocking, so that os.NewFile puts the master in the runtime
	// poller: Close then wakes a goroutine blocked in Read, which a
	// blocking descriptor would leave stuck in read(2) for ever.
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, "", fmt.Errorf("pty: nonblock: %w", err)
	}
	slavePath = fmt.Sprintf("/dev/pts/%d", n)
	return os.NewFile(uintptr(fd), "/dev/ptmx"), slavePath, nil
}

// MakeRaw sets fd (a terminal) to raw 8-bit mode, like cfmakeraw(3), with
// blocking reads of at least one byte.
func MakeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("pty: tcgetattr: %w", err)
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF | unix.IXANY
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return fmt.Errorf("pty: tcsetattr: %w", err)
	}
	return nil
}

// OpenSlave opens the slave side as a plain raw file, for code that wants
// an io.ReadWriteCloser without a serial library (the kiosk embedding the
// virtual printer, tests).
func OpenSlave(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("pty: open slave: %w", err)
	}
	return f, nil
}

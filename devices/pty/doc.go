// Package pty opens Linux pseudo-terminal pairs without cgo.
//
// The virtual printer serves on the master side; a driver opens the slave
// path exactly as it would open /dev/ttyUSB0, so the serial code that runs
// in the hall is the code that runs in the tests.
//
// Both ends are put in raw mode: no echo, no CR/NL translation, no
// XON/XOFF interpretation, 8-bit clean. ESC/POS is binary (raster data,
// GB18030 text, 0x11 and 0x13 bytes inside images) and any line discipline
// processing would corrupt it.
package pty

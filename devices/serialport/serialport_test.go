package serialport_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hallq/devices/pty"
	"hallq/devices/serialport"
)

// What the drivers rely on, over a real pseudo-terminal: bytes come through
// both ways; a read waits through the port's timeouts without returning
// them; Close wakes a blocked read instead of hanging (tarm's trap); a
// hung-up line is io.EOF; a missing port is os.ErrNotExist.
func TestPortOverAPseudoTerminal(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	p, err := serialport.Open(serialport.Config{Name: slave, Baud: 9600})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write([]byte{0x10, 0x04, 0x01}); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 3)
	if _, err := io.ReadFull(master, got); err != nil || got[0] != 0x10 || got[2] != 0x01 {
		t.Fatalf("master read % x %v", got, err)
	}

	// A read spanning several read timeouts returns the late byte, not a
	// timeout.
	go func() {
		time.Sleep(3 * serialport.MinReadTimeout)
		master.Write([]byte{0x12})
	}()
	b := make([]byte, 1)
	if n, err := p.Read(b); n != 1 || err != nil || b[0] != 0x12 {
		t.Fatalf("late byte: %d % x %v", n, b, err)
	}

	// Close wakes a read that waits for bytes that never come.
	done := make(chan error, 1)
	go func() {
		_, err := p.Read(b)
		done <- err
	}()
	time.Sleep(serialport.MinReadTimeout)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a read after Close returned no error")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close left a blocked read hanging")
	}
}

func TestHungUpLineIsEOF(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	p, err := serialport.Open(serialport.Config{Name: slave, Baud: 115200})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	master.Close() // the USB adapter pulled
	done := make(chan error, 1)
	go func() {
		_, err := p.Read(make([]byte, 1))
		done <- err
	}()
	select {
	case err := <-done:
		if err != io.EOF {
			t.Fatalf("hung-up line: %v, want io.EOF", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a read on a hung-up line never returned")
	}
}

func TestMissingPortIsNotExist(t *testing.T) {
	_, err := serialport.Open(serialport.Config{Name: filepath.Join(t.TempDir(), "ttyUSB9"), Baud: 9600})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing port: %v", err)
	}
}

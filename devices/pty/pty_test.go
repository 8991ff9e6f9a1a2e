package pty_test

import (
	"bytes"
	"io"
	"testing"

	"hallq/devices/pty"
)

func TestRoundTripBinary(t *testing.T) {
	m, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	s, err := pty.OpenSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Every byte value, including CR, LF, XON, XOFF, ^C and ^D, must pass
	// unchanged in both directions: ESC/POS is binary.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	if _, err := s.Write(all); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 256)
	if _, err := io.ReadFull(m, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, all) {
		t.Fatalf("slave→master altered bytes: % x", got)
	}
	if _, err := m.Write(all); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(s, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, all) {
		t.Fatalf("master→slave altered bytes: % x", got)
	}
}

func TestMasterCloseHangsUpSlave(t *testing.T) {
	m, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	s, err := pty.OpenSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m.Close()
	if _, err := s.Write([]byte{0x10, 0x04, 0x01}); err == nil {
		t.Fatal("write after hang-up succeeded; want EIO")
	}
	buf := make([]byte, 1)
	if n, err := s.Read(buf); n != 0 || err == nil {
		t.Fatalf("read after hang-up = %d, %v; want EOF", n, err)
	}
}

func TestCloseWakesBlockedRead(t *testing.T) {
	m, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	s, err := pty.OpenSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done := make(chan error)
	go func() {
		_, err := m.Read(make([]byte, 1))
		done <- err
	}()
	m.Close()
	if err := <-done; err == nil {
		t.Fatal("read on closed master returned no error")
	}
}

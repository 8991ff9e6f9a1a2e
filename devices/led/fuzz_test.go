package led_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"hallq/devices/led"
)

// rw is a display's line in memory: it reads what the controller sent and
// collects what the display answers.
type rw struct {
	in  *bytes.Reader
	out bytes.Buffer
}

func (r *rw) Read(p []byte) (int, error)  { return r.in.Read(p) }
func (r *rw) Write(p []byte) (int, error) { return r.out.Write(p) }

// Any text a caller hands the driver (a service name from the catalogue, a
// notice) reaches the display as that text without its control characters,
// and private-use characters, or is refused with an error; it never turns
// into another command.
func FuzzShowRoundTrip(f *testing.F) {
	for _, s := range []string{"请A001号", "暂停服务", "A001 办理中", "\x1b@\r\n", "\xaa\x55\x01\x00\x01", strings.Repeat("长", 120), "€￥¥"} {
		f.Add(s, byte(3), byte(led.Flash))
	}
	f.Fuzz(func(t *testing.T, text string, addr, mode byte) {
		payload, err := led.ShowPayload(mode, text)
		if err != nil {
			return
		}
		frame, err := led.Frame{Addr: addr, Seq: 7, Cmd: led.CmdShow, Payload: payload}.Encode()
		if err != nil {
			if addr != 0 && addr != 0xFF && len(payload) <= led.MaxPayload {
				t.Fatalf("a valid frame refused: %v", err)
			}
			return
		}
		v := led.NewVirtual()
		line := &rw{in: bytes.NewReader(frame)}
		if err := v.Serve(line); err != io.EOF {
			t.Fatalf("serve: %v", err)
		}
		// Invalid UTF-8 arrives as U+FFFD, one per bad byte, as Go reads it.
		var want strings.Builder
		for _, r := range text {
			if led.Displayable(r) {
				want.WriteRune(r)
			}
		}
		if got := v.Text(addr); got != want.String() {
			t.Fatalf("display shows %q, want %q", got, want.String())
		}
		if v.Mode(addr) != mode {
			t.Fatalf("mode %d, want %d", v.Mode(addr), mode)
		}
		ackBytes := []byte{0xAA, 0x55, addr, 7, 0x06, addr + 7 + 0x06}
		if !bytes.Equal(line.out.Bytes(), ackBytes) {
			t.Fatalf("answer % x, want the ACK % x", line.out.Bytes(), ackBytes)
		}
	})
}

// Whatever arrives on the bus (noise, half frames, another vendor's
// protocol), the display's parser neither panics nor hangs.
func FuzzServeArbitraryBytes(f *testing.F) {
	f.Add([]byte{0xAA, 0x55, 0x01, 0x00, 0x01, 0x03, 0x00, 0x41, 0x42, 0x88, 0x0D})
	f.Add([]byte{0xAA, 0x55, 0xAA, 0x55, 0xFF, 0xFF})
	f.Add([]byte("garbage\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v := led.NewVirtual()
		if err := v.Serve(&rw{in: bytes.NewReader(data)}); err != io.EOF {
			t.Fatalf("serve: %v", err)
		}
	})
}

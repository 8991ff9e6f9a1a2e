package led_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/devices/led"
	"hallq/devices/pty"
	"hallq/queue"
	"hallq/queue/hall"
)

func TestFrameBytes(t *testing.T) {
	p, err := led.ShowPayload(led.Static, "暂停服务\n")
	if err != nil {
		t.Fatal(err)
	}
	b, err := led.Frame{Addr: 3, Seq: 7, Cmd: led.CmdShow, Payload: p}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// 暂停服务 in GB18030: D4DD CDA3 B7FE CEF1; the newline is dropped.
	want := []byte{0xAA, 0x55, 3, 7, 1, 9, 0, 0xD4, 0xDD, 0xCD, 0xA3, 0xB7, 0xFE, 0xCE, 0xF1}
	var sum byte
	for _, c := range want[2:] {
		sum += c
	}
	want = append(want, sum, 0x0D)
	if !bytes.Equal(b, want) {
		t.Fatalf("frame\n got % X\nwant % X", b, want)
	}
	if _, err := (led.Frame{Addr: 0xFF}).Encode(); err == nil {
		t.Error("broadcast address accepted")
	}
}

// virtualBus runs virtual displays on a pty's master and returns a bus on
// its slave, opened as the serial port would be.
func virtualBus(t *testing.T) (*led.Virtual, *led.Bus) {
	master, slavePath, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminals:", err)
	}
	v := led.NewVirtual()
	go v.Serve(master)
	port, err := led.OpenSerial(slavePath, 9600)
	if err != nil {
		t.Fatal(err)
	}
	bus := led.NewBus(port)
	bus.Timeout = 100 * time.Millisecond
	t.Cleanup(func() { bus.Close(); master.Close() })
	return v, bus
}

func TestLostAckIsRetried(t *testing.T) {
	v, bus := virtualBus(t)
	ctx := context.Background()
	v.DropAcks(1)
	if err := bus.Show(ctx, 5, led.Static, "欢迎光临"); err != nil {
		t.Fatal(err)
	}
	if v.Text(5) != "欢迎光临" || v.Frames(5) != 2 {
		t.Fatalf("shows %q after %d frames; want the text after one repeat", v.Text(5), v.Frames(5))
	}
}

func TestNoAnswerRetriesThenFails(t *testing.T) {
	v, bus := virtualBus(t)
	ctx := context.Background()
	v.DropAcks(100)
	if err := bus.Show(ctx, 6, led.Static, "x"); !errors.Is(err, led.ErrNoAck) || v.Frames(6) != 4 {
		t.Fatalf("silent display: %v after %d frames; want ErrNoAck after 1 + 3 retries", err, v.Frames(6))
	}
	// An unplugged display on a live bus: no answer at all.
	v.DropAcks(0)
	v.Unplug(7)
	if err := bus.Show(ctx, 7, led.Static, "x"); !errors.Is(err, led.ErrNoAck) || v.Text(7) != "" {
		t.Fatalf("unplugged display: %v, shows %q", err, v.Text(7))
	}
	// The bus still works for the others, and for 7 once it is back.
	v.Replug(7)
	if err := bus.Show(ctx, 7, led.Static, "请A002号"); err != nil || v.Text(7) != "请A002号" {
		t.Fatalf("replugged display: %v, shows %q", err, v.Text(7))
	}
}

func TestNAKIsRetried(t *testing.T) {
	v, bus := virtualBus(t)
	ctx := context.Background()
	v.Noise(2) // two frames garbled on the way: NAK, NAK, then taken
	if err := bus.Show(ctx, 8, led.Flash, "请A001号"); err != nil {
		t.Fatal(err)
	}
	if v.NAKs(8) != 2 || v.Frames(8) != 1 || v.Text(8) != "请A001号" || v.Mode(8) != led.Flash {
		t.Fatalf("after noise: %d NAKs, %d frames, %q mode %d", v.NAKs(8), v.Frames(8), v.Text(8), v.Mode(8))
	}
	// Noise on every try: the controller gives up after its retries.
	v.Noise(10)
	if err := bus.Show(ctx, 8, led.Static, "暂停服务"); !errors.Is(err, led.ErrNoAck) || v.NAKs(8) != 6 {
		t.Fatalf("constant noise: %v after %d NAKs", err, v.NAKs(8))
	}
	if v.Text(8) != "请A001号" {
		t.Fatalf("a garbled frame changed the display: %q", v.Text(8))
	}
}

func TestGarbageInTheReadStream(t *testing.T) {
	v, bus := virtualBus(t)
	ctx := context.Background()
	// Before the real answer: a lone sync byte, a sync pair cut short, an
	// answer with a bad checksum, an ack for another frame and a display
	// address that is not asked, then a sync cut short right before the
	// real answer. None may be taken for the answer, and
	// none may put the parser out of step for the real one.
	v.Garbage([]byte{0x00, 0xAA, 0x13, 0xAA, 0x55, 0xAA, 0x55, 9, 1, 0x06, 0x00, 0xAA, 0x55, 9, 200, 0x06, 9 + 200 + 6,
		0xAA, 0x55, 3, 1, 0x06, 3 + 1 + 0x06, 0xAA, 0x55, 9, 0xAA})
	if err := bus.Show(ctx, 9, led.Static, "A003 办理中"); err != nil {
		t.Fatal(err)
	}
	if v.Frames(9) != 1 {
		t.Fatalf("%d frames: the answer after the garbage was missed", v.Frames(9))
	}
	// Garbage that arrives on its own, between frames, is skipped too.
	v.Garbage([]byte{0xAA, 0x55, 0xAA})
	bus.Show(ctx, 9, led.Static, "a")
	if err := bus.Show(ctx, 9, led.Static, "b"); err != nil || v.Text(9) != "b" {
		t.Fatalf("after stray bytes: %v %q", err, v.Text(9))
	}
}

// The USB adapter is pulled: the port hangs up, Send says so; plugged
// back in (a new pty behind the same link, as udev re-creates
// /dev/ttyUSB-led), the bus reopens it at the next Send.
func TestAdapterPulledAndReplugged(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyLED")
	plug := func() (*os.File, *led.Virtual) {
		master, slave, err := pty.Open()
		if err != nil {
			t.Skip("no pseudo-terminals:", err)
		}
		os.Remove(link)
		if err := os.Symlink(slave, link); err != nil {
			t.Fatal(err)
		}
		v := led.NewVirtual()
		go v.Serve(master)
		return master, v
	}
	master, v := plug()
	bus := led.OpenBus(func() (io.ReadWriteCloser, error) { return led.OpenSerial(link, 9600) })
	bus.Timeout = 100 * time.Millisecond
	defer bus.Close()
	ctx := context.Background()
	if err := bus.Show(ctx, 1, led.Static, "欢迎光临"); err != nil || v.Text(1) != "欢迎光临" {
		t.Fatalf("before: %v %q", err, v.Text(1))
	}
	master.Close()
	os.Remove(link)
	if err := bus.Show(ctx, 1, led.Static, "x"); !errors.Is(err, led.ErrUnplugged) {
		t.Fatalf("pulled adapter: %v, want ErrUnplugged", err)
	}
	if err := bus.Show(ctx, 1, led.Static, "x"); !errors.Is(err, led.ErrUnplugged) {
		t.Fatalf("no adapter to reopen: %v, want ErrUnplugged", err)
	}
	master, v = plug()
	defer master.Close()
	if err := bus.Show(ctx, 1, led.Static, "请A001号"); err != nil || v.Text(1) != "请A001号" {
		t.Fatalf("replugged adapter: %v %q", err, v.Text(1))
	}
}

func waitText(t *testing.T, v *led.Virtual, addr byte, want string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for v.Text(addr) != want {
		select {
		case <-v.Changed():
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("display %d shows %q, want %q", addr, v.Text(addr), want)
		}
	}
}

type health struct {
	window int
	addr   byte
	err    error
}

func TestFollowerShowsCallsAndPause(t *testing.T) {
	v, bus := virtualBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{}
		cfg.Services[i].Slots = nil
	}
	for i := range cfg.Windows {
		cfg.Windows[i].State = queue.WindowOpen
	}
	n, err := hall.Open(ctx, t.TempDir(), hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.Init(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	healths := make(chan health, 10)
	f := &led.Follower{Node: n, Bus: bus, Addr: map[int]byte{1: 11, 2: 12}, Resync: 200 * time.Millisecond,
		OnHealth: func(w int, a byte, err error) { healths <- health{w, a, err} }}
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitText(t, v, 11, "欢迎光临")
	n.Issue(ctx, hall.IssueRequest{Service: "A", Priority: queue.Priority{Class: queue.ClassNormal}})
	if _, err := n.CallNext(ctx, 1, "", "test"); err != nil {
		t.Fatal(err)
	}
	waitText(t, v, 11, "请A001号")
	if v.Mode(11) != led.Flash {
		t.Errorf("a call shows in mode %d, want flashing", v.Mode(11))
	}
	if v.Text(12) != "欢迎光临" {
		t.Errorf("window 2's display shows %q", v.Text(12))
	}
	n.Act(ctx, hall.ActRequest{Action: queue.ActStart, Window: 1})
	waitText(t, v, 11, "A001 办理中")
	// A lost ack on the way: the display still gets the pause.
	v.DropAcks(1)
	if _, err := n.SetWindowState(ctx, 2, queue.WindowPaused, "test"); err != nil {
		t.Fatal(err)
	}
	waitText(t, v, 12, "暂停服务")

	// Window 1's display is unplugged: one health report, however many
	// resyncs pass; the other display keeps following.
	v.Unplug(11)
	n.Act(ctx, hall.ActRequest{Action: queue.ActFinish, Window: 1})
	h := nextHealth(t, healths)
	if h.window != 1 || h.addr != 11 || !errors.Is(h.err, led.ErrNoAck) {
		t.Fatalf("health report %+v", h)
	}
	n.SetWindowState(ctx, 2, queue.WindowOpen, "test")
	waitText(t, v, 12, "欢迎光临")
	select {
	case h := <-healths:
		t.Fatalf("a second report while still down: %+v", h)
	default:
	}
	// Plugged back in, blank: the resync puts the text back and says so.
	v.Replug(11)
	waitText(t, v, 11, "欢迎光临")
	if h := nextHealth(t, healths); h.window != 1 || h.err != nil {
		t.Fatalf("recovery report %+v", h)
	}
}

func nextHealth(t *testing.T, ch <-chan health) health {
	t.Helper()
	select {
	case h := <-ch:
		return h
	case <-time.After(10 * time.Second):
		t.Fatal("no health report")
	}
	return health{}
}

// `hallq led emulate`: the displays' path first, then each change.
func TestEmulate(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	link := filepath.Join(t.TempDir(), "ttyLED")
	go func() { done <- led.Emulate(ctx, link, pw); pw.Close() }()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "device /dev/pts/") {
		t.Fatalf("first line %q", lines.Text())
	}
	port, err := led.OpenSerial(link, 9600)
	if err != nil {
		t.Fatal(err)
	}
	bus := led.NewBus(port)
	defer bus.Close()
	if err := bus.Show(ctx, 3, led.Flash, "请A001号"); err != nil {
		t.Fatal(err)
	}
	if !lines.Scan() || lines.Text() != "LED 3: 请A001号 (flash)" {
		t.Fatalf("change line %q", lines.Text())
	}
	cancel()
	go func() {
		for lines.Scan() {
		}
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A change committed by another process (the hallq command on the same
// data directory: another Node, so not this node's bus) reaches the
// displays without waiting for the resync.
func TestFollowerSeesOtherProcesses(t *testing.T) {
	v, bus := virtualBus(t)
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	cfg := demohall.Config()
	for i := range cfg.Windows {
		cfg.Windows[i].State = queue.WindowOpen
	}
	n, err := hall.Open(ctx, dir, hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if err := n.Init(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	f := &led.Follower{Node: n, Bus: bus, Addr: map[int]byte{4: 4}, Resync: time.Hour}
	done := make(chan struct{})
	go func() { f.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	waitText(t, v, 4, "欢迎光临")
	other, err := hall.Open(ctx, dir, hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.SetWindowState(ctx, 4, queue.WindowPaused, "cli"); err != nil {
		t.Fatal(err)
	}
	waitText(t, v, 4, "暂停服务")
}

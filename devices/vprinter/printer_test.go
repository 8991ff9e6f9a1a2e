package vprinter_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hallq/devices/escpos"
	"hallq/devices/pty"
	"hallq/devices/vprinter"
)

func newPrinter(t *testing.T, cfg vprinter.Config) (*vprinter.Printer, *os.File) {
	t.Helper()
	if cfg.Speedup == 0 {
		cfg.Speedup = 20
	}
	vp, err := vprinter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	port, err := pty.OpenSlave(vp.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		port.Close()
		vp.Close()
	})
	return vp, port
}

func readN(t *testing.T, f *os.File, n int, d time.Duration) ([]byte, error) {
	t.Helper()
	f.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, n)
	got, err := io.ReadFull(f, buf)
	return buf[:got], err
}

func tctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestRealtimeStatusAndHeldJob(t *testing.T) {
	vp, port := newPrinter(t, vprinter.Config{})
	vp.SetState(vprinter.StatePaperOut)
	// A ticket and its end-of-job query go in while the paper is out.
	port.Write(cat(ticket(t, "A020"), []byte{0x1D, 'r', 1}))
	port.Write([]byte{0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4})
	got, err := readN(t, port, 4, time.Second)
	if err != nil || !bytes.Equal(got, []byte{0x1A, 0x32, 0x12, 0x72}) {
		t.Fatalf("DLE EOT 1-4 while paper out: % X, %v", got, err)
	}
	if b, err := readN(t, port, 1, 200*time.Millisecond); err == nil {
		t.Fatalf("GS r 1 answered while paper out: % X", b)
	}
	if n := len(vp.Jobs()); n != 0 {
		t.Fatalf("%d jobs printed without paper", n)
	}
	// The refill prints the held job, then GS r 1 is answered.
	vp.LoadPaper()
	got, err = readN(t, port, 1, time.Second)
	if err != nil || got[0] != 0x00 {
		t.Fatalf("GS r 1 after refill: % X, %v", got, err)
	}
	if jobs := vp.Jobs(); len(jobs) != 1 || jobs[0].QRs()[0] != "A020" {
		t.Fatalf("held job not printed after refill: %d jobs", len(jobs))
	}
}

func TestNVLogo(t *testing.T) {
	vp, port := newPrinter(t, vprinter.Config{})
	var buf bytes.Buffer
	e := escpos.New(&buf, escpos.Generic80)
	e.Init()
	e.Align(escpos.Center)
	e.NVLogo(1, 0)
	e.Line("A031")
	e.Cut(escpos.FullCut, 0)
	port.Write(buf.Bytes())
	jobs, err := vp.WaitJobs(tctx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	j := jobs[0]
	if len(j.Errors) != 0 || j.Elements[0].Kind != vprinter.KindLogo || j.Elements[0].Dots != 120 {
		t.Fatalf("%s", j.Describe())
	}
	if testing.Verbose() {
		os.WriteFile(filepath.Join(os.TempDir(), "vprinter-logo.png"), j.PNG, 0o644)
	}
}

func TestClearBuffers(t *testing.T) {
	vp, port := newPrinter(t, vprinter.Config{})
	vp.SetState(vprinter.StateCoverOpen)
	port.Write(ticket(t, "A021"))
	if err := vp.WaitReceived(tctx(t), int64(len(ticket(t, "A021")))); err != nil {
		t.Fatal(err)
	}
	port.Write([]byte{0x10, 0x14, 8, 1, 3, 20, 1, 6, 2, 8})
	got, err := readN(t, port, 3, time.Second)
	if err != nil || !bytes.Equal(got, []byte{0x37, 0x25, 0x00}) {
		t.Fatalf("clear answer % X, %v", got, err)
	}
	vp.SetState(vprinter.StateOK)
	time.Sleep(50 * time.Millisecond)
	if vp.Buffered() != 0 || len(vp.Jobs()) != 0 {
		t.Fatalf("buffer %d, jobs %d after clear", vp.Buffered(), len(vp.Jobs()))
	}
	port.Write(ticket(t, "A022"))
	jobs, err := vp.WaitJobs(tctx(t), 1)
	if err != nil || len(jobs) != 1 || jobs[0].QRs()[0] != "A022" {
		t.Fatalf("after clear: %v", err)
	}
}

func TestLinePacing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs at real 9600 baud")
	}
	vp, port := newPrinter(t, vprinter.Config{Speedup: 1})
	data := bytes.Repeat([]byte("x"), 480)
	start := time.Now()
	port.Write(data)
	if err := vp.WaitReceived(tctx(t), 480); err != nil {
		t.Fatal(err)
	}
	// 480 bytes at 960 B/s take half a second.
	if d := time.Since(start); d < 450*time.Millisecond || d > 800*time.Millisecond {
		t.Errorf("480 bytes took %v at 9600 baud, want about 500 ms", d)
	}
}

func TestMechanismSpeed(t *testing.T) {
	// 48 mm at 400 mm/s (Speedup 20 × 20 mm/s): GS r 1 comes back after
	// about 120 ms, not at once.
	_, port := newPrinter(t, vprinter.Config{MMPerSecond: 20})
	start := time.Now()
	port.Write([]byte{0x1B, 'J', 192, 0x1B, 'J', 192, 0x1D, 'r', 1})
	if _, err := readN(t, port, 1, time.Second); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 110*time.Millisecond {
		t.Errorf("GS r 1 answered after %v; the paper had not come out", d)
	}
}

func TestBufferFullXoffAndOverflow(t *testing.T) {
	vp, port := newPrinter(t, vprinter.Config{BufferSize: 256, XonXoff: true})
	vp.SetState(vprinter.StateOffline)
	port.Write(bytes.Repeat([]byte("y"), 300))
	got, err := readN(t, port, 1, time.Second)
	if err != nil || got[0] != 0x13 {
		t.Fatalf("want XOFF, got % X %v", got, err)
	}
	if err := vp.WaitReceived(tctx(t), 300); err != nil {
		t.Fatal(err)
	}
	if e := vp.Errors(); len(e) == 0 || !strings.Contains(e[0], "bytes lost") {
		t.Errorf("overflow not recorded: %q", e)
	}
	vp.SetState(vprinter.StateOK)
	got, err = readN(t, port, 1, time.Second)
	if err != nil || got[0] != 0x11 {
		t.Fatalf("want XON, got % X %v", got, err)
	}
}

func TestUnplugReplug(t *testing.T) {
	link := filepath.Join(t.TempDir(), "printer")
	vp, port := newPrinter(t, vprinter.Config{Link: link})
	first := vp.SlavePath()
	vp.Unplug()
	if _, err := port.Write([]byte{0x10, 0x04, 1}); err == nil {
		t.Error("write after unplug succeeded; want EIO")
	}
	port.SetReadDeadline(time.Now().Add(time.Second))
	if n, err := port.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("read after unplug: %d %v; want EOF", n, err)
	}
	if err := vp.Replug(); err != nil {
		t.Fatal(err)
	}
	target, err := os.Readlink(link)
	if err != nil || target != vp.SlavePath() || target == first {
		t.Fatalf("link %q → %q (was %q), %v", link, target, first, err)
	}
	p2, err := pty.OpenSlave(link)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	p2.Write([]byte{0x10, 0x04, 4})
	if got, err := readN(t, p2, 1, time.Second); err != nil || got[0] != 0x12 {
		t.Fatalf("status after replug: % X %v", got, err)
	}
}

func TestRollRunsOut(t *testing.T) {
	vp, port := newPrinter(t, vprinter.Config{RollMM: 30, NearEndMM: 25})
	port.Write([]byte{0x10, 0x04, 4})
	if got, _ := readN(t, port, 1, time.Second); len(got) != 1 || got[0] != 0x12 {
		t.Fatalf("fresh roll: % X", got)
	}
	port.Write(cat([]byte{0x1B, '@', 0x1B, 'J', 48}, []byte{0x1D, 'r', 1})) // 6 mm
	if got, _ := readN(t, port, 1, time.Second); len(got) != 1 || got[0] != 0x03 {
		t.Fatalf("GS r 1 with 24 mm left: % X, want near end 03", got)
	}
	port.Write(cat(ticket(t, "A023"), ticket(t, "A024")))
	time.Sleep(100 * time.Millisecond)
	if vp.State() != vprinter.StatePaperOut || vp.PaperLeftMM() != 0 {
		t.Fatalf("state %s, %.1f mm left", vp.State(), vp.PaperLeftMM())
	}
	if vp.Buffered() == 0 {
		t.Error("the rest was not held")
	}
}

func TestEmulate(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error)
	go func() { done <- vprinter.Emulate(ctx, vprinter.Config{Dir: dir, Speedup: 20}, out) }()
	var dev string
	for i := 0; i < 100 && dev == ""; i++ {
		time.Sleep(10 * time.Millisecond)
		if s := out.String(); strings.HasPrefix(s, "device ") {
			dev = strings.TrimSpace(strings.SplitN(strings.TrimPrefix(s, "device "), "\n", 2)[0])
		}
	}
	port, err := pty.OpenSlave(dev)
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	port.Write(ticket(t, "E001"))
	for i := 0; i < 200 && !strings.Contains(out.String(), "saved "); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	if _, err := os.Stat(filepath.Join(dir, "job-0001.png")); err != nil {
		t.Fatalf("PNG not saved: %v\n%s", err, out.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAutomaticStatusBack(t *testing.T) {
	vp, port := newPrinter(t, vprinter.Config{})
	port.Write([]byte{0x1D, 'a', 0x0F})
	got, err := readN(t, port, 4, time.Second)
	if err != nil || !escpos.ValidASB(got) {
		t.Fatalf("ASB on enable: % X %v", got, err)
	}
	vp.SetState(vprinter.StateCoverOpen)
	got, err = readN(t, port, 4, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	st, err := escpos.ParseASB(got)
	if err != nil || !st.CoverOpen || st.Online {
		t.Fatalf("ASB % X: %+v %v", got, st, err)
	}
}

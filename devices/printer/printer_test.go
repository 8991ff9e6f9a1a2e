package printer_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/vprinter"
)

// speedup runs the 9600-baud virtual printer ten times faster than life.
const speedup = 10

type rig struct {
	vp     *vprinter.Printer
	drv    *printer.Printer
	events chan printer.Event
}

// start connects the driver to a virtual printer over a real
// pseudo-terminal, through tarm/serial, by the printer's symlink.
func start(t *testing.T, vcfg vprinter.Config, dcfg printer.Config) *rig {
	t.Helper()
	vcfg.Link = filepath.Join(t.TempDir(), "ttyPrinter")
	if vcfg.Baud == 0 {
		vcfg.Baud = 9600
	}
	if vcfg.Speedup == 0 {
		vcfg.Speedup = speedup
	}
	vp, err := vprinter.New(vcfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{vp: vp, events: make(chan printer.Event, 100)}
	dcfg.Baud = int(float64(vcfg.Baud) * vcfg.Speedup)
	if dcfg.StatusTimeout == 0 {
		dcfg.StatusTimeout = 300 * time.Millisecond
	}
	if dcfg.ConfirmTimeout == 0 {
		dcfg.ConfirmTimeout = time.Second
	}
	dcfg.BackoffMin, dcfg.BackoffMax = 20*time.Millisecond, 200*time.Millisecond
	dcfg.OnEvent = func(e printer.Event) { r.events <- e }
	r.drv = printer.Open(printer.SerialOpener(printer.SerialConfig{Name: vp.Path(), Baud: vcfg.Baud}), dcfg)
	t.Cleanup(func() {
		r.drv.Close()
		vp.Close()
	})
	return r
}

// expect waits for an event of kind k, skipping others.
func (r *rig) expect(t *testing.T, k printer.Kind) printer.Event {
	t.Helper()
	timeout := time.After(3 * time.Second)
	for {
		select {
		case e := <-r.events:
			if e.Kind == k {
				return e
			}
		case <-timeout:
			t.Fatalf("no %q event", k)
		}
	}
}

// ticket encodes a queue ticket with devices/escpos, as the kiosk does.
func ticket(t testing.TB, number string, img image.Image) []byte {
	var buf bytes.Buffer
	e := escpos.New(&buf, escpos.Generic80)
	e.Init()
	e.Align(escpos.Center)
	e.Size(2, 2)
	e.Bold(true)
	e.Line(number)
	e.Size(1, 1)
	e.Bold(false)
	e.Line("社保卡办理")
	e.Line("前面还有 3 人")
	if img != nil {
		e.Image(img, escpos.Threshold)
	}
	e.QR("https://hall.example/t/"+number, 6, escpos.QRLevelM)
	e.Line("请留意叫号")
	e.Cut(escpos.PartialCut, 0)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// stripes is a raster image whose bytes contain 10 04 01 (DLE EOT 1) many
// times, which a printer answers as if asked.
func stripes(w, h int) image.Image {
	img := image.NewGray(image.Rect(0, 0, w, h))
	pattern := []byte{0x10, 0x04, 0x01, 0x00}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			b := pattern[(x/8)%len(pattern)]
			if b&(0x80>>(x%8)) != 0 {
				img.SetGray(x, y, color.Gray{0})
			} else {
				img.SetGray(x, y, color.Gray{255})
			}
		}
	}
	return img
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestPrintRendersTicket(t *testing.T) {
	r := start(t, vprinter.Config{Dir: t.TempDir()}, printer.Config{})
	r.expect(t, printer.KindOnline)
	job := ticket(t, "A012", nil)
	res, err := r.drv.PrintJob(ctx(t), printer.Job{Data: job})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 || res.Sent != len(job) {
		t.Errorf("result %+v", res)
	}
	// GS r 1 was answered, so the job is on paper already.
	jobs := r.vp.Jobs()
	if len(jobs) != 1 {
		t.Fatalf("%d jobs printed, want 1", len(jobs))
	}
	j := jobs[0]
	if len(j.Errors) != 0 {
		t.Errorf("printer errors: %q", j.Errors)
	}
	if want := "A012\n社保卡办理\n前面还有 3 人\n请留意叫号"; j.Text() != want {
		t.Errorf("text %q, want %q", j.Text(), want)
	}
	if q := j.QRs(); len(q) != 1 || q[0] != "https://hall.example/t/A012" {
		t.Errorf("QR %q", q)
	}
	if j.File == "" || len(j.PNG) == 0 {
		t.Error("job not rendered")
	}
	paper := r.drv.PaperState()
	if d := paper.UsedMM - j.LengthMM(); d < -0.5 || d > 0.5 {
		t.Errorf("paper counter %.1f mm, printer used %.1f mm", paper.UsedMM, j.LengthMM())
	}
	r.drv.Restocked()
	if r.drv.PaperState().UsedMM != 0 {
		t.Error("Restocked did not reset the counter")
	}
}

func TestStatusTable(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	tests := []struct {
		state                                    vprinter.State
		online, cover, near, out, cutter, canPrn bool
	}{
		{vprinter.StateOK, true, false, false, false, false, true},
		{vprinter.StateNearEnd, true, false, true, false, false, true},
		{vprinter.StatePaperOut, false, false, false, true, false, false},
		{vprinter.StateCoverOpen, false, true, false, false, false, false},
		{vprinter.StateOffline, false, false, false, false, false, false},
		{vprinter.StateCutterError, false, false, false, false, true, false},
	}
	for _, tt := range tests {
		r.vp.SetState(tt.state)
		st, err := r.drv.Status(ctx(t))
		if err != nil {
			t.Fatalf("%s: %v", tt.state, err)
		}
		ok, _ := st.CanPrint()
		if st.Online != tt.online || st.CoverOpen != tt.cover || st.PaperNearEnd != tt.near ||
			st.PaperOut != tt.out || st.CutterError != tt.cutter || ok != tt.canPrn {
			t.Errorf("%s: status %+v", tt.state, st)
		}
	}
}

func TestPaperOutBeforeJob(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.expect(t, printer.KindOnline)
	r.vp.SetState(vprinter.StatePaperOut)
	before := r.vp.Received()
	err := r.drv.Print(ctx(t), ticket(t, "A013", nil))
	if !errors.Is(err, printer.ErrPaperOut) {
		t.Fatalf("err = %v, want ErrPaperOut", err)
	}
	var je *printer.JobError
	if !errors.As(err, &je) || je.Interrupted || je.Op != "status" || je.MessageID() != "print.status.paper-out" {
		t.Errorf("job error %+v", je)
	}
	r.expect(t, printer.KindPaperOut)
	if n := r.vp.Received() - before; n > 12 {
		t.Errorf("%d bytes reached the printer; only status queries should", n)
	}
	r.vp.LoadPaper()
	if err := r.drv.Print(ctx(t), ticket(t, "A013", nil)); err != nil {
		t.Fatal(err)
	}
	r.expect(t, printer.KindRecovered)
	if len(r.vp.Jobs()) != 1 {
		t.Errorf("%d jobs, want 1", len(r.vp.Jobs()))
	}
}

func TestCoverOpen(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.vp.SetState(vprinter.StateCoverOpen)
	err := r.drv.Print(ctx(t), ticket(t, "A014", nil))
	if !errors.Is(err, printer.ErrCoverOpen) {
		t.Fatalf("err = %v, want ErrCoverOpen", err)
	}
	r.expect(t, printer.KindCoverOpen)
}

func TestPaperOutDuringJob(t *testing.T) {
	// 20 mm of paper left: the ticket (about 45 mm) runs it out mid-way.
	r := start(t, vprinter.Config{RollMM: 20}, printer.Config{})
	r.expect(t, printer.KindOnline) // the driver's first status probe is done
	err := r.drv.Print(ctx(t), ticket(t, "A015", nil))
	if !errors.Is(err, printer.ErrPaperOut) {
		t.Fatalf("err = %v, want ErrPaperOut", err)
	}
	var je *printer.JobError
	if !errors.As(err, &je) || !je.Interrupted || je.Op != "confirm" {
		t.Fatalf("job error %+v", je)
	}
	t.Logf("reported: %v", err)
	r.expect(t, printer.KindPaperOut)
	// The driver cleared the printer's buffer: the headless rest of the
	// ticket must not come out after the refill.
	received := r.vp.Received()
	r.vp.LoadPaper()
	time.Sleep(100 * time.Millisecond)
	if n := len(r.vp.Jobs()); n != 0 {
		t.Fatalf("%d jobs cut after the refill; the stale rest printed", n)
	}
	if r.vp.Received() != received {
		t.Errorf("driver sent %d more bytes after the failure: it must not resend", r.vp.Received()-received)
	}
}

func TestNearEndPrintsAndWarns(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.vp.SetState(vprinter.StateNearEnd)
	res, err := r.drv.PrintJob(ctx(t), printer.Job{Data: ticket(t, "A016", nil), LengthMM: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !errors.Is(res.Warnings[0], printer.ErrPaperNearEnd) {
		t.Errorf("warnings %v", res.Warnings)
	}
	if res.LengthMM != 50 || r.drv.PaperState().UsedMM != 50 {
		t.Errorf("caller's length not used: %+v", res)
	}
	r.expect(t, printer.KindPaperNearEnd)
	if len(r.vp.Jobs()) != 1 {
		t.Error("job not printed")
	}
}

func TestUnpluggedMidJob(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.expect(t, printer.KindOnline)
	job := ticket(t, "A017", stripes(576, 120)) // ~9 KB: about 1 s on the sped-up line
	errc := make(chan error, 1)
	go func() { errc <- r.drv.Print(ctx(t), job) }()
	if err := r.vp.WaitReceived(ctx(t), 3000); err != nil {
		t.Fatal(err)
	}
	r.vp.Unplug()
	err := <-errc
	if !errors.Is(err, printer.ErrUnplugged) {
		t.Fatalf("err = %v, want ErrUnplugged", err)
	}
	var je *printer.JobError
	if !errors.As(err, &je) || !je.Interrupted || je.Sent >= len(job) {
		t.Fatalf("job error %+v", je)
	}
	t.Logf("reported: %v", err)
	r.expect(t, printer.KindUnplugged)
	if err := r.drv.Print(ctx(t), job); !errors.Is(err, printer.ErrUnplugged) {
		t.Fatalf("print while unplugged: %v", err)
	}
	atUnplug := r.vp.Received()

	if err := r.vp.Replug(); err != nil {
		t.Fatal(err)
	}
	r.expect(t, printer.KindOnline)
	time.Sleep(100 * time.Millisecond)
	// Only the buffer clear and status queries went out: no resend.
	if n := r.vp.Received() - atUnplug; n > 40 {
		t.Fatalf("%d bytes after the replug: the job was resent", n)
	}
	if n := len(r.vp.Jobs()); n != 0 {
		t.Fatalf("%d jobs cut", n)
	}
	// The caller decides to reprint: exactly one complete ticket comes out.
	if err := r.drv.Print(ctx(t), job); err != nil {
		t.Fatal(err)
	}
	jobs := r.vp.Jobs()
	if len(jobs) != 1 {
		t.Fatalf("%d jobs, want 1", len(jobs))
	}
	j := jobs[0]
	if strings.Count(j.Text(), "请留意叫号") != 1 || len(j.QRs()) != 1 {
		t.Errorf("reprint: text %q, QRs %q", j.Text(), j.QRs())
	}
}

func TestStrayBytes(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.expect(t, printer.KindOnline)
	// The image holds DLE EOT 1 a hundred times over: the printer answers
	// each, unasked. XOFF pauses the driver; noise status bytes arrive.
	job := ticket(t, "A018", stripes(576, 40))
	errc := make(chan error, 1)
	go func() { errc <- r.drv.Print(ctx(t), job) }()
	if err := r.vp.WaitReceived(ctx(t), 1000); err != nil {
		t.Fatal(err)
	}
	r.vp.Inject([]byte{0x13, 0x12, 0x16}) // XOFF and two plausible status bytes
	time.Sleep(50 * time.Millisecond)
	held := r.vp.Received()
	time.Sleep(100 * time.Millisecond)
	if n := r.vp.Received() - held; n > 200 {
		t.Errorf("%d bytes sent during XOFF", n)
	}
	r.vp.Inject([]byte{0x11})
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	jobs := r.vp.Jobs()
	if len(jobs) != 1 || len(jobs[0].Errors) != 0 || len(jobs[0].QRs()) != 1 {
		t.Fatalf("jobs %d", len(jobs))
	}
	// Stray bytes before a status query do not confuse it.
	r.vp.Inject([]byte{0x11, 0x00, 0x13, 0x11})
	time.Sleep(20 * time.Millisecond)
	if st, err := r.drv.Status(ctx(t)); err != nil || !st.Online {
		t.Fatalf("status after noise: %+v %v", st, err)
	}
}

func TestConfirmTimeout(t *testing.T) {
	r := start(t, vprinter.Config{NoGSr: true}, printer.Config{ConfirmTimeout: 200 * time.Millisecond})
	start := time.Now()
	err := r.drv.Print(ctx(t), ticket(t, "A019", nil))
	if !errors.Is(err, printer.ErrConfirmTimeout) {
		t.Fatalf("err = %v, want ErrConfirmTimeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	var je *printer.JobError
	if !errors.As(err, &je) || !je.Interrupted {
		t.Errorf("job error %+v", je)
	}
}

func TestMonitor(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.expect(t, printer.KindOnline)
	go r.drv.Monitor(ctx(t), 30*time.Millisecond)
	r.vp.SetState(vprinter.StateCoverOpen)
	r.expect(t, printer.KindCoverOpen)
	r.vp.SetState(vprinter.StateOK)
	r.expect(t, printer.KindRecovered)
	r.vp.SetState(vprinter.StateCutterError)
	r.expect(t, printer.KindCutterError)
	r.vp.SetState(vprinter.StateOK)
	r.expect(t, printer.KindRecovered)
	r.vp.Unplug()
	r.expect(t, printer.KindUnplugged)
	if err := r.vp.Replug(); err != nil {
		t.Fatal(err)
	}
	r.expect(t, printer.KindOnline)
	r.expect(t, printer.KindRecovered)
}

func TestOverTCP(t *testing.T) {
	vp, err := vprinter.New(vprinter.Config{TCP: true, Speedup: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer vp.Close()
	c, err := net.Dial("tcp", vp.Addr())
	if err != nil {
		t.Fatal(err)
	}
	drv := printer.New(c, printer.Config{})
	defer drv.Close()
	if err := drv.Print(ctx(t), ticket(t, "B001", nil)); err != nil {
		t.Fatal(err)
	}
	if j := vp.Jobs(); len(j) != 1 || !strings.HasPrefix(j[0].Text(), "B001") {
		t.Fatalf("jobs %v", j)
	}
}

func TestCancelMidJob(t *testing.T) {
	r := start(t, vprinter.Config{}, printer.Config{})
	r.expect(t, printer.KindOnline)
	job := ticket(t, "A020", stripes(576, 120))
	c, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- r.drv.Print(c, job) }()
	if err := r.vp.WaitReceived(ctx(t), 2000); err != nil {
		t.Fatal(err)
	}
	cancel()
	err := <-errc
	var je *printer.JobError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &je) || !je.Interrupted {
		t.Fatalf("err = %v", err)
	}
	// The half-sent image was cleared: the next ticket prints whole.
	if err := r.drv.Print(ctx(t), ticket(t, "A021", nil)); err != nil {
		t.Fatal(err)
	}
	jobs := r.vp.Jobs()
	if len(jobs) != 1 || len(jobs[0].QRs()) != 1 || jobs[0].QRs()[0] != "https://hall.example/t/A021" {
		t.Fatalf("after cancel: %d jobs", len(jobs))
	}
}

func TestStartUnplugged(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyPrinter")
	vp, err := vprinter.New(vprinter.Config{Link: link, Speedup: speedup})
	if err != nil {
		t.Fatal(err)
	}
	defer vp.Close()
	vp.Unplug()
	events := make(chan printer.Event, 10)
	drv := printer.Open(printer.SerialOpener(printer.SerialConfig{Name: link, Baud: 9600}), printer.Config{
		Baud: 96000, BackoffMin: 10 * time.Millisecond, BackoffMax: 50 * time.Millisecond,
		OnEvent: func(e printer.Event) { events <- e },
	})
	defer drv.Close()
	if e := <-events; e.Kind != printer.KindUnplugged {
		t.Fatalf("first event %+v", e)
	}
	if err := drv.Print(ctx(t), ticket(t, "C001", nil)); !errors.Is(err, printer.ErrUnplugged) {
		t.Fatalf("err = %v", err)
	}
	if err := vp.Replug(); err != nil {
		t.Fatal(err)
	}
	if e := <-events; e.Kind != printer.KindOnline {
		t.Fatalf("after replug: %+v", e)
	}
	if err := drv.Print(ctx(t), ticket(t, "C001", nil)); err != nil {
		t.Fatal(err)
	}
}

func TestCoverOpenedMidJob(t *testing.T) {
	// A slow mechanism (50 mm/s) is still printing when the cover opens.
	r := start(t, vprinter.Config{MMPerSecond: 5}, printer.Config{ConfirmTimeout: 5 * time.Second})
	r.expect(t, printer.KindOnline)
	job := ticket(t, "A030", nil)
	errc := make(chan error, 1)
	t0 := time.Now()
	go func() { errc <- r.drv.Print(ctx(t), job) }()
	if err := r.vp.WaitReceived(ctx(t), r.vp.Received()+int64(len(job))); err != nil {
		t.Fatal(err)
	}
	r.vp.SetState(vprinter.StateCoverOpen)
	err := <-errc
	var je *printer.JobError
	if !errors.Is(err, printer.ErrCoverOpen) || !errors.As(err, &je) || !je.Interrupted {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(t0); d > 2*time.Second {
		t.Errorf("noticed after %v; the poll should beat the 5 s timeout", d)
	}
	r.expect(t, printer.KindCoverOpen)
	r.vp.SetState(vprinter.StateOK)
	time.Sleep(100 * time.Millisecond)
	if n := len(r.vp.Jobs()); n != 0 {
		t.Errorf("%d jobs cut after the cover closed: the rest was not cleared", n)
	}
}

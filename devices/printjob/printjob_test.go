package printjob_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/assets/i18n"
	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/printjob"
	"hallq/devices/vprinter"
	"hallq/queue"
	"hallq/queue/hall"
)

// rig is a hall node, a virtual printer on a real pseudo-terminal, the real
// serial driver and the print service, as a kiosk runs them.
type rig struct {
	node *hall.Node
	vp   *vprinter.Printer
	drv  *printer.Printer
	svc  *printjob.Service
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours = queue.Hours{}
	}
	node, err := hall.Open(ctx, filepath.Join(dir, "hall"), hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { node.Close() })
	if err := node.Init(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if err := demohall.Seed(ctx, node); err != nil {
		t.Fatal(err)
	}
	vp, err := vprinter.New(vprinter.Config{Dir: filepath.Join(dir, "printed"), Link: filepath.Join(dir, "ttyPrinter"), Speedup: 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { vp.Close() })
	svc := printjob.New(node, nil, escpos.Generic80)
	drv := printer.Open(printer.SerialOpener(printer.SerialConfig{Name: vp.Path(), Baud: 9600}),
		printer.Config{Baud: 0, OnEvent: svc.PrinterEvent, StatusTimeout: 300 * time.Millisecond, ConfirmTimeout: 2 * time.Second})
	t.Cleanup(func() { drv.Close() })
	svc.SetDriver(drv)
	return &rig{node, vp, drv, svc}
}

func (r *rig) events(t *testing.T) []string {
	evs, err := r.node.Events(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, e := range evs {
		types = append(types, e.Type)
	}
	return types
}

func TestIssueTicketPrintsAndRecords(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	is, err := r.svc.IssueTicket(ctx, hall.IssueRequest{Service: "A", Actor: "kiosk:1"}, i18n.ZH)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := r.vp.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	text := jobs[0].Text()
	for _, want := range []string{"A001", "社会保险", "青山县政务服务中心", "过号无效"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed ticket lacks %q:\n%s", want, text)
		}
	}
	if qrs := jobs[0].QRs(); len(qrs) != 1 || !strings.HasSuffix(qrs[0], "2026") && !strings.Contains(qrs[0], "A001") {
		t.Errorf("QR payloads %v", qrs)
	}
	ts, _ := r.node.Tickets(ctx, "")
	if ts[0].ID != is.Ticket.ID || ts[0].Print != queue.Printed {
		t.Fatalf("ticket print state %s", ts[0].Print)
	}
	// The row commits before printing; the outcome follows it.
	types := r.events(t)
	issued, printed := -1, -1
	for i, ty := range types {
		switch ty {
		case "issued":
			issued = i
		case "printed":
			printed = i
		}
	}
	if issued < 0 || printed < issued {
		t.Fatalf("events: %v", types)
	}
	if h := r.svc.Health(); h.PaperUsedMM <= 0 || h.State != "ok" {
		t.Fatalf("health after a job: %+v", h)
	}
}

// Paper out: the ticket exists, is marked failed with an event, staff
// reprint it once after the refill, and a second reprint is refused.
func TestPaperOutThenReprintOnce(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.vp.SetState(vprinter.StatePaperOut)
	is, err := r.svc.IssueTicket(ctx, hall.IssueRequest{Service: "B", Actor: "kiosk:1"}, i18n.ZH)
	var pe *printjob.PrintError
	if !errors.As(err, &pe) || pe.Number != "B001" || is.Ticket.Number != "B001" {
		t.Fatalf("want a PrintError for B001 with the ticket, got %v %+v", err, is.Ticket)
	}
	if !errors.Is(err, printer.ErrPaperOut) || pe.MessageID() != "print.status.paper-out" {
		t.Fatalf("cause: %v, message %s", err, pe.MessageID())
	}
	failed, _ := r.svc.FailedTickets(ctx)
	if len(failed) != 1 || failed[0].ID != is.Ticket.ID {
		t.Fatalf("failed tickets: %+v", failed)
	}
	// The driver delivers health changes from its own goroutine.
	deadline := time.Now().Add(3 * time.Second)
	for {
		types := strings.Join(r.events(t), " ")
		if strings.Contains(types, "print_failed") && strings.Contains(types, "device_paper_out") && r.svc.Health().State == "paper_out" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events: %s; health %+v", types, r.svc.Health())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(r.vp.Jobs()) != 0 {
		t.Fatal("a refused job printed")
	}

	r.vp.LoadPaper()
	if err := r.svc.Restocked(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.Reprint(ctx, is.Ticket.ID, "staff", i18n.ZH); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.Reprint(ctx, is.Ticket.ID, "staff", i18n.ZH); queue.ErrorCode(err) != queue.CodeInvalidTransition {
		t.Fatalf("second reprint: %v", err)
	}
	time.Sleep(200 * time.Millisecond)
	jobs := r.vp.Jobs()
	if len(jobs) != 1 || !strings.Contains(jobs[0].Text(), "B001") {
		t.Fatalf("want B001 printed exactly once, got %d jobs", len(jobs))
	}
}

func TestVoidAndNotices(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.vp.SetState(vprinter.StateCoverOpen)
	is, err := r.svc.IssueTicket(ctx, hall.IssueRequest{Service: "H"}, i18n.ZH)
	if !errors.Is(err, printer.ErrCoverOpen) {
		t.Fatalf("cover open: %v", err)
	}
	if err := r.svc.Void(ctx, is.Ticket.ID, "staff"); err != nil {
		t.Fatal(err)
	}
	if failed, _ := r.svc.FailedTickets(ctx); len(failed) != 0 {
		t.Fatalf("a voided ticket still waits for a reprint: %+v", failed)
	}
	r.vp.SetState(vprinter.StateOK)
	cat, _ := r.node.Catalogue(ctx)
	it := cat.Items()[0]
	if err := r.svc.PrintGuide(ctx, it, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.PrintMaterials(ctx, it, []int{1}, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	c, err := r.node.LookupCase(ctx, "t", "QS2026110003", demohall.DemoCheckCode)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.PrintCaseSlip(ctx, c, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.TestPrint(ctx, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	jobs, err := r.vp.WaitJobs(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(jobs[0].Text(), it.Name.ZH[:6]) || !strings.Contains(jobs[1].Text(), it.Materials[0].Name) ||
		!strings.Contains(jobs[2].Text(), "QS2026110003") {
		t.Fatalf("notices:\n%s\n---\n%s\n---\n%s", jobs[0].Text(), jobs[1].Text(), jobs[2].Text())
	}
}

// The paper counter survives a restart: it is saved in the hall database.
func TestPaperCounterPersists(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.svc.IssueTicket(ctx, hall.IssueRequest{Service: "A"}, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	used := r.svc.Health().PaperUsedMM
	again := printjob.New(r.node, nil, escpos.Generic80)
	fresh := &paperDriver{}
	again.SetDriver(fresh)
	if fresh.used != used || used <= 0 {
		t.Fatalf("restored %v, want %v", fresh.used, used)
	}
}

// paperDriver is a driver that only keeps a paper counter.
type paperDriver struct{ used float64 }

func (d *paperDriver) PrintJob(context.Context, printer.Job) (printer.Result, error) {
	return printer.Result{}, errors.New("not a printer")
}
func (d *paperDriver) PaperState() printer.Paper          { return printer.Paper{UsedMM: d.used} }
func (d *paperDriver) SetPaper(used float64, _ time.Time) { d.used = used }
func (d *paperDriver) Restocked()                         { d.used = 0 }

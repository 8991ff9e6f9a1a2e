package kiosk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	democat "hallq/assets/catalogue"
	"hallq/assets/demohall"
	"hallq/devices/a4"
	"hallq/devices/escpos"
	"hallq/devices/printer"
	"hallq/devices/printjob"
	"hallq/devices/vprinter"
	"hallq/queue"
	"hallq/queue/hall"
)

// LocalConfig configures a kiosk that runs its hall node in-process.
type LocalConfig struct {
	// Data is the data directory: hall.db, and printed/ with the virtual
	// printer's tickets.
	Data string
	// Printer is the serial port of the ticket printer; empty starts the
	// virtual printer on a pseudo-terminal.
	Printer string
	Profile escpos.Profile
	KioskID string
	// Demo makes an empty data directory the demo hall, issuing at any
	// hour, with the demo catalogue, cases and today's appointments.
	Demo bool
	// Virtual tunes the virtual printer (tests: paper roll, speed);
	// Dir and Link are set from Data.
	Virtual vprinter.Config
	// A4 prints full guides on A4 (a4.New); nil: the kiosk has no A4
	// printer and offers none.
	A4   a4.Printer
	Now  func() time.Time
	Logf func(format string, args ...any)
}

// Local is an embedded hall node with its printer, serving Backend.
type Local struct {
	*Embedded
	*printerParts
	Node *hall.Node
}

// OpenLocal opens the hall in cfg.Data and its printer.
func OpenLocal(ctx context.Context, cfg LocalConfig) (*Local, error) {
	if cfg.Profile.Name == "" {
		cfg.Profile = escpos.Generic80
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	node, err := hall.Open(ctx, cfg.Data, hall.Options{Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	l := &Local{Node: node}
	if err := l.init(ctx, cfg); err != nil {
		node.Close()
		return nil, err
	}
	pr, err := openPrinter(node, printerSetup{Data: cfg.Data, Port: cfg.Printer, Profile: cfg.Profile, KioskID: cfg.KioskID, Virtual: cfg.Virtual}, nil)
	if err != nil {
		node.Close()
		return nil, err
	}
	l.printerParts = pr
	// A ticket this kiosk committed before a crash or power cut whose print
	// never got an answer is shown to staff as failed, before this kiosk
	// prints again. Only its own: another program on the same data
	// directory may be printing.
	lost, err := node.FailInterruptedPrints(ctx, kioskActor(cfg.KioskID))
	if err != nil {
		pr.close()
		node.Close()
		return nil, err
	}
	for _, t := range lost {
		cfg.Logf("kiosk: ticket %s was printing when the kiosk stopped; staff mode lists it to reprint or void", t.Number)
	}
	l.Embedded = &Embedded{Node: node, Print: l.Jobs, KioskID: cfg.KioskID, DataDir: cfg.Data, Health: l.health,
		WatchHealth: l.watchHealth, A4: cfg.A4}
	return l, nil
}

// printerParts are the kiosk's ticket printer: the print service, the
// driver and, without a serial port, the virtual printer.
type printerParts struct {
	Jobs    *printjob.Service
	Driver  *printer.Printer
	Virtual *vprinter.Printer // nil with a real printer
	cancel  context.CancelFunc
}

// printerSetup is where a kiosk's ticket printer is and how it prints:
// the same for an embedded and a LAN kiosk. Named fields, because three
// of them are strings that a positional call could swap unnoticed.
type printerSetup struct {
	Data    string // the kiosk's data directory: printed/ and ttyPrinter of the virtual printer
	Port    string // serial port; "" starts the virtual printer
	Profile escpos.Profile
	KioskID string
	Virtual vprinter.Config // Dir and Link are set from Data
}

// openPrinter opens the printer on s.Port, or the virtual printer saving
// tickets in Data/printed, with its print service over node (which keeps
// the paper counter). onEvent also receives the driver's health changes.
func openPrinter(node *hall.Node, s printerSetup, onEvent func(printer.Event)) (*printerParts, error) {
	p := &printerParts{}
	profile, port, vc := s.Profile, s.Port, s.Virtual
	pcfg := printer.ConfigFor(profile)
	if port == "" {
		vc.Dir = filepath.Join(s.Data, "printed")
		vc.Link = filepath.Join(s.Data, "ttyPrinter")
		if vc.Width == 0 {
			vc.Width = profile.Dots
		}
		if vc.Baud == 0 {
			vc.Baud = profile.Baud
		}
		if err := os.MkdirAll(vc.Dir, 0o750); err != nil {
			return nil, err
		}
		vp, err := vprinter.New(vc)
		if err != nil {
			return nil, fmt.Errorf("kiosk: virtual printer: %w", err)
		}
		p.Virtual, port = vp, vc.Link
		if vc.Speedup > 1 {
			pcfg.Baud = int(float64(pcfg.Baud) * vc.Speedup)
		}
	}
	// The print service exists before the driver: the driver's health
	// callback is the service's.
	p.Jobs = printjob.New(node, nil, profile)
	p.Jobs.SetDevice("printer:kiosk-" + s.KioskID)
	pcfg.OnEvent = p.Jobs.PrinterEvent
	if onEvent != nil {
		pcfg.OnEvent = func(e printer.Event) {
			p.Jobs.PrinterEvent(e)
			onEvent(e)
		}
	}
	p.Driver = printer.Open(printer.SerialOpener(printer.SerialConfig{Name: port, Baud: profile.Baud}), pcfg)
	p.Jobs.SetDriver(p.Driver)
	mctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go p.Driver.Monitor(mctx, 5*time.Second)
	return p, nil
}

// health is the printer's health as staff mode shows it.
func (p *printerParts) health() PrinterHealth {
	return healthOf(p.Jobs.Health())
}

func healthOf(h printjob.Health) PrinterHealth {
	return PrinterHealth{State: h.State, PaperRemainingMM: h.PaperRemainingMM, LastError: h.LastError, Updated: h.Updated}
}

// watchHealth follows the printer's health as staff mode shows it.
func (p *printerParts) watchHealth() (<-chan PrinterHealth, func()) {
	in, unsubscribe := p.Jobs.Subscribe()
	return latest(in, unsubscribe, healthOf)
}

// close stops the driver and the virtual printer.
func (p *printerParts) close() error {
	p.cancel()
	err := p.Driver.Close()
	if p.Virtual != nil {
		err = errors.Join(err, p.Virtual.Close())
	}
	return err
}

// init makes an empty data directory the demo hall.
func (l *Local) init(ctx context.Context, cfg LocalConfig) error {
	_, _, err := l.Node.Config(ctx)
	if err == nil || !cfg.Demo {
		return err
	}
	return InitDemo(ctx, l.Node, cfg.Data, cfg.Logf)
}

// InitDemo makes node the demo hall, issuing at any hour, with the demo
// catalogue, cases and today's appointments.
func InitDemo(ctx context.Context, node *hall.Node, where string, logf func(string, ...any)) error {
	hc := demohall.Config()
	for i := range hc.Services {
		hc.Services[i].Hours = queue.Hours{}
		hc.Services[i].Slots = nil
	}
	if err := node.Init(ctx, hc); err != nil {
		return err
	}
	cat, err := democat.Catalogue()
	if err != nil {
		return err
	}
	if err := node.PutCatalogue(ctx, cat, kioskActor("demo")); err != nil {
		return err
	}
	_, loc, err := node.Config(ctx)
	if err != nil {
		return err
	}
	now := node.Now().In(loc)
	cases, appts := DemoCases(now)
	if err := node.PutCases(ctx, cases); err != nil {
		return err
	}
	logf("kiosk: %s is now the demo hall (always open), with %d items, %d cases, %d appointments", where, cat.Len(), len(cases), len(appts))
	return node.PutAppointments(ctx, appts)
}

// DemoCases are the demo hall's cases and today's appointments around now.
// Check codes are the last four digits of the applicant's phone.
func DemoCases(now time.Time) ([]queue.Case, []queue.Appointment) {
	day := func(d int) string { return now.AddDate(0, 0, d).Format(queue.DayLayout) }
	c := func(number, item, code, applicant string, kind queue.CaseKind, st queue.CaseStatus, accepted, promised int, note string) queue.Case {
		return queue.Case{Number: number, HallID: demohall.Config().ID, ItemCode: code, ItemName: item, Kind: kind,
			ApplicantMasked: applicant, CheckHash: queue.CheckCodeHash(number, "1234"), Status: st,
			AcceptedAt: now.AddDate(0, 0, accepted), PromisedDate: day(promised), Note: note, UpdatedAt: now}
	}
	cases := []queue.Case{
		c("QS2026110001", "社会保障卡申领", "RS001", "张**", queue.CasePromised, queue.CaseInProgress, -12, -2, ""),
		c("QS2026110002", "不动产转移登记", "BDC002", "李**", queue.CasePromised, queue.CaseFinished, -9, 1, "请携带身份证到 12 号窗口领取不动产权证书"),
		c("QS2026110003", "个体工商户设立登记", "SC001", "青山县某某商行", queue.CaseSupplement, queue.CaseWaiting, -3, 4, "请补交经营场所使用证明"),
	}
	at := func(d time.Duration) time.Time { return now.Add(d).Truncate(time.Minute) }
	appts := []queue.Appointment{
		{Code: "YY001", Service: "D", At: at(20 * time.Minute), NameMasked: "王*"},
		{Code: "YY002", Service: "A", At: at(40 * time.Minute), NameMasked: "赵**"},
		{Code: "YY003", Service: "F", At: at(3 * time.Hour), NameMasked: "孙*"},
	}
	return cases, appts
}

// Close stops the printer and closes the hall.
func (l *Local) Close() error {
	return errors.Join(l.printerParts.close(), l.Node.Close())
}

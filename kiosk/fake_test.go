package kiosk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	democat "hallq/assets/catalogue"
	"hallq/assets/demohall"
	"hallq/assets/i18n"
	"hallq/queue"
	"hallq/queue/catalogue"
	"hallq/queue/hall"
)

// fake is an in-memory Backend, real enough for the screens: the demo
// hall's services and hours, numbering per service, the demo catalogue,
// cases with check codes and a throttle, appointments, and a printer that
// can run out of paper. The integration tests use the real node instead.
type fake struct {
	mu       sync.Mutex
	now      time.Time
	cfg      queue.HallConfig
	loc      *time.Location
	cat      *catalogue.Catalogue
	seq      map[string]int
	tickets  []queue.Ticket
	waiting  map[string]int
	paperOut bool
	printed  []string // what went to the printer, one line per job
	cases    map[string]queue.Case
	failures int
	appts    map[string]queue.Appointment
	// Live watches (WatchQueue, WatchPrinter) open now.
	queueSubs  map[chan struct{}]bool
	healthSubs map[chan PrinterHealth]bool
}

var _ Backend = (*fake)(nil)

func newFake(now time.Time, alwaysOpen bool) *fake {
	cfg := demohall.Config()
	if alwaysOpen {
		for i := range cfg.Services {
			cfg.Services[i].Hours = queue.Hours{}
			cfg.Services[i].Slots = nil
		}
	}
	loc, _ := time.LoadLocation(cfg.Zone)
	cat, err := democat.Catalogue()
	if err != nil {
		panic(err)
	}
	f := &fake{now: now, cfg: cfg, loc: loc, cat: cat, seq: map[string]int{}, waiting: map[string]int{},
		cases: map[string]queue.Case{}, appts: map[string]queue.Appointment{},
		queueSubs: map[chan struct{}]bool{}, healthSubs: map[chan PrinterHealth]bool{}}
	f.cases["QS2026110001"] = queue.Case{Number: "QS2026110001", ItemName: "社会保障卡申领", ApplicantMasked: "张**",
		CheckHash: queue.CheckCodeHash("QS2026110001", "1234"), Status: queue.CaseInProgress, PromisedDate: "2026-11-20"}
	f.appts["YY001"] = queue.Appointment{Code: "YY001", Service: "D", At: now.Add(20 * time.Minute), NameMasked: "李*"}
	return f
}

func (f *fake) Hall(context.Context) (queue.HallConfig, *time.Location, error) {
	return f.cfg, f.loc, nil
}

func (f *fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fake) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fake) Queue(context.Context) ([]hall.ServiceState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []hall.ServiceState
	for _, s := range f.cfg.Services {
		w := f.waiting[s.Code]
		out = append(out, hall.ServiceState{Service: s, Waiting: w, Open: !s.Paused && s.Hours.Open(f.now.In(f.loc)),
			Estimate: queue.Estimate{PeopleAhead: w, Seconds: w * s.AvgServiceSeconds / 2, Known: true}})
	}
	return out, nil
}

func (f *fake) Catalogue(context.Context) (*catalogue.Catalogue, error) { return f.cat, nil }

func (f *fake) print(line string) error {
	if f.paperOut {
		return errors.New("printer: paper out")
	}
	f.printed = append(f.printed, line)
	return nil
}

func (f *fake) TakeNumber(_ context.Context, req hall.IssueRequest, _ i18n.Lang) (hall.Issued, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var svc queue.Service
	for _, s := range f.cfg.Services {
		if s.Code == req.Service {
			svc = s
		}
	}
	if err := queue.Admit(svc, f.now.In(f.loc), queue.DayCounts{}); err != nil {
		return hall.Issued{}, err
	}
	if svc.OnePerCitizen && len(req.CitizenID) != 18 {
		return hall.Issued{}, queue.Errorf(queue.CodeInvalidID, "bad id")
	}
	f.seq[svc.Code]++
	t := queue.Ticket{ID: fmt.Sprintf("2026-11-23/%s%03d", svc.Code, f.seq[svc.Code]), Number: fmt.Sprintf("%s%03d", svc.Code, f.seq[svc.Code]),
		Service: svc.Code, Priority: req.Priority, State: queue.Waiting, IssuedAt: f.now}
	ahead := f.waiting[svc.Code]
	f.waiting[svc.Code]++
	f.queueChanged()
	is := hall.Issued{Ticket: t, Estimate: queue.Estimate{PeopleAhead: ahead, Seconds: ahead * 300, Known: true}}
	if err := f.print("ticket " + t.Number); err != nil {
		t.Print = queue.PrintFailed
		f.tickets = append(f.tickets, t)
		return is, err
	}
	t.Print = queue.Printed
	f.tickets = append(f.tickets, t)
	return is, nil
}

func (f *fake) CheckIn(ctx context.Context, code string, lang i18n.Lang) (hall.Issued, error) {
	f.mu.Lock()
	a, ok := f.appts[code]
	if !ok {
		f.mu.Unlock()
		return hall.Issued{}, queue.Errorf(queue.CodeUnknownAppt, "no appointment %s", code)
	}
	if err := queue.CheckAppointment(a, f.now, f.loc, queue.DefaultCheckIn); err != nil {
		f.mu.Unlock()
		return hall.Issued{}, err
	}
	a.TicketID = "x"
	f.appts[code] = a
	f.mu.Unlock()
	return f.TakeNumber(ctx, hall.IssueRequest{Service: a.Service, Priority: queue.Priority{Class: queue.ClassAppointment}}, lang)
}

func (f *fake) LookupCase(_ context.Context, number, code string) (queue.Case, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failures >= 3 {
		return queue.Case{}, queue.Errorf(queue.CodeThrottled, "wait")
	}
	c, ok := f.cases[number]
	if !ok || c.CheckHash != queue.CheckCodeHash(number, code) {
		f.failures++
		return queue.Case{}, queue.Errorf(queue.CodeUnknownCase, "no case")
	}
	f.failures = 0
	return c, nil
}

func (f *fake) PrintGuide(_ context.Context, it catalogue.Item, _ i18n.Lang) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.print("guide " + it.Code)
}

func (f *fake) PrintMaterials(_ context.Context, it catalogue.Item, _ i18n.Lang) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.print("materials " + it.Code)
}

func (f *fake) PrintCaseSlip(_ context.Context, c queue.Case, _ i18n.Lang) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.print("case " + c.Number)
}

func (f *fake) PrinterHealth() PrinterHealth {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.paperOut {
		return PrinterHealth{State: PrinterPaperOut, LastError: "paper out", Updated: f.now}
	}
	return PrinterHealth{State: PrinterOK, PaperRemainingMM: 79000, Updated: f.now}
}

func (f *fake) Restocked(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paperOut = false
	return nil
}

func (f *fake) TestPrint(context.Context, i18n.Lang) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.print("test")
}

func (f *fake) FailedTickets(context.Context) ([]queue.Ticket, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []queue.Ticket
	for _, t := range f.tickets {
		if t.Print == queue.PrintFailed && t.State == queue.Waiting {
			out = append(out, t)
		}
	}
	return out, nil
}

func (f *fake) Reprint(_ context.Context, id string, _ i18n.Lang) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, t := range f.tickets {
		if t.ID == id {
			if err := f.print("ticket " + t.Number); err != nil {
				return err
			}
			f.tickets[i].Print = queue.Printed
			return nil
		}
	}
	return queue.Errorf(queue.CodeUnknownTicket, "%s", id)
}

func (f *fake) Void(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, t := range f.tickets {
		if t.ID == id {
			f.tickets[i].State = queue.Cancelled
			return nil
		}
	}
	return queue.Errorf(queue.CodeUnknownTicket, "%s", id)
}

func (f *fake) SetServiceOpen(_ context.Context, code string, open bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.cfg.Services {
		if f.cfg.Services[i].Code == code {
			f.cfg.Services[i].Paused = !open
		}
	}
	f.queueChanged()
	return nil
}

func (f *fake) Status(context.Context) (NodeStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return NodeStatus{HallID: f.cfg.ID, DayTally: hall.DayTally{Day: "2026-11-23", Issued: len(f.tickets)}, Embedded: true, Location: "/tmp/hall"}, nil
}

// WatchQueue and WatchPrinter follow the fake as the real backends follow
// the node and the printer; the fake counts the watches open, so tests
// see that a screen left stops its watch.
func (f *fake) WatchQueue() (<-chan struct{}, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan struct{}, 1)
	f.queueSubs[ch] = true
	return ch, sync.OnceFunc(func() {
		f.mu.Lock()
		delete(f.queueSubs, ch)
		close(ch)
		f.mu.Unlock()
	})
}

func (f *fake) WatchPrinter() (<-chan PrinterHealth, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan PrinterHealth, 1)
	f.healthSubs[ch] = true
	return ch, sync.OnceFunc(func() {
		f.mu.Lock()
		delete(f.healthSubs, ch)
		close(ch)
		f.mu.Unlock()
	})
}

// watches returns how many live watches are open.
func (f *fake) watches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queueSubs) + len(f.healthSubs)
}

// queueChanged signals the queue watches; called with f.mu held.
func (f *fake) queueChanged() {
	for ch := range f.queueSubs {
		signal(ch)
	}
}

// issueElsewhere is a ticket issued at another kiosk of the hall.
func (f *fake) issueElsewhere(code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waiting[code]++
	f.queueChanged()
}

// setPaperOut changes the printer's paper as the driver would notice it.
func (f *fake) setPaperOut(out bool) {
	f.mu.Lock()
	f.paperOut = out
	f.mu.Unlock()
	h := f.PrinterHealth()
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.healthSubs {
		select {
		case <-ch:
		default:
		}
		ch <- h
	}
}

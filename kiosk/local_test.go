package kiosk

import (
	"context"
	"strings"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/vprinter"
	"hallq/queue/hall"
)

var _ Node = (*hall.Node)(nil)

// openLocal opens an embedded kiosk over cfg, by default the demo hall in
// a new directory as kiosk t1, closed when the test ends.
func openLocal(t *testing.T, cfg LocalConfig) *Local {
	t.Helper()
	if cfg.Data == "" {
		cfg.Data, cfg.Demo = t.TempDir(), true
	}
	if cfg.KioskID == "" {
		cfg.KioskID = "t1"
	}
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	l, err := OpenLocal(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	closeAtEnd(t, l)
	return l
}

func TestLocalTicketReachesThePrinter(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer round trips")
	}
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "H  综合窗口")
	tapTile(t, w, "普通取号")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")
	if !strings.Contains(shown(w), "H001") {
		t.Fatalf("ticket screen:\n%s", shown(w))
	}
	job := waitJob(t, l.Virtual, 1)
	if txt := job.Text(); !strings.Contains(txt, "H001") || !strings.Contains(txt, "综合窗口") {
		t.Fatalf("printed ticket:\n%s", txt)
	}
	if len(job.Errors) > 0 {
		t.Fatalf("protocol errors: %v", job.Errors)
	}
	if job.File == "" {
		t.Fatal("no PNG saved")
	}
}

func TestLocalPaperOutKeepsTheNumberAndTellsStaff(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer round trips")
	}
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	l.Virtual.SetState(vprinter.StatePaperOut)
	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "E  企业开办")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket.unprinted")
	if s := shown(w); !strings.Contains(s, "E001") || !strings.Contains(s, "服务台") {
		t.Fatalf("unprinted screen:\n%s", s)
	}
	failed, err := l.FailedTickets(context.Background())
	if err != nil || len(failed) != 1 || failed[0].Number != "E001" {
		t.Fatalf("failed tickets %v, %v", failed, err)
	}
	// Staff see it, restock, and reprint it.
	enterStaff(t, k, w)
	if s := shown(w); !strings.Contains(s, "E001") {
		t.Fatalf("staff screen lacks the failed ticket:\n%s", s)
	}
	l.Virtual.LoadPaper()
	tapTile(t, w, "已换新纸卷")
	tapTile(t, w, "补打")
	if txt := waitJob(t, l.Virtual, 1).Text(); !strings.Contains(txt, "E001") {
		t.Fatalf("reprint: %s", txt)
	}
	if failed, _ := l.FailedTickets(context.Background()); len(failed) != 0 {
		t.Fatalf("still failed after reprint: %v", failed)
	}
}

func TestLocalGuideCaseAndCheckIn(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer round trips")
	}
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	openSBKGuide(t, w)
	tapTile(t, w, "打印办事指南")
	if txt := waitJob(t, l.Virtual, 1).Text(); !strings.Contains(txt, "社会保障卡") {
		t.Fatalf("guide: %s", txt)
	}

	tapTile(t, w, "返回首页")
	tapTile(t, w, "办件查询")
	typeKeys(t, w, "QS2026110001")
	tapTile(t, w, "下一步")
	typeKeys(t, w, "1234")
	tapTile(t, w, "查询")
	wantScreen(t, k, "progress.result")
	if s := shown(w); !strings.Contains(s, "张**") || !strings.Contains(s, "已超过承诺时限") {
		t.Fatalf("case:\n%s", s)
	}

	tapTile(t, w, "返回首页")
	tapTile(t, w, "预约签到")
	typeKeys(t, w, "YY001")
	tapTile(t, w, "签到取号")
	wantScreen(t, k, "ticket")
	if s := shown(w); !strings.Contains(s, "D001") {
		t.Fatalf("check-in:\n%s", s)
	}
	if txt := waitJob(t, l.Virtual, 2).Text(); !strings.Contains(txt, "D001") {
		t.Fatalf("check-in ticket: %s", txt)
	}
}

func TestLocalStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer round trips")
	}
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	st, err := l.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.HallID != "330999-01" || !st.Embedded || st.Day == "" {
		t.Fatalf("status %+v", st)
	}
}

// With the embedded node: a ticket issued at another kiosk of the hall
// (directly on the node) raises the waiting count on the open list; staff
// pausing the service elsewhere turns its tile off.
func TestLocalTakeListFollowsTheNode(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer round trips")
	}
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	tapTile(t, w, "取号")
	h := findTile(t, w, "H  综合窗口")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := l.Node.Issue(ctx, hall.IssueRequest{Service: "H", Actor: "kiosk:k2"}); err != nil {
			t.Fatal(err)
		}
	}
	updateUntil(t, k, "H has two waiting", func() bool { return strings.HasPrefix(h.sub, "等候 2 人") })
	if err := l.Node.SetServiceOpen(ctx, "H", false, "staff:manager"); err != nil {
		t.Fatal(err)
	}
	updateUntil(t, k, "H paused", func() bool { return h.disabled })
	if h.sub != i18n.T(i18n.ZH, "kiosk.take.paused") {
		t.Fatalf("paused H says %q", h.sub)
	}
	k.Home()
	noFollowers(t)
}

// Staff mode follows the printer's health: the virtual printer runs out
// of paper while staff mode is open, the driver's monitor notices, and
// the screen says 缺纸 without a tap; a ticket that then fails to print
// appears among the failed ones, also without a tap.
func TestLocalStaffFollowsThePrinter(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer round trips")
	}
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}})
	k, w := newTestKiosk(t, l, time.Now, i18n.ZH)
	k.Staff()
	paperOut := i18n.T(i18n.ZH, "kiosk.staff.printer.state", i18n.T(i18n.ZH, "kiosk.printer.paper_out"))
	if strings.Contains(shown(w), paperOut) {
		t.Fatalf("paper out before it ran out:\n%s", shown(w))
	}
	l.Virtual.SetState(vprinter.StatePaperOut)
	updateUntil(t, k, "paper out", func() bool { return strings.Contains(shown(w), paperOut) })
	// A number taken meanwhile (the citizen's flow, straight on the
	// backend) fails to print: staff see it among the failed tickets.
	if is, err := l.TakeNumber(context.Background(), hall.IssueRequest{Service: "H"}, i18n.ZH); err == nil || is.Ticket.Number != "H001" {
		t.Fatalf("take a number without paper: %+v, %v", is.Ticket, err)
	}
	updateUntil(t, k, "H001 among the failed", func() bool { return strings.Contains(shown(w), "H001") })
	findTile(t, w, "补打")
	k.Home()
	noFollowers(t)
}

// Before the first ticket, staff mode's business day is the hall's
// (Asia/Shanghai), not the machine's: at 01:00 in the hall a UTC machine
// is still on the day before.
func TestStatusDayIsTheHallsBeforeTheFirstTicket(t *testing.T) {
	if testing.Short() {
		t.Skip("pty and printer")
	}
	now := time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)
	l := openLocal(t, LocalConfig{Virtual: vprinter.Config{Speedup: 10}, Now: func() time.Time { return now }})
	st, err := l.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Issued != 0 || st.Day != "2026-12-01" {
		t.Fatalf("status %+v, want day 2026-12-01 and no ticket", st)
	}
}

// An embedded kiosk issues under its own name whatever the request says:
// start-up recovery fails the prints left pending under that name, so a
// ticket issued under another would never reach staff after a crash.
func TestLocalIssuesUnderItsOwnName(t *testing.T) {
	l := openLocal(t, LocalConfig{KioskID: "k7"})
	ctx := context.Background()
	is, err := l.TakeNumber(ctx, hall.IssueRequest{Service: "H", Actor: "kiosk:someone-else"}, i18n.ZH)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := l.Node.Events(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Type == "issued" && e.TicketID == is.Ticket.ID {
			if e.Actor != "kiosk:k7" {
				t.Fatalf("issued by %q, want kiosk:k7", e.Actor)
			}
			return
		}
	}
	t.Fatalf("no issued event for %s", is.Ticket.ID)
}

package kiosk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"hallq/assets/i18n"
	"hallq/devices/printer"
	"hallq/devices/vprinter"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/store"
)

// hallNode is a real `hallq serve` process over a demo hall, on a fixed
// port so that it can come back at the same address.
type hallNode struct {
	data, addr string
	cmd        *exec.Cmd
}

func newHallNode(t *testing.T) (*hallNode, string) {
	t.Helper()
	data := t.TempDir()
	ctx := context.Background()
	n, err := hall.Open(ctx, data, hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := InitDemo(ctx, n, data, t.Logf); err != nil {
		t.Fatal(err)
	}
	n.Close()
	out := hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "kiosk", "--name", "k1")
	var dev struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(out), &dev); err != nil || dev.Token == "" {
		t.Fatalf("device add: %s %v", out, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := &hallNode{data: data, addr: addr}
	h.start(t)
	t.Cleanup(h.kill)
	return h, dev.Token
}

func (h *hallNode) url() string { return "http://" + h.addr }

func (h *hallNode) start(t *testing.T) {
	t.Helper()
	h.cmd, _ = hallqtest.Serve(t, h.data, h.addr)
}

// kill ends the node as a power cut would.
func (h *hallNode) kill() {
	if h.cmd == nil {
		return
	}
	h.cmd.Process.Signal(syscall.SIGKILL)
	h.cmd.Wait()
	h.cmd = nil
}

// openRemote opens a LAN kiosk on h's node, closed when the test ends;
// tweaks change its configuration first.
func openRemote(t *testing.T, h *hallNode, token string, tweaks ...func(*RemoteConfig)) *Remote {
	t.Helper()
	cfg := RemoteConfig{Node: h.url(), Token: token, Data: t.TempDir(), KioskID: "k1",
		Virtual: vprinter.Config{Speedup: 10}, Probe: time.Hour, Timeout: 2 * time.Second, Logf: t.Logf}
	for _, tweak := range tweaks {
		tweak(&cfg)
	}
	r, err := OpenRemote(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	closeAtEnd(t, r)
	return r
}

// nodeTicket returns the node's view of a ticket by number.
func nodeTicket(t *testing.T, r *Remote, number string) hall.TicketView {
	t.Helper()
	ts, err := r.API.Tickets(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range ts {
		if v.Number == number {
			return v
		}
	}
	t.Fatalf("the node has no ticket %s among %d", number, len(ts))
	return hall.TicketView{}
}

// inFront puts a proxy in front of h's node and returns its URL: each
// request goes to intercept first, and on to the node unless intercept
// answered it (true). It closes after the kiosk, whose Close comes first.
func inFront(t *testing.T, h *hallNode, intercept func(http.ResponseWriter, *http.Request) bool) string {
	t.Helper()
	node, err := url.Parse(h.url())
	if err != nil {
		t.Fatal(err)
	}
	forward := httputil.NewSingleHostReverseProxy(node)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !intercept(w, r) {
			forward.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(front.Close)
	return front.URL
}

// issueToPrint issues a ticket of service at the node with its print
// pending on this kiosk, as the take flow does before it prints.
func issueToPrint(t *testing.T, r *Remote, service string) hall.TicketView {
	t.Helper()
	v, err := r.API.Issue(context.Background(), hall.IssueRequest{Service: service, Print: true})
	if err != nil || v.Print != string(queue.PrintPending) {
		t.Fatalf("issue %s: %+v %v", service, v, err)
	}
	return v
}

// nodeEvents reads the events h's node has recorded, from its database.
func nodeEvents(t *testing.T, h *hallNode) []store.OutboxEvent {
	t.Helper()
	n, err := hall.Open(context.Background(), h.data, hall.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	evs, err := n.Events(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// nodePrint waits until the node has heard how that number printed: the
// kiosk tells it from its loop, after the citizen has the ticket.
func nodePrint(t *testing.T, r *Remote, number string, want queue.PrintState) hall.TicketView {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		v := nodeTicket(t, r, number)
		if v.Print == string(want) || time.Now().After(deadline) {
			return v
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A kiosk on the LAN in front of a real `hallq serve`: a number taken
// through the UI is the node's and prints here; the node is killed and the
// kiosk says so calmly while guides and case progress go on from its copy;
// the node comes back and numbers are taken again.
func TestRemoteKioskThroughNodeOutage(t *testing.T) {
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	ctx := context.Background()
	k, w := newTestKiosk(t, r, time.Now, i18n.ZH)
	if k.hallName() != "青山县政务服务中心" {
		t.Fatalf("hall name %q", k.hallName())
	}

	tapTile(t, w, "取号")
	tapTile(t, w, "H  综合窗口")
	tapTile(t, w, "普通取号")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")
	if !strings.Contains(shown(w), "H001") {
		t.Fatalf("ticket screen:\n%s", shown(w))
	}
	if txt := waitJob(t, r.Virtual, 1).Text(); !strings.Contains(txt, "H001") || !strings.Contains(txt, "综合窗口") {
		t.Fatalf("printed:\n%s", txt)
	}
	if v := nodePrint(t, r, "H001", queue.Printed); v.State != "waiting" || v.Print != string(queue.Printed) {
		t.Fatalf("node's H001: %+v", v)
	}

	// The node dies.
	h.kill()
	if err := r.check(ctx); !errors.Is(err, ErrNodeUnreachable) {
		t.Fatalf("check with the node gone: %v", err)
	}
	k.Home()
	s := shown(w)
	if !strings.Contains(s, "暂时连不上大厅服务器") {
		t.Fatalf("home without the node:\n%s", s)
	}
	for _, title := range []string{"取号", "预约签到"} {
		if tl := findTile(t, w, title); !tl.disabled || !strings.Contains(tl.sub, "连不上大厅服务器") {
			t.Fatalf("tile %s: disabled %v, %q", title, tl.disabled, tl.sub)
		}
	}
	// Guides, from the copy, and their print.
	openSBKGuide(t, w)
	tapTile(t, w, "打印办事指南")
	if txt := waitJob(t, r.Virtual, 2).Text(); !strings.Contains(txt, "社会保障卡") {
		t.Fatalf("guide: %s", txt)
	}
	// Case progress, from the copy: found, and a wrong code refused.
	tapTile(t, w, "返回首页")
	tapTile(t, w, "办件查询")
	typeKeys(t, w, "QS2026110001")
	tapTile(t, w, "下一步")
	typeKeys(t, w, "1234")
	tapTile(t, w, "查询")
	wantScreen(t, k, "progress.result")
	if s := shown(w); !strings.Contains(s, "张**") || !strings.Contains(s, "本机保存的信息") {
		t.Fatalf("case from the copy:\n%s", s)
	}
	if _, err := r.LookupCase(ctx, "QS2026110001", "0000"); queue.ErrorCode(err) != queue.CodeUnknownCase {
		t.Fatalf("wrong check code offline: %v", err)
	}

	// The node comes back at the same address.
	h.start(t)
	if err := r.check(ctx); err != nil {
		t.Fatal(err)
	}
	tapTile(t, w, "返回首页")
	if strings.Contains(shown(w), "连不上") {
		t.Fatalf("home after the node is back:\n%s", shown(w))
	}
	tapTile(t, w, "取号")
	tapTile(t, w, "H  综合窗口")
	tapTile(t, w, "普通取号")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket")
	if !strings.Contains(shown(w), "H002") {
		t.Fatalf("ticket after restart:\n%s", shown(w))
	}
	if txt := waitJob(t, r.Virtual, 3).Text(); !strings.Contains(txt, "H002") {
		t.Fatalf("printed after restart:\n%s", txt)
	}
	if v := nodePrint(t, r, "H002", queue.Printed); v.Print != string(queue.Printed) {
		t.Fatalf("node's H002: %+v", v)
	}
}

// Paper out at a LAN kiosk: the number stays on screen, the node records
// the failed print (staff see it everywhere), and the kiosk's staff
// restock and reprint it; the node then has it printed.
func TestRemotePrintFailureReachesTheNode(t *testing.T) {
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	r.Virtual.SetState(vprinter.StatePaperOut)
	k, w := newTestKiosk(t, r, time.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tapTile(t, w, "E  企业开办")
	tapTile(t, w, "确认取号")
	wantScreen(t, k, "ticket.unprinted")
	if s := shown(w); !strings.Contains(s, "E001") || !strings.Contains(s, "服务台") {
		t.Fatalf("unprinted screen:\n%s", s)
	}
	if v := nodePrint(t, r, "E001", queue.PrintFailed); v.Print != string(queue.PrintFailed) {
		t.Fatalf("node's E001: %+v", v)
	}
	// The failed job reaches staff mode's printer health, as in an
	// embedded kiosk (the LAN kiosk prints through the same service).
	if h := r.PrinterHealth(); h.LastError == "" {
		t.Fatalf("printer health after a failed ticket: %+v", h)
	}
	// Staff mode's counts come from the node: one issued, waiting, its
	// print failed.
	if st, err := r.Status(context.Background()); err != nil || st.Unreachable != nil || st.Issued != 1 || st.Waiting != 1 || st.PrintFailed != 1 || st.Day == "" {
		t.Fatalf("status %+v %v", st, err)
	}
	enterStaff(t, k, w)
	if s := shown(w); !strings.Contains(s, "E001") || !strings.Contains(s, "局域网节点") {
		t.Fatalf("staff screen:\n%s", s)
	}
	r.Virtual.LoadPaper()
	tapTile(t, w, "已换新纸卷")
	tapTile(t, w, "补打")
	if txt := waitJob(t, r.Virtual, 1).Text(); !strings.Contains(txt, "E001") {
		t.Fatalf("reprint: %s", txt)
	}
	if v := nodePrint(t, r, "E001", queue.Printed); v.Print != string(queue.Printed) {
		t.Fatalf("node's E001 after the reprint: %+v", v)
	}
}

// A print outcome the node could not hear is told when it is back: the
// ticket is never left "pending" for good.
func TestRemotePrintOutcomeWaitsForTheNode(t *testing.T) {
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	ctx := context.Background()
	v := issueToPrint(t, r, "A")
	h.kill()
	// The node died between issuing and the end of printing.
	if err := r.printTicket(ctx, v.Issued()); err != nil {
		t.Fatal(err)
	}
	waitJob(t, r.Virtual, 1)
	// Two health changes while the node is away: the latest one is told.
	r.printerEvent(printer.Event{Kind: printer.KindPaperOut, Detail: "first"})
	r.printerEvent(printer.Event{Kind: printer.KindPaperNearEnd, Detail: "latest"})
	// Back up: the next probe tells what was queued (the loop may get there
	// first, if a wake-up it had pending runs once the node is back).
	h.start(t)
	if err := r.check(ctx); err != nil {
		t.Fatal(err)
	}
	if got := nodePrint(t, r, v.Number, queue.Printed); got.Print != string(queue.Printed) {
		t.Fatalf("after: %+v", got)
	}
	evs := nodeEvents(t, h)
	var health []string
	for _, e := range evs {
		if e.Type == "device_health" {
			health = append(health, string(e.Data))
		}
	}
	// Before the kill the node heard the printer come online; of the two
	// changes while it was away, only the latest.
	if len(health) == 0 || !strings.Contains(health[len(health)-1], "latest") || !strings.Contains(health[len(health)-1], "warning") ||
		strings.Contains(strings.Join(health, " "), "first") {
		t.Fatalf("printer health the node heard: %q", health)
	}
}

// A print outcome still queued when the kiosk closes is told on the way
// out: the next start's recovery must not fail a ticket whose paper came
// out.
func TestRemoteCloseTellsQueuedOutcomes(t *testing.T) {
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	ctx := context.Background()
	v := issueToPrint(t, r, "A")
	// The loop that tells outcomes has stopped, as when Close comes right
	// after the print.
	r.stop()
	<-r.done
	if err := r.printTicket(ctx, v.Issued()); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := nodeTicket(t, r, v.Number); got.Print != string(queue.Printed) {
		t.Fatalf("after Close the node has %s as %q", v.Number, got.Print)
	}
}

// A wrong token is refused at start, with the reason.
func TestRemoteRefusesABadToken(t *testing.T) {
	h, _ := newHallNode(t)
	_, err := OpenRemote(context.Background(), RemoteConfig{Node: h.url(), Token: "hd_wrong", Data: t.TempDir(), KioskID: "k1"})
	if err == nil || queue.ErrorCode(err) != "unauthorized" {
		t.Fatalf("bad token: %v", err)
	}
}

// LAN mode: the open take list follows the node's event stream. Tickets
// issued at the node by another client raise the count on screen; staff
// pausing the service there turns its tile off; leaving the screen closes
// the stream and ends its goroutines.
func TestRemoteTakeListFollowsTheNode(t *testing.T) {
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	k, w := newTestKiosk(t, r, time.Now, i18n.ZH)
	tapTile(t, w, "取号")
	tl := findTile(t, w, "H  综合窗口")
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := r.API.Issue(ctx, hall.IssueRequest{Service: "H"}); err != nil {
			t.Fatal(err)
		}
	}
	updateUntil(t, k, "H has two waiting", func() bool { return strings.HasPrefix(tl.sub, "等候 2 人") })
	if err := r.API.SetServiceOpen(ctx, "H", false); err != nil {
		t.Fatal(err)
	}
	updateUntil(t, k, "H paused", func() bool { return tl.disabled })
	if tl.sub != i18n.T(i18n.ZH, "kiosk.take.paused") {
		t.Fatalf("paused H says %q", tl.sub)
	}
	k.Home()
	noFollowers(t)
	for _, g := range strings.Split(stacks(), "\n\n") {
		if strings.Contains(g, "followEvents") || strings.Contains(g, "(*Client).Events") {
			t.Fatalf("the event stream still runs:\n%s", g)
		}
	}
}

// A LAN kiosk that stopped between the node's commit of a ticket and its
// printer's answer (here: the ticket issued with its print pending, then
// the kiosk closed without an outcome, as a kill leaves it) has the node
// fail that print when it starts again, so staff see and reprint it.
func TestRemoteRestartFailsItsInterruptedPrint(t *testing.T) {
	h, token := newHallNode(t)
	r := openRemote(t, h, token)
	ctx := context.Background()
	v := issueToPrint(t, r, "E")
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	again := openRemote(t, h, token)
	if got := nodeTicket(t, again, v.Number); got.Print != string(queue.PrintFailed) {
		t.Fatalf("after the restart the node has %s as %q", v.Number, got.Print)
	}
	failed, err := again.FailedTickets(ctx)
	if err != nil || len(failed) != 1 || failed[0].Number != v.Number {
		t.Fatalf("staff's failed tickets %+v %v", failed, err)
	}
	if err := again.Reprint(ctx, failed[0].ID, i18n.ZH); err != nil {
		t.Fatal(err)
	}
	if txt := waitJob(t, again.Virtual, 1).Text(); !strings.Contains(txt, v.Number) {
		t.Fatalf("reprint: %s", txt)
	}
}

// A node that answers but refuses (here: it has stopped accepting the
// kiosk's credential) leaves the kiosk offline and taking no numbers; the
// kiosk says why once for as long as the refusal stays the same, not at
// every probe, and is back once the node accepts it again.
func TestRemoteLogsARefusalOnce(t *testing.T) {
	h, token := newHallNode(t)
	var refuse atomic.Bool
	front := inFront(t, h, func(w http.ResponseWriter, r *http.Request) bool {
		if !refuse.Load() {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"error":{"code":"forbidden","message":"device revoked"}}`)
		return true
	})
	var mu sync.Mutex
	var refusals int
	r := openRemote(t, h, token, func(c *RemoteConfig) {
		c.Node, c.Probe = front, 20*time.Millisecond
		c.Logf = func(format string, args ...any) {
			if strings.Contains(fmt.Sprintf(format, args...), "answers but refuses") {
				mu.Lock()
				refusals++
				mu.Unlock()
			}
		}
	})
	refuse.Store(true)
	time.Sleep(500 * time.Millisecond) // some twenty probes
	mu.Lock()
	if refusals != 1 {
		t.Errorf("the refusal was logged %d times in twenty probes, want once", refusals)
	}
	mu.Unlock()
	// Refused, the kiosk takes no number: it is offline, with the reason.
	if _, why := r.Offline(); why == nil || !strings.Contains(why.Error(), "403 forbidden") {
		t.Fatalf("offline reason while the node refuses: %v", why)
	}
	if _, err := r.TakeNumber(context.Background(), hall.IssueRequest{Service: "A"}, i18n.ZH); !errors.Is(err, ErrNodeUnreachable) {
		t.Fatalf("a number taken while the node refuses: %v", err)
	}
	refuse.Store(false)
	deadline := time.Now().Add(5 * time.Second)
	for _, why := r.Offline(); why != nil; _, why = r.Offline() {
		if time.Now().After(deadline) {
			t.Fatalf("still offline after the node accepts again: %v", why)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A fault of the kiosk's own copy (here: its database closed behind its
// back) is logged once as the copy's, not taken for the node's absence:
// the kiosk stays online and takes numbers.
func TestRemoteCopyFaultIsNotTheNodes(t *testing.T) {
	h, token := newHallNode(t)
	var mu sync.Mutex
	var copyFaults, nodeDown int
	r := openRemote(t, h, token, func(c *RemoteConfig) {
		c.Probe, c.Refresh = 20*time.Millisecond, time.Nanosecond // every probe refreshes the copy
		c.Logf = func(format string, args ...any) {
			line := fmt.Sprintf(format, args...)
			mu.Lock()
			defer mu.Unlock()
			if strings.Contains(line, "local copy:") {
				copyFaults++
			}
			if strings.Contains(line, "unreachable") || strings.Contains(line, "refuses") {
				nodeDown++
			}
		}
	})
	r.Copy.Close()
	time.Sleep(500 * time.Millisecond) // some twenty probes
	mu.Lock()
	if copyFaults != 1 || nodeDown != 0 {
		t.Errorf("in twenty probes over a broken copy: %d copy faults logged (want 1), %d node-down lines (want 0)", copyFaults, nodeDown)
	}
	mu.Unlock()
	if _, why := r.Offline(); why != nil {
		t.Fatalf("a broken copy took the kiosk offline: %v", why)
	}
	if _, err := r.API.Issue(context.Background(), hall.IssueRequest{Service: "A"}); err != nil {
		t.Fatalf("the node stopped issuing: %v", err)
	}
}

// A kiosk restarted while the node was away has not yet had its pending
// prints failed (recovery runs at the first answer). When the node comes
// back, the outcome this process printed meanwhile is told before that
// recovery, so the ticket is printed, not failed.
func TestRemoteTellsOutcomesBeforeRecovering(t *testing.T) {
	h, token := newHallNode(t)
	data := t.TempDir()
	inData := func(c *RemoteConfig) { c.Data = data }
	if err := openRemote(t, h, token, inData).Close(); err != nil { // the copy made
		t.Fatal(err)
	}
	h.kill()
	r := openRemote(t, h, token, inData) // restarted while the node is away
	// No loop: only the probe below tells the node anything.
	r.stop()
	<-r.done
	h.start(t)
	v := issueToPrint(t, r, "A")
	ctx := context.Background()
	if err := r.printTicket(ctx, v.Issued()); err != nil {
		t.Fatal(err)
	}
	if err := r.check(ctx); err != nil {
		t.Fatal(err)
	}
	if got := nodeTicket(t, r, v.Number); got.Print != string(queue.Printed) {
		t.Fatalf("after the node came back %s is %q, want printed", v.Number, got.Print)
	}
	// Nor was it failed on the way: a print_failed event alerts staff and
	// replicates to the centre.
	evs := nodeEvents(t, h)
	for _, e := range evs {
		if e.TicketID == v.ID && e.Type == "print_failed" {
			t.Fatalf("%s was failed before its outcome was told: %s", v.Number, e.Data)
		}
	}
}

// The citizen does not wait for the node to hear how the ticket printed:
// with the node holding every print outcome, printTicket still returns,
// and the outcome arrives once the node lets it through.
func TestRemotePrintDoesNotWaitForTheNode(t *testing.T) {
	h, token := newHallNode(t)
	release := make(chan struct{})
	var held atomic.Int32
	front := inFront(t, h, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/print") {
			held.Add(1)
			<-release
		}
		return false
	})
	r := openRemote(t, h, token, func(c *RemoteConfig) { c.Node, c.Timeout = front, 30*time.Second })
	released := false
	releaseOnce := func() {
		if !released {
			released = true
			close(release)
		}
	}
	defer releaseOnce()
	v := issueToPrint(t, r, "A")
	printed := make(chan error, 1)
	go func() { printed <- r.printTicket(context.Background(), v.Issued()) }()
	select {
	case err := <-printed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("printTicket still waits with the node holding the outcome (%d held)", held.Load())
	}
	if got := nodeTicket(t, r, v.Number); got.Print != string(queue.PrintPending) {
		t.Fatalf("the node heard %q while it held the outcome", got.Print)
	}
	releaseOnce()
	if got := nodePrint(t, r, v.Number, queue.Printed); got.Print != string(queue.Printed) {
		t.Fatalf("after the node let the outcome through: %q", got.Print)
	}
}

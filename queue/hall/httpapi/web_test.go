package httpapi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/hall/httpapi"
	"hallq/queue/store"
)

// screens returns where to write screenshots: $HALLQ_SCREENS, else a temp dir.
func screens(t *testing.T) string {
	if d := os.Getenv("HALLQ_SCREENS"); d != "" {
		return d
	}
	return t.TempDir()
}

// A clerk works window 1 in the web caller in headless Chromium against
// a real `hallq serve`: signs in, chooses the window, calls with the
// keyboard, and the hall's event stream carries the call; a reload keeps
// the state; after the finish the window's rating pad takes a low rating
// with reasons, which is flagged and reaches the stream as an event.
func TestWebCallerAndRatingPadInChromium(t *testing.T) {
	data := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "hall.json")
	b, _ := json.Marshal(testHall())
	os.WriteFile(cfgPath, b, 0o644)
	hallqtest.Run(t, data, "", "init", "--config", cfgPath)
	hallqtest.Run(t, data, "chen-password\n", "user", "add", "--name", "chen", "--role", "clerk")
	token := func(args ...string) string {
		var out struct{ Token string }
		json.Unmarshal([]byte(hallqtest.Run(t, data, "", append([]string{"--json", "device", "add"}, args...)...)), &out)
		return out.Token
	}
	kioskTok, displayTok, padTok := token("--kind", "kiosk"), token("--kind", "display"), token("--kind", "pad", "--window", "1")
	srv := startServe(t, data)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kiosk := &httpapi.Client{BaseURL: srv.url, Token: kioskTok}
	for _, s := range []string{"A", "A", "H", "B"} {
		if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: s}); err != nil {
			t.Fatal(err)
		}
	}
	display := &httpapi.Client{BaseURL: srv.url, Token: displayTok}
	events := follow(ctx, display, -1)
	next(t, events, true) // snapshot

	br := startBrowser(t)
	br.navigate(srv.url + "/caller/")
	br.waitFor("the sign-in form", `!document.getElementById("login").classList.contains("hidden") && document.getElementById("login-submit").textContent === "登录"`)
	br.eval(`document.getElementById("name").value = "chen"; document.getElementById("password").value = "chen-password";
		document.getElementById("login-submit").click(); true`)
	br.waitFor("the window list", `document.getElementById("choose-1")`)
	br.eval(`document.getElementById("choose-1").click(); true`)
	br.waitFor("the panel", `!document.getElementById("panel").classList.contains("hidden") && document.getElementById("waiting-count").textContent !== ""`)
	if w := br.eval(`document.getElementById("waiting-count").textContent`); w != "等候 3 人" {
		t.Errorf("waiting count %v", w) // A001, A002, H001 at window 1 (A and H)
	}
	br.key(" ", "Space")
	br.waitFor("A001 called", `document.getElementById("current-number").textContent === "A001"`)
	for {
		m := next(t, events, true)
		if m.Event == "call" {
			var e httpapi.Event
			json.Unmarshal(m.Data, &e)
			if e.Ticket.Number != "A001" || e.Window != 1 || e.Actor != "staff:chen" {
				t.Fatalf("call event %s", m.Data)
			}
			break
		}
	}
	// A reload shows the same state: the session cookie and the chosen window survive.
	br.navigate(srv.url + "/caller/")
	br.waitFor("the panel after reload", `document.getElementById("current-number").textContent === "A001"`)
	br.key("s", "KeyS")
	br.waitFor("serving", `document.getElementById("current-state").textContent === "办理中"`)
	br.screenshot(filepath.Join(screens(t), "web-caller.png"))
	br.key("f", "KeyF")
	br.waitFor("finished", `document.getElementById("current-number").textContent === "暂无"`)
	// Transfer with the keyboard only: call A002, T opens the service
	// list, an arrow picks B, Enter transfers; A002 leaves this window
	// (which does not serve B) and waits in B's queue.
	br.key(" ", "Space")
	br.waitFor("A002 called", `document.getElementById("current-number").textContent === "A002"`)
	br.key("t", "KeyT")
	br.waitFor("the transfer box", `!document.getElementById("transfer-box").classList.contains("hidden") && document.activeElement.id === "transfer-to"`)
	br.eval(`document.getElementById("transfer-to").value = "B"; true`)
	br.key("Enter", "Enter")
	br.waitFor("A002 transferred", `document.getElementById("current-number").textContent === "暂无" && document.getElementById("waiting-count").textContent === "等候 1 人"`)
	if tk, err := kiosk.Ticket(ctx, "A002"); err != nil || tk.Service != "B" || tk.State != "waiting" {
		t.Fatalf("A002 after the transfer: %+v %v", tk, err)
	}
	br.key("z", "KeyZ")
	br.waitFor("paused", `!document.getElementById("paused-banner").classList.contains("hidden")`)
	br.screenshot(filepath.Join(screens(t), "web-caller-paused.png"))

	// The rating pad of window 1.
	br.navigate(srv.url + "/pad/#token=" + padTok)
	br.waitFor("the question", `document.getElementById("question").textContent === "请对 A001 号的服务进行评价"`)
	br.screenshot(filepath.Join(screens(t), "web-pad.png"))
	br.eval(`document.getElementById("level-2").click(); true`)
	br.waitFor("the reasons", `!document.getElementById("reasons-box").classList.contains("hidden")`)
	br.eval(`document.getElementById("reason-slow").click(); document.getElementById("reason-wait").click(); true`)
	br.screenshot(filepath.Join(screens(t), "web-pad-reasons.png"))
	br.eval(`document.getElementById("submit").click(); true`)
	br.waitFor("thanks", `!document.getElementById("thanks").classList.contains("hidden")`)
	deadline := time.After(5 * time.Second)
	for {
		select {
		case m := <-events:
			if m.Event != "rating" {
				continue
			}
			var e httpapi.Event
			json.Unmarshal(m.Data, &e)
			var r store.Rating
			json.Unmarshal(e.Data, &r)
			if r.Level != 2 || !r.Flagged || r.Clerk != "chen" || r.Window != 1 || strings.Join(r.Reasons, ",") != "slow,wait" {
				t.Fatalf("rating %+v", r)
			}
			// One rating per ticket.
			pad := &httpapi.Client{BaseURL: srv.url, Token: padTok}
			if _, err := pad.Rate(ctx, r.TicketID, 5, nil); err == nil || !strings.Contains(err.Error(), "conflict") {
				t.Fatalf("second rating: %v", err)
			}
			managerFollowsUp(t, br, srv, data)
			return
		case <-deadline:
			t.Fatal("no rating event")
		}
	}
}

// managerFollowsUp: the hall manager sees the flagged rating on the
// follow-up page, through the API and from the command line.
func managerFollowsUp(t *testing.T, br *browser, srv *serveProc, data string) {
	hallqtest.Run(t, data, "wang-password\n", "user", "add", "--name", "wang", "--role", "manager")
	br.navigate(srv.url + "/ratings/")
	br.waitFor("the sign-in form", `!document.getElementById("login").classList.contains("hidden") && document.getElementById("login-submit").textContent === "登录"`)
	br.eval(`document.getElementById("name").value = "wang"; document.getElementById("password").value = "wang-password";
		document.getElementById("login-submit").click(); true`)
	br.waitFor("the flagged rating", `document.querySelectorAll("#rows tr.flagged").length === 1`)
	row := br.eval(`[...document.querySelectorAll("#rows tr td")].map((td) => td.textContent).slice(1).join("|")`)
	if row != "A001|1 号窗口|chen|不满意|办理速度慢、等候时间长" {
		t.Errorf("follow-up row %q", row)
	}
	if s := br.eval(`document.getElementById("summary").textContent`); s != "共 1 条评价，好评率 0.0%，待跟进 1 条" {
		t.Errorf("summary %q", s)
	}
	br.screenshot(filepath.Join(screens(t), "web-ratings.png"))
	manager := &httpapi.Client{BaseURL: srv.url}
	if _, err := manager.Login(context.Background(), "wang", "wang-password"); err != nil {
		t.Fatal(err)
	}
	if rs, err := manager.Ratings(context.Background(), "", true); err != nil || len(rs) != 1 || rs[0].Number != "A001" || !rs[0].Flagged {
		t.Errorf("flagged ratings over the API: %+v %v", rs, err)
	}
	// The page started on the hall's business day, as the node counts it.
	if tally, err := manager.Tally(context.Background()); err != nil || br.eval(`document.getElementById("date").value`) != tally.Day {
		t.Errorf("the page's date %q, the hall's day %+v %v", br.eval(`document.getElementById("date").value`), tally, err)
	}
	// A date whose list cannot be read shows no list, not the one of the
	// date before, however the flagged box is then ticked.
	br.eval(`hallq.api = async () => { throw new Error("网络中断") };
		const d = document.getElementById("date"); d.value = "2026-01-05"; d.dispatchEvent(new Event("change"));
		document.getElementById("flagged").click(); true`)
	br.waitFor("the read error", `document.getElementById("msg").textContent === "网络中断"`)
	if n := br.eval(`document.querySelectorAll("#rows tr").length`); n != float64(0) {
		t.Errorf("after a failed read the page still lists %v ratings", n)
	}
	if s := br.eval(`document.getElementById("summary").textContent + document.getElementById("empty").textContent`); s != "" {
		t.Errorf("after a failed read the page says %q, as if it knew the day's ratings", s)
	}
	br.screenshot(filepath.Join(screens(t), "web-ratings-error.png"))
	var cli []store.Rating
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "ratings", "--flagged")), &cli)
	if len(cli) != 1 || cli[0].Level != 2 || cli[0].Clerk != "chen" {
		t.Errorf("hallq ratings --flagged: %+v", cli)
	}
}

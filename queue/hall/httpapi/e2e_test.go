package httpapi_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/hall/httpapi"
)

// serveProc is a running `hallq serve`.
type serveProc struct {
	cmd *exec.Cmd
	url string
}

func startServe(t *testing.T, data string, extra ...string) *serveProc {
	t.Helper()
	cmd, url := hallqtest.Serve(t, data, "127.0.0.1:0", extra...)
	p := &serveProc{cmd: cmd, url: url}
	t.Cleanup(func() { p.stop() })
	return p
}

func (p *serveProc) stop() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// The real program end to end: init, accounts and devices from the
// command line, `hallq serve` on port 0, a kiosk issuing and a clerk
// calling over HTTP, a display following the stream; then the server
// restarts on another port while the hallq command keeps working the
// queue, and the display resumes with the missed events and the right state.
func TestEndToEndServeRestartAndResume(t *testing.T) {
	data := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "hall.json")
	b, _ := json.Marshal(testHall())
	os.WriteFile(cfgPath, b, 0o644)
	hallqtest.Run(t, data, "", "init", "--config", cfgPath)
	hallqtest.Run(t, data, "clerk-password\n", "user", "add", "--name", "zhang", "--role", "clerk")
	var kioskOut, displayOut struct {
		Token string `json:"token"`
	}
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "kiosk")), &kioskOut)
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "display", "--name", "hall-screen")), &displayOut)
	if !strings.HasPrefix(kioskOut.Token, "hd_") || !strings.HasPrefix(displayOut.Token, "hd_") {
		t.Fatalf("device tokens %q %q", kioskOut.Token, displayOut.Token)
	}

	srv := startServe(t, data)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kiosk := &httpapi.Client{BaseURL: srv.url, Token: kioskOut.Token}
	display := &httpapi.Client{BaseURL: srv.url, Token: displayOut.Token}
	clerk := &httpapi.Client{BaseURL: srv.url}
	if _, err := clerk.Login(ctx, "zhang", "clerk-password"); err != nil {
		t.Fatal(err)
	}
	if err := clerk.SignIn(ctx, 1); err != nil {
		t.Fatal(err)
	}
	ch := follow(ctx, display, -1)
	if m := next(t, ch, true); m.Event != "snapshot" {
		t.Fatalf("first %s", m.Event)
	}
	for i := 0; i < 3; i++ {
		if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	if _, err := clerk.CallNext(ctx, 1, "", ""); err != nil {
		t.Fatal(err)
	}
	var lastID string
	for {
		m := next(t, ch, true)
		lastID = m.ID
		if m.Event == "call" {
			var e httpapi.Event
			json.Unmarshal(m.Data, &e)
			if e.Ticket.Number != "A001" || e.Window != 1 || e.Actor != "staff:zhang" {
				t.Fatalf("call event %s", m.Data)
			}
			t.Logf("call reached the display in %s", time.Since(start))
			break
		}
	}

	// The server goes away; the stream ends.
	srv.stop()
	for range ch {
	}
	// Meanwhile the hallq command finishes A001 and calls A002.
	hallqtest.Run(t, data, "", "start", "--window", "1")
	hallqtest.Run(t, data, "", "finish", "--window", "1")
	hallqtest.Run(t, data, "", "call", "--window", "1")

	srv2 := startServe(t, data)
	display.BaseURL = srv2.url
	after := int64(0)
	for _, c := range lastID {
		after = after*10 + int64(c-'0')
	}
	ch2 := follow(ctx, display, after)
	var types []string
	for {
		m := next(t, ch2, true)
		if m.Event == "snapshot" {
			var snap hall.Snapshot
			json.Unmarshal(m.Data, &snap)
			if cur := snap.Windows[0].Current; cur == nil || cur.Number != "A002" || cur.State != "called" {
				t.Fatalf("snapshot after restart: window 1 %+v", snap.Windows[0])
			}
			break
		}
		var e httpapi.Event
		json.Unmarshal(m.Data, &e)
		types = append(types, e.Type)
	}
	if strings.Join(types, ",") != "start,finish,call" {
		t.Fatalf("missed events replayed: %v", types)
	}
	// And the stream goes on live after the restart.
	clerk.BaseURL = srv2.url
	clerk.Act(ctx, hall.ActRequest{Action: "no_show", Window: 1})
	if m := next(t, ch2, true); m.Event != "ticket" || !strings.Contains(string(m.Data), `"no_show"`) {
		t.Fatalf("live after restart: %s %s", m.Event, m.Data)
	}
}

package display_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hallq/assets/demohall"
	"hallq/devices/voice"
	"hallq/kiosk/display"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/hall/httpapi"
)

// said is a speaker that records what the announcer says.
type said struct {
	mu    sync.Mutex
	texts []string
}

func (s *said) Say(_ context.Context, parts []voice.Utterance) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.texts = append(s.texts, parts[0].Text)
	return nil
}

func (s *said) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.texts...)
}

// watcher collects the feed's states so a test can wait for one.
type watcher struct{ ch chan display.State }

func (w watcher) until(t *testing.T, what string, ok func(display.State) bool) display.State {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case s := <-w.ch:
			if ok(s) {
				return s
			}
		case <-timeout:
			t.Fatalf("display never showed %s", what)
		}
	}
}

func waiting(s display.State, code string) int {
	for _, sv := range s.Services {
		if sv.Code == code {
			return sv.Waiting
		}
	}
	return -1
}

func current(s display.State) string {
	c, ok := s.Current()
	if !ok {
		return ""
	}
	return c.Number + "@" + string(rune('0'+c.Window))
}

// The display's feed against the real program: a display device token
// from `hallq device add`, `hallq serve` on a real port, a kiosk issuing
// and a clerk calling over HTTP. Then the server is killed: the display
// shows it lost the connection; while it is down the hallq command calls
// the next number; the server comes back on the same address, and the
// display reconnects by itself and shows (and says) what happened.
func TestDisplayFollowsRealHallNodeThroughRestart(t *testing.T) {
	data := t.TempDir()
	cfg := demohall.Config()
	for i := range cfg.Services {
		cfg.Services[i].Hours, cfg.Services[i].Slots, cfg.Services[i].DailyCap = queue.Hours{}, nil, 0
		cfg.Services[i].OnePerCitizen = false
	}
	for i := range cfg.Windows {
		cfg.Windows[i].State = queue.WindowOpen
	}
	cfgPath := filepath.Join(t.TempDir(), "hall.json")
	b, _ := json.Marshal(cfg)
	os.WriteFile(cfgPath, b, 0o644)
	hallqtest.Run(t, data, "", "init", "--config", cfgPath)
	hallqtest.Run(t, data, "clerk-password\n", "user", "add", "--name", "li", "--role", "clerk")
	var kioskDev, displayDev struct{ Token string }
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "kiosk")), &kioskDev)
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "display", "--name", "hall-screen")), &displayDev)

	srv, url := hallqtest.Serve(t, data, "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	voices := &said{}
	ann := voice.NewAnnouncer(voices, t.Logf)
	go ann.Run(ctx)
	w := watcher{ch: make(chan display.State, 1000)}
	model := display.NewModel(7)
	feed := &display.Feed{
		Client:   &httpapi.Client{BaseURL: url, Token: displayDev.Token},
		Model:    model,
		OnChange: func(s display.State) { w.ch <- s },
		OnCall:   func(c display.Call) { ann.Announce(display.Announcement(c, 1, true)...) },
		Logf:     t.Logf,
		Stream:   httpapi.FollowOptions{MinBackoff: 100 * time.Millisecond, MaxBackoff: 400 * time.Millisecond},
	}
	go feed.Run(ctx)
	s := w.until(t, "the hall", func(s display.State) bool { return s.Conn == display.Live })
	if s.Hall != cfg.NameZH || len(s.Services) != len(cfg.Services) {
		t.Fatalf("first state %+v", s)
	}

	kiosk := &httpapi.Client{BaseURL: url, Token: kioskDev.Token}
	clerk := &httpapi.Client{BaseURL: url}
	if _, err := clerk.Login(ctx, "li", "clerk-password"); err != nil {
		t.Fatal(err)
	}
	if err := clerk.SignIn(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
			t.Fatal(err)
		}
	}
	w.until(t, "three waiting for A", func(s display.State) bool { return waiting(s, "A") == 3 })
	if _, err := clerk.CallNext(ctx, 1, "", ""); err != nil {
		t.Fatal(err)
	}
	w.until(t, "A001 called to window 1, two waiting", func(s display.State) bool {
		return current(s) == "A001@1" && waiting(s, "A") == 2
	})

	// The hall node dies.
	srv.Process.Kill()
	srv.Wait()
	w.until(t, "the lost connection", func(s display.State) bool { return s.Conn == display.Lost && current(s) == "A001@1" })
	// While it is down, the clerk works on with the command line.
	hallqtest.Run(t, data, "", "start", "--window", "1")
	hallqtest.Run(t, data, "", "finish", "--window", "1")
	hallqtest.Run(t, data, "", "call", "--window", "1")
	hallqtest.Run(t, data, "", "issue", "--service", "B")

	hallqtest.Serve(t, data, strings.TrimPrefix(url, "http://"))
	s = w.until(t, "the state after the restart", func(s display.State) bool { return s.Conn == display.Live })
	if current(s) != "A002@1" || waiting(s, "A") != 1 || waiting(s, "B") != 1 {
		t.Fatalf("after reconnect: current %s, waiting A %d B %d", current(s), waiting(s, "A"), waiting(s, "B"))
	}
	if len(s.Recent) != 2 || s.Recent[1].Number != "A001" {
		t.Fatalf("recent calls after reconnect %+v", s.Recent)
	}
	// Live again: a recall is shown and said again.
	if _, err := clerk.Act(ctx, hall.ActRequest{Action: queue.ActRecall, Window: 1}); err != nil {
		t.Fatal(err)
	}
	w.until(t, "the recall", func(s display.State) bool { c, _ := s.Current(); return c.Recall && c.Number == "A002" })
	want := []string{"请 A 零零一 号到 1 号窗口办理", "请 A 零零二 号到 1 号窗口办理", "请 A 零零二 号到 1 号窗口办理"}
	for deadline := time.Now().Add(10 * time.Second); len(voices.all()) < len(want) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // the announcer runs on its own goroutine
	}
	if got := voices.all(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("said %q, want %q", got, want)
	}
}

package httpapi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hallq/devices/led"
	"hallq/devices/pty"
	"hallq/queue"
	"hallq/queue/hall"
	"hallq/queue/hall/hallqtest"
	"hallq/queue/hall/httpapi"
)

// ledShows waits until the virtual display at addr shows want.
func ledShows(t *testing.T, v *led.Virtual, addr byte, want string) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for v.Text(addr) != want {
		select {
		case <-v.Changed():
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("LED %d shows %q, want %q", addr, v.Text(addr), want)
		}
	}
}

// deviceEvent waits for a device health event of the stream and returns its data.
func deviceEvent(t *testing.T, ch <-chan httpapi.StreamMessage) (string, map[string]any) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				t.Fatal("stream ended")
			}
			if m.Event != "device" {
				continue
			}
			var e httpapi.Event
			json.Unmarshal(m.Data, &e)
			if e.Type == "device_added" {
				continue
			}
			var d struct {
				Device string         `json:"device"`
				State  map[string]any `json:"state"`
			}
			json.Unmarshal(e.Data, &d)
			return e.Type, d.State
		case <-deadline:
			t.Fatal("no device event")
		}
	}
}

// The real program drives window LED displays: `hallq serve --led` on a
// pseudo-terminal with virtual displays at addresses 11 and 12 for
// windows 1 and 2. A call through the API flashes 请A001号 on window 1's
// display, a start shows A001 办理中, a pause 暂停服务; a display that stops
// answering becomes a device event on the stream, and so does its return.
func TestServeDrivesWindowLEDs(t *testing.T) {
	data := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "hall.json")
	b, _ := json.Marshal(testHall())
	os.WriteFile(cfgPath, b, 0o644)
	hallqtest.Run(t, data, "", "init", "--config", cfgPath)
	hallqtest.Run(t, data, "wang-password\n", "user", "add", "--name", "wang", "--role", "manager")
	var dev struct{ Token string }
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "kiosk")), &dev)
	var disp struct{ Token string }
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "display")), &disp)

	master, slave, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminals:", err)
	}
	defer master.Close()
	v := led.NewVirtual()
	go v.Serve(master)

	srv := startServe(t, data, "--led", slave, "--led-windows", "1=11, 2=12")
	ledShows(t, v, 11, "欢迎光临")
	ledShows(t, v, 12, "欢迎光临")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := follow(ctx, &httpapi.Client{BaseURL: srv.url, Token: disp.Token}, -1)
	next(t, events, true) // snapshot

	kiosk := &httpapi.Client{BaseURL: srv.url, Token: dev.Token}
	if _, err := kiosk.Issue(ctx, hall.IssueRequest{Service: "A"}); err != nil {
		t.Fatal(err)
	}
	manager := &httpapi.Client{BaseURL: srv.url}
	if _, err := manager.Login(ctx, "wang", "wang-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := manager.CallNext(ctx, 1, "", ""); err != nil {
		t.Fatal(err)
	}
	ledShows(t, v, 11, "请A001号")
	if v.Mode(11) != led.Flash {
		t.Errorf("the call shows in mode %d, want flashing", v.Mode(11))
	}
	if _, err := manager.Act(ctx, hall.ActRequest{Action: queue.ActStart, Window: 1}); err != nil {
		t.Fatal(err)
	}
	ledShows(t, v, 11, "A001 办理中")
	if _, err := manager.SetWindowState(ctx, 1, queue.WindowPaused, ""); err != nil {
		t.Fatal(err)
	}
	ledShows(t, v, 11, "暂停服务")
	if v.Text(12) != "欢迎光临" {
		t.Errorf("window 2's display shows %q", v.Text(12))
	}

	// Window 2's display is unplugged: the next change for it fails after
	// the retries and the hall records it as a device-health event.
	v.Unplug(12)
	if _, err := manager.SetWindowState(ctx, 2, queue.WindowPaused, ""); err != nil {
		t.Fatal(err)
	}
	typ, st := deviceEvent(t, events)
	if typ != "device_offline" || st["state"] != "offline" || st["window"] != float64(2) || st["address"] != float64(12) {
		t.Fatalf("health event %s %v", typ, st)
	}
	// Back on the bus, blank: the resync shows the pause again, and the
	// hall hears it is back.
	v.Replug(12)
	ledShows(t, v, 12, "暂停服务")
	if typ, st := deviceEvent(t, events); typ != "device_online" || st["window"] != float64(2) {
		t.Fatalf("recovery event %s %v", typ, st)
	}
}

// A bus adapter that is not there does not stop the hall node: it serves,
// and the missing displays are device events for the maintainer.
func TestServeWithoutItsLEDAdapter(t *testing.T) {
	data := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "hall.json")
	b, _ := json.Marshal(testHall())
	os.WriteFile(cfgPath, b, 0o644)
	hallqtest.Run(t, data, "", "init", "--config", cfgPath)
	var disp struct{ Token string }
	json.Unmarshal([]byte(hallqtest.Run(t, data, "", "--json", "device", "add", "--kind", "display")), &disp)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The stream starts before the node can record anything, from seq 0.
	srv := startServe(t, data, "--led", filepath.Join(t.TempDir(), "ttyUSB-gone"), "--led-windows", "3=3")
	events := follow(ctx, &httpapi.Client{BaseURL: srv.url, Token: disp.Token}, 0)
	typ, st := deviceEvent(t, events)
	if typ != "device_unplugged" || st["window"] != float64(3) {
		t.Fatalf("health event %s %v", typ, st)
	}
	if _, err := (&httpapi.Client{BaseURL: srv.url, Token: disp.Token}).Snapshot(ctx); err != nil {
		t.Fatalf("the node does not serve: %v", err)
	}
}

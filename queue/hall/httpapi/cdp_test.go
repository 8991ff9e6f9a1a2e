package httpapi_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// browser drives headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4),
// so the tests need no WebSocket library and open no debugging port.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	w       *os.File
	mu      sync.Mutex
	id      int
	pending map[int]chan cdpMsg
	session string
}

type cdpMsg struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

const chromiumPath = "/usr/bin/chromium"

func startBrowser(t *testing.T) *browser {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("no Chromium at " + chromiumPath)
	}
	toChrome, ourW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ourR, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromiumPath, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--hide-scrollbars", "--lang=zh-CN", "--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	toChrome.Close()
	fromChrome.Close()
	b := &browser{t: t, cmd: cmd, w: ourW, pending: map[int]chan cdpMsg{}}
	go func() {
		r := bufio.NewReader(ourR)
		for {
			line, err := r.ReadBytes(0)
			if err != nil {
				return
			}
			var m cdpMsg
			if json.Unmarshal(line[:len(line)-1], &m) != nil || m.ID == 0 {
				continue // events
			}
			b.mu.Lock()
			ch := b.pending[m.ID]
			delete(b.pending, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
		}
	}()
	t.Cleanup(func() {
		b.send("Browser.close", nil, false)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		ourW.Close()
		ourR.Close()
	})
	var target struct{ TargetID string }
	b.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target, false)
	var att struct{ SessionID string }
	b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att, false)
	b.session = att.SessionID
	b.call("Page.enable", nil, nil, true)
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false}, nil, true)
	return b
}

func (b *browser) send(method string, params any, inSession bool) (cdpMsg, error) {
	b.mu.Lock()
	b.id++
	id := b.id
	ch := make(chan cdpMsg, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if params == nil {
		msg["params"] = map[string]any{}
	}
	if inSession {
		msg["sessionId"] = b.session
	}
	body, _ := json.Marshal(msg)
	if _, err := b.w.Write(append(body, 0)); err != nil {
		return cdpMsg{}, err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return m, fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		return m, nil
	case <-time.After(20 * time.Second):
		return cdpMsg{}, fmt.Errorf("%s: no answer", method)
	}
}

func (b *browser) call(method string, params, out any, inSession bool) {
	b.t.Helper()
	m, err := b.send(method, params, inSession)
	if err != nil {
		b.t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(m.Result, out); err != nil {
			b.t.Fatalf("%s: %v", method, err)
		}
	}
}

func (b *browser) navigate(url string) {
	b.t.Helper()
	b.call("Page.navigate", map[string]any{"url": url}, nil, true)
}

// eval evaluates a JavaScript expression (awaiting promises) and returns its value.
func (b *browser) eval(expr string) any {
	b.t.Helper()
	var res struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &res, true)
	if res.ExceptionDetails != nil {
		b.t.Fatalf("eval %s: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	return res.Result.Value
}

// waitFor polls a JavaScript condition until it is true.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		m, err := b.send("Runtime.evaluate", map[string]any{"expression": "!!(" + expr + ")", "returnByValue": true}, true)
		if err == nil {
			var res struct {
				Result struct{ Value any } `json:"result"`
			}
			json.Unmarshal(m.Result, &res)
			if res.Result.Value == true {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	text := b.eval("document.body ? document.body.innerText : ''")
	b.t.Fatalf("waiting for %s (%s); page says:\n%v", what, expr, text)
}

// key presses a key as a user would (keyDown with its text, then keyUp).
func (b *browser) key(key, code string) {
	b.t.Helper()
	text := key
	if len(key) > 1 {
		text = ""
	}
	b.call("Input.dispatchKeyEvent", map[string]any{"type": "keyDown", "key": key, "code": code, "text": text}, nil, true)
	b.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": key, "code": code}, nil, true)
}

// screenshot writes a PNG of the page to path.
func (b *browser) screenshot(path string) {
	b.t.Helper()
	var res struct{ Data string }
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &res, true)
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

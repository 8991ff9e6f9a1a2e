package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hallq/devices/voice"
	"hallq/queue/hall/hallqtest"
)

func TestParseFlags(t *testing.T) {
	t.Setenv("HALLQ_DISPLAY_TOKEN", "")
	for _, bad := range [][]string{
		{},                                     // no token
		{"--token", "hd_x", "--voice", "loud"}, // on or off
		{"--token", "hd_x", "--repeat", "0"},
		{"--token", "hd_x", "extra"},
	} {
		if _, err := ParseFlags(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	m, err := ParseFlags([]string{"--token", "hd_x", "--node", "http://10.0.0.2:8080/", "--voice", "off", "--repeat", "3"})
	if err != nil || m.Node != "http://10.0.0.2:8080" || m.Voice || m.Repeat != 3 || m.Lang != "zh-CN" {
		t.Fatalf("%+v %v", m, err)
	}
	t.Setenv("HALLQ_DISPLAY_TOKEN", "hd_env")
	if m, err := ParseFlags(nil); err != nil || m.Token != "hd_env" || !m.Voice {
		t.Fatalf("token from the environment: %+v %v", m, err)
	}
}

// The real display program on a real X server (Xvfb) against a real
// `hallq serve`: it shows (and logs) a call made with the hallq command,
// says once why it is silent on a machine without a sound card, and
// stops cleanly on SIGTERM, as systemd stops it.
func TestDisplayProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the display and hallq programs under Xvfb")
	}
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Fatal("Xvfb is missing: run packaging/setup-debian.sh")
	}
	dir := t.TempDir()
	disp := hallqtest.Binary(t, "hallq/cmd/display")
	data := filepath.Join(dir, "hall")
	hallq := func(args ...string) string { return strings.TrimSpace(hallqtest.Run(t, data, "", args...)) }
	hallq("init", "--demo", "--always-open")
	hallq("window", "open", "1")
	hallq("issue", "--service", "A")
	token := hallq("device", "add", "--kind", "display")
	_, url := hallqtest.Serve(t, data, "127.0.0.1:0")

	// Xvfb picks a free display number and writes it to the pipe.
	r, w, _ := os.Pipe()
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1920x1080x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { x.Process.Kill(); x.Wait() }()
	w.Close()
	num, _ := bufio.NewReader(r).ReadString('\n')

	d := exec.Command(disp, "--node", url, "--token", token, "--voice", "on")
	d.Env = append(os.Environ(), "DISPLAY=:"+strings.TrimSpace(num))
	logs, _ := d.StderrPipe()
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	waitLog := func(want string) {
		t.Helper()
		timeout := time.After(60 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("display exited before logging %q:\n%s", want, strings.Join(seen, "\n"))
				}
				seen = append(seen, l)
				if strings.Contains(l, want) {
					return
				}
			case <-timeout:
				t.Fatalf("display never logged %q:\n%s", want, strings.Join(seen, "\n"))
			}
		}
	}
	waitLog("display: following " + url)
	hallq("call", "--window", "1")
	waitLog("display: A001 to window 1")

	if err := d.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for l := range lines {
		seen = append(seen, l)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("display exit on SIGTERM: %v\n%s", err, strings.Join(seen, "\n"))
		}
	case <-ctx.Done():
		t.Fatal("display did not stop on SIGTERM")
	}
	silent := strings.Count(strings.Join(seen, "\n"), "announcements are silent")
	if !voice.HasPlayback("/dev/snd") && silent != 1 {
		t.Fatalf("no sound device: silence logged %d times, want once:\n%s", silent, strings.Join(seen, "\n"))
	}
}

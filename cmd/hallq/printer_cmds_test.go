package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"hallq/devices/vprinter"
)

func TestPrinterCommandsOverAPseudoTerminal(t *testing.T) {
	data := t.TempDir()
	vp, err := vprinter.New(vprinter.Config{Dir: t.TempDir(), Link: filepath.Join(t.TempDir(), "tty"), Speedup: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer vp.Close()
	port := vp.Path()
	hallq(t, data, "init", "--demo", "--always-open")
	hallq(t, data, "issue", "--service", "C", "--id", "11010519491231002X")

	if r := hallq(t, data, "print", "ticket", "C001", "--port", port, "--baud", "115200"); r.code != 0 {
		t.Fatalf("print ticket: %+v", r)
	}
	jobs, err := vp.WaitJobs(context.Background(), 1)
	if err != nil || !strings.Contains(jobs[0].Text(), "C001") {
		t.Fatalf("printed: %v", err)
	}
	if strings.Contains(jobs[0].Text(), "11010519491231002X") {
		t.Fatal("the ID number reached the paper")
	}
	if r := hallq(t, data, "print", "ticket", "C001", "--port", port); r.code != exitRefused || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("second print without --force: %+v", r)
	}

	r := hallq(t, data, "printer", "status", "--port", port, "--json")
	var st map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st["reachable"] != true || st["can_print"] != true || st["paper_used_mm"].(float64) <= 0 {
		t.Fatalf("status: %v %s", err, r.stdout)
	}
	vp.SetState(vprinter.StatePaperOut)
	r = hallq(t, data, "printer", "status", "--port", port, "--json")
	if json.Unmarshal([]byte(r.stdout), &st); st["can_print"] != false || !strings.Contains(st["message"].(string), "纸") {
		t.Fatalf("status with paper out: %s", r.stdout)
	}
	vp.LoadPaper()
	r = hallq(t, data, "printer", "restocked", "--port", port, "--json")
	if json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || st["paper_used_mm"].(float64) != 0 {
		t.Fatalf("restocked: %+v", r)
	}
	evs := hallq(t, data, "events", "--json").stdout
	for _, want := range []string{"print_failed", "reprint", "printed", "device_restocked"} {
		if !strings.Contains(evs, `"`+want+`"`) {
			t.Errorf("no %s event in the outbox", want)
		}
	}
}
